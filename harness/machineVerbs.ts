// The machine-level verbs: power cut, graceful stop, start, and network partition / heal.
import { context, findMachine, requireState, type CommonOptions, type Log } from './context';
import { withLock } from './lock';
import { killMachine, machineRunning, stopMachine } from './machines';
import { removeMachineNetwork, setPartitioned } from './network';
import type { ClusterPaths } from './paths';
import { writeState, type ClusterState, type MachineState } from './state';
import { bootMachine } from './up';

async function withMachine<T>(
  name: string,
  options: CommonOptions,
  body: (state: ClusterState, machine: MachineState, paths: ClusterPaths, log: Log) => Promise<T>,
): Promise<T> {
  const { paths, log } = context(options);
  return withLock(paths.lock, async () => {
    const state = requireState(paths);
    const machine = findMachine(state, name);
    try {
      return await body(state, machine, paths, log);
    } finally {
      // Also after a failure: whatever the body already changed (e.g. the machine is off) is true.
      writeState(paths.state, state);
    }
  });
}

/** Power cut: the machine's processes all die at once; its disk (tmpfs upper layer) survives. */
export function kill(name: string, options: CommonOptions = {}): Promise<void> {
  return withMachine(name, options, async (_state, machine, _paths, log) => {
    log(`power cut on ${machine.name}`);
    await killMachine(machine);
    machine.status = 'killed';
    machine.pid = undefined;
    await removeMachineNetwork(machine);
  });
}

/** Graceful shutdown through the machine's systemd. */
export function stop(name: string, options: CommonOptions = {}): Promise<'graceful' | 'forced'> {
  return withMachine(name, options, async (_state, machine, _paths, log) => {
    log(`shutting down ${machine.name}`);
    const how = await stopMachine(machine);
    if (how === 'forced') log(`${machine.name} did not shut down in time and was powered off`);
    machine.status = 'stopped';
    machine.pid = undefined;
    await removeMachineNetwork(machine);
    return how;
  });
}

/** Boots a stopped or killed machine and waits for sshd, etcd (and Docker). No-op when running. */
export function start(name: string, options: CommonOptions = {}): Promise<void> {
  return withMachine(name, options, async (state, machine, paths, log) => {
    if (machineRunning(machine.name)) return;
    log(`starting ${machine.name}`);
    await bootMachine(state, machine, paths);
  });
}

/** Cuts the machine off the network (both ways). Kept across restarts until healed. */
export function partition(name: string, options: CommonOptions = {}): Promise<void> {
  return withMachine(name, options, async (_state, machine, _paths, log) => {
    log(`partitioning ${machine.name}`);
    machine.partitioned = true;
    await setPartitioned(machine, true);
  });
}

export function heal(name: string, options: CommonOptions = {}): Promise<void> {
  return withMachine(name, options, async (_state, machine, _paths, log) => {
    log(`healing ${machine.name}`);
    machine.partitioned = false;
    await setPartitioned(machine, false);
  });
}
