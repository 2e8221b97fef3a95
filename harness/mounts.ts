// Reading and undoing the host mounts the harness makes (a tmpfs and an overlay per machine).
import * as fs from 'node:fs';
import { run, sleep, tryRun } from './exec';

/** Mount points from /proc/self/mountinfo (octal escapes such as \040 decoded). */
export function mountPoints(): string[] {
  const text = fs.readFileSync('/proc/self/mountinfo', 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split(' ')[4] ?? '')
    .map((point) => point.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8))));
}

export function isMountPoint(dir: string): boolean {
  return mountPoints().includes(dir);
}

/** Our mounts at or below `dir`, deepest first (the order they must be unmounted in). */
export function mountsUnder(dir: string): string[] {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  return [...new Set(mountPoints().filter((point) => point === dir || point.startsWith(prefix)))].sort(
    (a, b) => b.length - a.length,
  );
}

/**
 * Unmounts one mount point, stacked mounts included. Retries while busy (a process that just died
 * may still pin it for a moment); a lazy unmount is the last resort, and is reported.
 */
export async function unmount(point: string, warn: (line: string) => void): Promise<void> {
  for (let attempt = 0; isMountPoint(point); attempt++) {
    const result = await tryRun('umount', [point]);
    if (result.code === 0) continue;
    if (attempt >= 40) {
      warn(`${point} stays busy (${result.stderr.trim()}); detaching it lazily`);
      await run('umount', ['-l', point]);
      return;
    }
    await sleep(50);
  }
}
