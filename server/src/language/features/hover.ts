// Hover: directive documentation on keys, section descriptions on headers, meanings of `%` specifiers.
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver-types';
import { findDirectiveSections, getDirective, getSection } from '../catalog/catalog';
import { specifierFor } from '../catalog/specifiers';
import type { UnitFile } from '../unitFile/ast';
import type { UnitFileName } from '../unitFile/unitName';
import type { WorkspaceIndex } from '../workspace/workspaceIndex';
import { FLEET_SECTION } from '../fleet/options';
import { assignmentAt, sectionAt } from './documentContext';
import { directiveMarkdown } from './directiveDocs';
import { fleetHover } from './fleetHover';

const contains = (r: { start: Position; end: Position }, p: Position) =>
  (p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character)) &&
  (p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character));

export function hover(file: UnitFile, name: UnitFileName, position: Position, workspace?: WorkspaceIndex): Hover | null {
  const fleet = sectionAt(file, position.line);
  if (fleet?.name === FLEET_SECTION) return fleetHover(file, name, position, fleet, workspace);
  const header = file.sections.find((s) => contains(s.headerRange, position));
  if (header) {
    const info = getSection(header.name);
    if (!info) return null;
    const types = info.unitTypes.map((t) => `.${t}`).join(', ');
    const allowed = !name.type || info.unitTypes.includes(name.type);
    return markdown(`**[${info.name}]** — read in ${types} units.${allowed ? '' : ` Not in a .${name.type}.`} ${Object.keys(info.directives).length} directives.`, header.headerRange);
  }
  const a = assignmentAt(file, position.line);
  if (!a) return null;
  if (contains(a.keyRange, position)) {
    const section = sectionAt(file, position.line);
    const info = (section && getDirective(section.name, a.key)) ?? findDirectiveSections(a.key).map((s) => getDirective(s, a.key)).find(Boolean);
    return info ? markdown(directiveMarkdown(info), a.keyRange) : null;
  }
  // A `%x` specifier under the cursor.
  const line = file.lines[position.line] ?? '';
  for (const m of line.matchAll(/%(.)/g)) {
    const start = m.index ?? 0;
    if (position.character < start || position.character > start + 2) continue;
    if (m[1] === '%') return markdown('`%%` — a literal `%`.', { start: { line: position.line, character: start }, end: { line: position.line, character: start + 2 } });
    const s = specifierFor(m[1]);
    const range = { start: { line: position.line, character: start }, end: { line: position.line, character: start + 2 } };
    return s ? markdown(`\`${s.specifier}\` — ${s.meaning}${s.fleet ? ' (fleet also expands it in [X-Fleet])' : ''}`, range) : null;
  }
  return null;
}

function markdown(value: string, range: Hover['range']): Hover {
  return { contents: { kind: MarkupKind.Markdown, value }, range };
}
