// Runs inside the extension host (bench/journal-viewer.ts loads it as the extension tests module):
// pushes journal lines into viewer panels at fixed rates and reads back what the webview received
// and rendered; then the webview's memory at the line cap. Prints the numbers; asserts nothing.
import * as vscode from 'vscode';
import type { JournalPanel, JournalViewerApi, ViewerReport } from '../client/src/views/journal';
import { JournalSourceEmitter, type JournalViewEntry } from '../client/src/views/journal/source';

const extensionId = 'unit-fleet.unit-fleet';
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const paths = ['/', '/health', '/api/hello', '/api/hello?name=fleet', '/static/app.js'];

/** Lines like a busy web service's: ~90 characters, three machines, mostly info. */
function lines(from: number, count: number): JournalViewEntry[] {
  const nowUs = Date.now() * 1000;
  const out = new Array<JournalViewEntry>(count);
  for (let k = 0; k < count; k++) {
    const i = from + k;
    const m = (i % 3) + 1;
    out[k] = {
      realtimeUs: nowUs,
      message: `GET ${paths[i % paths.length]} 200 ${((i * 37) % 900) / 100}ms request ${i} from 10.0.0.${m} user-agent curl/8.5.0`,
      priority: i % 97 === 0 ? 3 : i % 41 === 0 ? 4 : 6,
      machine: `m${m}`,
      unit: `helloworld@${m}.service`,
      syslogIdentifier: 'docker',
      pid: 4000 + m,
      cursor: `s=bench;i=${i.toString(16)}`,
    };
  }
  return out;
}

/** Waits until the webview has the last line pushed (lines before it may have been skipped while it was behind). */
async function settle(panel: JournalPanel, total: number, timeoutMs = 60_000): Promise<ViewerReport> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const report = await panel.report();
    if (report.lastSeq === total - 1 || Date.now() > deadline) return report;
    await sleep(100);
  }
}


async function rateRun(api: JournalViewerApi, rate: number, seconds: number): Promise<string> {
  const source = new JournalSourceEmitter();
  const panel = api.openJournal(source, `Journal: bench ${rate}/s`, { columns: { machine: true, unit: true } });
  await panel.whenReady();
  await sleep(300);
  let pushed = 0;
  const started = Date.now();
  while (Date.now() - started < seconds * 1000) {
    const due = Math.floor(((Date.now() - started) / 1000) * rate);
    if (due > pushed) {
      source.push(lines(pushed, due - pushed));
      pushed = due;
    }
    await sleep(5);
  }
  const pushSeconds = (Date.now() - started) / 1000;
  const ended = Date.now();
  const report = await settle(panel, pushed);
  const catchUpMs = Date.now() - ended;
  panel.dispose();
  const complete = report.lastSeq === pushed - 1 && report.seqErrors === 0;
  const everyLine = complete && report.received === pushed;
  const verdict = !complete
    ? 'LOST LINES'
    : everyLine && (report.behindMsMax ?? Infinity) < 1000
      ? 'SUSTAINED: every line'
      : everyLine
        ? 'every line, but lagging'
        : `kept up by leaving out ${panel.skippedTotal} lines beyond the cap`;
  return [
    `${String(rate).padStart(7)}/s`,
    `${String(pushed).padStart(7)} pushed in ${pushSeconds.toFixed(1)} s`,
    `${String(report.received).padStart(7)} received`,
    `${report.lines} shown (${report.firstSeq}…${report.lastSeq})`,
    `seq errors ${report.seqErrors}`,
    `behind max ${report.behindMsMax} ms (last ${report.behindMsLast} ms)`,
    `caught up ${catchUpMs} ms after the last push`,
    `${panel.messagesPosted} messages`,
    `${report.renderFrames} frames, ${(report.renderMsTotal / pushSeconds / 10).toFixed(1)}% of a core in render (max ${report.renderMsMax} ms)`,
    verdict,
  ].join(' | ');
}

/** In VS Code the webview shares its JS heap with the workbench and no GC can be forced: only the DOM size is measured here (heap: the webview-alone part). */
async function domAtCap(api: JournalViewerApi, maxLines: number): Promise<string> {
  await vscode.workspace.getConfiguration().update('unitFleet.journal.maxLines', maxLines, vscode.ConfigurationTarget.Global);
  const source = new JournalSourceEmitter();
  const panel = api.openJournal(source, `Journal: memory at ${maxLines}`, { columns: { machine: true, unit: true } });
  await panel.whenReady();
  const empty = await panel.report();
  let pushed = 0;
  for (let round = 0; round < 2; round++) {
    for (let k = 0; k < maxLines; k += 1000) {
      source.push(lines(pushed, 1000));
      pushed += 1000;
      await sleep(20);
    }
  }
  const full = await settle(panel, pushed);
  panel.dispose();
  await vscode.workspace.getConfiguration().update('unitFleet.journal.maxLines', undefined, vscode.ConfigurationTarget.Global);
  return `maxLines ${maxLines}: ${full.lines} lines kept of ${pushed} pushed | DOM elements ${empty.domNodes} → ${full.domNodes} (${full.domRows} rows on screen)`;
}

export async function run(): Promise<void> {
  const extension = vscode.extensions.getExtension<JournalViewerApi>(extensionId);
  if (!extension) throw new Error(`${extensionId} is not loaded`);
  const api = await extension.activate();
  const rates = (process.env.JOURNAL_BENCH_RATES ?? '5000,10000,20000,40000,80000').split(',').map(Number);
  const seconds = Number(process.env.JOURNAL_BENCH_SECONDS ?? 4);
  console.log(`journal viewer: lines pushed at a fixed rate for ${seconds} s (maxLines 10,000; ~90-character lines, three machines)`);
  for (const rate of rates) console.log(await rateRun(api, rate, seconds));
  console.log('journal viewer: the DOM at the line cap');
  for (const maxLines of [10_000, 100_000]) console.log(await domAtCap(api, maxLines));
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
