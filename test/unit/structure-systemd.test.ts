// Differential test of the file structure against systemd's own parser (systemd-analyze verify):
// random unit files built from continuations, comments (some ending in a backslash), blank lines
// inside continuations, lines without "=", assignments before any section, unknown, X- and
// misplaced sections, and known/unknown/misplaced keys. For every file, the lines systemd reports
// must be exactly the lines our structural rules report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { UnitLanguageService } from '../../server/src/language/languageService';
import { doc } from '../helpers/markers';
import { endsWithContinuation } from '../../server/src/language/unitFile/parser';

const STRUCTURAL = new Set(['malformed-line', 'outside-section', 'unknown-section', 'section-not-allowed', 'unknown-directive', 'directive-wrong-section']);
const FILES = 250;

function systemdAnalyze(): string | undefined {
  const r = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? undefined : 'systemd-analyze is not installed (Debian package systemd)';
}

/** The last physical line of the logical line starting at `first` (continuations skip comment lines). */
function lastPhysicalLine(lines: string[], first: number): number {
  let i = first;
  if (/^\s*[#;]/.test(lines[i])) return i;
  while (endsWithContinuation(lines[i]) && i + 1 < lines.length) {
    i++;
    while (/^\s*[#;]/.test(lines[i]) && i + 1 < lines.length) i++;
  }
  return i;
}

const line = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('Description=web', 'After=network.target', 'Wants=a.service', 'User=web', 'Restart=always', 'OnCalendar=daily', 'WantedBy=multi-user.target', 'ListenStream=80', 'Bogus=1', 'Descripton=x', 'X-Own=1') },
  { weight: 2, arbitrary: fc.constantFrom('[Unit]', '[Install]', '[Timer]', '[Servce]', '[X-Fleet]', '[Socket]') },
  { weight: 2, arbitrary: fc.constantFrom('# comment', '; comment', '#ExecStart=/bin/false \\', '  # indented \\', '') },
  { weight: 2, arbitrary: fc.constantFrom('just words', '  --flag=1', '=value', '   \t', 'more text \\', 'Environment=A=1 \\', '\\') },
);
const unitFile = fc.array(line, { minLength: 1, maxLength: 14 }).map((lines) => ['[Service]', 'ExecStart=/bin/true', ...lines].join('\n') + '\n');

test('structural diagnostics flag exactly the lines systemd 252 reports', (t) => {
  const why = systemdAnalyze();
  if (why) {
    if (process.env.CI) assert.fail(why);
    t.skip(why);
    return;
  }
  const files = fc.sample(unitFile, { numRuns: FILES, seed: 252 });
  // Moving [Service] first keeps the unit loadable; shuffle it later with a prefix line sometimes.
  files.forEach((f, i) => (i % 5 === 0 ? (files[i] = 'Orphan=1\n' + f) : undefined));
  const dir = mkdtempSync(join(tmpdir(), 'uf-structure-'));
  files.forEach((text, i) => writeFileSync(join(dir, `s${i}.service`), text));
  // verify exits non-zero when a unit fails to load; its messages are still on stderr.
  const result = spawnSync('systemd-analyze', ['verify', '--man=no', '--generators=no', ...files.map((_, i) => `./s${i}.service`)], { cwd: dir, encoding: 'utf8' });
  rmSync(dir, { recursive: true, force: true });
  const reported = new Map<string, Set<number>>();
  for (const m of (result.stderr + result.stdout).matchAll(/^\S*?(s\d+\.service):(\d+): (.*)$/gm)) {
    if (!/Unknown section|Unknown key|Missing '='|Missing key name|Assignment outside/.test(m[3])) continue;
    const set = reported.get(m[1]) ?? new Set<number>();
    set.add(Number(m[2]) - 1);
    reported.set(m[1], set);
  }
  const service = new UnitLanguageService();
  const disagreements: string[] = [];
  files.forEach((text, i) => {
    const name = `s${i}.service`;
    const ours = new Set(
      service
        .validate(doc(pathToFileURL(`/structure/${name}`).toString(), text))
        .filter((d) => STRUCTURAL.has(String(d.code)))
        // systemd names the last physical line of a continued line.
        .map((d) => lastPhysicalLine(text.split('\n'), d.range.start.line)),
    );
    const theirs = reported.get(name) ?? new Set<number>();
    const lines = text.split('\n');
    for (const l of ours) if (!theirs.has(l)) disagreements.push(`${name}:${l + 1} we flag, systemd accepts: ${JSON.stringify(lines[l])}`);
    for (const l of theirs) if (!ours.has(l)) disagreements.push(`${name}:${l + 1} systemd flags, we accept: ${JSON.stringify(lines[l])}`);
  });
  assert.deepEqual(disagreements, [], disagreements.join('\n'));
});
