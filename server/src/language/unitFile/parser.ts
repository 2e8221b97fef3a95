// A lossless parser for systemd unit files that follows systemd's own conf-parser rules:
// physical lines end at \n, \r\n or \r; a line whose last character is an unescaped backslash
// continues on the next line (the backslash becomes a space); inside a continuation, comment
// lines are skipped while a blank line ends it; a comment line never continues, even when it
// ends in a backslash (verified against systemd 252); `#` and `;` start comments only at the
// beginning of a line.
// It never throws: whatever the input, it returns a tree whose ranges lie inside the document.
import type { Assignment, Comment, MalformedLine, Position, Range, SectionHeader, UnitFile, UnitFileNode, ValuePart } from './ast';

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const COMMENT_CHARS = new Set(['#', ';']);

interface PhysicalPart {
  line: number;
  /** Offset of this part in the logical line. */
  offset: number;
  /** Length of the physical text used (the trailing backslash counts, replaced by a space). */
  length: number;
}

/** A logical line: one or more physical lines joined by continuations. */
interface LogicalLine {
  text: string;
  parts: PhysicalPart[];
  firstLine: number;
  lastLine: number;
}

export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** True when the line's last character is a backslash that is not itself escaped. */
export function endsWithContinuation(line: string): boolean {
  let escaped = false;
  for (let i = 0; i < line.length; i++) {
    escaped = escaped ? false : line.charCodeAt(i) === 92 /* \ */;
  }
  return escaped;
}

function isComment(line: string): boolean {
  const t = line.trimStart();
  return t.length > 0 && COMMENT_CHARS.has(t[0]);
}

function firstNonWhitespace(s: string, from = 0): number {
  let i = from;
  while (i < s.length && WHITESPACE.has(s[i])) i++;
  return i;
}

function lastNonWhitespace(s: string, upTo = s.length): number {
  let i = upTo;
  while (i > 0 && WHITESPACE.has(s[i - 1])) i--;
  return i;
}

export function parseUnitFile(input: string): UnitFile {
  const bom = input.charCodeAt(0) === 0xfeff;
  const lines = splitLines(input);
  const nodes: UnitFileNode[] = [];
  const sections: SectionHeader[] = [];
  const orphans: Assignment[] = [];
  const comments: Comment[] = [];
  const malformed: MalformedLine[] = [];
  let current: SectionHeader | undefined;

  const toPosition = (logical: LogicalLine, offset: number): Position => {
    // Binary search would do, but logical lines rarely have more than a handful of parts.
    let part = logical.parts[0];
    for (const p of logical.parts) {
      if (p.offset <= offset) part = p;
      else break;
    }
    const column = Math.min(offset - part.offset, part.length) + (part.line === 0 && bom ? 1 : 0);
    return { line: part.line, character: column };
  };
  const rangeOf = (logical: LogicalLine, start: number, end: number): Range => ({
    start: toPosition(logical, start),
    end: toPosition(logical, end),
  });

  const extendSection = (range: Range) => {
    if (current) current.range = { start: current.range.start, end: range.end };
  };

  let i = 0;
  while (i < lines.length) {
    const logical = readLogicalLine(lines, i, bom, comments, nodes);
    i = logical.lastLine + 1;
    const text = logical.text;
    const start = firstNonWhitespace(text);
    const end = lastNonWhitespace(text);
    if (start >= end) continue; // blank

    const trimmed = text.slice(start, end);
    const whole = rangeOf(logical, start, end);

    if (COMMENT_CHARS.has(trimmed[0])) {
      const comment: Comment = { kind: 'comment', text: trimmed, range: whole, inContinuation: false };
      comments.push(comment);
      nodes.push(comment);
      extendSection(whole);
      continue;
    }

    if (trimmed[0] === '[') {
      if (trimmed.length >= 2 && trimmed[trimmed.length - 1] === ']') {
        const section: SectionHeader = {
          kind: 'section',
          name: trimmed.slice(1, -1),
          nameRange: rangeOf(logical, start + 1, end - 1),
          headerRange: whole,
          range: whole,
          entries: [],
          valid: true,
        };
        sections.push(section);
        nodes.push(section);
        current = section;
      } else {
        const bad: MalformedLine = { kind: 'malformed', reason: 'invalid-section-header', text: trimmed, range: whole, section: current?.name };
        malformed.push(bad);
        nodes.push(bad);
        extendSection(whole);
      }
      continue;
    }

    const eq = text.indexOf('=', start);
    if (eq < 0 || eq >= end) {
      const bad: MalformedLine = { kind: 'malformed', reason: 'missing-equals', text: trimmed, range: whole, section: current?.name };
      malformed.push(bad);
      nodes.push(bad);
      extendSection(whole);
      continue;
    }
    const keyEnd = lastNonWhitespace(text, eq);
    if (keyEnd <= start) {
      const bad: MalformedLine = { kind: 'malformed', reason: 'missing-key', text: trimmed, range: whole, section: current?.name };
      malformed.push(bad);
      nodes.push(bad);
      extendSection(whole);
      continue;
    }
    const valueStart = Math.min(firstNonWhitespace(text, eq + 1), end);
    const valueEnd = Math.max(valueStart, end);
    const assignment: Assignment = {
      kind: 'assignment',
      key: text.slice(start, keyEnd),
      keyRange: rangeOf(logical, start, keyEnd),
      value: text.slice(valueStart, valueEnd),
      valueRange: rangeOf(logical, valueStart, valueEnd),
      equalsRange: rangeOf(logical, eq, eq + 1),
      range: whole,
      parts: valueParts(logical, valueStart, valueEnd, toPosition),
      section: current?.name,
    };
    nodes.push(assignment);
    if (current) {
      current.entries.push(assignment);
      extendSection(whole);
    } else {
      orphans.push(assignment);
    }
  }

  // Comment lines inside a continuation were recorded before the assignment that spans them.
  nodes.sort((a, b) => startOf(a).line - startOf(b).line || startOf(a).character - startOf(b).character);
  comments.sort((a, b) => a.range.start.line - b.range.start.line);
  return { nodes, sections, orphans, comments, malformed, lineCount: lines.length, lines, bom };
}

function startOf(node: UnitFileNode): Position {
  return node.kind === 'section' ? node.headerRange.start : node.range.start;
}

function readLogicalLine(lines: string[], first: number, bom: boolean, comments: Comment[], nodes: UnitFileNode[]): LogicalLine {
  const parts: PhysicalPart[] = [];
  let text = '';
  let i = first;
  for (;;) {
    let line = lines[i];
    if (i === 0 && bom) line = line.slice(1);
    if (parts.length > 0 && isComment(line)) {
      // systemd skips comment lines inside a continuation.
      const s = firstNonWhitespace(line);
      {
        const column = (i === 0 && bom ? 1 : 0);
        const comment: Comment = {
          kind: 'comment',
          text: line.slice(s, lastNonWhitespace(line)),
          range: { start: { line: i, character: s + column }, end: { line: i, character: lastNonWhitespace(line) + column } },
          inContinuation: true,
        };
        comments.push(comment);
        nodes.push(comment);
      }
      if (i + 1 >= lines.length) break;
      i++;
      continue;
    }
    const continues = endsWithContinuation(line) && !(parts.length === 0 && isComment(line));
    parts.push({ line: i, offset: text.length, length: line.length });
    text += continues ? line.slice(0, -1) + ' ' : line;
    if (!continues || i + 1 >= lines.length) break;
    i++;
  }
  return { text, parts, firstLine: first, lastLine: i };
}

function valueParts(
  logical: LogicalLine,
  valueStart: number,
  valueEnd: number,
  toPosition: (l: LogicalLine, offset: number) => Position,
): ValuePart[] {
  const result: ValuePart[] = [];
  for (const p of logical.parts) {
    const from = Math.max(valueStart, p.offset);
    const to = Math.min(valueEnd, p.offset + p.length);
    if (to <= from && !(result.length === 0 && from === valueStart && valueStart === valueEnd)) continue;
    result.push({ text: logical.text.slice(from, Math.max(from, to)), start: toPosition(logical, from), valueOffset: from - valueStart });
  }
  return result;
}

/** Maps an offset inside `assignment.value` to a document position. */
export function positionInValue(assignment: Assignment, offset: number): Position {
  const parts = assignment.parts;
  if (parts.length === 0) return assignment.valueRange.start;
  let part = parts[0];
  for (const p of parts) {
    if (p.valueOffset <= offset) part = p;
    else break;
  }
  const within = Math.min(Math.max(0, offset - part.valueOffset), part.text.length);
  return { line: part.start.line, character: part.start.character + within };
}

/** The document range covering `[from, to)` of `assignment.value`. */
export function rangeInValue(assignment: Assignment, from: number, to: number): Range {
  return { start: positionInValue(assignment, from), end: positionInValue(assignment, to) };
}
