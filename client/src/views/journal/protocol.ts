// The messages between the journal viewer's extension side (views/journal/panel.ts) and its webview
// (client/webview/journal). Plain data only: no `vscode`, no Node, no DOM — both sides import it.

import type { JournalState, JournalViewEntry } from './source';

/** One journal line as the webview gets it: the fields the viewer shows, in a compact shape. */
export interface WireLine {
  /** The panel's sequence number: consecutive from 0 for every line the source delivered. */
  seq: number;
  /** __REALTIME_TIMESTAMP in milliseconds since the epoch (fractional: microseconds kept). */
  ts: number;
  /** The message (several values joined by "\n"). */
  text: string;
  /** PRIORITY 0 (emerg) … 7 (debug); absent = not given (shown like info). */
  pri?: number;
  /** The machine, as named in the cluster definition. */
  machine?: string;
  unit?: string;
  /** SYSLOG_IDENTIFIER */
  ident?: string;
  pid?: number;
  hostname?: string;
  /** journalctl left the message out (over 4096 bytes without --all). */
  missing?: true;
}

/** The wire shape of an entry: the panel numbers the lines it gets from its source. */
export function toWireLine(entry: JournalViewEntry, seq: number): WireLine {
  const line: WireLine = { seq, ts: entry.realtimeUs / 1000, text: entry.message };
  if (entry.priority !== undefined) line.pri = entry.priority;
  if (entry.machine !== undefined) line.machine = entry.machine;
  if (entry.unit !== undefined) line.unit = entry.unit;
  if (entry.syslogIdentifier !== undefined) line.ident = entry.syslogIdentifier;
  if (entry.pid !== undefined) line.pid = entry.pid;
  if (entry.hostname !== undefined) line.hostname = entry.hostname;
  if (entry.messageMissing) line.missing = true;
  return line;
}

export interface ViewerSettings {
  /** `unitFleet.journal.maxLines`: the oldest lines go beyond this. */
  maxLines: number;
}

export interface ViewerColumns {
  /** Show the machine column from the start (a merged template view). Otherwise it appears when a second machine shows up. */
  machine: boolean;
  /** Show the unit column from the start. Otherwise it appears when a second unit shows up. */
  unit: boolean;
}

/** Extension → webview. */
export type ToWebview =
  /**
   * Answer to `ready`: everything the panel holds (at most maxLines), the stream's state, settings.
   * Replaces whatever the webview shows (it is sent again when a hidden webview comes back).
   */
  | {
      type: 'snapshot';
      title: string;
      columns: ViewerColumns;
      settings: ViewerSettings;
      state: JournalState;
      stateDetail?: string;
      lines: WireLine[];
      /** Older lines the panel dropped for the line cap before the snapshot's first line (Clear not counted). */
      dropped: number;
    }
  /**
   * New lines, in order, after the previous batch. `skipped`: lines left out before these because
   * the webview was so far behind that more than maxLines waited (they would have gone beyond the
   * line cap anyway); their seqs are the gap.
   */
  | { type: 'lines'; lines: WireLine[]; skipped?: number }
  | { type: 'state'; state: JournalState; detail?: string }
  | { type: 'settings'; settings: ViewerSettings }
  /** Asks for a `report` (tests, diagnostics). */
  | { type: 'query'; id: number };

/** What the webview has received and rendered: the answer to `query`. */
export interface ViewerReport {
  /** Lines received from the extension since the last snapshot, snapshot lines included. */
  received: number;
  /** Lines currently in the log (≤ maxLines). */
  lines: number;
  /** Lines taken into the view by a frame (the rows on screen are drawn from them); equals `lines` once the view has caught up. */
  rendered: number;
  /** Row elements on screen (the view is virtualized: only what is visible is in the DOM). */
  domRows: number;
  /** Lines received but not yet rendered (0: the query renders what has arrived before answering). */
  pending: number;
  /** Lines that were waiting for a frame when the query came (how far rendering lagged behind). */
  pendingAtQuery: number;
  /** Lines dropped by the line cap, and lines removed by Clear. */
  droppedByCap: number;
  cleared: number;
  /** seq of the first and last line in the log. */
  firstSeq?: number;
  lastSeq?: number;
  /** Times a received line's seq was not the previous one + 1 (a lost or reordered line). Must be 0. */
  seqErrors: number;
  /** Lines whose message matches the search; -1 without a search. */
  matches: number;
  /** Lines shown (not hidden by the filter). */
  visible: number;
  follow: boolean;
  timestamps: boolean;
  wrap: boolean;
  filter: boolean;
  columns: ViewerColumns;
  state: JournalState;
  /** Distinct machines and units among the lines received (in order of appearance, at most 50). */
  machines: string[];
  units: string[];
  /** Lines in the log per priority: index 0–7, index 8 for lines without one. */
  priorities: number[];
  /** Webview JS heap (Chromium's performance.memory) and DOM size, for measurements. */
  heapUsedBytes?: number;
  domNodes: number;
  /**
   * How far behind the clock the newest line was when a frame rendered it (ms; its timestamp vs.
   * Date.now()): last frame and worst frame. For a live follow, the end-to-end delay.
   */
  behindMsLast?: number;
  behindMsMax?: number;
  /** Frames that rendered lines, and the time they took (ms). */
  renderFrames: number;
  renderMsTotal: number;
  renderMsMax: number;
}

/** Webview → extension. */
export type FromWebview =
  /** The webview (re)loaded: send a snapshot. */
  | { type: 'ready' }
  /** A `lines` message arrived (flow control: the panel keeps only a few messages in flight). */
  | { type: 'ack' }
  /** The user pressed Clear: forget the lines up to `lastSeq` (a later snapshot starts after them). */
  | { type: 'clear'; lastSeq?: number }
  | { type: 'report'; id: number; report: ViewerReport };
