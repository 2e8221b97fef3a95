// Host key verification against an OpenSSH known_hosts file: plain and hashed (|1|salt|hash)
// host names, [host]:port for other ports, wildcards, @revoked markers. Unknown keys are refused
// unless the caller trusts them (a CLI flag, an extension prompt); a changed key is always refused,
// naming both fingerprints.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { ClusterError } from '../errors';

export interface KnownKey {
  /** The host patterns of the line (hashed ones stay hashed). */
  hosts: string;
  keyType: string;
  /** base64 of the key blob, as in the file. */
  key: string;
  revoked: boolean;
}

export function fingerprint(blob: Buffer): string {
  return `SHA256:${crypto.createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type inside an SSH public key blob (its first string). */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const n = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + n).toString('latin1');
}

export function parseKnownHosts(text: string): KnownKey[] {
  const keys: KnownKey[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    let revoked = false;
    if (fields[0]!.startsWith('@')) {
      const marker = fields.shift()!;
      if (marker === '@revoked') revoked = true;
      else continue; // @cert-authority: certificates are not supported here
    }
    if (fields.length < 3) continue;
    keys.push({ hosts: fields[0]!, keyType: fields[1]!, key: fields[2]!, revoked });
  }
  return keys;
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 'i');
}

/** Does one host pattern list of a known_hosts line match `name` (already in [host]:port form when needed)? */
export function hostsMatch(hosts: string, name: string): boolean {
  if (hosts.startsWith('|1|')) {
    const [, , salt, hash] = hosts.split('|');
    if (!salt || !hash) return false;
    const mac = crypto.createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
    return mac === hash;
  }
  let matched = false;
  for (const pattern of hosts.split(',')) {
    if (pattern.startsWith('!')) {
      if (globToRegExp(pattern.slice(1)).test(name)) return false;
    } else if (globToRegExp(pattern).test(name)) matched = true;
  }
  return matched;
}

export function hostKeyName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

export type HostKeyVerdict =
  | { status: 'known' }
  | { status: 'unknown'; fingerprint: string; keyType: string }
  | { status: 'changed'; fingerprint: string; keyType: string; expected: string[] }
  | { status: 'revoked'; fingerprint: string; keyType: string };

/** Checks `blob` for a host known under any of `names` (first names first: the address, then aliases). */
export function checkHostKey(known: readonly KnownKey[], names: readonly string[], blob: Buffer): HostKeyVerdict {
  const presented = blob.toString('base64');
  const keyType = keyTypeOf(blob);
  const fp = fingerprint(blob);
  for (const name of names) {
    const entries = known.filter((k) => hostsMatch(k.hosts, name));
    if (entries.some((k) => k.revoked && k.key === presented)) return { status: 'revoked', fingerprint: fp, keyType };
    const live = entries.filter((k) => !k.revoked);
    if (live.length === 0) continue;
    if (live.some((k) => k.key === presented)) return { status: 'known' };
    const sameType = live.filter((k) => k.keyType === keyType);
    // OpenSSH: a different key of the same type is a changed key; other types only are "unknown
    // for this type", which it also refuses under strict checking. Both are reported as changed.
    const expected = (sameType.length > 0 ? sameType : live).map((k) => `${k.keyType} ${fingerprint(Buffer.from(k.key, 'base64'))}`);
    return { status: 'changed', fingerprint: fp, keyType, expected };
  }
  return { status: 'unknown', fingerprint: fp, keyType };
}

export function readKnownHosts(file: string): KnownKey[] {
  try {
    return parseKnownHosts(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new ClusterError('host-key', `cannot read known_hosts file ${file}: ${(error as Error).message}`);
  }
}

/** Appends a trusted key (plain host name, like ssh's accept-new). */
export function appendKnownHost(file: string, name: string, blob: Buffer): void {
  const line = `${name} ${keyTypeOf(blob)} ${blob.toString('base64')}\n`;
  let prefix = '';
  try {
    const current = fs.readFileSync(file, 'utf8');
    if (current.length > 0 && !current.endsWith('\n')) prefix = '\n';
  } catch {
    /* new file */
  }
  fs.appendFileSync(file, prefix + line, { mode: 0o600 });
}
