import type { Rule } from './rule';

/** `Key=value` before the first `[Section]`: systemd ignores it. */
export const outsideSection: Rule = {
  code: 'outside-section',
  defaultSeverity: 'error',
  description: 'An assignment before the first section header; systemd ignores it.',
  check(ctx) {
    for (const a of ctx.file.orphans) {
      ctx.report({ range: a.range, message: `${a.key}= is outside any section: systemd ignores it. Put it under a section header such as [Unit].` });
    }
    for (const m of ctx.file.malformed) {
      if (m.section !== undefined || m.reason === 'invalid-section-header') continue;
      ctx.report({ range: m.range, message: `This line is outside any section: systemd ignores it. Put it under a section header such as [Unit].` });
    }
  },
};
