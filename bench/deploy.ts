// Cluster-core benchmarks on the local cluster (needs Linux and root, like the cluster tests):
//  1. deploy of 3 template instances (helloworld@1..3): wall time, against the sum of the SSH
//     round trips it made (in-process, cold = new connections; warm = pooled), and through the CLI;
//  2. power cut → the dead machine's unit running elsewhere (reconcile --watch in-process);
//  3. first level of a 100,000-key etcd tree: time and memory, for 100 directories × 1,000 keys
//     and for 100,000 keys in one flat directory (first page of 500).
// Usage: tsx bench/deploy.ts [--runs N] [--keep] (--keep leaves the cluster up)
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { canRunCluster, clusterPaths, down, kill, projectRoot, start as startMachine, up } from '../harness/index';
import { Cluster } from '../client/src/cluster/cluster';
import { loadDefinition } from '../client/src/cluster/definition';
import { destroy, start } from '../client/src/cluster/deploy';
import { listLevel } from '../client/src/cluster/etcd/browse';
import { reconcileWatch } from '../client/src/cluster/reconcile';
import { listUnits } from '../client/src/cluster/units';

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 5;
const keep = args.includes('--keep');
const EXAMPLES = path.join(projectRoot, 'examples', 'helloworld');
const INSTANCES = [1, 2, 3].map((i) => path.join(EXAMPLES, `helloworld@${i}.service`));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (xs: number[]) => `median ${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)}, n=${xs.length})`;

function open(): { cluster: Cluster; trips: number[] } {
  const cluster = new Cluster(loadDefinition(clusterPaths().definition), { secrets: { env: {} } });
  const trips: number[] = [];
  const exec = cluster.ssh.exec.bind(cluster.ssh);
  cluster.ssh.exec = async (...a: Parameters<typeof exec>) => {
    const t = performance.now();
    try {
      return await exec(...a);
    } finally {
      trips.push(performance.now() - t);
    }
  };
  return { cluster, trips };
}

async function resetUnits(cluster: Cluster): Promise<void> {
  const units = await listUnits(cluster, { live: false });
  if (units.length > 0) await destroy(cluster, units.map((u) => u.name));
}

async function benchDeploy(): Promise<void> {
  const cold: number[] = [];
  const coldTrips: number[] = [];
  const warm: number[] = [];
  const warmTrips: number[] = [];
  const tripCounts: number[] = [];
  const { cluster: admin } = open();
  await resetUnits(admin);
  for (let r = 0; r < runs; r++) {
    const { cluster, trips } = open();
    let t = performance.now();
    const result = await start(cluster, INSTANCES);
    cold.push(performance.now() - t);
    if (result.failures.length > 0 || result.units.some((u) => u.active !== 'active')) throw new Error(`deploy failed: ${JSON.stringify(result)}`);
    coldTrips.push(trips.reduce((a, b) => a + b, 0));
    tripCounts.push(trips.length);
    await destroy(cluster, result.units.map((u) => u.name));
    trips.length = 0;
    t = performance.now();
    await start(cluster, INSTANCES);
    warm.push(performance.now() - t);
    warmTrips.push(trips.reduce((a, b) => a + b, 0));
    await destroy(cluster, INSTANCES.map((i) => path.basename(i)));
    await cluster.close();
  }
  const cli: number[] = [];
  const cliFile = path.join(projectRoot, 'dist', 'cli.js');
  if (fs.existsSync(cliFile)) {
    for (let r = 0; r < runs; r++) {
      const t = performance.now();
      const p = spawnSync(process.execPath, [cliFile, '--cluster', clusterPaths().definition, '-q', 'start', ...INSTANCES], { encoding: 'utf8' });
      cli.push(performance.now() - t);
      if (p.status !== 0) throw new Error(`unit-fleet start failed: ${p.stderr}`);
      await destroy(admin, INSTANCES.map((i) => path.basename(i)));
    }
  }
  await admin.close();
  console.log('deploy of 3 template instances (helloworld@1..3, Docker containers started):');
  console.log(`  in-process, new connections: ${fmt(cold)}; its SSH round trips: ${tripCounts[0]} calls summing to ${fmt(coldTrips)}`);
  console.log(`  in-process, pooled connections: ${fmt(warm)}; SSH round trips summing to ${fmt(warmTrips)}`);
  if (cli.length > 0) console.log(`  CLI (node dist/cli.js start …, whole process): ${fmt(cli)}   target < 2000 ms`);
}

async function benchFailover(): Promise<void> {
  const times: number[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uf-bench-'));
  fs.writeFileSync(path.join(dir, 'mover.service'), '[Service]\nExecStart=/bin/sleep infinity\n');
  const { cluster } = open();
  const { cluster: watcher } = open();
  const controller = new AbortController();
  let reports = 0;
  const watching = reconcileWatch(watcher, { signal: controller.signal, onReport: () => reports++ });
  try {
    for (let r = 0; r < Math.min(runs, 3); r++) {
      await resetUnits(cluster);
      const result = await start(cluster, [path.join(dir, 'mover.service')]);
      const victim = result.units[0]!.machines[0]!;
      while (reports === 0) await new Promise((res) => setTimeout(res, 100));
      const t = performance.now();
      await kill(victim);
      for (;;) {
        const units = await listUnits(cluster, { timeoutMs: 1000 }).catch(() => []);
        const mover = units.find((u) => u.name === 'mover.service');
        if (mover && mover.machines[0] !== victim && mover.states.some((s) => 'active' in s && s.active === 'active')) break;
        if (performance.now() - t > 60_000) throw new Error('the unit did not move within 60 s');
        await new Promise((res) => setTimeout(res, 100));
      }
      times.push(performance.now() - t);
      await startMachine(victim);
      await new Promise((res) => setTimeout(res, 3000));
    }
  } finally {
    controller.abort();
    await watching;
    await resetUnits(cluster);
    await cluster.close();
    await watcher.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log(`power cut → unit running on another machine (presence lease TTL 4 s, reconcile --watch): ${fmt(times)}   target < 10000 ms`);
}

async function benchKeys(): Promise<void> {
  const { cluster } = open();
  try {
    const fill = async (keyOf: (i: number) => string) => {
      const total = 100_000;
      let next = 0;
      const worker = async () => {
        while (next < total) {
          const batch: number[] = [];
          while (batch.length < 100 && next < total) batch.push(next++);
          const txn = cluster.etcd.if('/bench-none', 'Create', '==', 0);
          await txn.then(...batch.map((i) => cluster.etcd.put(keyOf(i)).value('x'))).commit();
        }
      };
      await Promise.all(Array.from({ length: 16 }, worker));
    };
    const t0 = performance.now();
    await fill((i) => `/bench/tree/d${String(Math.floor(i / 1000)).padStart(3, '0')}/k${String(i % 1000).padStart(4, '0')}`);
    await fill((i) => `/bench/flat/k${String(i).padStart(6, '0')}`);
    console.log(`first level of a 100,000-key etcd tree (200,000 keys written in ${((performance.now() - t0) / 1000).toFixed(1)} s):`);
    for (const [prefix, label] of [
      ['/bench/tree/', '100 directories × 1,000 keys: all 100 entries'],
      ['/bench/flat/', '100,000 keys in one directory: first page of 500'],
    ] as const) {
      const times: number[] = [];
      let entries = 0;
      let heap = 0;
      for (let r = 0; r < runs; r++) {
        global.gc?.();
        const before = process.memoryUsage().heapUsed;
        const t = performance.now();
        const page = await listLevel(cluster, prefix, { limit: 500 });
        times.push(performance.now() - t);
        heap = Math.max(heap, process.memoryUsage().heapUsed - before);
        entries = page.entries.length;
      }
      console.log(`  ${label}: ${entries} entries, ${fmt(times)}, heap growth ≤ ${(heap / 1024 / 1024).toFixed(1)} MiB, RSS ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MiB   target < 300 ms`);
    }
  } finally {
    await cluster.etcd.delete().prefix('/bench/').exec();
    await cluster.close();
  }
}

async function main(): Promise<void> {
  const readiness = canRunCluster({ docker: true });
  if (!readiness.ok) {
    console.log(`deploy benchmark skipped: cannot run the local cluster: ${readiness.reason}`);
    return;
  }
  await up({ machines: 3, docker: true });
  try {
    await benchDeploy();
    await benchFailover();
    await benchKeys();
  } finally {
    if (!keep) await down();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
