// Booting and stopping one machine: systemd-nspawn running the host's systemd as PID 1 on the
// machine's overlay root, inside the machine's own network namespace and cgroup.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import { cgroupPids, createCgroups, killCgroup, machineCgroups, populated, removeCgroupTree, waitEmpty } from './cgroups';
import { waitFor } from './exec';
import { sshRun } from './ssh';
import type { MachineState } from './state';

export interface BootOptions {
  docker: boolean;
  /** Folder hidden inside the machine (the project tree, which the host root would otherwise show). */
  hide: string;
}

/** Arguments for systemd-nspawn. The flags below are the ones this host kind needs (see notes). */
export function nspawnArgs(machine: MachineState, options: BootOptions): string[] {
  const args = [
    '--boot',
    `--directory=${machine.root}`,
    `--machine=${machine.name}`,
    // The host has no systemd to register with (else: "Failed to open system bus").
    '--register=no',
    '--keep-unit',
    `--network-namespace-path=/run/netns/${machine.netns}`,
    '--console=passive',
    '--link-journal=no',
    '--resolv-conf=off',
    '--timezone=off',
    `--tmpfs=${options.hide}`,
  ];
  if (options.docker) {
    args.push(
      // dockerd needs to manage cgroups, iptables, mounts and bpf device filters inside the machine.
      '--capability=all',
      '--system-call-filter=@keyring',
      '--system-call-filter=bpf',
      // overlay2 cannot sit on the overlayfs root: give Docker a real-disk folder.
      `--bind=${machine.disk}:/var/lib/docker`,
    );
  }
  return args;
}

/**
 * Starts systemd-nspawn detached. A tiny sh first moves itself into the machine's cgroups and then
 * execs nspawn, so nspawn (same pid) and everything below it are in that cgroup from the start.
 */
export function spawnMachine(machine: MachineState, options: BootOptions): number {
  const groups = machineCgroups(machine.name);
  createCgroups(groups);
  fs.mkdirSync(machine.disk, { recursive: true });
  const log = fs.openSync(machine.log, 'a');
  const script = 'echo $$ > "$1/cgroup.procs" && { [ -z "$2" ] || echo $$ > "$2/cgroup.procs"; } && shift 2 && exec "$@"';
  const child = spawn('/bin/sh', ['-c', script, 'unit-fleet-boot', groups.unified, groups.systemd ?? '', 'systemd-nspawn', ...nspawnArgs(machine, options)], {
    detached: true,
    stdio: ['ignore', log, log],
    // Docker inside needs a writable cgroup2 tree; a pure cgroup2 machine is also what systemd prefers.
    env: { ...process.env, SYSTEMD_NSPAWN_UNIFIED_HIERARCHY: '1' },
  });
  fs.closeSync(log);
  child.unref();
  if (!child.pid) throw new Error(`could not start systemd-nspawn for ${machine.name}`);
  return child.pid;
}

/** Is `pid` a live process in this machine's cgroup (guards against a recycled pid)? */
export function pidBelongsTo(pid: number, machine: string): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cgroup`, 'utf8').includes(`/unit-fleet/${machine}`);
  } catch {
    return false;
  }
}

export function machineRunning(machine: string): boolean {
  return populated(machineCgroups(machine).unified);
}

export function tcpOpen(host: string, port: number, timeoutMs = 300): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: timeoutMs });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

/** Waits until sshd answers and boot finished with the machine's services active. */
export async function waitReady(machine: MachineState, sshConfig: string, docker: boolean, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  await waitFor(`sshd on ${machine.name} (${machine.address}:22)`, timeoutMs, async () => ((await tcpOpen(machine.address, 22)) ? true : undefined), 50);
  const units = ['ssh.service', 'etcd.service', ...(docker ? ['docker.service', 'unit-fleet-image.service'] : [])];
  // is-system-running --wait returns once the boot transaction is done (etcd included, which only
  // signals readiness once its cluster has a leader).
  // One login for both questions (each login costs ~0.25 s); the unit names travel as arguments.
  const remaining = Math.max(5_000, deadline - Date.now());
  const script = 'systemctl is-system-running --wait >/dev/null; exec systemctl is-active "$@"';
  const active = await sshRun(sshConfig, machine.name, ['sh', '-c', script, 'wait-ready', ...units], { timeoutMs: remaining });
  if (active.code !== 0) {
    const failed = await sshRun(sshConfig, machine.name, ['systemctl', '--no-pager', '--failed', '--no-legend'], { timeoutMs: 15_000 });
    const states = active.stdout.trim().split('\n');
    const detail = units.map((unit, i) => `${unit}=${states[i] ?? '?'}`).join(' ');
    throw new Error(`${machine.name} booted but not all services are active: ${detail}; failed units: ${failed.stdout.trim() || 'none'} (log: ${machine.log})`);
  }
}

/** Power cut: every process of the machine gets SIGKILL at once. */
export async function killMachine(machine: MachineState): Promise<void> {
  const groups = machineCgroups(machine.name);
  await killCgroup(groups.unified);
  await removeMachineCgroups(machine.name);
  removeNspawnLeftovers(machine);
}

/**
 * Graceful shutdown: SIGTERM to nspawn makes it ask the machine's systemd to power off. Falls back to
 * the power cut if the machine does not finish in time.
 */
export async function stopMachine(machine: MachineState, timeoutMs = 20_000): Promise<'graceful' | 'forced'> {
  const groups = machineCgroups(machine.name);
  let how: 'graceful' | 'forced' = 'graceful';
  if (machine.pid && pidBelongsTo(machine.pid, machine.name)) {
    process.kill(machine.pid, 'SIGTERM');
    if (!(await waitEmpty(groups.unified, timeoutMs))) how = 'forced';
  } else if (populated(groups.unified)) {
    how = 'forced';
  }
  await killCgroup(groups.unified);
  await removeMachineCgroups(machine.name);
  removeNspawnLeftovers(machine);
  return how;
}

/**
 * Files nspawn keeps on the host while a machine runs and cannot remove after a power cut: its
 * propagation folder and the lock named after the root folder's device and inode. Only empty folders
 * are removed (rmdir), so a mount that might still sit there is never traversed.
 */
export function removeNspawnLeftovers(machine: Pick<MachineState, 'name' | 'root'>): void {
  try {
    const stat = fs.statSync(machine.root);
    fs.rmSync(`${NSPAWN_RUN_DIR}/locks/inode-${stat.dev}:${stat.ino}`, { force: true });
  } catch {
    // root already gone: its lock cannot be named any more, and dies with the next host boot
  }
  try {
    fs.rmdirSync(`${NSPAWN_RUN_DIR}/propagate/${machine.name}`);
  } catch {
    // not there, or not empty
  }
}

export const NSPAWN_RUN_DIR = '/run/systemd/nspawn';

async function removeMachineCgroups(machine: string): Promise<void> {
  const groups = machineCgroups(machine);
  await removeCgroupTree(groups.unified);
  if (groups.systemd) {
    // In the v1 name=systemd tree the processes are gone once the v2 tree is empty.
    if (cgroupPids(groups.systemd).length > 0) await waitFor(`${machine} v1 cgroup to empty`, 5_000, async () => (cgroupPids(groups.systemd!).length === 0 ? true : undefined), 20);
    await removeCgroupTree(groups.systemd);
  }
}
