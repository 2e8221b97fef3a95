import { reportProblems } from './execSupport';
import type { Rule } from './rule';

const KINDS = new Set(['unterminated-quote', 'bad-prefix', 'empty-command', 'missing-argv0', 'invalid-executable']);

/**
 * Exec*= lines systemd refuses to parse: an unterminated quote (reported where it opens), repeated
 * or conflicting prefixes that leave an invalid executable, a command made of prefixes only, `@`
 * without argv[0], an executable that is neither an absolute path nor a plain name (`bin/foo`).
 */
export const execSyntax: Rule = {
  code: 'exec-syntax',
  defaultSeverity: 'error',
  description: 'A command line systemd refuses: unterminated quote, invalid prefixes, empty command, "@" without argv[0], an executable that is neither an absolute path nor a plain program name.',
  check(ctx) {
    reportProblems(ctx, KINDS);
  },
};
