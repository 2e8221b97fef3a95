// The etcd keys of the workspace: for every unit file, the etcdctl invocations of its Exec*= lines
// and the key patterns they write, read, watch and remove — derived once per file revision through
// WorkspaceIndex.derive — and, once per workspace generation, all of them together for the
// cross-file rules, go to definition / find references and key completion.
import type { Range } from 'vscode-languageserver-types';
import { execLinesOf } from '../commandLine';
import type { ExecLine, Word } from '../commandLine/types';
import type { Assignment, UnitFile } from '../unitFile/ast';
import { rangeInValue } from '../unitFile/parser';
import type { IndexedUnit, WorkspaceIndex } from '../workspace/workspaceIndex';
import { etcdctlApiFromEnvironment, etcdctlInvocations, type EtcdctlInvocation, type KeyAccess } from './etcdctl';
import { literalPattern, patternsIntersect, type KeyPattern, type MatchMode } from './keys';

export interface EtcdCall {
  assignment: Assignment;
  line: ExecLine;
  invocation: EtcdctlInvocation;
}

export interface KeyUsage {
  uri: string;
  access: KeyAccess;
  /** Stands for every key starting with `key`. */
  prefix: boolean;
  /** `--from-key` or an explicit range end. */
  range: boolean;
  /** The key argument as written (quotes removed). */
  key: string;
  pattern: KeyPattern;
  /** The key argument in the document. */
  location: Range;
  /** `ExecStart`, `ExecStop`, … */
  directive: string;
  call: EtcdCall;
  word: Word;
}

export interface UnitEtcdFacts {
  calls: EtcdCall[];
  usages: KeyUsage[];
}

const NONE: UnitEtcdFacts = { calls: [], usages: [] };

/** The etcdctl calls and key usages of one parsed unit file. */
export function etcdFactsOf(file: UnitFile, uri: string): UnitEtcdFacts {
  const environment: string[] = [];
  for (const s of file.sections) for (const a of s.entries) if (a.key === 'Environment') environment.push(a.value);
  const unitApi = etcdctlApiFromEnvironment(environment);
  const calls: EtcdCall[] = [];
  const usages: KeyUsage[] = [];
  for (const { assignment, line } of execLinesOf(file)) {
    if (!assignment.value.includes('etcdctl')) continue;
    for (const invocation of etcdctlInvocations(line.commands, unitApi)) {
      const call: EtcdCall = { assignment, line, invocation };
      calls.push(call);
      for (const k of invocation.keys) {
        usages.push({
          uri,
          access: k.access,
          prefix: k.prefix,
          range: k.range,
          key: k.word.text,
          pattern: k.pattern,
          location: wordRange(assignment, k.word),
          directive: assignment.key,
          call,
          word: k.word,
        });
      }
    }
  }
  return { calls, usages };
}

/**
 * Where a word lies in the assignment's value, opening quote included. (Exec-level words may
 * report their offset after an opening quote while their length counts it; this evens that out
 * and leaves correct spans alone.)
 */
export function wordSpan(value: string, word: Word): { from: number; to: number } {
  let from = word.offset;
  const to = word.offset + word.length;
  const last = value[to - 1];
  if ((last === '"' || last === "'") && value[from] !== last && value[from - 1] === last && to - from > 1) from--;
  return { from, to };
}

/** A word's range in the document. */
export function wordRange(assignment: Assignment, word: Word): Range {
  const { from, to } = wordSpan(assignment.value, word);
  return rangeInValue(assignment, from, to);
}

/**
 * The facts of `uri`, memoized per file revision when the workspace holds that very parse;
 * `file` is used directly otherwise (a document the index does not know).
 */
export function etcdFacts(workspace: WorkspaceIndex, uri: string, file: UnitFile): UnitEtcdFacts {
  const unit = workspace.get(uri);
  if (unit && unit.file === file) return factsOfUnit(workspace, unit);
  return file.lines.some((l) => l.includes('etcdctl')) ? etcdFactsOf(file, uri) : NONE;
}

/** The last facts seen per unit entry with the revision they belong to (skips the text scan of unchanged files). */
const seen = new WeakMap<IndexedUnit, { revision: number; facts: UnitEtcdFacts }>();

function factsOfUnit(workspace: WorkspaceIndex, unit: IndexedUnit): UnitEtcdFacts {
  const last = seen.get(unit);
  if (last && last.revision === unit.revision) return last.facts;
  // Most unit files never mention etcdctl: they need not even be parsed.
  const facts = unit.text.includes('etcdctl') ? workspace.derive(unit, 'etcd-keys', (u) => etcdFactsOf(u.file, u.uri)) : NONE;
  seen.set(unit, { revision: unit.revision, facts });
  return facts;
}

export interface WorkspaceKeys {
  generation: number;
  /** Every key usage of the workspace. */
  usages: KeyUsage[];
  writes: KeyUsage[];
}

/**
 * The usages of the workspace, kept up to date incrementally: on each new workspace generation
 * only the files whose revision changed are re-read. Usages are filed under their literal head
 * (the text before the first placeholder) and under every `/`-boundary prefix of it, so the
 * usages whose keys may overlap a pattern's are found without scanning the workspace.
 */
class KeyIndex {
  generation = -1;
  private readonly files = new Map<string, { revision: number; usages: KeyUsage[] }>();
  private readonly byHead = new Map<string, Set<KeyUsage>>();
  private readonly byBoundary = new Map<string, Set<KeyUsage>>();
  private flat: WorkspaceKeys | undefined;

  constructor(private readonly workspace: WorkspaceIndex) {}

  sync(): void {
    const ws = this.workspace;
    if (this.generation === ws.generation) return;
    for (const unit of ws.units()) {
      const known = this.files.get(unit.uri);
      if (known && known.revision === unit.revision) continue;
      if (known) this.unfile(known.usages);
      const usages = factsOfUnit(ws, unit).usages;
      this.files.set(unit.uri, { revision: unit.revision, usages });
      this.file(usages);
    }
    // Every unit is filed now; more files than units means some were removed.
    if (this.files.size !== ws.size) {
      for (const [uri, known] of this.files) {
        if (ws.get(uri)) continue;
        this.unfile(known.usages);
        this.files.delete(uri);
      }
    }
    this.generation = ws.generation;
    this.flat = undefined;
  }

  /** Distinct written keys with their number of writers. */
  readonly writeKeys = new Map<string, number>();

  private file(usages: KeyUsage[]): void {
    for (const u of usages) {
      add(this.byHead, u.pattern.head, u);
      for (const b of boundaries(u.pattern.head)) add(this.byBoundary, b, u);
      if (u.access === 'write') this.writeKeys.set(u.key, (this.writeKeys.get(u.key) ?? 0) + 1);
    }
  }

  private unfile(usages: KeyUsage[]): void {
    for (const u of usages) {
      this.byHead.get(u.pattern.head)?.delete(u);
      for (const b of boundaries(u.pattern.head)) this.byBoundary.get(b)?.delete(u);
      if (u.access === 'write') {
        const n = (this.writeKeys.get(u.key) ?? 1) - 1;
        if (n > 0) this.writeKeys.set(u.key, n);
        else this.writeKeys.delete(u.key);
      }
    }
  }

  /** Usages whose literal head is compatible with the pattern's (a superset of the matches). */
  candidates(pattern: KeyPattern): KeyUsage[] {
    this.sync();
    const h = pattern.head;
    const result: KeyUsage[] = [];
    // Heads that are prefixes of h (h itself included).
    for (let k = 0; k <= h.length; k++) {
      const set = this.byHead.get(h.slice(0, k));
      if (set) for (const u of set) result.push(u);
    }
    // Longer heads that start with h: filed under h's last boundary.
    const set = this.byBoundary.get(h.slice(0, h.lastIndexOf('/') + 1));
    if (set) for (const u of set) if (u.pattern.head.length > h.length && u.pattern.head.startsWith(h)) result.push(u);
    return result;
  }

  all(): WorkspaceKeys {
    this.sync();
    if (!this.flat) {
      const usages: KeyUsage[] = [];
      for (const f of this.files.values()) for (const u of f.usages) usages.push(u);
      this.flat = { generation: this.generation, usages, writes: usages.filter((u) => u.access === 'write') };
    }
    return this.flat;
  }
}

function add(map: Map<string, Set<KeyUsage>>, key: string, u: KeyUsage): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(u);
}

/** '' and every prefix of `head` that ends in `/`. */
function boundaries(head: string): string[] {
  const result = [''];
  for (let i = head.indexOf('/'); i >= 0; i = head.indexOf('/', i + 1)) result.push(head.slice(0, i + 1));
  return result;
}

const indexes = new WeakMap<WorkspaceIndex, KeyIndex>();

function indexOf(workspace: WorkspaceIndex): KeyIndex {
  let index = indexes.get(workspace);
  if (!index) indexes.set(workspace, (index = new KeyIndex(workspace)));
  return index;
}

/** All key usages of the workspace (flattened once per workspace generation, on demand). */
export function workspaceKeys(workspace: WorkspaceIndex): WorkspaceKeys {
  return indexOf(workspace).all();
}

/** The distinct keys the workspace writes, as written. */
export function writtenKeys(workspace: WorkspaceIndex): string[] {
  const index = indexOf(workspace);
  index.sync();
  return [...index.writeKeys.keys()];
}

/** True when the keys two usages stand for overlap (same-unit mode inside one file). */
export function usagesMatch(a: KeyUsage, b: KeyUsage, mode?: MatchMode): boolean {
  const m = mode ?? (a.uri === b.uri ? 'same-unit' : 'cross');
  return patternsIntersect(a.pattern, a.prefix, b.pattern, b.prefix, m);
}

/** The usages of the workspace whose keys overlap `usage`'s (same-unit matching inside its own file). */
export function matchingUsages(workspace: WorkspaceIndex, usage: KeyUsage, mode?: MatchMode): KeyUsage[] {
  return indexOf(workspace).candidates(usage.pattern).filter((u) => usagesMatch(usage, u, mode));
}

/** True when some unit of the workspace writes a key that `usage` reads (cross-unit matching). */
export function isWritten(workspace: WorkspaceIndex, usage: KeyUsage): boolean {
  return indexOf(workspace).candidates(usage.pattern).some((u) => u.access === 'write' && usagesMatch(usage, u, 'cross'));
}

/** The files whose key usages overlap those of `uri` (they need re-checking when `uri` changes). */
export function dependentFiles(workspace: WorkspaceIndex, uri: string): string[] {
  const unit = workspace.get(uri);
  if (!unit) return [];
  const result = new Set<string>();
  for (const own of factsOfUnit(workspace, unit).usages) {
    for (const u of matchingUsages(workspace, own, 'cross')) if (u.uri !== uri) result.add(u.uri);
  }
  return [...result];
}

// --- live keys ------------------------------------------------------------------------------
// Rules are synchronous; live keys come from the connected cluster asynchronously. The language
// service fills this cache (at start and whenever key completion asks the cluster), and the rules
// read whatever it holds.

interface LiveKeys {
  keys: Set<string>;
}
const liveCache = new WeakMap<WorkspaceIndex, LiveKeys>();

/** Remembers keys seen on the connected cluster. Returns true when something new was learnt. */
export function rememberLiveKeys(workspace: WorkspaceIndex, keys: readonly string[], replace = false): boolean {
  let live = liveCache.get(workspace);
  if (!live || replace) {
    const before = live?.keys;
    live = { keys: new Set(keys) };
    liveCache.set(workspace, live);
    if (!before) return live.keys.size > 0;
    return before.size !== live.keys.size || [...live.keys].some((k) => !before.has(k));
  }
  let added = false;
  for (const k of keys) {
    if (!live.keys.has(k)) {
      live.keys.add(k);
      added = true;
    }
  }
  return added;
}

/** Live keys known so far (empty when no cluster answered). */
export function liveKeys(workspace: WorkspaceIndex): ReadonlySet<string> {
  return liveCache.get(workspace)?.keys ?? new Set();
}

/** True when a live key matches `usage` (an exact read of that key, or one under its prefix). */
export function liveKeyMatches(workspace: WorkspaceIndex, usage: KeyUsage): boolean {
  for (const k of liveKeys(workspace)) {
    if (patternsIntersect(usage.pattern, usage.prefix, literalPattern(k), false, 'cross')) return true;
  }
  return false;
}
