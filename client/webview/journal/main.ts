// The journal viewer's webview: a virtualized log. Lines arrive in batches from the extension
// (panel.ts) and go into a model capped at maxLines; once per animation frame the model takes the
// new lines and only the rows on screen are (re)drawn, from a small pool of row elements. Each line
// keeps a height (measured when it was on screen, estimated otherwise), so wrapped and multi-line
// messages scroll correctly. Display options are classes on <body>; search tests every message
// once per query and highlights only the rows on screen.
import type { FromWebview, ToWebview, ViewerColumns, ViewerReport, WireLine } from '../../src/views/journal/protocol';
import type { JournalState } from '../../src/views/journal/source';
import { describeLine, formatTimestamp } from './format';
import { compileSearch, matchRanges, matches, type CompiledSearch } from './search';
import './journal.css';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): unknown;
  setState(state: SavedState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** Kept across reloads of the webview (vscode.getState): the display options and the search. */
interface SavedState {
  follow: boolean;
  timestamps: boolean;
  wrap: boolean;
  /** undefined: automatic (shown for a template, or when a second machine / unit appears). */
  machine?: boolean;
  unit?: boolean;
  query: string;
  regex: boolean;
  matchCase: boolean;
  filter: boolean;
  /** While not following: the line at the top of the view. */
  anchorSeq?: number;
}

/** A line of the model. */
interface Line {
  w: WireLine;
  /** Height in px: measured when last on screen, otherwise estimated. */
  h: number;
  matched: boolean;
}

/** A row element of the pool, showing one line. */
interface Slot {
  el: HTMLDivElement;
  ts: HTMLSpanElement;
  machine: HTMLSpanElement;
  unit: HTMLSpanElement;
  msg: HTMLSpanElement;
  line?: Line;
  /** The `look` it was filled with (search and current match change it). */
  look: number;
}

const vscode = acquireVsCodeApi();
const byId = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing from the journal viewer's HTML`);
  return el as T;
};
const log = byId<HTMLDivElement>('log');
const banner = byId<HTMLDivElement>('banner');
const countEl = byId<HTMLSpanElement>('count');
const searchInput = byId<HTMLInputElement>('search');
const searchError = byId<HTMLSpanElement>('search-error');
const matchInfo = byId<HTMLSpanElement>('match-info');
const resumeButton = byId<HTMLButtonElement>('resume');
const buttons = {
  follow: byId<HTMLButtonElement>('follow'),
  timestamps: byId<HTMLButtonElement>('timestamps'),
  machine: byId<HTMLButtonElement>('machine'),
  unit: byId<HTMLButtonElement>('unit'),
  wrap: byId<HTMLButtonElement>('wrap'),
  clear: byId<HTMLButtonElement>('clear'),
  matchCase: byId<HTMLButtonElement>('match-case'),
  regex: byId<HTMLButtonElement>('regex'),
  filter: byId<HTMLButtonElement>('filter'),
  prev: byId<HTMLButtonElement>('prev'),
  next: byId<HTMLButtonElement>('next'),
};
// The scrolled content: a sizer as tall as all lines, and the rows on screen positioned over it.
const sizer = document.createElement('div');
sizer.className = 'sizer';
const rowsEl = document.createElement('div');
rowsEl.className = 'rows';
log.append(sizer, rowsEl);

const saved = (vscode.getState() ?? {}) as Partial<SavedState>;
const ui: SavedState = {
  follow: saved.follow ?? true,
  timestamps: saved.timestamps ?? true,
  wrap: saved.wrap ?? false,
  machine: saved.machine,
  unit: saved.unit,
  query: saved.query ?? '',
  regex: saved.regex ?? false,
  matchCase: saved.matchCase ?? false,
  filter: saved.filter ?? false,
  anchorSeq: saved.anchorSeq,
};

// ---- the model ---------------------------------------------------------------------------------

/** All lines, oldest first, at most maxLines. */
let lines: Line[] = [];
/** In filter mode, the matching lines (what is shown); otherwise undefined (all lines are shown). */
let shown: Line[] | undefined;
const items = (): Line[] => shown ?? lines;
/** Σ h over items(): the content's height. */
let total = 0;
let pending: WireLine[] = [];
let maxLines = 10_000;
let columns: ViewerColumns = { machine: false, unit: false };
const machines = new Set<string>();
const units = new Set<string>();
let machineWidth = 0;
let unitWidth = 0;
let state: JournalState = 'connected';

// Counters (see ViewerReport).
let received = 0;
let droppedByCap = 0;
let droppedShownFrom = 0;
let cleared = 0;
let seqErrors = 0;
let expectedSeq: number | undefined;
let lastSeq: number | undefined;
let renderFrames = 0;
let renderMsTotal = 0;
let renderMsMax = 0;
let behindMsLast: number | undefined;
let behindMsMax: number | undefined;

// Search.
let search: CompiledSearch | undefined;
let matchCount = 0;
let current: Line | undefined;

// ---- the view ----------------------------------------------------------------------------------

const slots: Slot[] = [];
let usedSlots = 0;
/** Bumped when what a filled row looks like changes (search, current match). */
let look = 0;
/** First row drawn: its index in items() and its top in px (equals the scroll position's line while paused). */
let anchorIndex = 0;
let anchorOffset = 0;
/** Line height (px, whole pixels so heights add up exactly), character width, message columns when wrapping. */
let lineHeight = 19;
let charWidth = 7.8;
let messageColumns = 120;
let needRelayout = true;
/** While paused: px the content moved up (oldest lines dropped), to keep the view where it is. */
let scrollAdjust = 0;
/** While paused: scroll so the anchor line is at the top (after a relayout or a restore). */
let scrollToAnchor = false;
let expectedTop = 0;
let lastUserInput = 0;
let newWhilePaused = 0;
let restoreAnchor = ui.anchorSeq !== undefined && !ui.follow;

const numberFormat = new Intl.NumberFormat();
const plural = (n: number, one: string, many = `${one}s`): string => `${numberFormat.format(n)} ${n === 1 ? one : many}`;

function save(): void {
  vscode.setState(ui);
}

// ---- heights -----------------------------------------------------------------------------------

/** Line height and character width of the log's font; the width left for messages when wrapping. */
function measureFont(): void {
  const fontSize = parseFloat(getComputedStyle(log).fontSize) || 13;
  lineHeight = Math.max(1, Math.round(fontSize * 1.45));
  document.body.style.setProperty('--line-height', `${lineHeight}px`);
  const probe = document.createElement('span');
  probe.className = 'probe';
  probe.textContent = 'x'.repeat(100);
  rowsEl.appendChild(probe);
  charWidth = probe.getBoundingClientRect().width / 100 || charWidth;
  probe.remove();
  const prefix =
    (ui.timestamps ? 23 + 1.5 : 0) +
    (document.body.classList.contains('show-machine') ? machineWidth + 1.5 : 0) +
    (document.body.classList.contains('show-unit') ? unitWidth + 1.5 : 0);
  messageColumns = Math.max(10, Math.floor((log.clientWidth - 16) / charWidth - prefix));
}

/** A line's height before it has been on screen: exact without wrapping, close with it. */
function estimate(w: WireLine): number {
  const text = w.missing ? '' : w.text;
  if (!ui.wrap) {
    let rows = 1;
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) rows++;
    return rows * lineHeight;
  }
  let rows = 0;
  let start = 0;
  for (;;) {
    const end = text.indexOf('\n', start);
    const length = (end < 0 ? text.length : end) - start;
    rows += Math.max(1, Math.ceil(length / messageColumns));
    if (end < 0) break;
    start = end + 1;
  }
  return rows * lineHeight;
}

/** New layout (font, width, wrap, columns, filter): estimate every height again. */
function relayout(): void {
  needRelayout = false;
  measureFont();
  for (const line of lines) line.h = estimate(line.w);
  let sum = 0;
  for (const line of items()) sum += line.h;
  total = sum;
  const list = items();
  anchorIndex = Math.min(anchorIndex, Math.max(0, list.length - 1));
  let offset = 0;
  for (let i = 0; i < anchorIndex; i++) offset += (list[i] as Line).h;
  anchorOffset = offset;
  if (!ui.follow) scrollToAnchor = true;
  look++;
}

// ---- frames ------------------------------------------------------------------------------------

let scheduled = false;
let fallback: ReturnType<typeof setTimeout> | undefined;

/** One frame per animation frame (a timer stands in when frames are not running). */
function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(frame);
  fallback = setTimeout(frame, 100);
}

function frame(): void {
  if (!scheduled) return;
  scheduled = false;
  if (fallback !== undefined) clearTimeout(fallback);
  fallback = undefined;
  const started = performance.now();
  const ingested = ingest();
  if (needRelayout) relayout();
  paint();
  updateCount();
  if (search?.ok) updateMatchInfo();
  if (ingested) {
    const ms = performance.now() - started;
    renderFrames++;
    renderMsTotal += ms;
    renderMsMax = Math.max(renderMsMax, ms);
  }
}

/** Moves the pending lines into the model (dropping the oldest beyond maxLines). */
function ingest(): number {
  if (pending.length === 0) return 0;
  let batch = pending;
  pending = [];
  if (batch.length > maxLines) {
    droppedByCap += batch.length - maxLines;
    batch = batch.slice(batch.length - maxLines);
  }
  const overflow = lines.length + batch.length - maxLines;
  if (overflow > 0) dropOldest(overflow);
  const re = search?.ok ? search.re : undefined;
  for (const w of batch) {
    const line: Line = { w, h: estimate(w), matched: false };
    if (re && !w.missing && matches(re, w.text)) {
      line.matched = true;
      matchCount++;
    }
    lines.push(line);
    if (shown === undefined) total += line.h;
    else if (line.matched) {
      shown.push(line);
      total += line.h;
    }
    if (w.machine !== undefined && !machines.has(w.machine)) noteMachine(w.machine);
    if (w.unit !== undefined && !units.has(w.unit)) noteUnit(w.unit);
  }
  if (!ui.follow) newWhilePaused += batch.length;
  const newest = batch[batch.length - 1] as WireLine;
  behindMsLast = Date.now() - newest.ts;
  behindMsMax = behindMsMax === undefined ? behindMsLast : Math.max(behindMsMax, behindMsLast);
  return batch.length;
}

function dropOldest(n: number): void {
  const removed = lines.splice(0, n);
  let removedShown = 0;
  let removedHeight = 0;
  for (const line of removed) {
    if (line.matched) matchCount--;
    if (line === current) current = undefined;
    if (shown === undefined || line.matched) {
      removedShown++;
      removedHeight += line.h;
    }
  }
  if (shown) shown.splice(0, removedShown);
  total -= removedHeight;
  droppedByCap += n;
  if (!ui.follow) {
    if (anchorIndex >= removedShown) {
      anchorIndex -= removedShown;
      anchorOffset -= removedHeight;
      scrollAdjust -= removedHeight;
    } else {
      anchorIndex = 0;
      anchorOffset = 0;
      scrollToAnchor = true;
    }
  }
}

/** Draws the rows on screen. */
function paint(): void {
  const list = items();
  const viewHeight = log.clientHeight;
  sizer.style.height = `${Math.max(0, Math.round(total))}px`;
  if (!ui.follow) {
    if (scrollToAnchor) {
      scrollToAnchor = false;
      scrollAdjust = 0;
      log.scrollTop = anchorOffset;
    } else if (scrollAdjust !== 0) {
      log.scrollTop += scrollAdjust;
      scrollAdjust = 0;
    }
    syncAnchor(log.scrollTop);
  }
  for (let pass = 0; pass < 4; pass++) {
    if (ui.follow) {
      let height = 0;
      let i = list.length;
      while (i > 0 && height < viewHeight) height += (list[--i] as Line).h;
      anchorIndex = i;
      anchorOffset = total - height;
    }
    const need = ui.follow ? viewHeight : log.scrollTop - anchorOffset + viewHeight + 2 * lineHeight;
    if (!drawRows(list, need)) break;
    sizer.style.height = `${Math.max(0, Math.round(total))}px`;
  }
  rowsEl.style.transform = `translateY(${Math.round(anchorOffset)}px)`;
  if (ui.follow) scrollToBottom();
  else if (restoreAnchor) restoreAnchorLine();
}

/** Fills the pool's rows from anchorIndex until `need` px are covered; measures them. True when a height changed. */
function drawRows(list: Line[], need: number): boolean {
  let k = 0;
  let covered = 0;
  for (let i = anchorIndex; i < list.length && covered < need; i++, k++) {
    const line = list[i] as Line;
    const slot = slots[k] ?? newSlot();
    if (slot.line !== line || slot.look !== look) fill(slot, line);
    if (slot.el.hidden) slot.el.hidden = false;
    covered += line.h;
  }
  for (let j = k; j < usedSlots; j++) {
    const slot = slots[j] as Slot;
    slot.el.hidden = true;
    slot.line = undefined;
  }
  usedSlots = k;
  let changed = false;
  for (let j = 0; j < k; j++) {
    const slot = slots[j] as Slot;
    const line = slot.line as Line;
    const height = slot.el.getBoundingClientRect().height;
    if (height > 0 && Math.abs(height - line.h) > 0.5) {
      total += height - line.h;
      line.h = height;
      changed = true;
    }
  }
  return changed;
}

function newSlot(): Slot {
  const el = document.createElement('div');
  const part = (className: string): HTMLSpanElement => {
    const span = document.createElement('span');
    span.className = className;
    el.appendChild(span);
    return span;
  };
  const slot: Slot = { el, ts: part('ts'), machine: part('machine'), unit: part('unit'), msg: part('msg'), look: -1 };
  rowsEl.appendChild(el);
  slots.push(slot);
  return slot;
}

function fill(slot: Slot, line: Line): void {
  const w = line.w;
  slot.line = line;
  slot.look = look;
  slot.el.className = line === current ? `line p${w.pri ?? 'n'} current` : `line p${w.pri ?? 'n'}`;
  if (slot.el.title) slot.el.removeAttribute('title');
  slot.ts.textContent = formatTimestamp(w.ts);
  slot.machine.textContent = w.machine ?? '';
  slot.unit.textContent = w.unit ?? '';
  if (w.missing) {
    slot.msg.className = 'msg missing';
    slot.msg.textContent = '(message not shown: over 4096 bytes)';
  } else {
    slot.msg.className = 'msg';
    if (line.matched && search?.ok) highlight(slot.msg, w.text, search.re);
    else slot.msg.textContent = w.text;
  }
}

function highlight(target: HTMLElement, text: string, re: RegExp): void {
  const ranges = matchRanges(re, text);
  if (ranges.length === 0) {
    target.textContent = text;
    return;
  }
  const fragment = document.createDocumentFragment();
  let at = 0;
  for (const [start, end] of ranges) {
    if (start > at) fragment.appendChild(document.createTextNode(text.slice(at, start)));
    const mark = document.createElement('mark');
    mark.className = 'match';
    mark.textContent = text.slice(start, end);
    fragment.appendChild(mark);
    at = end;
  }
  if (at < text.length) fragment.appendChild(document.createTextNode(text.slice(at)));
  target.replaceChildren(fragment);
}

/** While paused: the anchor follows the scroll position (a walk from where it was). */
function syncAnchor(top: number): void {
  const list = items();
  if (list.length === 0) {
    anchorIndex = 0;
    anchorOffset = 0;
    return;
  }
  if (anchorIndex > list.length - 1) {
    anchorIndex = list.length - 1;
    let offset = 0;
    for (let i = 0; i < anchorIndex; i++) offset += (list[i] as Line).h;
    anchorOffset = offset;
  }
  while (anchorIndex < list.length - 1 && anchorOffset + (list[anchorIndex] as Line).h <= top) anchorOffset += (list[anchorIndex++] as Line).h;
  while (anchorIndex > 0 && anchorOffset > top) anchorOffset -= (list[--anchorIndex] as Line).h;
  if (anchorIndex === 0) anchorOffset = 0;
}

function noteMachine(machine: string): void {
  machines.add(machine);
  if (machine.length > machineWidth) {
    machineWidth = Math.min(machine.length, 24);
    document.body.style.setProperty('--machine-width', `${machineWidth}ch`);
    if (ui.wrap) needRelayout = true;
  }
  if (machines.size === 2) applyColumns();
}

function noteUnit(unit: string): void {
  units.add(unit);
  if (unit.length > unitWidth) {
    unitWidth = Math.min(unit.length, 40);
    document.body.style.setProperty('--unit-width', `${unitWidth}ch`);
    if (ui.wrap) needRelayout = true;
  }
  if (units.size === 2) applyColumns();
}

function resetLog(): void {
  lines = [];
  shown = shown ? [] : undefined;
  total = 0;
  pending = [];
  matchCount = 0;
  current = undefined;
  newWhilePaused = 0;
  anchorIndex = 0;
  anchorOffset = 0;
  scrollAdjust = 0;
  schedule();
}

function updateCount(): void {
  let text = plural(lines.length, 'line');
  if (shown) text = `${numberFormat.format(shown.length)} of ${text} shown`;
  const dropped = droppedByCap - droppedShownFrom;
  if (dropped > 0) text += ` · ${numberFormat.format(dropped)} older dropped (cap ${numberFormat.format(maxLines)})`;
  if (countEl.textContent !== text) countEl.textContent = text;
  if (!ui.follow && newWhilePaused > 0) {
    const label = `↓ ${plural(newWhilePaused, 'new line')} · Resume following`;
    if (resumeButton.textContent !== label) resumeButton.textContent = label;
  }
}

// ---- following ---------------------------------------------------------------------------------

function scrollToBottom(): void {
  log.scrollTop = log.scrollHeight;
  expectedTop = log.scrollTop;
}

function setFollow(on: boolean): void {
  if (ui.follow !== on) {
    ui.follow = on;
    ui.anchorSeq = undefined;
    restoreAnchor = false;
    save();
  }
  buttons.follow.setAttribute('aria-pressed', String(on));
  resumeButton.hidden = on;
  if (on) {
    newWhilePaused = 0;
    resumeButton.textContent = '↓ Resume following';
    schedule();
  } else {
    syncAnchor(log.scrollTop);
  }
}

function restoreAnchorLine(): void {
  restoreAnchor = false;
  const list = items();
  const index = list.findIndex((line) => line.w.seq === ui.anchorSeq);
  if (index >= 0) scrollToIndex(index, 0);
}

/** Paused, with items()[index] `above` px below the top of the view. */
function scrollToIndex(index: number, above: number): void {
  const list = items();
  let offset = 0;
  for (let i = 0; i < index; i++) offset += (list[i] as Line).h;
  anchorIndex = index;
  anchorOffset = offset;
  sizer.style.height = `${Math.max(0, Math.round(total))}px`;
  log.scrollTop = Math.max(0, offset - above);
  syncAnchor(log.scrollTop);
  schedule();
}

let anchorTimer: ReturnType<typeof setTimeout> | undefined;
log.addEventListener(
  'scroll',
  () => {
    const top = log.scrollTop;
    const atBottom = log.scrollHeight - top - log.clientHeight <= 2;
    if (ui.follow) {
      if (atBottom) expectedTop = top;
      else if (top < expectedTop - 2) setFollow(false); // the scroll bar dragged up
    } else if (atBottom && Date.now() - lastUserInput < 1500) {
      setFollow(true);
    }
    if (!ui.follow) {
      syncAnchor(top);
      paint();
      if (anchorTimer !== undefined) clearTimeout(anchorTimer);
      anchorTimer = setTimeout(() => {
        ui.anchorSeq = items()[anchorIndex]?.w.seq;
        save();
      }, 300);
    }
  },
  { passive: true },
);
log.addEventListener(
  'wheel',
  (event) => {
    lastUserInput = Date.now();
    if (event.deltaY < 0 && ui.follow && log.scrollTop > 0) setFollow(false);
  },
  { passive: true },
);
log.addEventListener('pointerdown', () => (lastUserInput = Date.now()));
log.addEventListener('keydown', (event) => {
  lastUserInput = Date.now();
  if (event.key === 'PageUp' || event.key === 'ArrowUp' || event.key === 'Home') setFollow(false);
  else if (event.key === 'End') setFollow(true);
});
// Selecting text stops following, so the selection stays put.
document.addEventListener('selectionchange', () => {
  const selection = document.getSelection();
  if (ui.follow && selection && !selection.isCollapsed && selection.anchorNode && rowsEl.contains(selection.anchorNode)) setFollow(false);
});
let lastWidth = 0;
new ResizeObserver(() => {
  if (log.clientWidth !== lastWidth) {
    lastWidth = log.clientWidth;
    if (ui.wrap) needRelayout = true;
  }
  scheduled = true; // draw now, in this frame
  frame();
}).observe(log);

// A line's details (identifier, PID, unit, machine, priority, exact time) on hover, made when needed.
log.addEventListener('mouseover', (event) => {
  const el = (event.target as Element | null)?.closest?.('.line') as HTMLElement | null | undefined;
  if (!el || el.title) return;
  const line = slots.find((slot) => slot.el === el)?.line;
  if (line) el.title = describeLine(line.w);
});

// ---- search ------------------------------------------------------------------------------------

function applySearch(): void {
  search = compileSearch({ text: ui.query, regex: ui.regex, matchCase: ui.matchCase });
  const error = search && !search.ok ? search.error : '';
  searchError.textContent = error;
  searchInput.setAttribute('aria-invalid', String(error !== ''));
  searchInput.title = error;
  const re = search?.ok ? search.re : undefined;
  let count = 0;
  for (const line of lines) {
    line.matched = re !== undefined && !line.w.missing && matches(re, line.w.text);
    if (line.matched) count++;
  }
  matchCount = count;
  if (current && !current.matched) current = undefined;
  const anchorLine = items()[anchorIndex];
  shown = ui.filter && re ? lines.filter((line) => line.matched) : undefined;
  if (!ui.follow) {
    // Keep the line at the top in view if it is still shown, else the next one that is.
    const list = items();
    let index = anchorLine ? list.indexOf(anchorLine) : -1;
    if (index < 0 && anchorLine) index = list.findIndex((line) => line.w.seq >= anchorLine.w.seq);
    anchorIndex = index < 0 ? Math.max(0, list.length - 1) : index;
  }
  document.body.classList.toggle('filtering', shown !== undefined);
  buttons.filter.setAttribute('aria-pressed', String(ui.filter));
  buttons.regex.setAttribute('aria-pressed', String(ui.regex));
  buttons.matchCase.setAttribute('aria-pressed', String(ui.matchCase));
  needRelayout = true;
  look++;
  updateMatchInfo();
  save();
  schedule();
}

function updateMatchInfo(): void {
  let text = '';
  if (search?.ok) {
    if (matchCount === 0) text = 'No results';
    else if (current) {
      let ordinal = 0;
      for (const line of lines) {
        if (line.matched) ordinal++;
        if (line === current) break;
      }
      text = `${numberFormat.format(ordinal)} of ${plural(matchCount, 'line')}`;
    } else text = plural(matchCount, 'matching line');
  }
  if (matchInfo.textContent !== text) matchInfo.textContent = text;
}

function gotoMatch(direction: 1 | -1): void {
  if (!search?.ok || matchCount === 0 || lines.length === 0) return;
  const n = lines.length;
  const from = current ? lines.indexOf(current) : direction > 0 ? -1 : n;
  for (let k = 1; k <= n; k++) {
    const line = lines[(((from + direction * k) % n) + n) % n] as Line;
    if (!line.matched) continue;
    current = line;
    look++;
    setFollow(false);
    if (needRelayout) relayout();
    scrollToIndex(items().indexOf(line), Math.floor(log.clientHeight / 3));
    updateMatchInfo();
    return;
  }
}

let searchTimer: ReturnType<typeof setTimeout> | undefined;
searchInput.addEventListener('input', () => {
  ui.query = searchInput.value;
  if (searchTimer !== undefined) clearTimeout(searchTimer);
  // At once on a small log; on a large one when typing pauses.
  searchTimer = setTimeout(applySearch, lines.length > 20_000 ? 150 : 0);
});
searchInput.addEventListener('keydown', (event) => {
  if (event.key === 'Enter') {
    event.preventDefault();
    if (searchTimer !== undefined) {
      clearTimeout(searchTimer);
      searchTimer = undefined;
      applySearch();
    }
    gotoMatch(event.shiftKey ? -1 : 1);
  } else if (event.key === 'Escape' && searchInput.value !== '') {
    event.preventDefault();
    searchInput.value = '';
    ui.query = '';
    applySearch();
  }
});
document.addEventListener('keydown', (event) => {
  if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'f') {
    event.preventDefault();
    searchInput.focus();
    searchInput.select();
  } else if (event.altKey && event.key.toLowerCase() === 'c') {
    event.preventDefault();
    buttons.matchCase.click();
  } else if (event.altKey && event.key.toLowerCase() === 'r') {
    event.preventDefault();
    buttons.regex.click();
  }
});

// ---- controls ----------------------------------------------------------------------------------

function applyDisplay(): void {
  document.body.classList.toggle('timestamps', ui.timestamps);
  document.body.classList.toggle('wrap', ui.wrap);
  buttons.timestamps.setAttribute('aria-pressed', String(ui.timestamps));
  buttons.wrap.setAttribute('aria-pressed', String(ui.wrap));
  applyColumns();
  needRelayout = true;
  schedule();
}

function applyColumns(): void {
  const machine = ui.machine ?? (columns.machine || machines.size > 1);
  const unit = ui.unit ?? (columns.unit || units.size > 1);
  if (machine !== document.body.classList.contains('show-machine') || unit !== document.body.classList.contains('show-unit')) {
    document.body.classList.toggle('show-machine', machine);
    document.body.classList.toggle('show-unit', unit);
    if (ui.wrap) needRelayout = true;
    schedule();
  }
  buttons.machine.setAttribute('aria-pressed', String(machine));
  buttons.unit.setAttribute('aria-pressed', String(unit));
}

buttons.follow.addEventListener('click', () => setFollow(!ui.follow));
resumeButton.addEventListener('click', () => setFollow(true));
buttons.timestamps.addEventListener('click', () => {
  ui.timestamps = !ui.timestamps;
  applyDisplay();
  save();
});
buttons.wrap.addEventListener('click', () => {
  ui.wrap = !ui.wrap;
  applyDisplay();
  save();
});
buttons.machine.addEventListener('click', () => {
  ui.machine = buttons.machine.getAttribute('aria-pressed') !== 'true';
  applyColumns();
  save();
});
buttons.unit.addEventListener('click', () => {
  ui.unit = buttons.unit.getAttribute('aria-pressed') !== 'true';
  applyColumns();
  save();
});
buttons.clear.addEventListener('click', () => {
  cleared += lines.length + pending.length;
  droppedShownFrom = droppedByCap;
  resetLog();
  vscode.postMessage({ type: 'clear', lastSeq });
  updateMatchInfo();
});
buttons.matchCase.addEventListener('click', () => {
  ui.matchCase = !ui.matchCase;
  applySearch();
});
buttons.regex.addEventListener('click', () => {
  ui.regex = !ui.regex;
  applySearch();
});
buttons.filter.addEventListener('click', () => {
  ui.filter = !ui.filter;
  applySearch();
});
buttons.prev.addEventListener('click', () => gotoMatch(-1));
buttons.next.addEventListener('click', () => gotoMatch(1));

// ---- messages from the extension ----------------------------------------------------------------

function receive(batch: WireLine[], skipped = 0): void {
  if (skipped > 0) {
    // Left out by the panel while this view was far behind (they would be beyond the cap).
    droppedByCap += skipped;
    if (expectedSeq !== undefined) expectedSeq += skipped;
  }
  for (const line of batch) {
    if (expectedSeq !== undefined && line.seq !== expectedSeq) seqErrors++;
    expectedSeq = line.seq + 1;
    pending.push(line);
  }
  if (batch.length > 0) lastSeq = (batch[batch.length - 1] as WireLine).seq;
  received += batch.length;
  // Frames not keeping up: more than maxLines waiting can never all be kept.
  if (pending.length > 2 * maxLines) {
    droppedByCap += pending.length - maxLines;
    pending = pending.slice(pending.length - maxLines);
  }
  schedule();
}

function showState(next: JournalState, detail?: string): void {
  state = next;
  document.body.dataset.state = next;
  if (next === 'connected' && !detail) {
    banner.hidden = true;
    banner.textContent = '';
    return;
  }
  const suffix = detail ? ` ${detail}` : '';
  banner.hidden = false;
  banner.className = next;
  banner.textContent =
    next === 'connecting' ? `Connecting…${suffix}` : next === 'reconnecting' ? `Reconnecting…${suffix}` : next === 'ended' ? `The journal stream ended.${suffix}` : (detail ?? '');
}

function priorityCounts(): number[] {
  const counts = new Array<number>(9).fill(0);
  for (const line of lines) counts[line.w.pri ?? 8]++;
  return counts;
}

function report(pendingAtQuery: number): ViewerReport {
  const memory = (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory;
  return {
    received,
    lines: lines.length + pending.length,
    rendered: lines.length,
    pending: pending.length,
    pendingAtQuery,
    droppedByCap,
    cleared,
    firstSeq: lines[0]?.w.seq ?? pending[0]?.seq,
    lastSeq: pending[pending.length - 1]?.seq ?? lines[lines.length - 1]?.w.seq,
    seqErrors,
    matches: search?.ok ? matchCount : -1,
    visible: items().length,
    domRows: usedSlots,
    follow: ui.follow,
    timestamps: ui.timestamps,
    wrap: ui.wrap,
    filter: ui.filter,
    columns: { machine: document.body.classList.contains('show-machine'), unit: document.body.classList.contains('show-unit') },
    state,
    machines: [...machines].slice(0, 50),
    units: [...units].slice(0, 50),
    priorities: priorityCounts(),
    heapUsedBytes: memory?.usedJSHeapSize,
    domNodes: document.getElementsByTagName('*').length,
    behindMsLast: behindMsLast === undefined ? undefined : Math.round(behindMsLast),
    behindMsMax: behindMsMax === undefined ? undefined : Math.round(behindMsMax),
    renderFrames,
    renderMsTotal: Math.round(renderMsTotal * 10) / 10,
    renderMsMax: Math.round(renderMsMax * 10) / 10,
  };
}

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const message = event.data;
  switch (message.type) {
    case 'snapshot':
      document.title = message.title;
      columns = message.columns;
      maxLines = message.settings.maxLines;
      resetLog();
      received = 0;
      seqErrors = 0;
      expectedSeq = undefined;
      behindMsMax = undefined;
      droppedByCap = message.dropped;
      droppedShownFrom = 0;
      showState(message.state, message.stateDetail);
      applyColumns();
      receive(message.lines);
      break;
    case 'lines':
      vscode.postMessage({ type: 'ack' });
      receive(message.lines, message.skipped);
      break;
    case 'state':
      showState(message.state, message.detail);
      break;
    case 'settings':
      maxLines = message.settings.maxLines;
      if (lines.length > maxLines) dropOldest(lines.length - maxLines);
      schedule();
      break;
    case 'query': {
      const waiting = pending.length;
      if (scheduled) frame(); // what has arrived is taken in before answering
      vscode.postMessage({ type: 'report', id: message.id, report: report(waiting) });
      break;
    }
  }
});

// Start: the saved options, then ask the extension for the lines.
searchInput.value = ui.query;
applyDisplay();
applySearch();
setFollow(ui.follow);
vscode.postMessage({ type: 'ready' });
