// Host key verification for the SSH pool, on knownHosts.ts (OpenSSH's known_hosts semantics:
// hashed names, [host]:port, wildcards and negation, @revoked). A machine is looked up by its
// address (host:port) first, then by its name in the definition (like ssh's HostKeyAlias), so a
// known_hosts file written for either works.
import * as fs from 'node:fs';
import { ClusterError } from '../errors';
import { appendKnownHost as appendLine, checkHostKey as check, fingerprintSha256, parseKnownHosts, type KnownHostEntry } from './knownHosts';

export { fingerprintSha256 as fingerprint };

export type HostKeyVerdict =
  | { status: 'known' }
  | { status: 'unknown'; fingerprint: string; keyType: string }
  | { status: 'changed'; fingerprint: string; keyType: string; expected: string[] }
  | { status: 'revoked'; fingerprint: string; keyType: string };

/** Checks the presented key blob for a machine known as host:port, or under `alias`. */
export function checkHostKey(entries: readonly KnownHostEntry[], host: string, port: number, alias: string | undefined, blob: Buffer): HostKeyVerdict {
  let result = check(entries, host, port, blob);
  if (result.status === 'unknown' && alias && alias !== host) result = check(entries, alias, port, blob);
  const { type: keyType, fingerprint } = result.presented;
  switch (result.status) {
    case 'match':
      return { status: 'known' };
    case 'revoked':
      return { status: 'revoked', fingerprint, keyType };
    case 'unknown':
      return { status: 'unknown', fingerprint, keyType };
    case 'mismatch': {
      const sameType = result.known.filter((e) => e.keyType === keyType);
      const expected = (sameType.length > 0 ? sameType : result.known).map((e) => `${e.keyType} ${fingerprintSha256(e.key)}`);
      return { status: 'changed', fingerprint, keyType, expected };
    }
  }
}

export function readKnownHosts(file: string): KnownHostEntry[] {
  try {
    return parseKnownHosts(fs.readFileSync(file, 'utf8')).entries;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new ClusterError('host-key', `cannot read known_hosts file ${file}: ${(error as Error).message}`);
  }
}

/** Records a trusted key for host:port (like ssh's accept-new). */
export function appendKnownHost(file: string, host: string, port: number, blob: Buffer): Promise<string> {
  return appendLine(file, { host, port, key: blob });
}
