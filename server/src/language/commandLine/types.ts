// The shape of a parsed command line (ExecStart= and friends, and the shell scripts inside
// `sh -c '…'`), shared by the command-line rules, the trap detectors and the etcd key index.
// Offsets are positions inside `Assignment.value` (see unitFile/parser.ts rangeInValue), so
// every word can be underlined exactly, even inside a quoted shell payload.

/** One word as the program will see it, with where it came from in the directive's value. */
export interface Word {
  /** Unquoted text (quotes and escapes removed); `$VAR`, `${VAR}`, `$(…)`, backticks and `%x` left as written. */
  text: string;
  /** Start of the word in the directive's value. */
  offset: number;
  /** Length of the raw word in the value, quotes included. */
  length: number;
  /** True when the word holds something only known at run time ($VAR, ${VAR}, $(…), `…`, %x specifiers). */
  dynamic: boolean;
}

/** A simple command: `[VAR=x …] program args…`. */
export interface SimpleCommand {
  argv: Word[];
  /** Leading `NAME=value` assignments (shell only). */
  assignments: Word[];
  /** `exec`: the command systemd itself runs; `shell`: a command inside a shell payload (`sh -c`, loops, `$(…)`, backticks, pipelines, lists). */
  via: 'exec' | 'shell';
  /**
   * (added) `exec` only: this command's own prefixes as written ("-", "+@", …). systemd 252 accepts several
   * commands on one line separated by a lone `;`, each with its own prefixes.
   */
  prefixes?: string;
  /** (added) `exec` only: where the command's first word (its prefixes included) starts in the value; a `-` is inserted here. */
  offset?: number;
  /** (added) `exec` only, with the `@` prefix: the word systemd passes as argv[0] instead of the path (argv[0] stays the executable). */
  argv0?: Word;
  /**
   * (added) True when this command failing makes the whole command line fail: an `exec` command (whatever its
   * prefixes), or a shell command whose status becomes the script's (last in the script and not rescued by
   * `||`, `if`, `!`) or that stops the script under `set -e`/`sh -e`. False inside `$(…)`, conditions and functions.
   */
  exitStatusMatters?: boolean;
  /** (added) Where the command ends in the value (end of its last word). */
  end?: number;
}

/** (added) A systemd environment variable reference in an argument: `$VAR` (a whole word) or `${VAR}`. */
export interface EnvReference {
  name: string;
  offset: number;
  length: number;
  /** `${VAR}`: replaced in place; `$VAR` as a whole word: split into several words at whitespace. */
  braced: boolean;
}

export interface CommandProblem {
  offset: number;
  length: number;
  message: string;
  /** Which check found it, e.g. "unterminated-quote", "unknown-specifier", "bad-prefix", "shell-unbalanced-quote". */
  kind: string;
  /** (added) An obvious repair: replace `length` characters at `offset` of the value by `text`. */
  fix?: { title: string; offset: number; length: number; text: string };
}

/** One Exec*= value, parsed. */
export interface ExecLine {
  /** `ExecStart`, `ExecStartPre`, … */
  directive: string;
  /** The special prefixes as written, e.g. "-", "+", "!!", "-@" (empty when none). */
  prefixes: string;
  /** Every command: first the one systemd runs, then those found inside its shell payload, in order. */
  commands: SimpleCommand[];
  problems: CommandProblem[];
  /** (added) systemd environment variable references in the arguments (none with the `:` prefix). */
  variables?: EnvReference[];
}
