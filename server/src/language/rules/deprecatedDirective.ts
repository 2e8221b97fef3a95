import { DiagnosticTag } from 'vscode-languageserver-types';
import { getDirective } from '../catalog/catalog';
import { quickFix, replace } from '../features/edits';
import { sectionIsChecked } from './sectionScope';
import type { Rule } from './rule';

/** `BindTo=`, `StartLimitInterval=`: still understood, but renamed; offers the new name. */
export const deprecatedDirective: Rule = {
  code: 'deprecated-directive',
  defaultSeverity: 'hint',
  description: 'A directive that still works under an older name or place; suggests the current one.',
  check(ctx) {
    for (const section of ctx.file.sections) {
      if (!sectionIsChecked(section, ctx.name)) continue;
      for (const a of section.entries) {
        const info = getDirective(section.name, a.key);
        if (!info?.deprecated || info.ignored) continue;
        const replacement = info.replacement;
        // A plain key name can be renamed in place; "Unit.X" or prose needs a manual move.
        const renameTo = replacement && /^[A-Za-z]+$/.test(replacement) ? replacement : undefined;
        ctx.report({
          range: a.keyRange,
          message: `${a.key}= is deprecated${replacement ? `: use ${replacement.includes('=') || !/^[\w.]+$/.test(replacement) ? replacement : `${replacement}=`} instead` : ''}.`,
          tags: [DiagnosticTag.Deprecated],
          data: renameTo ? { renameTo } : undefined,
        });
      }
    }
  },
  fixes(diagnostic, ctx) {
    const renameTo = (diagnostic.data as { renameTo?: string } | undefined)?.renameTo;
    return renameTo ? [quickFix(`Rename to ${renameTo}=`, ctx.uri, [replace(diagnostic.range, renameTo)], diagnostic, true)] : [];
  },
};
