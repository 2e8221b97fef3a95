// Benchmark of the local-cluster harness: wall time of `up` and `down`, and the memory a running
// cluster costs. Usage: tsx bench/cluster.ts [--machines N] [--no-docker] [--runs N]
// Needs root on Linux; elsewhere it prints why it cannot run and exits 0 (so `npm run bench` goes on).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cgroupPids, cgroup2Root, CGROUP_PARENT } from '../harness/cgroups';
import { canRunCluster, down, readState, clusterPaths, up } from '../harness/index';

function arg(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

const machines = arg('--machines', 3);
const runs = arg('--runs', 3);
const docker = !process.argv.includes('--no-docker');

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function memAvailable(): number {
  const match = /^MemAvailable:\s+(\d+) kB/m.exec(fs.readFileSync('/proc/meminfo', 'utf8'));
  return Number(match?.[1] ?? 0) * 1024;
}

/** Sums of RSS and PSS (kB lines of smaps_rollup) over every process of the cluster. */
function processMemory(): { rss: number; pss: number; processes: number } {
  const v2 = cgroup2Root();
  const pids = v2 ? cgroupPids(path.join(v2, CGROUP_PARENT)) : [];
  let rss = 0;
  let pss = 0;
  for (const pid of pids) {
    try {
      const rollup = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      rss += Number(/^Rss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0) * 1024;
      pss += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0) * 1024;
    } catch {
      // exited meanwhile, or a kernel thread
    }
  }
  return { rss, pss, processes: pids.length };
}

/** Bytes used in the machines' tmpfs upper layers (their "disks", which live in memory). */
function tmpfsUsed(): number {
  const state = readState(clusterPaths().state);
  let used = 0;
  for (const machine of state?.machines ?? []) {
    const stats = fs.statfsSync(machine.dir);
    used += (stats.blocks - stats.bfree) * stats.bsize;
  }
  return used;
}

async function main(): Promise<void> {
  console.log(`# npm run bench — local cluster (${machines} machines, docker=${docker}, ${runs} runs)`);
  const readiness = canRunCluster({ docker });
  if (!readiness.ok) {
    console.log(`skipped: ${readiness.reason}`);
    return;
  }
  await down();
  const upTimes: number[] = [];
  const downTimes: number[] = [];
  let memory = '';
  for (let run = 1; run <= runs; run++) {
    const before = memAvailable();
    const started = performance.now();
    const result = await up({ machines, docker });
    const upMs = performance.now() - started;
    upTimes.push(upMs);
    const phases = Object.entries(result.timings).map(([phase, ms]) => `${phase} ${ms}`).join(', ');
    console.log(`run ${run}: up ${upMs.toFixed(0)} ms${result.installed.length ? ` (installed ${result.installed.join(' ')})` : ''} [${phases}]`);
    if (run === runs) {
      // Let the machines settle (etcd's WAL preallocation, Docker's start) before measuring.
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const processes = processMemory();
      const tmpfs = tmpfsUsed();
      memory =
        `memory: processes RSS ${mb(processes.rss)}, PSS ${mb(processes.pss)} (${processes.processes} processes); ` +
        `tmpfs upper layers ${mb(tmpfs)}; PSS + tmpfs ${mb(processes.pss + tmpfs)}; ` +
        `host MemAvailable dropped by ${mb(before - memAvailable())}`;
    }
    const downStarted = performance.now();
    await down();
    const downMs = performance.now() - downStarted;
    downTimes.push(downMs);
    console.log(`run ${run}: down ${downMs.toFixed(0)} ms`);
  }
  console.log(`up   median ${median(upTimes).toFixed(0)} ms, first ${upTimes[0]!.toFixed(0)} ms (targets: under 10 s warm)`);
  console.log(`down median ${median(downTimes).toFixed(0)} ms (target: under 5 s)`);
  console.log(`${memory} (target: under 1 GiB)`);
}

main().catch(async (error) => {
  console.error(error);
  await down().catch(() => {});
  process.exit(1);
});
