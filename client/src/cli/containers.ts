// containers [MACHINE...] | containers logs MACHINE CONTAINER [-f] [--lines N] [--timestamps]
import { containerLogs, listContainers } from '../cluster/docker';
import { ClusterError } from '../cluster/errors';
import { flag, intOption } from './args';
import type { CliContext } from './context';
import { printJson, table } from './output';

export const CONTAINERS_OPTIONS = { values: ['lines'], flags: ['follow', 'timestamps', 'running'], short: { f: 'follow', n: 'lines' } };

export async function containersVerb(ctx: CliContext): Promise<number> {
  const [first, ...rest] = ctx.args.positional;
  if (first === 'logs') {
    const [machine, container] = rest;
    if (!machine || !container) throw new ClusterError('usage', 'usage: unit-fleet containers logs MACHINE CONTAINER [-f] [--lines N] [--timestamps]');
    const stream = await containerLogs(ctx.cluster, machine, container, { follow: flag(ctx.args, 'follow'), tail: intOption(ctx.args, 'lines', 100), timestamps: flag(ctx.args, 'timestamps') });
    await new Promise<void>((resolve, reject) => {
      stream.on('data', (chunk: Buffer) => process.stdout.write(chunk));
      stream.on('end', resolve);
      stream.on('error', reject);
      process.once('SIGINT', () => resolve());
    });
    return 0;
  }
  const machines = ctx.args.positional.length > 0 ? ctx.args.positional : undefined;
  for (const m of machines ?? []) ctx.cluster.ssh.machine(m);
  const result = await listContainers(ctx.cluster, { machines, all: !flag(ctx.args, 'running') });
  if (ctx.json) printJson(result);
  else {
    const rows = result.flatMap((m) => m.containers);
    ctx.out(
      table(rows, [
        { title: 'machine', value: (c) => c.machine },
        { title: 'container', value: (c) => c.name },
        { title: 'id', value: (c) => c.id.slice(0, 12) },
        { title: 'image', value: (c) => c.image },
        { title: 'state', value: (c) => c.state },
        { title: 'unit', value: (c) => c.unit ?? '-' },
        { title: 'ports', value: (c) => c.ports.join(',') || '-' },
      ]),
    );
    for (const m of result) if (m.error) ctx.progress(`${m.machine}: ${m.error}`);
  }
  return result.some((m) => m.error) ? 4 : 0;
}
