// Turns a fresh overlay of the host root into one particular machine, before it boots: identity
// (machine-id, hostname, ssh host key), access (authorized key, sshd settings), and exactly the
// services a cluster machine runs (sshd, etcd, and Docker when asked) — none of the host's others.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { etcdEnvironment } from './etcd';
import { run } from './exec';
import { IMAGE_PATH_IN_MACHINE, IMAGE_UNIT } from './image';
import { existsIn, inRoot, listIn, mkdirIn, removeIn, symlinkIn, writeIn } from './rootfs';
import type { MachinePlan } from './topology';

/** Host services that must never start inside a machine even if something pulls them in. */
const MASKED_UNITS = [
  'getty.target',
  'console-getty.service',
  'systemd-timesyncd.service',
  'systemd-networkd-wait-online.service',
  'apt-daily.timer',
  'apt-daily-upgrade.timer',
  'man-db.timer',
  'e2scrub_all.timer',
  'e2scrub_reap.service',
  'fstrim.timer',
  'dpkg-db-backup.timer',
  'logrotate.timer',
  'postgresql.service',
  'podman.service',
  'podman-restart.service',
];

/**
 * Host-local installs that would shadow the Debian packages the machines use (e.g. a newer docker
 * CLI in /usr/local/bin); machines should see a plain Debian system.
 */
const SHADOWING_BINARIES = ['docker', 'dockerd', 'containerd', 'ctr', 'runc', 'etcd', 'etcdctl'].map((name) => `usr/local/bin/${name}`);

const SSHD_DROP_IN = `# Written by the Unit Fleet harness: key-only root login, no DNS lookups (faster logins).
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UseDNS no
HostKey /etc/ssh/ssh_host_ed25519_key
`;

/** A random version-4 UUID in machine-id form, the same as `systemd-id128 new`. */
export function newMachineId(): string {
  const bytes = randomBytes(16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  return bytes.toString('hex');
}

export interface ProvisionInput {
  machine: MachinePlan;
  all: readonly MachinePlan[];
  machineId: string;
  clientPublicKey: string;
  docker: boolean;
  etcdV2: boolean;
  /** Built image tarball on the host (with docker). */
  imageTarball?: string;
}

/** Writes the machine's files into its merged root. Returns the machine's public ssh host key. */
export async function provisionMachine(root: string, input: ProvisionInput): Promise<string> {
  const { machine, all } = input;

  writeIn(root, 'etc/machine-id', `${input.machineId}\n`, 0o444);
  writeIn(root, 'etc/hostname', `${machine.name}\n`);
  writeIn(
    root,
    'etc/hosts',
    ['127.0.0.1\tlocalhost', `127.0.1.1\t${machine.name}`, '::1\tlocalhost ip6-localhost ip6-loopback', ...all.map((m) => `${m.address}\t${m.name}`), ''].join('\n'),
  );
  // No name servers: names of the cluster come from /etc/hosts, and lookups of anything else fail
  // at once on the machine's own loopback instead of heading for the host's resolver.
  writeIn(root, 'etc/resolv.conf', '# unit-fleet machine: no DNS (cluster names are in /etc/hosts)\n');
  // The host's fstab describes the host's disks; a machine has nothing to mount.
  writeIn(root, 'etc/fstab', '# unit-fleet machine: no mounts of its own\n');

  // Only this machine's own host key: drop the host's keys (whiteouts), make a fresh one.
  for (const name of listIn(root, 'etc/ssh')) if (name.startsWith('ssh_host_')) removeIn(root, `etc/ssh/${name}`);
  const hostKeyPath = inRoot(root, 'etc/ssh/ssh_host_ed25519_key');
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `root@${machine.name}`, '-f', hostKeyPath]);
  const hostKey = fs.readFileSync(`${hostKeyPath}.pub`, 'utf8').trim();
  writeIn(root, 'etc/ssh/sshd_config.d/unit-fleet.conf', SSHD_DROP_IN);
  // root's home is fresh (see FRESH_DIRS): give it Debian's default dotfiles, like a new install.
  for (const dot of ['bashrc', 'profile']) {
    const source = `/usr/share/base-files/dot.${dot}`;
    if (fs.existsSync(source)) writeIn(root, `root/.${dot}`, fs.readFileSync(source));
  }
  mkdirIn(root, 'root/.ssh', 0o700);
  fs.chmodSync(inRoot(root, 'root/.ssh'), 0o700);
  writeIn(root, 'root/.ssh/authorized_keys', `${input.clientPublicKey}\n`, 0o600);

  // Services: forget every unit the host administrator enabled, then enable ours.
  for (const dir of listIn(root, 'etc/systemd/system')) {
    if (dir.endsWith('.wants') || dir.endsWith('.requires')) {
      for (const link of listIn(root, `etc/systemd/system/${dir}`)) removeIn(root, `etc/systemd/system/${dir}/${link}`);
    }
  }
  for (const unit of MASKED_UNITS) symlinkIn(root, `etc/systemd/system/${unit}`, '/dev/null');
  const enable = (target: string, unit: string, from = `/lib/systemd/system/${unit}`) =>
    symlinkIn(root, `etc/systemd/system/${target}.wants/${unit}`, from);
  enable('multi-user.target', 'ssh.service');
  enable('multi-user.target', 'etcd.service');

  // etcd: a fresh member (never the host's data, should the host have run etcd itself).
  writeIn(root, 'etc/default/etcd', etcdEnvironment(machine, all, input.etcdV2));
  removeIn(root, 'var/lib/etcd/default');

  for (const binary of SHADOWING_BINARIES) if (existsIn(root, binary)) removeIn(root, binary);

  if (input.docker) {
    enable('multi-user.target', 'containerd.service');
    enable('multi-user.target', 'docker.service');
    enable('sockets.target', 'docker.socket');
    if (!input.imageTarball) throw new Error('docker machines need the image tarball');
    writeIn(root, IMAGE_PATH_IN_MACHINE.slice(1), fs.readFileSync(input.imageTarball));
    writeIn(root, 'etc/systemd/system/unit-fleet-image.service', IMAGE_UNIT);
    enable('multi-user.target', 'unit-fleet-image.service', '/etc/systemd/system/unit-fleet-image.service');
  }
  return hostKey;
}
