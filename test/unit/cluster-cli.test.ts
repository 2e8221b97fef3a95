// The unit-fleet CLI without a cluster: argument parsing, help, usage errors and their exit codes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { parseArgs } from '../../client/src/cli/args';

const CLI = path.join(__dirname, '..', '..', 'client', 'src', 'cli', 'main.ts');
const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { encoding: 'utf8', env: { ...process.env, UNIT_FLEET_CLUSTER: '', ...env } });

describe('unit-fleet CLI', () => {
  test('options: values, flags, short aliases, --name=value and --', () => {
    const spec = { values: ['lines'], flags: ['follow'], short: { f: 'follow', n: 'lines' } };
    const a = parseArgs(['-f', '-n', '5', '--cluster=x.json', 'a@1.service', '--', '--not-an-option'], spec);
    assert.deepEqual([...a.options], [['follow', true], ['lines', '5'], ['cluster', 'x.json']]);
    assert.deepEqual(a.positional, ['a@1.service', '--not-an-option']);
    assert.throws(() => parseArgs(['--bogus'], spec), /unknown option --bogus/);
    assert.throws(() => parseArgs(['--lines'], spec), /--lines needs a value/);
  });

  test('help lists every verb and the exit codes', () => {
    const r = run(['--help']);
    assert.equal(r.status, 0);
    for (const verb of ['list-machines', 'list-units', 'list-unit-files', 'submit', 'load', 'start', 'stop', 'unload', 'destroy', 'restart', 'status', 'cat', 'journal', 'ssh', 'reconcile', 'keys', 'containers']) {
      assert.match(r.stdout, new RegExp(`^  ${verb}\\b`, 'm'), verb);
    }
    assert.match(r.stdout, /Exit codes:[\s\S]* 7 {2}a unit cannot be placed on any machine/);
  });

  test('usage errors in plain words, with their exit codes', () => {
    let r = run(['frobnicate']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown verb "frobnicate"/);
    r = run(['list-machines']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /no cluster definition: pass --cluster FILE or set UNIT_FLEET_CLUSTER/);
    r = run(['--cluster', '/nonexistent/cluster.json', 'list-units']);
    assert.equal(r.status, 3);
    assert.match(r.stderr, /cluster definition \/nonexistent\/cluster\.json does not exist/);
    r = run(['--cluster', '/nonexistent/cluster.json', 'start', 'bad name.service']);
    assert.equal(r.status, 3, 'the definition is read first');
  });
});
