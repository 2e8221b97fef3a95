// Reconcile: make the cluster match the registry, the way fleet's engine and agents did together.
//
// One pass:
//  1. Observe every machine over SSH (one round trip each, short timeout): reachable or not, the
//     units Unit Fleet put there and their systemd state. Reachable machines without a running
//     presence unit get it (they join).
//  2. Read the registry (etcd) — after observing, so any unit file seen on a machine was recorded
//     before the read, and is never mistaken for a stale copy.
//  3. A machine is dead when its presence lease has expired AND it does not answer over SSH.
//     The scheduler keeps every unit on a live machine where it is and re-places those of dead
//     machines (MachineOf followers move with their target); the new placement is committed with
//     the same compare-and-swap as deploys.
//  4. Each reachable machine is brought in line: missing units installed and started, launched
//     units that stopped are started again, and units no longer placed there (stale copies, e.g.
//     on a machine that comes back after its units moved) are stopped and removed — so a unit
//     never runs twice for longer than one pass. A machine cut off from etcd also stops its own
//     units when its lease is lost (see the presence unit).
//
// Only one reconciler acts at a time: passes run under an etcd election (a leader key on a lease);
// `reconcile --watch` stays leader and runs a pass whenever machine presence or the registry
// changes (polled twice a second), and at least every 10 s.
import type { Campaign } from 'etcd3';
import * as os from 'node:os';
import { applyOnMachine, type MachineApplyResult, type MachineOps } from './apply';
import type { Cluster } from './cluster';
import { scheduledUnits } from './deploy';
import { ClusterError, messageOf } from './errors';
import { probeMachine, type MachineFacts } from './machines';
import { schedule, type MachineState, type Unschedulable } from './scheduler';
import { changeState, readState } from './state';

export interface ReconcileReport {
  at: string;
  durationMs: number;
  /** Machines considered dead (lease expired and unreachable). */
  dead: string[];
  moved: Array<{ unit: string; from: string[]; to: string[] }>;
  unplaced: Unschedulable[];
  /** Units installed or started (again) per machine. */
  started: Array<{ machine: string; unit: string }>;
  /** Stale copies stopped and removed. */
  removed: Array<{ machine: string; unit: string }>;
  failures: MachineApplyResult[];
}

export interface ReconcileOptions {
  /** Timeout of each machine's SSH probe (ms). */
  probeTimeoutMs?: number;
}

const RUNNING = new Set(['active', 'activating', 'reloading']);

export async function reconcilePass(cluster: Cluster, options: ReconcileOptions = {}): Promise<ReconcileReport> {
  const began = Date.now();
  const probeTimeoutMs = options.probeTimeoutMs ?? 2_000;
  const ids = await cluster.machineIds();
  // A machine whose lease is gone gets a shorter SSH probe: alive machines answer on a LAN in
  // well under a second, and the rescheduling of a dead machine's units waits on this probe.
  const present = await readState(cluster).then(
    (s) => s.present,
    () => undefined,
  );
  // 1. observe
  const observed = new Map<string, MachineFacts>();
  await Promise.all(
    cluster.config.machines.map(async (m) => {
      const id = ids.get(m.name);
      const timeoutMs = present && id && !present.has(id) ? Math.min(probeTimeoutMs, 800) : probeTimeoutMs;
      try {
        observed.set(m.name, await probeMachine(cluster.ssh, m.name, timeoutMs));
      } catch {
        /* unreachable */
      }
    }),
  );
  const toJoin = [...observed].filter(([, f]) => !f.presenceActive).map(([name]) => name);
  if (toJoin.length > 0) {
    cluster.progress(`joining ${toJoin.join(', ')} (presence unit)`);
    await cluster.join(toJoin);
  }
  // 2 + 3. read, decide, commit
  let dead: string[] = [];
  let unplaced: Unschedulable[] = [];
  const committed = await changeState(cluster, (state) => {
    const machines: MachineState[] = cluster.config.machines
      .filter((m) => ids.has(m.name))
      .map((m) => {
        const id = ids.get(m.name)!;
        return { id, hostname: m.name, metadata: m.metadata, alive: state.present.has(id) || observed.has(m.name) };
      });
    dead = machines.filter((m) => !m.alive).map((m) => m.hostname!);
    const result = schedule(scheduledUnits(state.units.values()), machines, state.placement);
    unplaced = result.unschedulable;
    return { change: { put: [], remove: [], placement: result.placement }, result };
  });
  const nameOf = new Map([...ids].map(([name, id]) => [id, name]));
  const moved = [...committed.moved].map(([unit, { from, to }]) => ({ unit, from: from.map((id) => nameOf.get(id) ?? id), to: to.map((id) => nameOf.get(id) ?? id) }));
  for (const m of moved) cluster.progress(`${m.unit}: ${m.from.join(',') || '(unplaced)'} → ${m.to.join(',') || '(unplaced)'}`);
  // 4. converge every reachable machine
  const placement = committed.change.placement;
  const records = committed.before.units;
  const started: Array<{ machine: string; unit: string }> = [];
  const removed: Array<{ machine: string; unit: string }> = [];
  const jobs: Array<Promise<MachineApplyResult>> = [];
  for (const [machine, facts] of observed) {
    const id = facts.machineId;
    const ops: MachineOps = { install: [], remove: [] };
    const here = new Map(facts.units.map((u) => [u.name, u]));
    for (const record of records.values()) {
      if (record.desired === 'inactive' || !(placement[record.name] ?? []).includes(id)) continue;
      const seen = here.get(record.name);
      const fine = seen && seen.load === 'loaded' && (record.desired === 'launched' ? RUNNING.has(seen.active) : !RUNNING.has(seen.active));
      if (!fine) {
        ops.install.push({ name: record.name, text: record.text, desired: record.desired });
        started.push({ machine, unit: record.name });
      }
    }
    for (const unit of here.keys()) {
      const record = records.get(unit);
      const placedHere = record && record.desired !== 'inactive' && (placement[unit] ?? []).includes(id);
      if (!placedHere) {
        ops.remove.push(unit);
        removed.push({ machine, unit });
      }
    }
    if (ops.install.length + ops.remove.length === 0) continue;
    cluster.progress(`${machine}: ${ops.install.length} to start, ${ops.remove.length} stale to remove`);
    jobs.push(applyOnMachine(cluster, machine, ops));
  }
  const failures = (await Promise.all(jobs)).filter((r) => !r.ok);
  return { at: new Date(began).toISOString(), durationMs: Date.now() - began, dead, moved, unplaced, started, removed, failures };
}

/** Campaigns for the reconciler's election; resolves once elected (or rejects after `waitMs`). */
async function lead(cluster: Cluster, waitMs?: number): Promise<Campaign> {
  const election = cluster.etcd.namespace(cluster.keys.prefix).election('reconciler', 5);
  const campaign = election.campaign(`${process.pid}@${os.hostname()}`);
  // A campaign reports a lost lease as 'error' (possibly more than once): never leave it unheard.
  campaign.on('error', (error: Error) => cluster.progress(`reconciler election: ${messageOf(error)}`));
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      new Promise<void>((resolve, reject) => {
        campaign.once('elected', () => resolve());
        campaign.once('error', (error: Error) => reject(error));
      }),
      new Promise<never>((_, reject) => {
        if (waitMs === undefined) return;
        timer = setTimeout(async () => {
          const leader = await election.leader().catch(() => undefined);
          reject(new ClusterError('conflict', `another reconciler is active${leader ? ` (${leader})` : ''}; it does the work`));
        }, waitMs);
      }),
    ]);
    return campaign;
  } catch (error) {
    await campaign.resign().catch(() => undefined);
    throw error instanceof ClusterError ? error : new ClusterError('etcd', `cannot take part in the reconciler election: ${messageOf(error)}`);
  } finally {
    clearTimeout(timer);
  }
}

/** One pass as the single active reconciler. */
export async function reconcileOnce(cluster: Cluster, options: ReconcileOptions & { waitMs?: number } = {}): Promise<ReconcileReport> {
  const campaign = await lead(cluster, options.waitMs ?? 15_000);
  try {
    return await reconcilePass(cluster, options);
  } finally {
    await campaign.resign().catch(() => undefined);
  }
}

export interface WatchOptions extends ReconcileOptions {
  signal?: AbortSignal;
  /** How often machine presence and the registry are polled (ms). */
  pollMs?: number;
  /** A full pass at least this often (ms). */
  fullEveryMs?: number;
  onReport?: (report: ReconcileReport) => void;
  onError?: (error: unknown) => void;
}

/** Reconciles continuously until `signal` aborts. */
export async function reconcileWatch(cluster: Cluster, options: WatchOptions = {}): Promise<void> {
  const pollMs = options.pollMs ?? 500;
  const fullEveryMs = options.fullEveryMs ?? 10_000;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(t);
        options.signal?.removeEventListener('abort', done);
        resolve();
      };
      const t = setTimeout(done, ms);
      options.signal?.addEventListener('abort', done);
    });
  while (!options.signal?.aborted) {
    let campaign: Campaign | undefined;
    try {
      cluster.progress('waiting to become the active reconciler');
      campaign = await lead(cluster);
      cluster.progress('active reconciler');
      let lostLead = false;
      campaign.on('error', () => (lostLead = true));
      let last = '';
      let lastPass = 0;
      while (!options.signal?.aborted && !lostLead) {
        let fingerprint = '';
        try {
          const state = await readState(cluster);
          fingerprint = `${[...state.present].sort().join(',')}|${state.scheduleRevision}`;
        } catch (error) {
          options.onError?.(error);
        }
        if (fingerprint !== last || Date.now() - lastPass >= fullEveryMs) {
          try {
            const report = await reconcilePass(cluster, options);
            options.onReport?.(report);
            // Fingerprint after the pass (its own commit changes the schedule revision).
            const state = await readState(cluster);
            last = `${[...state.present].sort().join(',')}|${state.scheduleRevision}`;
          } catch (error) {
            options.onError?.(error);
            last = '';
          }
          lastPass = Date.now();
        }
        await sleep(pollMs);
      }
    } catch (error) {
      options.onError?.(error);
      await sleep(1_000);
    } finally {
      await campaign?.resign().catch(() => undefined);
    }
  }
}
