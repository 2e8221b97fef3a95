// Differential check of the directive catalog against the systemd installed on this machine
// (Debian 12: systemd 252, older than the v258 table the catalog is built from):
//  - every key this systemd knows in a section is in the catalog for that section;
//  - every catalog key this systemd calls unknown is newer than it (since > version) or explained;
//  - a key the catalog places elsewhere is unknown to systemd in this section too;
//  - the distribution's own unit files and drop-ins use no key the catalog lacks.
// Needs systemd-analyze; skipped with a reason where it is missing, except in CI (CI=…) where it fails.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { allSectionNames, directivesOf, findDirectiveSections, getDirective, getSection, sectionsForUnitType } from '../../server/src/language/catalog/catalog';
import { parseUnitFile } from '../../server/src/language/unitFile/parser';
import { classifyUnitPath, type UnitType } from '../../server/src/language/unitFile/unitName';
import { NOT_IN_252 } from '../../scripts/generate-catalog';

const CORPUS_ROOTS = ['/lib/systemd/system', '/usr/lib/systemd', '/etc/systemd/system'];

function which(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).concat(['/usr/bin', '/bin', '/usr/sbin', '/sbin'])) {
    const p = path.join(dir, name);
    if (dir && existsSync(p)) return p;
  }
  return undefined;
}

const analyze = which('systemd-analyze');
const manager = ['/lib/systemd/systemd', '/usr/lib/systemd/systemd'].find((p) => existsSync(p));

function unavailable(t: TestContext, why: string): void {
  if (process.env.CI) assert.fail(`${why} (CI must have it)`);
  t.skip(why);
}

function systemdVersion(): number {
  const out = spawnSync(analyze!, ['--version'], { encoding: 'utf8' }).stdout;
  const m = /^systemd (\d+)/.exec(out);
  assert.ok(m, `cannot read the version from: ${out}`);
  return Number(m[1]);
}

/** section → keys, from the manager's own table (it leaves out the accepted-but-ignored legacy keys). */
function managerKeys(): Map<string, Set<string>> {
  const r = spawnSync(manager!, ['--dump-configuration-items'], { encoding: 'utf8', maxBuffer: 16 << 20 });
  assert.equal(r.status, 0, r.stderr);
  const keys = new Map<string, Set<string>>();
  let section = '';
  for (const line of r.stdout.split('\n')) {
    const h = /^\[(\w+)\]$/.exec(line);
    if (h) {
      section = h[1];
      keys.set(section, new Set());
      continue;
    }
    const k = /^([A-Za-z0-9]+)=/.exec(line);
    if (k && section) keys.get(section)!.add(k[1]);
  }
  assert.ok(keys.get('Service')?.has('ExecStart'), 'unexpected --dump-configuration-items output');
  return keys;
}

/** Why the catalog may hold a key that this systemd does not know, or undefined when nothing explains it. */
function newerThan(version: number, section: string, key: string): string | undefined {
  const info = getDirective(section, key);
  if (info?.since && /^\d+$/.test(info.since) && Number(info.since) > version) return `since ${info.since}`;
  const why = NOT_IN_252[`${section}.${key}`] ?? NOT_IN_252[`*.${key}`];
  if (why && version <= 252) return why;
  return undefined;
}

/** The unit type whose files carry `section` ([Unit] and [Install] go in a service). */
function typeFor(section: string): UnitType | undefined {
  if (section === 'Unit' || section === 'Install') return 'service';
  return getSection(section)?.unitTypes[0];
}

interface Probe {
  file: string;
  section: string;
  key: string;
}

const UNKNOWN_RE = /^(.+?):(\d+): Unknown key '([^']+)' in section \[([^\]]+)\]/;

/** Runs systemd-analyze verify on the files (in batches) and returns "file:line" of every unknown key. */
function unknownKeyLines(files: string[]): Set<string> {
  const found = new Set<string>();
  for (let i = 0; i < files.length; i += 300) {
    const r = spawnSync(analyze!, ['verify', '--man=no', '--generators=no', ...files.slice(i, i + 300)], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
      env: { ...process.env, SYSTEMD_LOG_COLOR: '0', SYSTEMD_LOG_LOCATION: '0' },
    });
    for (const line of `${r.stdout}\n${r.stderr}`.split('\n')) {
      const m = UNKNOWN_RE.exec(line);
      if (m) found.add(`${path.basename(m[1])}:${m[2]}`);
    }
  }
  return found;
}

// Sections whose files systemd-analyze can load (scope units exist only at run time: "Unit … not found").
const LOADABLE = allSectionNames().filter((s) => s !== 'Scope');

test('every key systemd on this machine knows is in the catalog, in the same section', (t) => {
  if (!analyze || !manager) return unavailable(t, 'systemd is not installed here');
  const keys = managerKeys();
  const missing: string[] = [];
  for (const [section, names] of keys) {
    for (const key of names) if (!getDirective(section, key)) missing.push(`${section}.${key}`);
  }
  assert.deepEqual(missing, [], `keys systemd ${systemdVersion()} knows but the catalog lacks`);
  // and the other way round: catalog keys missing from the manager's table are newer, or ignored legacy keys
  const version = systemdVersion();
  const unexplained: string[] = [];
  for (const section of allSectionNames()) {
    for (const d of directivesOf(section)) {
      if (keys.get(section)?.has(d.name) || d.parser === 'config_parse_warn_compat') continue;
      if (!newerThan(version, section, d.name)) unexplained.push(`${section}.${d.name}`);
    }
  }
  assert.deepEqual(unexplained, [], `catalog keys that systemd ${version} lacks although nothing says they are newer`);
});

test('catalog keys that systemd-analyze verify calls unknown are newer than this systemd', (t) => {
  if (!analyze) return unavailable(t, 'systemd-analyze is not installed here');
  const version = systemdVersion();
  const dir = mkdtempSync(path.join(tmpdir(), 'catalog-verify-'));
  try {
    const probes: Probe[] = [];
    for (const section of LOADABLE) {
      const type = typeFor(section);
      if (!type) continue;
      for (const d of directivesOf(section)) {
        // One key per file: a fatal value error (DynamicUser= empty) stops parsing only that file.
        // The sentinel before it proves the file was read.
        const file = path.join(dir, `p${probes.length}.${type}`);
        const head = section === 'Unit' ? '[Unit]\nZzzSentinel=\n' : `[Unit]\nDescription=probe\n[${section}]\nZzzSentinel=\n`;
        writeFileSync(file, `${head}${d.name}=\n`);
        probes.push({ file, section, key: d.name });
      }
    }
    const unknown = unknownKeyLines(probes.map((p) => p.file));
    const unread: string[] = [];
    const unexplained: string[] = [];
    const newer: string[] = [];
    for (const p of probes) {
      const base = path.basename(p.file);
      const sentinelLine = p.section === 'Unit' ? 2 : 4;
      if (!unknown.has(`${base}:${sentinelLine}`)) unread.push(`${p.section}.${p.key}`);
      if (!unknown.has(`${base}:${sentinelLine + 1}`)) continue;
      const why = newerThan(version, p.section, p.key);
      if (why) newer.push(`${p.section}.${p.key}`);
      else unexplained.push(`${p.section}.${p.key}`);
    }
    assert.deepEqual(unread, [], 'probe files systemd-analyze did not read');
    assert.deepEqual(unexplained, [], `keys systemd ${version} does not know although the catalog does not say they are newer`);
    t.diagnostic(`${probes.length} keys probed; ${newer.length} unknown to systemd ${version}, all newer than it`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a key the catalog places in other sections is unknown to systemd in this one', (t) => {
  if (!analyze || !manager) return unavailable(t, 'systemd is not installed here');
  const known = managerKeys();
  const knownAnywhere = new Set([...known.values()].flatMap((s) => [...s]));
  const allNames = new Set(allSectionNames().flatMap((s) => directivesOf(s).map((d) => d.name)));
  const dir = mkdtempSync(path.join(tmpdir(), 'catalog-wrong-'));
  try {
    const files: string[] = [];
    const expected = new Map<string, string>(); // "file:line" → Section.Key
    for (const section of LOADABLE) {
      const type = typeFor(section);
      if (!type) continue;
      // Only keys this systemd knows somewhere: the point is the section, not the key's age.
      const keys = [...allNames].filter((k) => knownAnywhere.has(k) && !getDirective(section, k)).sort();
      const file = path.join(dir, `w-${section.toLowerCase()}.${type}`);
      const lines = section === 'Unit' ? ['[Unit]'] : ['[Unit]', 'Description=probe', `[${section}]`];
      for (const k of keys) {
        lines.push(`${k}=`);
        expected.set(`${path.basename(file)}:${lines.length}`, `${section}.${k}`);
      }
      writeFileSync(file, `${lines.join('\n')}\n`);
      files.push(file);
    }
    const unknown = unknownKeyLines(files);
    const accepted = [...expected].filter(([where]) => !unknown.has(where)).map(([, id]) => id);
    assert.deepEqual(accepted, [], 'keys systemd reads in a section where the catalog says they do not belong');
    t.diagnostic(`${expected.size} misplaced keys probed in ${files.length} sections, all refused`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

function corpusFiles(): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const walk = (dir: string, depth: number) => {
    if (depth > 6) return;
    let real: string;
    try {
      real = realpathSync(dir);
    } catch {
      return;
    }
    if (seen.has(real)) return;
    seen.add(real);
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const e of entries.sort()) {
      const p = path.join(dir, e);
      let st;
      try {
        st = statSync(p);
      } catch {
        continue; // dangling symlink
      }
      if (st.isDirectory()) walk(p, depth + 1);
      else if (st.isFile() && classifyUnitPath(p).type) out.push(p);
    }
  };
  for (const root of CORPUS_ROOTS) walk(root, 0);
  return out;
}

test('the distribution\'s unit files and drop-ins use no key the catalog lacks', (t) => {
  const files = corpusFiles();
  if (files.length === 0) return unavailable(t, `no unit files under ${CORPUS_ROOTS.join(', ')}`);
  const systemdKnows = analyze && manager ? managerKeys() : undefined;
  const falseAlarms: string[] = [];
  const realMistakes: string[] = [];
  for (const file of files) {
    const name = classifyUnitPath(file);
    const allowed = new Set(sectionsForUnitType(name.type!));
    const parsed = parseUnitFile(readFileSync(file, 'utf8'));
    for (const section of parsed.sections) {
      if (section.name.startsWith('X-')) continue;
      if (!getSection(section.name)) {
        falseAlarms.push(`${file}: unknown section [${section.name}]`);
        continue;
      }
      if (!allowed.has(section.name)) {
        falseAlarms.push(`${file}: [${section.name}] in a .${name.type}`);
        continue;
      }
      for (const a of section.entries) {
        if (a.key.startsWith('X-') || getDirective(section.name, a.key)) continue;
        const where = `${file}:${a.keyRange.start.line + 1}: ${a.key}= in [${section.name}] (catalog: ${findDirectiveSections(a.key).join(', ') || 'nowhere'})`;
        // A key this systemd does not know either is the file's mistake, not a false alarm.
        if (systemdKnows && !systemdKnows.get(section.name)?.has(a.key)) realMistakes.push(where);
        else falseAlarms.push(where);
      }
    }
  }
  if (realMistakes.length) t.diagnostic(`keys systemd itself ignores:\n${realMistakes.join('\n')}`);
  assert.deepEqual(falseAlarms, [], 'distribution units the catalog would flag');
  t.diagnostic(`${files.length} unit files and drop-ins checked`);
});

/** Values newer than systemd 252, by parser: 252 refuses them, the v258 catalog rightly accepts them. */
const VALUES_NEWER_THAN_252: Record<string, string[]> = {
  config_parse_emergency_action: ['soft-reboot', 'soft-reboot-force', 'kexec', 'kexec-force', 'halt', 'halt-force', 'halt-immediate'],
  config_parse_job_mode: ['restart-dependencies', 'lenient'],
  config_parse_service_type: ['notify-reload'],
  config_parse_protect_control_groups: ['private', 'strict'],
};

/** Sample values per kind that systemd must accept / refuse for every directive of that kind. */
const SAMPLES: Partial<Record<string, { good: string[]; bad: string[] }>> = {
  boolean: { good: ['yes', 'Off', '1', 't'], bad: ['bogus'] },
  tristate: { good: ['yes', 'Off', '1', 't'], bad: ['bogus'] },
  timespan: { good: ['5min 20s', '1.5s', '3'], bad: ['5 parsecs', '5MIN'] },
  'timespan-nsec': { good: ['50ns', '100', '1us'], bad: ['x'] },
  unsigned: { good: ['10', '0x10'], bad: ['-1', '1e3', 'ten'] },
  integer: { good: ['0'], bad: ['abc', '1e3'] },
  mode: { good: ['0755', '644'], bad: ['999', '0x1'] },
  size: { good: ['1K', '1.5M', '4096'], bad: ['1k', '1KiB'] },
  'memory-limit': { good: ['1G', '50%', 'infinity'], bad: ['1g', 'lots'] },
  signal: { good: ['SIGTERM', 'TERM', '15'], bad: ['sigterm', 'SIGFOO'] },
  'absolute-path': { good: ['/tmp/x'], bad: ['rel/x'] },
};

const BOOLEAN_WORDS = new Set(['1', 'yes', 'y', 'true', 't', 'on', '0', 'no', 'n', 'false', 'f', 'off']);
const REFUSED_RE = /Failed|Invalid|invalid|not absolute|must be|not valid/;

test('value kinds: systemd accepts the values the catalog allows and refuses the others', (t) => {
  if (!analyze || !manager) return unavailable(t, 'systemd is not installed here');
  const version = systemdVersion();
  const known = managerKeys();
  const dir = mkdtempSync(path.join(tmpdir(), 'catalog-values-'));
  try {
    const probes: { file: string; id: string; value: string; good: boolean }[] = [];
    const done = new Set<string>();
    for (const section of LOADABLE) {
      const type = typeFor(section);
      if (!type || section === 'Install') continue; // the manager does not read [Install]
      for (const d of directivesOf(section)) {
        if (!known.get(section)?.has(d.name) || done.has(`${d.parser} ${d.name}`)) continue;
        done.add(`${d.parser} ${d.name}`);
        let good: string[] = [];
        let bad: string[] = [];
        if (d.kind === 'enum') {
          const newer = version <= 252 ? VALUES_NEWER_THAN_252[d.parser] ?? [] : [];
          good = (d.enumValues ?? []).filter((v) => !newer.includes(v));
          good.push(...(d.enumPrefixes ?? []).map((p) => (p === 'fd:' ? 'fd:foo' : `${p}/tmp/x`)));
          if (d.enumBooleans) good.push('true', 'Off');
          // string tables are case-sensitive (boolean spellings are not)
          const upper = (d.enumValues ?? []).filter((v) => !(d.enumBooleans && BOOLEAN_WORDS.has(v))).slice(0, 1).map((v) => v.toUpperCase());
          bad = ['bogus-value', ...upper];
        } else if (d.kind === 'unit') {
          const want = d.name === 'Slice' ? 'slice' : 'service';
          good = [`foo.${want}`];
          bad = ['foo'];
        } else if (d.kind === 'unit-list' && section === 'Unit') {
          good = ['foo.service bar.target'];
          bad = ['foo'];
        } else {
          const s = SAMPLES[d.kind];
          if (!s) continue;
          ({ good, bad } = s);
        }
        for (const [values, isGood] of [[good, true], [bad, false]] as const) {
          for (const value of values) {
            const file = path.join(dir, `v${probes.length}.${type}`);
            const head = section === 'Unit' ? '[Unit]\n' : `[Unit]\nDescription=probe\n[${section}]\n`;
            writeFileSync(file, `${head}${d.name}=${value}\n`);
            probes.push({ file, id: `${section}.${d.name}`, value, good: isGood });
          }
        }
      }
    }
    const complaints = new Map<string, string[]>();
    for (let i = 0; i < probes.length; i += 300) {
      const r = spawnSync(analyze, ['verify', '--man=no', '--generators=no', ...probes.slice(i, i + 300).map((p) => p.file)], { encoding: 'utf8', maxBuffer: 64 << 20 });
      for (const line of `${r.stdout}\n${r.stderr}`.split('\n')) {
        const m = /^(\/.+?):(\d+): (.*)$/.exec(line);
        if (m) (complaints.get(`${m[1]}:${m[2]}`) ?? complaints.set(`${m[1]}:${m[2]}`, []).get(`${m[1]}:${m[2]}`)!).push(m[3]);
      }
    }
    const wrong: string[] = [];
    for (const p of probes) {
      const lineNo = p.id.startsWith('Unit.') ? 2 : 4;
      const msgs = complaints.get(`${p.file}:${lineNo}`) ?? [];
      const refused = msgs.some((m) => REFUSED_RE.test(m));
      if (refused === p.good) wrong.push(`${p.id}=${p.value}: systemd ${refused ? 'refuses' : 'accepts'} it${msgs.length ? ` (${msgs.join('; ')})` : ''}`);
    }
    assert.deepEqual(wrong, [], `values where the catalog's kind disagrees with systemd ${version}`);
    t.diagnostic(`${probes.length} values probed for ${done.size} directives`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sections per unit type match what systemd reads', (t) => {
  if (!analyze) return unavailable(t, 'systemd-analyze is not installed here');
  const dir = mkdtempSync(path.join(tmpdir(), 'catalog-sections-'));
  try {
    const files: string[] = [];
    const expectations: { where: string; type: string; section: string; allowed: boolean }[] = [];
    for (const type of ['service', 'socket', 'device', 'mount', 'automount', 'swap', 'target', 'path', 'timer', 'slice'] as UnitType[]) {
      const file = path.join(dir, `probe.${type}`);
      const lines: string[] = [];
      for (const section of allSectionNames()) {
        lines.push(`[${section}]`);
        expectations.push({ where: `${file}:${lines.length}`, type, section, allowed: sectionsForUnitType(type).includes(section) });
        lines.push('ZzzSentinel=');
      }
      writeFileSync(file, `${lines.join('\n')}\n`);
      files.push(file);
    }
    const r = spawnSync(analyze, ['verify', '--man=no', '--generators=no', ...files], { encoding: 'utf8', maxBuffer: 16 << 20 });
    const out = `${r.stdout}\n${r.stderr}`;
    const wrong: string[] = [];
    for (const e of expectations) {
      const [file, line] = [e.where.slice(0, e.where.lastIndexOf(':')), Number(e.where.slice(e.where.lastIndexOf(':') + 1))];
      const unknownSection = out.includes(`${file}:${line}: Unknown section '${e.section}'`);
      const keyRead = out.includes(`${file}:${line + 1}: Unknown key 'ZzzSentinel' in section [${e.section}]`);
      if (e.allowed && !keyRead) wrong.push(`[${e.section}] in a .${e.type}: systemd does not read it`);
      if (!e.allowed && !unknownSection) wrong.push(`[${e.section}] in a .${e.type}: systemd reads it`);
    }
    assert.deepEqual(wrong, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
