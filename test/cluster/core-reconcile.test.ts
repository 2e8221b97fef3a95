// Reconcile on the real local cluster: a power cut moves the dead machine's units (and their
// MachineOf sidekicks) to survivors; when the machine boots again its stale copies are removed and
// no unit ever runs on two machines; only one reconciler acts at a time.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { down, heal, kill, partition, projectRoot, start as startMachine, up } from '../../harness/index';
import type { Cluster } from '../../client/src/cluster/cluster';
import { destroy, start } from '../../client/src/cluster/deploy';
import { reconcileOnce, reconcileWatch, type ReconcileReport } from '../../client/src/cluster/reconcile';
import { listUnits, type UnitStatus } from '../../client/src/cluster/units';
import { openCluster, readiness, remote, skip, tempDir, writeUnit } from './coreHelpers';

const EXAMPLES = path.join(projectRoot, 'examples', 'helloworld');
const MACHINES = ['core-01', 'core-02', 'core-03'];

async function activeEverywhere(machines: readonly string[]): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  await Promise.all(
    machines.map(async (m) => {
      const out = await remote(m, "systemctl list-units --plain --no-legend --state=active 'helloworld*' 'mover*' | awk '{print $1}'");
      result.set(m, out.split('\n').filter(Boolean));
    }),
  );
  return result;
}

function assertNoneTwice(live: Map<string, string[]>): void {
  const seen = new Map<string, string>();
  for (const [machine, units] of live) {
    for (const u of units) {
      assert.ok(!seen.has(u), `${u} runs on ${seen.get(u)} and ${machine}`);
      seen.set(u, machine);
    }
  }
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('cluster core: reconcile', { skip, timeout: 600_000 }, () => {
  let cluster: Cluster;
  let dir: string;
  const controller = new AbortController();
  const reports: ReconcileReport[] = [];
  let watching: Promise<void> | undefined;

  before(async () => {
    if (!readiness.ok) throw new Error(`CI=true, so the cluster tests must run, but: ${readiness.reason}`);
    await up({ machines: 3, docker: true });
    cluster = openCluster();
    const existing = await listUnits(cluster, { live: false });
    if (existing.length > 0) await destroy(cluster, existing.map((u) => u.name));
    dir = tempDir('uf-reconcile-');
    writeUnit(dir, 'mover.service', '[Service]\nExecStart=/bin/sleep infinity\n');
    writeUnit(dir, 'mover-sidekick.service', '[Unit]\nBindsTo=mover.service\nAfter=mover.service\n\n[Service]\nExecStart=/bin/sleep infinity\n\n[X-Fleet]\nMachineOf=mover.service\n');
  });

  after(async () => {
    controller.abort();
    await watching;
    try {
      const existing = await listUnits(cluster, { live: false });
      if (existing.length > 0) await destroy(cluster, existing.map((u) => u.name));
    } finally {
      await cluster?.close();
      fs.rmSync(dir, { recursive: true, force: true });
      await down();
    }
  });

  test('a power cut: the units of the dead machine and their sidekicks run elsewhere within seconds', async () => {
    const deployed = await start(cluster, [
      path.join(dir, 'mover.service'),
      path.join(dir, 'mover-sidekick.service'),
      ...[1, 2, 3].map((i) => path.join(EXAMPLES, `helloworld@${i}.service`)),
    ]);
    assert.deepEqual(deployed.failures, []);
    const victim = deployed.units.find((u) => u.name === 'mover.service')!.machines[0]!;
    const lostInstance = deployed.units.find((u) => u.name.startsWith('helloworld@') && u.machines[0] === victim)!.name;
    const watcher = openCluster();
    watching = reconcileWatch(watcher, { signal: controller.signal, onReport: (r) => reports.push(r) }).finally(() => watcher.close());
    await waitFor('the reconciler to be active', 20_000, async () => (reports.length > 0 ? true : undefined));

    const cut = Date.now();
    await kill(victim);
    const moved = await waitFor('mover and its sidekick to run elsewhere', 30_000, async () => {
      const units = await listUnits(cluster, { timeoutMs: 1_500 });
      const get = (n: string) => units.find((u) => u.name === n)!;
      const ok = (u: UnitStatus) => u.machines.length === 1 && u.machines[0] !== victim && u.states.some((s) => 'active' in s && s.active === 'active');
      return ok(get('mover.service')) && ok(get('mover-sidekick.service')) ? units : undefined;
    });
    const elapsed = Date.now() - cut;
    process.stderr.write(`  (power cut → units running elsewhere: ${elapsed} ms)\n`);
    const get = (n: string) => moved.find((u) => u.name === n)!;
    assert.deepEqual(get('mover-sidekick.service').machines, get('mover.service').machines, 'the sidekick moves with its target');
    assert.ok(elapsed < 15_000, `took ${elapsed} ms`);
    // The helloworld instance of the dead machine cannot move (Conflicts: the survivors each run one).
    assert.deepEqual(get(lostInstance).machines, []);
    const report = reports.find((r) => r.unplaced.some((u) => u.unit === lostInstance))!;
    assert.match(report.unplaced.find((u) => u.unit === lostInstance)!.reasons.join(' '), /conflicts with helloworld@/);
    assertNoneTwice(await activeEverywhere(MACHINES.filter((m) => m !== victim)));

    // The machine comes back: stale copies go, the lost instance returns to it, nothing runs twice.
    await startMachine(victim);
    const healed = await waitFor('the returning machine to be cleaned and used', 30_000, async () => {
      const units = await listUnits(cluster, { timeoutMs: 1_500 });
      const instance = units.find((u) => u.name === lostInstance)!;
      const live = await activeEverywhere(MACHINES);
      const clean = !live.get(victim)!.some((u) => u.startsWith('mover'));
      return instance.machines[0] === victim && live.get(victim)!.includes(lostInstance) && clean ? live : undefined;
    });
    assertNoneTwice(healed);
    assert.equal((await remote(victim, 'ls /etc/systemd/system/mover.service 2>/dev/null || echo gone')).trim(), 'gone');
  });

  test('only one reconciler acts at a time', async () => {
    // The watcher above is the active reconciler: a one-off pass must not run beside it.
    await assert.rejects(reconcileOnce(cluster, { waitMs: 1_500 }), /another reconciler is active/);
    controller.abort();
    await watching;
    const report = await reconcileOnce(cluster, { waitMs: 15_000 });
    assert.deepEqual(report.failures, []);
    assert.deepEqual(report.moved, []);
  });

  test('a partition: the cut-off machine stops its own copy before the unit starts elsewhere; healing removes it', async () => {
    const units = await listUnits(cluster, { live: false });
    const victim = units.find((u) => u.name === 'mover.service')!.machines[0]!;
    const watcher = openCluster();
    const stop = new AbortController();
    const watchingAgain = reconcileWatch(watcher, { signal: stop.signal }).finally(() => watcher.close());
    try {
      const cut = Date.now();
      await partition(victim);
      const moved = await waitFor('mover to run elsewhere', 40_000, async () => {
        const now = await listUnits(cluster, { timeoutMs: 1_500 });
        const mover = now.find((u) => u.name === 'mover.service')!;
        return mover.machines[0] !== victim && mover.states.some((st) => 'active' in st && st.active === 'active') ? mover.machines[0]! : undefined;
      });
      process.stderr.write(`  (partition → unit running elsewhere: ${Date.now() - cut} ms)\n`);
      await heal(victim);
      await waitFor('the stale copy to be removed', 30_000, async () =>
        (await remote(victim, 'ls /etc/unit-fleet/managed')).includes('mover.service') ? undefined : true,
      );
      // Fencing: the cut-off machine stopped its copy (its lease was lost) before the new one started.
      const stamp = async (machine: string, what: string) => {
        const out = await remote(machine, `journalctl --no-pager -o short-unix -u mover.service | grep '${what} mover.service' | tail -n1`);
        return Number(out.trim().split(' ')[0]);
      };
      const stoppedAt = await stamp(victim, 'Stopped');
      const startedAt = await stamp(moved, 'Started');
      assert.ok(stoppedAt > 0 && startedAt > 0, `${stoppedAt} ${startedAt}`);
      assert.ok(stoppedAt <= startedAt, `the copy on ${victim} stopped at ${stoppedAt}, after the one on ${moved} started at ${startedAt}`);
      assertNoneTwice(await activeEverywhere(MACHINES));
    } finally {
      stop.abort();
      await watchingAgain;
    }
  });
});
