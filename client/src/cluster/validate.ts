// Validation of the names the cluster core passes to remote commands and to etcd: unit names,
// unit patterns, etcd keys, machine names and ids, journal cursors. Remote commands are always
// built with shellQuote(), so these checks are not what keeps a shell safe; they refuse, early
// and in plain words, values that systemd, etcd or journalctl would refuse or misread later
// (a typo in a unit name, a newline in a key, a "%i" that was never expanded).
//
// Each validateX() returns undefined when the value is acceptable, or a sentence that says why
// not; assertX() throws a ValidationError with that sentence.
import { unitNameProblem } from '../../../server/src/language/values/unitName';

export type ValidatedKind = 'unit name' | 'unit pattern' | 'etcd key' | 'machine name' | 'machine id' | 'journal cursor';

export class ValidationError extends Error {
  constructor(
    readonly kind: ValidatedKind,
    readonly value: string,
    message: string,
  ) {
    super(message);
    this.name = 'ValidationError';
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// C0 and C1 controls, DEL, and the Unicode line/paragraph separators.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

function show(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
}

function describeControl(value: string): string | undefined {
  const m = CONTROL.exec(value);
  if (!m) return undefined;
  const c = m[0];
  if (c === '\n') return 'a newline';
  if (c === '\r') return 'a carriage return';
  if (c === '\t') return 'a tab';
  return `the control character U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

function notString(kind: string, value: unknown): string | undefined {
  return typeof value === 'string' ? undefined : `The ${kind} must be a string, not ${value === null ? 'null' : typeof value}.`;
}

// ---------------------------------------------------------------------------------------------
// Units

/** What systemd's unit_name_is_valid() lets through, before any other rule (no "%" specifiers). */
const UNIT_CHARS = /^[A-Za-z0-9:_.\\@-]*$/;

export interface UnitNameOptions {
  /** Accept a template such as `helloworld@.service` (default false: only units that can run). */
  allowTemplate?: boolean;
}

/**
 * systemd's rules for a unit name that can be loaded: letters, digits and `: - _ . \ @`, a known
 * type suffix, a non-empty prefix, at most 255 bytes; `name@instance.type` only for the types that
 * can be templates (service, socket, target, timer, path); `name@.type` only with allowTemplate.
 * Specifiers (`%i`) are refused: a name sent to a machine must already be expanded.
 */
export function validateUnitName(name: string, options: UnitNameOptions = {}): string | undefined {
  const wrong = notString('unit name', name);
  if (wrong) return wrong;
  if (name === '') return 'The unit name is empty.';
  const control = describeControl(name);
  if (control) return `${show(name)} is not a valid unit name: it contains ${control}.`;
  if (name.includes('%')) return `${show(name)} is not a valid unit name: "%" specifiers must be expanded before a unit name is used on a machine.`;
  const problem = unitNameProblem(name, { allowTemplate: options.allowTemplate ?? false, loaded: true });
  if (problem) return problem.message;
  // unitNameProblem() checks the same set; keep a hard guarantee here whatever it becomes.
  if (!UNIT_CHARS.test(name)) return `${show(name)} is not a valid unit name: use letters, digits and : - _ . \\ @ only.`;
  return undefined;
}

export function assertUnitName(name: string, options: UnitNameOptions = {}): string {
  const problem = validateUnitName(name, options);
  if (problem) throw new ValidationError('unit name', name, problem);
  return name;
}

const PATTERN_CHARS = /^[A-Za-z0-9:_.\\@*?[\]!-]+$/;

/**
 * A unit name, or a shell-style glob over unit names as journalctl -u and systemctl accept
 * (`helloworld@*.service`, `web-?.service`, `db[12].service`). A pattern needs no type suffix
 * (journalctl matches it against unit names as they are).
 */
export function validateUnitPattern(pattern: string): string | undefined {
  const wrong = notString('unit pattern', pattern);
  if (wrong) return wrong;
  if (!/[*?[]/.test(pattern)) return validateUnitName(pattern);
  const control = describeControl(pattern);
  if (control) return `${show(pattern)} is not a valid unit pattern: it contains ${control}.`;
  if (Buffer.byteLength(pattern, 'utf8') > 255) return `${show(pattern)} is too long for a unit pattern (at most 255 bytes).`;
  if (!PATTERN_CHARS.test(pattern)) {
    const bad = [...pattern].find((c) => !PATTERN_CHARS.test(c)) ?? '?';
    return `${show(pattern)} is not a valid unit pattern: ${JSON.stringify(bad)} is not allowed (use the characters of unit names and * ? [ ]).`;
  }
  let depth = 0;
  for (const c of pattern) {
    if (c === '[') depth++;
    else if (c === ']') depth = Math.max(0, depth - 1);
  }
  if (depth !== 0) return `${show(pattern)} is not a valid unit pattern: a "[" is not closed.`;
  return undefined;
}

export function assertUnitPattern(pattern: string): string {
  const problem = validateUnitPattern(pattern);
  if (problem) throw new ValidationError('unit pattern', pattern, problem);
  return pattern;
}

// ---------------------------------------------------------------------------------------------
// etcd keys

/** Longest key we send (etcd itself only bounds the whole request, 1.5 MiB by default). */
export const ETCD_KEY_MAX_BYTES = 8192;

export interface EtcdKeyOptions {
  /** A prefix to list or watch under: a trailing "/" is allowed, and so is "/" alone. */
  prefix?: boolean;
}

/**
 * etcd stores any bytes as a key; ours are absolute paths like `/services/helloworld/core-01`.
 * Refused: a relative key, empty segments ("//", which etcd v2 would collapse but v3 keeps
 * distinct), "." and ".." segments (same reason), a trailing "/" unless listing a prefix, control
 * characters and newlines (which break `etcdctl` output, one key per line), lone surrogates, and
 * keys over 8 KiB. Spaces and any other Unicode text are fine.
 */
export function validateEtcdKey(key: string, options: EtcdKeyOptions = {}): string | undefined {
  const wrong = notString('etcd key', key);
  if (wrong) return wrong;
  if (key === '') return 'The etcd key is empty.';
  if (!key.startsWith('/')) return `${show(key)} is not an absolute etcd key: it must start with "/".`;
  const control = describeControl(key);
  if (control) return `${show(key)} is not a valid etcd key: it contains ${control}.`;
  if (LONE_SURROGATE.test(key)) return `${show(key)} is not a valid etcd key: it contains a lone UTF-16 surrogate.`;
  if (Buffer.byteLength(key, 'utf8') > ETCD_KEY_MAX_BYTES) return `${show(key)} is too long for an etcd key (at most ${ETCD_KEY_MAX_BYTES} bytes).`;
  if (key === '/') return options.prefix ? undefined : 'The etcd key "/" names the whole keyspace, not a key.';
  const body = options.prefix && key.endsWith('/') ? key.slice(1, -1) : key.slice(1);
  if (key.endsWith('/') && !options.prefix) return `${show(key)} ends with "/": a key names one entry (use it as a prefix to list what is under it).`;
  for (const segment of body.split('/')) {
    if (segment === '') return `${show(key)} has an empty segment ("//").`;
    if (segment === '.' || segment === '..') return `${show(key)} has a "${segment}" segment: etcd v2 would resolve it, v3 would not, so it is refused.`;
  }
  return undefined;
}

export function assertEtcdKey(key: string, options: EtcdKeyOptions = {}): string {
  const problem = validateEtcdKey(key, options);
  if (problem) throw new ValidationError('etcd key', key, problem);
  return key;
}

// ---------------------------------------------------------------------------------------------
// Machines

/** The cluster definition schema's pattern for machines[].name. */
export const MACHINE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

/** A machine's name in the cluster definition (sidebar, CLI, journal titles): usually its host name. */
export function validateMachineName(name: string): string | undefined {
  const wrong = notString('machine name', name);
  if (wrong) return wrong;
  if (name === '') return 'The machine name is empty.';
  if (MACHINE_NAME_PATTERN.test(name)) return undefined;
  if (name.length > 63) return `${show(name)} is too long for a machine name (at most 63 characters).`;
  if (!/^[A-Za-z0-9]/.test(name)) return `${show(name)} is not a valid machine name: it must start with a letter or a digit.`;
  const control = describeControl(name);
  if (control) return `${show(name)} is not a valid machine name: it contains ${control}.`;
  const bad = [...name].find((c) => !/[A-Za-z0-9_.-]/.test(c)) ?? '?';
  return `${show(name)} is not a valid machine name: ${JSON.stringify(bad)} is not allowed (use letters, digits and _ . -).`;
}

export function assertMachineName(name: string): string {
  const problem = validateMachineName(name);
  if (problem) throw new ValidationError('machine name', name, problem);
  return name;
}

/** /etc/machine-id: 32 lowercase hexadecimal digits, not all zero. */
export function validateMachineId(id: string): string | undefined {
  const wrong = notString('machine id', id);
  if (wrong) return wrong;
  if (!/^[0-9a-f]{32}$/.test(id)) {
    if (/^[0-9A-Fa-f]{32}$/.test(id)) return `${show(id)} is not a machine id as /etc/machine-id writes it: use lowercase hexadecimal.`;
    return `${show(id)} is not a machine id: it must be 32 hexadecimal digits (the content of /etc/machine-id).`;
  }
  if (/^0+$/.test(id)) return 'The machine id is all zeros, which systemd never uses.';
  return undefined;
}

export function assertMachineId(id: string): string {
  const problem = validateMachineId(id);
  if (problem) throw new ValidationError('machine id', id, problem);
  return id;
}

// ---------------------------------------------------------------------------------------------
// Journal cursors

/**
 * A journal cursor as journalctl prints it in __CURSOR (`s=…;i=…;b=…;m=…;t=…;x=…`): printable
 * ASCII without spaces or quotes, at most 1024 characters. Only the format is checked.
 */
export function validateJournalCursor(cursor: string): string | undefined {
  const wrong = notString('journal cursor', cursor);
  if (wrong) return wrong;
  if (cursor === '') return 'The journal cursor is empty.';
  if (cursor.length > 1024) return 'The journal cursor is too long (at most 1024 characters).';
  if (!/^[!#-&(-~]+$/.test(cursor)) return `${show(cursor)} is not a journal cursor: only printable ASCII without spaces or quotes is expected.`;
  return undefined;
}

export function assertJournalCursor(cursor: string): string {
  const problem = validateJournalCursor(cursor);
  if (problem) throw new ValidationError('journal cursor', cursor, problem);
  return cursor;
}
