import { getSection } from '../catalog/catalog';
import { allowedSections } from './sectionScope';
import type { Rule } from './rule';

/** `[Timer]` inside a `.service`: a real section, but systemd ignores it in this unit type. */
export const sectionNotAllowed: Rule = {
  code: 'section-not-allowed',
  defaultSeverity: 'error',
  description: 'A section that belongs to another unit type; systemd ignores it in this file.',
  check(ctx) {
    const allowed = allowedSections(ctx.name);
    if (!allowed || !ctx.name.type) return;
    for (const s of ctx.file.sections) {
      const info = getSection(s.name);
      if (!info || allowed.has(s.name)) continue;
      const owners = info.unitTypes.map((t) => `.${t}`).join(', ');
      ctx.report({
        range: s.nameRange,
        message: `[${s.name}] is not read in a .${ctx.name.type} unit (it belongs in ${owners} units): systemd ignores it and its directives.`,
      });
    }
  },
};
