import type { Rule } from './rule';

/** A line that is neither a comment, a section header nor `Key=value`: systemd ignores it. */
export const malformedLine: Rule = {
  code: 'malformed-line',
  defaultSeverity: 'error',
  description: 'A line without "=" or without a key name; systemd ignores it.',
  check(ctx) {
    for (const m of ctx.file.malformed) {
      if (m.reason === 'missing-equals') {
        ctx.report({ range: m.range, message: `Missing "=": systemd expects Key=value here and ignores this line.` });
      } else if (m.reason === 'missing-key') {
        ctx.report({ range: m.range, message: `Missing key name before "=": systemd ignores this line.` });
      }
    }
  },
};
