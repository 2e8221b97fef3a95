// Why a unit cannot run on a machine, in plain words — per machine (for `unit-fleet status` and
// the machines view) and summarised for a unit that fits nowhere (the scheduler's
// `unschedulable` reasons).
import { Cluster, type Obstacle } from './model';
import type { MachineState, PlacementInput, ScheduledUnit } from './types';

const MAX_LISTED = 8;

/** "a", "a and b", "a, b and c", "a, b, …, h and 4 more". */
export function listWords(items: readonly string[]): string {
  if (items.length === 0) return '';
  if (items.length > MAX_LISTED) return `${items.slice(0, MAX_LISTED).join(', ')} and ${items.length - MAX_LISTED} more`;
  if (items.length === 1) return items[0];
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

const isAre = (n: number): string => (n === 1 ? 'is' : 'are');

/** `role=db`, `(role=db or role=cache) and disk=ssd`. */
export function requirementText(c: Cluster, u: number): string {
  const parts = c.units[u].metadata.map(([key, values]) => {
    if (values.length === 0) return `${key}=(no accepted value)`;
    const alts = values.map((v) => `${key}=${v}`);
    return alts.length === 1 ? alts[0] : c.units[u].metadata.length > 1 ? `(${alts.join(' or ')})` : alts.join(' or ');
  });
  return parts.join(' and ');
}

/** The machine's values for the keys the unit asks about: `role=web`, `no metadata`, `no role`. */
function machineMetadataText(c: Cluster, u: number, m: number): string {
  const md = c.machines[m].state.metadata;
  const keys = c.units[u].metadata.map(([k]) => k);
  const have = keys.filter((k) => Object.prototype.hasOwnProperty.call(md, k)).map((k) => `${k}=${md[k]}`);
  if (have.length) return have.join(' ');
  if (Object.keys(md).length === 0) return 'no metadata';
  return `no ${keys.join('/')}`;
}

/** One obstacle as a sentence about that machine. */
export function obstacleText(c: Cluster, u: number, m: number, o: Obstacle): string {
  const label = c.machines[m].label;
  switch (o.kind) {
    case 'down':
      return `${label} is down`;
    case 'pin':
      return `MachineID pins it to ${o.pin}, not ${label}`;
    case 'metadata':
      return `${label} has ${machineMetadataText(c, u, m)}, it needs ${requirementText(c, u)}`;
    case 'target':
      return `its MachineOf target ${c.units[o.target].name} is not on ${label}`;
    case 'conflict':
      return `conflicts with ${c.units[o.other].name} on ${label}`;
    case 'replacedBy':
      return `${c.units[o.other].name} on ${label} replaces it (Replaces=)`;
    case 'replaceLocked':
      return `cannot displace ${c.units[o.other].name} from ${label} (Replaces=): it already had to move, or a unit placed with it needs it there`;
  }
}

const PRIORITY: Record<Obstacle['kind'], number> = { down: 0, pin: 1, metadata: 2, target: 3, replacedBy: 4, conflict: 5, replaceLocked: 6 };

/**
 * The reasons a unit fits none of the machines `ms`, one sentence per kind of obstacle.
 * `restricted`: `ms` is not the whole cluster (MachineID, MachineOf), so never say "no machine".
 */
function summarizeMachines(c: Cluster, u: number, ms: readonly number[], restricted: boolean): string[] {
  if (ms.length === 0) return ['the cluster has no machines'];
  const groups = new Map<Obstacle['kind'], Array<{ m: number; obstacles: Obstacle[] }>>();
  const free: number[] = [];
  for (const m of ms) {
    const obstacles = c.obstacles(u, m, { all: true });
    if (obstacles.length === 0) {
      free.push(m);
      continue;
    }
    const kind = obstacles.reduce((a, b) => (PRIORITY[b.kind] < PRIORITY[a.kind] ? b : a)).kind;
    const list = groups.get(kind) ?? [];
    list.push({ m, obstacles: obstacles.filter((o) => o.kind === kind) });
    groups.set(kind, list);
  }
  const label = (m: number): string => c.machines[m].label;
  const others = (entries: Array<{ m: number; obstacles: Obstacle[] }>): string[] =>
    entries.map(({ m, obstacles }) => {
      const names = obstacles.map((o) => ('other' in o ? c.units[o.other].name : '')).filter(Boolean);
      return `${listWords(names)} on ${label(m)}`;
    });

  const out: string[] = [];
  const aliveCount = restricted ? -1 : ms.filter((m) => c.machines[m].alive).length;
  for (const kind of (Object.keys(PRIORITY) as Array<Obstacle['kind']>).sort((a, b) => PRIORITY[a] - PRIORITY[b])) {
    const entries = groups.get(kind);
    if (!entries) continue;
    const labels = entries.map((e) => label(e.m));
    switch (kind) {
      case 'down':
        out.push(aliveCount === 0 ? `no machine is up (${listWords(labels)} ${isAre(labels.length)} down)` : `${listWords(labels)} ${isAre(labels.length)} down`);
        break;
      case 'pin':
        out.push(`MachineID pins it to ${c.units[u].machineId}, none of ${listWords(labels)}`);
        break;
      case 'metadata': {
        const req = requirementText(c, u);
        const described = entries.map((e) => `${label(e.m)} ${machineMetadataText(c, u, e.m)}`);
        if (entries.length === aliveCount) out.push(`no machine has ${req} (machines: ${listWords(described)})`);
        else out.push(`${listWords(entries.map((e) => `${label(e.m)} (${machineMetadataText(c, u, e.m)})`))} ${entries.length === 1 ? 'does' : 'do'} not have ${req}`);
        break;
      }
      case 'target': {
        const names = [...new Set(entries.flatMap((e) => e.obstacles.map((o) => (o.kind === 'target' ? c.units[o.target].name : ''))))];
        out.push(`its MachineOf target ${listWords(names)} ${isAre(names.length)} not on ${listWords(labels)}`);
        break;
      }
      case 'replacedBy':
        out.push(`replaced by ${listWords(others(entries))} (Replaces=)`);
        break;
      case 'conflict':
        out.push(`conflicts with ${listWords(others(entries))}`);
        break;
      case 'replaceLocked':
        out.push(`cannot displace ${listWords(others(entries))} (Replaces=): already moved once, or needed there by a MachineOf follower`);
        break;
    }
  }
  if (free.length) out.push(`${listWords(free.map(label))} could take it now; it is placed on the next run`);
  return out;
}

/** Why unit u (not placed) cannot be placed in the cluster's current state. */
export function unschedulableReasons(c: Cluster, u: number): string[] {
  const node = c.units[u];
  if (node.doomed) return [node.doomed];
  const all = c.machines.map((m) => m.index);
  if (node.global) return summarizeMachines(c, u, all, false);

  const unplaced = node.targets.filter((t) => (c.units[t].global ? c.globalOn[t].size === 0 : c.pos[t] === -1));
  if (unplaced.length) return unplaced.map((t) => `MachineOf target ${c.units[t].name} is not scheduled`);

  let ms = all;
  const prefix: string[] = [];
  if (node.machineId !== undefined) {
    const pinned = all.filter((m) => c.pinOk(u, m));
    if (pinned.length === 0) return [`MachineID pins it to ${node.machineId}, which is not a machine of the cluster`];
    const where = listWords(pinned.map((m) => (c.machines[m].label === c.machines[m].id ? c.machines[m].id : `${c.machines[m].label} (${c.machines[m].id})`)));
    if (pinned.every((m) => !c.machines[m].alive)) return [`MachineID pins it to ${where}, which is down`];
    ms = pinned;
    prefix.push(`MachineID pins it to ${where}`);
  }
  if (node.targets.length) {
    const where = ms.filter((m) => node.targets.every((t) => c.isOn(t, m)));
    const targetsText = node.targets
      .map((t) => {
        const on = c.units[t].global ? [...c.globalOn[t]].sort((a, b) => a - b) : [c.pos[t]];
        return `${c.units[t].name} (on ${listWords(on.map((m) => c.machines[m].label))})`;
      })
      .join(', ');
    if (where.length === 0) {
      if (node.machineId !== undefined) return [...prefix, `its MachineOf target ${targetsText} runs elsewhere`];
      return [`its MachineOf targets ${targetsText} do not run on a common machine`];
    }
    ms = where;
    prefix.push(`its MachineOf target ${node.targets.length === 1 ? `${c.units[node.targets[0]].name} runs on ${listWords(where.map((m) => c.machines[m].label))}` : `${targetsText}`}`);
  }
  return [...prefix, ...summarizeMachines(c, u, ms, prefix.length > 0)];
}

export interface MachineFit {
  machine: string;
  hostname?: string;
  /** The unit could be placed on this machine now (nothing else would have to move, except units it replaces). */
  fits: boolean;
  /** Why it cannot, one sentence per obstacle. */
  reasons: string[];
}

export interface UnitExplanation {
  unit: string;
  /** Machines it is placed on in the given placement. */
  placedOn: string[];
  /** Every machine, sorted by id. */
  machines: MachineFit[];
  /** When it is not placed: why it fits nowhere (as in the scheduler's `unschedulable`). */
  reasons: string[];
}

/** Why `unit` can or cannot run on each machine, given the rest of `placement`. */
export function explain(unit: string, units: readonly ScheduledUnit[], machines: readonly MachineState[], placement: PlacementInput): UnitExplanation {
  const c = new Cluster(units, machines);
  const u = c.unitIndex.get(unit);
  if (u === undefined) return { unit, placedOn: [], machines: [], reasons: [`${unit} is not among the units to schedule`] };
  c.loadPlacement(placement);
  const node = c.units[u];
  const placedOn = node.global ? [...c.globalOn[u]] : c.pos[u] === -1 ? [] : [c.pos[u]];
  const fits = c.machines.map((m) => {
    const obstacles = c.obstacles(u, m.index, { all: true });
    const reasons = [...(node.doomed ? [node.doomed] : []), ...obstacles.map((o) => obstacleText(c, u, m.index, o))];
    const fit: MachineFit = { machine: m.id, fits: reasons.length === 0, reasons };
    if (m.state.hostname !== undefined) fit.hostname = m.state.hostname;
    return fit;
  });
  return {
    unit,
    placedOn: placedOn.sort((a, b) => a - b).map((m) => c.machines[m].id),
    machines: fits,
    reasons: placedOn.length ? [] : unschedulableReasons(c, u),
  };
}
