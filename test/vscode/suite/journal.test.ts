// The journal viewer in the real extension host: panels opened through the extension's exported
// API (openJournal) with sources created here, and what the webview received and rendered asked
// through a message round trip (JournalPanel.report()).
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, suiteTeardown, teardown, test } from 'mocha';
import * as vscode from 'vscode';
import type { JournalPanel, JournalViewerApi, ViewerReport } from '../../../client/src/views/journal';
import { JournalSourceEmitter, type JournalState, type JournalViewEntry } from '../../../client/src/views/journal/source';
import { extensionId, waitFor, workspaceFile } from './helpers';

const openTestJournalCommand = 'unitFleet.test.openJournalFromProcesses';
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const baseUs = Date.UTC(2026, 10, 25, 3, 0, 0) * 1000;

function entries(from: number, count: number, machine = 'm1', unit = 'journal-test.service'): JournalViewEntry[] {
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    return { realtimeUs: baseUs + i * 100, message: `line ${i} from ${machine}`, priority: i % 8, unit, machine, cursor: `s=x;i=${i.toString(16)}` };
  });
}

/** Asks the webview until `done(report)` holds. */
function reportWhen(panel: JournalPanel, what: string, done: (report: ViewerReport) => boolean, timeoutMs = 30_000): Promise<ViewerReport> {
  let last: ViewerReport | undefined;
  return waitFor(
    `${what} (last report: ${JSON.stringify(last && { received: last.received, lines: last.lines, state: last.state })})`,
    async () => {
      last = await panel.report();
      return done(last) ? last : undefined;
    },
    timeoutMs,
  );
}

suite('journal viewer', () => {
  let api: JournalViewerApi;
  const open: JournalPanel[] = [];

  suiteSetup(async () => {
    const extension = vscode.extensions.getExtension<JournalViewerApi>(extensionId);
    assert.ok(extension, `${extensionId} is not loaded`);
    api = await extension.activate();
    assert.equal(typeof api.openJournal, 'function', 'activate() returns the journal viewer API');
  });

  teardown(() => {
    for (const panel of open.splice(0)) panel.dispose();
  });

  suiteTeardown(async () => {
    await vscode.workspace.getConfiguration().update('unitFleet.journal.maxLines', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  function openPanel(title: string, source = new JournalSourceEmitter()): { panel: JournalPanel; source: JournalSourceEmitter } {
    const panel = api.openJournal(source, title);
    open.push(panel);
    return { panel, source };
  }

  test('a panel shows the lines its source pushes, in order, with their priorities', async () => {
    const { panel, source } = openPanel('Journal: journal-test.service');
    await panel.whenReady();
    assert.equal(panel.panel.title, 'Journal: journal-test.service');
    assert.equal(panel.panel.viewType, 'unitFleet.journal');
    source.push(entries(0, 8));
    const report = await reportWhen(panel, '8 lines in the webview', (r) => r.rendered === 8);
    assert.equal(report.received, 8);
    assert.equal(report.firstSeq, 0);
    assert.equal(report.lastSeq, 7);
    assert.equal(report.seqErrors, 0);
    assert.deepEqual(report.priorities, [1, 1, 1, 1, 1, 1, 1, 1, 0], 'one line of each priority 0..7');
    assert.equal(report.state, 'connected');
    assert.deepEqual(report.columns, { machine: false, unit: false }, 'one unit on one machine: no columns');
    assert.equal(report.follow, true);
    assert.equal(report.timestamps, true);
  });

  test('entries pushed before the webview has loaded are shown too', async () => {
    const source = new JournalSourceEmitter();
    source.push(entries(0, 50)); // before any panel exists: held by the emitter
    const { panel } = openPanel('Journal: early.service', source);
    source.push(entries(50, 50)); // the webview is still loading: kept by the panel, sent in its snapshot
    const report = await reportWhen(panel, '100 lines', (r) => r.rendered === 100);
    assert.equal(report.seqErrors, 0);
    assert.equal(report.lastSeq, 99);
  });

  test('a template view gets machine and unit columns; the reconnecting state reaches the webview', async () => {
    const { panel, source } = openPanel('Journal: helloworld@*');
    await panel.whenReady();
    source.push([...entries(0, 3, 'm1', 'helloworld@1.service'), ...entries(3, 3, 'm2', 'helloworld@2.service')]);
    let report = await reportWhen(panel, '6 lines', (r) => r.rendered === 6);
    assert.deepEqual(report.columns, { machine: true, unit: true });
    assert.deepEqual(report.machines, ['m1', 'm2']);
    assert.deepEqual(report.units, ['helloworld@1.service', 'helloworld@2.service']);

    source.setState('reconnecting', 'm2: connection lost; retrying in 2 s');
    report = await reportWhen(panel, 'the reconnecting state', (r) => r.state === 'reconnecting');
    source.setState('connected');
    report = await reportWhen(panel, 'connected again', (r) => r.state === 'connected');
    source.end('stopped');
    report = await reportWhen(panel, 'the ended state', (r) => r.state === 'ended');
    assert.equal(report.lines, 6);
  });

  test('batching keeps up: 10,000 lines pushed within one second all arrive, none dropped, order kept', async () => {
    const { panel, source } = openPanel('Journal: burst.service');
    await panel.whenReady();
    const started = Date.now();
    for (let k = 0; k < 100; k++) {
      source.push(entries(k * 100, 100));
      await sleep(8);
    }
    const pushedMs = Date.now() - started;
    const report = await reportWhen(panel, 'all 10,000 lines', (r) => r.received === 10_000 && r.rendered === 10_000);
    const doneMs = Date.now() - started;
    assert.ok(pushedMs < 1500, `pushing took ${pushedMs} ms`); // the premise of the test, not a performance assertion
    assert.equal(report.seqErrors, 0, 'every line arrived once, in order');
    assert.equal(report.droppedByCap, 0);
    assert.equal(report.firstSeq, 0);
    assert.equal(report.lastSeq, 9_999);
    assert.equal(report.lines, 10_000);
    assert.ok(panel.messagesPosted < 200, `10,000 lines took ${panel.messagesPosted} messages: not batched`);
    console.log(
      `      [measured] 10,000 lines pushed over ${pushedMs} ms; all rendered ${doneMs} ms after the first push; ` +
        `${panel.messagesPosted} messages; ${report.renderFrames} render frames, ${report.renderMsTotal} ms rendering (max ${report.renderMsMax} ms/frame); ` +
        `webview heap ${report.heapUsedBytes === undefined ? '?' : `${(report.heapUsedBytes / 2 ** 20).toFixed(1)} MiB`}, ${report.domNodes} DOM nodes`,
    );
  });

  test('overload: 100,000 lines at once end as the newest 10,000, in order; memory and delay stay bounded', async () => {
    const { panel, source } = openPanel('Journal: flood.service');
    await panel.whenReady();
    for (let k = 0; k < 10; k++) source.push(entries(k * 10_000, 10_000));
    const report = await reportWhen(panel, 'the last line', (r) => r.lastSeq === 99_999 && r.pending === 0);
    assert.equal(report.lines, 10_000);
    assert.equal(report.firstSeq, 90_000);
    assert.equal(report.seqErrors, 0, 'lines left out are accounted for, the rest arrive in order');
    assert.equal(report.droppedByCap, 90_000);
    console.log(`      [measured] flood: ${panel.messagesPosted} messages, ${panel.skippedTotal} lines never sent (beyond the cap while the webview was behind)`);
  });

  test('the line cap (unitFleet.journal.maxLines) drops the oldest lines', async () => {
    await vscode.workspace.getConfiguration().update('unitFleet.journal.maxLines', 1000, vscode.ConfigurationTarget.Global);
    try {
      const { panel, source } = openPanel('Journal: capped.service');
      await panel.whenReady();
      source.push(entries(0, 2500));
      const report = await reportWhen(panel, '2,500 lines received', (r) => r.received === 2500 && r.pending === 0);
      assert.equal(report.lines, 1000);
      assert.equal(report.firstSeq, 1500, 'the newest 1,000 stay');
      assert.equal(report.lastSeq, 2499);
      assert.equal(report.droppedByCap, 1500);
      assert.equal(report.seqErrors, 0);
    } finally {
      await vscode.workspace.getConfiguration().update('unitFleet.journal.maxLines', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('a hidden panel gets its lines back when shown again (no retainContextWhenHidden)', async () => {
    const { panel, source } = openPanel('Journal: hidden.service');
    await panel.whenReady();
    source.push(entries(0, 300));
    await reportWhen(panel, '300 lines', (r) => r.rendered === 300);
    // Another editor in the same group hides the webview; lines keep coming meanwhile.
    const document = await vscode.workspace.openTextDocument(workspaceFile('helloworld@.service'));
    await vscode.window.showTextDocument(document, { viewColumn: panel.panel.viewColumn, preview: false });
    await waitFor('the panel to be hidden', () => !panel.panel.visible);
    source.push(entries(300, 200));
    panel.reveal();
    const report = await reportWhen(panel, '500 lines after showing it again', (r) => r.rendered === 500, 30_000);
    assert.equal(report.firstSeq, 0);
    assert.equal(report.lastSeq, 499);
    assert.equal(report.seqErrors, 0);
  });

  test('one panel per title: opening it again reveals it and disposes the second source; closing disposes the source', async () => {
    const first = openPanel('Journal: once.service');
    const second = new JournalSourceEmitter();
    const again = api.openJournal(second, 'Journal: once.service');
    assert.equal(again, first.panel);
    assert.equal(second.isDisposed, true);
    let factoryCalled = false;
    api.openJournal(() => ((factoryCalled = true), new JournalSourceEmitter()), 'Journal: once.service');
    assert.equal(factoryCalled, false);
    first.panel.panel.dispose(); // as the user closing the tab
    await waitFor('the source to be disposed', () => first.source.isDisposed);
    assert.equal(first.panel.isDisposed, true);
  });

  test('test mode: stand-in journalctl processes through the cluster core (parse, follow, resume, merge); a dropped one resumes after its cursor', async () => {
    const panel = await vscode.commands.executeCommand<JournalPanel>(openTestJournalCommand, {
      title: 'Journal: helloworld@* (processes)',
      machines: ['m1', 'm2'],
      rate: 0,
      count: 1500,
      dropMachine: 'm2',
      dropAfter: 400,
      reconnectDelayMs: 300,
    });
    assert.ok(panel, 'the test command exists in test mode and returns the panel');
    open.push(panel);
    const states: JournalState[] = [];
    const seqnums = new Map<string, number[]>();
    panel.source.onState((state) => states.push(state));
    panel.source.onEntries((batch) => {
      for (const e of batch) {
        const list = seqnums.get(e.machine ?? '?') ?? [];
        list.push(parseInt(/;i=([0-9a-f]+)/.exec(e.cursor ?? '')?.[1] ?? 'NaN', 16));
        seqnums.set(e.machine ?? '?', list);
      }
    });
    const report = await reportWhen(panel, 'all 3,000 entries', (r) => r.received === 3000 && r.rendered === 3000, 60_000);
    assert.equal(report.seqErrors, 0);
    assert.equal(report.state, 'connected', 'both streams follow on (journalctl -f waits for more)');
    assert.deepEqual([...report.machines].sort(), ['m1', 'm2']);
    assert.deepEqual([...report.units].sort(), ['helloworld@1.service', 'helloworld@2.service']);
    assert.ok(states.includes('reconnecting'), `states seen: ${states.join(', ')}`);
    // Every journal entry of each machine exactly once, in order, across m2's reconnect.
    for (const machine of ['m1', 'm2']) {
      assert.deepEqual(seqnums.get(machine), Array.from({ length: 1500 }, (_, i) => i + 1), `entries of ${machine}`);
    }
    // journalctl's priorities came through the parser (the fixture logs crit, err, warning, notice, info, debug).
    for (const priority of [2, 3, 4, 5, 6, 7]) assert.ok((report.priorities[priority] ?? 0) > 0, `no line of priority ${priority}`);
    // Closing the panel stops following: the processes are killed, the follower stops.
    panel.dispose();
    await waitFor('the source to be disposed', () => (panel.source as JournalSourceEmitter).isDisposed);
  });
});
