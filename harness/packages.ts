// The Debian packages the machines need. Machines boot the *host's* root file system (as the lower
// layer of an overlay), so their sshd, etcd and Docker are simply the host's packages — installed
// here but never started on the host.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tryRun, tryRunSync, which } from './exec';

/** Needed for any cluster. systemd and dbus: the machines' PID 1 and bus come from the host root. */
export const BASE_PACKAGES = [
  'systemd',
  'systemd-container',
  'dbus',
  'openssh-server',
  'openssh-client',
  'etcd-server',
  'etcd-client',
  'iproute2',
  'procps',
  'tar',
] as const;

/** Needed with --docker; busybox-static is the content of the local image. */
export const DOCKER_PACKAGES = ['docker.io', 'containerd', 'runc', 'iptables', 'busybox-static'] as const;

export function requiredPackages(docker: boolean): string[] {
  return [...BASE_PACKAGES, ...(docker ? DOCKER_PACKAGES : [])];
}

/** Which of `packages` dpkg does not list as installed (all of them when dpkg is absent). */
export function missingPackagesSync(packages: readonly string[]): string[] {
  if (!which('dpkg-query')) return [...packages];
  const result = tryRunSync('dpkg-query', ['-W', '-f=${Package} ${db:Status-Abbrev}\n', ...packages]);
  const installed = new Set(
    result.stdout
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter(([, status]) => status === 'ii')
      .map(([name]) => name),
  );
  return packages.filter((name) => !installed.has(name));
}

const POLICY_RC_D = '/usr/sbin/policy-rc.d';
const DENY_ALL = '#!/bin/sh\n# Written by the Unit Fleet harness while it installs packages: start nothing on this host.\nexit 101\n';

/**
 * Runs `body` with a policy-rc.d that forbids maintainer scripts to start services, then restores
 * whatever was there before (some hosts, e.g. Docker-built images, already ship one).
 */
async function withServicesForbidden<T>(body: () => Promise<T>): Promise<T> {
  let previous: { content: Buffer; mode: number } | undefined;
  try {
    previous = { content: fs.readFileSync(POLICY_RC_D), mode: fs.statSync(POLICY_RC_D).mode & 0o7777 };
  } catch {
    previous = undefined;
  }
  fs.writeFileSync(POLICY_RC_D, DENY_ALL, { mode: 0o755 });
  fs.chmodSync(POLICY_RC_D, 0o755);
  try {
    return await body();
  } finally {
    if (previous) {
      fs.writeFileSync(POLICY_RC_D, previous.content);
      fs.chmodSync(POLICY_RC_D, previous.mode);
    } else {
      fs.rmSync(POLICY_RC_D, { force: true });
    }
  }
}

/**
 * Installs the packages that are missing. Returns the ones it installed (empty when warm).
 * apt output goes to `logFile`, so a failure can be read in full.
 */
export async function ensurePackages(docker: boolean, logFile: string, log: (line: string) => void): Promise<string[]> {
  const missing = missingPackagesSync(requiredPackages(docker));
  if (missing.length === 0) return [];
  if (!which('apt-get')) {
    throw new Error(`missing packages ${missing.join(', ')} and no apt-get to install them`);
  }
  log(`installing ${missing.join(' ')} (apt log: ${logFile})`);
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const env = { DEBIAN_FRONTEND: 'noninteractive', NEEDRESTART_MODE: 'l' };
  await withServicesForbidden(async () => {
    const update = await tryRun('apt-get', ['update', '-q'], { env, timeoutMs: 300_000 });
    fs.appendFileSync(logFile, update.stdout + update.stderr);
    const install = await tryRun(
      'apt-get',
      ['install', '-y', '-q', '--no-install-recommends', '-o', 'Dpkg::Options::=--force-confold', ...missing],
      { env, timeoutMs: 900_000 },
    );
    fs.appendFileSync(logFile, install.stdout + install.stderr);
    if (install.code !== 0) {
      const tail = (install.stderr || install.stdout).trim().split('\n').slice(-5).join('\n');
      throw new Error(`apt-get install ${missing.join(' ')} failed (see ${logFile}):\n${tail}`);
    }
  });
  const still = missingPackagesSync(missing);
  if (still.length > 0) throw new Error(`apt-get did not install ${still.join(', ')} (see ${logFile})`);
  // Packages that ship services enable them (links in /etc/systemd/system); the machines drop
  // those links and enable their own set (see rootfs.ts), so the host's enablement does not matter.
  return missing;
}
