import { DiagnosticTag } from 'vscode-languageserver-types';
import { getDirective } from '../catalog/catalog';
import type { Assignment } from '../unitFile/ast';
import { sectionIsChecked } from './sectionScope';
import type { Rule } from './rule';

/**
 * `Type=simple` … `Type=forking` in one section: only the last one counts, the first is dead text.
 * Information, not a warning: distributions override on purpose (chrony sets NoNewPrivileges=
 * twice, the second time to relax it), so this must not read as a mistake.
 */
export const duplicateDirective: Rule = {
  code: 'duplicate-directive',
  defaultSeverity: 'information',
  description: 'A single-valued directive given twice in one section; only the last value counts.',
  check(ctx) {
    for (const section of ctx.file.sections) {
      if (!sectionIsChecked(section, ctx.name)) continue;
      const last = new Map<string, Assignment>();
      for (const a of section.entries) {
        const info = getDirective(section.name, a.key);
        if (!info || info.multiple) continue;
        const earlier = last.get(a.key);
        // An empty assignment is an explicit reset, never a mistake.
        if (earlier && earlier.value !== '' && a.value !== '') {
          ctx.report({
            range: earlier.range,
            message: `${a.key}= is set again on line ${a.range.start.line + 1}, which overrides this value.`,
            tags: [DiagnosticTag.Unnecessary],
            related: [{ location: { uri: ctx.uri, range: a.range }, message: `${a.key}= set again here` }],
          });
        }
        last.set(a.key, a);
      }
    }
  },
};
