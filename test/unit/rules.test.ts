// Each rule: a unit-file snippet whose «marked» ranges are exactly where that rule must report.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-types';
import { UnitLanguageService } from '../../server/src/language/languageService';
import { doc, marked, rangeString, messageOf } from '../helpers/markers';

const service = new UnitLanguageService();

function diagnostics(uri: string, text: string): Diagnostic[] {
  return service.validate(doc(uri, text));
}

/** Asserts that `code` reports exactly at the marked ranges (and nowhere else). */
function expectRule(code: string, snippet: string, uri = 'file:///w/test.service'): Diagnostic[] {
  const m = marked(snippet);
  const found = diagnostics(uri, m.text).filter((d) => d.code === code);
  assert.deepEqual(found.map((d) => rangeString(d.range)).sort(), m.ranges.map(rangeString).sort(), `${code}: ${JSON.stringify(found.map(messageOf))}`);
  return found;
}

describe('unknown-section', () => {
  test('flags unknown sections with a suggestion, never X- sections', () => {
    const [d] = expectRule('unknown-section', '[Unit]\nDescription=x\n[«Servce»]\nExecStart=/bin/true\n[X-Fleet]\nMachineOf=a.service\n[X-Custom]\nFoo=1\n');
    assert.match(messageOf(d), /Did you mean \[Service\]\?/);
  });
});

describe('section-not-allowed', () => {
  test('[Timer] in a .service, [Service] in a .timer', () => {
    expectRule('section-not-allowed', '[Unit]\nDescription=x\n[Service]\nExecStart=/bin/true\n[«Timer»]\nOnCalendar=daily\n');
    expectRule('section-not-allowed', '[Unit]\nDescription=x\n[Timer]\nOnCalendar=daily\n[«Service»]\nExecStart=/bin/true\n', 'file:///w/t.timer');
  });
  test('drop-ins take their type from the folder', () => {
    expectRule('section-not-allowed', '[«Timer»]\nOnCalendar=daily\n', 'file:///etc/systemd/system/foo.service.d/override.conf');
    expectRule('section-not-allowed', '[Service]\nTimeoutStartSec=5\n', 'file:///etc/systemd/system/foo.service.d/override.conf');
  });
});

describe('unknown-directive', () => {
  test('typos get a did-you-mean; case matters; X- keys are free', () => {
    const ds = expectRule('unknown-directive', '[Unit]\n«Descripion»=x\n[Service]\n«execstart»=/bin/true\nExecStart=/bin/true\nX-Mine=1\n');
    assert.match(messageOf(ds[0]), /Did you mean Description=\?/);
    assert.match(messageOf(ds[1]), /Did you mean ExecStart=\?/);
  });
});

describe('directive-wrong-section', () => {
  test('After= in [Service] and User= in [Unit]', () => {
    const ds = expectRule('directive-wrong-section', '[Unit]\n«User»=web\n[Service]\n«After»=network.target\nExecStart=/bin/true\n');
    assert.match(messageOf(ds.find((d) => messageOf(d).startsWith('After'))!), /belongs in \[Unit\]/);
  });
  test('quick fix moves the line into its section', () => {
    const text = '[Unit]\nDescription=x\n\n[Service]\nAfter=network.target\nExecStart=/bin/true\n';
    const d = doc('file:///w/move.service', text);
    const ds = service.validate(d).filter((x) => x.code === 'directive-wrong-section');
    const [fix] = service.codeActions(d, ds);
    assert.equal(fix.title, 'Move After= to [Unit]');
    const edits = fix.edit!.changes!['file:///w/move.service'];
    assert.deepEqual(edits.map((e) => [rangeString(e.range), e.newText]), [['4:0-5:0', ''], ['2:0-2:0', 'After=network.target\n']]);
  });
});

describe('outside-section, malformed-line, invalid-section-header', () => {
  test('each reports on its line', () => {
    expectRule('outside-section', '«Description=x»\n[Unit]\nAfter=a.target\n');
    expectRule('malformed-line', '[Unit]\n«just words»\n«=value»\n[Service]\nExecStart=/bin/true\n');
    expectRule('invalid-section-header', '«[Service»\nExecStart=/bin/true\n');
  });
});

describe('invalid-value', () => {
  test('booleans, enums, time spans', () => {
    expectRule('invalid-value', '[Service]\nExecStart=/bin/true\nRemainAfterExit=«maybe»\nRestart=«sometimes»\nTimeoutStartSec=«5mins»\nRestartSec=5min 20s\nTimeoutStopSec=infinity\n');
  });
  test('an empty value is a reset, never invalid', () => {
    expectRule('invalid-value', '[Service]\nExecStart=/bin/true\nRestart=\nTimeoutStartSec=\n');
  });
});

describe('deprecated-directive', () => {
  test('old names are hinted with the new name and a rename fix', () => {
    const d = doc('file:///w/dep.service', '[Unit]\nBindTo=a.service\n[Service]\nExecStart=/bin/true\n');
    const ds = service.validate(d).filter((x) => x.code === 'deprecated-directive');
    assert.equal(ds.length, 1);
    assert.match(messageOf(ds[0]), /BindsTo/);
    const [fix] = service.codeActions(d, ds);
    assert.equal(fix.edit!.changes!['file:///w/dep.service'][0].newText, 'BindsTo');
  });
});

describe('duplicate-directive', () => {
  test('single-valued keys given twice; lists and resets are fine', () => {
    expectRule('duplicate-directive', '[Service]\n«Type=simple»\nType=forking\nExecStart=/bin/true\nExecStartPre=/bin/a\nExecStartPre=/bin/b\nUser=\nUser=x\n');
  });
});

describe('inline-comment', () => {
  test('a trailing # comment is part of the value', () => {
    expectRule('inline-comment', '[Service]\nExecStart=/bin/true\nUser=web« # the service user»\nDescription=Worker #1\nEnvironment="A=b # c"\n');
  });
  test('quick fix moves the comment above', () => {
    const d = doc('file:///w/ic.service', '[Service]\nExecStart=/bin/true\nUser=web # who\n');
    const ds = service.validate(d).filter((x) => x.code === 'inline-comment');
    const [move] = service.codeActions(d, ds);
    assert.deepEqual(move.edit!.changes!['file:///w/ic.service'].map((e) => e.newText), ['# who\n', '']);
  });
});

describe('comment-continuation', () => {
  test('a commented-out first line of a multi-line setting', () => {
    const ds = expectRule('comment-continuation', '[Service]\nExecStart=/bin/true\n«#ExecStartPre=/bin/foo \\»\n  --bar=1\n');
    assert.match(messageOf(ds[0]), /next line is read as its own line/);
  });
});

describe('missing-exec-start', () => {
  test('a service without ExecStart, ExecStop or SuccessAction', () => {
    expectRule('missing-exec-start', '[Unit]\nDescription=x\n[«Service»]\nUser=web\n');
  });
  test('SuccessAction= alone, oneshot with ExecStop, and drop-ins are fine', () => {
    expectRule('missing-exec-start', '[Unit]\nSuccessAction=reboot\n');
    expectRule('missing-exec-start', '[Service]\nType=oneshot\nExecStop=/bin/true\n');
    expectRule('missing-exec-start', '[Service]\nExecStart=\nExecStart=/bin/other\n', 'file:///w/a.service.d/x.conf');
  });
  test('several ExecStart= need Type=oneshot', () => {
    expectRule('missing-exec-start', '[Service]\nExecStart=/bin/a\n«ExecStart»=/bin/b\n');
    expectRule('missing-exec-start', '[Service]\nType=oneshot\nExecStart=/bin/a\nExecStart=/bin/b\n');
    expectRule('missing-exec-start', '[Service]\nExecStart=/bin/a\nExecStart=\nExecStart=/bin/b\n');
  });
});

test('severity settings override and silence rules', () => {
  const s = new UnitLanguageService();
  s.configure({ severity: { 'unknown-directive': 'off', 'inline-comment': 'error' } });
  const ds = s.validate(doc('file:///w/sev.service', '[Service]\nExecStrat=/bin/true\nExecStart=/bin/true\nUser=a # b\n'));
  assert.deepEqual(ds.map((d) => [d.code, d.severity]), [['inline-comment', 1]]);
});
