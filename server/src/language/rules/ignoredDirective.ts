import { DiagnosticTag } from 'vscode-languageserver-types';
import { getDirective } from '../catalog/catalog';
import { sectionIsChecked } from './sectionScope';
import type { Rule } from './rule';

/** `CPUShares=`, `MemoryLimit=` on current systemd: accepted, but ignored with a warning (no effect at all). */
export const ignoredDirective: Rule = {
  code: 'ignored-directive',
  defaultSeverity: 'warning',
  description: 'A legacy directive that current systemd accepts but ignores; names the replacement.',
  check(ctx) {
    for (const section of ctx.file.sections) {
      if (!sectionIsChecked(section, ctx.name)) continue;
      for (const a of section.entries) {
        const info = getDirective(section.name, a.key);
        if (!info?.ignored) continue;
        ctx.report({
          range: a.keyRange,
          message: `${a.key}= is no longer supported: current systemd ignores it${info.replacement ? ` (use ${info.replacement}= instead)` : ''}.`,
          tags: [DiagnosticTag.Deprecated],
        });
      }
    }
  },
};
