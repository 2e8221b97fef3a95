// etcd through the cluster core on the real local cluster: v3 keys (one level at a time with
// paging, get/set/rm/watch, TTLs), the separate v2 key space, and a wrong etcd password reported
// clearly (authentication is switched on for the test, and off again).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { down, etcdctl, projectRoot, up } from '../../harness/index';
import type { Cluster } from '../../client/src/cluster/cluster';
import { listLevel, type KeyEntry } from '../../client/src/cluster/etcd/browse';
import { cli, definitionFile, openCluster, readiness, skip, tempDir } from './coreHelpers';

const ENDPOINTS = ['http://10.213.0.11:2379', 'http://10.213.0.12:2379', 'http://10.213.0.13:2379'];

describe('cluster core: etcd keys (v3 and v2) and etcd authentication', { skip, timeout: 300_000 }, () => {
  let cluster: Cluster;

  before(async () => {
    if (!readiness.ok) throw new Error(`CI=true, so the cluster tests must run, but: ${readiness.reason}`);
    await down();
    await up({ machines: 3, docker: false, etcdV2: true });
    cluster = openCluster();
  });
  after(async () => {
    await cluster?.close();
    await down();
  });

  test('set, get (with its TTL), ls, rm and watch through the CLI', async () => {
    assert.equal((await cli(['keys', 'set', '/services/web/a', '10.0.0.1:80', '--ttl', '60'])).code, 0);
    assert.equal((await cli(['keys', 'set', '/services/web/b', '10.0.0.2:80'])).code, 0);
    assert.equal((await cli(['keys', 'set', '/services/changed', 'x'])).code, 0);
    const got = JSON.parse((await cli(['keys', 'get', '/services/web/a', '--json'])).stdout) as { value: string; ttl: number; lease: string };
    assert.equal(got.value, '10.0.0.1:80');
    assert.ok(got.ttl > 50 && got.ttl <= 60, `ttl ${got.ttl}`);
    assert.equal((await cli(['keys', 'ls', '/services/'])).stdout, '/services/changed\n/services/web/\n');
    // watch prints the changes of a prefix as they happen
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'client/src/cli/main.ts'), '--cluster', definitionFile, 'keys', 'watch', '/services/web/'], { cwd: projectRoot });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    await new Promise<void>((resolve) => child.stderr.once('data', () => resolve()));
    assert.equal((await cli(['keys', 'set', '/services/web/c', 'C'])).code, 0);
    assert.equal((await cli(['keys', 'rm', '/services/web/c'])).code, 0);
    for (let i = 0; i < 40 && !out.includes('DELETE'); i++) await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGINT');
    assert.equal(out, 'PUT /services/web/c C\nDELETE /services/web/c\n');
    const rm = await cli(['keys', 'rm', '/services/', '--prefix']);
    assert.equal(rm.code, 0);
    const missing = await cli(['keys', 'get', '/services/web/a']);
    assert.equal(missing.code, 8);
    assert.match(missing.stderr, /no key \/services\/web\/a in etcd \(v3\)/);
  });

  test('one level of a tree, page by page (directories and plain keys, a sibling prefix left out)', async () => {
    // 20 directories × 100 keys, 30 leaves, and a sibling prefix that must not show up.
    const ops: Promise<unknown>[] = [];
    for (let d = 0; d < 20; d++) for (let k = 0; k < 100; k++) ops.push(cluster.etcd.put(`/tree/d${String(d).padStart(2, '0')}/k${k}`).value('v').exec());
    for (let l = 0; l < 30; l++) ops.push(cluster.etcd.put(`/tree/leaf${String(l).padStart(2, '0')}`).value('v').exec());
    ops.push(cluster.etcd.put('/tree2/x').value('v').exec());
    await Promise.all(ops);
    const all: KeyEntry[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await listLevel(cluster, '/tree/', { limit: 7, after });
      assert.ok(page.entries.length <= 7);
      all.push(...page.entries);
      after = page.next;
      pages++;
    } while (after);
    assert.equal(pages, 8);
    assert.equal(all.length, 50);
    assert.equal(all.filter((e) => e.dir).length, 20);
    assert.deepEqual(all.slice(0, 2), [
      { key: '/tree/d00/', name: 'd00/', dir: true },
      { key: '/tree/d01/', name: 'd01/', dir: true },
    ]);
    assert.equal(all[all.length - 1]!.key, '/tree/leaf29');
    assert.equal(new Set(all.map((e) => e.key)).size, 50);
    const top = await listLevel(cluster, '/');
    assert.deepEqual(top.entries.map((e) => e.key).filter((k) => k.startsWith('/tree')), ['/tree/', '/tree2/']);
    await cluster.etcd.delete().prefix('/tree').exec();
  });

  test('the v2 key space is separate and shown as such', async () => {
    const dir = tempDir('uf-v2-');
    try {
      const def = JSON.parse(fs.readFileSync(definitionFile, 'utf8')) as { etcd: { v2: boolean } };
      assert.equal(def.etcd.v2, true);
      assert.equal((await cli(['keys', 'set', '--v2', '/legacy/web/a', 'A', '--ttl', '30'])).code, 0);
      const ls = await cli(['keys', 'ls', '--v2', '/legacy/web']);
      assert.match(ls.stdout, /^\/legacy\/web\/a {2}\(ttl (29|30)s\)$/m);
      assert.equal((await cli(['keys', 'get', '--v2', '/legacy/web/a'])).stdout, 'A\n');
      assert.equal((await cli(['keys', 'get', '/legacy/web/a'])).code, 8, 'not in the v3 key space');
      assert.equal((await cli(['keys', 'rm', '--v2', '/legacy', '--recursive'])).code, 0);
      assert.equal((await cli(['keys', 'get', '--v2', '/legacy/web/a'])).code, 8);
      // A definition without v2 says so instead of failing obscurely.
      const file = path.join(dir, 'cluster.json');
      fs.writeFileSync(file, JSON.stringify({ ...def, etcd: { ...def.etcd, v2: false } }));
      const refused = await cli(['keys', 'ls', '--v2', '/'], { definition: file });
      assert.equal(refused.code, 2);
      assert.match(refused.stderr, /does not enable the etcd v2 API/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a wrong etcd password is reported clearly (exit 6), the right one works', async () => {
    const dir = tempDir('uf-auth-');
    const root = ['--user', 'root:root-secret'];
    try {
      for (const args of [['user', 'add', 'root:root-secret'], ['user', 'grant-role', 'root', 'root'], ['auth', 'enable']]) {
        const r = await etcdctl(ENDPOINTS, args);
        assert.equal(r.code, 0, r.stderr);
      }
      const def = JSON.parse(fs.readFileSync(definitionFile, 'utf8')) as { etcd: Record<string, unknown> };
      const withUser = path.join(dir, 'user.json');
      fs.writeFileSync(withUser, JSON.stringify({ ...def, etcd: { ...def.etcd, username: 'root', passwordEnv: 'UF_TEST_ETCD_PASSWORD' } }));
      const wrong = await cli(['keys', 'ls', '/'], { definition: withUser, env: { UF_TEST_ETCD_PASSWORD: 'not-the-password' } });
      assert.equal(wrong.code, 6, wrong.stderr);
      assert.match(wrong.stderr, /etcd at http:\/\/10\.213\.0\.1\d:2379.* refused the user name or password \(authentication failed\)/);
      const unset = await cli(['keys', 'ls', '/'], { definition: withUser, env: { UF_TEST_ETCD_PASSWORD: undefined } });
      assert.equal(unset.code, 6);
      assert.match(unset.stderr, /etcd user "root" needs a password: set the environment variable UF_TEST_ETCD_PASSWORD/);
      const anonymous = await cli(['keys', 'ls', '/']);
      assert.equal(anonymous.code, 6);
      assert.match(anonymous.stderr, /requires authentication|denied/);
      const right = await cli(['keys', 'set', '/auth-test', 'ok'], { definition: withUser, env: { UF_TEST_ETCD_PASSWORD: 'root-secret' } });
      assert.equal(right.code, 0, right.stderr);
    } finally {
      await etcdctl(ENDPOINTS, [...root, 'auth', 'disable']);
      await etcdctl(ENDPOINTS, ['del', '/auth-test']);
      await etcdctl(ENDPOINTS, ['user', 'delete', 'root']);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
