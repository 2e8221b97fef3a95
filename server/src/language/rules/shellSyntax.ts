import { reportProblems } from './execSupport';
import type { Rule } from './rule';

const KINDS = new Set([
  'shell-unbalanced-quote',
  'shell-unclosed-substitution',
  'shell-unclosed-backtick',
  'shell-unclosed-parameter',
  'shell-unclosed-compound',
  'shell-unclosed-parenthesis',
  'shell-unexpected-token',
]);

/**
 * The script of `sh -c '…'` (bash, dash, `/usr/bin/env bash -c`, …) as the shell receives it, after
 * systemd's unquoting and expansions: an unbalanced quote, an unclosed `$(`, `${`, backtick or
 * compound command, a misplaced token. The shell refuses the script and the command fails at run time.
 */
export const shellSyntax: Rule = {
  code: 'shell-syntax',
  defaultSeverity: 'error',
  description: 'A syntax error inside a "sh -c" script (unbalanced quote, unclosed $( ${ or backtick, unclosed if/while/case, misplaced token): the shell refuses it at run time.',
  check(ctx) {
    reportProblems(ctx, KINDS);
  },
};
