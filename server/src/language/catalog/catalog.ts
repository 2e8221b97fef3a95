// Typed access to the generated directive catalog (catalog.generated.json, made by
// scripts/generate-catalog.ts). The JSON is bundled by esbuild; the lookup maps are built once, on
// first use, so importing this module costs nothing but the JSON itself.
// Keys are case-sensitive, as in systemd. Lookups never fall through to Object.prototype
// ("constructor", "__proto__" are unknown keys like any other).
import type { Catalog, DirectiveInfo, SectionInfo } from './types';
import type { UnitType } from '../unitFile/unitName';
import catalogJson from './catalog.generated.json';

export type { Catalog, DirectiveInfo, SectionInfo, ValueKind } from './types';

/** The whole catalog, as generated. Treat as read-only. */
export const catalog: Catalog = catalogJson as unknown as Catalog;

// Arrays handed out are shared and frozen: callers must copy before sorting or changing them.
interface Index {
  sections: Map<string, SectionInfo>;
  directives: Map<string, Map<string, DirectiveInfo>>;
  lists: Map<string, DirectiveInfo[]>;
  names: Map<string, string[]>;
  currentNames: Map<string, string[]>;
  /** Directive name → sections defining it, in catalog order. */
  homes: Map<string, string[]>;
  sectionNames: string[];
}

let index: Index | undefined;

function build(): Index {
  const sections = new Map<string, SectionInfo>();
  const directives = new Map<string, Map<string, DirectiveInfo>>();
  const lists = new Map<string, DirectiveInfo[]>();
  const names = new Map<string, string[]>();
  const currentNames = new Map<string, string[]>();
  const homes = new Map<string, string[]>();
  for (const s of Object.values(catalog.sections)) {
    sections.set(s.name, s);
    const m = new Map<string, DirectiveInfo>();
    const current: string[] = [];
    for (const d of Object.values(s.directives)) {
      m.set(d.name, d);
      if (!d.deprecated && !d.ignored) current.push(d.name);
      const h = homes.get(d.name);
      if (h) h.push(s.name);
      else homes.set(d.name, [s.name]);
    }
    directives.set(s.name, m);
    lists.set(s.name, Object.freeze([...m.values()]) as DirectiveInfo[]);
    names.set(s.name, Object.freeze([...m.keys()]) as string[]);
    currentNames.set(s.name, Object.freeze(current) as string[]);
  }
  for (const h of homes.values()) Object.freeze(h);
  return { sections, directives, lists, names, currentNames, homes, sectionNames: Object.freeze([...sections.keys()]) as string[] };
}

function idx(): Index {
  return (index ??= build());
}

const EMPTY = Object.freeze([]) as unknown as never[];

/** A section systemd knows (`Unit`, `Service`, …, also the key-less `Target` and `Device`), or undefined. */
export function getSection(name: string): SectionInfo | undefined {
  return idx().sections.get(name);
}

/** The directive `key` of `section`, or undefined when systemd does not read that key there. */
export function getDirective(section: string, key: string): DirectiveInfo | undefined {
  return idx().directives.get(section)?.get(key);
}

/** Every section that defines `key` (catalog order: Unit, Service, Socket, …); empty when none does. Drives "directive in the wrong section". */
export function findDirectiveSections(key: string): string[] {
  return idx().homes.get(key) ?? EMPTY;
}

/** Sections systemd reads in a unit of this type: always Unit and Install, plus the type's own. */
export function sectionsForUnitType(type: UnitType): string[] {
  return catalog.unitTypeSections[type] ?? EMPTY;
}

/** All directives of `section` (sorted by name), deprecated and ignored ones included; empty for an unknown section. */
export function directivesOf(section: string): DirectiveInfo[] {
  return idx().lists.get(section) ?? EMPTY;
}

/** Names of all directives of `section` (sorted), deprecated and ignored ones included; empty for an unknown section. */
export function directiveNames(section: string): string[] {
  return idx().names.get(section) ?? EMPTY;
}

/** Like directiveNames, without deprecated and ignored keys: what completion should offer. */
export function currentDirectiveNames(section: string): string[] {
  return idx().currentNames.get(section) ?? EMPTY;
}

/** Every known section name, in catalog order. */
export function allSectionNames(): string[] {
  return idx().sectionNames;
}

/** True when some section defines `key`. */
export function isKnownDirective(key: string): boolean {
  return idx().homes.has(key);
}
