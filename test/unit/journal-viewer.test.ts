// The journal viewer's parts that need no VS Code and no browser: the panel's ring and batcher,
// the source emitter, the stream adapter and its state aggregation, search and formatting.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { Batcher, Ring } from '../../client/src/views/journal/buffer';
import { escapeHtml, journalHtml } from '../../client/src/views/journal/html';
import { JournalSourceEmitter, type JournalState, type JournalViewEntry } from '../../client/src/views/journal/source';
import { StateAggregator, journalSourceFromStream } from '../../client/src/views/journal/streamSource';
import { describeLine, formatTimestamp } from '../../client/webview/journal/format';
import { compileSearch, escapeRegExp, matchRanges, matches } from '../../client/webview/journal/search';

const entry = (i: number, machine = 'm1'): JournalViewEntry => ({ realtimeUs: 1_700_000_000_000_000 + i, message: `line ${i}`, machine, cursor: `i=${i}` });

describe('Ring', () => {
  test('keeps the newest items in order and counts what it dropped', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.array(fc.array(fc.nat(), { maxLength: 30 }), { maxLength: 20 }), (capacity, pushes) => {
        const ring = new Ring<number>(capacity);
        const all: number[] = [];
        for (const batch of pushes) {
          if (batch.length === 1) ring.push(batch[0] as number);
          else ring.pushAll(batch);
          all.push(...batch);
        }
        assert.deepEqual(ring.toArray(), all.slice(-capacity));
        assert.equal(ring.dropped, Math.max(0, all.length - capacity));
      }),
    );
  });

  test('resize keeps the newest; dropWhile and clear remove without counting as dropped', () => {
    const ring = new Ring<number>(5);
    ring.pushAll([1, 2, 3, 4, 5, 6]);
    assert.deepEqual(ring.toArray(), [2, 3, 4, 5, 6]);
    ring.resize(3);
    assert.deepEqual(ring.toArray(), [4, 5, 6]);
    assert.equal(ring.dropped, 3);
    ring.dropWhile((n) => n <= 4);
    assert.deepEqual(ring.toArray(), [5, 6]);
    ring.push(7);
    ring.push(8);
    assert.deepEqual(ring.toArray(), [6, 7, 8]);
    ring.clear();
    assert.deepEqual(ring.toArray(), []);
    assert.equal(ring.dropped, 4);
    assert.throws(() => new Ring(0), RangeError);
  });
});

describe('Batcher', () => {
  function manualTimers(): { set: (cb: () => void, ms: number) => unknown; clear: (h: unknown) => void; fire(): void; pending(): number } {
    const timers = new Map<number, () => void>();
    let next = 1;
    return {
      set: (cb) => {
        timers.set(next, cb);
        return next++;
      },
      clear: (h) => timers.delete(h as number),
      fire: () => {
        const all = [...timers.values()];
        timers.clear();
        for (const cb of all) cb();
      },
      pending: () => timers.size,
    };
  }

  test('sends on the timer, or at once when maxBatch items wait; order kept, nothing lost', () => {
    const timers = manualTimers();
    const sent: number[][] = [];
    const batcher = new Batcher<number>((b) => sent.push(b), { maxBatch: 4, setTimer: timers.set, clearTimer: timers.clear });
    batcher.add([1, 2]);
    assert.deepEqual(sent, []);
    assert.equal(timers.pending(), 1);
    timers.fire();
    assert.deepEqual(sent, [[1, 2]]);
    batcher.add([3, 4, 5]);
    batcher.add([6, 7, 8, 9, 10, 11]);
    assert.deepEqual(sent, [[1, 2], [3, 4, 5, 6], [7, 8, 9, 10], [11]], 'once maxBatch wait, all go at once, at most maxBatch a message');
    assert.equal(timers.pending(), 0);
    batcher.add([12]);
    timers.fire();
    assert.deepEqual(sent.flat(), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  test('a send that pauses (receiver behind) stops the flush; trim keeps the newest waiting', () => {
    const timers = manualTimers();
    const sent: number[][] = [];
    const batcher: Batcher<number> = new Batcher<number>(
      (b) => {
        sent.push(b);
        if (sent.length % 2 === 0) batcher.pause();
      },
      { maxBatch: 2, setTimer: timers.set, clearTimer: timers.clear },
    );
    batcher.add([1, 2, 3, 4, 5, 6, 7]);
    assert.deepEqual(sent, [[1, 2], [3, 4]]);
    assert.equal(batcher.isPaused, true);
    batcher.add([8, 9]);
    assert.equal(batcher.trim(3), 2);
    batcher.resume();
    assert.deepEqual(sent, [[1, 2], [3, 4], [7, 8], [9]]);
    assert.equal(batcher.isPaused, true, 'the fourth send paused it again');
    batcher.add([10]);
    batcher.resume();
    assert.deepEqual(sent.flat(), [1, 2, 3, 4, 7, 8, 9, 10]);
  });

  test('paused holds items; discard forgets them', () => {
    const timers = manualTimers();
    const sent: number[][] = [];
    const batcher = new Batcher<number>((b) => sent.push(b), { maxBatch: 2, setTimer: timers.set, clearTimer: timers.clear });
    batcher.pause();
    batcher.add([1, 2, 3]);
    assert.deepEqual(sent, []);
    batcher.resume();
    assert.deepEqual(sent.flat(), [1, 2, 3]);
    batcher.add([4]);
    batcher.discard();
    timers.fire();
    assert.deepEqual(sent.flat(), [1, 2, 3]);
  });
});

describe('JournalSourceEmitter', () => {
  test('holds entries until the first listener, then passes batches on; states once per change', () => {
    let disposed = 0;
    const source = new JournalSourceEmitter(() => disposed++);
    source.push([entry(1), entry(2)]);
    const got: number[] = [];
    source.onEntries((batch) => got.push(...batch.map((e) => e.realtimeUs % 1000)));
    source.push([entry(3)]);
    assert.deepEqual(got, [1, 2, 3]);
    const states: string[] = [];
    source.onState((state, detail) => states.push(`${state}:${detail ?? ''}`));
    source.setState('reconnecting', 'm2');
    source.setState('reconnecting', 'm2');
    source.setState('connected');
    source.end('done');
    assert.deepEqual(states, ['reconnecting:m2', 'connected:', 'ended:done']);
    source.dispose();
    source.dispose();
    assert.equal(disposed, 1);
    source.push([entry(4)]);
    assert.deepEqual(got, [1, 2, 3]);
  });
});

describe('journalSourceFromStream', () => {
  test('entries that arrive together become one batch; the end of the stream ends the source', async () => {
    const source = journalSourceFromStream(async function* () {
      yield entry(1);
      yield entry(2);
      await new Promise((resolve) => setTimeout(resolve, 20));
      yield entry(3);
    });
    const batches: number[][] = [];
    const states: JournalState[] = [];
    source.onEntries((batch) => batches.push(batch.map((e) => e.realtimeUs % 1000)));
    source.onState((state) => states.push(state));
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(batches, [[1, 2], [3]]);
    assert.deepEqual(states, ['ended']);
  });

  test('machine states become the viewer state; dispose aborts the stream', async () => {
    let signal: AbortSignal | undefined;
    let hooks: Parameters<Parameters<typeof journalSourceFromStream>[0]>[0] | undefined;
    const source = journalSourceFromStream((h) => {
      hooks = h;
      signal = h.signal;
      return (async function* () {
        await new Promise<void>((resolve) => h.signal.addEventListener('abort', () => resolve()));
      })();
    });
    const states: string[] = [];
    source.onState((state, detail) => states.push(detail ? `${state}: ${detail}` : state));
    await new Promise((resolve) => setImmediate(resolve));
    assert.ok(hooks);
    hooks.onState('m1', 'connecting');
    hooks.onState('m2', 'connecting');
    hooks.onState('m1', 'connected');
    hooks.onState('m2', 'connected');
    hooks.onState('m2', 'reconnecting', { error: new Error('journalctl ended with exit code 255: Connection to m2 closed by remote host.'), delayMs: 4000 });
    hooks.onState('m2', 'reconnecting', {}); // the follower starting the attempt: the reason stays
    hooks.onState('m2', 'connected');
    hooks.onSourceError('m2', new Error('journalctl: command not found'));
    assert.deepEqual(states, [
      'connecting: m1',
      'connecting: m1; m2',
      'connecting: m2',
      'connected',
      'reconnecting: m2: journalctl ended with exit code 255: Connection to m2 closed by remote host; retrying in 4.0 s',
      'connected',
      'connected: m2: failed: journalctl: command not found',
    ]);
    source.dispose();
    assert.equal(signal?.aborted, true);
  });

  test('StateAggregator: reconnecting wins over connecting, failed machines are named while others stream', () => {
    const s = new StateAggregator();
    s.set('m1', 'connected');
    s.set('m2', 'failed', { error: new Error('bad') });
    assert.deepEqual(s.get(), { state: 'connected', detail: 'm2: failed: bad' });
    s.set('m3', 'connecting');
    assert.equal(s.get().state, 'connecting');
    s.set('m1', 'reconnecting', { delayMs: 250 });
    assert.deepEqual(s.get(), { state: 'reconnecting', detail: 'm1: retrying in 0.3 s' });
  });
});

describe('search', () => {
  test('plain text is literal; regular expressions and case are options; a bad expression is an error', () => {
    const plain = compileSearch({ text: 'a.b', regex: false, matchCase: false });
    assert.ok(plain?.ok);
    assert.equal(matches(plain.re, 'xA.By'), true);
    assert.equal(matches(plain.re, 'axb'), false);
    const re = compileSearch({ text: 'a.b', regex: true, matchCase: true });
    assert.ok(re?.ok);
    assert.equal(matches(re.re, 'axb'), true);
    assert.equal(matches(re.re, 'AXB'), false);
    assert.equal(compileSearch({ text: '', regex: true, matchCase: false }), undefined);
    const bad = compileSearch({ text: 'GET (', regex: true, matchCase: false });
    assert.equal(bad?.ok, false);
  });

  test('match ranges: every non-empty match, in order, even for patterns that can match empty', () => {
    const re = (text: string): RegExp => {
      const c = compileSearch({ text, regex: true, matchCase: true });
      assert.ok(c?.ok);
      return c.re;
    };
    assert.deepEqual(matchRanges(re('o'), 'foo boo'), [[1, 2], [2, 3], [5, 6], [6, 7]]);
    assert.deepEqual(matchRanges(re('x*'), 'axxbx'), [[1, 3], [4, 5]]);
    assert.deepEqual(matchRanges(re('^'), 'abc'), []);
    assert.deepEqual(matchRanges(re('(?:)'), '😀😀'), []);
    assert.equal(matchRanges(re('a'), 'a'.repeat(5000)).length, 1000, 'bounded');
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1, maxLength: 3 }), (text, needle) => {
        const ranges = matchRanges(re(escapeRegExp(needle)), text);
        for (const [start, end] of ranges) assert.equal(text.slice(start, end), needle);
        for (let i = 1; i < ranges.length; i++) assert.ok((ranges[i] as [number, number])[0] >= (ranges[i - 1] as [number, number])[1]);
      }),
    );
  });
});

describe('format and HTML shell', () => {
  test('timestamps to the millisecond, the hover text says where a line came from', () => {
    const ms = new Date(2026, 10, 25, 4, 5, 6, 789).getTime();
    assert.equal(formatTimestamp(ms), '2026-11-25 04:05:06.789');
    assert.equal(formatTimestamp(ms + 0.9), '2026-11-25 04:05:06.789');
    assert.equal(formatTimestamp(ms + 1000), '2026-11-25 04:05:07.789');
    assert.equal(
      describeLine({ ts: Date.UTC(2026, 10, 25), pri: 3, machine: 'm1', hostname: 'core-01', unit: 'a.service', ident: 'docker', pid: 42 }),
      'docker[42] · a.service · m1 (core-01) · priority 3 (err) · 2026-11-25T00:00:00.000Z',
    );
  });

  test('the shell has a CSP with a nonce and the webview source, no inline handlers, an escaped title', () => {
    const html = journalHtml({ title: 'Journal: <x>&"', cspSource: 'https://cdn.example', scriptUri: 'https://cdn.example/j.js', styleUri: 'https://cdn.example/j.css', nonce: 'N0nce' });
    assert.match(html, /Content-Security-Policy" content="default-src 'none'; style-src https:\/\/cdn\.example; script-src 'nonce-N0nce';/);
    assert.match(html, /<script nonce="N0nce" src="https:\/\/cdn\.example\/j\.js"><\/script>/);
    assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handlers');
    assert.doesNotMatch(html, /style="/, 'no inline styles');
    assert.ok(html.includes(`<title>${escapeHtml('Journal: <x>&"')}</title>`));
    assert.doesNotMatch(html, /<x>/);
    assert.match(html, /role="log"/);
  });
});
