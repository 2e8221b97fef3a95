// Remote command lines built from argument vectors (sshd hands the command string to the user's
// login shell): the quoting itself is shellQuote.ts's.
import { shellQuote, shellQuoteArg } from './shellQuote';

/** Quotes one argument for a POSIX shell. */
export function quoteArg(arg: string): string {
  return shellQuoteArg(arg);
}

/** argv → one command line that the remote shell splits back into exactly argv. */
export function commandLine(argv: readonly string[]): string {
  return shellQuote(argv);
}
