// `down`: removes everything a cluster may have made, whatever state it is in.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CGROUP_PARENT, cgroup2Root, killCgroup, parentCgroups, populated, removeCgroupTree } from './cgroups';
import { context, leftoversLikely, type CommonOptions, type Log } from './context';
import { tryRun } from './exec';
import { withLock } from './lock';
import { NSPAWN_RUN_DIR, removeNspawnLeftovers } from './machines';
import { isMountPoint, mountsUnder, unmount } from './mounts';
import { linkExists, netnsList, removeBridge, removeLink, removeMachineNetwork } from './network';
import type { ClusterPaths } from './paths';
import { readState } from './state';
import { BRIDGE } from './topology';

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
export async function downLocked(paths: ClusterPaths, log: Log): Promise<boolean> {
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
