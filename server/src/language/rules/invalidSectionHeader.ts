import type { Rule } from './rule';

/** `[Service` without the closing bracket: systemd refuses to load the whole file. */
export const invalidSectionHeader: Rule = {
  code: 'invalid-section-header',
  defaultSeverity: 'error',
  description: 'A section header that does not end with "]"; systemd fails to load the file.',
  check(ctx) {
    for (const m of ctx.file.malformed) {
      if (m.reason !== 'invalid-section-header') continue;
      ctx.report({ range: m.range, message: `Invalid section header "${m.text}": it must look like [Name]. systemd refuses to load this file.` });
    }
  },
};
