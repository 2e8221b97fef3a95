// SSH access to the machines with the system OpenSSH client: one client key, a fresh host key per
// machine, and a config + known_hosts pair so that `ssh -F .cluster/ssh_config core-01` checks the
// host key strictly and never asks anything.
import * as fs from 'node:fs';
import { run, tryRun, type RunOptions, type RunResult } from './exec';

/** Makes an ed25519 key pair at `file` (and file.pub) unless it exists. Returns the public key line. */
export async function ensureKeyPair(file: string, comment: string): Promise<string> {
  if (!fs.existsSync(file) || !fs.existsSync(`${file}.pub`)) {
    fs.rmSync(file, { force: true });
    fs.rmSync(`${file}.pub`, { force: true });
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file]);
  }
  return fs.readFileSync(`${file}.pub`, 'utf8').trim();
}

export interface SshTarget {
  name: string;
  address: string;
  hostKey: string;
}

export interface SshFiles {
  config: string;
  knownHosts: string;
  identity: string;
  connectTimeoutSeconds: number;
}

/** known_hosts lines match both the machine name and its address. */
export function knownHostsText(targets: readonly SshTarget[]): string {
  return targets
    .map((target) => {
      const [type, key] = target.hostKey.split(/\s+/);
      return `${target.name},${target.address} ${type} ${key}\n`;
    })
    .join('');
}

export function sshConfigText(targets: readonly SshTarget[], files: SshFiles): string {
  const header = [
    '# Written by the Unit Fleet harness (npm run cluster:up). Use: ssh -F <this file> core-01',
    '',
  ];
  const hosts = targets.flatMap((target) => [
    `Host ${target.name}`,
    `  HostName ${target.address}`,
    '  Port 22',
    '  User root',
    `  IdentityFile ${files.identity}`,
    '  IdentitiesOnly yes',
    `  UserKnownHostsFile ${files.knownHosts}`,
    '  GlobalKnownHostsFile /dev/null',
    '  StrictHostKeyChecking yes',
    '  HostKeyAlias ' + target.name,
    '  BatchMode yes',
    // Classic curve25519 first: the post-quantum hybrid OpenSSH 9 prefers costs ~0.25 s of CPU per
    // login here, on a link that never leaves this host.
    '  KexAlgorithms curve25519-sha256,curve25519-sha256@libssh.org,sntrup761x25519-sha512@openssh.com',
    `  ConnectTimeout ${files.connectTimeoutSeconds}`,
    '  ServerAliveInterval 2',
    '  ServerAliveCountMax 3',
    '  LogLevel ERROR',
    '',
  ]);
  return [...header, ...hosts].join('\n');
}

/**
 * Quotes one argument for the remote login shell. ssh joins its arguments with spaces and hands the
 * result to the remote shell, so every argument must be single-quoted to arrive unchanged.
 */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Runs `argv` on a machine over ssh (argument array in, exact arguments out on the machine). */
export function sshRun(configFile: string, machine: string, argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return tryRun('ssh', ['-F', configFile, machine, '--', argv.map(shellQuote).join(' ')], options);
}
