// The v2 → v3 rewrites of etcdctl command lines that are simple enough for a quick fix:
// `set K V` → `put K V`, `rm K` → `del K`, `ls P` → `get --prefix --keys-only P`,
// `get K` → `get --print-value-only K` (v2 printed only the value), `watch --recursive` →
// `watch --prefix`; and the `ETCDCTL_API=2` of the command line goes. Anything that needs more
// than a word swap — `--ttl` (a lease is needed), `mk`, `mkdir`, `exec-watch`, compare-and-swap,
// an ETCDCTL_API from the unit's environment — gets no fix.
import type { TextEdit } from 'vscode-languageserver-types';
import type { Word } from '../commandLine/types';
import type { Assignment } from '../unitFile/ast';
import { rangeInValue } from '../unitFile/parser';
import type { EtcdctlInvocation, EtcdFlag } from './etcdctl';
import { wordSpan } from './unitKeys';

export interface Rewrite {
  title: string;
  edits: TextEdit[];
}

const VERBS: Record<string, { to: string; flags: Record<string, string | null> }> = {
  set: { to: 'put', flags: {} },
  rm: { to: 'del', flags: {} },
  ls: { to: 'get --prefix --keys-only', flags: { recursive: null, r: null, sort: null } },
  get: { to: 'get --print-value-only', flags: { quorum: null, q: null } },
  watch: { to: 'watch', flags: { recursive: '--prefix', r: '--prefix', forever: null, f: null } },
};

/** The v3 rewrite of a v2 invocation, or undefined when it is not a simple word swap. */
export function v3Rewrite(inv: EtcdctlInvocation, assignment: Assignment): Rewrite | undefined {
  const spec = VERBS[inv.verb];
  if (!spec) return undefined;
  const api = inv.apiSetting;
  if (api && api.value !== '3' && !api.word) return undefined; // set outside this command line
  const edits: TextEdit[] = [];
  const argv = inv.command.argv;
  const wordRange = (from: number, to: number) => rangeInValue(assignment, from, to);
  const start = (w: Word) => wordSpan(assignment.value, w).from;
  const end = (w: Word) => w.offset + w.length;
  /** Deletes a word with the blank before it. */
  const drop = (w: Word) => {
    const i = argv.indexOf(w);
    const from = i > 0 ? end(argv[i - 1]) : start(w);
    edits.push({ range: wordRange(from, end(w)), newText: '' });
  };

  if (api?.word && api.value !== '3') {
    const w = api.word;
    if (api.source === 'assignment') {
      // `ETCDCTL_API=2 etcdctl …`: up to the next word.
      const next = [...inv.command.assignments, ...argv].find((x) => x.offset > w.offset);
      edits.push({ range: wordRange(start(w), next ? start(next) : end(w)), newText: '' });
    } else drop(w);
  }

  const flags: EtcdFlag[] = [...inv.globalFlags, ...inv.flags];
  let prefixAdded = false;
  for (const f of flags) {
    if (!isV2Only(inv, f)) continue;
    if (!(f.name in spec.flags)) return undefined;
    const replacement = spec.flags[f.name];
    if (f.valueWord) return undefined;
    if (replacement && !prefixAdded) {
      edits.push({ range: wordRange(start(f.word), end(f.word)), newText: replacement });
      prefixAdded = true;
    } else drop(f.word);
  }

  const verbWord = inv.verbWords[0];
  if (!verbWord) return undefined;
  const to = inv.verb === 'ls' && inv.keys.length === 0 ? `${spec.to} /` : spec.to;
  if (to !== inv.verb) edits.push({ range: wordRange(start(verbWord), end(verbWord)), newText: to });
  if (edits.length === 0) return undefined;
  return { title: `Rewrite for the etcd v3 API: etcdctl ${to}`, edits };
}

function isV2Only(inv: EtcdctlInvocation, f: EtcdFlag): boolean {
  return inv.v2Words.includes(f.word);
}
