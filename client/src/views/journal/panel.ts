// One journal viewer panel: a webview fed by a JournalSource. The panel keeps the last maxLines
// lines (replayed when the webview (re)loads, so no retainContextWhenHidden) and sends new ones in
// batches (every 50 ms, or at once when 500 wait), never one message per line.
import * as vscode from 'vscode';
import { Batcher, Ring } from './buffer';
import { journalHtml } from './html';
import { toWireLine, type FromWebview, type ToWebview, type ViewerColumns, type ViewerReport, type ViewerSettings, type WireLine } from './protocol';
import type { JournalSource, JournalState, JournalViewEntry } from './source';

export const journalViewType = 'unitFleet.journal';

export interface JournalPanelOptions {
  /** Columns shown from the start (default: both for a template title such as `helloworld@*`, else none; they appear by themselves when a second machine or unit shows up). */
  columns?: Partial<ViewerColumns>;
  viewColumn?: vscode.ViewColumn;
  preserveFocus?: boolean;
  /** Batching: send at least this often (ms, default 50) and at once when this many lines wait (default 500). */
  batchIntervalMs?: number;
  maxBatch?: number;
  /** Flow control: at most this many `lines` messages not yet acknowledged by the webview (default 8). */
  maxInFlight?: number;
}

export class JournalPanel implements vscode.Disposable {
  readonly panel: vscode.WebviewPanel;
  private readonly ring: Ring<WireLine>;
  private readonly batcher: Batcher<WireLine>;
  private readonly subscriptions: { dispose(): void }[] = [];
  private readonly queries = new Map<number, (report: ViewerReport) => void>();
  private nextQuery = 1;
  private seq = 0;
  private ready = false;
  private disposed = false;
  private state: JournalState;
  private stateDetail: string | undefined;
  private settings: ViewerSettings;
  private readonly columns: ViewerColumns;
  private readonly disposeListeners: (() => void)[] = [];
  /** Messages posted to the webview, for measurements. */
  messagesPosted = 0;
  /** Lines left out while the webview was more than maxLines behind (see ToWebview `lines`). */
  skippedTotal = 0;
  private skipped = 0;
  private inFlight = 0;
  private readonly maxInFlight: number;

  constructor(
    extensionUri: vscode.Uri,
    readonly source: JournalSource,
    readonly title: string,
    settings: ViewerSettings,
    options: JournalPanelOptions = {},
  ) {
    this.settings = settings;
    const template = /[*?[]/.test(title);
    this.columns = { machine: options.columns?.machine ?? template, unit: options.columns?.unit ?? template };
    this.state = source.state ?? 'connected';
    this.stateDetail = source.stateDetail;
    this.ring = new Ring(settings.maxLines);
    this.maxInFlight = options.maxInFlight ?? 8;
    this.batcher = new Batcher((lines) => this.sendLines(lines), {
      intervalMs: options.batchIntervalMs,
      maxBatch: options.maxBatch,
    });

    const webviewRoot = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
    this.panel = vscode.window.createWebviewPanel(
      journalViewType,
      title,
      { viewColumn: options.viewColumn ?? vscode.ViewColumn.Active, preserveFocus: options.preserveFocus ?? false },
      // No retainContextWhenHidden: a hidden webview is dropped and gets a snapshot when shown again.
      { enableScripts: true, localResourceRoots: [webviewRoot], enableFindWidget: false },
    );
    const webview = this.panel.webview;
    webview.html = journalHtml({
      title,
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(webviewRoot, 'journal.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(webviewRoot, 'journal.css')).toString(),
    });

    this.subscriptions.push(
      webview.onDidReceiveMessage((message: FromWebview) => this.receive(message)),
      this.panel.onDidChangeViewState(() => {
        if (!this.panel.visible) this.notReady();
      }),
      this.panel.onDidDispose(() => this.dispose()),
      source.onEntries((batch) => this.append(batch)),
      source.onState((state, detail) => this.setState(state, detail)),
    );
  }

  /** Lines the source delivered so far. */
  get delivered(): number {
    return this.seq;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  get currentState(): JournalState {
    return this.state;
  }

  reveal(preserveFocus = false): void {
    this.panel.reveal(undefined, preserveFocus);
  }

  updateSettings(settings: ViewerSettings): void {
    if (settings.maxLines !== this.settings.maxLines) this.ring.resize(settings.maxLines);
    this.settings = settings;
    if (this.ready) this.post({ type: 'settings', settings });
  }

  /** What the webview has received and rendered, asked through a message round trip. */
  async report(timeoutMs = 10_000): Promise<ViewerReport> {
    await this.whenReady(timeoutMs); // a query sent while the webview is loading would be lost
    const id = this.nextQuery++;
    return new Promise<ViewerReport>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.queries.delete(id);
        reject(new Error(`the journal webview did not answer within ${timeoutMs} ms (ready: ${this.ready})`));
      }, timeoutMs);
      this.queries.set(id, (report) => {
        clearTimeout(timer);
        resolve(report);
      });
      this.batcher.flush();
      void this.panel.webview.postMessage({ type: 'query', id } satisfies ToWebview);
    });
  }

  /** Resolves when the webview has loaded and asked for its snapshot. */
  async whenReady(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ready) {
      if (this.disposed) throw new Error('the journal panel was closed');
      if (Date.now() > deadline) throw new Error(`the journal webview did not load within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  onDidDispose(listener: () => void): void {
    if (this.disposed) listener();
    else this.disposeListeners.push(listener);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.ready = false;
    this.batcher.dispose();
    for (const subscription of this.subscriptions.splice(0)) subscription.dispose();
    this.source.dispose();
    this.panel.dispose();
    for (const listener of this.disposeListeners.splice(0)) listener();
  }

  private append(batch: readonly JournalViewEntry[]): void {
    if (this.disposed || batch.length === 0) return;
    const lines = new Array<WireLine>(batch.length);
    for (let i = 0; i < batch.length; i++) lines[i] = toWireLine(batch[i] as JournalViewEntry, this.seq++);
    this.ring.pushAll(lines);
    if (!this.ready) return;
    this.batcher.add(lines);
    // The webview is behind: of what waits, only the newest maxLines can ever be shown.
    if (this.batcher.isPaused) this.skipped += this.batcher.trim(this.settings.maxLines);
  }

  private sendLines(lines: WireLine[]): void {
    const skipped = this.skipped;
    this.skipped = 0;
    this.skippedTotal += skipped;
    this.post(skipped > 0 ? { type: 'lines', lines, skipped } : { type: 'lines', lines });
    if (++this.inFlight >= this.maxInFlight) this.batcher.pause();
  }

  private setState(state: JournalState, detail?: string): void {
    if (this.disposed) return;
    this.state = state;
    this.stateDetail = detail;
    if (!this.ready) return;
    this.batcher.flush(); // lines that came before the change are shown before it
    this.post({ type: 'state', state, detail });
  }

  private receive(message: FromWebview): void {
    switch (message.type) {
      case 'ready':
        this.batcher.discard(); // the snapshot holds them
        this.inFlight = 0;
        this.skipped = 0;
        this.batcher.resume();
        this.post({
          type: 'snapshot',
          title: this.title,
          columns: this.columns,
          settings: this.settings,
          state: this.state,
          stateDetail: this.stateDetail,
          lines: this.ring.toArray(),
          dropped: this.ring.dropped,
        });
        this.ready = true;
        break;
      case 'clear': {
        const last = message.lastSeq;
        if (last === undefined) this.ring.clear();
        else this.ring.dropWhile((line) => line.seq <= last);
        break;
      }
      case 'ack':
        this.inFlight = Math.max(0, this.inFlight - 1);
        if (this.inFlight < this.maxInFlight) this.batcher.resume();
        break;
      case 'report':
        this.queries.get(message.id)?.(message.report);
        this.queries.delete(message.id);
        break;
    }
  }

  private notReady(): void {
    this.ready = false;
    this.batcher.discard();
  }

  private post(message: ToWebview): void {
    if (this.disposed) return;
    this.messagesPosted++;
    void this.panel.webview.postMessage(message);
  }
}
