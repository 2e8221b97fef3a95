// One cgroup per machine, made by us before nspawn starts. Without it all machines would share one
// cgroup tree and their systemds would fight over it; with it, a machine's whole process tree can be
// killed at once through cgroup.kill (a power cut), and `down` can find every process we started.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sleep } from './exec';

/** Parent of all machine cgroups, in every hierarchy we use. */
export const CGROUP_PARENT = 'unit-fleet';

/** The cgroup2 mount: `unified` on hybrid hosts (like this project's machines), the root on pure v2. */
export function cgroup2Root(): string | undefined {
  if (fs.existsSync('/sys/fs/cgroup/unified/cgroup.procs')) return '/sys/fs/cgroup/unified';
  if (fs.existsSync('/sys/fs/cgroup/cgroup.controllers')) return '/sys/fs/cgroup';
  return undefined;
}

/** The v1 `name=systemd` hierarchy of hybrid hosts; systemd inside a machine also tracks itself there. */
export function systemdV1Root(): string | undefined {
  return fs.existsSync('/sys/fs/cgroup/systemd/cgroup.procs') ? '/sys/fs/cgroup/systemd' : undefined;
}

export interface MachineCgroups {
  /** cgroup2 path: cgroup.kill and cgroup.events live here. */
  unified: string;
  /** name=systemd v1 path on hybrid hosts. */
  systemd?: string;
}

export function machineCgroups(machine: string): MachineCgroups {
  const v2 = cgroup2Root();
  if (!v2) throw new Error('no cgroup2 hierarchy mounted');
  const v1 = systemdV1Root();
  return {
    unified: path.join(v2, CGROUP_PARENT, machine),
    systemd: v1 ? path.join(v1, CGROUP_PARENT, machine) : undefined,
  };
}

export function parentCgroups(): string[] {
  return [cgroup2Root(), systemdV1Root()].filter((root): root is string => !!root).map((root) => path.join(root, CGROUP_PARENT));
}

export function createCgroups(groups: MachineCgroups): void {
  fs.mkdirSync(groups.unified, { recursive: true });
  if (groups.systemd) fs.mkdirSync(groups.systemd, { recursive: true });
}

/** True while any process is in the cgroup or below it. */
export function populated(cgroup: string): boolean {
  try {
    return /^populated 1$/m.test(fs.readFileSync(path.join(cgroup, 'cgroup.events'), 'utf8'));
  } catch {
    return false; // gone
  }
}

/** Pids in the cgroup and all its descendants (v2 or v1). */
export function cgroupPids(cgroup: string): number[] {
  const pids: number[] = [];
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
      for (const line of fs.readFileSync(path.join(dir, 'cgroup.procs'), 'utf8').split('\n')) {
        if (line.trim()) pids.push(Number(line));
      }
    } catch {
      return;
    }
    for (const entry of entries) if (entry.isDirectory()) walk(path.join(dir, entry.name));
  };
  walk(cgroup);
  return pids;
}

/** The power cut: SIGKILL to every process in the cgroup tree, atomically, then wait until empty. */
export async function killCgroup(cgroup: string, timeoutMs = 10_000): Promise<void> {
  if (!fs.existsSync(cgroup)) return;
  fs.writeFileSync(path.join(cgroup, 'cgroup.kill'), '1');
  await waitEmpty(cgroup, timeoutMs);
}

export async function waitEmpty(cgroup: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (populated(cgroup)) {
    if (Date.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}

/**
 * Removes a cgroup and everything below it (systemd in the machine makes its own sub-cgroups).
 * Leaves first; retried because a cgroup stays busy for a moment after its last process exits.
 */
export async function removeCgroupTree(cgroup: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      removeTreeOnce(cgroup);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return;
      if (Date.now() > deadline) throw new Error(`cannot remove cgroup ${cgroup}: ${(error as Error).message}`);
      await sleep(50);
    }
  }
}

function removeTreeOnce(dir: string): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  for (const entry of entries) if (entry.isDirectory()) removeTreeOnce(path.join(dir, entry.name));
  // cgroupfs folders are removed with rmdir even though they list control files.
  fs.rmdirSync(dir);
}

/** Does the cgroup2 kernel support cgroup.kill (Linux ≥ 5.14)? Probed in a throwaway child cgroup. */
export function probeCgroupKill(): { ok: true } | { ok: false; reason: string } {
  const v2 = cgroup2Root();
  if (!v2) return { ok: false, reason: 'no cgroup2 hierarchy is mounted (looked at /sys/fs/cgroup/unified and /sys/fs/cgroup)' };
  const existing = path.join(v2, CGROUP_PARENT);
  if (fs.existsSync(existing)) {
    return fs.existsSync(path.join(existing, 'cgroup.kill'))
      ? { ok: true }
      : { ok: false, reason: `the kernel's cgroup2 has no cgroup.kill (needs Linux 5.14 or later) — checked ${existing}` };
  }
  const probe = path.join(v2, `${CGROUP_PARENT}-probe-${process.pid}`);
  try {
    fs.mkdirSync(probe);
  } catch (error) {
    return { ok: false, reason: `cannot create a cgroup under ${v2}: ${(error as Error).message}` };
  }
  try {
    return fs.existsSync(path.join(probe, 'cgroup.kill'))
      ? { ok: true }
      : { ok: false, reason: `the kernel's cgroup2 has no cgroup.kill (needs Linux 5.14 or later, this is ${osRelease()})` };
  } finally {
    fs.rmdirSync(probe);
  }
}

function osRelease(): string {
  try {
    return fs.readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim();
  } catch {
    return 'unknown';
  }
}
