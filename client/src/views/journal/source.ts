// What feeds a journal viewer panel. No `vscode` import: the cluster core's follow streams implement
// JournalSource directly (or through JournalSourceEmitter), and tests create sources in the extension host.

/**
 * The stream's condition, shown by the viewer as a banner unless 'connected' (a 'connected' with a
 * detail shows it too: e.g. one machine of a template failed while the others stream on).
 */
export type JournalState = 'connecting' | 'connected' | 'reconnecting' | 'ended';

/**
 * The fields the viewer shows. Structurally a subset of the cluster core's `JournalEntry`
 * (client/src/cluster/journal), so its entries can be passed as they are.
 */
export interface JournalViewEntry {
  /** __REALTIME_TIMESTAMP in microseconds since the epoch. */
  realtimeUs: number;
  message: string;
  /** True when journalctl left MESSAGE out (over 4096 bytes without --all). */
  messageMissing?: boolean;
  /** 0 (emerg) … 7 (debug). */
  priority?: number;
  unit?: string;
  machine?: string;
  syslogIdentifier?: string;
  pid?: number;
  hostname?: string;
  cursor?: string;
}

export interface Disposable {
  dispose(): void;
}

/**
 * A stream of journal entries for one panel. The panel subscribes as soon as it is created, and
 * calls dispose() when the panel closes (stop following: close the SSH channel, kill journalctl).
 */
export interface JournalSource {
  /** Entries in display order (for a template: already merged across machines). */
  onEntries(listener: (batch: readonly JournalViewEntry[]) => void): Disposable;
  onState(listener: (state: JournalState, detail?: string) => void): Disposable;
  /** The state when the panel subscribes (default 'connected'). */
  readonly state?: JournalState;
  readonly stateDetail?: string;
  dispose(): void;
}

/**
 * A JournalSource to push into: `push(entries)`, `setState(state, detail)`, `end(detail)`. Entries
 * pushed before anyone listens are kept (up to `holdLimit`) and delivered to the first listener.
 */
export class JournalSourceEmitter implements JournalSource {
  private entryListeners: ((batch: readonly JournalViewEntry[]) => void)[] = [];
  private stateListeners: ((state: JournalState, detail?: string) => void)[] = [];
  private held: JournalViewEntry[] = [];
  private disposed = false;
  private _state: JournalState = 'connected';
  private _detail: string | undefined;

  constructor(
    private readonly onDispose: () => void = () => undefined,
    private readonly holdLimit = 100_000,
  ) {}

  get state(): JournalState {
    return this._state;
  }

  get stateDetail(): string | undefined {
    return this._detail;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  onEntries(listener: (batch: readonly JournalViewEntry[]) => void): Disposable {
    this.entryListeners.push(listener);
    if (this.held.length > 0) {
      const held = this.held;
      this.held = [];
      listener(held);
    }
    return { dispose: () => (this.entryListeners = this.entryListeners.filter((l) => l !== listener)) };
  }

  onState(listener: (state: JournalState, detail?: string) => void): Disposable {
    this.stateListeners.push(listener);
    return { dispose: () => (this.stateListeners = this.stateListeners.filter((l) => l !== listener)) };
  }

  push(entries: readonly JournalViewEntry[]): void {
    if (this.disposed || entries.length === 0) return;
    if (this.entryListeners.length === 0) {
      this.held.push(...entries);
      if (this.held.length > this.holdLimit) this.held.splice(0, this.held.length - this.holdLimit);
      return;
    }
    for (const listener of this.entryListeners) listener(entries);
  }

  setState(state: JournalState, detail?: string): void {
    if (this.disposed) return;
    if (state === this._state && detail === this._detail) return;
    this._state = state;
    this._detail = detail;
    for (const listener of this.stateListeners) listener(state, detail);
  }

  end(detail?: string): void {
    this.setState('ended', detail);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.entryListeners = [];
    this.stateListeners = [];
    this.held = [];
    this.onDispose();
  }
}
