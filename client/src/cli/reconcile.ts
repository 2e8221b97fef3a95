// reconcile [--watch]
import { messageOf } from '../cluster/errors';
import { reconcileOnce, reconcileWatch, type ReconcileReport } from '../cluster/reconcile';
import { flag } from './args';
import type { CliContext } from './context';
import { printJson } from './output';

function summary(r: ReconcileReport): string {
  const parts = [
    r.dead.length && `dead: ${r.dead.join(', ')}`,
    ...r.moved.map((m) => `moved ${m.unit} ${m.from.join(',') || '-'} → ${m.to.join(',') || '-'}`),
    r.started.length && `started ${r.started.map((s) => `${s.unit}@${s.machine}`).join(', ')}`,
    r.removed.length && `removed stale ${r.removed.map((s) => `${s.unit}@${s.machine}`).join(', ')}`,
    r.unplaced.length && `unplaced ${r.unplaced.map((u) => `${u.unit} (${u.reasons.join('; ')})`).join(', ')}`,
    ...r.failures.map((f) => `failed: ${f.error}`),
  ].filter(Boolean);
  return `${r.at} reconcile (${r.durationMs} ms): ${parts.length > 0 ? parts.join('; ') : 'in line'}\n`;
}

export async function reconcileVerb(ctx: CliContext): Promise<number> {
  if (!flag(ctx.args, 'watch')) {
    const report = await reconcileOnce(ctx.cluster);
    if (ctx.json) printJson(report);
    else ctx.out(summary(report));
    return report.failures.length > 0 ? 9 : 0;
  }
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await reconcileWatch(ctx.cluster, {
    signal: controller.signal,
    onReport: (r) => {
      if (ctx.json) ctx.out(`${JSON.stringify(r)}\n`);
      else if (r.moved.length + r.started.length + r.removed.length + r.failures.length + r.dead.length > 0 || !ctx.quiet) ctx.out(summary(r));
    },
    onError: (error) => ctx.progress(`reconcile: ${messageOf(error)}`),
  });
  return 0;
}
