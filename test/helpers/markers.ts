// Test snippets mark places inline: `|` is the cursor, `«…»` a range a diagnostic must cover.
import type { Position, Range } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';

export interface Marked {
  text: string;
  cursor: Position | undefined;
  ranges: Range[];
}

export function marked(source: string, options: { cursor?: boolean } = {}): Marked {
  let text = '';
  let line = 0;
  let character = 0;
  let cursor: Position | undefined;
  const ranges: Range[] = [];
  const open: Position[] = [];
  for (const ch of source) {
    if (ch === '«') open.push({ line, character });
    else if (ch === '»') ranges.push({ start: open.pop()!, end: { line, character } });
    else if (ch === '|' && options.cursor) cursor = { line, character };
    else {
      text += ch;
      if (ch === '\n') {
        line++;
        character = 0;
      } else character += ch.length;
    }
  }
  return { text, cursor, ranges };
}

let version = 0;
export function doc(uri: string, text: string): TextDocument {
  return TextDocument.create(uri, 'systemd-unit', ++version, text);
}

export const rangeString = (r: Range) => `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;

/** A diagnostic's message as text (LSP 3.18 also allows markup). */
export const messageOf = (d: { message: string | { value: string } }): string => (typeof d.message === 'string' ? d.message : d.message.value);
