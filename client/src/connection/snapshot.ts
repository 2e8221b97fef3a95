// What one refresh learns about the cluster (no `vscode` import): machines with liveness and the
// units systemd has on each, plus the registry (desired state, placement). The Machines and Units
// views, the status bar and the language server's live requests all read the latest snapshot, so
// one refresh costs one SSH round trip per machine and one etcd range read.
import type { MachineStatus } from '../cluster/machines';
import type { FleetState } from '../cluster/state';

export interface ClusterSnapshot {
  /** When the refresh finished (ms since the epoch). */
  at: number;
  durationMs: number;
  machines: MachineStatus[];
  /** The registry; undefined when etcd could not be read (see stateError). */
  state?: FleetState;
  stateError?: string;
  /** Machine id → definition name. */
  names: Map<string, string>;
}

export type Health = 'connected' | 'degraded';

export function machinesUp(snapshot: ClusterSnapshot): { up: number; total: number } {
  return { up: snapshot.machines.filter((m) => m.alive).length, total: snapshot.machines.length };
}

/** connected: every machine alive and the registry readable; degraded otherwise. */
export function healthOf(snapshot: ClusterSnapshot): Health {
  const { up, total } = machinesUp(snapshot);
  return up === total && snapshot.state !== undefined ? 'connected' : 'degraded';
}
