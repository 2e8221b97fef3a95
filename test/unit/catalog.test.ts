// The directive catalog: what a user of systemd would expect it to know.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import {
  allSectionNames,
  catalog,
  currentDirectiveNames,
  directiveNames,
  directivesOf,
  findDirectiveSections,
  getDirective,
  getSection,
  isKnownDirective,
  sectionsForUnitType,
} from '../../server/src/language/catalog/catalog';
import { UNIT_TYPES } from '../../server/src/language/unitFile/unitName';
import { buildCatalog, DEFAULT_DATA_DIR, OUTPUT_FILE, renderCatalog } from '../../scripts/generate-catalog';

const EXEC_SECTIONS = ['Service', 'Socket', 'Mount', 'Swap'];

function d(section: string, key: string) {
  const info = getDirective(section, key);
  assert.ok(info, `${key}= should be known in [${section}]`);
  return info;
}

test('After= belongs to [Unit], not to [Service]', () => {
  assert.equal(d('Unit', 'After').kind, 'unit-list');
  assert.equal(getDirective('Service', 'After'), undefined);
  assert.deepEqual(findDirectiveSections('After'), ['Unit']);
});

test('exec settings such as User= and PrivateTmp= live in Service/Socket/Mount/Swap, never in [Unit]', () => {
  for (const key of ['User', 'PrivateTmp', 'Environment', 'WorkingDirectory', 'ProtectSystem']) {
    assert.deepEqual(findDirectiveSections(key), EXEC_SECTIONS, key);
    assert.equal(getDirective('Unit', key), undefined, key);
  }
  // resource control reaches slices and scopes too; kill settings scopes but not slices
  assert.deepEqual(findDirectiveSections('MemoryMax'), [...EXEC_SECTIONS, 'Slice', 'Scope']);
  assert.deepEqual(findDirectiveSections('KillMode'), [...EXEC_SECTIONS, 'Scope']);
  assert.equal(getDirective('Slice', 'User'), undefined);
  assert.equal(getDirective('Timer', 'User'), undefined);
});

test('sections per unit type: [Timer] is not read in a service; every type has [Unit] and [Install]', () => {
  assert.deepEqual(sectionsForUnitType('service'), ['Unit', 'Service', 'Install']);
  assert.ok(!sectionsForUnitType('service').includes('Timer'));
  assert.deepEqual(sectionsForUnitType('timer'), ['Unit', 'Timer', 'Install']);
  for (const t of UNIT_TYPES) {
    const s = sectionsForUnitType(t);
    assert.equal(s[0], 'Unit', t);
    assert.ok(s.includes('Install'), t);
    for (const name of s) assert.ok(getSection(name)?.unitTypes.includes(t), `${name} should list ${t}`);
  }
  assert.deepEqual(getSection('Timer')?.unitTypes, ['timer']);
  assert.deepEqual(getSection('Unit')?.unitTypes, [...UNIT_TYPES]);
  // target and device units have a [Target]/[Device] section without any key (systemd knows the section)
  assert.deepEqual(sectionsForUnitType('target'), ['Unit', 'Target', 'Install']);
  assert.deepEqual(directiveNames('Target'), []);
  assert.deepEqual(directiveNames('Device'), []);
  assert.deepEqual(allSectionNames(), ['Unit', 'Service', 'Socket', 'Mount', 'Automount', 'Swap', 'Path', 'Timer', 'Slice', 'Scope', 'Target', 'Device', 'Install']);
});

test('Type=, Restart=, KillMode= and StandardOutput= are enumerations with systemd\'s values', () => {
  const type = d('Service', 'Type');
  assert.equal(type.kind, 'enum');
  assert.equal(type.exclusiveValues, true);
  assert.deepEqual(type.enumValues, ['simple', 'exec', 'forking', 'oneshot', 'dbus', 'notify', 'notify-reload', 'idle']);
  assert.deepEqual(d('Service', 'Restart').enumValues, ['no', 'on-success', 'on-failure', 'on-abnormal', 'on-watchdog', 'on-abort', 'always']);
  assert.deepEqual(d('Service', 'KillMode').enumValues, ['control-group', 'process', 'mixed', 'none']);
  assert.deepEqual(d('Scope', 'KillMode').enumValues, ['control-group', 'process', 'mixed', 'none']);
  const out = d('Service', 'StandardOutput');
  assert.equal(out.kind, 'enum');
  for (const v of ['journal', 'journal+console', 'kmsg', 'null', 'inherit', 'tty', 'socket', 'fd', 'syslog']) assert.ok(out.enumValues?.includes(v), v);
  assert.deepEqual(out.enumPrefixes, ['fd:', 'file:', 'append:', 'truncate:']);
  assert.equal(out.deprecatedValues?.syslog, 'journal');
  assert.deepEqual(d('Service', 'StandardError').enumPrefixes, out.enumPrefixes);
  assert.deepEqual(d('Service', 'StandardInput').enumPrefixes, ['fd:', 'file:']);
  // FailureAction= & co. share the emergency-action table
  const actions = d('Unit', 'FailureAction').enumValues ?? [];
  for (const v of ['none', 'reboot', 'reboot-force', 'reboot-immediate', 'poweroff', 'poweroff-force', 'poweroff-immediate', 'exit', 'exit-force', 'soft-reboot', 'soft-reboot-force', 'kexec', 'kexec-force', 'halt', 'halt-force', 'halt-immediate']) {
    assert.ok(actions.includes(v), v);
  }
  assert.deepEqual(d('Unit', 'SuccessAction').enumValues, actions);
  // enumerations that also take booleans say so
  assert.equal(d('Service', 'ProtectSystem').enumBooleans, true);
  assert.equal(d('Service', 'Type').enumBooleans, undefined);
});

test('legacy keys: MemoryLimit= is ignored (use MemoryMax=), BindTo= is deprecated (use BindsTo=)', () => {
  const ml = d('Service', 'MemoryLimit');
  assert.equal(ml.ignored, true);
  assert.equal(ml.replacement, 'MemoryMax');
  assert.equal(d('Slice', 'CPUShares').replacement, 'CPUWeight');
  assert.equal(d('Service', 'BlockIOWeight').replacement, 'IOWeight');
  assert.equal(d('Service', 'Capabilities').ignored, true);
  assert.equal(d('Unit', 'IgnoreOnSnapshot').ignored, true);
  const bindTo = d('Unit', 'BindTo');
  assert.equal(bindTo.deprecated, true);
  assert.equal(bindTo.replacement, 'BindsTo');
  assert.equal(bindTo.ignored, undefined);
  assert.equal(d('Unit', 'StartLimitInterval').replacement, 'StartLimitIntervalSec');
  assert.equal(d('Service', 'StartLimitInterval').replacement, 'Unit.StartLimitIntervalSec');
  assert.equal(d('Service', 'StartLimitBurst').replacement, 'Unit.StartLimitBurst');
  assert.equal(d('Unit', 'OnFailureIsolate').replacement, 'OnFailureJobMode=isolate');
  assert.equal(d('Service', 'ReadWriteDirectories').replacement, 'ReadWritePaths');
  assert.equal(d('Service', 'PermissionsStartOnly').deprecated, true);
  // current names are not deprecated
  for (const [s, k] of [['Service', 'TimeoutSec'], ['Unit', 'StartLimitBurst'], ['Service', 'MemoryMax'], ['Unit', 'BindsTo'], ['Service', 'ExecStart']]) {
    const info = d(s, k);
    assert.equal(info.deprecated, undefined, k);
    assert.equal(info.ignored, undefined, k);
  }
  assert.ok(directiveNames('Service').includes('MemoryLimit'));
  assert.ok(!currentDirectiveNames('Service').includes('MemoryLimit'));
  assert.ok(!currentDirectiveNames('Unit').includes('BindTo'));
  assert.ok(currentDirectiveNames('Unit').includes('BindsTo'));
});

test('value kinds follow the config_parse_* parser', () => {
  const kinds: [string, string, string][] = [
    ['Service', 'TimeoutStartSec', 'timespan'],
    ['Service', 'TimeoutSec', 'timespan'],
    ['Service', 'RestartSec', 'timespan'],
    ['Unit', 'JobTimeoutSec', 'timespan'],
    ['Timer', 'OnBootSec', 'timespan'],
    ['Timer', 'OnCalendar', 'string'],
    ['Service', 'TimerSlackNSec', 'timespan-nsec'],
    ['Service', 'RemainAfterExit', 'boolean'],
    ['Service', 'PrivateMounts', 'tristate'],
    ['Unit', 'StartLimitBurst', 'unsigned'],
    ['Service', 'Nice', 'integer'],
    ['Service', 'UMask', 'mode'],
    ['Socket', 'ReceiveBuffer', 'size'],
    ['Service', 'MemoryMax', 'memory-limit'],
    ['Service', 'KillSignal', 'signal'],
    ['Unit', 'Wants', 'unit-list'],
    ['Timer', 'Unit', 'unit'],
    ['Socket', 'Service', 'unit'],
    ['Service', 'RootDirectory', 'absolute-path'],
    ['Mount', 'Where', 'absolute-path'],
    ['Service', 'WorkingDirectory', 'string'], // "~" and "-" prefixes
    ['Service', 'PIDFile', 'string'], // relative paths go below /run
    ['Service', 'ExecStart', 'command'],
    ['Socket', 'ExecStartPre', 'command'],
    ['Install', 'WantedBy', 'unit-list'],
    ['Service', 'CPUWeight', 'string'], // also "idle"
    ['Service', 'TTYRows', 'unsigned'],
  ];
  for (const [s, k, kind] of kinds) assert.equal(d(s, k).kind, kind, `${s}.${k}`);
});

test('lists accumulate, single values do not', () => {
  for (const [s, k] of [
    ['Service', 'ExecStart'],
    ['Service', 'ExecStartPre'],
    ['Service', 'Environment'],
    ['Service', 'EnvironmentFile'],
    ['Unit', 'After'],
    ['Unit', 'Wants'],
    ['Unit', 'Documentation'],
    ['Unit', 'ConditionPathExists'],
    ['Unit', 'AssertPathExists'],
    ['Socket', 'ListenStream'],
    ['Timer', 'OnCalendar'],
    ['Timer', 'OnUnitActiveSec'],
    ['Path', 'PathChanged'],
    ['Service', 'BindPaths'],
    ['Service', 'ReadWritePaths'],
    ['Service', 'CapabilityBoundingSet'],
    ['Service', 'SystemCallFilter'],
    ['Service', 'DeviceAllow'],
    ['Service', 'StandardInputText'],
    ['Service', 'SuccessExitStatus'],
    ['Install', 'WantedBy'],
    ['Install', 'Alias'],
  ]) {
    assert.equal(d(s, k).multiple, true, `${s}.${k} should accumulate`);
  }
  for (const [s, k] of [
    ['Unit', 'Description'],
    ['Service', 'Type'],
    ['Service', 'User'],
    ['Service', 'Restart'],
    ['Service', 'TimeoutStartSec'],
    ['Service', 'MemoryMax'],
    ['Service', 'WorkingDirectory'],
    ['Timer', 'Unit'],
    ['Timer', 'AccuracySec'],
    ['Install', 'DefaultInstance'],
  ]) {
    assert.equal(d(s, k).multiple, false, `${s}.${k} should be single-valued`);
  }
});

test('since-versions and documentation links', () => {
  assert.equal(d('Service', 'ExecCondition').since, '243');
  assert.equal(d('Service', 'Type').docUrl, 'https://www.freedesktop.org/software/systemd/man/latest/systemd.service.html#Type=');
  // a key the registry lacks gets a constructed link to the man page of its context
  assert.equal(d('Service', 'LandlockConfig').docUrl, 'https://www.freedesktop.org/software/systemd/man/latest/systemd.exec.html#LandlockConfig=');
  assert.equal(d('Service', 'LandlockConfig').since, undefined);
  // newer keys with an explicit section are known, with their version
  assert.equal(d('Unit', 'ConditionPathIsSocket').since, '260');
  assert.equal(d('Service', 'ExecReloadPost').kind, 'command');
  // directives.tsv wildcard rows newer than the table are not guessed into sections
  assert.equal(isKnownDirective('UserNamespacePath'), false);
  // nor udev properties
  assert.equal(isKnownDirective('SYSTEMD_WANTS'), false);
});

test('the catalog says which systemd it reflects', () => {
  assert.match(catalog.systemdVersion, /^systemd v258 \(load-fragment-gperf\.gperf\.in at 00f37365f9f8acf9992f9a54f756e4a036df472e\)$/);
  assert.doesNotMatch(catalog.systemdVersion, /261/);
  assert.ok(catalog.sources.length >= 2);
});

test('every entry is consistent', () => {
  let count = 0;
  for (const section of allSectionNames()) {
    const info = getSection(section);
    assert.ok(info);
    assert.equal(info.name, section);
    for (const dir of directivesOf(section)) {
      count++;
      assert.equal(dir.section, section);
      assert.equal(getDirective(section, dir.name), dir);
      assert.match(dir.name, /^[A-Z][A-Za-z0-9]*$/);
      assert.ok(findDirectiveSections(dir.name).includes(section));
      if (dir.kind === 'enum') {
        assert.ok(dir.enumValues && dir.enumValues.length > 0, `${section}.${dir.name} enum without values`);
        assert.equal(dir.exclusiveValues, true);
      }
      if (dir.deprecated || dir.ignored) assert.ok(!(dir.deprecated && dir.ignored), `${section}.${dir.name} is both deprecated and ignored`);
      assert.ok(dir.docUrl?.startsWith('https://www.freedesktop.org/software/systemd/man/'), dir.docUrl);
    }
  }
  assert.ok(count > 1300, `only ${count} directives`);
  assert.ok(!getSection('*'));
});

test('lookups are exact and safe', () => {
  assert.equal(getDirective('Service', 'execstart'), undefined); // keys are case-sensitive
  assert.equal(getDirective('Unit', 'constructor'), undefined);
  assert.equal(getDirective('Unit', '__proto__'), undefined);
  assert.equal(getSection('toString'), undefined);
  assert.deepEqual(findDirectiveSections('hasOwnProperty'), []);
  assert.deepEqual(directiveNames('Nope'), []);
  assert.ok(Object.isFrozen(findDirectiveSections('After')));
});

test('the committed catalog is what the script generates', (t) => {
  if (!existsSync(DEFAULT_DATA_DIR)) {
    const why = `systemd data not found at ${DEFAULT_DATA_DIR} (shared/ must sit beside the repository)`;
    if (process.env.CI) assert.fail(why);
    t.skip(why);
    return;
  }
  const { catalog: fresh } = buildCatalog();
  const text = renderCatalog(fresh);
  assert.ok(text === readFileSync(OUTPUT_FILE, 'utf8'), 'catalog.generated.json is stale: run npm run generate:catalog');
  assert.deepEqual(JSON.parse(text), catalog);
  assert.ok(text.length < 400 * 1024, `catalog is ${text.length} bytes`);
});
