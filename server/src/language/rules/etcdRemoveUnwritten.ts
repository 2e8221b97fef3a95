import { quickFix } from '../features/edits';
import { startsDynamic } from '../etcd/keys';
import { etcdFacts, usagesMatch } from '../etcd/unitKeys';
import type { Rule } from './rule';

const STOP = new Set(['ExecStop', 'ExecStopPost']);

/**
 * The sidekick trap: `ExecStop=` removes a key other than the one the unit writes (`%i` for `%H`,
 * a misspelt path), so the announced key outlives the unit. Inside one unit a specifier has one
 * value, so `/services/web/%i` does not match `/services/web/%H`.
 */
export const etcdRemoveUnwritten: Rule = {
  code: 'etcd-remove-unwritten',
  defaultSeverity: 'warning',
  description: 'An ExecStop=/ExecStopPost= etcdctl removal that matches none of the keys the unit writes; shows the written key and offers it.',
  check(ctx) {
    const usages = etcdFacts(ctx.workspace, ctx.uri, ctx.file).usages;
    const writes = usages.filter((u) => u.access === 'write');
    if (writes.length === 0) return; // removing another unit's key is no trap of this unit
    for (const removal of usages) {
      if (removal.access !== 'remove' || !STOP.has(removal.directive)) continue;
      if (removal.range || removal.key === '' || startsDynamic(removal.pattern)) continue;
      if (writes.some((w) => usagesMatch(removal, w, 'same-unit'))) continue;
      const written = [...new Set(writes.map((w) => w.key))];
      const leased = writes.some((w) => w.call.invocation.flags.some((f) => f.name === 'lease' || f.name === 'ttl'));
      const list = written.slice(0, 3).join(', ') + (written.length > 3 ? ', …' : '');
      const message =
        `${removal.directive}= removes ${removal.key}${removal.prefix ? ' (and every key under it)' : ''}, but this unit writes ${list}: ` +
        `the key it announces stays in etcd after the unit stops${leased ? ' until its lease or TTL expires' : ''}.`;
      // Offer the written keys that read the same in any command line (no shell variables).
      const candidates = written.filter((k) => !/[$`\s'"\\]/.test(k)).slice(0, 3);
      ctx.report({ range: removal.location, message, data: candidates.length > 0 ? { candidates } : undefined });
    }
  },
  fixes(diagnostic, ctx) {
    const candidates = (diagnostic.data as { candidates?: string[] } | undefined)?.candidates ?? [];
    return candidates.map((k, i) => quickFix(`Remove ${k} instead`, ctx.uri, [{ range: diagnostic.range, newText: k }], diagnostic, i === 0 && candidates.length === 1));
  },
};
