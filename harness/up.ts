// `up`: makes the cluster (packages, network, root file systems, boot), or on a running cluster
// brings every machine back to running and connected.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assertCanRun, context, leftoversLikely, machineIntact, sameOptions, timed, type CommonOptions, type Log } from './context';
import { localDefinition, SSH_CONNECT_TIMEOUT_MS, writeDefinition } from './definition';
import { downLocked } from './down';
import { buildImage } from './image';
import { withLock } from './lock';
import { machineRunning, spawnMachine, waitReady } from './machines';
import { createMachineNetwork, ensureBridge, removeMachineNetwork, setPartitioned } from './network';
import { ensurePackages } from './packages';
import type { ClusterPaths } from './paths';
import { newMachineId, provisionMachine } from './provision';
import { mountRoot } from './rootfs';
import { ensureKeyPair, knownHostsText, sshConfigText, type SshTarget } from './ssh';
import { readState, writeState, type ClusterOptions, type ClusterState, type MachineState } from './state';
import { BRIDGE, planMachines } from './topology';

export interface UpOptions extends CommonOptions {
  machines?: number;
  docker?: boolean;
  etcdV2?: boolean;
}

export interface UpResult {
  definitionFile: string;
  sshConfig: string;
  state: ClusterState;
  /** Debian packages installed by this call (empty when warm). */
  installed: string[];
  /** True when the cluster was already up and was only brought back to a healthy state. */
  reused: boolean;
  /** Wall time of the phases, in ms. */
  timings: Record<string, number>;
}

export async function up(options: UpOptions = {}): Promise<UpResult> {
  const wanted: ClusterOptions = { machines: options.machines ?? 3, docker: options.docker ?? false, etcdV2: options.etcdV2 ?? false };
  planMachines(wanted.machines); // validates the count before anything happens
  assertCanRun(wanted.docker);
  const { paths, log } = context(options);
  return withLock(paths.lock, async () => {
    const timings: Record<string, number> = {};
    const existing = readState(paths.state);
    if (existing && existing.machines.every(machineIntact)) {
      if (!sameOptions(existing.options, wanted)) {
        const o = existing.options;
        throw new Error(
          `a local cluster is already up with ${o.machines} machines, docker=${o.docker}, etcdV2=${o.etcdV2}; run down first to change that`,
        );
      }
      return timed(timings, 'total', async () => {
        const state = await restoreRunning(existing, paths, log, timings);
        return { definitionFile: paths.definition, sshConfig: paths.sshConfig, state, installed: [], reused: true, timings };
      });
    }
    if (existing || leftoversLikely(paths)) {
      log('cleaning up what a previous cluster left behind');
      await downLocked(paths, log);
    }
    const start = performance.now();
    try {
      const result = await freshUp(wanted, paths, log, timings);
      timings.total = Math.round(performance.now() - start);
      return result;
    } catch (error) {
      log(`up failed (${(error as Error).message}); cleaning up. Machine logs stay in ${paths.logs}`);
      await downLocked(paths, log).catch((cleanupError: Error) => log(`cleanup after failed up: ${cleanupError.message}`));
      throw error;
    }
  });
}

async function freshUp(options: ClusterOptions, paths: ClusterPaths, log: Log, timings: Record<string, number>): Promise<UpResult> {
  const installed = await timed(timings, 'packages', () => ensurePackages(options.docker, path.join(paths.logs, 'apt.log'), log));
  const plan = planMachines(options.machines);
  fs.mkdirSync(paths.logs, { recursive: true });
  const state: ClusterState = {
    version: 1,
    options,
    projectRoot: path.dirname(paths.dir),
    createdAt: new Date().toISOString(),
    bridge: BRIDGE.name,
    machines: plan.map((machine) => ({
      ...machine,
      machineId: newMachineId(),
      status: 'creating',
      partitioned: false,
      dir: path.join(paths.machines, machine.name),
      root: path.join(paths.machines, machine.name, 'root'),
      disk: path.join(paths.disks, machine.name),
      log: path.join(paths.logs, `${machine.name}.log`),
    })),
  };
  // Recorded before anything exists, so that `down` knows what to look for even after a crash.
  writeState(paths.state, state);

  log(`preparing ${plan.length} machines${options.docker ? ' with Docker' : ''}`);
  const [clientKey, image] = await timed(timings, 'keys+image', () =>
    Promise.all([ensureKeyPair(paths.identity, 'unit-fleet-harness'), options.docker ? buildImage(paths.cache) : Promise.resolve(undefined)]),
  );
  await timed(timings, 'network', async () => {
    await ensureBridge();
    // Sequential: `ip` calls on the same bridge are quick, and parallel veth creation races in iproute2.
    for (const machine of state.machines) await createMachineNetwork(machine, { forwarding: options.docker, partitioned: false });
  });
  const hostKeys = await timed(timings, 'rootfs', () =>
    Promise.all(
      state.machines.map(async (machine) => {
        fs.writeFileSync(machine.log, '');
        await mountRoot(machine.name, machine.dir, machine.root);
        return provisionMachine(machine.root, {
          machine,
          all: plan,
          machineId: machine.machineId,
          clientPublicKey: clientKey,
          docker: options.docker,
          etcdV2: options.etcdV2,
          imageTarball: image,
        });
      }),
    ),
  );
  writeSshFiles(state, hostKeys, paths);

  await timed(timings, 'boot', async () => {
    for (const machine of state.machines) {
      machine.pid = spawnMachine(machine, { docker: options.docker, hide: state.projectRoot });
      machine.status = 'running';
    }
    writeState(paths.state, state);
    log(`booting ${state.machines.map((m) => m.name).join(', ')} (logs: ${paths.logs})`);
    await Promise.all(state.machines.map((machine) => waitReady(machine, paths.sshConfig, options.docker)));
  });
  writeDefinition(paths.definition, localDefinition(state, paths));
  return { definitionFile: paths.definition, sshConfig: paths.sshConfig, state, installed, reused: false, timings };
}

function writeSshFiles(state: ClusterState, hostKeys: string[], paths: ClusterPaths): void {
  const targets: SshTarget[] = state.machines.map((machine, i) => ({ name: machine.name, address: machine.address, hostKey: hostKeys[i]! }));
  fs.writeFileSync(paths.knownHosts, knownHostsText(targets));
  fs.writeFileSync(
    paths.sshConfig,
    sshConfigText(targets, {
      config: paths.sshConfig,
      knownHosts: paths.knownHosts,
      identity: paths.identity,
      connectTimeoutSeconds: SSH_CONNECT_TIMEOUT_MS / 1000,
    }),
  );
}

/** `up` on a cluster that is up: start what is stopped, heal what is partitioned. */
async function restoreRunning(state: ClusterState, paths: ClusterPaths, log: Log, timings: Record<string, number>): Promise<ClusterState> {
  for (const machine of state.machines) {
    if (machine.partitioned) {
      log(`healing ${machine.name}`);
      machine.partitioned = false;
      await setPartitioned(machine, false);
    }
  }
  const down = state.machines.filter((machine) => !machineRunning(machine.name));
  const running = state.machines.filter((machine) => !down.includes(machine));
  if (down.length > 0) log(`starting ${down.map((m) => m.name).join(', ')}`);
  await timed(timings, 'boot', () =>
    Promise.all([
      ...down.map((machine) => bootMachine(state, machine, paths)),
      // Running machines may still be booting (an earlier `up` was interrupted): wait for them too.
      ...running.map((machine) => waitReady(machine, paths.sshConfig, state.options.docker)),
    ]),
  );
  writeState(paths.state, state);
  writeDefinition(paths.definition, localDefinition(state, paths));
  return state;
}

/** Boots one provisioned machine (its root and disk are kept across stops, like a real disk). */
export async function bootMachine(state: ClusterState, machine: MachineState, paths: ClusterPaths): Promise<void> {
  if (!machineIntact(machine)) throw new Error(`${machine.name}'s root file system is gone (host rebooted?); run down, then up`);
  await removeMachineNetwork(machine);
  await createMachineNetwork(machine, { forwarding: state.options.docker, partitioned: machine.partitioned });
  machine.pid = spawnMachine(machine, { docker: state.options.docker, hide: state.projectRoot });
  machine.status = 'running';
  writeState(paths.state, state);
  // A partitioned machine cannot be reached from here; it boots on its own.
  if (!machine.partitioned) await waitReady(machine, paths.sshConfig, state.options.docker);
}
