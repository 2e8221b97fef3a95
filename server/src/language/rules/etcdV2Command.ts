import { quickFix } from '../features/edits';
import { V2_VERBS } from '../etcd/etcdctl';
import { v3Rewrite, type Rewrite } from '../etcd/rewrite';
import { etcdFacts, wordRange } from '../etcd/unitKeys';
import type { Rule } from './rule';

const WHY = 'off by default since etcd 3.4 and removed in 3.6, and its keys are invisible to v3 clients (etcdctl get/watch, etcd3 libraries) — the two APIs never see each other\'s keys';

/**
 * `etcdctl set … --ttl`, `ETCDCTL_API=2`, `ls`, `rm`, `watch --recursive`: the etcd v2 API, while the
 * cluster speaks v3 (`unitFleet.etcd.apiVersion`, default v3). Offers the simple rewrites.
 */
export const etcdV2Command: Rule = {
  code: 'etcd-v2-command',
  defaultSeverity: 'warning',
  description: 'An etcdctl command of the etcd v2 API (set, ls, rm, mk, --ttl, ETCDCTL_API=2, …) under unitFleet.etcd.apiVersion v3; quick fix for the simple rewrites.',
  check(ctx) {
    if (ctx.settings.etcdApiVersion === 'v2') return;
    for (const call of etcdFacts(ctx.workspace, ctx.uri, ctx.file).calls) {
      const inv = call.invocation;
      const api = inv.apiSetting?.value === '2' ? inv.apiSetting : undefined;
      if (inv.v2Words.length === 0 && !api) continue;
      const head = inv.verb.split(' ')[0];
      const verbIsV2 = V2_VERBS.has(head);
      const v2Flags = [...inv.globalFlags, ...inv.flags].filter((f) => inv.v2Words.includes(f.word));
      let what: string;
      if (verbIsV2) what = `\`etcdctl ${inv.verb}\` is the etcd v2 API`;
      else if (api) what = `ETCDCTL_API=2${api.source === 'unit' ? ' (from Environment=)' : api.source === 'export' ? ' (exported earlier in the script)' : ''} selects the etcd v2 API`;
      else what = `\`${v2Flags[0].word.text}\` is a flag of the etcd v2 API`;
      let message = `${what}: ${WHY}.`;
      const ttl = v2Flags.find((f) => f.name === 'ttl');
      const replacement = { set: 'put', update: 'put', mk: 'put', rm: 'del', rmdir: 'del --prefix', ls: 'get --prefix --keys-only', 'exec-watch': 'watch … -- command' }[head];
      if (replacement) message += ` The v3 command is \`etcdctl ${replacement}\`.`;
      if (ttl) {
        const n = ttl.value && /^\d+$/.test(ttl.value) ? ttl.value : 'TTL';
        message += ` --ttl has no v3 equivalent: grant a lease (\`etcdctl lease grant ${n}\`), write with \`etcdctl put --lease=ID\` and keep it alive with \`etcdctl lease keep-alive ID\` — the key then disappears when the machine dies.`;
      }
      const anchor = verbIsV2 ? inv.verbWords[0] : api?.word ?? v2Flags[0]?.word ?? inv.program;
      const fix = ttl ? undefined : v3Rewrite(inv, call.assignment);
      ctx.report({ range: wordRange(call.assignment, anchor), message, data: fix ? { fix } : undefined });
    }
  },
  fixes(diagnostic, ctx) {
    const fix = (diagnostic.data as { fix?: Rewrite } | undefined)?.fix;
    return fix ? [quickFix(fix.title, ctx.uri, fix.edits, diagnostic, true)] : [];
  },
};
