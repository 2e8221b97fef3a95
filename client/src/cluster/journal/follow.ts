// Resumable journal following, independent of the transport.
//
// The caller supplies `open(afterCursor, ctx)`, which starts `journalctl -o json -f …` somewhere
// (over an SSH exec channel, a local child process, a test double) and returns its output as an
// async iterable of chunks. JournalFollower parses the chunks into entries and, when the stream
// ends or fails, opens it again with `afterCursor` = the cursor of the last entry it delivered,
// after a back-off. So nothing is lost (journalctl prints every entry after that cursor) and
// nothing is repeated (the last cursors delivered are remembered, and any entry carrying one of
// them again is dropped). An unfinished line at the moment of the drop is discarded: it comes
// again after the cursor.
//
// The follower is an AsyncIterable<JournalEntry> (one consumer), with a state for the UI:
// connecting → connected → reconnecting → connected … → stopped (close(), or the end of a
// non-follow stream) or failed (a FatalJournalError, or maxAttempts failed attempts in a row).
import type { Readable } from 'node:stream';
import { buildJournalctlArgs, type JournalctlOptions } from './journalctl';
import { JournalLineParser, type JournalEntry, type JournalParseOptions, type JournalParseStats } from './parse';

export type FollowState = 'connecting' | 'connected' | 'reconnecting' | 'stopped' | 'failed';

export interface JournalOpenContext {
  /** 1 for the first connection, then 2, 3, … */
  attempt: number;
  /** Aborted when the follower no longer needs this stream (close, or giving up on it): close the channel. */
  signal: AbortSignal;
}

/** Starts journalctl (resuming after `afterCursor` when given) and returns its stdout chunks. */
export type JournalOpen = (
  afterCursor: string | undefined,
  ctx: JournalOpenContext,
) => AsyncIterable<string | Uint8Array> | Promise<AsyncIterable<string | Uint8Array>>;

/** Thrown by a transport for a failure that retrying cannot fix (bad arguments, journalctl missing). */
export class FatalJournalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FatalJournalError';
  }
}

export interface FollowBackoff {
  /** First delay (default 250 ms). */
  initialMs?: number;
  /** Longest delay (default 15 s). */
  maxMs?: number;
  /** Growth per failed attempt (default 2). */
  factor?: number;
  /** Random spread, as a fraction of the delay (default 0.2). */
  jitter?: number;
}

export interface FollowStateInfo {
  attempt: number;
  /** Why the previous stream ended (reconnecting, failed). */
  error?: unknown;
  /** Delay before the next attempt (reconnecting). */
  delayMs?: number;
  /** Cursor the next attempt resumes after. */
  cursor?: string;
}

export interface FollowOptions extends JournalParseOptions {
  /** A stream that ends is a drop to recover from (default true). False: the end is the end (`journalctl -n N` without -f). */
  follow?: boolean;
  backoff?: FollowBackoff;
  /** Give up after this many failed attempts in a row, i.e. without any entry (default: never). */
  maxAttempts?: number;
  /** Resume after this cursor from the start (e.g. a cursor saved earlier). */
  afterCursor?: string;
  /** How many delivered cursors to remember against repeats (default 1,024). */
  dedupe?: number;
  onState?: (state: FollowState, info: FollowStateInfo) => void;
  /** Stops the follower, like close(). */
  signal?: AbortSignal;
  /** Waits between attempts (tests). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

export interface FollowStats {
  entries: number;
  /** Attempts to open the stream after the first (successful or not). */
  reconnects: number;
  /** Entries dropped because their cursor had already been delivered. */
  duplicates: number;
  /** Streams that ended in the middle of a line (the line comes again after the cursor). */
  partialLines: number;
  /** Lines over all connections (see JournalParseStats). */
  parse: JournalParseStats;
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Remembers the last N strings. */
class RecentSet {
  private readonly set = new Set<string>();
  private readonly ring: (string | undefined)[];
  private next = 0;
  constructor(size: number) {
    this.ring = new Array<string | undefined>(Math.max(1, size));
  }
  has(s: string): boolean {
    return this.set.has(s);
  }
  add(s: string): void {
    const old = this.ring[this.next];
    if (old !== undefined) this.set.delete(old);
    this.ring[this.next] = s;
    this.set.add(s);
    this.next = (this.next + 1) % this.ring.length;
  }
}

export class JournalFollower implements AsyncIterable<JournalEntry> {
  readonly stats: FollowStats = { entries: 0, reconnects: 0, duplicates: 0, partialLines: 0, parse: { lines: 0, entries: 0, invalid: 0, oversized: 0 } };
  private currentState: FollowState = 'connecting';
  private lastCursor: string | undefined;
  private readonly controller = new AbortController();
  private readonly recent: RecentSet;
  private started = false;

  constructor(
    private readonly open: JournalOpen,
    private readonly options: FollowOptions = {},
  ) {
    this.lastCursor = options.afterCursor;
    this.recent = new RecentSet(options.dedupe ?? 1024);
    if (options.afterCursor !== undefined) this.recent.add(options.afterCursor);
    if (options.signal) {
      if (options.signal.aborted) this.controller.abort();
      else options.signal.addEventListener('abort', () => this.close(), { once: true });
    }
  }

  get state(): FollowState {
    return this.currentState;
  }

  /** Cursor of the last entry delivered: where a new follower would resume. */
  get cursor(): string | undefined {
    return this.lastCursor;
  }

  /** Stops following: closes the current stream; iteration ends. */
  close(): void {
    if (!this.controller.signal.aborted) this.controller.abort();
  }

  [Symbol.asyncIterator](): AsyncIterator<JournalEntry> {
    if (this.started) throw new Error('A JournalFollower can be iterated only once.');
    this.started = true;
    const gen = this.run();
    return {
      next: () => gen.next(),
      // Abort first: the generator may be waiting on the transport, and an async generator only
      // runs return() after its pending next() settles.
      return: async () => {
        this.close();
        await gen.return(undefined);
        return { done: true, value: undefined };
      },
      throw: (e?: unknown) => gen.throw(e),
    };
  }

  private setState(state: FollowState, info: FollowStateInfo): void {
    this.currentState = state;
    this.options.onState?.(state, info);
  }

  private delay(failures: number): number {
    const b = this.options.backoff ?? {};
    const initial = b.initialMs ?? 250;
    const max = b.maxMs ?? 15_000;
    const factor = b.factor ?? 2;
    const jitter = b.jitter ?? 0.2;
    const base = Math.min(max, initial * factor ** Math.max(0, failures - 1));
    const r = (this.options.random ?? Math.random)();
    return Math.max(0, Math.round(base * (1 - jitter + 2 * jitter * r)));
  }

  private addParseStats(s: JournalParseStats): void {
    const p = this.stats.parse;
    p.lines += s.lines;
    p.entries += s.entries;
    p.invalid += s.invalid;
    p.oversized += s.oversized;
    if (s.lastInvalid !== undefined) p.lastInvalid = s.lastInvalid;
  }

  private async *run(): AsyncGenerator<JournalEntry, void, undefined> {
    try {
      yield* this.loop();
    } finally {
      // Also reached when the consumer stops iterating (break / return()).
      if (this.currentState !== 'failed' && this.currentState !== 'stopped') this.setState('stopped', { attempt: 0, cursor: this.lastCursor });
    }
  }

  private async *loop(): AsyncGenerator<JournalEntry, void, undefined> {
    const follow = this.options.follow ?? true;
    const maxAttempts = this.options.maxAttempts ?? Infinity;
    const now = this.options.now ?? Date.now;
    const sleep = this.options.sleep ?? abortableSleep;
    const stop = this.controller.signal;
    let attempt = 0;
    let failures = 0;
    while (!stop.aborted) {
      attempt++;
      if (attempt > 1) this.stats.reconnects++;
      this.setState(attempt === 1 ? 'connecting' : 'reconnecting', { attempt, cursor: this.lastCursor });
      const streamController = new AbortController();
      const onStop = (): void => streamController.abort();
      stop.addEventListener('abort', onStop, { once: true });
      const parser = new JournalLineParser(this.options);
      let delivered = false;
      let connectedAt = 0;
      let error: unknown;
      let ended = false;
      try {
        const iterable = await this.open(this.lastCursor, { attempt, signal: streamController.signal });
        if (stop.aborted) break;
        connectedAt = now();
        this.setState('connected', { attempt, cursor: this.lastCursor });
        for await (const chunk of iterable) {
          for (const entry of parser.push(chunk)) {
            if (this.recent.has(entry.cursor)) {
              this.stats.duplicates++;
              continue;
            }
            this.recent.add(entry.cursor);
            this.lastCursor = entry.cursor;
            this.stats.entries++;
            delivered = true;
            yield entry;
          }
          if (stop.aborted) break;
        }
        if (stop.aborted) break;
        if (!follow) {
          for (const entry of parser.end()) {
            if (this.recent.has(entry.cursor)) {
              this.stats.duplicates++;
              continue;
            }
            this.recent.add(entry.cursor);
            this.lastCursor = entry.cursor;
            this.stats.entries++;
            yield entry;
          }
          ended = true;
        } else {
          error = new Error('The journal stream ended.');
        }
      } catch (e) {
        if (stop.aborted) break;
        if (e instanceof FatalJournalError) {
          this.addParseStats(parser.stats);
          this.setState('failed', { attempt, error: e, cursor: this.lastCursor });
          throw e;
        }
        error = e;
      } finally {
        stop.removeEventListener('abort', onStop);
        streamController.abort();
        if (parser.bufferedLength > 0) this.stats.partialLines++;
      }
      this.addParseStats(parser.stats);
      if (ended) {
        this.setState('stopped', { attempt, cursor: this.lastCursor });
        return;
      }
      // A stream that delivered entries, or stayed up a while, was a success: start over with
      // the shortest delay.
      const maxDelay = this.options.backoff?.maxMs ?? 15_000;
      failures = delivered || (connectedAt > 0 && now() - connectedAt >= maxDelay) ? 1 : failures + 1;
      if (!delivered && failures >= maxAttempts) {
        this.setState('failed', { attempt, error, cursor: this.lastCursor });
        throw error instanceof Error ? error : new Error(String(error));
      }
      const delayMs = this.delay(failures);
      this.setState('reconnecting', { attempt: attempt + 1, error, delayMs, cursor: this.lastCursor });
      await sleep(delayMs, stop);
    }
    this.setState('stopped', { attempt, cursor: this.lastCursor });
  }
}

/** Starts following: `for await (const entry of followJournal(open, { machine: 'core-01' }))`. */
export function followJournal(open: JournalOpen, options: FollowOptions = {}): JournalFollower {
  return new JournalFollower(open, options);
}

/**
 * A JournalOpen that runs journalctl with `base` options (follow, units, lines…) and the cursor to
 * resume after: `run` gets the argv (shellQuote() it for SSH) and returns the output chunks.
 */
export function journalctlOpener(
  base: JournalctlOptions,
  run: (argv: string[], ctx: JournalOpenContext) => AsyncIterable<string | Uint8Array> | Promise<AsyncIterable<string | Uint8Array>>,
): JournalOpen {
  return (afterCursor, ctx) => run(buildJournalctlArgs({ ...base, afterCursor: afterCursor ?? base.afterCursor }), ctx);
}

// ---------------------------------------------------------------------------------------------
// Processes (local child processes and SSH exec channels alike)

export interface ExitStatus {
  /** Exit code, or null when the process was killed or the channel closed without one. */
  code: number | null;
  signal?: string | null;
}

/**
 * What to make of journalctl's exit: 0 is a normal end; 126/127 (not executable / not found) and
 * 1 with an error about its arguments cannot be fixed by retrying; anything else (a signal, no
 * status because the connection dropped) is worth a reconnect.
 */
export function classifyJournalctlExit(status: ExitStatus, stderr: string): 'ok' | 'fatal' | 'transient' {
  if (status.code === 0) return 'ok';
  if (status.code === 126 || status.code === 127) return 'fatal';
  if (status.code === 1 && /unrecognized option|invalid option|requires an argument|Failed to parse|Failed to seek to cursor|Failed to add match|not a valid|No such file or directory|Permission denied|sudo: a password is required/i.test(stderr)) {
    return 'fatal';
  }
  return 'transient';
}

/**
 * The stdout chunks of a running process (a child_process, or an ssh2 exec channel — itself the
 * stdout stream), then its exit: a normal exit ends the iteration, a fatal one throws
 * FatalJournalError, any other throws an Error (the follower reconnects). stderr is kept (last
 * 4 KiB) for the message.
 */
export function processOutput(
  stdout: Readable,
  exited: Promise<ExitStatus>,
  stderr?: Readable | null,
  classify: (status: ExitStatus, stderr: string) => 'ok' | 'fatal' | 'transient' = classifyJournalctlExit,
): AsyncGenerator<Buffer, void, undefined> {
  // Listen at once (not when iteration starts), so no stderr output and no exit is missed.
  let err = '';
  const onErr = (d: Buffer | string): void => {
    err = (err + d.toString()).slice(-4096);
  };
  stderr?.on('data', onErr);
  const stderrDone = stderr
    ? new Promise<void>((resolve) => {
        if (stderr.readableEnded || stderr.destroyed) return resolve();
        stderr.once('end', () => resolve());
        stderr.once('close', () => resolve());
      })
    : Promise.resolve();
  const status = exited.then(
    (s) => ({ ok: true as const, s }),
    (e: unknown) => ({ ok: false as const, e }),
  );
  return (async function* () {
    try {
      for await (const chunk of stdout) yield typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      const r = await status;
      // The last words on stderr may come after stdout has ended.
      await Promise.race([stderrDone, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
      if (!r.ok) throw r.e;
      const kind = classify(r.s, err);
      if (kind === 'ok') return;
      const how = r.s.code !== null ? `exit code ${r.s.code}` : r.s.signal ? `signal ${r.s.signal}` : 'no exit status';
      const message = `journalctl ended with ${how}${err.trim() ? `: ${err.trim().split('\n').slice(-3).join(' | ')}` : ''}`;
      if (kind === 'fatal') throw new FatalJournalError(message);
      throw new Error(message);
    } finally {
      stderr?.off('data', onErr);
    }
  })();
}

/**
 * The exit status of a child process or an ssh2 exec channel: both emit 'exit' (code, signal)
 * and then 'close'. A channel closed without 'exit' (connection lost) gives { code: null }.
 */
export function exitStatusOf(proc: { once(event: 'exit' | 'close', listener: (...args: unknown[]) => void): unknown }): Promise<ExitStatus> {
  return new Promise((resolve) => {
    let status: ExitStatus | undefined;
    proc.once('exit', (code, signal) => {
      status = { code: typeof code === 'number' ? code : null, signal: typeof signal === 'string' ? signal : null };
    });
    proc.once('close', () => resolve(status ?? { code: null, signal: null }));
  });
}

export { buildJournalctlArgs, buildJournalctlCommand, type JournalctlOptions } from './journalctl';
