// Deploy and lifecycle on the real local cluster, with fleet's [X-Fleet] placement: Conflicts,
// MachineOf sidekicks, MachineMetadata, Global, refusals with reasons, and concurrent deploys that
// never place a unit twice.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { down, projectRoot, up } from '../../harness/index';
import type { Cluster } from '../../client/src/cluster/cluster';
import { destroy, start } from '../../client/src/cluster/deploy';
import { listUnits } from '../../client/src/cluster/units';
import { cli, openCluster, readiness, remote, skip, tempDir, writeUnit } from './coreHelpers';

const EXAMPLES = path.join(projectRoot, 'examples', 'helloworld');
const MACHINES = ['core-01', 'core-02', 'core-03'];

/** Units placed by the registry, and what runs on each machine for real. */
async function running(pattern: string): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  await Promise.all(
    MACHINES.map(async (m) => {
      const out = await remote(m, `systemctl list-units --plain --no-legend --state=active '${pattern}' | awk '{print $1}'`);
      result.set(m, out.split('\n').filter(Boolean));
    }),
  );
  return result;
}

async function destroyAll(cluster: Cluster): Promise<void> {
  const units = await listUnits(cluster, { live: false });
  if (units.length > 0) await destroy(cluster, units.map((u) => u.name));
}

describe('cluster core: deploy and lifecycle', { skip, timeout: 600_000 }, () => {
  let cluster: Cluster;
  let dir: string;

  before(async () => {
    if (!readiness.ok) throw new Error(`CI=true, so the cluster tests must run, but: ${readiness.reason}`);
    await up({ machines: 3, docker: true });
    cluster = openCluster();
    await destroyAll(cluster);
    dir = tempDir('uf-units-');
    const sleeper = (fleet: string) => `[Unit]\nDescription=test unit %n\n\n[Service]\nExecStart=/bin/sleep infinity\n\n[X-Fleet]\n${fleet}\n`;
    writeUnit(dir, 'race@.service', sleeper('Conflicts=race@*.service'));
    writeUnit(dir, 'db.service', sleeper('MachineMetadata=role=db'));
    writeUnit(dir, 'ssd@.service', sleeper('MachineMetadata=disk=ssd\nConflicts=ssd@*.service'));
    writeUnit(dir, 'web-global.service', sleeper('Global=true\nMachineMetadata=role=web'));
    writeUnit(dir, 'gpu.service', sleeper('MachineMetadata=role=gpu'));
    writeUnit(dir, 'plain.service', sleeper(''));
  });

  after(async () => {
    try {
      await destroyAll(cluster);
    } finally {
      await cluster?.close();
      fs.rmSync(dir, { recursive: true, force: true });
      await down();
    }
  });

  test('start helloworld@{1..3} with Conflicts: one per machine, running under Docker', async () => {
    const args = [1, 2, 3].map((i) => path.join(EXAMPLES, `helloworld@${i}.service`));
    const started = Date.now();
    const result = await cli(['start', '--json', ...args]);
    assert.equal(result.code, 0, result.stderr);
    const out = JSON.parse(result.stdout) as { units: Array<{ name: string; machines: string[]; active: string }> };
    assert.deepEqual(out.units.map((u) => u.name), ['helloworld@1.service', 'helloworld@2.service', 'helloworld@3.service']);
    assert.deepEqual(out.units.flatMap((u) => u.machines).sort(), MACHINES);
    for (const u of out.units) assert.equal(u.active, 'active', `${u.name} should be active`);
    const live = await running('helloworld@*');
    for (const m of MACHINES) assert.equal(live.get(m)!.length, 1, `${m}: ${live.get(m)}`);
    const containers = await remote(out.units[0]!.machines[0]!, 'docker ps --format {{.Names}}');
    assert.match(containers, /^helloworld$/m);
    process.stderr.write(`  (start of 3 instances through the CLI: ${Date.now() - started} ms)\n`);
  });

  test('sidekicks land with their MachineOf target', async () => {
    const units = await listUnits(cluster, { live: false });
    const machineOf = (name: string) => units.find((u) => u.name === name)!.machines;
    const result = await cli(['start', ...[1, 2, 3].map((i) => path.join(EXAMPLES, `helloworld-sidekick@${i}.service`))]);
    assert.equal(result.code, 0, result.stderr);
    const after = await listUnits(cluster);
    for (const i of [1, 2, 3]) {
      const sidekick = after.find((u) => u.name === `helloworld-sidekick@${i}.service`)!;
      assert.deepEqual(sidekick.machines, machineOf(`helloworld@${i}.service`));
      assert.equal((sidekick.states[0] as { active: string }).active, 'active');
    }
  });

  test('list-units, list-unit-files, cat and status show what runs where', async () => {
    const list = await cli(['list-units']);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^UNIT\s+MACHINE\s+DESIRED\s+ACTIVE\s+SUB$/m);
    assert.match(list.stdout, /^helloworld@2\.service\s+core-0\d\s+launched\s+active\s+running$/m);
    const files = JSON.parse((await cli(['list-unit-files', '--json'])).stdout) as Array<{ name: string; template?: string }>;
    assert.equal(files.find((f) => f.name === 'helloworld@1.service')!.template, 'helloworld@.service');
    const cat = await cli(['cat', 'helloworld@1.service']);
    assert.equal(cat.stdout, fs.readFileSync(path.join(EXAMPLES, 'helloworld@.service'), 'utf8'));
    const status = await cli(['status', 'helloworld@1.service']);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /Active: active \(running\)/);
  });

  test('stop, start, restart, unload and destroy move through fleet\'s desired states', async () => {
    const unit = path.join(dir, 'plain.service');
    const machineOf = async () => (await listUnits(cluster)).find((u) => u.name === 'plain.service');
    assert.equal((await cli(['submit', unit])).code, 0);
    assert.deepEqual((await machineOf())!.machines, [], 'submitted units are not placed');
    assert.equal((await cli(['load', 'plain.service'])).code, 0);
    let u = (await machineOf())!;
    assert.equal(u.desired, 'loaded');
    assert.equal(u.machines.length, 1);
    const machine = u.machines[0]!;
    assert.equal((u.states[0] as { load: string; active: string }).load, 'loaded');
    assert.equal((u.states[0] as { active: string }).active, 'inactive');
    assert.equal((await cli(['start', 'plain.service'])).code, 0);
    u = (await machineOf())!;
    assert.equal(u.desired, 'launched');
    assert.deepEqual(u.machines, [machine], 'start keeps the placement of a loaded unit');
    const pid1 = (await remote(machine, 'systemctl show -p MainPID --value plain.service')).trim();
    assert.equal((await cli(['restart', 'plain.service'])).code, 0);
    const pid2 = (await remote(machine, 'systemctl show -p MainPID --value plain.service')).trim();
    assert.notEqual(pid1, pid2, 'restart gives a new process');
    assert.equal((await cli(['stop', 'plain.service'])).code, 0);
    assert.equal((await remote(machine, 'systemctl is-active plain.service || true')).trim(), 'inactive');
    assert.equal((await cli(['unload', 'plain.service'])).code, 0);
    u = (await machineOf())!;
    assert.equal(u.desired, 'inactive');
    assert.deepEqual(u.machines, []);
    assert.equal((await remote(machine, 'ls /etc/systemd/system/plain.service 2>/dev/null || echo gone')).trim(), 'gone');
    assert.equal((await cli(['destroy', 'plain.service'])).code, 0);
    assert.equal(await machineOf(), undefined);
    const missing = await cli(['stop', 'plain.service']);
    assert.equal(missing.code, 8);
    assert.match(missing.stderr, /no unit plain\.service in the cluster/);
  });

  test('MachineMetadata and Global place as specified', async () => {
    const result = await cli(['start', '--json', path.join(dir, 'db.service'), path.join(dir, 'ssd@1.service'), path.join(dir, 'ssd@2.service'), path.join(dir, 'web-global.service')]);
    assert.equal(result.code, 0, result.stderr);
    const units = JSON.parse(result.stdout) as { units: Array<{ name: string; machines: string[] }> };
    const where = (name: string) => units.units.find((u) => u.name === name)!.machines.sort();
    assert.deepEqual(where('db.service'), ['core-03']);
    assert.deepEqual([...where('ssd@1.service'), ...where('ssd@2.service')].sort(), ['core-01', 'core-03']);
    assert.deepEqual(where('web-global.service'), ['core-01', 'core-02']);
    const live = await running('web-global.service');
    assert.deepEqual([...live].filter(([, u]) => u.length > 0).map(([m]) => m).sort(), ['core-01', 'core-02']);
    assert.equal((await cli(['destroy', 'db.service', 'ssd@1.service', 'ssd@2.service', 'web-global.service'])).code, 0);
  });

  test('an unschedulable unit is refused with the reason, and not recorded', async () => {
    const result = await cli(['start', path.join(dir, 'gpu.service')]);
    assert.equal(result.code, 7, result.stderr);
    assert.match(result.stderr, /gpu\.service cannot be placed: .*role/);
    assert.equal((await listUnits(cluster, { live: false })).some((u) => u.name === 'gpu.service'), false);
    // A 4th instance of a Conflicts template on 3 machines, likewise.
    const four = await cli(['start', ...[1, 2, 3, 4].map((i) => path.join(dir, `race@${i}.service`))]);
    assert.equal(four.code, 7, four.stderr);
    assert.match(four.stderr, /race@4\.service cannot be placed/);
    assert.equal((await cli(['destroy', 'race@1.service', 'race@2.service', 'race@3.service'])).code, 0);
  });

  test('two concurrent deploys never double-place (20 races through the core, 3 through the CLI)', async () => {
    const other = openCluster();
    try {
      for (let round = 0; round < 20; round++) {
        const a = [1, 2, 3].map((i) => path.join(dir, `race@${i}.service`));
        const b = [4, 5, 6].map((i) => path.join(dir, `race@${i}.service`));
        const [ra, rb] = await Promise.all([start(cluster, round % 2 ? a : b), start(other, round % 2 ? b : a)]);
        const placed = [...ra.units, ...rb.units].filter((u) => u.machines.length > 0);
        assert.equal(placed.length, 3, `round ${round}: ${JSON.stringify(placed)}`);
        assert.deepEqual(placed.flatMap((u) => u.machines).sort(), MACHINES, `round ${round}: one per machine`);
        assert.equal(ra.unschedulable.length + rb.unschedulable.length, 3);
        const registry = (await listUnits(cluster, { live: false })).filter((u) => u.name.startsWith('race@'));
        assert.deepEqual(registry.flatMap((u) => u.machines).sort(), MACHINES);
        const live = await running('race@*');
        for (const m of MACHINES) assert.ok(live.get(m)!.length <= 1, `round ${round}: ${m} runs ${live.get(m)}`);
        await destroy(cluster, registry.map((u) => u.name));
      }
      for (let round = 0; round < 3; round++) {
        const [ra, rb] = await Promise.all([
          cli(['start', ...[1, 2, 3].map((i) => path.join(dir, `race@${i}.service`))]),
          cli(['start', ...[4, 5, 6].map((i) => path.join(dir, `race@${i}.service`))]),
        ]);
        assert.ok([ra.code, rb.code].every((c) => c === 0 || c === 7), `${ra.stderr}\n${rb.stderr}`);
        const registry = (await listUnits(cluster, { live: false })).filter((u) => u.name.startsWith('race@'));
        assert.deepEqual(registry.flatMap((u) => u.machines).sort(), MACHINES);
        const live = await running('race@*');
        for (const m of MACHINES) assert.equal(live.get(m)!.length, 1, `CLI round ${round}: ${m} runs ${live.get(m)}`);
        await destroy(cluster, registry.map((u) => u.name));
      }
    } finally {
      await other.close();
    }
  });
});
