// Folding: each section, each multi-line (continued) value, and each run of comment lines.
import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver-types';
import type { UnitFile } from '../unitFile/ast';

export function foldingRanges(file: UnitFile): FoldingRange[] {
  const ranges: FoldingRange[] = [];
  for (const s of file.sections) {
    if (s.range.end.line > s.range.start.line) ranges.push({ startLine: s.range.start.line, endLine: s.range.end.line });
    for (const a of s.entries) {
      if (a.range.end.line > a.range.start.line) ranges.push({ startLine: a.range.start.line, endLine: a.range.end.line });
    }
  }
  let runStart = -1;
  let runEnd = -1;
  const flush = () => {
    if (runStart >= 0 && runEnd > runStart) ranges.push({ startLine: runStart, endLine: runEnd, kind: FoldingRangeKind.Comment });
  };
  for (const c of file.comments) {
    if (c.inContinuation) continue;
    const line = c.range.start.line;
    if (line === runEnd + 1 && runStart >= 0) runEnd = line;
    else {
      flush();
      runStart = runEnd = line;
    }
  }
  flush();
  return ranges;
}
