// The parts of the harness that need no root: the cluster definition format and its schema, the
// machine plan, ssh files and quoting, etcd configuration, the image, and the readiness check.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { localDefinition } from '../../harness/definition';
import { etcdEnvironment } from '../../harness/etcd';
import { buildImage, IMAGE_NAME, imageIdOf } from '../../harness/image';
import { canRunCluster } from '../../harness/preflight';
import { clusterPaths } from '../../harness/paths';
import { knownHostsText, shellQuote, sshConfigText } from '../../harness/ssh';
import type { ClusterState } from '../../harness/state';
import { planMachines } from '../../harness/topology';
import { definitionErrors, schema } from './definitionSchema';

function fakeState(machines = 3): ClusterState {
  const paths = clusterPaths('/srv/project');
  return {
    version: 1,
    options: { machines, docker: true, etcdV2: false },
    projectRoot: '/srv/project',
    createdAt: new Date(0).toISOString(),
    bridge: 'uf-br0',
    machines: planMachines(machines).map((machine, i) => ({
      ...machine,
      machineId: String(i + 1).repeat(32).slice(0, 32),
      status: 'running',
      partitioned: false,
      dir: path.join(paths.machines, machine.name),
      root: path.join(paths.machines, machine.name, 'root'),
      disk: path.join(paths.disks, machine.name),
      log: path.join(paths.logs, `${machine.name}.log`),
    })),
  };
}

describe('machine plan', () => {
  test('defaults to core-01..03 on 10.213.0.11-13 with metadata that differs', () => {
    const plan = planMachines(3);
    assert.deepEqual(plan.map((m) => m.name), ['core-01', 'core-02', 'core-03']);
    assert.deepEqual(plan.map((m) => m.address), ['10.213.0.11', '10.213.0.12', '10.213.0.13']);
    assert.deepEqual(plan.map((m) => m.metadata), [
      { role: 'web', disk: 'ssd' },
      { role: 'web', disk: 'hdd' },
      { role: 'db', disk: 'ssd' },
    ]);
  });

  test('names fit the kernel limit on interface names and stay unique', () => {
    const plan = planMachines(50);
    assert.equal(new Set(plan.map((m) => m.veth)).size, 50);
    assert.equal(new Set(plan.map((m) => m.address)).size, 50);
    for (const machine of plan) assert.ok(machine.veth.length <= 15, machine.veth);
  });

  test('rejects impossible machine counts', () => {
    assert.throws(() => planMachines(0), /from 1 to 50/);
    assert.throws(() => planMachines(51), /from 1 to 50/);
    assert.throws(() => planMachines(2.5), /integer/);
  });
});

describe('cluster definition file', () => {
  test('the schema example is valid', () => {
    const examples = schema.examples as unknown[];
    assert.ok(examples.length > 0);
    for (const example of examples) assert.deepEqual(definitionErrors(example), []);
  });

  test('what the harness writes is valid, with paths and no secrets', () => {
    const definition = localDefinition(fakeState(), clusterPaths('/srv/project'));
    assert.deepEqual(definitionErrors(definition), []);
    assert.equal(definition.$schema, '../schemas/cluster.schema.json');
    assert.equal(definition.machines[0]!.identityFile, '/srv/project/.cluster/id_ed25519');
    assert.deepEqual(definition.etcd.endpoints, ['http://10.213.0.11:2379', 'http://10.213.0.12:2379', 'http://10.213.0.13:2379']);
    assert.doesNotMatch(JSON.stringify(definition), /password"|passphrase"|BEGIN OPENSSH PRIVATE KEY/i);
  });

  test('the $schema path written by up resolves to the schema from .cluster/', () => {
    const paths = clusterPaths();
    assert.ok(fs.existsSync(path.resolve(paths.dir, localDefinition(fakeState(), paths).$schema!)));
  });

  test('secrets are refused; only the names of variables holding them are allowed', () => {
    const base = { name: 'prod', etcd: { endpoints: ['https://etcd.example:2379'] } };
    assert.deepEqual(
      definitionErrors({
        ...base,
        defaults: { user: 'core', identityFile: '~/.ssh/id_ed25519', passphraseEnv: 'FLEET_KEY_PASSPHRASE' },
        machines: [{ name: 'web-1', host: 'web-1.example', passwordEnv: 'WEB1_PASSWORD', agent: true }],
      }),
      [],
    );
    assert.notDeepEqual(definitionErrors({ ...base, machines: [{ name: 'web-1', host: 'h', password: 'hunter2' }] }), []);
    assert.notDeepEqual(definitionErrors({ ...base, machines: [{ name: 'web-1', host: 'h', passwordEnv: 'not a name' }] }), []);
    assert.notDeepEqual(definitionErrors({ ...base, machines: [{ name: 'web-1', host: 'h' }], etcd: { ...base.etcd, password: 'x' } }), []);
  });

  test('mistakes are reported where they are', () => {
    const errors = (definition: unknown) => definitionErrors(definition).join('\n');
    const machines = [{ name: 'a', host: 'h' }];
    assert.match(errors({ name: 'x', machines: [{ name: 'a', host: 'h', port: 70000 }], etcd: { endpoints: ['http://h:2379'] } }), /\/machines\/0\/port/);
    assert.match(errors({ name: 'x', machines: [], etcd: { endpoints: ['http://h:2379'] } }), /\/machines must NOT have fewer than 1/);
    assert.match(errors({ name: 'x', machines, etcd: { endpoints: ['h:2379'] } }), /\/etcd\/endpoints\/0/);
    assert.match(errors({ name: 'x', machines, etcd: { endpoints: ['http://h:2379'], prefix: 'fleet' } }), /\/etcd\/prefix/);
    assert.match(errors({ name: 'x', machines, etcd: { endpoints: ['http://h:2379'], certFile: 'c.pem' } }), /keyFile/);
    assert.match(errors({ name: 'x', machines: [{ name: 'a', host: 'h', metadata: { role: 1 } }], etcd: { endpoints: ['http://h:2379'] } }), /metadata\/role/);
    assert.match(errors({ name: 'x', machines, etcd: { endpoints: ['http://h:2379'] }, docker: {} }), /enabled/);
    assert.deepEqual(definitionErrors({ name: 'x', machines, etcd: { endpoints: ['http://h:2379'] }, 'x-owner': 'ops' }), []);
  });
});

describe('ssh files', () => {
  const targets = [
    { name: 'core-01', address: '10.213.0.11', hostKey: 'ssh-ed25519 AAAAkey1 root@core-01' },
    { name: 'core-02', address: '10.213.0.12', hostKey: 'ssh-ed25519 AAAAkey2 root@core-02' },
  ];

  test('known_hosts names each key by machine name and address', () => {
    assert.equal(knownHostsText(targets), 'core-01,10.213.0.11 ssh-ed25519 AAAAkey1\ncore-02,10.213.0.12 ssh-ed25519 AAAAkey2\n');
  });

  test('ssh config checks host keys strictly against our known_hosts only', () => {
    const text = sshConfigText(targets, { config: '/c', knownHosts: '/k', identity: '/i', connectTimeoutSeconds: 5 });
    assert.match(text, /^Host core-02\n {2}HostName 10\.213\.0\.12$/m);
    assert.match(text, /StrictHostKeyChecking yes/);
    assert.match(text, /UserKnownHostsFile \/k/);
    assert.match(text, /GlobalKnownHostsFile \/dev\/null/);
    assert.match(text, /IdentityFile \/i\n {2}IdentitiesOnly yes/);
    assert.match(text, /BatchMode yes/);
  });

  test('remote arguments arrive unchanged through a shell', () => {
    const args = ['printf', '%s|', 'plain', 'two words', "it's", '$HOME', '`id`', 'a;b', '', '*', 'x"y', 'new\nline'];
    const out = execFileSync('/bin/sh', ['-c', args.map(shellQuote).join(' ')], { encoding: 'utf8' });
    assert.equal(out, `${args.slice(2).join('|')}|`);
  });
});

describe('etcd member configuration', () => {
  test('every member knows all peers; v2 only when asked', () => {
    const plan = planMachines(3);
    const env = etcdEnvironment(plan[1]!, plan, false);
    assert.match(env, /^ETCD_NAME=core-02$/m);
    assert.match(env, /^ETCD_INITIAL_CLUSTER=core-01=http:\/\/10\.213\.0\.11:2380,core-02=http:\/\/10\.213\.0\.12:2380,core-03=http:\/\/10\.213\.0\.13:2380$/m);
    assert.match(env, /^ETCD_LISTEN_CLIENT_URLS=http:\/\/10\.213\.0\.12:2379,http:\/\/127\.0\.0\.1:2379$/m);
    assert.match(env, /^ETCD_ADVERTISE_CLIENT_URLS=http:\/\/10\.213\.0\.12:2379$/m);
    assert.match(env, /^ETCD_ENABLE_V2=false$/m);
    assert.match(etcdEnvironment(plan[1]!, plan, true), /^ETCD_ENABLE_V2=true$/m);
  });
});

describe('local image', () => {
  const haveBusybox = fs.existsSync('/bin/busybox');
  test('is a docker-save archive of static busybox, built the same way every time', { skip: haveBusybox || process.env.CI === 'true' ? false : 'no /bin/busybox (Debian busybox-static) on this host' }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'unit-fleet-image-'));
    try {
      const first = await buildImage(path.join(dir, 'a'));
      fs.mkdirSync(path.join(dir, 'b'));
      const second = await buildImage(path.join(dir, 'b'));
      assert.deepEqual(fs.readFileSync(first), fs.readFileSync(second), 'two builds differ');
      assert.equal(await imageIdOf(first), await imageIdOf(second));
      const manifest = JSON.parse(execFileSync('tar', ['-xOf', first, './manifest.json'], { encoding: 'utf8' })) as { RepoTags: string[]; Layers: string[] }[];
      assert.deepEqual(manifest[0]!.RepoTags, [IMAGE_NAME]);
      const layer = execFileSync('tar', ['-xOf', first, `./${manifest[0]!.Layers[0]}`], { maxBuffer: 64 * 1024 * 1024 });
      const layerFile = path.join(dir, 'layer.tar');
      fs.writeFileSync(layerFile, layer);
      const files = execFileSync('tar', ['-tvf', layerFile], { encoding: 'utf8' });
      assert.match(files, /\.\/bin\/busybox$/m);
      assert.match(files, /\.\/bin\/httpd -> busybox$/m);
      assert.match(files, /\.\/hello\/start\.sh$/m);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('readiness check', () => {
  test('answers ok, or not ok with a reason a person can act on', () => {
    const readiness = canRunCluster();
    if (readiness.ok) return;
    assert.ok(readiness.reason.length > 10, readiness.reason);
    assert.match(readiness.reason, /needs|no |missing|cannot/);
  });
});
