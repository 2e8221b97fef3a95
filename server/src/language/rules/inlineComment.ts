import { quickFix, replace } from '../features/edits';
import { rangeInValue } from '../unitFile/parser';
import type { Assignment } from '../unitFile/ast';
import type { Rule } from './rule';

/** Offset of an unquoted ` #` that starts what looks like a trailing comment, or -1. */
export function inlineCommentOffset(value: string): number {
  let quote: string | undefined;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '\\') {
      i++;
      continue;
    }
    if ((ch === '"' || ch === "'") && (i === 0 || /\s/.test(value[i - 1]))) quote = ch;
    // "Worker #1" is a label, not a comment: only `#` followed by a space, a letter or the end counts.
    else if (ch === '#' && i > 0 && /\s/.test(value[i - 1]) && (i + 1 === value.length || /[\sA-Za-z]/.test(value[i + 1]))) {
      let start = i;
      while (start > 0 && /\s/.test(value[start - 1])) start--;
      return start;
    }
  }
  return -1;
}

/** `User=app # the service user`: systemd has no inline comments, the `# …` is part of the value. */
export const inlineComment: Rule = {
  code: 'inline-comment',
  defaultSeverity: 'warning',
  description: 'A value followed by "# comment": systemd has no inline comments, so it becomes part of the value.',
  check(ctx) {
    for (const section of ctx.file.sections) {
      if (section.name.startsWith('X-')) continue;
      for (const a of section.entries) {
        const at = inlineCommentOffset(a.value);
        if (at < 0) continue;
        ctx.report({
          range: rangeInValue(a, at, a.value.length),
          message: `systemd has no inline comments: "${a.value.slice(at).trim()}" is part of the ${a.key}= value. Put the comment on its own line.`,
          data: { offset: at },
        });
      }
    }
  },
  fixes(diagnostic, ctx) {
    const line = diagnostic.range.start.line;
    const a: Assignment | undefined = ctx.file.sections.flatMap((s) => s.entries).find((e) => e.range.start.line <= line && e.range.end.line >= line);
    const offset = (diagnostic.data as { offset?: number } | undefined)?.offset;
    if (!a || offset === undefined) return [];
    const comment = a.value.slice(offset).trim();
    const indent = ctx.file.lines[a.range.start.line].match(/^\s*/)?.[0] ?? '';
    const at = { line: a.range.start.line, character: 0 };
    return [
      quickFix('Move the comment to its own line above', ctx.uri, [{ range: { start: at, end: at }, newText: `${indent}${comment}\n` }, replace(diagnostic.range, '')], diagnostic, true),
      quickFix('Remove the inline comment', ctx.uri, [replace(diagnostic.range, '')], diagnostic),
    ];
  },
};
