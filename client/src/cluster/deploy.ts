// fleet's lifecycle on the cluster: submit (inactive) → load (loaded: file on its machine) → start
// (launched: running); stop (back to loaded); unload (inactive: off the machine); destroy (gone);
// restart.
//
// Order of work — record, then apply: the desired state and the placement are committed to etcd
// first, in one compare-and-swap transaction (see state.ts); then the machines concerned are
// brought in line, one SSH round trip each. If applying fails (machine unreachable, unit fails to
// start), nothing is rolled back: the record is the truth, the command reports what is not yet in
// line, and running the same command again, or `unit-fleet reconcile`, finishes it. Every machine
// step is idempotent.
import { applyOnMachine, type MachineApplyResult, type MachineOps } from './apply';
import type { Cluster } from './cluster';
import { ClusterError } from './errors';
import type { DesiredState, UnitRecord } from './keys';
import { assertUnitName, templateOf } from './names';
import { schedule, type MachineState, type Placement, type ScheduledUnit, type Unschedulable } from './scheduler';
import { changeState, newRecord, type FleetState } from './state';
import { requirementsOf, resolveLocalUnit, type LocalUnit } from './unitFiles';

export interface UnitOutcome {
  name: string;
  desired: DesiredState | 'destroyed';
  /** Names of the machines it is placed on. */
  machines: string[];
  /** systemd's state on its machine(s) after the operation, when known. */
  active?: string;
  sub?: string;
}

export interface LifecycleResult {
  units: UnitOutcome[];
  /** Units refused because no machine can run them, with the reasons. */
  unschedulable: Unschedulable[];
  /** Machines that could not be brought in line (the record stands; rerun or reconcile). */
  failures: MachineApplyResult[];
}

const RANK: Record<DesiredState, number> = { inactive: 0, loaded: 1, launched: 2 };

/** Liveness for scheduling: presence lease, or (for machines without one) SSH reachability plus joining. */
export async function schedulingMachines(cluster: Cluster, state: FleetState): Promise<MachineState[]> {
  const ids = await cluster.machineIds();
  const absent = cluster.config.machines.filter((m) => !ids.has(m.name) || !state.present.has(ids.get(m.name)!));
  if (absent.length > 0) {
    cluster.progress(`joining ${absent.map((m) => m.name).join(', ')} (presence unit)`);
    await cluster.join(absent.map((m) => m.name));
  }
  const reachable = new Set(await Promise.all(absent.map(async (m) => ((await cluster.ssh.reachable(m.name, cluster.config.ssh.connectTimeoutMs)) ? m.name : ''))));
  const refreshed = absent.length > 0 ? await cluster.machineIds() : ids;
  return cluster.config.machines
    .filter((m) => refreshed.has(m.name))
    .map((m) => {
      const id = refreshed.get(m.name)!;
      return { id, hostname: m.name, metadata: m.metadata, alive: state.present.has(id) || reachable.has(m.name) };
    });
}

export function scheduledUnits(records: Iterable<UnitRecord>): ScheduledUnit[] {
  const units: ScheduledUnit[] = [];
  for (const r of records) if (r.desired !== 'inactive') units.push({ name: r.name, requirements: requirementsOf(r.name, r.text) });
  return units;
}

/** Finds the text of each unit: the local file (or its template), else the registry (the unit, or a submitted template). */
function resolveTexts(args: readonly string[], state: FleetState, cwd: string): Array<LocalUnit & { text: string }> {
  return args.map((arg) => {
    const local = resolveLocalUnit(arg, cwd);
    if (local.text !== undefined) return local as LocalUnit & { text: string };
    const known = state.units.get(local.name);
    if (known) return { ...local, text: known.text, template: known.template, source: known.source };
    const template = templateOf(local.name);
    const knownTemplate = template ? state.units.get(template) : undefined;
    if (knownTemplate) return { ...local, text: knownTemplate.text, template };
    throw new ClusterError('not-found', `unit ${local.name} is neither in the cluster nor a file here${template ? ` (nor is its template ${template})` : ''}`);
  });
}

/** The records for a submit/load/start of `args`, each at least at `target`. */
function upgradedRecords(args: readonly string[], state: FleetState, target: DesiredState, cwd: string): UnitRecord[] {
  return resolveTexts(args, state, cwd).map((u) => {
    const old = state.units.get(u.name);
    if (old && old.text !== u.text) {
      if (old.desired !== 'inactive') {
        throw new ClusterError('usage', `unit ${u.name} is already in the cluster (${old.desired}) with different content; destroy it first, or stop and unload it`);
      }
    }
    const desired = old && old.text === u.text && RANK[old.desired] > RANK[target] ? old.desired : target;
    return newRecord(u.name, u.text, desired, { template: u.template, source: u.source, ...(old && old.text === u.text ? { updatedAt: old.updatedAt } : {}) });
  });
}

/** Schedules everything that should be placed; requested units that cannot be placed are refused (not recorded). */
function decide(state: FleetState, machines: MachineState[], put: UnitRecord[], remove: string[]): { placement: Placement; refused: Unschedulable[]; put: UnitRecord[] } {
  let records = new Map(state.units);
  for (const name of remove) records.delete(name);
  for (const r of put) records.set(r.name, r);
  const requested = new Set(put.map((r) => r.name));
  let result = schedule(scheduledUnits(records.values()), machines, state.placement);
  const refused = result.unschedulable.filter((u) => requested.has(u.unit) && records.get(u.unit)!.desired !== 'inactive');
  if (refused.length > 0) {
    const refusedNames = new Set(refused.map((u) => u.unit));
    put = put.filter((r) => !refusedNames.has(r.name));
    records = new Map(state.units);
    for (const name of remove) records.delete(name);
    for (const r of put) records.set(r.name, r);
    result = schedule(scheduledUnits(records.values()), machines, state.placement);
  }
  return { placement: result.placement, refused, put };
}

async function machineNamesOf(cluster: Cluster): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const [name, id] of await cluster.machineIds()) names.set(id, name);
  return names;
}

/** Applies the committed change to every machine concerned, in parallel. */
async function applyChange(
  cluster: Cluster,
  records: Map<string, UnitRecord>,
  before: Placement,
  after: Placement,
  touched: Iterable<string>,
  restart: ReadonlySet<string> = new Set(),
): Promise<MachineApplyResult[]> {
  const names = await machineNamesOf(cluster);
  const ops = new Map<string, MachineOps>();
  const opsOf = (id: string) => {
    let o = ops.get(id);
    if (!o) ops.set(id, (o = { install: [], remove: [], restart: [] }));
    return o;
  };
  for (const unit of touched) {
    const record = records.get(unit);
    const to = record && record.desired !== 'inactive' ? (after[unit] ?? []) : [];
    const from = before[unit] ?? [];
    for (const id of to) {
      opsOf(id).install.push({ name: unit, text: record!.text, desired: record!.desired as 'loaded' | 'launched' });
      if (restart.has(unit) && record!.desired === 'launched') opsOf(id).restart!.push(unit);
    }
    for (const id of from) if (!to.includes(id)) opsOf(id).remove.push(unit);
  }
  const jobs = [...ops].map(async ([id, o]) => {
    const machine = names.get(id);
    if (!machine) return { machine: id, ok: false, units: [], error: `machine ${id} is not in the cluster definition` } as MachineApplyResult;
    cluster.progress(`${machine}: ${[o.install.length && `${o.install.length} to load/start`, o.remove.length && `${o.remove.length} to remove`, o.restart!.length && `${o.restart!.length} to restart`].filter(Boolean).join(', ')}`);
    return applyOnMachine(cluster, machine, o);
  });
  return Promise.all(jobs);
}

function outcomes(cluster: Cluster, names: Map<string, string>, units: readonly string[], records: Map<string, UnitRecord>, placement: Placement, applied: MachineApplyResult[]): UnitOutcome[] {
  return units.map((name) => {
    const record = records.get(name);
    const machines = (placement[name] ?? []).map((id) => names.get(id) ?? id);
    const seen = applied.flatMap((a) => a.units).find((u) => u.name === name);
    void cluster;
    return { name, desired: record ? record.desired : 'destroyed', machines, active: seen?.active, sub: seen?.sub };
  });
}

/** Opens the SSH connections in the background, so their handshakes overlap the etcd work. */
function prewarm(cluster: Cluster): void {
  for (const name of cluster.machineNames()) cluster.ssh.client(name).catch(() => undefined);
}

async function transition(cluster: Cluster, args: readonly string[], target: DesiredState, cwd: string): Promise<LifecycleResult> {
  if (target !== 'inactive') prewarm(cluster);
  let refused: Unschedulable[] = [];
  let requested: string[] = [];
  const committed = await changeState(cluster, async (state) => {
    const put = upgradedRecords(args, state, target, cwd);
    const machines = await schedulingMachines(cluster, state);
    const d = decide(state, machines, put, []);
    refused = d.refused;
    requested = put.map((r) => r.name);
    return { change: { put: d.put, remove: [], placement: d.placement }, result: undefined };
  });
  const records = new Map(committed.before.units);
  for (const r of committed.change.put) records.set(r.name, r);
  const touched = new Set([...committed.change.put.map((r) => r.name), ...committed.moved.keys()]);
  // Units only submitted need no machine; everything else requested is (re)applied: idempotent.
  const applied = await applyChange(cluster, records, committed.before.placement, committed.change.placement, touched);
  const names = await machineNamesOf(cluster);
  return { units: outcomes(cluster, names, requested, records, committed.change.placement, applied), unschedulable: refused, failures: applied.filter((a) => !a.ok) };
}

/** submit: record the units (desired state inactive), without placing them. */
export function submit(cluster: Cluster, args: readonly string[], cwd = process.cwd()): Promise<LifecycleResult> {
  return transition(cluster, args, 'inactive', cwd);
}

/** load: place the units and put their files on their machines (not started). */
export function load(cluster: Cluster, args: readonly string[], cwd = process.cwd()): Promise<LifecycleResult> {
  return transition(cluster, args, 'loaded', cwd);
}

/** start: place the units, put their files on their machines and start them. */
export function start(cluster: Cluster, args: readonly string[], cwd = process.cwd()): Promise<LifecycleResult> {
  return transition(cluster, args, 'launched', cwd);
}

function namesOf(args: readonly string[]): string[] {
  return args.map((a) => {
    const name = a.includes('/') ? a.slice(a.lastIndexOf('/') + 1) : a;
    assertUnitName(name);
    return name;
  });
}

async function downgrade(cluster: Cluster, args: readonly string[], target: DesiredState | 'destroyed', restart = false): Promise<LifecycleResult> {
  const names = namesOf(args);
  prewarm(cluster);
  const committed = await changeState(cluster, async (state) => {
    const missing = names.filter((n) => !state.units.has(n));
    if (missing.length > 0) throw new ClusterError('not-found', `no unit ${missing.join(', ')} in the cluster (unit-fleet list-unit-files shows them)`);
    const put: UnitRecord[] = [];
    const remove: string[] = [];
    for (const name of names) {
      const old = state.units.get(name)!;
      if (target === 'destroyed') remove.push(name);
      else if (restart) put.push(old.desired === 'launched' ? old : { ...old, desired: 'launched', updatedAt: new Date().toISOString() });
      else if (RANK[old.desired] > RANK[target]) put.push({ ...old, desired: target, updatedAt: new Date().toISOString() });
      else put.push(old);
    }
    if (!restart && (target === 'inactive' || target === 'destroyed')) {
      // Units leaving the machines: reschedule the rest without them (nothing else moves: current placement is kept).
      const machines = await schedulingMachines(cluster, state);
      const d = decide(state, machines, put, remove);
      return { change: { put, remove, placement: d.placement }, result: undefined };
    }
    if (restart && put.some((r) => state.units.get(r.name)!.desired !== 'launched')) {
      const machines = await schedulingMachines(cluster, state);
      const d = decide(state, machines, put, remove);
      return { change: { put: d.put, remove, placement: d.placement }, result: undefined };
    }
    return { change: { put, remove, placement: state.placement }, result: undefined };
  });
  const records = new Map(committed.before.units);
  for (const name of committed.change.remove) records.delete(name);
  for (const r of committed.change.put) records.set(r.name, r);
  const touched = new Set([...names, ...committed.moved.keys()]);
  const applied = await applyChange(cluster, records, committed.before.placement, committed.change.placement, touched, restart ? new Set(names) : new Set());
  const machineNames = await machineNamesOf(cluster);
  return { units: outcomes(cluster, machineNames, names, records, committed.change.placement, applied), unschedulable: [], failures: applied.filter((a) => !a.ok) };
}

/** stop: desired state loaded; the units stop but stay on their machines. */
export function stop(cluster: Cluster, args: readonly string[]): Promise<LifecycleResult> {
  return downgrade(cluster, args, 'loaded');
}

/** unload: desired state inactive; the units leave their machines but stay submitted. */
export function unload(cluster: Cluster, args: readonly string[]): Promise<LifecycleResult> {
  return downgrade(cluster, args, 'inactive');
}

/** destroy: the units leave their machines and the cluster. */
export function destroy(cluster: Cluster, args: readonly string[]): Promise<LifecycleResult> {
  return downgrade(cluster, args, 'destroyed');
}

/** restart: systemctl restart on their machines (units not launched are started). */
export function restart(cluster: Cluster, args: readonly string[]): Promise<LifecycleResult> {
  return downgrade(cluster, args, 'launched', true);
}
