// Remote command lines built from argument vectors. sshd hands the command string to the user's
// login shell, so every argument is single-quoted unless it is made only of characters no POSIX
// shell treats specially.

/** Quotes one argument for a POSIX shell. */
export function quoteArg(arg: string): string {
  if (arg.length > 0 && /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** argv → one command line that the remote shell splits back into exactly argv. */
export function commandLine(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error('empty command');
  return argv.map(quoteArg).join(' ');
}
