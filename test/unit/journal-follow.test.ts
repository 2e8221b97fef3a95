// JournalFollower: resuming after dropped connections with nothing lost or repeated.
//
// The transports are real processes that get killed (SIGKILL) at random moments, mid-line
// included, exactly as an SSH channel dies:
//   - a stand-in journalctl (a node script) that serves a journal of 3,000 entries, honouring
//     --after-cursor, in random chunk sizes, then stays running like `journalctl -f`; also a
//     variant that wrongly repeats the cursor's own entry on resume, which the follower must drop;
//   - the real journalctl -f on a real journal directory that a writer keeps appending to
//     (systemd-journal-remote; skipped when it is not installed).
// Then the state machine (states, back-off, fatal errors, give-up), and close() while waiting.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FatalJournalError,
  JournalFollower,
  buildJournalctlArgs,
  classifyJournalctlExit,
  exitStatusOf,
  followJournal,
  journalctlOpener,
  processOutput,
  type FollowState,
  type JournalEntry,
  type JournalOpen,
} from '../../client/src/cluster/journal';
import { mulberry32 } from '../helpers/random';

const dir = mkdtempSync(join(tmpdir(), 'journal-follow-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const JOURNAL_REMOTE = ['/lib/systemd/systemd-journal-remote', '/usr/lib/systemd/systemd-journal-remote'].find((p) => existsSync(p));


const BOOT = '5c1c9b7e0a4e4f0c9a57a1b8d2c3e4f5';
const SEQNUM_ID = 'f3b0c44298fc1c149afbf4c8996fb924';

/** journalctl-like JSON lines with real field names and cursor syntax. */
function fixtureLines(n: number): string[] {
  const lines: string[] = [];
  for (let i = 1; i <= n; i++) {
    const t = 1_700_000_000_000_000 + i * 137;
    const m = 9_000_000 + i * 137;
    lines.push(
      JSON.stringify({
        __CURSOR: `s=${SEQNUM_ID};i=${i.toString(16)};b=${BOOT};m=${m.toString(16)};t=${t.toString(16)};x=${(i * 2654435761 >>> 0).toString(16)}`,
        __REALTIME_TIMESTAMP: String(t),
        __MONOTONIC_TIMESTAMP: String(m),
        _BOOT_ID: BOOT,
        _SYSTEMD_UNIT: `helloworld@${(i % 3) + 1}.service`,
        _PID: String(4000 + (i % 3)),
        _HOSTNAME: 'core-01',
        SYSLOG_IDENTIFIER: 'docker',
        PRIORITY: String(i % 8),
        MESSAGE: i % 97 === 0 ? 'ünïcødé ✓ — and a "quoted" \\ line' : `GET /api/${i} 200 ${'x'.repeat(i % 300)}`,
      }),
    );
  }
  return lines;
}

// A stand-in journalctl: serves FILE's lines after --after-cursor (or all of them), in random
// chunks with small pauses, then keeps running like -f. With REPEAT=1 it wrongly starts AT the
// cursor (the entry is sent again).
const FAKE_JOURNALCTL = String.raw`
const fs = require('fs');
const [file, ...args] = process.argv.slice(2);
const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
const after = args.find((a) => a.startsWith('--after-cursor='));
let start = 0;
if (after) {
  const c = after.slice('--after-cursor='.length);
  const i = lines.findIndex((l) => JSON.parse(l).__CURSOR === c);
  if (i < 0) { process.stderr.write('Failed to seek to cursor: Invalid argument\n'); process.exit(1); }
  start = process.env.REPEAT === '1' ? i : i + 1;
}
const data = Buffer.from(lines.slice(start).map((l) => l + '\n').join(''));
let pos = 0;
function more() {
  if (pos >= data.length) { setInterval(() => {}, 1000); return; }
  const n = 1 + Math.floor(Math.random() * 3000);
  const chunk = data.subarray(pos, pos + n);
  pos += n;
  if (process.stdout.write(chunk)) setTimeout(more, Math.random() < 0.3 ? 1 : 0);
  else process.stdout.once('drain', more);
}
more();
`;

function spawnOpen(argvFor: (afterCursor: string | undefined) => string[], env: NodeJS.ProcessEnv, children: ChildProcess[]): JournalOpen {
  return (afterCursor, { signal }) => {
    const argv = argvFor(afterCursor);
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    children.push(child);
    signal.addEventListener('abort', () => child.kill('SIGKILL'), { once: true });
    return processOutput(child.stdout!, exitStatusOf(child), child.stderr);
  };
}

/**
 * Follows until `want` entries came (or the deadline), killing the current process `kills` times,
 * each time after some progress (so every kill interrupts a stream that is delivering) and after
 * a random 0–3 ms (so it lands anywhere: between entries, mid-line, mid-chunk).
 */
async function followWithKills(
  follower: JournalFollower,
  children: ChildProcess[],
  want: number,
  rnd: () => number,
  options: { kills: number; deadlineMs: number },
): Promise<{ entries: JournalEntry[]; kills: number }> {
  const entries: JournalEntry[] = [];
  let kills = 0;
  let scheduled = 0;
  const gap = (): number => Math.max(1, Math.round((want / (options.kills + 1)) * (0.5 + rnd())));
  let nextKillAt = gap();
  const deadline = setTimeout(() => follower.close(), options.deadlineMs);
  try {
    for await (const e of follower) {
      entries.push(e);
      if (entries.length >= want) break;
      if (scheduled < options.kills && entries.length >= nextKillAt) {
        scheduled++;
        nextKillAt = entries.length + gap();
        const victim = children[children.length - 1];
        setTimeout(() => {
          if (!victim.killed && victim.exitCode === null && victim.signalCode === null) {
            victim.kill('SIGKILL');
            kills++;
          }
        }, rnd() * 3);
      }
    }
  } finally {
    clearTimeout(deadline);
    follower.close();
  }
  return { entries, kills };
}

test('follow: a killed journalctl (stand-in) is resumed after the last cursor, nothing lost or repeated', async () => {
  const lines = fixtureLines(3000);
  const file = join(dir, 'fixture.jsonl');
  writeFileSync(file, lines.map((l) => `${l}\n`).join(''));
  const script = join(dir, 'fake-journalctl.js');
  writeFileSync(script, FAKE_JOURNALCTL);
  for (const repeat of [false, true]) {
    const children: ChildProcess[] = [];
    const states: FollowState[] = [];
    const open = spawnOpen(
      (afterCursor) => [process.execPath, script, file, ...buildJournalctlArgs({ follow: true, lines: 'all', units: ['helloworld@*.service'], afterCursor }).slice(1)],
      { REPEAT: repeat ? '1' : '0' },
      children,
    );
    const follower = followJournal(open, { machine: 'core-01', backoff: { initialMs: 1, maxMs: 20 }, onState: (s) => states.push(s) });
    const { entries, kills } = await followWithKills(follower, children, lines.length, mulberry32(repeat ? 2 : 1), { kills: 25, deadlineMs: 60_000 });
    const expected = lines.map((l) => JSON.parse(l).__CURSOR as string);
    assert.equal(entries.length, expected.length, `received ${entries.length} of ${expected.length}`);
    assert.deepEqual(
      entries.map((e) => e.cursor),
      expected,
    );
    assert.ok(entries.every((e) => e.machine === 'core-01'), 'machine set on every entry');
    assert.ok(kills >= 10, `only ${kills} kills`);
    assert.ok(follower.stats.reconnects >= kills - 1, `${follower.stats.reconnects} reconnects for ${kills} kills`); // the last kill may land after the last entry
    assert.ok(follower.stats.partialLines > 0, 'some kills cut a line in two');
    assert.equal(follower.stats.parse.invalid, 0, 'a line cut by a kill is dropped, not counted as invalid');
    // Every resume after a delivered entry repeats exactly that entry once.
    if (repeat) assert.equal(follower.stats.duplicates, follower.stats.reconnects, `${follower.stats.duplicates} duplicates for ${follower.stats.reconnects} reconnects`);
    else assert.equal(follower.stats.duplicates, 0);
    assert.deepEqual(states.slice(0, 2), ['connecting', 'connected']);
    assert.ok(states.includes('reconnecting'), 'reconnecting state seen');
    assert.equal(states[states.length - 1], 'stopped');
    console.log(`# stand-in journalctl${repeat ? ' (repeating its cursor entry)' : ''}: ${entries.length} entries, ${kills} kills, ${follower.stats.reconnects} reconnects, ${follower.stats.partialLines} cut mid-line, ${follower.stats.duplicates} duplicates dropped, 0 lost`);
  }
});

test('follow: real journalctl -f on a journal that is being written, killed again and again', { skip: JOURNAL_REMOTE ? false : 'systemd-journal-remote is not installed' }, async () => {
  const d = mkdtempSync(join(dir, 'live-'));
  const BATCHES = 40;
  const PER_BATCH = 50;
  const total = BATCHES * PER_BATCH;
  const writeBatch = (b: number): Promise<void> => {
    let text = '';
    for (let i = b * PER_BATCH; i < (b + 1) * PER_BATCH; i++) {
      text += `__REALTIME_TIMESTAMP=${1_700_000_000_000_000 + i}\n__MONOTONIC_TIMESTAMP=${1_000_000 + i}\n_BOOT_ID=${BOOT}\nMESSAGE=m${i}\n_SYSTEMD_UNIT=helloworld@1.service\nPRIORITY=6\n\n`;
    }
    return new Promise((resolve, reject) => {
      const p = spawn(JOURNAL_REMOTE!, ['-o', join(d, 'system.journal'), '-'], { stdio: ['pipe', 'ignore', 'ignore'] });
      p.on('error', reject);
      p.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`systemd-journal-remote exited ${code}`))));
      p.stdin!.end(text);
    });
  };
  await writeBatch(0);
  const writer = (async () => {
    for (let b = 1; b < BATCHES; b++) {
      await new Promise((r) => setTimeout(r, 15));
      await writeBatch(b);
    }
  })();
  const children: ChildProcess[] = [];
  const open = spawnOpen((afterCursor) => buildJournalctlArgs({ directory: d, follow: true, lines: 'all', units: ['helloworld@1.service'], afterCursor }), {}, children);
  // A back-off long enough for the writer to add more than 10 entries while we are away: a resume
  // that let journalctl's implied -n 10 apply would lose some.
  const follower = followJournal(open, { machine: 'core-01', backoff: { initialMs: 40, maxMs: 80 } });
  const { entries, kills } = await followWithKills(follower, children, total, mulberry32(7), { kills: 30, deadlineMs: 60_000 });
  await writer;
  assert.deepEqual(
    entries.map((e) => e.message),
    Array.from({ length: total }, (_, i) => `m${i}`),
  );
  assert.ok(kills >= 10, `only ${kills} kills`);
  assert.ok(follower.stats.reconnects >= kills - 1, `${follower.stats.reconnects} reconnects for ${kills} kills`);
  assert.equal(follower.stats.duplicates, 0);
  console.log(`# real journalctl -f: ${entries.length} entries written while following, ${kills} kills, ${follower.stats.reconnects} reconnects, ${follower.stats.partialLines} cut mid-line, 0 lost, 0 repeated`);
});

// ---------------------------------------------------------------------------------------------
// State machine with an in-memory transport

function line(i: number): string {
  return `${JSON.stringify({ __CURSOR: `c${i}`, __REALTIME_TIMESTAMP: String(1000 + i), MESSAGE: `m${i}` })}\n`;
}

test('follow: states, back-off growth and reset, resume cursors handed to open()', async () => {
  const delays: number[] = [];
  const calls: (string | undefined)[] = [];
  const states: string[] = [];
  let attemptNo = 0;
  const open: JournalOpen = async (afterCursor, { attempt }) => {
    calls.push(afterCursor);
    attemptNo = attempt;
    if (attempt === 2 || attempt === 3) throw new Error('ssh: connect ECONNREFUSED');
    return (async function* () {
      const start = afterCursor === undefined ? 0 : Number(afterCursor.slice(1)) + 1;
      yield line(start) + line(start + 1).slice(0, 10);
      yield line(start + 1).slice(10);
      if (attempt >= 4) yield line(start + 2) + '{"__CURSOR":"partial';
      throw new Error('channel closed');
    })();
  };
  const follower = followJournal(open, {
    backoff: { initialMs: 100, factor: 2, jitter: 0, maxMs: 1000 },
    sleep: async (ms) => void delays.push(ms),
    onState: (s, info) => states.push(`${s}${info.delayMs !== undefined ? `(${info.delayMs})` : ''}`),
  });
  const got: string[] = [];
  for await (const e of follower) {
    got.push(e.cursor);
    if (got.length === 8) break;
  }
  assert.deepEqual(got, ['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7']);
  assert.deepEqual(calls, [undefined, 'c1', 'c1', 'c1', 'c4']);
  // Failed attempts 2 and 3 double the delay; a stream that delivered resets it.
  assert.deepEqual(delays, [100, 200, 400, 100]);
  assert.deepEqual(states, ['connecting', 'connected', 'reconnecting(100)', 'reconnecting', 'reconnecting(200)', 'reconnecting', 'reconnecting(400)', 'reconnecting', 'connected', 'reconnecting(100)', 'reconnecting', 'connected', 'stopped']);
  assert.equal(follower.state, 'stopped');
  assert.equal(follower.cursor, 'c7');
  assert.equal(attemptNo, 5);
});

test('follow: a fatal error fails at once; maxAttempts gives up; follow:false ends at the end of the stream', async () => {
  const failing = followJournal(
    async () => {
      throw new FatalJournalError('journalctl: unrecognized option');
    },
    { sleep: async () => undefined },
  );
  await assert.rejects(async () => {
    for await (const _ of failing) void _;
  }, FatalJournalError);
  assert.equal(failing.state, 'failed');

  let opens = 0;
  const flaky = followJournal(
    async () => {
      opens++;
      throw new Error('no route to host');
    },
    { maxAttempts: 4, sleep: async () => undefined },
  );
  await assert.rejects(async () => {
    for await (const _ of flaky) void _;
  }, /no route to host/);
  assert.equal(opens, 4);
  assert.equal(flaky.state, 'failed');

  // Not following: the end of the stream is the end, and its last line needs no "\n".
  const once = followJournal(
    async () =>
      (async function* () {
        yield line(0) + line(1).trimEnd();
      })(),
    { follow: false },
  );
  const got: string[] = [];
  for await (const e of once) got.push(e.cursor);
  assert.deepEqual(got, ['c0', 'c1']);
  assert.equal(once.state, 'stopped');
});

test('follow: close() while the stream is silent ends the iteration and kills the process', async () => {
  const children: ChildProcess[] = [];
  const open = spawnOpen(() => [process.execPath, '-e', 'setInterval(() => {}, 1000)'], {}, children);
  const follower = followJournal(open);
  const t0 = Date.now();
  setTimeout(() => follower.close(), 100);
  for await (const _ of follower) void _;
  assert.ok(Date.now() - t0 < 5000);
  assert.equal(follower.state, 'stopped');
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(children[0].signalCode, 'SIGKILL');
});

test('processOutput / classifyJournalctlExit: bad options and a missing journalctl are fatal, a kill is not', async () => {
  assert.equal(classifyJournalctlExit({ code: 0 }, ''), 'ok');
  assert.equal(classifyJournalctlExit({ code: 127 }, 'sh: 1: journalctl: not found'), 'fatal');
  assert.equal(classifyJournalctlExit({ code: 1 }, 'journalctl: unrecognized option --bogus'), 'fatal');
  assert.equal(classifyJournalctlExit({ code: null, signal: 'SIGKILL' }, ''), 'transient');
  assert.equal(classifyJournalctlExit({ code: null }, ''), 'transient');
  const run = async (argv: string[]): Promise<unknown> => {
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      for await (const _ of processOutput(child.stdout!, exitStatusOf(child), child.stderr)) void _;
      return 'ok';
    } catch (e) {
      return e;
    }
  };
  const missing = await run(['/bin/sh', '-c', 'journalctl-does-not-exist --output=json']);
  assert.ok(missing instanceof FatalJournalError, String(missing));
  assert.match((missing as Error).message, /exit code 127.*not found/);
  const bogus = await run(['journalctl', '--bogus-option']);
  assert.ok(bogus instanceof FatalJournalError, String(bogus));
  const killed = await run(['/bin/sh', '-c', 'kill -9 $$']);
  assert.ok(killed instanceof Error && !(killed instanceof FatalJournalError), String(killed));
  assert.equal(await run(['/bin/sh', '-c', 'echo "{}"']), 'ok');
});

test('journalctlOpener builds each attempt\'s argv with the cursor to resume after', async () => {
  const seen: string[][] = [];
  const open = journalctlOpener({ units: ['a.service'], follow: true, lines: 20 }, (argv) => {
    seen.push(argv);
    return (async function* () {
      yield line(seen.length);
    })();
  });
  const f = followJournal(open, { sleep: async () => undefined });
  let n = 0;
  for await (const _ of f) if (++n === 2) break;
  assert.ok(seen[0].includes('--lines=20') && !seen[0].some((a) => a.startsWith('--after-cursor')));
  assert.ok(seen[1].includes('--after-cursor=c1') && seen[1].includes('--no-tail') && !seen[1].includes('--lines=20'));
});
