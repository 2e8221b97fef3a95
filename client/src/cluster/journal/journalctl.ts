// The journalctl command line for JSON output, as an argv array (turn it into a remote command
// with shellQuote(), or use buildJournalctlCommand()).
//
// Resuming: `--after-cursor=C` is combined with `--no-tail`, never with `--lines`. journalctl
// applies -n after seeking to the cursor, and -f alone implies -n 10, so `--after-cursor=C -f`
// would print at most 10 of the entries written since C and silently skip the rest (checked with
// journalctl 252 on a real journal file: 28 entries after the cursor, 10 printed).
import { shellQuote } from '../ssh/shellQuote';
import { assertJournalCursor, assertUnitPattern } from '../validate';

/**
 * Fields asked for with --output-fields (journalctl ≥ 236); __CURSOR, __REALTIME_TIMESTAMP,
 * __MONOTONIC_TIMESTAMP and _BOOT_ID always come. CONTAINER_NAME/CONTAINER_ID are set by Docker's
 * journald log driver, which links a line to its container.
 */
export const JOURNAL_OUTPUT_FIELDS: readonly string[] = [
  'MESSAGE',
  'PRIORITY',
  '_SYSTEMD_UNIT',
  'UNIT',
  '_PID',
  '_HOSTNAME',
  'SYSLOG_IDENTIFIER',
  '_COMM',
  'CONTAINER_NAME',
  'CONTAINER_ID',
];

export type JournalTime = Date | number | string;

export interface JournalctlOptions {
  /** Units or unit globs (`helloworld@*.service`), each as `--unit=…`; none means the whole journal. */
  units?: readonly string[];
  /** How many past entries to start with (-n); 'all' for every one. Ignored with afterCursor. */
  lines?: number | 'all';
  /** Keep running and print new entries as they come (-f). */
  follow?: boolean;
  /** Resume after this __CURSOR (uses --no-tail: every entry after it, however many). */
  afterCursor?: string;
  /** Only entries at or after this time: a Date, microseconds since the epoch, or journalctl's own syntax ("-1h", "today", "2024-05-01 10:00"). */
  since?: JournalTime;
  until?: JournalTime;
  /** Only entries of this priority or more urgent (0 emerg … 7 debug), -p. */
  priority?: number;
  /** --output-fields: the default list, 'all' for every field, or your own list. */
  outputFields?: readonly string[] | 'all';
  /** Print fields over 4096 bytes in full instead of null (--all). Default true. */
  all?: boolean;
  /** Read this journal directory (-D) instead of the system journal (tests, exported journals). */
  directory?: string;
  /** The journalctl executable (default "journalctl"). */
  journalctl?: string;
  /** Run through `sudo -n` (for users not in the systemd-journal group). */
  sudo?: boolean;
}

function formatTime(name: string, t: JournalTime): string {
  if (t instanceof Date) {
    const ms = t.getTime();
    if (!Number.isFinite(ms)) throw new RangeError(`${name}: invalid date`);
    return formatMicros(BigInt(Math.round(ms)) * 1000n);
  }
  if (typeof t === 'number') {
    if (!Number.isSafeInteger(t) || t < 0) throw new RangeError(`${name}: microseconds since the epoch must be a non-negative integer`);
    return formatMicros(BigInt(t));
  }
  if (!/^[0-9A-Za-z :.+@_-]{1,64}$/.test(t)) throw new RangeError(`${name}: ${JSON.stringify(t)} is not a journalctl time`);
  return t;
}

/** `@SECONDS.MICROS`, which journalctl reads as an exact UNIX time. */
function formatMicros(us: bigint): string {
  const s = us / 1_000_000n;
  const frac = (us % 1_000_000n).toString().padStart(6, '0');
  return `@${s}.${frac}`;
}

const FIELD_NAME = /^[A-Z0-9_]{1,64}$/;

/** argv for `journalctl -o json …`. Throws (ValidationError / RangeError) on a bad unit, cursor or option. */
export function buildJournalctlArgs(options: JournalctlOptions = {}): string[] {
  const argv: string[] = [];
  if (options.sudo) argv.push('sudo', '-n', '--');
  argv.push(options.journalctl ?? 'journalctl', '--output=json', '--no-pager', '--quiet');
  if (options.all ?? true) argv.push('--all');
  const fields = options.outputFields ?? JOURNAL_OUTPUT_FIELDS;
  if (fields !== 'all') {
    for (const f of fields) if (!FIELD_NAME.test(f)) throw new RangeError(`${JSON.stringify(f)} is not a journal field name`);
    if (fields.length > 0) argv.push(`--output-fields=${fields.join(',')}`);
  }
  if (options.directory !== undefined) argv.push(`--directory=${options.directory}`);
  if (options.follow) argv.push('--follow');
  if (options.afterCursor !== undefined) {
    assertJournalCursor(options.afterCursor);
    argv.push(`--after-cursor=${options.afterCursor}`, '--no-tail');
  } else if (options.lines !== undefined) {
    if (options.lines !== 'all' && (!Number.isSafeInteger(options.lines) || options.lines < 0)) throw new RangeError('lines must be a non-negative integer or "all"');
    argv.push(`--lines=${options.lines}`);
  }
  if (options.since !== undefined) argv.push(`--since=${formatTime('since', options.since)}`);
  if (options.until !== undefined) argv.push(`--until=${formatTime('until', options.until)}`);
  if (options.priority !== undefined) {
    if (!Number.isInteger(options.priority) || options.priority < 0 || options.priority > 7) throw new RangeError('priority must be 0…7');
    argv.push(`--priority=${options.priority}`);
  }
  for (const unit of options.units ?? []) argv.push(`--unit=${assertUnitPattern(unit)}`);
  return argv;
}

/** The same as one POSIX shell command line, for an SSH exec request. */
export function buildJournalctlCommand(options: JournalctlOptions = {}): string {
  return shellQuote(buildJournalctlArgs(options));
}
