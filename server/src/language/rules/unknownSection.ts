import { allSectionNames, getSection } from '../catalog/catalog';
import { quickFix, replace } from '../features/edits';
import { closest } from '../util/suggest';
import { allowedSections } from './sectionScope';
import type { Rule } from './rule';

/** `[Servce]`: systemd warns "Unknown section" and ignores everything in it. `X-` sections are an extension space. */
export const unknownSection: Rule = {
  code: 'unknown-section',
  defaultSeverity: 'error',
  description: 'A section systemd does not know; it ignores the section and all its directives.',
  check(ctx) {
    const candidates = [...(allowedSections(ctx.name) ?? allSectionNames())];
    for (const s of ctx.file.sections) {
      if (s.name.startsWith('X-') || getSection(s.name)) continue;
      const suggestion = closest(s.name, candidates);
      ctx.report({
        range: s.nameRange,
        message: `Unknown section [${s.name}]: systemd ignores it and every directive in it.${suggestion ? ` Did you mean [${suggestion}]?` : ''} (Sections starting with X- are free for extensions.)`,
        data: suggestion ? { suggestion } : undefined,
      });
    }
  },
  fixes(diagnostic, ctx) {
    const suggestion = (diagnostic.data as { suggestion?: string } | undefined)?.suggestion;
    return suggestion ? [quickFix(`Change to [${suggestion}]`, ctx.uri, [replace(diagnostic.range, suggestion)], diagnostic, true)] : [];
  },
};
