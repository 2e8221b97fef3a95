// Docker through the cluster core on the real local cluster: containers per machine over the
// pooled SSH connection, linked to the unit that runs them, and their logs.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { down, projectRoot, up } from '../../harness/index';
import { cli, destroyAllUnits, readiness, skip } from './coreHelpers';

const EXAMPLES = path.join(projectRoot, 'examples', 'helloworld');

describe('cluster core: Docker containers', { skip, timeout: 300_000 }, () => {
  before(async () => {
    if (!readiness.ok) throw new Error(`CI=true, so the cluster tests must run, but: ${readiness.reason}`);
    await up({ machines: 3, docker: true });
    await destroyAllUnits();
  });
  after(async () => {
    await cli(['destroy', 'helloworld@1.service']);
    await down();
  });

  test('containers are listed per machine and linked to their unit; logs come back', async () => {
    const started = await cli(['start', '--json', path.join(EXAMPLES, 'helloworld@1.service')]);
    assert.equal(started.code, 0, started.stderr);
    const machine = (JSON.parse(started.stdout) as { units: Array<{ machines: string[] }> }).units[0]!.machines[0]!;
    const listed = await cli(['containers', '--json']);
    assert.equal(listed.code, 0, listed.stderr);
    const result = JSON.parse(listed.stdout) as Array<{ machine: string; containers: Array<{ name: string; unit?: string; image: string; state: string }> }>;
    assert.deepEqual(result.map((m) => m.machine), ['core-01', 'core-02', 'core-03']);
    const hello = result.find((m) => m.machine === machine)!.containers.find((c) => c.name === 'helloworld')!;
    assert.equal(hello.unit, 'helloworld@1.service');
    assert.equal(hello.image, 'unit-fleet/hello:latest');
    assert.equal(hello.state, 'running');
    for (const m of result.filter((x) => x.machine !== machine)) assert.ok(!m.containers.some((c) => c.unit), `${m.machine} runs no unit's container`);
    const table = await cli(['containers', machine]);
    assert.match(table.stdout, /^MACHINE\s+CONTAINER\s+ID\s+IMAGE\s+STATE\s+UNIT\s+PORTS$/m);
    assert.match(table.stdout, new RegExp(`^${machine}\\s+helloworld\\s+[0-9a-f]{12}\\s+unit-fleet/hello:latest\\s+running\\s+helloworld@1\\.service`, 'm'));
    const logs = await cli(['containers', 'logs', machine, 'helloworld', '--lines', '5']);
    assert.equal(logs.code, 0, logs.stderr);
    assert.match(logs.stdout, /serving on port 3000/);
    const missing = await cli(['containers', 'logs', machine, 'nope']);
    assert.equal(missing.code, 8);
    assert.match(missing.stderr, /no container nope on core-0\d/);
  });
});
