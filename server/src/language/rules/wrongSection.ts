import { findDirectiveSections, getDirective, getSection } from '../catalog/catalog';
import { appendSection, deleteLines, insertAfterLine, quickFix } from '../features/edits';
import type { TextEdit } from 'vscode-languageserver-types';
import { allowedSections, sectionIsChecked } from './sectionScope';
import type { Rule } from './rule';

/** `After=` in `[Service]`, `User=` in `[Unit]`: a real directive in a section where systemd ignores it. */
export const wrongSection: Rule = {
  code: 'directive-wrong-section',
  defaultSeverity: 'error',
  description: 'A directive placed in a section where systemd ignores it; offers to move it to its section.',
  check(ctx) {
    const allowed = allowedSections(ctx.name);
    for (const section of ctx.file.sections) {
      if (!sectionIsChecked(section, ctx.name)) continue;
      for (const a of section.entries) {
        if (a.key.startsWith('X-') || getDirective(section.name, a.key)) continue;
        const homes = findDirectiveSections(a.key);
        if (homes.length === 0) continue;
        const target = homes.find((h) => !allowed || allowed.has(h));
        const where = target
          ? `it belongs in [${target}]`
          : `it belongs in [${homes[0]}] of ${getSection(homes[0])?.unitTypes.map((t) => `.${t}`).join('/')} units`;
        ctx.report({
          range: a.keyRange,
          message: `${a.key}= is not read in [${section.name}]: ${where}. systemd ignores it here.`,
          data: target ? { target } : undefined,
        });
      }
    }
  },
  fixes(diagnostic, ctx) {
    const target = (diagnostic.data as { target?: string } | undefined)?.target;
    if (!target) return [];
    const line = diagnostic.range.start.line;
    const assignment = ctx.file.sections.flatMap((s) => s.entries).find((a) => a.range.start.line === line);
    if (!assignment) return [];
    const text = ctx.file.lines.slice(assignment.range.start.line, assignment.range.end.line + 1).join('\n');
    const edits: TextEdit[] = [deleteLines(assignment.range.start.line, assignment.range.end.line)];
    const home = ctx.file.sections.find((s) => s.name === target && s.valid);
    if (home) {
      edits.push(insertAfterLine(ctx.file.lines, home.range.end.line, text));
    } else {
      edits.push(appendSection(ctx.file.lines, target, text));
    }
    return [quickFix(`Move ${assignment.key}= to [${target}]`, ctx.uri, edits, diagnostic, true)];
  },
};
