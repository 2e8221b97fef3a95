// Hover inside [X-Fleet]: the section, each option (deprecated spellings say what replaces them),
// `%` specifiers with what fleet makes of them for this unit, and unit names with their expansion
// and the workspace file that defines them.
import { MarkupKind, type Hover, type Position, type Range } from 'vscode-languageserver-types';
import { specifierFor } from '../catalog/specifiers';
import { CURRENT_FLEET_OPTIONS, FLEET_SECTION, FLEET_SPECIFIERS, fleetOption } from '../fleet/options';
import { splitFleetValue } from '../fleet/requirements';
import { expandFleetSpecifiers, symbolicUnitName } from '../fleet/specifiers';
import type { SectionHeader, UnitFile } from '../unitFile/ast';
import { positionInValue } from '../unitFile/parser';
import type { UnitFileName } from '../unitFile/unitName';
import type { WorkspaceIndex } from '../workspace/workspaceIndex';
import { assignmentAt } from './documentContext';

const contains = (r: Range, p: Position) =>
  (p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character)) &&
  (p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character));

function markdown(value: string, range: Range): Hover {
  return { contents: { kind: MarkupKind.Markdown, value }, range };
}

/** Hover for a position in an [X-Fleet] section (its header included); null elsewhere. */
export function fleetHover(file: UnitFile, name: UnitFileName, position: Position, section: SectionHeader, workspace?: WorkspaceIndex): Hover | null {
  if (contains(section.headerRange, position)) {
    const options = CURRENT_FLEET_OPTIONS.map((o) => `- \`${o.name}=\` — ${o.summary}`).join('\n');
    return markdown(
      `**[${FLEET_SECTION}]** — scheduling options read by fleet, not by systemd (which ignores \`X-\` sections).\n\n${options}\n\n` +
        `Only ${FLEET_SPECIFIERS.map((s) => `\`${s.specifier}\``).join(' ')} are expanded here.`,
      section.headerRange,
    );
  }
  const a = assignmentAt(file, position.line);
  if (!a || a.section !== FLEET_SECTION) return null;
  if (contains(a.keyRange, position)) {
    const o = fleetOption(a.key);
    if (!o) return markdown(`\`${a.key}=\` is not a fleet option: fleet warns about it and never applies it.`, a.keyRange);
    const head = `**${o.name}=** · [${FLEET_SECTION}]${o.deprecated ? ` · **deprecated**: use \`${o.deprecated.replacement}=\`` : ''}`;
    return markdown(`${head}\n\n${o.docs}`, a.keyRange);
  }
  if (!contains(a.valueRange, position)) return null;
  const own = name.unitName && !name.dropIn ? symbolicUnitName(name.unitName, name.template) : undefined;

  // A `%x` under the cursor.
  const line = file.lines[position.line] ?? '';
  for (const m of line.matchAll(/%(.)/g)) {
    const start = m.index ?? 0;
    if (position.character < start || position.character > start + 2) continue;
    const range = { start: { line: position.line, character: start }, end: { line: position.line, character: start + 2 } };
    const fleet = FLEET_SPECIFIERS.find((s) => s.specifier === m[0]);
    if (fleet) {
      const sample = name.template && name.unitName ? name.unitName.replace('@.', '@1.') : own;
      const value = sample ? expandFleetSpecifiers(m[0], sample) : undefined;
      const example = value === undefined ? '' : name.template ? ` — per instance; for \`${sample}\`: \`${value || '(empty)'}\`` : ` — here \`${value || '(empty)'}\``;
      return markdown(`\`${m[0]}\` — ${fleet.meaning}${example}. fleet expands it when it schedules the unit.`, range);
    }
    if (m[1] === '%') return markdown('`%%` — no escape in fleet: both `%` stay as they are.', range);
    const s = specifierFor(m[1]);
    return markdown(`\`${m[0]}\`${s ? ` — ${s.meaning} for systemd` : ''}. **fleet does not expand it** in [${FLEET_SECTION}]: the value keeps the literal text.`, range);
  }

  const o = fleetOption(a.key);
  if (!o || (o.kind !== 'unit' && o.kind !== 'glob')) return null;
  const { items } = splitFleetValue(a.value);
  for (const item of items) {
    const range = { start: positionInValue(a, item.from), end: positionInValue(a, item.to) };
    if (!contains(range, position) || item.text === '') continue;
    const expanded = own ? expandFleetSpecifiers(item.text, own) : item.text;
    const parts: string[] = [];
    if (expanded !== item.text) parts.push(`fleet reads \`${expanded}\`${name.template ? ' (for each instance, with its own instance name)' : ''}.`);
    if (workspace && o.kind === 'unit') {
      const files = workspace.findUnit(expanded);
      if (files.length > 0) parts.push(`Defined by ${files.map((f) => `\`${f.name.unitName}\``).join(', ')}.`);
    }
    return parts.length > 0 ? markdown(parts.join('\n\n'), range) : null;
  }
  return null;
}
