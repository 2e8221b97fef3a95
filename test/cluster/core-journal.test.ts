// Journals through the cluster core on the real local cluster: a unit's journal merged across
// machines, and a follow that survives dropped SSH connections with nothing lost or repeated.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { down, up } from '../../harness/index';
import type { Cluster } from '../../client/src/cluster/cluster';
import { start } from '../../client/src/cluster/deploy';
import { unitJournal } from '../../client/src/cluster/journals';
import { cli, destroyAllUnits, openCluster, readiness, skip, tempDir, writeUnit } from './coreHelpers';

describe('cluster core: journals', { skip, timeout: 300_000 }, () => {
  let cluster: Cluster;
  let dir: string;

  before(async () => {
    if (!readiness.ok) throw new Error(`CI=true, so the cluster tests must run, but: ${readiness.reason}`);
    await up({ machines: 3, docker: true });
    await destroyAllUnits();
    cluster = openCluster();
    dir = tempDir('uf-journal-');
    writeUnit(dir, 'counter@.service', "[Service]\nExecStart=/bin/sh -c 'i=0; while true; do i=$((i+1)); echo \"count %i $i\"; sleep 0.05; done'\n\n[X-Fleet]\nConflicts=counter@*.service\n");
  });
  after(async () => {
    await destroyAllUnits();
    await cluster?.close();
    fs.rmSync(dir, { recursive: true, force: true });
    await down();
  });

  test('journal of a template\'s instances, merged by time across machines', async () => {
    const result = await start(cluster, [1, 2, 3].map((i) => path.join(dir, `counter@${i}.service`)));
    assert.deepEqual(result.failures, []);
    await new Promise((r) => setTimeout(r, 1000));
    const out = await cli(['journal', '--lines', '5', 'counter@*.service', '--json']);
    assert.equal(out.code, 0, out.stderr);
    const entries = out.stdout.trim().split('\n').map((l) => JSON.parse(l) as { realtimeUs: number; machine: string; message: string });
    assert.equal(new Set(entries.map((e) => e.machine)).size, 3);
    for (let i = 1; i < entries.length; i++) assert.ok(entries[i]!.realtimeUs >= entries[i - 1]!.realtimeUs, 'ordered by time');
  });

  test('a follow survives SSH drops: nothing lost, nothing repeated', async () => {
    const machine = (await cluster.etcd.get(cluster.keys.placement('counter@1.service')).json()) as { machines: string[] };
    assert.ok(machine);
    const controller = new AbortController();
    const entries = await unitJournal(cluster, { units: ['counter@1.service'], lines: 1, follow: true, signal: controller.signal });
    const counts: number[] = [];
    const name = (await cluster.machineName(machine.machines[0]!))!;
    let drops = 0;
    for await (const entry of entries) {
      const m = /^count 1 (\d+)$/.exec(entry.message);
      if (!m) continue;
      counts.push(Number(m[1]));
      if (counts.length % 15 === 0 && drops < 3) {
        cluster.ssh.drop(name); // the connection goes away under the follow
        drops++;
      }
      if (counts.length >= 60) break;
    }
    controller.abort();
    assert.equal(drops, 3);
    for (let i = 1; i < counts.length; i++) assert.equal(counts[i], counts[i - 1]! + 1, `gap or repeat at ${counts[i - 1]} → ${counts[i]}`);
  });
});
