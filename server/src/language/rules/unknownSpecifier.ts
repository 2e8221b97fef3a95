import { fixesFromData, reportProblems } from './execSupport';
import type { Rule } from './rule';

const KINDS = new Set(['unknown-specifier']);

/** `%z` in an Exec*= line: systemd refuses the whole line. The quick fix writes `%%z` (a literal `%z`). */
export const unknownSpecifier: Rule = {
  code: 'unknown-specifier',
  defaultSeverity: 'error',
  description: 'An unknown % specifier in a command line (e.g. %F, %e): systemd refuses the line. Write %% for a literal percent sign.',
  check(ctx) {
    reportProblems(ctx, KINDS);
  },
  fixes: fixesFromData,
};
