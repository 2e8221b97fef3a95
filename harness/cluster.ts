// The harness verbs: up, down, kill, stop, start, partition, heal, status. Each one reads and
// writes `.cluster/state.json` under a lock, so the CLI and tests can drive the same cluster.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CGROUP_PARENT, cgroup2Root, killCgroup, parentCgroups, populated, removeCgroupTree } from './cgroups';
import { localDefinition, SSH_CONNECT_TIMEOUT_MS, writeDefinition } from './definition';
import { memberHealthy } from './etcd';
import { tryRun } from './exec';
import { buildImage } from './image';
import { withLock } from './lock';
import { killMachine, machineRunning, NSPAWN_RUN_DIR, removeNspawnLeftovers, spawnMachine, stopMachine, tcpOpen, waitReady } from './machines';
import { isMountPoint, mountsUnder, unmount } from './mounts';
import { createMachineNetwork, ensureBridge, linkExists, netnsList, removeBridge, removeLink, removeMachineNetwork, setPartitioned } from './network';
import { ensurePackages } from './packages';
import { clusterPaths, projectRoot, type ClusterPaths } from './paths';
import { canRunCluster } from './preflight';
import { newMachineId, provisionMachine } from './provision';
import { mountRoot } from './rootfs';
import { ensureKeyPair, knownHostsText, sshConfigText, type SshTarget } from './ssh';
import { readState, writeState, type ClusterOptions, type ClusterState, type MachineState } from './state';
import { BRIDGE, planMachines } from './topology';

export type Log = (line: string) => void;

export interface CommonOptions {
  /** Progress lines (the CLI prints them on stderr); silent by default. */
  log?: Log;
  /** Project folder whose `.cluster/` is used; the repository by default. */
  root?: string;
}

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

const silent: Log = () => {};

function context(options: CommonOptions): { paths: ClusterPaths; log: Log } {
  return { paths: clusterPaths(options.root ?? projectRoot), log: options.log ?? silent };
}

function assertCanRun(docker: boolean): void {
  const readiness = canRunCluster({ docker });
  if (!readiness.ok) throw new Error(`cannot run the local cluster: ${readiness.reason}`);
}

function requireState(paths: ClusterPaths): ClusterState {
  const state = readState(paths.state);
  if (!state) throw new Error(`no local cluster is up (no ${paths.state}); run: npm run cluster:up`);
  return state;
}

function findMachine(state: ClusterState, name: string): MachineState {
  const machine = state.machines.find((m) => m.name === name);
  if (!machine) throw new Error(`no machine ${name}; machines: ${state.machines.map((m) => m.name).join(', ')}`);
  return machine;
}

function sameOptions(a: ClusterOptions, b: ClusterOptions): boolean {
  return a.machines === b.machines && a.docker === b.docker && a.etcdV2 === b.etcdV2;
}

async function timed<T>(timings: Record<string, number>, phase: string, body: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await body();
  } finally {
    timings[phase] = Math.round(performance.now() - start);
  }
}

/** Is every piece a machine needs still in place (mounts survive only until the host reboots)? */
function machineIntact(machine: MachineState): boolean {
  return isMountPoint(machine.dir) && isMountPoint(machine.root) && machine.status !== 'creating';
}

// ---------------------------------------------------------------------------------------------- up

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

function leftoversLikely(paths: ClusterPaths): boolean {
  return mountsUnder(paths.machines).length > 0 || parentCgroups().some((dir) => fs.existsSync(dir));
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
  if (down.length > 0) {
    log(`starting ${down.map((m) => m.name).join(', ')}`);
    await timed(timings, 'boot', () => Promise.all(down.map((machine) => bootMachine(state, machine, paths))));
  }
  writeState(paths.state, state);
  writeDefinition(paths.definition, localDefinition(state, paths));
  return state;
}

/** Boots one provisioned machine (its root and disk are kept across stops, like a real disk). */
async function bootMachine(state: ClusterState, machine: MachineState, paths: ClusterPaths): Promise<void> {
  if (!machineIntact(machine)) throw new Error(`${machine.name}'s root file system is gone (host rebooted?); run down, then up`);
  await removeMachineNetwork(machine);
  await createMachineNetwork(machine, { forwarding: state.options.docker, partitioned: machine.partitioned });
  machine.pid = spawnMachine(machine, { docker: state.options.docker, hide: state.projectRoot });
  machine.status = 'running';
  writeState(paths.state, state);
  // A partitioned machine cannot be reached from here; it boots on its own.
  if (!machine.partitioned) await waitReady(machine, paths.sshConfig, state.options.docker);
}

// -------------------------------------------------------------------------------------------- down

export interface DownResult {
  /** Whether there was anything to remove. */
  removed: boolean;
  ms: number;
}

export async function down(options: CommonOptions = {}): Promise<DownResult> {
  const { paths, log } = context(options);
  // Nothing to do and nothing we could do: say so instead of failing on a host without root.
  if (!fs.existsSync(paths.dir) && !(process.platform === 'linux' && process.getuid?.() === 0 && leftoversLikely(paths))) {
    return { removed: false, ms: 0 };
  }
  const start = performance.now();
  const removed = await withLock(paths.lock, () => downLocked(paths, log));
  return { removed, ms: Math.round(performance.now() - start) };
}

/**
 * Removes everything a cluster may have made, whatever state it is in: processes (through the
 * cgroups, never by name), mounts, namespaces, links, cgroups, files. Each step tolerates things
 * that are already gone, and runs even when an earlier one failed.
 */
async function downLocked(paths: ClusterPaths, log: Log): Promise<boolean> {
  const state = readState(paths.state);
  const errors: string[] = [];
  const step = async (what: string, body: () => Promise<void>) => {
    try {
      await body();
    } catch (error) {
      errors.push(`${what}: ${(error as Error).message}`);
    }
  };
  let removed = !!state;

  // 1. Processes: one cgroup.kill on the parent kills every machine and everything inside at once.
  const v2 = cgroup2Root();
  const parentV2 = v2 ? path.join(v2, CGROUP_PARENT) : undefined;
  await step('killing machines', async () => {
    if (parentV2 && fs.existsSync(parentV2)) {
      removed = true;
      if (populated(parentV2)) log('powering off all machines');
      await killCgroup(parentV2);
    }
  });
  await step('removing cgroups', async () => {
    for (const parent of parentCgroups()) await removeCgroupTree(parent);
  });

  // 2. Mounts: whatever is mounted below .cluster/machines, deepest first.
  await step('unmounting', async () => {
    for (const machine of state?.machines ?? []) removeNspawnLeftovers(machine);
    const mounts = mountsUnder(paths.machines);
    if (mounts.length > 0) removed = true;
    for (const point of mounts) await unmount(point, log);
  });

  // 3. Network: namespaces and links recorded in the state, plus any with our names.
  await step('removing network', async () => {
    const namespaces = new Set([...(state?.machines.map((m) => m.netns) ?? []), ...(await netnsList()).filter((ns) => /^unit-fleet-core-\d+$/.test(ns))]);
    const links = await tryRun('ip', ['-o', 'link', 'show']);
    const veths = new Set([
      ...(state?.machines.map((m) => m.veth) ?? []),
      ...[...links.stdout.matchAll(/^\d+:\s+(uf-core-\d+)[@:]/gm)].map((match) => match[1]!),
    ]);
    for (const netns of namespaces) {
      const veth = `uf-${netns.replace(/^unit-fleet-/, '')}`;
      await removeMachineNetwork({ netns, veth });
      veths.delete(veth);
    }
    for (const veth of veths) await removeLink(veth);
    if (await linkExists(BRIDGE.name)) removed = true;
    await removeBridge();
    // `ip netns add` bind-mounts /run/netns onto itself the first time. Undo that when no namespace
    // is left in it (ours or anyone's): iproute2 makes it again when needed, so this is harmless.
    if (isMountPoint('/run/netns') && fs.readdirSync('/run/netns').length === 0) await unmount('/run/netns', log);
  });

  // nspawn's run folder (made by the first machine), when nothing is left in it.
  await step('removing nspawn folders', async () => {
    for (const dir of [`${NSPAWN_RUN_DIR}/propagate`, `${NSPAWN_RUN_DIR}/locks`, NSPAWN_RUN_DIR]) {
      try {
        fs.rmdirSync(dir);
      } catch {
        // absent or still used
      }
    }
  });

  // 4. Files: the machines' folders and everything that describes the (now gone) cluster.
  await step('removing files', async () => {
    for (const target of [paths.machines, paths.disks]) {
      if (mountsUnder(target).length > 0) throw new Error(`${target} still has mounts; not deleting it`);
      fs.rmSync(target, { recursive: true, force: true });
    }
    for (const file of [paths.definition, paths.sshConfig, paths.knownHosts, paths.identity, `${paths.identity}.pub`, paths.state]) {
      fs.rmSync(file, { force: true });
    }
  });

  if (errors.length > 0) throw new Error(`down could not remove everything:\n  ${errors.join('\n  ')}`);
  if (removed) log('local cluster removed');
  return removed;
}

// ------------------------------------------------------------------------- machine-level verbs

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

// ------------------------------------------------------------------------------------------ status

export interface MachineStatusReport {
  name: string;
  address: string;
  status: MachineState['status'];
  running: boolean;
  partitioned: boolean;
  pid?: number;
  metadata: Record<string, string>;
  sshReachable: boolean;
  etcdHealthy: boolean;
}

export interface StatusReport {
  up: boolean;
  definitionFile?: string;
  sshConfig?: string;
  options?: ClusterOptions;
  machines: MachineStatusReport[];
}

/** What the state file says, checked against reality (processes, sshd port, etcd /health). */
export async function status(options: CommonOptions = {}): Promise<StatusReport> {
  const { paths } = context(options);
  const state = readState(paths.state);
  if (!state) return { up: false, machines: [] };
  const machines = await Promise.all(
    state.machines.map(async (machine): Promise<MachineStatusReport> => {
      const running = machineRunning(machine.name);
      const [sshReachable, etcdHealthy] = running
        ? await Promise.all([tcpOpen(machine.address, 22, 500), memberHealthy(machine.address, 1000)])
        : [false, false];
      return {
        name: machine.name,
        address: machine.address,
        status: machine.status,
        running,
        partitioned: machine.partitioned,
        pid: running ? machine.pid : undefined,
        metadata: machine.metadata,
        sshReachable,
        etcdHealthy,
      };
    }),
  );
  return {
    up: machines.some((m) => m.running),
    definitionFile: fs.existsSync(paths.definition) ? paths.definition : undefined,
    sshConfig: fs.existsSync(paths.sshConfig) ? paths.sshConfig : undefined,
    options: state.options,
    machines,
  };
}
