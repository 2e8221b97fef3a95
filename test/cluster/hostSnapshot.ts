// What the local cluster may leave on the host, captured so that a test can compare before and after
// `down`: mounts, network namespaces, links, cgroups, nspawn's run folder, and processes.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { mountPoints } from '../../harness/mounts';

export interface HostSnapshot {
  mounts: string[];
  netns: string[];
  links: string[];
  cgroups: string[];
  runDirs: string[];
  /** Live (non-zombie) processes whose cgroup is one of the harness's. */
  clusterProcesses: number[];
}

function list(dir: string): string[] {
  try {
    return fs.readdirSync(dir).sort();
  } catch {
    return [];
  }
}

export function alive(pid: number): boolean {
  try {
    // A zombie has exited; it only waits for its parent to read its status.
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

function processesInHarnessCgroups(): number[] {
  return list('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/cgroup`, 'utf8').includes('/unit-fleet') && alive(pid);
      } catch {
        return false;
      }
    });
}

export function hostSnapshot(): HostSnapshot {
  const links = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /^\d+:\s+([^:@]+)/.exec(line)?.[1])
    .filter((name): name is string => !!name)
    .sort();
  return {
    mounts: [...new Set(mountPoints())].sort(),
    netns: list('/run/netns'),
    links,
    cgroups: ['/sys/fs/cgroup/unified', '/sys/fs/cgroup/systemd', '/sys/fs/cgroup'].flatMap((root) =>
      list(root).filter((name) => name.startsWith('unit-fleet')).map((name) => `${root}/${name}`),
    ),
    runDirs: fs.existsSync('/run/systemd/nspawn') ? ['/run/systemd/nspawn', ...list('/run/systemd/nspawn')] : [],
    clusterProcesses: processesInHarnessCgroups(),
  };
}
