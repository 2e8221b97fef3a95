import { endsWithContinuation } from '../unitFile/parser';
import type { Rule } from './rule';

/**
 * `#ExecStart=/usr/bin/foo \` — systemd never continues a comment line, so when a multi-line
 * setting is commented out only on its first line, the next line is read as a directive of its own.
 */
export const commentContinuation: Rule = {
  code: 'comment-continuation',
  defaultSeverity: 'warning',
  description: 'A comment line ending in "\\": the next line is not part of the comment.',
  check(ctx) {
    const { lines } = ctx.file;
    for (const c of ctx.file.comments) {
      if (c.inContinuation || !endsWithContinuation(c.text)) continue;
      const next = lines[c.range.start.line + 1];
      const nextIsCode = next !== undefined && next.trim().length > 0 && !/^\s*[#;]/.test(next);
      ctx.report({
        range: c.range,
        message: nextIsCode
          ? `This comment ends with "\\", but systemd never continues a comment: the next line is read as its own line, not as part of the comment. Comment it out too.`
          : `This comment ends with "\\": systemd never continues comment lines, so the backslash has no effect.`,
        data: nextIsCode ? { nextLine: c.range.start.line + 1 } : undefined,
      });
    }
  },
};
