// fleet's semantics of [X-Fleet], table-driven: value splitting, aliases, globs, metadata AND/OR,
// Global truth values, specifier expansion for templates and instances.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { globError, globMatch } from '../../server/src/language/fleet/glob';
import {
  fleetRequirements,
  fleetRequirementsFromPairs,
  machineHasMetadata,
  machineIdMatches,
  replaceApplies,
  splitFleetValue,
  unitsConflict,
} from '../../server/src/language/fleet/requirements';
import { expandFleetSpecifiers, fleetUnitNameInfo, isInstanceOf, symbolicUnitName } from '../../server/src/language/fleet/specifiers';
import { NO_REQUIREMENTS, type FleetRequirements } from '../../server/src/language/fleet/types';
import { parseUnitFile } from '../../server/src/language/unitFile/parser';

const reqs = (fleet: string, unitName = 'app.service'): FleetRequirements => fleetRequirements(parseUnitFile(`[Unit]\nDescription=x\n[Service]\nExecStart=/bin/true\n[X-Fleet]\n${fleet}\n`), unitName);
const plain = (r: FleetRequirements) => ({ ...r, metadata: { ...r.metadata } });
const base = { machineOf: [], metadata: {}, conflicts: [], global: false, replaces: [] };

describe('splitFleetValue (parseMultivalueLine)', () => {
  const cases: [string, string[]][] = [
    ['a.service', ['a.service']],
    ['a.service b.service', ['a.service b.service']], // unquoted: one value, space included
    ['"a.service" "b.service"', ['a.service', 'b.service']],
    ['"bar" "ping" "pong"', ['bar', 'ping', 'pong']],
    ['"a b"', ['a b']],
    ['""', ['']],
    ['', ['']],
    ['"bar', ['"bar']],
    ['bar"', ['bar"']],
    ['"bar" "', ['bar', '']],
    ['"a"  "b"', ['a', '', 'b']],
    ['"a" b "c"', ['a', 'b', 'c']],
  ];
  for (const [input, expected] of cases) {
    test(JSON.stringify(input), () => assert.deepEqual(splitFleetValue(input).items.map((i) => i.text), expected));
  }
  test('items point back into the raw value', () => {
    const v = '"x=1" "y=2"';
    assert.deepEqual(splitFleetValue(v).items.map((i) => v.slice(i.from, i.to)), ['"x=1"', '"y=2"']);
  });
});

describe('fleetRequirements', () => {
  const cases: [string, string, Partial<FleetRequirements>][] = [
    ['nothing', '', {}],
    ['MachineOf', 'MachineOf=db.service', { machineOf: ['db.service'] }],
    ['MachineOf repeated and quoted', 'MachineOf=a.service\nMachineOf="b.service" "c.service"', { machineOf: ['a.service', 'b.service', 'c.service'] }],
    ['alias MachineOf comes first', 'MachineOf=b.service\nX-ConditionMachineOf=a.service', { machineOf: ['a.service', 'b.service'] }],
    ['Conflicts with alias', 'Conflicts=web@*.service\nX-Conflicts=db*', { conflicts: ['db*', 'web@*.service'] }],
    ['Conflicts unquoted list is one pattern', 'Conflicts=a.service b.service', { conflicts: ['a.service b.service'] }],
    ['Replaces (no alias)', 'Replaces=old.service', { replaces: ['old.service'] }],
    ['MachineID first wins', 'MachineID=aaa\nMachineID=bbb', { machineId: 'aaa' }],
    ['MachineID before X-ConditionMachineID', 'X-ConditionMachineID=old\nMachineID=new', { machineId: 'new' }],
    ['X-ConditionMachineID before X-ConditionMachineBootID', 'X-ConditionMachineBootID=boot\nX-ConditionMachineID=mid', { machineId: 'mid' }],
    ['X-ConditionMachineBootID alone', 'X-ConditionMachineBootID=boot', { machineId: 'boot' }],
    ['empty MachineID is kept (matches no machine)', 'MachineID=', { machineId: '' }],
    ['empty MachineOf is kept (a peer named "")', 'MachineOf=', { machineOf: [''] }],
    ['metadata AND across keys', 'MachineMetadata="region=eu" "disk=ssd"', { metadata: { region: ['eu'], disk: ['ssd'] } }],
    ['metadata OR across lines', 'MachineMetadata=region=eu\nMachineMetadata=region=us', { metadata: { region: ['eu', 'us'] } }],
    [
      'metadata documented example',
      'MachineMetadata="region=us-east-1" "diskType=SSD"\nMachineMetadata=region=us-west-1',
      { metadata: { region: ['us-east-1', 'us-west-1'], diskType: ['SSD'] } },
    ],
    ['metadata alias merged', 'X-ConditionMachineMetadata=role=web\nMachineMetadata=role=api', { metadata: { role: ['web', 'api'] } }],
    ['metadata pairs fleet drops', 'MachineMetadata=role\nMachineMetadata==x\nMachineMetadata=y=\nMachineMetadata=a=b=c\nMachineMetadata=ok=1', { metadata: { ok: ['1'] } }],
    ['metadata unquoted pairs are one value, dropped', 'MachineMetadata=region=eu disk=ssd', {}],
    ['metadata value with a space (one pair)', 'MachineMetadata=role=web server', { metadata: { role: ['web server'] } }],
    ['metadata key __proto__ is a plain key', 'MachineMetadata=__proto__=x', { metadata: { ['__proto__']: ['x'] } }],
    ['unknown keys are ignored', 'Weight=10\nmachineof=x.service', {}],
  ];
  for (const [title, fleet, expected] of cases) {
    test(title, () => assert.deepEqual(plain(reqs(fleet)), { ...base, ...expected }));
  }

  const globals: [string, boolean][] = [
    ['Global=true', true],
    ['Global=TRUE', true],
    ['Global=Yes', true],
    ['Global=1', true],
    ['Global=on', true],
    ['Global=t', true],
    ['Global=T', true],
    ['Global=y', false],
    ['Global=enabled', false],
    ['Global=false', false],
    ['Global=', false],
    ['Global=true\nGlobal=false', false],
    ['Global=false\nGlobal=true', true],
    ['Global="false" "true"', true],
    ['Global= true', true],
  ];
  for (const [fleet, expected] of globals) test(`${JSON.stringify(fleet)} → global ${expected}`, () => assert.equal(reqs(fleet).global, expected));

  test('only [X-Fleet] exactly; repeated sections merge', () => {
    const file = parseUnitFile('[X-Fleet]\nMachineOf=a.service\n[x-fleet]\nMachineOf=b.service\n[X-Fleet]\nMachineOf=c.service\n');
    assert.deepEqual(fleetRequirements(file, 'u.service').machineOf, ['a.service', 'c.service']);
  });
  test('a unit without [X-Fleet] has no requirements', () => {
    assert.deepEqual(plain(fleetRequirements(parseUnitFile('[Service]\nExecStart=/bin/true\n'), 'u.service')), plain(NO_REQUIREMENTS));
  });
  test('from option pairs (what fleet stores)', () => {
    const r = fleetRequirementsFromPairs([{ key: 'MachineOf', value: 'helloworld@%i.service' }, { key: 'Global', value: 'no' }], 'helloworld-sidekick@2.service');
    assert.deepEqual(r.machineOf, ['helloworld@2.service']);
    assert.equal(r.global, false);
  });
});

describe('specifier expansion (unitPrintf)', () => {
  const cases: [string, string, string][] = [
    // value, unit name, expanded
    ['helloworld@%i.service', 'helloworld-sidekick@1.service', 'helloworld@1.service'],
    ['%p.socket', 'foo.service', 'foo.socket'],
    ['%p.socket', 'bar.service', 'bar.socket'],
    ['%n', 'foo@bar.service', 'foo@bar.service'],
    ['%N', 'foo@bar.service', 'foo@bar'],
    ['%p', 'foo@bar.service', 'foo'],
    ['%i', 'foo@bar.service', 'bar'],
    ['%i', 'foo.service', ''],
    ['%i', 'foo@.service', ''],
    ['%N', 'foo@a.b.service', 'foo@a.b'],
    ['%i', 'foo@a@b.service', 'a@b'],
    ['x-%H-%m', 'foo@1.service', 'x-%H-%m'], // not fleet specifiers: literal
    ['%%i', 'foo@1.service', '%1'], // no %% escape
    ['%i', 'noDot', '%i'], // the name does not parse: nothing is expanded
    ['%n %n', 'a.service', 'a.service a.service'],
  ];
  for (const [value, unit, expected] of cases) test(`${value} for ${unit}`, () => assert.equal(expandFleetSpecifiers(value, unit), expected));

  test('the reference scenario: the sidekick template deployed as instance 1', () => {
    const file = parseUnitFile('[Unit]\nBindsTo=helloworld@%i.service\n[X-Fleet]\nMachineOf=helloworld@%i.service\n');
    assert.deepEqual(fleetRequirements(file, 'helloworld-sidekick@1.service').machineOf, ['helloworld@1.service']);
    assert.deepEqual(fleetRequirements(file, 'helloworld-sidekick@7.service').machineOf, ['helloworld@7.service']);
    // The template's own name: fleet's %i is empty (a template is never scheduled).
    assert.deepEqual(fleetRequirements(file, 'helloworld-sidekick@.service').machineOf, ['helloworld@.service']);
    // Checked on its own, a template reads as its symbolic instance.
    assert.deepEqual(fleetRequirements(file, symbolicUnitName('helloworld-sidekick@.service', true)).machineOf, ['helloworld@%i.service']);
  });
  test('name info and instances', () => {
    assert.deepEqual(fleetUnitNameInfo('foo@bar.service'), { fullName: 'foo@bar.service', name: 'foo@bar', prefix: 'foo', instance: 'bar', template: 'foo@.service' });
    assert.equal(fleetUnitNameInfo('foo'), undefined);
    assert.ok(isInstanceOf('foo@1.service', 'foo@.service'));
    assert.ok(isInstanceOf('foo@%i.service', 'foo@.service'));
    assert.ok(!isInstanceOf('foo@.service', 'foo@.service'));
    assert.ok(!isInstanceOf('foo@1.socket', 'foo@.service'));
    assert.ok(!isInstanceOf('foobar@1.service', 'foo@.service'));
  });
});

describe('glob (Go path.Match)', () => {
  const cases: [string, string, boolean][] = [
    ['helloworld@*.service', 'helloworld@1.service', true],
    ['helloworld@*.service', 'helloworld@.service', true],
    ['helloworld@*.service', 'helloworld-sidekick@1.service', false],
    ['helloworld@*', 'helloworld@1.service', true],
    ['monitor*', 'monitor.service', true],
    ['monitor*', 'xmonitor.service', false],
    ['*', 'anything.service', true],
    ['*', 'a/b', false], // * does not cross /
    ['a?c.service', 'abc.service', true],
    ['a?c.service', 'ac.service', false],
    ['a?c', 'a/c', false],
    ['web@[0-9].service', 'web@7.service', true],
    ['web@[0-9].service', 'web@x.service', false],
    ['web@[^0-9].service', 'web@x.service', true],
    ['web@[^0-9].service', 'web@7.service', false],
    ['web@[abc].service', 'web@b.service', true],
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'axb', false],
    ['web@1.service', 'web@1.service', true],
    ['web@1.service', 'web@10.service', false],
    ['*.service', 'a.b.service', true],
    ['*@*.service', 'x@y.service', true],
    ['a*b*c', 'aXbYbZc', true],
    ['a*b*c', 'aXbYbZ', false],
    ['', '', true],
    ['', 'a', false],
    ['é?', 'éü', true],
    // malformed patterns match nothing
    ['web@[0-9.service', 'web@1.service', false],
    ['web\\', 'web\\', false],
    ['[]a]', ']', false],
    ['[-a]', '-', false],
    ['[a-]', 'a', false],
  ];
  for (const [pattern, name, expected] of cases) test(`${pattern} ~ ${name} → ${expected}`, () => assert.equal(globMatch(pattern, name), expected));

  test('errors point at the problem', () => {
    assert.equal(globError('web@*.service'), undefined);
    assert.equal(globError('web@[0-9.service')?.offset, 4);
    assert.match(globError('web\\')!.message, /trailing/);
    assert.match(globError('[a-]')!.message, /escaped/);
    assert.ok(globError('x[') !== undefined);
  });
});

describe('scheduler helpers', () => {
  test('metadata: AND across keys, OR within a key, missing key fails', () => {
    const required = plain(reqs('MachineMetadata="region=us-east-1" "diskType=SSD"\nMachineMetadata=region=us-west-1')).metadata;
    assert.ok(machineHasMetadata(required, { region: 'us-east-1', diskType: 'SSD' }));
    assert.ok(machineHasMetadata(required, { region: 'us-west-1', diskType: 'SSD', extra: 'x' }));
    assert.ok(!machineHasMetadata(required, { region: 'us-east-1' }));
    assert.ok(!machineHasMetadata(required, { region: 'eu', diskType: 'SSD' }));
    assert.ok(machineHasMetadata({}, {}));
    assert.ok(!machineHasMetadata({ constructor: ['x'] }, {}));
  });
  test('machine ID: full or the 8-character short form', () => {
    const id = '0123456789abcdef0123456789abcdef';
    assert.ok(machineIdMatches(id, id));
    assert.ok(machineIdMatches('01234567', id));
    assert.ok(!machineIdMatches('0123', id));
    assert.ok(!machineIdMatches('', id));
  });
  test('conflicts apply both ways, never to oneself', () => {
    const web = reqs('Conflicts=web@*.service', 'web@1.service');
    assert.ok(unitsConflict('web@1.service', web, 'web@2.service', web));
    assert.ok(unitsConflict('web@3.service', NO_REQUIREMENTS, 'web@2.service', web)); // no Conflicts= of its own
    assert.ok(!unitsConflict('web@1.service', web, 'web@1.service', web));
    assert.ok(!unitsConflict('db.service', NO_REQUIREMENTS, 'web@2.service', web));
  });
  test('replace applies one way only; mutual replacement is ignored', () => {
    const a = reqs('Replaces=b.service', 'a.service');
    const b = reqs('Replaces=a.service', 'b.service');
    assert.ok(replaceApplies('a.service', a, 'b.service', NO_REQUIREMENTS));
    assert.ok(replaceApplies('b.service', NO_REQUIREMENTS, 'a.service', a));
    assert.ok(!replaceApplies('a.service', a, 'b.service', b));
    assert.ok(!replaceApplies('a.service', reqs('Replaces=a*', 'a.service'), 'a.service', NO_REQUIREMENTS));
  });
});
