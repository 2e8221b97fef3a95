// Can this host run the local cluster? Answers with the exact reason when not, so that tests can
// skip saying why (and fail under CI, where the prerequisites must be present).
import * as fs from 'node:fs';
import { probeCgroupKill } from './cgroups';
import { which } from './exec';
import { missingPackagesSync, requiredPackages } from './packages';

export type Readiness = { ok: true } | { ok: false; reason: string };

export function canRunCluster(options: { docker?: boolean } = {}): Readiness {
  if (process.platform !== 'linux') {
    return { ok: false, reason: `the local cluster needs Linux (systemd-nspawn, network namespaces, cgroup2); this is ${process.platform}` };
  }
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    return { ok: false, reason: 'the local cluster needs root: it creates network namespaces, mounts and cgroups (run it as root, e.g. sudo npm run cluster:up)' };
  }
  if (!fs.existsSync('/proc/self/ns/net')) return { ok: false, reason: 'the kernel has no network namespaces (/proc/self/ns/net missing)' };
  if (!readFileOr('/proc/filesystems').split('\n').some((line) => line.trim().endsWith('overlay'))) {
    return { ok: false, reason: 'the kernel has no overlayfs (not listed in /proc/filesystems; try modprobe overlay)' };
  }
  const cgroupKill = probeCgroupKill();
  if (!cgroupKill.ok) return cgroupKill;
  const missing = missingPackagesSync(requiredPackages(options.docker ?? true));
  if (missing.length > 0 && !(which('apt-get') && which('dpkg-query'))) {
    return { ok: false, reason: `missing Debian packages ${missing.join(', ')} (systemd-nspawn, sshd, etcd, Docker…) and no apt-get to install them` };
  }
  return { ok: true };
}

function readFileOr(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
