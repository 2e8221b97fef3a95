// fleet's scheduling as a pure function: units + machines + current placement → a placement, or
// the reasons a unit cannot be placed. Deterministic and independent of input order (units and
// machines are sorted by name / id first; every choice is made in that order).
//
// How it runs (fleet's engine reconciler, engine/reconciler.go, made deterministic):
//  1. Keep: every non-global unit of `current` stays where it is if that machine is alive and
//     still able to run it (fleet's first reconcile loop: unschedule only when the machine went
//     away or AbleToRun fails). Units are visited MachineOf targets first, then by name, so a
//     follower stays only if its target stayed; of two units that now conflict on one machine,
//     the first visited stays. A unit on the machine of a unit that Replaces it leaves (with its
//     MachineOf followers).
//  2. Global units go on every alive machine with their metadata where nothing conflicts with
//     them (engine/state.go agents(): scheduled units first, then global units where they fit;
//     a global unit already on a machine keeps priority over another global unit it conflicts with).
//  3. Place the rest: each group of units tied by MachineOf goes, if it can, as a whole onto the
//     least-loaded machine able to run all its members (load = units on the machine, global ones
//     included, as fleet's leastLoadedScheduler counts them; ties go to the lowest machine id);
//     otherwise member by member, targets first, each onto the least-loaded machine able to run
//     it (for a follower: its target's machine). Most constrained groups go first. A unit that
//     Replaces units on the chosen machine displaces them; they are placed again. Repeated
//     until nothing changes.
import { Cluster, byString, type Obstacle } from './model';
import { obstacleText, unschedulableReasons } from './explain';
import type { Eviction, MachineState, Placement, PlacementInput, ScheduledUnit, ScheduleResult, Unschedulable } from './types';

export function schedule(units: readonly ScheduledUnit[], machines: readonly MachineState[], current: PlacementInput = {}): ScheduleResult {
  const c = new Cluster(units, machines);
  const order = c.topologicalOrder();
  const evictions: Array<{ unit: number; from: string; reason: string }> = [];
  const label = (m: number): string => c.machines[m].label;

  const currentIds = (u: number): string[] => {
    const raw = Object.prototype.hasOwnProperty.call(current, c.units[u].name) ? current[c.units[u].name] : undefined;
    if (raw === undefined) return [];
    return [...new Set(typeof raw === 'string' ? [raw] : raw)].sort(byString);
  };

  /** u leaves machine m, and so do its MachineOf followers there. */
  const evict = (u: number, m: number, reason: string): void => {
    for (const x of c.cascade(u, m)) {
      c.unplace(x);
      evictions.push({ unit: x, from: c.machines[m].id, reason: x === u ? reason : `it follows ${c.units[u].name} (MachineOf), which had to leave ${label(m)}` });
    }
  };

  /** After u went onto m: the units it replaces there leave. */
  const displaceReplaced = (u: number, m: number): void => {
    for (const v of c.units[u].replaces) {
      if (c.pos[v] !== m) continue;
      c.displaced[v] = 1;
      evict(v, m, replacedText(c.units[u].name));
    }
  };

  // 1. Keep what still fits. A non-global unit listed on several machines (a stale copy) keeps
  //    the copy its MachineOf followers share, then the one on the lowest id.
  for (const u of order) {
    const node = c.units[u];
    let ids = currentIds(u);
    if (ids.length > 1 && node.followers.length) {
      const company = (id: string): number => node.followers.filter((f) => currentIds(f).includes(id)).length;
      ids = ids.map((id) => ({ id, n: company(id) })).sort((a, b) => b.n - a.n || byString(a.id, b.id)).map((x) => x.id);
    }
    for (const id of ids) {
      const m = c.machineIndex.get(id);
      let why: string | undefined;
      if (c.pos[u] !== -1) why = `another copy of it stays on ${label(c.pos[u])}`;
      else if (m === undefined) why = `machine ${id} is no longer in the cluster`;
      else if (node.doomed) why = node.doomed;
      else {
        const obstacle: Obstacle | undefined = c.obstacles(u, m, { globalsPending: true })[0];
        if (obstacle?.kind === 'replacedBy') {
          c.displaced[u] = 1;
          why = replacedText(c.units[obstacle.other].name);
        } else if (obstacle) why = obstacleText(c, u, m, obstacle);
      }
      if (why !== undefined) {
        evictions.push({ unit: u, from: id, reason: why });
        continue;
      }
      c.place(u, m!);
      displaceReplaced(u, m!);
    }
  }

  // 2. Global units.
  fillGlobals(c, (g, m) => currentIds(g).includes(c.machines[m].id));
  for (const u of order) {
    const m = c.pos[u];
    if (m === -1) continue;
    const missing = c.units[u].targets.find((t) => c.units[t].global && !c.globalOn[t].has(m));
    if (missing !== undefined) evict(u, m, `its MachineOf target ${c.units[missing].name} does not run on ${label(m)}`);
  }

  // 3. Place the rest, until nothing changes.
  const group = groups(c);
  const limit = 2 * c.units.length + 2;
  for (let round = 0; round < limit; round++) {
    let progress = false;
    for (const members of pendingGroups(c, order, group)) if (placeGroup(c, members, displaceReplaced)) progress = true;
    if (fillGlobals(c)) progress = true;
    if (!progress) break;
  }

  // Result.
  const placement: Placement = {};
  const unschedulable: Unschedulable[] = [];
  for (const node of c.units) {
    const on = node.global ? [...c.globalOn[node.index]].sort((a, b) => a - b) : c.pos[node.index] === -1 ? [] : [c.pos[node.index]];
    if (on.length) placement[node.name] = on.map((m) => c.machines[m].id);
    else unschedulable.push({ unit: node.name, reasons: unschedulableReasons(c, node.index) });
  }
  const evicted: Eviction[] = [];
  for (const e of evictions) {
    const to = placement[c.units[e.unit].name]?.[0];
    if (to === e.from) continue;
    const item: Eviction = { unit: c.units[e.unit].name, from: e.from, reason: e.reason };
    if (to !== undefined) item.to = to;
    evicted.push(item);
  }
  evicted.sort((a, b) => byString(a.unit, b.unit) || byString(a.from, b.from));
  return { placement, unschedulable, evicted };
}

const replacedText = (by: string): string => `replaced by ${by} (Replaces=)`;

/**
 * Puts every global unit on every alive machine where it fits; on each machine, units for which
 * `preferred` holds are tried first, then by name. Returns whether anything was placed.
 */
function fillGlobals(c: Cluster, preferred?: (g: number, m: number) => boolean): boolean {
  if (c.globals.length === 0) return false;
  let changed = false;
  for (const m of c.alive) {
    let candidates = c.globals.filter((g) => !c.globalOn[g].has(m));
    if (preferred) candidates = [...candidates.filter((g) => preferred(g, m)), ...candidates.filter((g) => !preferred(g, m))];
    for (const g of candidates) {
      if (c.obstacles(g, m).length) continue;
      c.place(g, m);
      changed = true;
    }
  }
  return changed;
}

/** Union-find over non-global units that can be placed at all: units tied by MachineOf share a group. */
function groups(c: Cluster): Int32Array {
  const parent = new Int32Array(c.units.length).map((_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  };
  for (const u of c.units) {
    if (u.global || u.doomed) continue;
    for (const t of u.targets) {
      const target = c.units[t];
      if (target.global || target.doomed) continue;
      const a = find(u.index);
      const b = find(t);
      if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
    }
  }
  return parent.map((_, i) => find(i));
}

/** The unplaced units by group (members in topological order), most constrained groups first. */
function pendingGroups(c: Cluster, order: readonly number[], group: Int32Array): number[][] {
  const byGroup = new Map<number, number[]>();
  for (const u of order) {
    const node = c.units[u];
    if (node.global || node.doomed || c.pos[u] !== -1) continue;
    const list = byGroup.get(group[u]);
    if (list) list.push(u);
    else byGroup.set(group[u], [u]);
  }
  const keyed = [...byGroup.values()].map((members) => {
    let eligible = 0;
    for (const m of c.alive) if (members.every((p) => c.pinOk(p, m) && c.metadataOk(p, m))) eligible++;
    return { members, eligible, first: Math.min(...members) };
  });
  keyed.sort((a, b) => a.eligible - b.eligible || a.first - b.first);
  return keyed.map((k) => k.members);
}

/** The least-loaded alive machine (lowest id on ties) able to run all of `members` together, or -1. */
function pick(c: Cluster, members: readonly number[], together: ReadonlySet<number> | undefined): number {
  let best = -1;
  let bestLoad = Infinity;
  for (const m of c.alive) {
    const load = c.load(m);
    if (load >= bestLoad) continue;
    if (members.every((p) => c.obstacles(p, m, { together }).length === 0)) {
      best = m;
      bestLoad = load;
    }
  }
  return best;
}

function placeGroup(c: Cluster, members: readonly number[], displaceReplaced: (u: number, m: number) => void): boolean {
  if (members.length > 1) {
    const m = pick(c, members, new Set(members));
    if (m !== -1) {
      for (const p of members) c.place(p, m);
      for (const p of members) displaceReplaced(p, m);
      return true;
    }
  }
  let placed = false;
  for (const p of members) {
    const m = pick(c, [p], undefined);
    if (m === -1) continue;
    c.place(p, m);
    displaceReplaced(p, m);
    placed = true;
  }
  return placed;
}
