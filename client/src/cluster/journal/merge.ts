// Merging the journals of several machines (or several streams) into one, ordered by
// __REALTIME_TIMESTAMP.
//
// A finished set of lists is merged exactly (mergeJournalLists). Live streams can only be merged
// approximately: an entry is held back until either every other live source has shown an entry at
// least as new (then nothing older can still come from it — a watermark), or it has waited
// `windowMs` (a quiet machine must not stall the others). Entries with equal timestamps come out
// in arrival order (stable). Memory is bounded: past `maxBuffered` held entries, the oldest is
// released early. An entry that arrives after newer ones were already released is still emitted
// (never dropped) and counted as `late`.
import type { JournalEntry } from './parse';

export interface JournalMergeOptions {
  /** How long an entry may wait for older entries from other sources (default 500 ms). */
  windowMs?: number;
  /** Most entries held at once (default 10,000). */
  maxBuffered?: number;
  /** Clock in milliseconds (tests). Default Date.now. */
  now?: () => number;
}

export interface JournalMergeStats {
  pushed: number;
  released: number;
  /** Released before their time because the buffer was full. */
  forced: number;
  /** Released after a newer entry had already been released (out of order). */
  late: number;
  /** Most entries held at once so far. */
  maxHeld: number;
}

interface Held {
  entry: JournalEntry;
  seq: number;
  arrival: number;
  released: boolean;
}

function before(a: Held, b: Held): boolean {
  return a.entry.realtimeUs < b.entry.realtimeUs || (a.entry.realtimeUs === b.entry.realtimeUs && a.seq < b.seq);
}

/** Binary min-heap on (realtimeUs, arrival sequence). */
class HeldHeap {
  private items: Held[] = [];
  get size(): number {
    return this.items.length;
  }
  peek(): Held | undefined {
    return this.items[0];
  }
  push(h: Held): void {
    const a = this.items;
    a.push(h);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(a[i], a[p])) break;
      [a[i], a[p]] = [a[p], a[i]];
      i = p;
    }
  }
  pop(): Held | undefined {
    const a = this.items;
    if (a.length === 0) return undefined;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && before(a[l], a[m])) m = l;
        if (r < a.length && before(a[r], a[m])) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m], a[i]];
        i = m;
      }
    }
    return top;
  }
}

interface SourceState {
  /** Newest timestamp seen from the source; -Infinity before its first entry. */
  newest: number;
  ended: boolean;
}

/** Incremental merger: push entries as they arrive, take back those ready to show. */
export class JournalMerger {
  readonly stats: JournalMergeStats = { pushed: 0, released: 0, forced: 0, late: 0, maxHeld: 0 };
  private readonly windowMs: number;
  private readonly maxBuffered: number;
  private readonly now: () => number;
  private readonly heap = new HeldHeap();
  /** Held entries in arrival order (with released ones not yet shifted out). */
  private fifo: Held[] = [];
  private fifoHead = 0;
  private readonly sources = new Map<string, SourceState>();
  private seq = 0;
  private lastReleasedUs = -Infinity;

  constructor(options: JournalMergeOptions = {}) {
    this.windowMs = options.windowMs ?? 500;
    this.maxBuffered = Math.max(1, options.maxBuffered ?? 10_000);
    this.now = options.now ?? Date.now;
  }

  /** Declares a source before its first entry, so that the watermark waits for it. */
  addSource(id: string): void {
    if (!this.sources.has(id)) this.sources.set(id, { newest: -Infinity, ended: false });
  }

  /** Entries held back right now. */
  get size(): number {
    return this.heap.size;
  }

  push(source: string, entry: JournalEntry): JournalEntry[] {
    const out: JournalEntry[] = [];
    this.add(source, entry);
    this.release(out);
    return out;
  }

  pushMany(source: string, entries: readonly JournalEntry[]): JournalEntry[] {
    const out: JournalEntry[] = [];
    for (const e of entries) {
      this.add(source, e);
      if (this.heap.size > this.maxBuffered) this.release(out);
    }
    this.release(out);
    return out;
  }

  /** The source will send nothing more: it no longer holds the others back. */
  endSource(source: string): JournalEntry[] {
    this.addSource(source);
    this.sources.get(source)!.ended = true;
    const out: JournalEntry[] = [];
    this.release(out);
    return out;
  }

  /** Releases the entries whose window has passed (call at nextDeadline()). */
  flushDue(): JournalEntry[] {
    const out: JournalEntry[] = [];
    this.release(out);
    return out;
  }

  /** Releases everything held, in order. */
  flushAll(): JournalEntry[] {
    const out: JournalEntry[] = [];
    while (this.heap.size > 0) this.releaseTop(out);
    this.compactFifo();
    return out;
  }

  /** When the oldest held entry's window ends (ms, on the merger's clock), or undefined when nothing is held. */
  nextDeadline(): number | undefined {
    const head = this.fifoFirst();
    return head === undefined ? undefined : head.arrival + this.windowMs;
  }

  private add(source: string, entry: JournalEntry): void {
    let s = this.sources.get(source);
    if (!s) {
      s = { newest: -Infinity, ended: false };
      this.sources.set(source, s);
    }
    if (entry.realtimeUs > s.newest) s.newest = entry.realtimeUs;
    const held: Held = { entry, seq: this.seq++, arrival: this.now(), released: false };
    this.heap.push(held);
    this.fifo.push(held);
    this.stats.pushed++;
    if (this.heap.size > this.stats.maxHeld) this.stats.maxHeld = this.heap.size;
  }

  private watermark(): number {
    let w = Infinity;
    for (const s of this.sources.values()) if (!s.ended && s.newest < w) w = s.newest;
    return w;
  }

  private release(out: JournalEntry[]): void {
    // 1. Bounded memory.
    while (this.heap.size > this.maxBuffered) {
      this.releaseTop(out);
      this.stats.forced++;
    }
    // 2. Nothing older can come from any live source.
    const w = this.watermark();
    for (let top = this.heap.peek(); top !== undefined && top.entry.realtimeUs <= w; top = this.heap.peek()) this.releaseTop(out);
    // 3. Entries that waited their window (with everything older than them).
    const now = this.now();
    for (let head = this.fifoFirst(); head !== undefined && head.arrival + this.windowMs <= now; head = this.fifoFirst()) {
      while (!head.released) this.releaseTop(out);
    }
    this.compactFifo();
  }

  private releaseTop(out: JournalEntry[]): void {
    const h = this.heap.pop()!;
    h.released = true;
    if (h.entry.realtimeUs < this.lastReleasedUs) this.stats.late++;
    else this.lastReleasedUs = h.entry.realtimeUs;
    this.stats.released++;
    out.push(h.entry);
  }

  private fifoFirst(): Held | undefined {
    while (this.fifoHead < this.fifo.length && this.fifo[this.fifoHead].released) this.fifoHead++;
    return this.fifo[this.fifoHead];
  }

  private compactFifo(): void {
    this.fifoFirst();
    if (this.fifoHead > 1024 && this.fifoHead * 2 > this.fifo.length) {
      this.fifo = this.fifo.slice(this.fifoHead);
      this.fifoHead = 0;
    }
  }
}

/** Exact merge of complete lists (e.g. `journalctl -n 100` from every machine): stable, oldest first. */
export function mergeJournalLists(lists: readonly (readonly JournalEntry[])[]): JournalEntry[] {
  const all: JournalEntry[] = [];
  for (const list of lists) for (const e of list) all.push(e);
  // Array.prototype.sort is stable: equal timestamps keep list order, then position.
  return all.sort((a, b) => a.realtimeUs - b.realtimeUs);
}

export interface JournalStreamSource {
  /** Source name (usually the machine). */
  id: string;
  entries: AsyncIterable<JournalEntry>;
}

export interface MergeStreamsOptions extends JournalMergeOptions {
  /** Most released entries waiting for the consumer before the sources are paused (default 1,000). */
  highWaterMark?: number;
  /**
   * Called when one source fails; the others go on. Without it, the first failure ends the
   * merged stream with that error.
   */
  onSourceError?: (id: string, error: unknown) => void;
  /** Stats of the merger, for the UI (late / forced counts). */
  onStats?: (stats: JournalMergeStats) => void;
}

/**
 * Merges live entry streams (e.g. one JournalFollower per machine) into one, ordered within the
 * reordering window. Memory stays bounded: at most `maxBuffered` entries held, and at most
 * `highWaterMark` waiting for a slow consumer, after which the sources are no longer read (so the
 * SSH channels apply back-pressure). Ends when every source has ended; returning early (break)
 * closes every source.
 */
export async function* mergeJournalStreams(sources: readonly JournalStreamSource[], options: MergeStreamsOptions = {}): AsyncGenerator<JournalEntry, void, undefined> {
  const merger = new JournalMerger(options);
  const now = options.now ?? Date.now;
  const highWaterMark = Math.max(1, options.highWaterMark ?? 1000);
  for (const s of sources) merger.addSource(s.id);
  let out: JournalEntry[] = [];
  let outHead = 0;
  let wakeConsumer: (() => void) | undefined;
  let spaceWaiters: (() => void)[] = [];
  let failure: { error: unknown } | undefined;
  let active = sources.length;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;

  const notify = (): void => {
    const w = wakeConsumer;
    wakeConsumer = undefined;
    w?.();
  };
  const wakeProducers = (): void => {
    const ws = spaceWaiters;
    spaceWaiters = [];
    for (const w of ws) w();
  };
  const schedule = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (closed) return;
    const deadline = merger.nextDeadline();
    if (deadline === undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      emit(merger.flushDue());
    }, Math.max(0, deadline - now()) + 1);
  };
  const emit = (entries: JournalEntry[]): void => {
    if (entries.length > 0) {
      for (const e of entries) out.push(e);
      notify();
    }
    options.onStats?.(merger.stats);
    schedule();
  };
  const iterators = sources.map((s) => s.entries[Symbol.asyncIterator]());

  const pump = async (id: string, it: AsyncIterator<JournalEntry>): Promise<void> => {
    try {
      for (;;) {
        while (!closed && out.length - outHead >= highWaterMark) await new Promise<void>((resolve) => spaceWaiters.push(resolve));
        if (closed) break;
        const r = await it.next();
        if (r.done || closed) break;
        emit(merger.push(id, r.value));
      }
    } catch (error) {
      if (!closed) {
        if (options.onSourceError) options.onSourceError(id, error);
        else failure ??= { error };
      }
    } finally {
      active--;
      if (!closed) emit(merger.endSource(id));
      notify();
    }
  };
  for (let i = 0; i < sources.length; i++) void pump(sources[i].id, iterators[i]);

  try {
    for (;;) {
      if (outHead < out.length) {
        const e = out[outHead++];
        if (outHead >= 1024 && outHead * 2 >= out.length) {
          out = out.slice(outHead);
          outHead = 0;
        }
        if (out.length - outHead < highWaterMark) wakeProducers();
        yield e;
        continue;
      }
      if (failure) throw failure.error;
      if (active === 0) {
        const rest = merger.flushAll();
        if (rest.length === 0) return;
        for (const e of rest) out.push(e);
        continue;
      }
      await new Promise<void>((resolve) => (wakeConsumer = resolve));
    }
  } finally {
    closed = true;
    if (timer) clearTimeout(timer);
    wakeProducers();
    // Not awaited: a source's return() may wait for its pending next() (async generators queue
    // calls); JournalFollower's return() aborts its transport at once.
    for (const it of iterators) void Promise.resolve(it.return?.()).catch(() => undefined);
  }
}
