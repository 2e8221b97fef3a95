import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseUnitFile, positionInValue } from '../../server/src/language/unitFile/parser';
import { classifyUnitPath } from '../../server/src/language/unitFile/unitName';

test('sections, keys and values carry exact ranges', () => {
  const f = parseUnitFile('[Unit]\nDescription = Hello world \n\n[Service]\nExecStart=/bin/true\n');
  assert.deepEqual(f.sections.map((s) => s.name), ['Unit', 'Service']);
  const d = f.sections[0].entries[0];
  assert.equal(d.key, 'Description');
  assert.equal(d.value, 'Hello world');
  assert.deepEqual(d.keyRange, { start: { line: 1, character: 0 }, end: { line: 1, character: 11 } });
  assert.deepEqual(d.valueRange, { start: { line: 1, character: 14 }, end: { line: 1, character: 25 } });
  assert.deepEqual(f.sections[1].nameRange, { start: { line: 3, character: 1 }, end: { line: 3, character: 8 } });
  assert.equal(f.sections[0].range.end.line, 1, 'a section ends at its last non-blank line');
});

test('a trailing backslash continues the value; comment lines inside are skipped', () => {
  const f = parseUnitFile('[Service]\nExecStart=/bin/sh -c \\\n# note\n  "echo hi"\nUser=x\n');
  const [exec, user] = f.sections[0].entries;
  assert.equal(exec.value, '/bin/sh -c    "echo hi"');
  assert.equal(exec.range.end.line, 3);
  assert.equal(user.key, 'User');
  assert.equal(f.comments.length, 1);
  assert.equal(f.comments[0].inContinuation, true);
  // Offsets inside the joined value map back to the continuation line.
  const quote = exec.value.indexOf('"');
  assert.deepEqual(positionInValue(exec, quote), { line: 3, character: 2 });
});

test('a blank line ends a continuation, like systemd 252', () => {
  const f = parseUnitFile('[Service]\nA=1 \\\n\nB=2\n');
  assert.deepEqual(f.sections[0].entries.map((a) => [a.key, a.value]), [['A', '1'], ['B', '2']]);
});

test('a comment line never continues, even when it ends in a backslash', () => {
  const f = parseUnitFile('[Service]\n#ExecStart=/bin/foo \\\n  --bar\n');
  assert.equal(f.comments.length, 1);
  assert.equal(f.malformed.length, 1);
  assert.equal(f.malformed[0].reason, 'missing-equals');
  assert.equal(f.malformed[0].range.start.line, 2);
});

test('an escaped backslash at the end is not a continuation', () => {
  const f = parseUnitFile('[Service]\nA=x\\\\\nB=y\n');
  assert.deepEqual(f.sections[0].entries.map((a) => a.key), ['A', 'B']);
});

test('CRLF, lone CR and a BOM', () => {
  const f = parseUnitFile('\uFEFF[Unit]\r\nDescription=a\rAfter=b\r\n');
  assert.equal(f.bom, true);
  assert.deepEqual(f.sections[0].nameRange.start, { line: 0, character: 2 });
  assert.deepEqual(f.sections[0].entries.map((a) => [a.key, a.value, a.keyRange.start.line]), [['Description', 'a', 1], ['After', 'b', 2]]);
});

test('empty assignments, missing "=", missing key, invalid header, orphans', () => {
  const f = parseUnitFile('Orphan=1\n[Service\n[Unit]\nAfter=\njust words\n=value\n');
  assert.equal(f.orphans[0].key, 'Orphan');
  assert.deepEqual(f.malformed.map((m) => m.reason), ['invalid-section-header', 'missing-equals', 'missing-key']);
  const after = f.sections[0].entries[0];
  assert.equal(after.value, '');
  assert.deepEqual(after.valueRange.start, after.valueRange.end);
});

test('# and ; start comments only at the beginning of a line', () => {
  const f = parseUnitFile('; a\n[Unit]\n  # indented\nDescription=a # b\n');
  assert.equal(f.comments.length, 2);
  assert.equal(f.sections[0].entries[0].value, 'a # b');
});

test('a 10,000-line file parses completely', () => {
  const body = Array.from({ length: 10000 }, (_, i) => `Environment=K${i}=v${i}`).join('\n');
  const f = parseUnitFile(`[Service]\n${body}\n`);
  assert.equal(f.sections[0].entries.length, 10000);
  assert.equal(f.sections[0].range.end.line, 10000);
});

test('file names: type, template, instance, drop-in', () => {
  assert.deepEqual(classifyUnitPath('/x/helloworld@.service'), { unitName: 'helloworld@.service', type: 'service', prefix: 'helloworld', instance: '', template: true, dropIn: false });
  assert.equal(classifyUnitPath('/x/helloworld@3.service').instance, '3');
  const dropIn = classifyUnitPath('file:///etc/systemd/system/nginx.service.d/override.conf');
  assert.equal(dropIn.dropIn, true);
  assert.equal(dropIn.type, 'service');
  assert.equal(dropIn.unitName, 'nginx.service');
  assert.equal(classifyUnitPath('/lib/systemd/system/service.d/10-timeout.conf').type, 'service');
  assert.equal(classifyUnitPath('/x/README.md').unitName, undefined);
  assert.equal(classifyUnitPath('file:///x/foo%40.service').template, true);
});
