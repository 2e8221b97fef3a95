// Command lines for the remote side of SSH. An SSH "exec" request carries one string, which sshd
// hands to the user's login shell as `$SHELL -c STRING`; so an argv array has to be turned into a
// string that a POSIX shell (dash, bash, zsh, ksh, mksh, yash, busybox ash) splits back into
// exactly the same words, with nothing left to expand: no parameters, commands, globs, tildes,
// brace or history expansion, aliases or reserved words.
//
// Every word that is not made only of characters that are inert in every POSIX shell is wrapped
// in single quotes, where nothing is special but the closing quote; an embedded single quote
// becomes `'\''` (close, a backslash-escaped quote, reopen). Newlines, tabs, `$`, backticks,
// backslashes, `!`, `*`, `?`, `[`, `~`, `{`, `#` and non-ASCII text all end up inside quotes.
// The first word (the command) is always quoted: a quoted word is never taken for an alias or a
// reserved word such as `!`, `{`, `time` or `if`.
//
// Not for csh/tcsh or fish login shells, whose single quotes differ (history `!`, newlines, and
// backslash escapes inside quotes). NUL cannot be passed in an argument at all and lone UTF-16
// surrogates cannot be sent as UTF-8 unchanged: both are refused with a TypeError.

/**
 * Characters that need no quoting anywhere in a word. `=` is allowed after the first character
 * only (`=cmd` is an "equals expansion" in zsh); the command word is always quoted anyway, so a
 * word like `A=b` is never read as an assignment.
 */
const BARE = /^[A-Za-z0-9_.\/:@%+,-][A-Za-z0-9_.\/:@%+,=-]*$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export interface ShellQuoteOptions {
  /**
   * Quote the first word even when it is a plain word (default true): it then cannot be expanded
   * as an alias (zsh reads ~/.zshenv even for `zsh -c`) or read as a reserved word.
   */
  quoteCommand?: boolean;
}

/** Throws a TypeError when `arg` cannot be passed to a remote command unchanged. */
export function assertShellSafeArg(arg: string, index?: number): void {
  const where = index === undefined ? 'argument' : `argument ${index}`;
  if (typeof arg !== 'string') throw new TypeError(`Shell ${where} is not a string: ${String(arg)}`);
  if (arg.includes('\0')) throw new TypeError(`Shell ${where} contains a NUL character, which no command can receive.`);
  if (LONE_SURROGATE.test(arg)) throw new TypeError(`Shell ${where} contains a lone UTF-16 surrogate, which cannot be sent as UTF-8 unchanged.`);
}

/** One word for a POSIX shell: unchanged when inert, else single-quoted. */
export function shellQuoteArg(arg: string, options: { force?: boolean } = {}): string {
  assertShellSafeArg(arg);
  if (!options.force && BARE.test(arg)) return arg;
  if (arg === '') return "''";
  // "it's" → 'it'\''s'; a quote at either end needs no empty '' pair around it.
  return arg
    .split("'")
    .map((part) => (part === '' ? '' : `'${part}'`))
    .join("\\'");
}

/** The command line that makes a POSIX shell run `argv` exactly (argv[0] is the command). */
export function shellQuote(argv: readonly string[], options: ShellQuoteOptions = {}): string {
  if (argv.length === 0) throw new TypeError('shellQuote: empty argv (no command to run).');
  const quoteCommand = options.quoteCommand ?? true;
  return argv
    .map((arg, i) => {
      assertShellSafeArg(arg, i);
      return shellQuoteArg(arg, { force: i === 0 && quoteCommand });
    })
    .join(' ');
}
