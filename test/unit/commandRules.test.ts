// The command-line rules and trap detectors: each with a unit-file snippet whose «marked» ranges are
// exactly where it must report, their quick fixes' edits, the reference scenario (no diagnostics)
// and one fixture per trap (flagged on the right line).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { UnitLanguageService } from '../../server/src/language/languageService';
import { doc, marked, messageOf, rangeString } from '../helpers/markers';

const service = new UnitLanguageService();
const ROOT = join(__dirname, '..', '..');

const OUR_RULES = new Set(['exec-syntax', 'unknown-specifier', 'exec-suspicious', 'specifier-in-format', 'systemd-env-expansion', 'shell-syntax', 'docker-prestep-without-dash', 'docker-stale-container']);

/** Asserts that `code` reports exactly at the marked ranges (and nowhere else). */
function expectRule(code: string, snippet: string, uri = 'file:///w/test.service'): Diagnostic[] {
  const m = marked(snippet);
  const found = service.validate(doc(uri, m.text)).filter((d) => d.code === code);
  assert.deepEqual(found.map((d) => rangeString(d.range)).sort(), m.ranges.map(rangeString).sort(), `${code}: ${JSON.stringify(found.map(messageOf))}`);
  return found;
}

/** Applies the first (preferred) quick fix of each diagnostic of `code` and returns the new text. */
function applyFix(code: string, text: string, which = 0): { text: string; titles: string[] } {
  const uri = 'file:///w/fix.service';
  const d = doc(uri, text);
  const ds = service.validate(d).filter((x) => x.code === code);
  assert.ok(ds.length > 0, `no ${code} diagnostic`);
  // Only the fixes of this diagnostic (code actions such as "Create sidekick" are offered too).
  const actions = service.codeActions(d, [ds[0]]).filter((a) => a.diagnostics?.some((x) => x.code === code));
  assert.ok(actions.length > which, `no quick fix for ${code}`);
  const edits = actions[which].edit!.changes![uri];
  return { text: TextDocument.applyEdits(d, edits), titles: actions.map((a) => a.title) };
}

describe('exec-syntax', () => {
  test('unterminated quote at the opening quote, bad prefixes, empty command, relative path', () => {
    expectRule(
      'exec-syntax',
      [
        '[Service]',
        'Type=oneshot',
        `ExecStart=/bin/sh -c 'echo it's done«'»`,
        'ExecStart=/bin/echo «"»unclosed',
        'ExecStart=+«!»/bin/true',
        'ExecStart=«-»',
        'ExecStart=«bin/true»',
        'ExecStart=«@/bin/true»',
        'ExecStart=-@/bin/true argv0 ok',
        'ExecStart=/bin/true ; «bin/false»',
        '',
      ].join('\n'),
    );
  });

  test('the opening quote of a value continued over lines', () => {
    expectRule('exec-syntax', '[Service]\nExecStart=/bin/echo a \\\n  «"»b \\\n  c\n');
  });
});

describe('unknown-specifier', () => {
  test('flags %z, not %i %% or a lone %', () => {
    const [d] = expectRule('unknown-specifier', '[Service]\nExecStart=/bin/echo %i %%z 100% «%z»\nEnvironment=X=%z\n');
    assert.match(messageOf(d), /Unknown specifier %z/);
  });
  test('quick fix: %% for a literal percent', () => {
    const { text, titles } = applyFix('unknown-specifier', '[Service]\nExecStart=/usr/bin/logger deployed on %F\n');
    assert.equal(text, '[Service]\nExecStart=/usr/bin/logger deployed on %%F\n');
    assert.deepEqual(titles, ['Write %%F for a literal "%F"']);
  });
});

describe('exec-suspicious', () => {
  test('unknown escapes, a repeated prefix that becomes a name, deprecated specifiers', () => {
    expectRule('exec-suspicious', '[Service]\nExecStart=/bin/grep «\\d»+ /x\nExecStartPre=-«-»true\nExecStartPost=/bin/echo «%c» \\\\d\n');
  });
  test('quick fix escapes the backslash', () => {
    assert.equal(applyFix('exec-suspicious', '[Service]\nExecStart=/bin/grep \\d+ /x\n').text, '[Service]\nExecStart=/bin/grep \\\\d+ /x\n');
  });
});

describe('specifier-in-format', () => {
  test('date +%s, printf and stat formats, directly and inside sh -c', () => {
    expectRule(
      'specifier-in-format',
      [
        '[Service]',
        'Type=oneshot',
        'ExecStart=/bin/date +«%s»',
        `ExecStart=/bin/sh -c 'echo "$(date -u +«%H»:«%M»)"; date +%%s'`,
        `ExecStart=/usr/bin/printf '«%s»\\n' x`,
        'ExecStart=/usr/bin/stat -c «%n» /x',
        'ExecStart=/bin/echo +%s',
        '',
      ].join('\n'),
    );
  });
  test('quick fix', () => {
    assert.equal(applyFix('specifier-in-format', `[Service]\nExecStart=/bin/sh -c 'date +%s > /run/t'\n`).text, `[Service]\nExecStart=/bin/sh -c 'date +%%s > /run/t'\n`);
  });
});

describe('systemd-env-expansion', () => {
  test('${VAR} the script sets itself, ${…} that is no name; not ${VAR} from systemd, not with ":"', () => {
    expectRule(
      'systemd-env-expansion',
      [
        '[Service]',
        'Type=oneshot',
        `ExecStart=/bin/sh -c 'for f in /etc/*.conf; do echo «\${f}»; done'`,
        `ExecStart=/bin/sh -c 'echo «\${#HOME}» \${HOME} \${X:-y} $\${f}'`,
        `ExecStart=:/bin/sh -c 'for f in *; do echo \${f}; done'`,
        'ExecStart=/bin/kill -HUP ${MAINPID}',
        `ExecStart=/bin/sh -c 'export PATH=\${PATH}:/opt/bin; OLD=\${NEW}; NEW=1; PORT=2; echo \${PORT}'`,
        'Environment=PORT=80',
        '',
      ].join('\n'),
    );
  });
  test('quick fix writes $${VAR}', () => {
    const { text } = applyFix('systemd-env-expansion', `[Service]\nExecStart=/bin/sh -c 'for f in *; do echo \${f}; done'\n`);
    assert.equal(text, `[Service]\nExecStart=/bin/sh -c 'for f in *; do echo $\${f}; done'\n`);
  });
});

describe('shell-syntax', () => {
  test('unbalanced quotes and unclosed $( inside sh -c, at the right place', () => {
    expectRule(
      'shell-syntax',
      [
        '[Service]',
        'Type=oneshot',
        `ExecStart=/bin/sh -c 'echo «"»hi; ls'`,
        `ExecStart=/bin/bash -c "echo «$(»date; ls"`,
        `ExecStart=/bin/sh -c 'echo "$(date)"; ls'`,
        `ExecStart=/bin/echo 'echo "unbalanced but no shell'`,
        '',
      ].join('\n'),
    );
  });
  test('across continuation lines', () => {
    expectRule('shell-syntax', `[Service]\nExecStart=/bin/sh -c 'while true; do \\\n  etcdctl put /k «"»$(hostname):3000; \\\n  sleep 45; done'\n`);
  });
});

describe('docker-prestep-without-dash', () => {
  test('docker kill/stop/rm (and container rm) in ExecStartPre= without "-", also via sh -c', () => {
    expectRule(
      'docker-prestep-without-dash',
      [
        '[Service]',
        'ExecStartPre=«/usr/bin/docker kill» web',
        'ExecStartPre=«docker container rm» web',
        'ExecStartPre=«/usr/bin/docker -H unix:///run/docker.sock stop» web',
        `ExecStartPre=/bin/sh -c 'docker pull x && «docker rm» web'`,
        `ExecStartPre=/bin/sh -c 'docker kill web; docker rm web || true'`,
        'ExecStartPre=-/usr/bin/docker kill web',
        'ExecStartPre=/usr/bin/docker rm -f web',
        'ExecStartPre=/usr/bin/docker pull nginx',
        'ExecStart=/usr/bin/docker run --rm --name web nginx',
        'ExecStop=/usr/bin/docker stop web',
        '',
      ].join('\n'),
    );
  });
  test('quick fixes: the "-" prefix, or "|| true" inside the script', () => {
    assert.equal(applyFix('docker-prestep-without-dash', '[Service]\nExecStartPre=/usr/bin/docker kill web\n').text, '[Service]\nExecStartPre=-/usr/bin/docker kill web\n');
    const text = `[Service]\nExecStartPre=/bin/sh -c 'docker rm web'\n`;
    const first = applyFix('docker-prestep-without-dash', text);
    assert.equal(first.text, `[Service]\nExecStartPre=-/bin/sh -c 'docker rm web'\n`);
    assert.deepEqual(first.titles, ['Add the "-" prefix (ignore the failure)', 'Append "|| true" to the docker command']);
    assert.equal(applyFix('docker-prestep-without-dash', text, 1).text, `[Service]\nExecStartPre=/bin/sh -c 'docker rm web || true'\n`);
  });
});

describe('docker-stale-container', () => {
  test('docker run --name X without an ExecStartPre= that removes X', () => {
    expectRule(
      'docker-stale-container',
      '[Service]\nExecStartPre=-/usr/bin/docker kill web\nExecStart=/usr/bin/docker run --rm «--name web» nginx\n',
    );
    expectRule('docker-stale-container', '[Service]\nExecStart=/usr/bin/docker run «--name=web-%i» nginx\n', 'file:///w/web@.service');
    expectRule('docker-stale-container', `[Service]\nExecStart=/bin/sh -c 'exec docker run «--name web» nginx'\n`);
  });
  test('removed by rm, rm -f, container rm, in a shell, specifiers equal to themselves', () => {
    for (const pre of ['-/usr/bin/docker rm web-%i', '/usr/bin/docker rm -f web-%i', '-docker container rm web-%i', `-/bin/sh -c 'docker kill web-%i; docker rm web-%i'`, `-/bin/sh -c 'docker rm -f $(docker ps -aq)'`]) {
      expectRule('docker-stale-container', `[Service]\nExecStartPre=${pre}\nExecStart=/usr/bin/docker run --rm --name web-%i nginx\n`, 'file:///w/web@.service');
    }
  });
  test('quick fix inserts ExecStartPre=-… rm -f X before ExecStart=', () => {
    const { text, titles } = applyFix('docker-stale-container', '[Service]\nExecStartPre=-/usr/bin/docker kill web\nExecStart=/usr/bin/docker run --name web nginx\n');
    assert.equal(text, '[Service]\nExecStartPre=-/usr/bin/docker kill web\nExecStartPre=-/usr/bin/docker rm -f web\nExecStart=/usr/bin/docker run --name web nginx\n');
    assert.deepEqual(titles, ['Add "ExecStartPre=-/usr/bin/docker rm -f web"']);
  });
  test('drop-ins are left alone (the pre-steps may be in the unit)', () => {
    expectRule('docker-stale-container', '[Service]\nExecStart=\nExecStart=/usr/bin/docker run --name web nginx\n', 'file:///etc/systemd/system/web.service.d/override.conf');
  });
});

describe('the reference scenario and the traps', () => {
  test('examples/helloworld: no diagnostics from the command-line rules', () => {
    const dir = join(ROOT, 'examples', 'helloworld');
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.service'))) {
      const ds = service.validate(doc(pathToFileURL(join(dir, name)).toString(), readFileSync(join(dir, name), 'utf8'))).filter((d) => OUR_RULES.has(String(d.code)));
      assert.deepEqual(ds.map((d) => `${name}:${d.range.start.line + 1} ${d.code} ${messageOf(d)}`), []);
    }
  });

  // file → the diagnostics our rules must produce: [1-based line, code, the text they underline].
  const TRAPS: Record<string, Array<[number, string, string]>> = {
    'docker-kill-without-dash.service': [[9, 'docker-prestep-without-dash', '/usr/bin/docker kill']],
    'unbalanced-quote@.service': [[9, 'shell-syntax', '"']],
    'stale-container.service': [[12, 'docker-stale-container', '--name web']],
    'percent-in-date.service': [
      [7, 'specifier-in-format', '%s'],
      [9, 'unknown-specifier', '%F'],
    ],
    'apostrophe-in-single-quotes.service': [[7, 'exec-syntax', "'"]],
    'shell-variable.service': [[7, 'systemd-env-expansion', '${conf}']],
  };

  test('every trap fixture is flagged on the right line, and only there', () => {
    const dir = join(ROOT, 'test', 'fixtures', 'traps');
    assert.deepEqual(readdirSync(dir).sort(), Object.keys(TRAPS).sort());
    for (const [name, expected] of Object.entries(TRAPS)) {
      const text = readFileSync(join(dir, name), 'utf8');
      const lines = text.split('\n');
      const ds = service.validate(doc(pathToFileURL(join(dir, name)).toString(), text)).filter((d) => OUR_RULES.has(String(d.code)));
      const found = ds
        .map((d): [number, string, string] => [d.range.start.line + 1, String(d.code), lines[d.range.start.line].slice(d.range.start.character, d.range.end.character)])
        .sort((a, b) => a[0] - b[0]);
      assert.deepEqual(found, expected, name);
    }
  });
});
