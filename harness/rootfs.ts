// A machine's root file system: an overlay whose read-only lower layer is the host's `/` and whose
// upper layer is a per-machine tmpfs. Nothing on the host's disk changes; deleting a host file inside
// the merged view only leaves a whiteout in the machine's upper layer.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { run } from './exec';
import { isMountPoint, unmount } from './mounts';

/** Cap for a machine's writable layer; it holds etcd's data (WAL preallocates 128 MB) and logs. */
const TMPFS_SIZE = '2g';

/**
 * Folders a machine gets empty instead of seeing the host's: homes (the host's dotfiles, caches and
 * credentials have no business in a test machine, and a slow ~/.bashrc slows every ssh command) and
 * temporary files. Mode of the fresh folder for each.
 */
export const FRESH_DIRS: Record<string, number> = { root: 0o700, home: 0o755, tmp: 0o1777, 'var/tmp': 0o1777 };

export async function mountRoot(name: string, dir: string, root: string): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  if (!isMountPoint(dir)) await run('mount', ['-t', 'tmpfs', '-o', `mode=0755,size=${TMPFS_SIZE}`, `unit-fleet-${name}`, dir]);
  const upper = path.join(dir, 'upper');
  for (const sub of ['upper', 'work', 'root']) fs.mkdirSync(path.join(dir, sub), { recursive: true });
  if (isMountPoint(root)) return;
  // A whiteout (character device 0:0) in the upper layer hides the host's folder; making the folder
  // again in the merged view then gives an empty "opaque" folder. Cheaper than deleting the host's
  // files one by one through the overlay, and it needs no xattr tool.
  for (const rel of Object.keys(FRESH_DIRS)) {
    const whiteout = path.join(upper, rel);
    if (fs.existsSync(whiteout)) continue;
    fs.mkdirSync(path.dirname(whiteout), { recursive: true });
    await run('mknod', [whiteout, 'c', '0', '0']);
  }
  const options = `lowerdir=/,upperdir=${upper},workdir=${path.join(dir, 'work')}`;
  await run('mount', ['-t', 'overlay', '-o', options, `unit-fleet-${name}`, root]);
  for (const [rel, mode] of Object.entries(FRESH_DIRS)) {
    const target = path.join(root, rel);
    if (!fs.existsSync(target)) fs.mkdirSync(target);
    fs.chmodSync(target, mode);
  }
}

export async function unmountRoot(dir: string, root: string, warn: (line: string) => void): Promise<void> {
  await unmount(root, warn);
  await unmount(dir, warn);
}

/**
 * Resolves `rel` inside the machine root and refuses any path whose folders pass through a symlink:
 * the merged view contains the host's absolute symlinks, and following one from the host side would
 * write into the host's own file system.
 */
export function inRoot(root: string, rel: string): string {
  const target = path.join(root, rel);
  if (!target.startsWith(`${root}/`)) throw new Error(`${rel} escapes the machine root`);
  let dir = root;
  for (const part of path.relative(root, path.dirname(target)).split(path.sep).filter(Boolean)) {
    dir = path.join(dir, part);
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(dir);
    } catch {
      break; // does not exist yet: nothing below it can be a symlink
    }
    if (stat.isSymbolicLink()) throw new Error(`${path.relative(root, dir)} is a symlink in the machine root; refusing to write through it`);
  }
  return target;
}

export function removeIn(root: string, rel: string): void {
  fs.rmSync(inRoot(root, rel), { recursive: true, force: true });
}

export function mkdirIn(root: string, rel: string, mode = 0o755): void {
  const target = inRoot(root, rel);
  fs.mkdirSync(target, { recursive: true, mode });
}

/** Replaces the file (never writes through an existing symlink at the target itself). */
export function writeIn(root: string, rel: string, content: string | Buffer, mode = 0o644): void {
  const target = inRoot(root, rel);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.rmSync(target, { force: true });
  fs.writeFileSync(target, content, { mode, flag: 'wx' });
  fs.chmodSync(target, mode);
}

export function symlinkIn(root: string, rel: string, linkTarget: string): void {
  const target = inRoot(root, rel);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.rmSync(target, { force: true });
  fs.symlinkSync(linkTarget, target);
}

export function existsIn(root: string, rel: string): boolean {
  try {
    fs.lstatSync(inRoot(root, rel));
    return true;
  } catch {
    return false;
  }
}

export function listIn(root: string, rel: string): string[] {
  try {
    return fs.readdirSync(inRoot(root, rel));
  } catch {
    return [];
  }
}
