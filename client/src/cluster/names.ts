// Validation of the names that end up in remote command lines and etcd keys. Everything is checked
// here, before any shell sees it: a unit name that passes contains only systemd's unit-name
// characters, so quoting is a second line of defence, not the only one.
import { ClusterError } from './errors';

const UNIT_TYPES = ['service', 'socket', 'device', 'mount', 'automount', 'swap', 'target', 'path', 'timer', 'slice', 'scope'];
/** systemd's unit-name charset (unit_name_is_valid): [A-Za-z0-9:_.\\-] plus one '@'. */
const UNIT_NAME = new RegExp(`^([A-Za-z0-9:_.\\\\-]+)@?([A-Za-z0-9:_.\\\\-]*)\\.(${UNIT_TYPES.join('|')})$`);
const MAX_UNIT_NAME = 255;

export interface UnitNameParts {
  name: string;
  prefix: string;
  /** undefined: not a template/instance; '': the template itself; else the instance. */
  instance: string | undefined;
  type: string;
}

export function parseUnitNameStrict(name: string): UnitNameParts | undefined {
  if (name.length === 0 || name.length > MAX_UNIT_NAME) return undefined;
  const m = UNIT_NAME.exec(name);
  if (!m) return undefined;
  const at = name.indexOf('@');
  if (name.indexOf('@', at + 1) >= 0) return undefined;
  if (m[1]!.startsWith('-') || m[1]!.startsWith('.')) return undefined;
  return { name, prefix: m[1]!, instance: at < 0 ? undefined : m[2]!, type: m[3]! };
}

export function isValidUnitName(name: string): boolean {
  return parseUnitNameStrict(name) !== undefined;
}

/** Throws a plain-words error unless `name` is a valid unit name (template or not). */
export function assertUnitName(name: string): UnitNameParts {
  const parts = parseUnitNameStrict(name);
  if (!parts) throw new ClusterError('invalid-name', `"${name}" is not a valid unit name (letters, digits, ":_.-\\", one "@", and a type suffix such as .service)`);
  return parts;
}

/** The template a unit instance comes from (`a@b.service` → `a@.service`), or undefined. */
export function templateOf(name: string): string | undefined {
  const parts = parseUnitNameStrict(name);
  if (!parts || !parts.instance) return undefined;
  return `${parts.prefix}@.${parts.type}`;
}

/** etcd keys typed by people: non-empty, printable, no NUL or newline. */
export function assertEtcdKey(key: string): string {
  // eslint-disable-next-line no-control-regex
  if (key.length === 0 || key.length > 4096 || /[\x00-\x1f\x7f]/.test(key)) {
    throw new ClusterError('invalid-name', `"${key}" is not a valid etcd key (empty, too long, or containing control characters)`);
  }
  return key;
}

/** Machine ids as in /etc/machine-id. */
export function isMachineId(s: string): boolean {
  return /^[0-9a-f]{32}$/.test(s);
}
