// Desired state and placement in etcd, read at one revision and changed only by compare-and-swap
// transactions on the schedule key: two clients that decide at the same time cannot both win, so
// a unit is never placed twice and Conflicts= is never violated by a race. The loser re-reads and
// decides again (with what the winner wrote).
import * as crypto from 'node:crypto';
import type { Cluster } from './cluster';
import { ClusterError } from './errors';
import type { DesiredState, Placement as PlacementRecord, UnitRecord } from './keys';
import type { Placement } from './scheduler';

export interface FleetState {
  /** Revision of the read. */
  revision: string;
  /** mod_revision of the schedule key ('0' when it does not exist yet). */
  scheduleRevision: string;
  units: Map<string, UnitRecord>;
  placement: Placement;
  /** Machine ids with a live presence lease. */
  present: Set<string>;
}

export function hashText(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

/** Reads everything under the prefix in one range request (one revision). */
export async function readState(cluster: Cluster): Promise<FleetState> {
  const k = cluster.keys;
  const response = await cluster.etcdCall('read of the cluster state', (etcd) => etcd.getAll().prefix(k.prefix).exec());
  const state: FleetState = { revision: response.header.revision, scheduleRevision: '0', units: new Map(), placement: {}, present: new Set() };
  for (const kv of response.kvs) {
    const key = kv.key.toString('utf8');
    if (key === k.schedule) state.scheduleRevision = kv.mod_revision;
    else if (key.startsWith(k.units)) {
      try {
        const record = JSON.parse(kv.value.toString('utf8')) as UnitRecord;
        state.units.set(record.name, record);
      } catch {
        /* not ours */
      }
    } else if (key.startsWith(k.placements)) {
      try {
        const p = JSON.parse(kv.value.toString('utf8')) as PlacementRecord;
        if (p.machines.length > 0) state.placement[key.slice(k.placements.length)] = [...p.machines].sort();
      } catch {
        /* not ours */
      }
    } else if (key.startsWith(k.machines)) state.present.add(key.slice(k.machines.length));
  }
  return state;
}

export interface StateChange {
  /** Unit records to write (created or replaced). */
  put: UnitRecord[];
  /** Units whose record is deleted. */
  remove: string[];
  /** The complete new placement (diffed against the read state). */
  placement: Placement;
}

export interface CommittedChange<T> {
  before: FleetState;
  change: StateChange;
  result: T;
  /** Units whose placement changed: unit → [old machines, new machines]. */
  moved: Map<string, { from: string[]; to: string[] }>;
}

const same = (a: readonly string[] = [], b: readonly string[] = []) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Reads the state, lets `decide` compute a change, and commits it only if nobody changed the
 * schedule meanwhile; otherwise starts over (up to `attempts` times).
 */
export async function changeState<T>(cluster: Cluster, decide: (state: FleetState) => Promise<{ change: StateChange; result: T }> | { change: StateChange; result: T }, attempts = 50): Promise<CommittedChange<T>> {
  const k = cluster.keys;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const before = await readState(cluster);
    const { change, result } = await decide(before);
    const moved = new Map<string, { from: string[]; to: string[] }>();
    const names = new Set([...Object.keys(before.placement), ...Object.keys(change.placement)]);
    for (const name of names) {
      const from = before.placement[name] ?? [];
      const to = [...(change.placement[name] ?? [])].sort();
      if (!same(from, to)) moved.set(name, { from, to });
    }
    const unchanged = change.put.every((r) => {
      const old = before.units.get(r.name);
      return old && old.desired === r.desired && old.hash === r.hash;
    });
    if (unchanged && change.remove.length === 0 && moved.size === 0) return { before, change, result, moved };
    const now = new Date().toISOString();
    const committed = await cluster.etcdCall('transaction on the cluster state', async (etcd) => {
      const txn = etcd.if(k.schedule, 'Mod', '==', before.scheduleRevision === '0' ? 0 : before.scheduleRevision);
      const ops = [];
      for (const r of change.put) ops.push(etcd.put(k.unit(r.name)).value(JSON.stringify(r)));
      for (const name of change.remove) ops.push(etcd.delete().key(k.unit(name)));
      for (const [name, { to }] of moved) {
        if (to.length === 0) ops.push(etcd.delete().key(k.placement(name)));
        else ops.push(etcd.put(k.placement(name)).value(JSON.stringify({ machines: to, at: now } satisfies PlacementRecord)));
      }
      ops.push(etcd.put(k.schedule).value(now));
      const response = await txn.then(...ops).commit();
      return response.succeeded;
    });
    if (committed) return { before, change, result, moved };
    // Lost the race: back off a little (with jitter) and decide again on fresh state.
    await new Promise((r) => setTimeout(r, Math.random() * 20 * Math.min(attempt + 1, 5)));
  }
  throw new ClusterError('conflict', `the cluster state kept changing under us (${attempts} attempts); try again`);
}

export function newRecord(name: string, text: string, desired: DesiredState, extra: Partial<UnitRecord> = {}): UnitRecord {
  return { name, desired, text, hash: hashText(text), updatedAt: new Date().toISOString(), ...extra };
}
