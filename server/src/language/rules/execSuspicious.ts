import { fixesFromData, reportProblems } from './execSupport';
import type { Rule } from './rule';

const KINDS = new Set(['unknown-escape', 'prefix-in-name', 'deprecated-specifier']);

/**
 * What systemd accepts in a command line but almost certainly is not meant: an unknown escape such
 * as `\d` (kept verbatim, with a warning), a repeated prefix that becomes part of a program name
 * (`--true`), the deprecated specifiers `%c %r %R`.
 */
export const execSuspicious: Rule = {
  code: 'exec-suspicious',
  defaultSeverity: 'warning',
  description: 'Accepted by systemd but almost certainly a mistake: an unknown escape sequence (kept verbatim), a repeated prefix that becomes part of the program name, a deprecated specifier (%c %r %R).',
  check(ctx) {
    reportProblems(ctx, KINDS);
  },
  fixes: fixesFromData,
};
