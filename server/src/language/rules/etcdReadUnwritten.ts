import { quickFix } from '../features/edits';
import { startsDynamic } from '../etcd/keys';
import { closestKey } from '../etcd/suggest';
import { etcdFacts, isWritten, liveKeyMatches, liveKeys, usagesMatch, writtenKeys } from '../etcd/unitKeys';
import type { Rule } from './rule';

/**
 * A key (or prefix) that a unit reads or watches, while no unit of the workspace writes it and no
 * key of the connected cluster matches — typically a typo two files away from the writer. Live
 * keys come from the cache the server fills from the cluster (rules are synchronous); without a
 * connected cluster the workspace alone decides.
 */
export const etcdReadUnwritten: Rule = {
  code: 'etcd-read-unwritten',
  defaultSeverity: 'warning',
  scope: 'workspace',
  description: 'An etcd key or prefix read or watched by etcdctl that no unit of the workspace writes and no live key matches; with did-you-mean.',
  check(ctx) {
    const own = etcdFacts(ctx.workspace, ctx.uri, ctx.file).usages;
    if (!own.some((u) => u.access === 'read' || u.access === 'watch')) return;
    // A document the workspace does not hold (not a unit file name) still counts its own writes.
    const ownWrites = ctx.workspace.get(ctx.uri) ? [] : own.filter((u) => u.access === 'write');
    for (const usage of own) {
      if (usage.access !== 'read' && usage.access !== 'watch') continue;
      if (usage.range || usage.key === '' || startsDynamic(usage.pattern)) continue;
      if (usage.prefix && usage.key.replace(/\/+$/, '') === '') continue; // everything
      if (isWritten(ctx.workspace, usage) || ownWrites.some((w) => usagesMatch(usage, w, 'cross'))) continue;
      if (liveKeyMatches(ctx.workspace, usage)) continue;
      const live = liveKeys(ctx.workspace);
      const suggestion = closestKey(usage.key, usage.prefix, [...writtenKeys(ctx.workspace), ...ownWrites.map((w) => w.key), ...live]);
      const verb = usage.access === 'watch' ? 'watches' : 'reads';
      const what = usage.prefix ? `keys under ${usage.key}` : usage.key;
      const message =
        `This ${verb} ${what}, but no unit in the workspace writes ${usage.prefix ? 'a key under that prefix' : 'that key'}` +
        `${live.size > 0 ? ' and no key on the connected cluster matches' : ''}.` +
        (suggestion ? ` Did you mean ${suggestion}?` : '');
      ctx.report({ range: usage.location, message, data: suggestion ? { suggestion } : undefined });
    }
  },
  fixes(diagnostic, ctx) {
    const suggestion = (diagnostic.data as { suggestion?: string } | undefined)?.suggestion;
    return suggestion ? [quickFix(`Change to ${suggestion}`, ctx.uri, [{ range: diagnostic.range, newText: suggestion }], diagnostic, true)] : [];
  },
};
