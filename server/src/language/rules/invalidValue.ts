import { getDirective } from '../catalog/catalog';
import { quickFix, replace } from '../features/edits';
import { rangeInValue } from '../unitFile/parser';
import { checkValue } from '../values';
import { sectionIsChecked } from './sectionScope';
import type { Rule } from './rule';

/** `Restart=sometimes`, `TimeoutStartSec=5mins`, `RemainAfterExit=maybe`: systemd ignores the assignment. */
export const invalidValue: Rule = {
  code: 'invalid-value',
  defaultSeverity: 'error',
  description: 'A value systemd cannot parse for this directive (booleans, time spans, sizes, modes, signals, enumerations, unit names, paths); systemd ignores the assignment.',
  check(ctx) {
    for (const section of ctx.file.sections) {
      if (!sectionIsChecked(section, ctx.name)) continue;
      for (const a of section.entries) {
        if (a.value === '') continue; // an empty assignment resets the setting
        const info = getDirective(section.name, a.key);
        if (!info || info.kind === 'string' || info.kind === 'command') continue;
        for (const p of checkValue(info.kind, a.value, info)) {
          ctx.report({
            range: rangeInValue(a, p.offset, p.offset + p.length),
            message: `${a.key}=: ${p.message}`,
            data: p.suggestion !== undefined ? { suggestion: p.suggestion } : undefined,
          });
        }
      }
    }
  },
  fixes(diagnostic, ctx) {
    const suggestion = (diagnostic.data as { suggestion?: string } | undefined)?.suggestion;
    return suggestion !== undefined ? [quickFix(`Change to "${suggestion}"`, ctx.uri, [replace(diagnostic.range, suggestion)], diagnostic, true)] : [];
  },
};
