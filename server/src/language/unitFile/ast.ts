// The lossless syntax tree of a unit file. Every node carries LSP-style ranges (0-based line,
// UTF-16 column) so diagnostics and features can point at exact places.
import type { Position, Range } from 'vscode-languageserver-types';

export type { Position, Range };

/** One physical line's contribution to a logical value (continuations span several lines). */
export interface ValuePart {
  /** Text of this part as it appears in the document. */
  text: string;
  /** Where the part starts in the document. */
  start: Position;
  /** Offset of this part inside the joined `Assignment.value`. */
  valueOffset: number;
}

export interface Comment {
  kind: 'comment';
  /** The comment text including its leading `#` or `;`. */
  text: string;
  range: Range;
  /** True when the comment line sits inside a continuation (systemd skips it). */
  inContinuation: boolean;
}

export interface Assignment {
  kind: 'assignment';
  key: string;
  keyRange: Range;
  /** The value as systemd sees it: stripped, continuation backslashes replaced by a space, comment lines dropped. */
  value: string;
  /** From the first value character to the last (an empty value gets an empty range right after `=`). */
  valueRange: Range;
  /** Range of the `=` sign. */
  equalsRange: Range;
  /** The whole assignment including continuation lines. */
  range: Range;
  parts: ValuePart[];
  /** Name of the enclosing section, or undefined when the assignment sits before any section header. */
  section: string | undefined;
}

export interface SectionHeader {
  kind: 'section';
  name: string;
  nameRange: Range;
  /** The `[Name]` header line (trimmed). */
  headerRange: Range;
  /** From the header to the end of the last line that belongs to the section. */
  range: Range;
  entries: Assignment[];
  /** False when the header line does not close with `]` (systemd rejects the line). */
  valid: boolean;
}

/** A line systemd refuses: no `=`, an empty key, … */
export interface MalformedLine {
  kind: 'malformed';
  reason: 'missing-equals' | 'missing-key' | 'invalid-section-header';
  text: string;
  range: Range;
  section: string | undefined;
}

export type UnitFileNode = Comment | Assignment | SectionHeader | MalformedLine;

export interface UnitFile {
  /** Nodes in document order (section headers, assignments, comments, malformed lines). */
  nodes: UnitFileNode[];
  sections: SectionHeader[];
  /** Assignments that appear before the first section header. */
  orphans: Assignment[];
  comments: Comment[];
  malformed: MalformedLine[];
  /** Number of lines in the document. */
  lineCount: number;
  /** Text of each physical line (without its line break), for rules that need the raw line. */
  lines: string[];
  /** True when the file started with a UTF-8 byte order mark. */
  bom: boolean;
}
