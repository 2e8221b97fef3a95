// The scheduler's working model: units and machines indexed once (names sorted, relations between
// units precomputed), plus the mutable "what runs where" state and the one question everything
// else asks: what keeps unit u off machine m?
//
// The fleet rules reproduced here (coreos/fleet at its last release):
//  - AbleToRun (agent/state.go): MachineID (full id or its 8-character short form,
//    machine/state.go MatchID), MachineMetadata (machine/machine.go HasMetadata: every key present
//    with one of the accepted values), MachineOf peers all on the machine, no Conflicts either
//    way (HasConflict checks the candidate's globs against every unit there and every unit's
//    globs against the candidate; a unit never conflicts with itself), Replaces.
//  - Conflicts values are split on whitespace (job.go Conflicts → splitCombine); Conflicts and
//    Replaces are Go path.Match globs over the whole unit name (agent/state.go globMatches).
//  - A pair of units that replace each other is ignored (agent/state.go hasReplace).
//  - Global units (engine/state.go agents(), agent/reconcile.go desiredAgentState) run on every
//    machine with the metadata where no unit conflicts with them; other options are ignored.
import { globMatch } from '../../../../server/src/language/fleet/glob';
import type { MachineState, PlacementInput, ScheduledUnit } from './types';

const GLOB_SYNTAX = /[*?[\\]/;

export interface UnitNode {
  readonly index: number;
  readonly name: string;
  readonly global: boolean;
  readonly machineId: string | undefined;
  /** MachineMetadata, keys sorted: [key, accepted values]. */
  readonly metadata: ReadonlyArray<readonly [string, readonly string[]]>;
  /** Units that may not share a machine with this one (either side's Conflicts glob matches), sorted. */
  conflicts: number[];
  conflictSet: Set<number>;
  /** Non-global units this one displaces from its machine (Replaces), sorted. */
  replaces: number[];
  /** Non-global units that displace this one. */
  replacedBy: number[];
  /** MachineOf targets that are among the units, sorted. */
  targets: number[];
  /** MachineOf targets that are not among the units. */
  missingTargets: string[];
  /** Non-global units whose MachineOf names this one. */
  followers: number[];
  /** Why this unit can never be placed, whatever the machines (MachineOf cycle, missing target). */
  doomed: string | undefined;
}

export interface MachineNode {
  readonly index: number;
  readonly id: string;
  readonly shortId: string;
  readonly label: string;
  readonly state: MachineState;
  readonly alive: boolean;
}

export type Obstacle =
  | { kind: 'down' }
  | { kind: 'pin'; pin: string }
  | { kind: 'metadata' }
  | { kind: 'target'; target: number }
  | { kind: 'conflict'; other: number }
  | { kind: 'replacedBy'; other: number }
  | { kind: 'replaceLocked'; other: number };

export interface ObstacleOptions {
  /** Units being placed on the machine together with this one. */
  together?: ReadonlySet<number>;
  /** Report every obstacle (for explanations) instead of stopping at the first. */
  all?: boolean;
  /** Global units are not placed yet: a global MachineOf target counts as present where its metadata fits. */
  globalsPending?: boolean;
}

/** Code-unit order, as Go compares strings (byte order for ASCII). */
export const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The short form of a machine id (fleet's ShortID: the first 8 characters). */
export function shortMachineId(id: string): string {
  return id.length <= 8 ? id : id.slice(0, 8);
}

function machineLabel(m: MachineState): string {
  if (m.hostname) return m.hostname;
  return m.id.length <= 12 ? m.id : `${m.id.slice(0, 8)}…`;
}

function splitWords(values: readonly string[]): string[] {
  const out: string[] = [];
  for (const v of values) for (const w of v.split(/\s+/)) if (w) out.push(w);
  return out;
}

export class Cluster {
  readonly units: UnitNode[];
  readonly unitIndex = new Map<string, number>();
  readonly machines: MachineNode[];
  readonly machineIndex = new Map<string, number>();
  readonly alive: number[];
  readonly globals: number[];

  /** Non-global unit → machine index, or -1. */
  readonly pos: Int32Array;
  /** Global unit → machines it runs on. */
  readonly globalOn: Set<number>[];
  /** Machine → units on it (non-global and global). */
  readonly here: Set<number>[];
  /** Units displaced once in this run; they are not displaced again (keeps Replaces chains finite). */
  readonly displaced: Uint8Array;

  constructor(units: readonly ScheduledUnit[], machines: readonly MachineState[]) {
    const sortedUnits = [...units].sort((a, b) => byString(a.name, b.name));
    for (let i = 1; i < sortedUnits.length; i++) {
      if (sortedUnits[i].name === sortedUnits[i - 1].name) throw new Error(`unit ${sortedUnits[i].name} is listed twice`);
    }
    const sortedMachines = [...machines].sort((a, b) => byString(a.id, b.id));
    for (let i = 1; i < sortedMachines.length; i++) {
      if (sortedMachines[i].id === sortedMachines[i - 1].id) throw new Error(`machine ${sortedMachines[i].id} is listed twice`);
    }

    this.machines = sortedMachines.map((state, index) => ({ index, id: state.id, shortId: shortMachineId(state.id), label: machineLabel(state), state, alive: state.alive }));
    this.machines.forEach((m) => this.machineIndex.set(m.id, m.index));
    this.alive = this.machines.filter((m) => m.alive).map((m) => m.index);

    sortedUnits.forEach((u, i) => this.unitIndex.set(u.name, i));
    this.units = sortedUnits.map((u, index) => {
      const r = u.requirements;
      return {
        index,
        name: u.name,
        global: r.global === true,
        machineId: r.machineId,
        metadata: Object.keys(r.metadata ?? {})
          .sort(byString)
          .map((k) => [k, r.metadata[k]] as const),
        conflicts: [],
        conflictSet: new Set<number>(),
        replaces: [],
        replacedBy: [],
        targets: [],
        missingTargets: [],
        followers: [],
        doomed: undefined,
      };
    });
    this.globals = this.units.filter((u) => u.global).map((u) => u.index);

    this.relate(sortedUnits);

    const n = this.units.length;
    this.pos = new Int32Array(n).fill(-1);
    this.globalOn = this.units.map(() => new Set<number>());
    this.here = this.machines.map(() => new Set<number>());
    this.displaced = new Uint8Array(n);
  }

  // ---- relations ---------------------------------------------------------------------------

  private readonly patternCache = new Map<string, number[]>();

  /** Units whose name the glob matches (a plain name is looked up directly). */
  private matching(pattern: string): number[] {
    let hit = this.patternCache.get(pattern);
    if (hit) return hit;
    if (!GLOB_SYNTAX.test(pattern)) {
      const i = this.unitIndex.get(pattern);
      hit = i === undefined ? [] : [i];
    } else {
      // Names are sorted, so the pattern's literal prefix selects a contiguous range.
      const prefix = pattern.slice(0, pattern.search(GLOB_SYNTAX));
      let lo = 0;
      let hi = this.units.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.units[mid].name < prefix) lo = mid + 1;
        else hi = mid;
      }
      hit = [];
      for (let i = lo; i < this.units.length && this.units[i].name.startsWith(prefix); i++) if (globMatch(pattern, this.units[i].name)) hit.push(i);
    }
    this.patternCache.set(pattern, hit);
    return hit;
  }

  private relate(input: readonly ScheduledUnit[]): void {
    const units = this.units;
    // Conflicts, both ways.
    input.forEach((u, i) => {
      for (const pattern of new Set(splitWords(u.requirements.conflicts ?? []))) {
        for (const j of this.matching(pattern)) {
          if (j === i) continue;
          units[i].conflictSet.add(j);
          units[j].conflictSet.add(i);
        }
      }
    });
    for (const u of units) u.conflicts = [...u.conflictSet].sort((a, b) => a - b);

    // Replaces between non-global units; a pair that replace each other is ignored.
    const replaces = units.map(() => new Set<number>());
    input.forEach((u, i) => {
      if (units[i].global) return;
      for (const pattern of u.requirements.replaces ?? []) {
        for (const j of this.matching(pattern)) if (j !== i && !units[j].global) replaces[i].add(j);
      }
    });
    replaces.forEach((set, i) => {
      for (const j of set) {
        if (replaces[j].has(i)) continue;
        units[i].replaces.push(j);
        units[j].replacedBy.push(i);
      }
    });
    for (const u of units) {
      u.replaces.sort((a, b) => a - b);
      u.replacedBy.sort((a, b) => a - b);
    }

    // MachineOf (ignored on global units).
    input.forEach((u, i) => {
      const node = units[i];
      if (node.global) return;
      const targets = new Set<number>();
      const missing = new Set<string>();
      for (const t of u.requirements.machineOf ?? []) {
        const j = this.unitIndex.get(t);
        if (j === undefined) missing.add(t);
        else targets.add(j);
      }
      node.targets = [...targets].sort((a, b) => a - b);
      node.missingTargets = [...missing].sort(byString);
      for (const t of node.targets) if (!units[t].global && t !== i) units[t].followers.push(i);
    });
    for (const u of units) u.followers.sort((a, b) => a - b);

    for (const u of units) {
      if (u.missingTargets.length) {
        const names = u.missingTargets.join(', ');
        u.doomed = `MachineOf target ${names} ${u.missingTargets.length > 1 ? 'are' : 'is'} not among the units to schedule`;
      } else if (u.targets.includes(u.index)) {
        u.doomed = 'MachineOf names the unit itself, so it can never be placed';
      }
    }
    for (const scc of this.machineOfCycles()) {
      const names = scc.map((i) => units[i].name);
      const list = names.length === 2 ? `${names[0]} and ${names[1]}` : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
      for (const i of scc) units[i].doomed ??= `MachineOf forms a cycle between ${list}; fleet cannot place units that follow each other`;
    }
  }

  /** Strongly connected components of more than one unit in the MachineOf graph (Tarjan, iterative). */
  private machineOfCycles(): number[][] {
    const n = this.units.length;
    const index = new Int32Array(n).fill(-1);
    const low = new Int32Array(n);
    const onStack = new Uint8Array(n);
    const stack: number[] = [];
    const out: number[][] = [];
    let counter = 0;
    for (let root = 0; root < n; root++) {
      if (index[root] !== -1 || this.units[root].global) continue;
      const work: Array<[number, number]> = [[root, 0]];
      index[root] = low[root] = counter++;
      stack.push(root);
      onStack[root] = 1;
      while (work.length) {
        const frame = work[work.length - 1];
        const [v, k] = frame;
        const targets = this.units[v].targets;
        if (k < targets.length) {
          frame[1]++;
          const w = targets[k];
          if (this.units[w].global) continue;
          if (index[w] === -1) {
            index[w] = low[w] = counter++;
            stack.push(w);
            onStack[w] = 1;
            work.push([w, 0]);
          } else if (onStack[w]) low[v] = Math.min(low[v], index[w]);
          continue;
        }
        work.pop();
        if (work.length) {
          const parent = work[work.length - 1][0];
          low[parent] = Math.min(low[parent], low[v]);
        }
        if (low[v] === index[v]) {
          const scc: number[] = [];
          let w: number;
          do {
            w = stack.pop()!;
            onStack[w] = 0;
            scc.push(w);
          } while (w !== v);
          if (scc.length > 1) out.push(scc.sort((a, b) => a - b));
        }
      }
    }
    return out;
  }

  /** Non-global units, MachineOf targets before their followers, otherwise by name; units on cycles last. */
  topologicalOrder(): number[] {
    const units = this.units;
    const pending = new Int32Array(units.length);
    for (const u of units) {
      if (u.global) continue;
      pending[u.index] = u.targets.filter((t) => !units[t].global).length;
    }
    const heap = new MinHeap();
    for (const u of units) if (!u.global && pending[u.index] === 0) heap.push(u.index);
    const order: number[] = [];
    const done = new Uint8Array(units.length);
    while (heap.size) {
      const u = heap.pop();
      order.push(u);
      done[u] = 1;
      for (const f of units[u].followers) if (--pending[f] === 0) heap.push(f);
    }
    for (const u of units) if (!u.global && !done[u.index]) order.push(u.index);
    return order;
  }

  // ---- state -------------------------------------------------------------------------------

  isOn(u: number, m: number): boolean {
    return this.units[u].global ? this.globalOn[u].has(m) : this.pos[u] === m;
  }

  load(m: number): number {
    return this.here[m].size;
  }

  place(u: number, m: number): void {
    if (this.units[u].global) this.globalOn[u].add(m);
    else {
      if (this.pos[u] !== -1) this.here[this.pos[u]].delete(u);
      this.pos[u] = m;
    }
    this.here[m].add(u);
  }

  unplace(u: number): void {
    const m = this.pos[u];
    if (m === -1) return;
    this.here[m].delete(u);
    this.pos[u] = -1;
  }

  /** Loads a placement as given (explanations): unknown units and machines are skipped. */
  loadPlacement(placement: PlacementInput): void {
    for (const name of Object.keys(placement).sort(byString)) {
      const u = this.unitIndex.get(name);
      if (u === undefined) continue;
      const raw = placement[name];
      const ids = (typeof raw === 'string' ? [raw] : [...raw]).sort(byString);
      for (const id of ids) {
        const m = this.machineIndex.get(id);
        if (m === undefined) continue;
        this.place(u, m);
        if (!this.units[u].global) break;
      }
    }
  }

  // ---- constraints -------------------------------------------------------------------------

  pinOk(u: number, m: number): boolean {
    const pin = this.units[u].machineId;
    if (pin === undefined) return true;
    const mach = this.machines[m];
    return mach.id === pin || mach.shortId === pin;
  }

  metadataOk(u: number, m: number): boolean {
    const md = this.machines[m].state.metadata;
    for (const [key, values] of this.units[u].metadata) {
      if (!Object.prototype.hasOwnProperty.call(md, key) || !values.includes(md[key])) return false;
    }
    return true;
  }

  /** The units that leave machine m with u: u and, transitively, its followers there. */
  cascade(u: number, m: number): number[] {
    const out = [u];
    for (let i = 0; i < out.length; i++) {
      for (const f of this.units[out[i]].followers) if (this.pos[f] === m && !out.includes(f)) out.push(f);
    }
    return out;
  }

  /**
   * What keeps unit u off machine m (empty: it may go there). With `together`, the units of that
   * set count as being on m too. Stops at the first obstacle unless `all` is set.
   */
  obstacles(u: number, m: number, opts: ObstacleOptions = {}): Obstacle[] {
    const out: Obstacle[] = [];
    const all = opts.all === true;
    const together = opts.together;
    const node = this.units[u];
    const mach = this.machines[m];
    const add = (o: Obstacle): boolean => {
      out.push(o);
      return !all;
    };
    const present = (x: number): boolean => (together !== undefined && together.has(x)) || this.isOn(x, m);

    if (!mach.alive && add({ kind: 'down' })) return out;
    if (!node.global) {
      if (node.machineId !== undefined && !this.pinOk(u, m) && add({ kind: 'pin', pin: node.machineId })) return out;
    }
    if (node.metadata.length && !this.metadataOk(u, m) && add({ kind: 'metadata' })) return out;
    if (!node.global) {
      for (const t of node.targets) {
        const there = this.units[t].global && opts.globalsPending ? this.metadataOk(t, m) : t !== u && present(t);
        if (!there && add({ kind: 'target', target: t })) return out;
      }
    }
    if (node.conflicts.length) {
      const local = this.here[m];
      if (node.conflicts.length <= local.size + (together?.size ?? 0) || all) {
        for (const c of node.conflicts) if (present(c) && add({ kind: 'conflict', other: c })) return out;
      } else {
        for (const c of local) if (c !== u && node.conflictSet.has(c) && add({ kind: 'conflict', other: c })) return out;
        if (together) for (const c of together) if (c !== u && !local.has(c) && node.conflictSet.has(c) && add({ kind: 'conflict', other: c })) return out;
      }
    }
    if (node.global) return out;
    for (const r of node.replacedBy) if (present(r) && add({ kind: 'replacedBy', other: r })) return out;
    for (const v of node.replaces) {
      if (together?.has(v)) {
        if (add({ kind: 'replaceLocked', other: v })) return out;
        continue;
      }
      if (!this.isOn(v, m)) continue;
      if (!this.displaceable(v, m, u, together) && add({ kind: 'replaceLocked', other: v })) return out;
    }
    return out;
  }

  /** Whether v (on m) may be displaced from m by u (and the units placed with it). */
  private displaceable(v: number, m: number, u: number, together: ReadonlySet<number> | undefined): boolean {
    if (this.displaced[v]) return false;
    const leaving = this.cascade(v, m);
    const placing = together ?? new Set([u]);
    for (const p of placing) {
      if (leaving.includes(p)) return false;
      for (const t of this.units[p].targets) if (leaving.includes(t)) return false;
    }
    return true;
  }
}

class MinHeap {
  private readonly a: number[] = [];
  get size(): number {
    return this.a.length;
  }
  push(x: number): void {
    const a = this.a;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p] <= a[i]) break;
      [a[p], a[i]] = [a[i], a[p]];
      i = p;
    }
  }
  pop(): number {
    const a = this.a;
    const top = a[0];
    const last = a.pop()!;
    if (a.length) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let s = i;
        if (l < a.length && a[l] < a[s]) s = l;
        if (r < a.length && a[r] < a[s]) s = r;
        if (s === i) break;
        [a[s], a[i]] = [a[i], a[s]];
        i = s;
      }
    }
    return top;
  }
}
