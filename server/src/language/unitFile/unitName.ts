// What a file's name says about the unit: its type, whether it is a template or an instance,
// and whether it is a drop-in (`foo.service.d/*.conf`) that only amends another unit.

export const UNIT_TYPES = ['service', 'socket', 'device', 'mount', 'automount', 'swap', 'target', 'path', 'timer', 'slice', 'scope'] as const;
export type UnitType = (typeof UNIT_TYPES)[number];

export interface UnitFileName {
  /** The unit this file defines or amends, e.g. `foo@.service`; undefined for unrecognised names. */
  unitName: string | undefined;
  type: UnitType | undefined;
  /** `foo` in `foo@bar.service`. */
  prefix: string | undefined;
  /** `bar` in `foo@bar.service`; empty string for a template. */
  instance: string | undefined;
  template: boolean;
  dropIn: boolean;
}

const TYPE_SET = new Set<string>(UNIT_TYPES);

export function isUnitType(s: string): s is UnitType {
  return TYPE_SET.has(s);
}

/** Splits a unit name such as `foo@bar.service` into its parts (no validation beyond the suffix). */
export function parseUnitName(name: string): { prefix: string; instance: string | undefined; type: UnitType } | undefined {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const type = name.slice(dot + 1);
  if (!isUnitType(type)) return undefined;
  const stem = name.slice(0, dot);
  const at = stem.indexOf('@');
  if (at < 0) return { prefix: stem, instance: undefined, type };
  return { prefix: stem.slice(0, at), instance: stem.slice(at + 1), type };
}

/** Classifies a path or URI (only the last two segments matter). */
export function classifyUnitPath(pathOrUri: string): UnitFileName {
  const segments = decodeURIComponentSafe(pathOrUri).split(/[\\/]/);
  const base = segments[segments.length - 1] ?? '';
  const parent = segments[segments.length - 2] ?? '';
  if (parent.endsWith('.d') && base.endsWith('.conf')) {
    // foo.service.d/override.conf, foo@.service.d/x.conf, or a type-wide service.d/x.conf
    const amended = parent.slice(0, -2);
    const parsed = parseUnitName(amended);
    const type = parsed?.type ?? (isUnitType(amended) ? amended : undefined);
    return {
      unitName: parsed ? amended : undefined,
      type,
      prefix: parsed?.prefix,
      instance: parsed?.instance,
      template: parsed?.instance === '',
      dropIn: true,
    };
  }
  const parsed = parseUnitName(base);
  if (!parsed) return { unitName: undefined, type: undefined, prefix: undefined, instance: undefined, template: false, dropIn: false };
  return { unitName: base, type: parsed.type, prefix: parsed.prefix, instance: parsed.instance, template: parsed.instance === '', dropIn: false };
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
