// Which sections a file may contain, derived from its name (unit type) and the catalog.
import { getSection, sectionsForUnitType } from '../catalog/catalog';
import type { SectionHeader } from '../unitFile/ast';
import type { UnitFileName } from '../unitFile/unitName';

/** Sections systemd reads for this file; undefined when the unit type is unknown (any known section goes). */
export function allowedSections(name: UnitFileName): ReadonlySet<string> | undefined {
  return name.type ? new Set(sectionsForUnitType(name.type)) : undefined;
}

/** True when systemd parses the directives of this section in this file (known and allowed). */
export function sectionIsChecked(section: SectionHeader, name: UnitFileName): boolean {
  if (section.name.startsWith('X-') || !getSection(section.name)) return false;
  const allowed = allowedSections(name);
  return !allowed || allowed.has(section.name);
}
