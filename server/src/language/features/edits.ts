// Small helpers for building quick-fix edits.
import { CodeActionKind, type CodeAction, type Diagnostic, type Range, type TextEdit } from 'vscode-languageserver-types';

export function quickFix(title: string, uri: string, edits: TextEdit[], diagnostic: Diagnostic, preferred = false): CodeAction {
  return { title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: preferred, edit: { changes: { [uri]: edits } } };
}

export function replace(range: Range, newText: string): TextEdit {
  return { range, newText };
}

/** Deletes whole lines [first, last] including the final line break. */
export function deleteLines(first: number, last: number): TextEdit {
  return { range: { start: { line: first, character: 0 }, end: { line: last + 1, character: 0 } }, newText: '' };
}

/** Inserts `text` as a new line after line `line` (works when `line` is the last line without a final newline). */
export function insertAfterLine(lines: string[], line: number, text: string): TextEdit {
  if (line + 1 < lines.length) {
    const at = { line: line + 1, character: 0 };
    return { range: { start: at, end: at }, newText: `${text}\n` };
  }
  const at = { line, character: lines[line].length };
  return { range: { start: at, end: at }, newText: `\n${text}` };
}

/** Appends a new `[section]` holding `text` at the end of the document. */
export function appendSection(lines: string[], section: string, text: string): TextEdit {
  const last = lines.length - 1;
  const at = { line: last, character: lines[last].length };
  const lead = lines[last].length > 0 ? '\n\n' : lines.length > 1 && lines[last - 1].length > 0 ? '\n' : '';
  return { range: { start: at, end: at }, newText: `${lead}[${section}]\n${text}\n` };
}
