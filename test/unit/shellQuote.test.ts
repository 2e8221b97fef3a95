// shellQuote(): unit cases, then a differential test against real shells. For many random argv
// arrays (unicode, quotes, `$`, backticks, `;`, newlines, globs, tildes, backslashes, `!`…) the
// quoted command line is run as `SHELL -c LINE` — exactly what sshd does with an exec request —
// where LINE runs /usr/bin/printf '%s\0' MARK ARGS…; the words the program receives must be
// byte-identical to the argv we quoted. Every POSIX shell installed is tried (dash and bash are
// always there; zsh, mksh, ksh, yash, posh and busybox sh when installed), in the C and C.UTF-8
// locales. SHELLQUOTE_RUNS=n changes the number of random cases per shell.
// The checks of validate.ts (unit names, etcd keys, machine names, cursors: the values that are
// put on remote command lines) are tested at the end.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { shellQuote, shellQuoteArg } from '../../client/src/cluster/ssh/shellQuote';
import {
  ValidationError,
  assertEtcdKey,
  assertJournalCursor,
  assertMachineId,
  assertMachineName,
  assertUnitName,
  assertUnitPattern,
  validateEtcdKey,
  validateJournalCursor,
  validateMachineId,
  validateMachineName,
  validateUnitName,
  validateUnitPattern,
} from '../../client/src/cluster/validate';

const PRINTF = '/usr/bin/printf';
const MARK = 'BEGIN-ARGS';

const SHELLS: { name: string; argv: string[]; asciiOnlyInC?: boolean }[] = [
  { name: 'dash', argv: ['/usr/bin/dash'] },
  { name: 'bash', argv: ['/usr/bin/bash'] },
  { name: 'bash --posix', argv: ['/usr/bin/bash', '--posix'] },
  { name: 'zsh', argv: ['/usr/bin/zsh'] },
  { name: 'mksh', argv: ['/usr/bin/mksh'] },
  { name: 'ksh', argv: ['/usr/bin/ksh'] },
  // yash converts its whole command line to wide characters: in the C locale it cannot read any
  // non-ASCII byte, quoted or not (it replaces the line with an empty one), so there it gets ASCII.
  { name: 'yash', argv: ['/usr/bin/yash'], asciiOnlyInC: true },
  { name: 'posh', argv: ['/usr/bin/posh'] },
  { name: 'busybox sh', argv: ['/usr/bin/busybox', 'sh'] },
].filter((s) => existsSync(s.argv[0]));

function runInShell(shell: string[], line: string, locale: string): { words: Buffer[]; stderr: string; status: number | null } {
  const r = spawnSync(shell[0], [...shell.slice(1), '-c', line], {
    env: { PATH: '/usr/bin:/bin', HOME: '/nonexistent', LC_ALL: locale, ZDOTDIR: '/nonexistent' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const out = r.stdout;
  const words: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < out.length; i++) {
    if (out[i] === 0) {
      words.push(out.subarray(start, i));
      start = i + 1;
    }
  }
  if (start !== out.length) words.push(out.subarray(start)); // unterminated tail: always a failure
  return { words, stderr: r.stderr.toString(), status: r.status };
}

function check(shell: { name: string; argv: string[] }, args: string[], locale: string): void {
  const line = shellQuote([PRINTF, '%s\\0', MARK, ...args]);
  const r = runInShell(shell.argv, line, locale);
  const expected = [MARK, ...args].map((a) => Buffer.from(a, 'utf8'));
  const ok = r.status === 0 && r.words.length === expected.length && r.words.every((w, i) => w.equals(expected[i]));
  if (!ok) {
    assert.fail(
      `${shell.name} (${locale}) did not receive the argv back\n  argv: ${JSON.stringify(args)}\n  line: ${JSON.stringify(line)}\n` +
        `  got:  ${JSON.stringify(r.words.map((w) => w.toString('utf8')))}\n  status ${r.status} stderr ${JSON.stringify(r.stderr)}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Unit cases

test('plain words stay bare; everything else is single-quoted', () => {
  assert.equal(shellQuoteArg('journalctl'), 'journalctl');
  assert.equal(shellQuoteArg('--output=json'), '--output=json');
  assert.equal(shellQuoteArg('helloworld@1.service'), 'helloworld@1.service');
  assert.equal(shellQuoteArg('/etc/systemd/system/a.service'), '/etc/systemd/system/a.service');
  assert.equal(shellQuoteArg(''), "''");
  assert.equal(shellQuoteArg('a b'), "'a b'");
  assert.equal(shellQuoteArg("it's"), "'it'\\''s'");
  assert.equal(shellQuoteArg("'"), "\\'");
  assert.equal(shellQuoteArg("''"), "\\'\\'");
  assert.equal(shellQuoteArg("'a'"), "\\''a'\\'");
  assert.equal(shellQuoteArg('$HOME'), "'$HOME'");
  assert.equal(shellQuoteArg('`id`'), "'`id`'");
  assert.equal(shellQuoteArg('a\nb'), "'a\nb'");
  assert.equal(shellQuoteArg('~root'), "'~root'");
  assert.equal(shellQuoteArg('=ls'), "'=ls'");
  assert.equal(shellQuoteArg('*.service'), "'*.service'");
  assert.equal(shellQuoteArg('x\\x2d'), "'x\\x2d'");
  assert.equal(shellQuoteArg('café'), "'café'");
});

test('the command word is quoted so it is never an alias or a reserved word', () => {
  assert.equal(shellQuote(['journalctl', '-o', 'json']), "'journalctl' -o json");
  assert.equal(shellQuote(['!', 'true']), "'!' true");
  assert.equal(shellQuote(['time', 'ls']), "'time' ls");
  assert.equal(shellQuote(['A=b', 'c']), "'A=b' c");
  assert.equal(shellQuote(['ls', '-l'], { quoteCommand: false }), 'ls -l');
  assert.throws(() => shellQuote([]), TypeError);
});

test('arguments that cannot be sent unchanged are refused', () => {
  assert.throws(() => shellQuote(['echo', 'a\0b']), /NUL/);
  assert.throws(() => shellQuote(['echo', 'a\uD800b']), /surrogate/);
  assert.throws(() => shellQuote(['echo', '\uDC00']), /surrogate/);
  assert.equal(shellQuoteArg('😀'), "'😀'");
});

test('a quoted word never lets a following command through (sh)', () => {
  const r = runInShell(['/bin/sh'], `${shellQuote([PRINTF, '%s\\0', "'; echo PWNED; '", '$(echo PWNED)', '`echo PWNED`'])}`, 'C');
  assert.equal(r.status, 0);
  assert.deepEqual(
    r.words.map((w) => w.toString()),
    ["'; echo PWNED; '", '$(echo PWNED)', '`echo PWNED`'],
  );
});

// ---------------------------------------------------------------------------------------------
// Differential: random argv through real shells

const NASTY = [
  "'", '"', '\\', '$', '`', ';', '&', '|', '<', '>', '(', ')', '{', '}', '[', ']', '*', '?', '~', '#', '!', '^', '%', '=', ',', ':', '@',
  '+', '-', '.', '/', ' ', '\t', '\n', '\r', '\x0b', '\x01', '\x7f', 'a', 'Z', '0', '9', '_', 'é', 'ß', '€', 'ü', '\u00a0', '\u2028',
  '😀', '日', '\u0301', '$(', '${', '$((', "'\\''", '\\n', '*/', '--', 'IFS', '$IFS', '$@', '$*', '$?', '$$', '!!', '~/', '~root',
];
const word = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.constantFrom(...NASTY), { maxLength: 8 }).map((parts) => parts.join('')) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }).map((s) => s.replace(/\0/g, '').replace(/[\uD800-\uDFFF]/g, '')) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 16 }).map((s) => s.replace(/\0/g, '')) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '\n', "'", "''", '\\', '-', '=', '=x', 'a=b', '*', '~', '!', '#', '{a,b}', 'a\\', '\\\'') },
);
const argvArb = fc.array(word, { maxLength: 6 });
const RUNS = Number(process.env.SHELLQUOTE_RUNS ?? 150);

for (const shell of SHELLS) {
  test(`differential: ${shell.name} -c receives the argv byte for byte`, () => {
    let runs = 0;
    for (const locale of ['C', 'C.UTF-8']) {
      fc.assert(
        fc.property(argvArb, (generated) => {
          runs++;
          const args = shell.asciiOnlyInC && locale === 'C' ? generated.map((a) => a.replace(/[^\x00-\x7f]/g, '?')) : generated;
          check(shell, args, locale);
        }),
        { numRuns: RUNS, seed: Number(process.env.SHELLQUOTE_SEED ?? 20240611) },
      );
    }
    // One long line too: every nasty fragment as its own word, and all of them glued together.
    check(shell, [...NASTY, NASTY.join('')], 'C.UTF-8');
    assert.ok(runs >= RUNS * 2);
  });
}

test('batch: 2,000 random argv run as one multi-line script stay separate commands (dash, bash)', () => {
  const samples = fc.sample(argvArb, { numRuns: 2000, seed: 7 });
  // One printf per line, each output record ended by a "\1END\0" word; a quoting bug would merge,
  // split or drop commands and shift every record after it.
  const script = samples.map((args) => shellQuote([PRINTF, '%s\\0', ...args, '\x01END'])).join('\n');
  for (const shell of SHELLS.filter((s) => s.name === 'dash' || s.name === 'bash')) {
    const r = runInShell(shell.argv, script, 'C.UTF-8');
    assert.equal(r.status, 0, r.stderr);
    const records: string[][] = [[]];
    for (const w of r.words) {
      const s = w.toString('utf8');
      if (s === '\x01END') records.push([]);
      else records[records.length - 1].push(s);
    }
    records.pop();
    assert.equal(records.length, samples.length);
    for (let i = 0; i < samples.length; i++) assert.deepEqual(records[i], samples[i], `${shell.name}: record ${i}`);
  }
});

// ---------------------------------------------------------------------------------------------
// validate.ts: names checked before they are put on a remote command line

test('validateUnitName: systemd rules for units that can run', () => {
  const ok = ['helloworld@1.service', 'helloworld-sidekick@3.service', 'a.target', '-.mount', 'dev-sda1.device', 'x\\x2dy.service', 'a:b_c.socket', 'sys-fs.mount'];
  for (const n of ok) assert.equal(validateUnitName(n), undefined, n);
  const bad: [string, RegExp][] = [
    ['', /empty/],
    ['foo', /type suffix/],
    ['foo.servic', /Did you mean \.service/],
    ['a b.service', /space/],
    ['a;rm -rf.service', /not a valid unit name/],
    ['$(id).service', /not a valid unit name/],
    ['a\n.service', /newline/],
    ['%i.service', /specifiers/],
    ['helloworld@.service', /template/],
    ['@x.service', /empty/],
    ['x@y.mount', /cannot be templates/],
    [`${'a'.repeat(250)}.service`, /too long/],
    ['/etc/fstab', /path/],
  ];
  for (const [n, re] of bad) assert.match(validateUnitName(n) ?? 'accepted', re, JSON.stringify(n));
  assert.equal(validateUnitName('helloworld@.service', { allowTemplate: true }), undefined);
  assert.throws(() => assertUnitName('a b.service'), (e: unknown) => e instanceof ValidationError && e.kind === 'unit name');
  assert.equal(assertUnitName('a.service'), 'a.service');
});

test('validateUnitPattern: globs for journalctl -u and systemctl', () => {
  for (const p of ['helloworld@*.service', 'web-?', 'db[12].service', 'helloworld@1.service']) assert.equal(validateUnitPattern(p), undefined, p);
  assert.match(validateUnitPattern('a[.service')!, /not closed/);
  assert.match(validateUnitPattern('a;b*')!, /";" is not allowed/);
  assert.match(validateUnitPattern('a\n*')!, /newline/);
  assert.match(validateUnitPattern('x y')!, /space/);
  assert.throws(() => assertUnitPattern('$(x)*'), ValidationError);
});

test('validateEtcdKey: absolute paths without control characters or empty segments', () => {
  for (const k of ['/services/helloworld/core-01', '/unit-fleet/units/helloworld@1.service', '/a b/ü/😀', '/x']) assert.equal(validateEtcdKey(k), undefined, k);
  for (const k of ['/services/helloworld/', '/', '/unit-fleet/']) assert.equal(validateEtcdKey(k, { prefix: true }), undefined, k);
  const bad: [string, RegExp][] = [
    ['', /empty/],
    ['services/x', /absolute/],
    ['/a//b', /empty segment/],
    ['/a/', /ends with "\/"/],
    ['/', /whole keyspace/],
    ['/a/../b', /"\.\." segment/],
    ['/a/./b', /"\." segment/],
    ['/a\nb', /newline/],
    ['/a\u0000b', /U\+0000/],
    ['/a\u007fb', /U\+007F/],
    ['/a\u2028b', /U\+2028/],
    ['/a\uD800', /surrogate/],
    [`/${'x'.repeat(9000)}`, /too long/],
  ];
  for (const [k, re] of bad) assert.match(validateEtcdKey(k) ?? 'accepted', re, JSON.stringify(k));
  assert.match(validateEtcdKey('/a//', { prefix: true })!, /empty segment/);
  assert.throws(() => assertEtcdKey('x'), ValidationError);
});

test('validateMachineName / validateMachineId / validateJournalCursor', () => {
  for (const n of ['core-01', 'node_2.example', 'A', 'x'.repeat(63)]) assert.equal(validateMachineName(n), undefined, n);
  assert.match(validateMachineName('-core')!, /start with a letter or a digit/);
  assert.match(validateMachineName('core 01')!, /" " is not allowed/);
  assert.match(validateMachineName('x'.repeat(64))!, /too long/);
  assert.match(validateMachineName('')!, /empty/);
  assert.equal(validateMachineId('0123456789abcdef0123456789abcdef'), undefined);
  assert.match(validateMachineId('0123456789ABCDEF0123456789ABCDEF')!, /lowercase/);
  assert.match(validateMachineId('0'.repeat(32))!, /zeros/);
  assert.match(validateMachineId('123')!, /32 hexadecimal/);
  assert.equal(validateJournalCursor('s=43a1ae7a6b7b49b29b3f06549d00c033;i=2;b=0123456789abcdef0123456789abcdef;m=3e9;t=60a24181e43e8;x=43c40371f08c728b'), undefined);
  assert.match(validateJournalCursor('a b')!, /not a journal cursor/);
  assert.match(validateJournalCursor("a'b")!, /not a journal cursor/);
  assert.match(validateJournalCursor('')!, /empty/);
  assert.throws(() => assertMachineName('a b'), ValidationError);
  assert.throws(() => assertMachineId('x'), ValidationError);
  assert.throws(() => assertJournalCursor('x\ny'), ValidationError);
});
