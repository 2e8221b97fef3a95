// The panel's model, without `vscode`: the last maxLines lines (a ring, replayed to the webview when
// it (re)loads) and the batcher that turns a stream of lines into few, large messages.

/** The newest `capacity` items; older ones are dropped and counted. */
export class Ring<T> {
  private items: (T | undefined)[];
  private head = 0; // index of the oldest item
  private count = 0;
  /** Items dropped because the ring was full (or shrunk); clear() and dropWhile() are not counted. */
  dropped = 0;

  constructor(private cap: number) {
    if (!(cap >= 1)) throw new RangeError(`capacity must be at least 1, not ${cap}`);
    this.items = new Array<T | undefined>(cap);
  }

  get capacity(): number {
    return this.cap;
  }

  get length(): number {
    return this.count;
  }

  push(item: T): void {
    if (this.count < this.cap) {
      this.items[(this.head + this.count) % this.cap] = item;
      this.count++;
    } else {
      this.items[this.head] = item;
      this.head = (this.head + 1) % this.cap;
      this.dropped++;
    }
  }

  pushAll(items: readonly T[]): void {
    const start = Math.max(0, items.length - this.cap);
    if (start > 0) {
      // Only the newest `cap` of them can stay: everything held now and the older ones are dropped.
      this.dropped += this.count + start;
      this.head = 0;
      this.count = 0;
    }
    for (let i = start; i < items.length; i++) this.push(items[i] as T);
  }

  toArray(): T[] {
    const out = new Array<T>(this.count);
    for (let i = 0; i < this.count; i++) out[i] = this.items[(this.head + i) % this.cap] as T;
    return out;
  }

  /** Removes the oldest items while `predicate` holds for them (e.g. up to a sequence number). */
  dropWhile(predicate: (item: T) => boolean): void {
    while (this.count > 0 && predicate(this.items[this.head] as T)) {
      this.items[this.head] = undefined;
      this.head = (this.head + 1) % this.cap;
      this.count--;
    }
  }

  clear(): void {
    this.items = new Array<T | undefined>(this.cap);
    this.head = 0;
    this.count = 0;
  }

  /** Keeps the newest items that fit into the new capacity. */
  resize(capacity: number): void {
    if (!(capacity >= 1)) throw new RangeError(`capacity must be at least 1, not ${capacity}`);
    const kept = this.toArray().slice(-capacity);
    this.dropped += this.count - kept.length;
    this.cap = capacity;
    this.items = new Array<T | undefined>(capacity);
    this.head = 0;
    this.count = 0;
    for (const item of kept) this.push(item);
  }
}

export interface BatcherOptions {
  /** Send at least this often while lines arrive (ms). Default 50. */
  intervalMs?: number;
  /** Send at once when this many lines wait. Default 500. */
  maxBatch?: number;
  setTimer?: (callback: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

/**
 * Collects items and hands them to `send` in batches: at most one batch per interval, sooner when
 * `maxBatch` items wait. Order is kept; nothing is dropped (the receiver applies the line cap).
 */
export class Batcher<T> {
  private pending: T[] = [];
  private timer: unknown;
  private readonly intervalMs: number;
  private readonly maxBatch: number;
  private readonly setTimer: (callback: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;
  private paused = false;
  batches = 0;

  constructor(
    private readonly send: (batch: T[]) => void,
    options: BatcherOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 50;
    this.maxBatch = options.maxBatch ?? 500;
    this.setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
    this.clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
  }

  get waiting(): number {
    return this.pending.length;
  }

  add(items: readonly T[]): void {
    for (const item of items) this.pending.push(item);
    if (this.paused) return;
    if (this.pending.length >= this.maxBatch) this.flush();
    else if (this.timer === undefined && this.pending.length > 0) this.timer = this.setTimer(() => this.flush(), this.intervalMs);
  }

  /** Sends what waits now, in batches of at most maxBatch. */
  flush(): void {
    if (this.timer !== undefined) {
      this.clearTimer(this.timer);
      this.timer = undefined;
    }
    if (this.paused) return;
    // `send` may pause the batcher (the receiver is behind): then the rest waits.
    while (this.pending.length > 0 && !this.paused) {
      const batch = this.pending.length <= this.maxBatch ? this.pending : this.pending.slice(0, this.maxBatch);
      this.pending = batch === this.pending ? [] : this.pending.slice(this.maxBatch);
      this.batches++;
      this.send(batch);
    }
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Drops the oldest waiting items so that at most `keep` wait; returns how many were dropped. */
  trim(keep: number): number {
    const excess = this.pending.length - Math.max(0, keep);
    if (excess <= 0) return 0;
    this.pending = this.pending.slice(excess);
    return excess;
  }

  /** Holds items back (e.g. while the receiver is behind); resume() sends what waits. */
  pause(): void {
    this.paused = true;
    if (this.timer !== undefined) {
      this.clearTimer(this.timer);
      this.timer = undefined;
    }
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.flush();
  }

  /** Forgets what waits (the receiver gets a snapshot instead). */
  discard(): void {
    this.pending = [];
    if (this.timer !== undefined) {
      this.clearTimer(this.timer);
      this.timer = undefined;
    }
  }

  dispose(): void {
    this.discard();
    this.paused = true;
  }
}
