// The harness's bookkeeping in `.cluster/state.json`. It is written *before* each resource is made,
// so that `down` after a crash half-way through `up` still knows what may exist (and `down` treats
// every recorded resource as "maybe there").
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MachinePlan } from './topology';

export interface ClusterOptions {
  machines: number;
  docker: boolean;
  etcdV2: boolean;
}

/** running: nspawn booted; stopped: shut down gracefully; killed: power cut. */
export type MachineStatus = 'creating' | 'running' | 'stopped' | 'killed';

export interface MachineState extends MachinePlan {
  machineId: string;
  status: MachineStatus;
  /** Link of the host veth end is down (see partition/heal). Survives a machine restart. */
  partitioned: boolean;
  /** pid of systemd-nspawn while the machine runs. */
  pid?: number;
  /** tmpfs mount point holding upper/ and work/ of the overlay, and root/ (the merged root). */
  dir: string;
  root: string;
  /** Folder on a real disk bind-mounted as /var/lib/docker. */
  disk: string;
  log: string;
}

export interface ClusterState {
  version: 1;
  options: ClusterOptions;
  projectRoot: string;
  createdAt: string;
  bridge: string;
  machines: MachineState[];
}

export function readState(file: string): ClusterState | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const state = JSON.parse(text) as ClusterState;
    return state.version === 1 && Array.isArray(state.machines) ? state : undefined;
  } catch {
    // A torn write can only come from a crash; `down` then falls back to scanning for our names.
    return undefined;
  }
}

/** Atomic replace, so a crash never leaves half a file. */
export function writeState(file: string, state: ClusterState): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  fs.renameSync(tmp, file);
}
