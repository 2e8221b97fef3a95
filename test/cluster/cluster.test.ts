// The local cluster for real: three systemd-nspawn machines with sshd, a 3-member etcd and Docker.
// One `up` serves the whole file; `down` runs in `after` even when a test fails. Needs root on
// Linux: elsewhere the suite is skipped with the reason, except under CI=true, where it fails.
//
// The tests take over the project's local cluster: a cluster left up by `npm run cluster:up` is
// removed first.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  canRunCluster,
  clusterPaths,
  down,
  etcdctl,
  heal,
  IMAGE_NAME,
  IMAGE_PORT,
  kill,
  partition,
  readState,
  sshRun,
  start,
  status,
  stop,
  tcpOpen,
  up,
  type ClusterDefinition,
  type UpResult,
} from '../../harness/index';
import { createCgroups, machineCgroups } from '../../harness/cgroups';
import { tryRun, waitFor } from '../../harness/exec';
import { createMachineNetwork, ensureBridge } from '../../harness/network';
import { mountRoot } from '../../harness/rootfs';
import { planMachines } from '../../harness/topology';
import { definitionErrors } from './definitionSchema';
import { alive, hostSnapshot, type HostSnapshot } from './hostSnapshot';

const readiness = canRunCluster({ docker: true });
const inCI = process.env.CI === 'true';
const skip = !readiness.ok && !inCI ? `cannot run the local cluster: ${readiness.reason}` : false;

const paths = clusterPaths();
const ENDPOINTS = ['http://10.213.0.11:2379', 'http://10.213.0.12:2379', 'http://10.213.0.13:2379'];
const endpointOf = (machine: string) => ENDPOINTS[Number(machine.slice(-2)) - 1]!;
const netnsOf = (machine: string) => `unit-fleet-${machine}`;
const KEY = '/harness-test/';

/** etcdctl against one member's own store (serializable read: no leader round trip). */
async function localGet(machine: string, key: string, viaNetns = false): Promise<string> {
  const args = ['get', '--consistency=s', '--print-value-only', key];
  const result = viaNetns
    ? await tryRun('ip', ['netns', 'exec', netnsOf(machine), 'etcdctl', '--endpoints', 'http://127.0.0.1:2379', '--command-timeout', '2s', ...args], {
        env: { ETCDCTL_API: '3' },
      })
    : await etcdctl([endpointOf(machine)], args);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout.trim();
}

async function put(endpoints: readonly string[], key: string, value: string): Promise<void> {
  const result = await etcdctl(endpoints, ['put', key, value]);
  assert.equal(result.code, 0, `put ${key} failed: ${result.stderr}`);
}

function httpGet(url: string, timeoutMs = 2000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { timeout: timeoutMs }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('timeout', () => request.destroy(new Error(`GET ${url} timed out`)));
    request.on('error', reject);
  });
}

async function ssh(machine: string, argv: string[]): Promise<string> {
  const result = await sshRun(paths.sshConfig, machine, argv, { timeoutMs: 30_000 });
  assert.equal(result.code, 0, `ssh ${machine} ${argv.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

test('this host can run the local cluster (required under CI=true)', { skip }, () => {
  if (!readiness.ok) assert.fail(`CI=true, so the cluster tests must run, but: ${readiness.reason}`);
});

describe('local cluster', { skip, timeout: 240_000 }, () => {
  let before0: HostSnapshot;
  let result: UpResult;
  const nspawnPids = new Set<number>();
  const rememberPids = () => {
    for (const machine of readState(paths.state)?.machines ?? []) if (machine.pid) nspawnPids.add(machine.pid);
  };

  before(async () => {
    if (!readiness.ok) throw new Error(`CI=true, so the cluster tests must run, but: ${readiness.reason}`);
    await down();
    before0 = hostSnapshot();
    result = await up({ machines: 3, docker: true });
    rememberPids();
  });

  after(async () => {
    await down();
  });

  test('up writes a valid cluster definition, an ssh config and known_hosts, and says where', () => {
    assert.equal(result.definitionFile, path.join(paths.dir, 'cluster.json'));
    const definition = JSON.parse(fs.readFileSync(result.definitionFile, 'utf8')) as ClusterDefinition;
    assert.deepEqual(definitionErrors(definition), []);
    assert.deepEqual(definition.machines.map((m) => [m.name, m.host]), [
      ['core-01', '10.213.0.11'],
      ['core-02', '10.213.0.12'],
      ['core-03', '10.213.0.13'],
    ]);
    assert.equal(new Set(definition.machines.map((m) => JSON.stringify(m.metadata))).size, 3, 'metadata should differ');
    assert.deepEqual(definition.etcd.endpoints, ENDPOINTS);
    assert.equal(definition.docker?.enabled, true);
    for (const file of [definition.ssh!.knownHostsFile!, definition.machines[0]!.identityFile!, result.sshConfig]) assert.ok(fs.existsSync(file), file);
    assert.equal(fs.statSync(paths.identity).mode & 0o077, 0, 'the private key must not be readable by others');
  });

  test('ssh reaches every machine with strict host key checking, and machine-ids differ', async () => {
    const definition = JSON.parse(fs.readFileSync(result.definitionFile, 'utf8')) as ClusterDefinition;
    const ids = new Set<string>();
    for (const machine of definition.machines) {
      const [hostname, machineId] = (await ssh(machine.name, ['sh', '-c', 'hostname; cat /etc/machine-id'])).trim().split('\n');
      assert.equal(hostname, machine.name);
      assert.equal(machineId, machine.machineId);
      ids.add(machineId!);
    }
    assert.equal(ids.size, 3);
    // Strictness: the same login with an empty known_hosts file must be refused.
    const emptyKnownHosts = path.join(paths.dir, 'known_hosts.empty');
    fs.writeFileSync(emptyKnownHosts, '');
    try {
      const refused = await tryRun('ssh', ['-F', paths.sshConfig, '-o', `UserKnownHostsFile=${emptyKnownHosts}`, 'core-01', 'true']);
      assert.notEqual(refused.code, 0);
      assert.match(refused.stderr, /host key/i);
    } finally {
      fs.rmSync(emptyKnownHosts, { force: true });
    }
  });

  test('etcd reports 3 healthy members', async () => {
    const health = await etcdctl(ENDPOINTS, ['endpoint', 'health']);
    assert.equal(health.code, 0, health.stderr);
    assert.equal((health.stdout + health.stderr).match(/is healthy/g)?.length, 3);
    const members = await etcdctl(ENDPOINTS, ['member', 'list', '--write-out', 'json']);
    const list = (JSON.parse(members.stdout) as { members: { name: string; clientURLs: string[] }[] }).members;
    assert.deepEqual(list.map((m) => m.name).sort(), ['core-01', 'core-02', 'core-03']);
    assert.deepEqual(list.map((m) => m.clientURLs[0]).sort(), ENDPOINTS);
  });

  test('the local image is on every machine and answers on its port under Docker', async () => {
    const ids = new Set<string>();
    for (const machine of ['core-01', 'core-02', 'core-03']) ids.add((await ssh(machine, ['docker', 'image', 'inspect', '--format', '{{.Id}}', IMAGE_NAME])).trim());
    assert.equal(ids.size, 1, 'every machine should have the same image');
    await ssh('core-01', ['docker', 'run', '-d', '--name', 'hello-test', '-p', `${IMAGE_PORT}:${IMAGE_PORT}`, '-e', 'MACHINE=core-01', IMAGE_NAME]);
    try {
      const page = await waitFor('the container to answer', 15_000, async () => {
        const response = await httpGet(`http://10.213.0.11:${IMAGE_PORT}/`);
        return response.status === 200 ? response.body : undefined;
      });
      assert.match(page, /^hello from unit-fleet\/hello: machine=core-01 container=[0-9a-f]{12}$/m);
    } finally {
      await ssh('core-01', ['docker', 'rm', '-f', 'hello-test']);
    }
  });

  test('up again is a no-op on a running cluster', async () => {
    const ids = readState(paths.state)!.machines.map((m) => m.machineId);
    const again = await up({ machines: 3, docker: true });
    assert.equal(again.reused, true);
    assert.deepEqual(again.state.machines.map((m) => m.machineId), ids);
    await assert.rejects(up({ machines: 2, docker: true }), /already up with 3 machines/);
  });

  test('kill cuts the power: the machine is unreachable and etcd keeps quorum', async () => {
    await kill('core-02');
    const report = await status();
    const core02 = report.machines.find((m) => m.name === 'core-02')!;
    assert.equal(core02.status, 'killed');
    assert.equal(core02.running, false);
    assert.equal(fs.existsSync(machineCgroups('core-02').unified), false);
    assert.equal(await tcpOpen('10.213.0.12', 22, 1000), false);
    const refused = await tryRun('ssh', ['-F', paths.sshConfig, '-o', 'ConnectTimeout=2', 'core-02', 'true'], { timeoutMs: 20_000 });
    assert.notEqual(refused.code, 0);
    await put([endpointOf('core-01'), endpointOf('core-03')], `${KEY}while-killed`, 'written-while-core-02-was-off');
  });

  test('start brings the machine back and its etcd member catches up', async () => {
    const machineId = readState(paths.state)!.machines[1]!.machineId;
    await start('core-02');
    rememberPids();
    assert.equal((await ssh('core-02', ['cat', '/etc/machine-id'])).trim(), machineId, 'same machine, same disk');
    const value = await waitFor('core-02 to catch up', 15_000, async () => (await localGet('core-02', `${KEY}while-killed`)) || undefined);
    assert.equal(value, 'written-while-core-02-was-off');
    const health = await etcdctl(ENDPOINTS, ['endpoint', 'health']);
    assert.equal((health.stdout + health.stderr).match(/is healthy/g)?.length, 3);
  });

  test('stop shuts a machine down gracefully, and start boots it again', async () => {
    assert.equal(await stop('core-03'), 'graceful');
    assert.equal(await tcpOpen('10.213.0.13', 22, 1000), false);
    await put([endpointOf('core-01'), endpointOf('core-02')], `${KEY}while-stopped`, 'yes');
    await start('core-03');
    rememberPids();
    assert.equal(await waitFor('core-03 to catch up', 15_000, async () => (await localGet('core-03', `${KEY}while-stopped`)) || undefined), 'yes');
  });

  test('partition isolates a machine; the majority goes on; heal reconnects it and it catches up', async () => {
    await partition('core-03');
    assert.equal(await tcpOpen('10.213.0.13', 22, 1000), false, 'the host must not reach a partitioned machine');
    assert.equal((await status()).machines.find((m) => m.name === 'core-03')!.partitioned, true);
    await put([endpointOf('core-01'), endpointOf('core-02')], `${KEY}during-partition`, 'majority');
    // Inside the isolated machine's own namespace: no quorum, and the new key is not there.
    assert.equal(await localGet('core-03', `${KEY}during-partition`, true), '');
    const isolatedPut = await tryRun(
      'ip',
      ['netns', 'exec', netnsOf('core-03'), 'etcdctl', '--endpoints', 'http://127.0.0.1:2379', '--command-timeout', '2s', 'put', `${KEY}minority`, 'x'],
      { env: { ETCDCTL_API: '3' } },
    );
    assert.notEqual(isolatedPut.code, 0, 'a partitioned member must not accept writes');

    await heal('core-03');
    await waitFor('core-03 to be reachable', 10_000, async () => ((await tcpOpen('10.213.0.13', 22, 500)) ? true : undefined));
    assert.equal(await waitFor('core-03 to catch up', 15_000, async () => (await localGet('core-03', `${KEY}during-partition`)) || undefined), 'majority');
    assert.equal((await ssh('core-03', ['hostname'])).trim(), 'core-03');
  });

  test('down leaves nothing behind, and down again is fine', async () => {
    rememberPids();
    assert.ok(nspawnPids.size >= 5, `expected the pids of every boot, got ${[...nspawnPids].join(' ')}`);
    const removed = await down();
    assert.equal(removed.removed, true);
    const now = hostSnapshot();
    assert.deepEqual(now.mounts, before0.mounts, 'mounts');
    assert.deepEqual(now.netns, before0.netns, 'network namespaces');
    assert.deepEqual(now.links, before0.links, 'links (veths, bridge)');
    assert.deepEqual(now.cgroups, before0.cgroups, 'cgroups');
    assert.deepEqual(now.runDirs, before0.runDirs, '/run/systemd/nspawn');
    assert.deepEqual(now.clusterProcesses, [], 'processes in the harness cgroups');
    for (const pid of nspawnPids) assert.equal(alive(pid), false, `systemd-nspawn ${pid} still runs`);
    for (const file of [paths.state, paths.definition, paths.sshConfig, paths.knownHosts, paths.identity, paths.machines, paths.disks]) {
      assert.equal(fs.existsSync(file), false, `${file} is left`);
    }
    assert.equal((await down()).removed, false);
  });

  test('down cleans up after a crash half-way through up, without any state file', async () => {
    const snapshot = hostSnapshot();
    // Rebuild the debris of a crashed `up`: bridge, a namespace with its veth, a mounted root, and a
    // cgroup with a running process — and no state.json to say so.
    const [machine] = planMachines(1);
    await ensureBridge();
    await createMachineNetwork(machine!, { forwarding: false, partitioned: false });
    const dir = path.join(paths.machines, machine!.name);
    await mountRoot(machine!.name, dir, path.join(dir, 'root'));
    const groups = machineCgroups(machine!.name);
    createCgroups(groups);
    const sleeper = spawn('/bin/sh', ['-c', 'echo $$ > "$1/cgroup.procs" && exec sleep 300', 'sleeper', groups.unified], { stdio: 'ignore' });
    await waitFor('the sleeper to join its cgroup', 5_000, async () => (fs.readFileSync(path.join(groups.unified, 'cgroup.procs'), 'utf8').trim() ? true : undefined));
    assert.equal(fs.existsSync(paths.state), false);
    assert.notDeepEqual(hostSnapshot(), snapshot);

    assert.equal((await down()).removed, true);
    await waitFor('the sleeper to die', 5_000, async () => (sleeper.exitCode !== null || sleeper.signalCode !== null ? true : undefined));
    assert.equal(sleeper.signalCode, 'SIGKILL');
    assert.deepEqual(hostSnapshot(), snapshot);
  });
});

describe('local cluster without Docker, with the etcd v2 API', { skip, timeout: 120_000 }, () => {
  before(async () => {
    if (!readiness.ok) throw new Error(`CI=true, so the cluster tests must run, but: ${readiness.reason}`);
    await down();
  });

  after(async () => {
    await down();
  });

  test('--etcd-v2 serves the v2 API (a key space of its own) and the definition says so', async () => {
    const result = await up({ machines: 3, etcdV2: true });
    const definition = JSON.parse(fs.readFileSync(result.definitionFile, 'utf8')) as ClusterDefinition;
    assert.equal(definition.etcd.v2, true);
    assert.equal(definition.docker?.enabled, false);
    // The sidekick pattern's old form: a v2 key with a TTL, set on one member, read on another.
    const set = await tryRun('etcdctl', ['--endpoints', ENDPOINTS[0]!, 'set', '--ttl', '60', '/services/hello/core-01', '10.213.0.11:3000'], {
      env: { ETCDCTL_API: '2' },
    });
    assert.equal(set.code, 0, set.stderr);
    const response = await httpGet(`${ENDPOINTS[2]}/v2/keys/services/hello/core-01`);
    assert.equal(response.status, 200);
    const node = (JSON.parse(response.body) as { node: { value: string; ttl: number } }).node;
    assert.equal(node.value, '10.213.0.11:3000');
    assert.ok(node.ttl > 0 && node.ttl <= 60);
    // v3 clients do not see v2 keys.
    assert.equal((await etcdctl(ENDPOINTS, ['get', '--prefix', '/services/'])).stdout.trim(), '');
    assert.notEqual((await sshRun(paths.sshConfig, 'core-02', ['test', '-S', '/var/run/docker.sock'])).code, 0, 'no Docker without --docker');
  });
});
