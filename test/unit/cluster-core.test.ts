// Pure parts of the cluster core: known_hosts matching (plain, hashed, ports, wildcards, revoked),
// quoting of remote commands, name validation, the definition loader.
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { parseDefinition } from '../../client/src/cluster/definition';
import { containerNamesOfUnit } from '../../client/src/cluster/docker';
import { assertEtcdKey, assertUnitName, templateOf } from '../../client/src/cluster/names';
import { commandLine } from '../../client/src/cluster/ssh/command';
import { checkHostKey, fingerprint } from '../../client/src/cluster/ssh/hostKeys';
import { parseKnownHosts } from '../../client/src/cluster/ssh/knownHosts';

const blobA = Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), Buffer.from([0, 0, 0, 32]), crypto.randomBytes(32)]);
const blobB = Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), Buffer.from([0, 0, 0, 32]), crypto.randomBytes(32)]);
const hashed = (name: string) => {
  const salt = crypto.randomBytes(20);
  return `|1|${salt.toString('base64')}|${crypto.createHmac('sha1', salt).update(name).digest('base64')}`;
};

describe('host keys (adapter over knownHosts.ts)', () => {
  test('known by address or by machine name, unknown, changed (with both fingerprints) and revoked keys', () => {
    const known = parseKnownHosts(`# comment\n${hashed('10.0.0.1')} ssh-ed25519 ${blobA.toString('base64')}\ncore-07 ssh-ed25519 ${blobA.toString('base64')}\n@revoked * ssh-ed25519 ${blobB.toString('base64')}\n`).entries;
    assert.deepEqual(checkHostKey(known, '10.0.0.1', 22, 'x', blobA), { status: 'known' });
    assert.deepEqual(checkHostKey(known, '10.0.0.9', 22, 'core-07', blobA), { status: 'known' });
    assert.equal(checkHostKey(known, '10.0.0.9', 22, 'other', blobA).status, 'unknown');
    assert.equal(checkHostKey(known, '10.0.0.1', 22, undefined, blobB).status, 'revoked');
    const changed = checkHostKey(parseKnownHosts(`10.0.0.1 ssh-ed25519 ${blobA.toString('base64')}`).entries, '10.0.0.1', 22, undefined, blobB);
    assert.equal(changed.status, 'changed');
    if (changed.status === 'changed') {
      assert.equal(changed.fingerprint, fingerprint(blobB));
      assert.deepEqual(changed.expected, [`ssh-ed25519 ${fingerprint(blobA)}`]);
    }
  });
});

describe('remote command lines', () => {
  test('every argument arrives unchanged through sh', () => {
    const argv = ['printf', '%s\\n', "it's", 'a b', '$(reboot)', '`x`', '', '"q"', 'semi;colon', 'new\nline'];
    const out = execFileSync('sh', ['-c', commandLine(argv)], { encoding: 'utf8' });
    assert.equal(out, argv.slice(2).map((a) => `${a}\n`).join(''));
  });
});

describe('names', () => {
  test('unit names are validated before any shell sees them', () => {
    assert.equal(assertUnitName('hello@1.service').instance, '1');
    assert.equal(assertUnitName('hello@.service').instance, '');
    assert.equal(templateOf('hello@1.service'), 'hello@.service');
    for (const bad of ['', 'a b.service', 'x;reboot.service', '$(x).service', 'noext', 'a@b@c.service', '-x.service', 'a\n.service', 'a.unknown']) {
      assert.throws(() => assertUnitName(bad), /not a valid unit name/, bad);
    }
    assert.throws(() => assertEtcdKey('a\nb'), /not a valid etcd key/);
  });
});

describe('cluster definition', () => {
  test('defaults are applied and relative paths resolved against the file folder', () => {
    const config = parseDefinition(
      { name: 'c', defaults: { user: 'core', identityFile: 'id' }, machines: [{ name: 'a', host: 'h' }], etcd: { endpoints: ['http://h:2379/'], prefix: '/x/' } },
      '/defs',
    );
    assert.equal(config.machines[0]!.user, 'core');
    assert.equal(config.machines[0]!.identityFile, '/defs/id');
    assert.equal(config.machines[0]!.port, 22);
    assert.deepEqual(config.etcd.endpoints, ['http://h:2379']);
    assert.equal(config.ssh.strictHostKeyChecking, true);
  });

  test('schema violations and duplicate names are refused', () => {
    assert.throws(() => parseDefinition({ name: 'c', machines: [], etcd: { endpoints: ['http://h:2379'] } }, '/'), /\/machines must NOT have fewer than 1 items/);
    assert.throws(() => parseDefinition({ name: 'c', machines: [{ name: 'a', host: 'h', password: 'x' }], etcd: { endpoints: ['http://h:2379'] } }, '/'), /must NOT have additional properties "password"/);
    assert.throws(
      () => parseDefinition({ name: 'c', machines: [{ name: 'a', host: 'h' }, { name: 'a', host: 'i' }], etcd: { endpoints: ['http://h:2379'] } }, '/'),
      /machine name "a" appears twice/,
    );
  });
});

describe('containers of units', () => {
  test('the --name of docker run lines, with specifiers expanded', () => {
    const text = '[Service]\nExecStartPre=-/usr/bin/docker rm x\nExecStart=/usr/bin/docker run --rm --name web-%i -p 80:80 img\n';
    assert.deepEqual(containerNamesOfUnit('web@3.service', text, 'core-01'), ['web-3']);
    assert.deepEqual(containerNamesOfUnit('a.service', '[Service]\nExecStart=/usr/bin/docker run --name=%p_%H img\n', 'm1'), ['a_m1']);
    assert.deepEqual(containerNamesOfUnit('a.service', '[Service]\nExecStart=/bin/sleep 1\n', 'm1'), []);
  });
});
