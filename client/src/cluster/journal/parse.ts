// The model of `journalctl -o json` output: one JSON object per line, every field a string, except
// that a value that is not valid UTF-8 is an array of byte values, a field that occurs several
// times in the entry is an array of its values, and (without --all) a value over 4096 bytes is
// null. __CURSOR, __REALTIME_TIMESTAMP, __MONOTONIC_TIMESTAMP and _BOOT_ID are always present.
//
// JournalLineParser takes the output in chunks as they arrive (strings or bytes, cut anywhere,
// even inside a UTF-8 sequence) and returns whole entries. It never throws on input: blank lines
// are skipped, lines that are not a JSON object or lack a cursor or timestamp are counted as
// invalid, and a line longer than the limit is dropped as it streams by (counted as oversized)
// without being held in memory.
import { StringDecoder } from 'node:string_decoder';

/** A field's value as journalctl prints it. */
export type JournalFieldValue = string | number[] | null | (string | number[] | null)[];

export interface JournalEntry {
  /** __CURSOR: where to resume after this entry (`--after-cursor`). */
  cursor: string;
  /** __REALTIME_TIMESTAMP: microseconds since the epoch (exact: below 2^53 until the year 2255). */
  realtimeUs: number;
  /** __MONOTONIC_TIMESTAMP: microseconds since boot, when present. */
  monotonicUs?: number;
  /** _BOOT_ID */
  bootId?: string;
  /**
   * The unit the entry is about: UNIT= on messages systemd (PID 1) logs about a unit ("Started
   * foo.service"), else _SYSTEMD_UNIT (the unit whose process logged it), else UNIT=.
   */
  unit?: string;
  /** MESSAGE, bytes decoded as UTF-8 (invalid sequences become U+FFFD); several values joined by "\n". */
  message: string;
  /** True when journalctl left MESSAGE out (null: over 4096 bytes without --all) or there was none. */
  messageMissing?: boolean;
  /** PRIORITY 0 (emerg) … 7 (debug). */
  priority?: number;
  /** _PID */
  pid?: number;
  /** _HOSTNAME */
  hostname?: string;
  /** SYSLOG_IDENTIFIER */
  syslogIdentifier?: string;
  /** The machine the entry came from, as named in the cluster definition (set by the caller). */
  machine?: string;
  /** Every field as journalctl printed it, when the parser was asked to keep them. */
  fields?: Record<string, JournalFieldValue>;
}

export interface JournalParseOptions {
  /** Set as `machine` on every entry. */
  machine?: string;
  /** Keep all fields in `entry.fields` (default false: only the model's fields are kept). */
  keepFields?: boolean;
  /** Lines longer than this many characters are dropped (default 8 MiB). */
  maxLineLength?: number;
}

export interface JournalParseStats {
  /** Non-blank lines seen (complete ones). */
  lines: number;
  entries: number;
  /** Lines that are not JSON objects, or lack __CURSOR or a valid __REALTIME_TIMESTAMP. */
  invalid: number;
  /** Lines dropped for being longer than maxLineLength. */
  oversized: number;
  /** A short sample of the last invalid line, for diagnostics. */
  lastInvalid?: string;
}

export const DEFAULT_MAX_LINE_LENGTH = 8 * 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: false });

function valueToString(v: JournalFieldValue | undefined): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (v.length === 0) return '';
  if (typeof v[0] === 'number') return utf8.decode(Uint8Array.from(v as number[]));
  // Several values: each a string, a byte array or null.
  const parts: string[] = [];
  for (const item of v as (string | number[] | null)[]) {
    const s = valueToString(item);
    if (s !== undefined) parts.push(s);
  }
  return parts.join('\n');
}

/** The first value of a field (for fields that should occur once). */
function firstString(v: JournalFieldValue | undefined): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (v.length === 0) return undefined;
  if (typeof v[0] === 'number') return utf8.decode(Uint8Array.from(v as number[]));
  return valueToString(v[0] as string | number[] | null);
}

function toInt(v: JournalFieldValue | undefined): number | undefined {
  const s = firstString(v);
  if (s === undefined || !/^\d{1,16}$/.test(s)) return undefined;
  return Number(s);
}

/**
 * One entry from a parsed JSON object; undefined when it lacks a cursor or a realtime timestamp
 * (journalctl always prints both: anything else is not journal output).
 */
export function entryFromJson(obj: Record<string, JournalFieldValue>, options: JournalParseOptions = {}): JournalEntry | undefined {
  const cursor = obj.__CURSOR;
  if (typeof cursor !== 'string' || cursor === '') return undefined;
  const realtimeUs = toInt(obj.__REALTIME_TIMESTAMP);
  if (realtimeUs === undefined) return undefined;
  const message = valueToString(obj.MESSAGE);
  const entry: JournalEntry = { cursor, realtimeUs, message: message ?? '' };
  if (message === undefined) entry.messageMissing = true;
  const monotonicUs = toInt(obj.__MONOTONIC_TIMESTAMP);
  if (monotonicUs !== undefined) entry.monotonicUs = monotonicUs;
  const bootId = firstString(obj._BOOT_ID);
  if (bootId !== undefined) entry.bootId = bootId;
  const pid = toInt(obj._PID);
  if (pid !== undefined) entry.pid = pid;
  const systemdUnit = firstString(obj._SYSTEMD_UNIT);
  const subject = firstString(obj.UNIT);
  const unit = subject !== undefined && (pid === 1 || systemdUnit === undefined || systemdUnit === 'init.scope') ? subject : (systemdUnit ?? subject);
  if (unit !== undefined) entry.unit = unit;
  const priority = toInt(obj.PRIORITY);
  if (priority !== undefined && priority <= 7) entry.priority = priority;
  const hostname = firstString(obj._HOSTNAME);
  if (hostname !== undefined) entry.hostname = hostname;
  const ident = firstString(obj.SYSLOG_IDENTIFIER);
  if (ident !== undefined) entry.syslogIdentifier = ident;
  if (options.machine !== undefined) entry.machine = options.machine;
  if (options.keepFields) entry.fields = obj;
  return entry;
}

/** Parses one line of `journalctl -o json`; undefined for anything that is not a journal entry. Never throws. */
export function parseJournalLine(line: string, options: JournalParseOptions = {}): JournalEntry | undefined {
  let obj: unknown;
  try {
    obj = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return undefined;
  return entryFromJson(obj as Record<string, JournalFieldValue>, options);
}

/** Incremental parser for a stream of `journalctl -o json` output. */
export class JournalLineParser {
  readonly stats: JournalParseStats = { lines: 0, entries: 0, invalid: 0, oversized: 0 };
  private readonly decoder = new StringDecoder('utf8');
  private readonly maxLineLength: number;
  /** Pieces of the line not yet ended by "\n". */
  private pending: string[] = [];
  private pendingLength = 0;
  /** The current line went over the limit: drop everything up to the next "\n". */
  private skipping = false;

  constructor(private readonly options: JournalParseOptions = {}) {
    this.maxLineLength = options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
  }

  /** Feeds a chunk; returns the entries completed by it, in order. */
  push(chunk: string | Uint8Array): JournalEntry[] {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    const out: JournalEntry[] = [];
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      if (this.skipping) {
        this.skipping = false;
      } else if (this.pendingLength === 0) {
        this.line(text.slice(start, nl), out);
      } else if (this.pendingLength + (nl - start) > this.maxLineLength) {
        this.dropPending();
      } else {
        this.pending.push(text.slice(start, nl));
        const line = this.pending.join('');
        this.pending = [];
        this.pendingLength = 0;
        this.line(line, out);
      }
      start = nl + 1;
    }
    if (start < text.length && !this.skipping) {
      const rest = text.length - start;
      if (this.pendingLength + rest > this.maxLineLength) {
        this.dropPending();
        this.skipping = true;
      } else {
        this.pending.push(start === 0 ? text : text.slice(start));
        this.pendingLength += rest;
      }
    }
    return out;
  }

  /** End of stream: a last line without "\n" is parsed too. */
  end(): JournalEntry[] {
    const out: JournalEntry[] = [];
    const tail = this.decoder.end();
    if (tail) out.push(...this.push(tail));
    if (!this.skipping && this.pendingLength > 0) {
      const line = this.pending.join('');
      this.pending = [];
      this.pendingLength = 0;
      this.line(line, out);
    }
    this.skipping = false;
    return out;
  }

  /** Forgets an unfinished line (after a dropped connection: it will be sent again). */
  reset(): void {
    this.pending = [];
    this.pendingLength = 0;
    this.skipping = false;
    this.decoder.end();
  }

  /** Characters held for an unfinished line. */
  get bufferedLength(): number {
    return this.pendingLength;
  }

  private dropPending(): void {
    this.pending = [];
    this.pendingLength = 0;
    this.stats.oversized++;
  }

  private line(line: string, out: JournalEntry[]): void {
    if (line.length > this.maxLineLength) {
      this.stats.oversized++;
      return;
    }
    // Blank lines (and a stray "\r") are not entries and not errors.
    if (line.length === 0) return;
    const c = line.charCodeAt(0);
    if ((c === 0x20 || c === 0x09 || c === 0x0d) && line.trim() === '') return;
    this.stats.lines++;
    const entry = parseJournalLine(line, this.options);
    if (entry === undefined) {
      this.stats.invalid++;
      this.stats.lastInvalid = line.length > 200 ? `${line.slice(0, 200)}…` : line;
      return;
    }
    this.stats.entries++;
    out.push(entry);
  }
}

/** Parses complete output (e.g. `journalctl -o json -n 100` without -f). */
export function parseJournalOutput(text: string | Uint8Array, options: JournalParseOptions = {}): { entries: JournalEntry[]; stats: JournalParseStats } {
  const parser = new JournalLineParser(options);
  const entries = parser.push(text);
  entries.push(...parser.end());
  return { entries, stats: parser.stats };
}
