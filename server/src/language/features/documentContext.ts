// Where the cursor is in a unit file: in a section header, on a key, or inside a value.
import type { Position } from 'vscode-languageserver-types';
import type { Assignment, SectionHeader, UnitFile } from '../unitFile/ast';
import { endsWithContinuation } from '../unitFile/parser';

export type CursorContext =
  | { kind: 'section-name'; typed: string; start: number }
  | { kind: 'key'; section: SectionHeader | undefined; typed: string; start: number }
  | { kind: 'value'; section: SectionHeader | undefined; key: string; assignment: Assignment | undefined; typedValue: string }
  | { kind: 'comment' }
  | { kind: 'none' };

/** The section whose body contains `line` (the last header at or above it). */
export function sectionAt(file: UnitFile, line: number): SectionHeader | undefined {
  let found: SectionHeader | undefined;
  for (const s of file.sections) {
    if (s.headerRange.start.line <= line) found = s;
    else break;
  }
  return found;
}

/** The assignment whose lines include `line`. */
export function assignmentAt(file: UnitFile, line: number): Assignment | undefined {
  const section = sectionAt(file, line);
  const entries = section ? section.entries : file.orphans;
  return entries.find((a) => a.range.start.line <= line && a.range.end.line >= line);
}

export function cursorContext(file: UnitFile, position: Position): CursorContext {
  const lineText = file.lines[position.line] ?? '';
  const before = lineText.slice(0, position.character);
  const section = sectionAt(file, position.line);

  // A continuation line of a value (the previous physical line ends in a backslash).
  const prev = position.line > 0 ? file.lines[position.line - 1] : undefined;
  const owner = assignmentAt(file, position.line);
  if (prev !== undefined && endsWithContinuation(prev) && owner && owner.range.start.line < position.line) {
    return { kind: 'value', section, key: owner.key, assignment: owner, typedValue: before.trimStart() };
  }

  const trimmed = before.trimStart();
  if (trimmed.startsWith('#') || trimmed.startsWith(';')) return { kind: 'comment' };
  if (trimmed.startsWith('[')) return { kind: 'section-name', typed: trimmed.slice(1), start: before.indexOf('[') + 1 };
  const eq = before.indexOf('=');
  if (eq < 0) {
    const start = before.length - trimmed.length;
    return { kind: 'key', section, typed: trimmed, start };
  }
  const key = before.slice(0, eq).trim();
  return { kind: 'value', section, key, assignment: owner, typedValue: before.slice(eq + 1).trimStart() };
}
