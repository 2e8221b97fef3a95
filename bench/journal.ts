// Journal throughput benchmark (`npx tsx bench/journal.ts`): lines of `journalctl -o json` parsed,
// and parsed + merged across machines, per second. Target: ≥ 50,000 lines/s.
//
// Input: 3 machines × 100,000 lines shaped like real journalctl output — once with every field
// journalctl prints by default (~1 KB a line), once with the --output-fields list that
// buildJournalctlArgs() asks for (~450 bytes) — cut into 32 KiB Buffer chunks as an SSH channel
// delivers them (lines and UTF-8 sequences split across chunks). Machines' clocks interleave, so
// the merge really reorders. Each figure is the median of 5 runs after a warm-up.
import { performance } from 'node:perf_hooks';
import { JournalLineParser, JournalMerger, type JournalEntry } from '../client/src/cluster/journal';

const MACHINES = 3;
const LINES_PER_MACHINE = 100_000;
const CHUNK = 32 * 1024;
const BOOT = '5c1c9b7e0a4e4f0c9a57a1b8d2c3e4f5';

function line(machine: number, i: number, full: boolean): string {
  const t = 1_700_000_000_000_000 + i * 1_000 + machine * 333;
  const m = 9_000_000 + i * 1_000;
  const unit = `helloworld@${(i % 3) + 1}.service`;
  const o: Record<string, string> = {
    __CURSOR: `s=f3b0c44298fc1c149afbf4c8996fb92${machine};i=${i.toString(16)};b=${BOOT};m=${m.toString(16)};t=${t.toString(16)};x=${((i * 2654435761) >>> 0).toString(16)}`,
    __REALTIME_TIMESTAMP: String(t),
    __MONOTONIC_TIMESTAMP: String(m),
    _BOOT_ID: BOOT,
    MESSAGE: i % 50 === 0 ? `upstream réponse lente — ${i} ms ✓` : `10.213.0.${10 + machine} - - "GET /api/items/${i} HTTP/1.1" 200 ${512 + (i % 977)} "-" "curl/7.88.1"`,
    PRIORITY: String(i % 10 === 0 ? 4 : 6),
    _SYSTEMD_UNIT: unit,
    _PID: String(4000 + (i % 3)),
    _HOSTNAME: `core-0${machine + 1}`,
    SYSLOG_IDENTIFIER: 'docker',
    _COMM: 'dockerd',
    CONTAINER_NAME: `helloworld-${(i % 3) + 1}`,
    CONTAINER_ID: 'a3f1c9e2b7d4',
  };
  if (full) {
    Object.assign(o, {
      _TRANSPORT: 'journal',
      _UID: '0',
      _GID: '0',
      _CAP_EFFECTIVE: '1ffffffffff',
      _SELINUX_CONTEXT: 'unconfined\n',
      _MACHINE_ID: `0123456789abcdef0123456789abcde${machine}`,
      _EXE: '/usr/bin/dockerd',
      _CMDLINE: '/usr/bin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock',
      _SYSTEMD_CGROUP: `/system.slice/system-helloworld.slice/${unit}`,
      _SYSTEMD_SLICE: 'system-helloworld.slice',
      _SYSTEMD_INVOCATION_ID: '8b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e',
      CONTAINER_ID_FULL: 'a3f1c9e2b7d4a3f1c9e2b7d4a3f1c9e2b7d4a3f1c9e2b7d4a3f1c9e2b7d4a3f1',
      CONTAINER_TAG: 'a3f1c9e2b7d4',
      IMAGE_NAME: 'localhost/helloworld:latest',
      _SOURCE_REALTIME_TIMESTAMP: String(t - 5),
    });
  }
  return `${JSON.stringify(o)}\n`;
}

function chunks(machine: number, full: boolean): Buffer[] {
  const buf = Buffer.from(Array.from({ length: LINES_PER_MACHINE }, (_, i) => line(machine, i, full)).join(''), 'utf8');
  const out: Buffer[] = [];
  for (let p = 0; p < buf.length; p += CHUNK) out.push(buf.subarray(p, p + CHUNK));
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function run(input: Buffer[][], merge: boolean): { ms: number; entries: number } {
  const t0 = performance.now();
  const parsers = input.map((_, m) => new JournalLineParser({ machine: `core-0${m + 1}` }));
  const merger = new JournalMerger({ windowMs: 500, maxBuffered: 10_000 });
  input.forEach((_, m) => merger.addSource(`core-0${m + 1}`));
  let entries = 0;
  const sink = (es: JournalEntry[]): void => {
    entries += es.length;
  };
  // Round-robin over the machines' chunks, as they would arrive from three channels.
  const longest = Math.max(...input.map((c) => c.length));
  for (let k = 0; k < longest; k++) {
    for (let m = 0; m < input.length; m++) {
      const c = input[m][k];
      if (!c) continue;
      const parsed = parsers[m].push(c);
      if (merge) sink(merger.pushMany(`core-0${m + 1}`, parsed));
      else sink(parsed);
    }
  }
  for (let m = 0; m < input.length; m++) {
    const rest = parsers[m].end();
    if (merge) {
      sink(merger.pushMany(`core-0${m + 1}`, rest));
      sink(merger.endSource(`core-0${m + 1}`));
    } else sink(rest);
  }
  if (merge) sink(merger.flushAll());
  return { ms: performance.now() - t0, entries };
}

export function benchJournal(runs = 3): { parseLinesPerSecond: number; parseMergeLinesPerSecond: number } {
  const total = MACHINES * LINES_PER_MACHINE;
  console.log(`# journal: ${MACHINES} machines × ${LINES_PER_MACHINE.toLocaleString('en')} journalctl -o json lines, ${CHUNK / 1024} KiB chunks (node ${process.version}, median of ${runs})`);
  let result = { parseLinesPerSecond: 0, parseMergeLinesPerSecond: 0 };
  for (const full of [false, true]) {
    const input = Array.from({ length: MACHINES }, (_, m) => chunks(m, full));
    const bytes = input.flat().reduce((n, c) => n + c.length, 0);
    const label = full ? 'all fields (default output)' : 'unit-fleet --output-fields';
    for (const merge of [false, true]) {
      run(input, merge); // warm-up
      const times: number[] = [];
      for (let r = 0; r < runs; r++) {
        const { ms, entries } = run(input, merge);
        if (entries !== total) throw new Error(`expected ${total} entries, got ${entries}`);
        times.push(ms);
      }
      const ms = median(times);
      const rate = Math.round(total / (ms / 1000));
      const mb = bytes / (1024 * 1024) / (ms / 1000);
      console.log(
        `${(merge ? 'parse + merge' : 'parse').padEnd(14)} ${label.padEnd(28)} ${rate.toLocaleString('en').padStart(10)} lines/s  ${mb.toFixed(0).padStart(4)} MiB/s  (${Math.round(bytes / total)} B/line, ${ms.toFixed(0)} ms for ${total.toLocaleString('en')} lines)`,
      );
      if (merge) result.parseMergeLinesPerSecond = Math.min(result.parseMergeLinesPerSecond || Infinity, rate);
      else result.parseLinesPerSecond = Math.min(result.parseLinesPerSecond || Infinity, rate);
    }
  }
  const worst = Math.min(result.parseLinesPerSecond, result.parseMergeLinesPerSecond);
  console.log(`journal throughput (worst of the four): ${worst.toLocaleString('en')} lines/s — target ≥ 50,000: ${worst >= 50_000 ? 'met' : 'NOT MET'}`);
  return result;
}

if (require.main === module) benchJournal();
