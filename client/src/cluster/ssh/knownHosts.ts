// OpenSSH known_hosts: parsing, host matching, host key checks, fingerprints and the "trust this
// key" line, following OpenSSH's own code (hostfile.c, match.c, sshkey.c) so that a file means to
// us what it means to `ssh`:
//
//   [@cert-authority|@revoked] HOSTS KEYTYPE BASE64-KEY [COMMENT]
//
// HOSTS is either a comma-separated list of patterns (`*` and `?` wildcards, `!` negation, a
// non-default port written `[host]:port`), or one hashed name `|1|base64(salt)|base64(HMAC-SHA1
// keyed with salt over the name)`. A line applies to a host when its name — lowercased, and
// written `[host]:port` unless the port is 22 — matches a pattern and no negated pattern.
//
// Checking a presented key (checkHostKey / lookupHostKey) follows check_key_in_hostkeys(): among
// the plain (unmarked) lines that apply to the host, an equal key is a match; any other key,
// whatever its type, makes it a mismatch; no line at all is unknown; and a key listed in an
// applicable @revoked line is revoked whatever else says. @cert-authority lines only vouch for
// host certificates, which ssh2 does not use, so they never make a plain key match. Like ssh, when
// nothing at all is known for `[host]:port`, a match under the bare host name is accepted.
//
// Pure functions except readKnownHostsFile() and appendKnownHost(), which touch the file system.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export type KnownHostMarker = 'cert-authority' | 'revoked';

export type KnownHostNames =
  | { kind: 'hashed'; salt: Buffer; hash: Buffer; text: string }
  | { kind: 'patterns'; patterns: string[]; text: string };

export interface KnownHostEntry {
  /** 1-based line number in the file. */
  line: number;
  /** The line as written (without the line break). */
  raw: string;
  marker?: KnownHostMarker;
  names: KnownHostNames;
  /** Key type as written on the line, e.g. `ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`. */
  keyType: string;
  /** The key blob (SSH wire format), as ssh2's hostVerifier receives it. */
  key: Buffer;
  comment: string;
}

export interface KnownHostsProblem {
  line: number;
  raw: string;
  message: string;
}

export interface KnownHosts {
  entries: KnownHostEntry[];
  /** Lines OpenSSH would ignore as invalid (comments and blank lines are neither). */
  problems: KnownHostsProblem[];
}

// ---------------------------------------------------------------------------------------------
// Key blobs

/** Key types OpenSSH reads in known_hosts, mapped to the type name inside the blob. */
const KEY_TYPES: Readonly<Record<string, string>> = {
  'ssh-ed25519': 'ssh-ed25519',
  'ssh-rsa': 'ssh-rsa',
  'rsa-sha2-256': 'ssh-rsa',
  'rsa-sha2-512': 'ssh-rsa',
  'ssh-dss': 'ssh-dss',
  'ecdsa-sha2-nistp256': 'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384': 'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521': 'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com': 'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com': 'sk-ecdsa-sha2-nistp256@openssh.com',
};

export interface KeyInfo {
  /** Type name inside the blob, e.g. `ssh-ed25519`. */
  type: string;
  /** Key size in bits as `ssh-keygen -l` prints it. */
  bits: number;
  /** `ssh-keygen -l`'s label: ED25519, ECDSA, RSA, DSA, ED25519-SK, ECDSA-SK. */
  label: string;
  /** `SHA256:…`, as OpenSSH prints fingerprints by default. */
  fingerprint: string;
}

class BlobReader {
  private offset = 0;
  constructor(private readonly buf: Buffer) {}
  string(): Buffer {
    if (this.offset + 4 > this.buf.length) throw new Error('truncated key blob');
    const len = this.buf.readUInt32BE(this.offset);
    this.offset += 4;
    if (this.offset + len > this.buf.length) throw new Error('truncated key blob');
    const out = this.buf.subarray(this.offset, this.offset + len);
    this.offset += len;
    return out;
  }
  get done(): boolean {
    return this.offset === this.buf.length;
  }
}

function mpintBits(m: Buffer): number {
  let i = 0;
  while (i < m.length && m[i] === 0) i++;
  if (i === m.length) return 0;
  return (m.length - i - 1) * 8 + (32 - Math.clz32(m[i]));
}

const CURVE_BITS: Readonly<Record<string, number>> = { nistp256: 256, nistp384: 384, nistp521: 521 };

/** Decodes a public key blob; throws when it is not a well-formed key of a known type. */
export function parseKeyBlob(blob: Buffer): KeyInfo {
  const r = new BlobReader(blob);
  const type = r.string().toString('latin1');
  let bits: number;
  let label: string;
  switch (type) {
    case 'ssh-ed25519': {
      const pk = r.string();
      if (pk.length !== 32) throw new Error('bad ed25519 key length');
      bits = 256;
      label = 'ED25519';
      break;
    }
    case 'sk-ssh-ed25519@openssh.com': {
      const pk = r.string();
      if (pk.length !== 32) throw new Error('bad ed25519 key length');
      r.string(); // application
      bits = 256;
      label = 'ED25519-SK';
      break;
    }
    case 'ssh-rsa': {
      r.string(); // e
      bits = mpintBits(r.string());
      label = 'RSA';
      break;
    }
    case 'ssh-dss': {
      bits = mpintBits(r.string()); // p
      r.string(); // q
      r.string(); // g
      r.string(); // y
      label = 'DSA';
      break;
    }
    case 'ecdsa-sha2-nistp256':
    case 'ecdsa-sha2-nistp384':
    case 'ecdsa-sha2-nistp521':
    case 'sk-ecdsa-sha2-nistp256@openssh.com': {
      const curve = r.string().toString('latin1');
      const expected = type.startsWith('sk-') ? 'nistp256' : type.slice('ecdsa-sha2-'.length);
      if (curve !== expected) throw new Error(`curve ${curve} does not match key type ${type}`);
      r.string(); // Q
      if (type.startsWith('sk-')) r.string(); // application
      bits = CURVE_BITS[curve];
      label = type.startsWith('sk-') ? 'ECDSA-SK' : 'ECDSA';
      break;
    }
    default:
      throw new Error(`unknown key type ${JSON.stringify(type)}`);
  }
  if (!r.done) throw new Error('trailing data after the key');
  return { type, bits, label, fingerprint: fingerprintSha256(blob) };
}

/** Accepts a blob, its base64, or an `authorized_keys`-style "type base64 [comment]" line. */
export function keyBlob(key: Buffer | Uint8Array | string): Buffer {
  if (typeof key !== 'string') return Buffer.from(key);
  const fields = key.trim().split(/[ \t]+/);
  const b64 = fields.length >= 2 && fields[0] in KEY_TYPES ? fields[1] : fields[0];
  return Buffer.from(b64, 'base64');
}

/** `SHA256:` and the unpadded base64 of the blob's SHA-256, like `ssh-keygen -l`. */
export function fingerprintSha256(key: Buffer | Uint8Array | string): string {
  return `SHA256:${createHash('sha256').update(keyBlob(key)).digest('base64').replace(/=+$/, '')}`;
}

/** `MD5:` and colon-separated hex, like `ssh-keygen -l -E md5`. */
export function fingerprintMd5(key: Buffer | Uint8Array | string): string {
  const hex = createHash('md5').update(keyBlob(key)).digest('hex');
  return `MD5:${hex.match(/../g)!.join(':')}`;
}

/** Type, size, label and fingerprint of a key; undefined when the blob is not a key we know. */
export function describeKey(key: Buffer | Uint8Array | string): KeyInfo | undefined {
  try {
    return parseKeyBlob(keyBlob(key));
  } catch {
    return undefined;
  }
}

/** One line as `ssh-keygen -l` prints it: `256 SHA256:… comment (ED25519)`. */
export function formatKeyFingerprintLine(key: Buffer | Uint8Array | string, comment = 'no comment'): string {
  const info = describeKey(key);
  if (!info) return `? ${fingerprintSha256(key)} ${comment} (unknown key type)`;
  return `${info.bits} ${info.fingerprint} ${comment} (${info.label})`;
}

// ---------------------------------------------------------------------------------------------
// Parsing

function isBlank(c: string | undefined): boolean {
  return c === ' ' || c === '\t';
}

/** check_markers(): one `@cert-authority` or `@revoked`, ended by the first space (or tab). */
function readMarker(line: string, start: number): { marker?: KnownHostMarker; next: number } | 'error' {
  let cp = start;
  let marker: KnownHostMarker | undefined;
  while (line[cp] === '@') {
    if (marker !== undefined) return 'error';
    let sp = line.indexOf(' ', cp);
    if (sp < 0) sp = line.indexOf('\t', cp);
    if (sp < 0 || sp <= cp + 1 || sp >= cp + 32) return 'error';
    const word = line.slice(cp, sp);
    if (word === '@cert-authority') marker = 'cert-authority';
    else if (word === '@revoked') marker = 'revoked';
    else return 'error';
    cp = sp;
    while (isBlank(line[cp])) cp++;
  }
  return { marker, next: cp };
}

const HASH_MAGIC = '|1|';

function parseNames(text: string): KnownHostNames | string {
  if (!text.startsWith('|')) return { kind: 'patterns', patterns: text.split(','), text };
  if (!text.startsWith(HASH_MAGIC)) return 'unknown hashed host name format';
  const rest = text.slice(HASH_MAGIC.length);
  const bar = rest.indexOf('|');
  if (bar <= 0 || bar > 1024) return 'bad salt in hashed host name';
  const salt = Buffer.from(rest.slice(0, bar), 'base64');
  if (salt.length !== 20) return 'bad salt length in hashed host name';
  const hash = Buffer.from(rest.slice(bar + 1), 'base64');
  return { kind: 'hashed', salt, hash, text };
}

function parseLine(raw: string, lineNo: number): KnownHostEntry | KnownHostsProblem | undefined {
  const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  let cp = 0;
  while (isBlank(line[cp])) cp++;
  if (cp >= line.length || line[cp] === '#') return undefined;
  const problem = (message: string): KnownHostsProblem => ({ line: lineNo, raw, message });
  const m = readMarker(line, cp);
  if (m === 'error') return problem('invalid marker (only @cert-authority and @revoked exist)');
  cp = m.next;
  let end = cp;
  while (end < line.length && !isBlank(line[end])) end++;
  const namesText = line.slice(cp, end);
  const names = parseNames(namesText);
  if (typeof names === 'string') return problem(names);
  cp = end;
  while (isBlank(line[cp])) cp++;
  if (cp >= line.length || line[cp] === '#') return problem('no key after the host names');
  end = cp;
  while (end < line.length && !isBlank(line[end])) end++;
  const keyType = line.slice(cp, end);
  const blobType = KEY_TYPES[keyType];
  if (blobType === undefined) return problem(`unknown key type ${JSON.stringify(keyType)}`);
  cp = end;
  while (isBlank(line[cp])) cp++;
  end = cp;
  while (end < line.length && !isBlank(line[end])) end++;
  const b64 = line.slice(cp, end);
  if (b64 === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return problem('the key is not valid base64');
  const key = Buffer.from(b64, 'base64');
  let info: KeyInfo;
  try {
    info = parseKeyBlob(key);
  } catch (e) {
    return problem(`the key cannot be read: ${(e as Error).message}`);
  }
  if (info.type !== blobType) return problem(`the key is ${info.type} but the line says ${keyType}`);
  cp = end;
  while (isBlank(line[cp])) cp++;
  const entry: KnownHostEntry = { line: lineNo, raw, names, keyType, key, comment: line.slice(cp) };
  if (m.marker) entry.marker = m.marker;
  return entry;
}

/** Parses a known_hosts file's text; never throws (bad lines are listed in `problems`). */
export function parseKnownHosts(text: string): KnownHosts {
  const entries: KnownHostEntry[] = [];
  const problems: KnownHostsProblem[] = [];
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  lines.forEach((raw, i) => {
    const r = parseLine(raw, i + 1);
    if (r === undefined) return;
    if ('message' in r) problems.push(r);
    else entries.push(r);
  });
  return { entries, problems };
}

/** Reads and parses a known_hosts file; a missing file is an empty one. */
export async function readKnownHostsFile(file: string): Promise<KnownHosts> {
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], problems: [] };
    throw e;
  }
  return parseKnownHosts(text);
}

// ---------------------------------------------------------------------------------------------
// Host matching

/** lowercase() in OpenSSH: ASCII letters only, as C's tolower() in the C locale. */
function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

/** The name OpenSSH looks up: lowercased, and `[host]:port` unless the port is 22 (or 0). */
export function knownHostName(host: string, port = 22): string {
  const h = asciiLower(host);
  return port === 22 || port === 0 ? h : `[${h}]:${port}`;
}

/** match_pattern(): `*` any run of bytes, `?` one byte, everything else literal. Linear time. */
function globMatch(s: Buffer, p: Buffer): boolean {
  let si = 0;
  let pi = 0;
  let starP = -1;
  let starS = 0;
  while (si < s.length) {
    if (pi < p.length && (p[pi] === 0x3f || p[pi] === s[si]) && p[pi] !== 0x2a) {
      si++;
      pi++;
    } else if (pi < p.length && p[pi] === 0x2a) {
      starP = pi++;
      starS = si;
    } else if (starP >= 0) {
      pi = starP + 1;
      si = ++starS;
    } else {
      return false;
    }
  }
  while (pi < p.length && p[pi] === 0x2a) pi++;
  return pi === p.length;
}

/**
 * match_pattern_list(name, list, dolower=1): 1 when a pattern matches and none of the negated
 * ones do, -1 when a negated pattern matches, 0 otherwise. `name` must already be lowercased.
 */
export function matchHostPatterns(name: string, patterns: readonly string[]): 1 | 0 | -1 {
  const s = Buffer.from(name, 'utf8');
  let positive = false;
  for (let pat of patterns) {
    let negated = false;
    if (pat.startsWith('!')) {
      negated = true;
      pat = pat.slice(1);
    }
    const sub = Buffer.from(asciiLower(pat), 'utf8');
    if (sub.length >= 1023) return 0; // OpenSSH gives up on the whole list
    if (globMatch(s, sub)) {
      if (negated) return -1;
      positive = true;
    }
  }
  return positive ? 1 : 0;
}

/** `|1|salt|hash` for a name (already lowercased); a random salt unless one is given. */
export function hashHostName(name: string, salt: Buffer = randomBytes(20)): string {
  if (salt.length !== 20) throw new RangeError('The salt of a hashed host name is 20 bytes.');
  const hash = createHmac('sha1', salt).update(name, 'utf8').digest();
  return `${HASH_MAGIC}${salt.toString('base64')}|${hash.toString('base64')}`;
}

function namesMatch(names: KnownHostNames, name: string): boolean {
  if (names.kind === 'patterns') return matchHostPatterns(name, names.patterns) === 1;
  // OpenSSH recomputes "|1|salt|hash" and compares the whole field as text.
  const expected = Buffer.from(hashHostName(name, names.salt), 'latin1');
  const actual = Buffer.from(names.text, 'latin1');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** Whether a line applies to `host` on `port` (markers not considered). */
export function entryAppliesTo(entry: KnownHostEntry, host: string, port = 22): boolean {
  return namesMatch(entry.names, knownHostName(host, port));
}

/** Every line that applies to the host, in file order, @cert-authority and @revoked lines included (what `ssh-keygen -F` lists). */
export function findHostEntries(entries: readonly KnownHostEntry[], host: string, port = 22): KnownHostEntry[] {
  const name = knownHostName(host, port);
  return entries.filter((e) => namesMatch(e.names, name));
}

// ---------------------------------------------------------------------------------------------
// Checking a presented key

export type HostKeyStatus = 'match' | 'mismatch' | 'unknown' | 'revoked';

export interface HostKeyCheck {
  status: HostKeyStatus;
  /** The name looked up (`host` or `[host]:port`). */
  name: string;
  presented: { type: string; fingerprint: string; label?: string; bits?: number };
  /** The line that matched (status 'match'), or the revoking line (status 'revoked'). */
  entry?: KnownHostEntry;
  /** The plain lines that apply to the host: what a mismatch message should list. */
  known: KnownHostEntry[];
  /** Whether one of the known keys has the presented key's type (a true key change rather than a new type). */
  sameTypeKnown: boolean;
  /** The match was found under the bare host name, as ssh does when nothing is known for `[host]:port`. */
  matchedWithoutPort?: boolean;
}

/** Full check of the key a host presented (ssh2's hostVerifier blob) against known_hosts lines. */
export function checkHostKey(
  entries: readonly KnownHostEntry[],
  host: string,
  port: number,
  presentedKey: Buffer | Uint8Array | string,
): HostKeyCheck {
  const name = knownHostName(host, port);
  const blob = keyBlob(presentedKey);
  const info = describeKey(blob);
  let type = info?.type;
  if (type === undefined) {
    try {
      type = new BlobReader(blob).string().toString('latin1');
    } catch {
      type = 'unknown';
    }
  }
  const presented = { type, fingerprint: fingerprintSha256(blob), label: info?.label, bits: info?.bits };
  const applicable = entries.filter((e) => namesMatch(e.names, name));
  const known = applicable.filter((e) => e.marker === undefined);
  const sameTypeKnown = known.some((e) => KEY_TYPES[e.keyType] === type);
  const revokedBy = applicable.find((e) => e.marker === 'revoked' && e.key.equals(blob));
  if (revokedBy) return { status: 'revoked', name, presented, entry: revokedBy, known, sameTypeKnown };
  const matched = known.find((e) => e.key.equals(blob));
  if (matched) return { status: 'match', name, presented, entry: matched, known, sameTypeKnown };
  if (known.length === 0 && port !== 22 && port !== 0) {
    // ssh's "checking without port identifier": nothing at all is known for [host]:port, but the
    // key is known (and not revoked) for the bare host name — accepted. Anything else found that
    // way is ignored, and the host stays unknown.
    const bare = checkHostKey(entries, host, 22, blob);
    if (bare.status === 'match') return { ...bare, name, matchedWithoutPort: true };
  }
  return { status: known.length > 0 ? 'mismatch' : 'unknown', name, presented, known, sameTypeKnown };
}

/** 'match' | 'mismatch' | 'unknown' | 'revoked' for the key a host presented. Only 'match' may connect. */
export function lookupHostKey(
  entries: readonly KnownHostEntry[],
  host: string,
  port: number,
  presentedKey: Buffer | Uint8Array | string,
): HostKeyStatus {
  return checkHostKey(entries, host, port, presentedKey).status;
}

/** A message for a refused key in plain words, with both fingerprints for a mismatch. */
export function describeHostKeyCheck(check: HostKeyCheck, file = 'known_hosts'): string {
  const p = check.presented;
  const presented = `${p.label ?? p.type} key ${p.fingerprint}`;
  switch (check.status) {
    case 'match':
      return `${check.name} presented the ${presented}, known in ${file}:${check.entry!.line}.`;
    case 'unknown':
      return `${check.name} is not in ${file}. It presented the ${presented}; trust it only if that fingerprint is the host's.`;
    case 'revoked':
      return `${check.name} presented the ${presented}, which is REVOKED in ${file}:${check.entry!.line}. Refusing to connect.`;
    case 'mismatch': {
      const known = check.known.map((e) => `${describeKey(e.key)?.label ?? e.keyType} key ${fingerprintSha256(e.key)} (${file}:${e.line})`).join(', ');
      const what = check.sameTypeKnown ? 'THE HOST KEY HAS CHANGED' : 'the host presented a key of a type not known for it';
      return `${check.name}: ${what}. Expected ${known}; got the ${presented}. Someone may be intercepting the connection, or the host was reinstalled; if you know why, remove the old line from ${file}.`;
    }
  }
}

/**
 * Host key algorithms for ssh2's `algorithms.serverHostKey`, with the types already known for the
 * host first (OpenSSH's order_hostkeyalgs()), so that a host with several keys presents the one
 * we know instead of producing a mismatch.
 */
export function preferredHostKeyAlgorithms(entries: readonly KnownHostEntry[], host: string, port: number, supported: readonly string[]): string[] {
  const name = knownHostName(host, port);
  const knownTypes = new Set(entries.filter((e) => e.marker === undefined && namesMatch(e.names, name)).map((e) => KEY_TYPES[e.keyType]));
  const algType = (alg: string): string => KEY_TYPES[alg] ?? alg;
  const first = supported.filter((a) => knownTypes.has(algType(a)));
  return [...first, ...supported.filter((a) => !first.includes(a))];
}

// ---------------------------------------------------------------------------------------------
// Trusting a key

export interface KnownHostLineOptions {
  host: string;
  port?: number;
  /** The key: blob, base64, or "type base64" text. */
  key: Buffer | Uint8Array | string;
  /** Write `|1|salt|hash` instead of the name (OpenSSH's HashKnownHosts). Default false. */
  hashed?: boolean;
  marker?: KnownHostMarker;
  comment?: string;
  /** Salt for a hashed name (tests); random by default. */
  salt?: Buffer;
}

/** The known_hosts line (without a line break) that trusts `key` for `host`:`port`. */
export function formatKnownHostsLine(options: KnownHostLineOptions): string {
  const blob = keyBlob(options.key);
  const info = parseKeyBlob(blob);
  const name = knownHostName(options.host, options.port ?? 22);
  if (/[\s,]/.test(name) || name === '' || name.startsWith('!') || name.startsWith('@') || name.startsWith('|') || name.startsWith('#')) {
    throw new TypeError(`Cannot write ${JSON.stringify(options.host)} as a known_hosts host name.`);
  }
  if (!options.hashed && /[*?]/.test(name)) throw new TypeError(`${JSON.stringify(options.host)} would be read as a pattern in known_hosts.`);
  const names = options.hashed ? hashHostName(name, options.salt) : name;
  const comment = options.comment ? ` ${options.comment.replace(/[\r\n]+/g, ' ')}` : '';
  return `${options.marker ? `@${options.marker} ` : ''}${names} ${info.type} ${blob.toString('base64')}${comment}`;
}

/**
 * Appends the line that trusts a key to a known_hosts file, creating the file (mode 0600) and its
 * directory (0700) when needed, and adding a line break first when the file does not end with
 * one. Returns the line written. Does not remove older lines for the host: after a deliberate key
 * change, remove them first (OpenSSH: `ssh-keygen -R host`).
 */
export async function appendKnownHost(file: string, options: KnownHostLineOptions): Promise<string> {
  const line = formatKnownHostsLine(options);
  await fs.promises.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const handle = await fs.promises.open(file, 'a+', 0o600);
  try {
    const { size } = await handle.stat();
    let prefix = '';
    if (size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      if (last[0] !== 0x0a) prefix = '\n';
    }
    await handle.appendFile(`${prefix}${line}\n`);
  } finally {
    await handle.close();
  }
  return line;
}
