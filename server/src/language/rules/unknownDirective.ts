import { directiveNames, findDirectiveSections, getDirective } from '../catalog/catalog';
import { quickFix, replace } from '../features/edits';
import { closest } from '../util/suggest';
import { sectionIsChecked } from './sectionScope';
import type { Rule } from './rule';

/** `ExecStrat=`: a key systemd does not know anywhere; keys are case-sensitive. `X-` keys are an extension space. */
export const unknownDirective: Rule = {
  code: 'unknown-directive',
  defaultSeverity: 'error',
  description: 'A directive systemd does not know in any section; it is ignored. Suggests the closest known name.',
  check(ctx) {
    for (const section of ctx.file.sections) {
      if (!sectionIsChecked(section, ctx.name)) continue;
      for (const a of section.entries) {
        if (a.key.startsWith('X-') || getDirective(section.name, a.key) || findDirectiveSections(a.key).length > 0) continue;
        const suggestion = closest(a.key, directiveNames(section.name));
        ctx.report({
          range: a.keyRange,
          message: `Unknown directive ${a.key}= in [${section.name}]: systemd ignores it.${suggestion ? ` Did you mean ${suggestion}=?` : ''}`,
          data: suggestion ? { suggestion } : undefined,
        });
      }
    }
  },
  fixes(diagnostic, ctx) {
    const suggestion = (diagnostic.data as { suggestion?: string } | undefined)?.suggestion;
    return suggestion ? [quickFix(`Change to ${suggestion}=`, ctx.uri, [replace(diagnostic.range, suggestion)], diagnostic, true)] : [];
  },
};
