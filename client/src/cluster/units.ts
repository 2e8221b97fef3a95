// Reading units: the registry (records + placement) joined with systemd's live state on the
// machines (one round trip per machine), status and cat.
import type { Cluster } from './cluster';
import { ClusterError, messageOf } from './errors';
import type { DesiredState } from './keys';
import { parseSystemctlShow } from './machines';
import { assertUnitName } from './names';
import { commandLine } from './ssh/command';
import { readState } from './state';

export interface UnitStatus {
  name: string;
  desired: DesiredState;
  hash: string;
  template?: string;
  /** Placement: machine names (ids when the machine is not in the definition). */
  machines: string[];
  machineIds: string[];
  /** systemd's view on each machine of its placement. */
  states: Array<{ machine: string; load: string; active: string; sub: string } | { machine: string; error: string }>;
}

/** Every unit of the registry; with `live`, systemd's state from their machines. */
export async function listUnits(cluster: Cluster, options: { live?: boolean; timeoutMs?: number } = {}): Promise<UnitStatus[]> {
  const state = await readState(cluster);
  const ids = await cluster.machineIds();
  const nameOf = new Map([...ids].map(([name, id]) => [id, name]));
  const units: UnitStatus[] = [...state.units.values()]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((r) => {
      const machineIds = state.placement[r.name] ?? [];
      return { name: r.name, desired: r.desired, hash: r.hash, template: r.template, machineIds, machines: machineIds.map((id) => nameOf.get(id) ?? id), states: [] };
    });
  if (options.live !== false) {
    const byMachine = new Map<string, string[]>();
    for (const u of units) for (const m of u.machines) if (cluster.config.machines.some((c) => c.name === m)) byMachine.set(m, [...(byMachine.get(m) ?? []), u.name]);
    await Promise.all(
      [...byMachine].map(async ([machine, names]) => {
        try {
          const out = await cluster.ssh.run(machine, ['systemctl', 'show', '-p', 'Id', '-p', 'LoadState', '-p', 'ActiveState', '-p', 'SubState', '--', ...names], { timeoutMs: options.timeoutMs ?? 5_000 });
          for (const s of parseSystemctlShow(out)) units.find((u) => u.name === s.name)?.states.push({ machine, load: s.load, active: s.active, sub: s.sub });
        } catch (error) {
          for (const n of names) units.find((u) => u.name === n)?.states.push({ machine, error: messageOf(error) });
        }
      }),
    );
  }
  return units;
}

/** The unit file text recorded in the cluster. */
export async function catUnit(cluster: Cluster, name: string): Promise<string> {
  assertUnitName(name);
  const response = await cluster.etcdCall('read of a unit', (etcd) => etcd.get(cluster.keys.unit(name)).string());
  if (response === null) throw new ClusterError('not-found', `no unit ${name} in the cluster`);
  return (JSON.parse(response) as { text: string }).text;
}

/** The machine(s) a unit is placed on (names). */
export async function machinesOfUnit(cluster: Cluster, name: string): Promise<string[]> {
  assertUnitName(name);
  const value = await cluster.etcdCall('read of a placement', (etcd) => etcd.get(cluster.keys.placement(name)).string());
  if (value === null) throw new ClusterError('not-found', `unit ${name} is not placed on any machine (not loaded or started)`);
  const ids = (JSON.parse(value) as { machines: string[] }).machines;
  const names: string[] = [];
  for (const id of ids) names.push((await cluster.machineName(id)) ?? id);
  return names;
}

/** `systemctl status` of the unit on each of its machines. */
export async function unitStatusText(cluster: Cluster, name: string): Promise<Array<{ machine: string; text: string; code: number | null }>> {
  const machines = await machinesOfUnit(cluster, name);
  return Promise.all(
    machines.map(async (machine) => {
      const result = await cluster.ssh.exec(machine, { raw: commandLine(['systemctl', 'status', '--no-pager', '--full', '--lines', '10', '--', name]) });
      return { machine, text: result.stdout + result.stderr, code: result.code };
    }),
  );
}
