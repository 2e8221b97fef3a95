// Cluster core on the real local cluster: the definition, SSH with host key checks, machines and
// their liveness (presence leases), through the unit-fleet CLI and the core API.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { down, up } from '../../harness/index';
import { Cluster } from '../../client/src/cluster/cluster';
import { loadDefinition } from '../../client/src/cluster/definition';
import { cli, definitionFile, openCluster, paths, readiness, skip, tempDir } from './coreHelpers';

describe('cluster core: machines and ssh', { skip, timeout: 180_000 }, () => {
  before(async () => {
    if (!readiness.ok) throw new Error(`CI=true, so the cluster tests must run, but: ${readiness.reason}`);
    await up({ machines: 3, docker: true });
  });
  after(async () => {
    await down();
  });

  test('list-machines shows the 3 machines with their ids, systemd version and metadata (--json and table)', async () => {
    const definition = JSON.parse(fs.readFileSync(definitionFile, 'utf8')) as { machines: Array<{ name: string; machineId: string }> };
    const json = await cli(['list-machines', '--json']);
    assert.equal(json.code, 0, json.stderr);
    const machines = JSON.parse(json.stdout) as Array<{ name: string; machineId: string; systemdVersion: string; hostname: string; reachable: boolean; metadata: Record<string, string> }>;
    assert.deepEqual(machines.map((m) => m.name), ['core-01', 'core-02', 'core-03']);
    for (const m of machines) {
      assert.equal(m.machineId, definition.machines.find((d) => d.name === m.name)!.machineId);
      assert.equal(m.hostname, m.name);
      assert.match(m.systemdVersion, /^\d+$/);
      assert.equal(m.reachable, true);
    }
    assert.deepEqual(machines[2]!.metadata, { role: 'db', disk: 'ssd' });
    const text = await cli(['list-machines']);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^MACHINE\s+ID\s+ADDRESS\s+STATE/);
    assert.match(text.stdout, /core-02\s+[0-9a-f]{8}\s+10\.213\.0\.12\s+alive/);
  });

  test('join installs the presence unit: each machine keeps a leased key in etcd', async () => {
    const cluster = openCluster();
    try {
      const result = await cluster.join();
      assert.deepEqual(result.failed, []);
      const machines = await cluster.listMachines();
      // The presence key appears within a second of the unit starting.
      for (let i = 0; i < 20 && !machines.every((m) => m.presence); i++) {
        await new Promise((r) => setTimeout(r, 250));
        machines.splice(0, machines.length, ...(await cluster.listMachines()));
      }
      for (const m of machines) {
        assert.equal(m.presenceUnitActive, true, `${m.name}: presence unit`);
        assert.equal(m.presence, true, `${m.name}: presence key`);
        assert.equal(m.alive, true);
      }
      const lease = await cluster.etcd.get(cluster.keys.machine(machines[0]!.machineId!)).exec();
      assert.ok(Number(lease.kvs[0]!.lease) !== 0, 'the presence key must hang on a lease');
    } finally {
      await cluster.close();
    }
  });

  test('an unknown host key is refused, and trusted (and recorded) only with --trust-host-key', async () => {
    const dir = tempDir('uf-hostkey-');
    try {
      const definition = JSON.parse(fs.readFileSync(definitionFile, 'utf8')) as { machines: unknown[]; ssh: { knownHostsFile: string } };
      definition.machines = definition.machines.slice(0, 1);
      definition.ssh.knownHostsFile = path.join(dir, 'known_hosts');
      const file = path.join(dir, 'cluster.json');
      fs.writeFileSync(file, JSON.stringify(definition));
      fs.writeFileSync(definition.ssh.knownHostsFile, '');
      const refused = await cli(['list-machines'], { definition: file });
      assert.equal(refused.code, 5, 'a refused host key makes list-machines exit 5');
      assert.match(refused.stderr, /host key of core-01 .* is not known \(ssh-ed25519 SHA256:[A-Za-z0-9+/]{43} is not in/);
      const trusted = await cli(['list-machines', '--trust-host-key'], { definition: file });
      assert.equal(trusted.code, 0, trusted.stderr);
      assert.match(fs.readFileSync(definition.ssh.knownHostsFile, 'utf8'), /^10\.213\.0\.11 ssh-ed25519 AAAA/);
      const again = await cli(['list-machines'], { definition: file });
      assert.equal(again.code, 0, again.stderr);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a changed host key is refused, naming both fingerprints', async () => {
    const dir = tempDir('uf-hostkey-');
    try {
      const definition = JSON.parse(fs.readFileSync(definitionFile, 'utf8')) as { machines: unknown[]; ssh: { knownHostsFile: string } };
      // core-01 is expected to present core-02's key: as if core-01 had been replaced.
      const lines = fs.readFileSync(paths.knownHosts, 'utf8').trim().split('\n');
      const key02 = lines.find((l) => l.startsWith('core-02'))!.split(' ').slice(1).join(' ');
      definition.ssh.knownHostsFile = path.join(dir, 'known_hosts');
      fs.writeFileSync(definition.ssh.knownHostsFile, `core-01,10.213.0.11 ${key02}\n`);
      const file = path.join(dir, 'cluster.json');
      fs.writeFileSync(file, JSON.stringify({ ...definition, machines: definition.machines.slice(0, 1) }));
      for (const args of [['list-machines'], ['list-machines', '--trust-host-key']]) {
        const result = await cli(args, { definition: file });
        assert.equal(result.code, 5);
        assert.match(result.stderr, /host key of core-01 .* has CHANGED: it presents ssh-ed25519 (SHA256:\S+), but .* expects ssh-ed25519 (SHA256:\S+)/);
        const [, presented, expected] = /presents ssh-ed25519 (SHA256:\S+), but .* expects ssh-ed25519 (SHA256:\S+?)\./.exec(result.stderr)!;
        assert.notEqual(presented, expected);
      }
      // The core reports it as a host-key error.
      const cluster = new Cluster(loadDefinition(file), { secrets: { env: {} }, trustUnknownHostKey: () => true });
      try {
        await assert.rejects(cluster.ssh.run('core-01', ['true']), (error: Error & { kind?: string }) => error.kind === 'host-key');
      } finally {
        await cluster.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('an unreachable machine and a refused login are reported in plain words', async () => {
    const dir = tempDir('uf-ssh-');
    try {
      const definition = JSON.parse(fs.readFileSync(definitionFile, 'utf8')) as { machines: Array<Record<string, unknown>>; ssh: Record<string, unknown> };
      const other = path.join(dir, 'other_key');
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
      definition.machines = [
        { ...definition.machines[0], identityFile: other },
        { name: 'ghost', host: '10.213.0.99', identityFile: paths.identity },
      ];
      definition.ssh.connectTimeoutMs = 1000;
      const file = path.join(dir, 'cluster.json');
      fs.writeFileSync(file, JSON.stringify(definition));
      const result = await cli(['list-machines', '--json'], { definition: file });
      assert.equal(result.code, 4);
      const machines = JSON.parse(result.stdout) as Array<{ name: string; error: string; reachable: boolean }>;
      assert.match(machines[0]!.error, /core-01 .* refused the login/);
      assert.match(machines[1]!.error, /ghost .* (did not answer within 1000 ms|is unreachable)/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('an invalid definition is reported with the offending property (exit 3)', async () => {
    const dir = tempDir('uf-def-');
    try {
      const file = path.join(dir, 'cluster.json');
      fs.writeFileSync(file, JSON.stringify({ name: 'x', machines: [{ name: 'a', host: 'h', port: 70000 }], etcd: { endpoints: ['http://h:2379'] } }));
      const result = await cli(['list-machines'], { definition: file });
      assert.equal(result.code, 3);
      assert.match(result.stderr, /\/machines\/0\/port must be <= 65535/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
