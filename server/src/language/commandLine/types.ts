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
}

export interface CommandProblem {
  offset: number;
  length: number;
  message: string;
  /** Which check found it, e.g. "unterminated-quote", "unknown-specifier", "bad-prefix", "shell-unbalanced-quote". */
  kind: string;
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
}
