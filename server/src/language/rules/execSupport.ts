// Shared by the command-line rules: the Exec*= lines systemd reads in this file, and reporting the
// parser's problems (with their obvious repair as a quick fix).
import type { CodeAction, Diagnostic, Range } from 'vscode-languageserver-types';
import { execLinesOf, type ExecAssignment } from '../commandLine';
import { quickFix, replace } from '../features/edits';
import { rangeInValue } from '../unitFile/parser';
import type { FixContext, RuleContext } from './rule';
import { allowedSections } from './sectionScope';

/** Exec*= assignments of sections systemd reads in this kind of file. */
export function checkedExecLines(ctx: Pick<RuleContext, 'file' | 'name'>): ExecAssignment[] {
  const allowed = allowedSections(ctx.name);
  return execLinesOf(ctx.file).filter((e) => !allowed || (e.assignment.section !== undefined && allowed.has(e.assignment.section)));
}

/** Quick-fix payload carried by a diagnostic: replace `range` by `text`. */
export interface FixData {
  fixes: Array<{ title: string; edits: Array<{ range: Range; text: string }> }>;
}

/** Reports every problem of the given kinds, at its place, with its repair. */
export function reportProblems(ctx: RuleContext, kinds: ReadonlySet<string>): void {
  for (const { assignment: a, line } of checkedExecLines(ctx)) {
    for (const p of line.problems) {
      if (!kinds.has(p.kind)) continue;
      const data: FixData | undefined = p.fix ? { fixes: [{ title: p.fix.title, edits: [{ range: rangeInValue(a, p.fix.offset, p.fix.offset + p.fix.length), text: p.fix.text }] }] } : undefined;
      ctx.report({ range: rangeInValue(a, p.offset, p.offset + p.length), message: `${a.key}=: ${p.message}`, data });
    }
  }
}

/** The quick fixes stored in a diagnostic's data (the first one preferred). */
export function fixesFromData(diagnostic: Diagnostic, ctx: FixContext): CodeAction[] {
  const data = diagnostic.data as FixData | undefined;
  if (!data?.fixes) return [];
  return data.fixes.map((f, i) => quickFix(f.title, ctx.uri, f.edits.map((e) => replace(e.range, e.text)), diagnostic, i === 0));
}
