// What every harness verb shares: where the files are, how progress is reported, and how the
// state file is read back into a machine.
import * as fs from 'node:fs';
import { parentCgroups } from './cgroups';
import { isMountPoint, mountsUnder } from './mounts';
import { clusterPaths, projectRoot, type ClusterPaths } from './paths';
import { canRunCluster } from './preflight';
import { readState, type ClusterOptions, type ClusterState, type MachineState } from './state';

export type Log = (line: string) => void;

export interface CommonOptions {
  /** Progress lines (the CLI prints them on stderr); silent by default. */
  log?: Log;
  /** Project folder whose `.cluster/` is used; the repository by default. */
  root?: string;
}

const silent: Log = () => {};

export function context(options: CommonOptions): { paths: ClusterPaths; log: Log } {
  return { paths: clusterPaths(options.root ?? projectRoot), log: options.log ?? silent };
}

export function assertCanRun(docker: boolean): void {
  const readiness = canRunCluster({ docker });
  if (!readiness.ok) throw new Error(`cannot run the local cluster: ${readiness.reason}`);
}

export function requireState(paths: ClusterPaths): ClusterState {
  const state = readState(paths.state);
  if (!state) throw new Error(`no local cluster is up (no ${paths.state}); run: npm run cluster:up`);
  return state;
}

export function findMachine(state: ClusterState, name: string): MachineState {
  const machine = state.machines.find((m) => m.name === name);
  if (!machine) throw new Error(`no machine ${name}; machines: ${state.machines.map((m) => m.name).join(', ')}`);
  return machine;
}

export function sameOptions(a: ClusterOptions, b: ClusterOptions): boolean {
  return a.machines === b.machines && a.docker === b.docker && a.etcdV2 === b.etcdV2;
}

export async function timed<T>(timings: Record<string, number>, phase: string, body: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await body();
  } finally {
    timings[phase] = Math.round(performance.now() - start);
  }
}

/** Is every piece a machine needs still in place (mounts survive only until the host reboots)? */
export function machineIntact(machine: MachineState): boolean {
  return isMountPoint(machine.dir) && isMountPoint(machine.root) && machine.status !== 'creating';
}

/** Signs that a cluster (or the debris of one) exists even without a state file. */
export function leftoversLikely(paths: ClusterPaths): boolean {
  return mountsUnder(paths.machines).length > 0 || parentCgroups().some((dir) => fs.existsSync(dir));
}
