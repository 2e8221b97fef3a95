import { sectionIsChecked } from './sectionScope';
import type { Rule } from './rule';

/** A line that is neither a comment, a section header nor `Key=value`: systemd ignores it. */
export const malformedLine: Rule = {
  code: 'malformed-line',
  defaultSeverity: 'error',
  description: 'A line without "=" or without a key name; systemd ignores it.',
  check(ctx) {
    const sections = new Map(ctx.file.sections.map((s) => [s.name, s]));
    for (const m of ctx.file.malformed) {
      // Like systemd: lines before any section are "outside" (another rule), and lines inside an
      // ignored section (unknown, X-, or not read in this unit type) are never looked at.
      if (m.section === undefined) continue;
      const section = sections.get(m.section);
      if (!section || !sectionIsChecked(section, ctx.name)) continue;
      if (m.reason === 'missing-equals') {
        ctx.report({ range: m.range, message: `Missing "=": systemd expects Key=value here and ignores this line.` });
      } else if (m.reason === 'missing-key') {
        ctx.report({ range: m.range, message: `Missing key name before "=": systemd ignores this line.` });
      }
    }
  },
};
