// journal [-f] [--lines N] UNIT... — merged by time across machines; follow survives drops.
import { messageOf } from '../cluster/errors';
import { formatEntry, unitJournal } from '../cluster/journals';
import { flag, intOption } from './args';
import type { CliContext } from './context';

export const JOURNAL_OPTIONS = { values: ['lines', 'machine'], flags: ['follow'], short: { f: 'follow', n: 'lines' } };

export async function journalVerb(ctx: CliContext): Promise<number> {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  process.once('SIGTERM', () => controller.abort());
  const machine = typeof ctx.args.options.get('machine') === 'string' ? [ctx.args.options.get('machine') as string] : undefined;
  const entries = await unitJournal(ctx.cluster, {
    units: ctx.args.positional,
    machines: machine,
    lines: intOption(ctx.args, 'lines', 10),
    follow: flag(ctx.args, 'follow'),
    signal: controller.signal,
    onState: (m, state) => {
      if (state === 'reconnecting' || state === 'failed') ctx.progress(`${m}: journal ${state}`);
    },
    onSourceError: (m, error) => ctx.progress(`${m}: ${messageOf(error)}`),
  });
  for await (const entry of entries) {
    if (controller.signal.aborted) break;
    ctx.out(ctx.json ? `${JSON.stringify(entry)}\n` : `${formatEntry(entry)}\n`);
  }
  return 0;
}
