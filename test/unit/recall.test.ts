// Recall targets: directive-name typos (a dropped, swapped or wrongly cased letter) and
// directives moved to a section where systemd ignores them must be flagged on their line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { catalog, getDirective } from '../../server/src/language/catalog/catalog';
import { UnitLanguageService } from '../../server/src/language/languageService';
import { UNIT_TYPES, type UnitType } from '../../server/src/language/unitFile/unitName';
import { doc } from '../helpers/markers';

const service = new UnitLanguageService();

/** A unit type whose files contain `section` (Unit and Install: service). */
function typeFor(section: string): UnitType {
  return UNIT_TYPES.find((t) => catalog.unitTypeSections[t]?.includes(section) && (section === 'Unit' || section === 'Install' ? t === 'service' : true)) ?? 'service';
}

/** Lines (0-based) flagged with a warning or error when each `key` is put in `section` of a `type` unit. */
function flaggedLines(type: UnitType, section: string, keys: string[]): Set<number> {
  const lines = [`[${section}]`, ...keys.map((k) => `${k}=x`)];
  // A service needs ExecStart= to be loadable; put it in its own section so it never collides.
  if (type === 'service' && section !== 'Service') lines.push('[Service]', 'ExecStart=/bin/true');
  const ds = service.validate(doc(`file:///recall/unit.${type}`, lines.join('\n') + '\n'));
  return new Set(ds.filter((d) => d.severity === DiagnosticSeverity.Error || d.severity === DiagnosticSeverity.Warning).map((d) => d.range.start.line));
}

function typos(name: string): string[] {
  const out = new Set<string>();
  for (let i = 0; i < name.length; i++) out.add(name.slice(0, i) + name.slice(i + 1));
  for (let i = 0; i + 1 < name.length; i++) if (name[i] !== name[i + 1]) out.add(name.slice(0, i) + name[i + 1] + name[i] + name.slice(i + 2));
  out.add(name.toLowerCase());
  out.add(name[0].toLowerCase() + name.slice(1));
  out.add(name.toUpperCase());
  out.delete(name);
  return [...out].filter((t) => t.length > 0);
}

test('≥ 99% of directive-name typos are flagged on their line', () => {
  let total = 0;
  let flagged = 0;
  const missed: string[] = [];
  for (const section of Object.values(catalog.sections)) {
    const type = typeFor(section.name);
    // A typo that happens to be another directive of the section is not detectable as a typo.
    const cases = Object.keys(section.directives).flatMap(typos).filter((t) => !getDirective(section.name, t));
    const lines = flaggedLines(type, section.name, cases);
    cases.forEach((t, i) => {
      total++;
      if (lines.has(i + 1)) flagged++;
      else missed.push(`[${section.name}] ${t}`);
    });
  }
  const recall = flagged / total;
  console.log(`typos: ${flagged}/${total} flagged (${(recall * 100).toFixed(2)}%)${missed.length ? `; missed e.g. ${missed.slice(0, 5).join(', ')}` : ''}`);
  assert.ok(recall >= 0.99, `typo recall ${(recall * 100).toFixed(2)}% < 99%`);
});

test('≥ 99% of directives moved to a section where systemd ignores them are flagged', () => {
  let total = 0;
  let flagged = 0;
  const missed: string[] = [];
  for (const type of UNIT_TYPES) {
    const sections = catalog.unitTypeSections[type] ?? [];
    for (const from of sections) {
      for (const to of sections) {
        if (from === to) continue;
        const keys = Object.keys(catalog.sections[from]?.directives ?? {}).filter((k) => !getDirective(to, k));
        if (keys.length === 0) continue;
        const lines = flaggedLines(type, to, keys);
        keys.forEach((k, i) => {
          total++;
          if (lines.has(i + 1)) flagged++;
          else missed.push(`.${type} [${to}] ${k}`);
        });
      }
    }
  }
  const recall = flagged / total;
  console.log(`moved directives: ${flagged}/${total} flagged (${(recall * 100).toFixed(2)}%)${missed.length ? `; missed e.g. ${missed.slice(0, 5).join(', ')}` : ''}`);
  assert.ok(recall >= 0.99, `moved-directive recall ${(recall * 100).toFixed(2)}% < 99%`);
});
