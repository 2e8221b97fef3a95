// The command-line parser (systemd's rules for Exec*= values) and the shell payload parser: words
// with exact offsets into the directive's value, quoting, escapes, prefixes, specifiers,
// environment variables, and the commands inside `sh -c` scripts.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { effectiveArgv, execCommandOf, execLinesOf, parseExecLine, programName, type ExecLine, type SimpleCommand, type Word } from '../../server/src/language/commandLine';
import { dockerInvocation } from '../../server/src/language/commandLine/docker';
import { parseUnitFile } from '../../server/src/language/unitFile/parser';
import { mulberry32 } from '../helpers/random';

/** The raw text a word covers in the value. */
const raw = (value: string, w: { offset: number; length: number }) => value.slice(w.offset, w.offset + w.length);
const texts = (ws: Word[]) => ws.map((w) => w.text);
const kinds = (line: ExecLine) => line.problems.map((p) => p.kind);
const execs = (line: ExecLine) => line.commands.filter((c) => c.via === 'exec');
const shells = (line: ExecLine) => line.commands.filter((c) => c.via === 'shell');
/** A script as one systemd single-quoted word (\\ ' % $ and newlines escaped): the shell receives it unchanged. */
const systemdQuoted = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/%/g, '%%').replace(/\$/g, '$$$$').replace(/\n/g, '\\n')}'`;

/** Every word of every command covers exactly the raw text we expect. */
function assertWords(value: string, command: SimpleCommand, expected: Array<[text: string, raw: string]>): void {
  assert.deepEqual(
    command.argv.map((w) => [w.text, raw(value, w)]),
    expected,
  );
}

describe('words, quotes and escapes', () => {
  test('splits at whitespace with offsets into the value', () => {
    const v = '/usr/bin/docker run  --rm\t--name web';
    const [c] = parseExecLine('ExecStart', v).commands;
    assert.equal(c.via, 'exec');
    assertWords(v, c, [
      ['/usr/bin/docker', '/usr/bin/docker'],
      ['run', 'run'],
      ['--rm', '--rm'],
      ['--name', '--name'],
      ['web', 'web'],
    ]);
    assert.deepEqual(c.assignments, []);
  });

  test('quotes may start anywhere in a word; the raw range includes them', () => {
    const v = `/bin/echo "a b" 'c d' x"y z"w ''`;
    const [c] = parseExecLine('ExecStart', v).commands;
    assertWords(v, c, [
      ['/bin/echo', '/bin/echo'],
      ['a b', '"a b"'],
      ['c d', "'c d'"],
      ['xy zw', 'x"y z"w'],
      ['', "''"],
    ]);
  });

  test('C escapes are decoded, in single quotes too (unlike a shell)', () => {
    const v = String.raw`/bin/echo \x41\102 "\t\"" 'it\'s' \u00e9 \U0001F600 \s \\`;
    const line = parseExecLine('ExecStart', v);
    assert.deepEqual(texts(line.commands[0].argv.slice(1)), ['AB', '\t"', "it's", 'é', '😀', ' ', '\\']);
    assert.deepEqual(line.problems, []);
  });

  test('an unknown escape is kept verbatim and reported as such', () => {
    const v = String.raw`/bin/echo \d \x4g`;
    const line = parseExecLine('ExecStart', v);
    assert.deepEqual(texts(line.commands[0].argv.slice(1)), ['\\d', '\\x4g']);
    assert.deepEqual(line.problems.map((p) => [p.kind, raw(v, p)]), [['unknown-escape', '\\d'], ['unknown-escape', '\\x']]);
  });

  test('an unterminated quote is reported where it opens', () => {
    for (const [v, at] of [[`/bin/echo "abc`, 10], [`/bin/sh -c 'echo it's done'`, 26], [`/bin/echo 'a' "b\\"`, 14], [`"/bin/true`, 0]] as const) {
      const line = parseExecLine('ExecStart', v);
      assert.deepEqual(line.problems.map((p) => [p.kind, p.offset, p.length]), [['unterminated-quote', at, 1]], v);
    }
  });

  test('\\; alone is a literal semicolon, a lone ; separates commands (systemd 252)', () => {
    const v = String.raw`/usr/bin/find /tmp -exec rm {} \; ; -/bin/echo done`;
    const line = parseExecLine('ExecStart', v);
    const [find, echo] = execs(line);
    assert.deepEqual(texts(find.argv), ['/usr/bin/find', '/tmp', '-exec', 'rm', '{}', ';']);
    assert.equal(raw(v, find.argv[5]), '\\;');
    assert.deepEqual(texts(echo.argv), ['/bin/echo', 'done']);
    assert.equal(echo.prefixes, '-');
    assert.equal(echo.offset, v.indexOf('-/bin/echo'));
    assert.equal(line.prefixes, '');
    // "a;" and ";b" are plain words, a quoted ";" argument too.
    assert.deepEqual(texts(parseExecLine('ExecStart', `/bin/echo a; ;b ";"`).commands[0].argv), ['/bin/echo', 'a;', ';b', ';']);
  });
});

describe('prefixes and the executable', () => {
  test('every valid combination, in any order', () => {
    for (const p of ['-', '@', ':', '+', '!', '!!', '-@', '@-', ':-+', '!!-', '-!!', '!-!', '@:!', '+@-:']) {
      const line = parseExecLine('ExecStart', `${p}/bin/true argv0`);
      assert.deepEqual(line.problems, [], p);
      assert.equal(line.prefixes, p);
      assert.equal(line.commands[0].argv[0].text, '/bin/true');
      assert.equal(line.commands[0].argv[0].offset, p.length);
    }
  });

  test('repeated or conflicting prefixes', () => {
    const cases: Array<[string, string]> = [
      ['+!/bin/true', 'bad-prefix'],
      ['!+/bin/true', 'bad-prefix'],
      ['!!!/bin/true', 'bad-prefix'],
      ['--/bin/true', 'bad-prefix'],
      ['@@/bin/true x', 'bad-prefix'],
      ['--true', 'prefix-in-name'], // systemd runs a program named "-true"
    ];
    for (const [v, kind] of cases) assert.deepEqual(kinds(parseExecLine('ExecStart', v)), [kind], v);
  });

  test('prefixes inside quotes still count (the first word is unquoted first)', () => {
    const line = parseExecLine('ExecStart', `"-/bin/true" x`);
    assert.equal(line.prefixes, '-');
    assert.equal(line.commands[0].argv[0].text, '/bin/true');
  });

  test('@ takes argv[0] from the next word', () => {
    const v = '@/usr/sbin/daemon my-daemon --foreground';
    const [c] = parseExecLine('ExecStart', v).commands;
    assert.deepEqual(texts(c.argv), ['/usr/sbin/daemon', '--foreground']);
    assert.equal(c.argv0?.text, 'my-daemon');
    assert.deepEqual(kinds(parseExecLine('ExecStart', '@/bin/true')), ['missing-argv0']);
  });

  test('empty commands', () => {
    for (const v of ['-', '@', '-@', '""', '+ x']) assert.deepEqual(kinds(parseExecLine('ExecStart', v)), ['empty-command'], v);
  });

  test('the executable: absolute, or a plain name looked up in PATH', () => {
    for (const ok of ['/bin/true', 'true', 'docker', '/usr/bin/../bin/true', '%h/bin/tool', 'tr%%ue', '/bin/tr€ue']) {
      assert.deepEqual(kinds(parseExecLine('ExecStart', ok)), [], ok);
    }
    for (const bad of ['bin/true', './true', '..', '/bin/', 'a/', '${BINDIR}/tool', '"/bin/true\\n"', '/bin/tr\\"ue']) {
      assert.deepEqual(kinds(parseExecLine('ExecStart', bad)), ['invalid-executable'], bad);
    }
  });
});

describe('specifiers and environment variables', () => {
  test('unknown specifiers are errors with a %% repair; %% and a lone % are literal', () => {
    const v = '/bin/echo %i %n %%s %z x% %- %5';
    const line = parseExecLine('ExecStart', v);
    assert.deepEqual(line.problems.map((p) => [p.kind, raw(v, p), p.fix?.text, p.fix?.offset]), [
      ['unknown-specifier', '%z', '%', v.indexOf('%z')],
      ['unknown-specifier', '%5', '%', v.indexOf('%5')],
    ]);
    const argv = line.commands[0].argv;
    assert.deepEqual(argv.map((w) => w.dynamic), [false, true, true, false, false, false, false, false]);
  });

  test('%c %r %R are deprecated, not unknown', () => {
    assert.deepEqual(kinds(parseExecLine('ExecStart', '/bin/echo %c %r %R')), ['deprecated-specifier', 'deprecated-specifier', 'deprecated-specifier']);
  });

  test('$VAR (a whole word) and ${VAR} are recorded; : turns expansion off', () => {
    const v = '/bin/echo $HOST ${PORT} pre${X}post a$B $$';
    const line = parseExecLine('ExecStart', v);
    assert.deepEqual(line.variables?.map((r) => [r.name, r.braced, raw(v, r)]), [
      ['HOST', false, '$HOST'],
      ['PORT', true, '${PORT}'],
      ['X', true, '${X}'],
    ]);
    assert.deepEqual(line.commands[0].argv.map((w) => w.dynamic), [false, true, true, true, false, false]);
    const literal = parseExecLine('ExecStart', ':/bin/echo $HOST ${PORT}');
    assert.deepEqual(literal.variables, []);
    assert.deepEqual(literal.commands[0].argv.map((w) => w.dynamic), [false, false, false]);
  });

  test('${…} that is no variable name becomes empty: reported with a $${…} repair', () => {
    const v = '/bin/echo ${#X} ${X:-default}';
    const line = parseExecLine('ExecStart', v);
    assert.deepEqual(line.problems.map((p) => [p.kind, raw(v, p), p.fix?.text]), [['systemd-expands-variable', '${#X}', '$']]);
  });
});

describe('shell payloads', () => {
  test('the sidekick: commands inside $(…), lists and quotes, with exact offsets', () => {
    const v = `/bin/sh -c 'LEASE=$(etcdctl lease grant 10 | cut -d" " -f2); etcdctl put --lease=$LEASE /services/helloworld/%H "$(hostname -I | cut -d" " -f1):3000"; exec etcdctl lease keep-alive $LEASE'`;
    const line = parseExecLine('ExecStart', v);
    assert.deepEqual(line.problems, []);
    const cmds = shells(line);
    assert.deepEqual(
      cmds.map((c) => [texts(c.assignments).join(' '), texts(c.argv).join(' ')]),
      [
        ['', 'etcdctl lease grant 10'],
        ['', 'cut -d  -f2'],
        ['LEASE=$(etcdctl lease grant 10 | cut -d" " -f2)', ''],
        ['', 'hostname -I'],
        ['', 'cut -d  -f1'],
        ['', 'etcdctl put --lease=$LEASE /services/helloworld/%H $(hostname -I | cut -d" " -f1):3000'],
        ['', 'exec etcdctl lease keep-alive $LEASE'],
      ],
    );
    const put = cmds[5];
    assert.deepEqual(put.argv.map((w) => raw(v, w)), ['etcdctl', 'put', '--lease=$LEASE', '/services/helloworld/%H', '"$(hostname -I | cut -d" " -f1):3000"']);
    assert.deepEqual(put.argv.map((w) => w.dynamic), [false, false, true, true, true]);
    assert.equal(raw(v, cmds[1].argv[1]), '-d" "');
    // Only the last command decides the exit status.
    assert.deepEqual(cmds.map((c) => c.exitStatusMatters), [false, false, false, false, false, false, true]);
    assert.deepEqual(texts(effectiveArgv(cmds[6])), ['etcdctl', 'lease', 'keep-alive', '$LEASE']);
    assert.equal(programName(cmds[6]), 'etcdctl');
    assert.equal(execCommandOf(line, cmds[6]), line.commands[0]);
  });

  test('offsets through systemd double quotes and escapes', () => {
    const v = String.raw`/bin/bash -c "echo \"a b\" \x41 && test -f /x"`;
    const cmds = shells(parseExecLine('ExecStart', v));
    assert.deepEqual(cmds.map((c) => c.argv.map((w) => [w.text, raw(v, w)])), [
      [['echo', 'echo'], ['a b', String.raw`\"a b\"`], ['A', String.raw`\x41`]],
      [['test', 'test'], ['-f', '-f'], ['/x', '/x']],
    ]);
  });

  test('loops, conditions, case, groups, subshells, backticks, pipelines', () => {
    const v = `/bin/sh -ec 'for i in 1 2; do docker rm web-$i || true; done; while read -r k; do etcdctl del "$k"; done < /run/keys; if [ -f /x ]; then a; elif b; then c; else d; fi; case "$1" in start) e;; *) f;; esac; { g; h; } | (i) & k=\`j\`; l'`;
    const line = parseExecLine('ExecStart', v);
    assert.deepEqual(line.problems, []);
    assert.deepEqual(shells(line).map((c) => texts(c.argv)[0] ?? texts(c.assignments)[0]), ['docker', 'true', 'read', 'etcdctl', '[', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k=`j`', 'l']);
    // -e: every untested command can stop the script.
    const matters = Object.fromEntries(shells(line).map((c) => [texts(c.argv)[0] ?? 'k=', c.exitStatusMatters]));
    assert.equal(matters.docker, false); // rescued by || true
    assert.equal(matters['['], false); // a condition
    assert.equal(matters.etcdctl, true);
    assert.equal(matters.l, true);
  });

  test('/usr/bin/env bash -c, busybox sh -c, bash -o pipefail -c; not sh script.sh', () => {
    assert.equal(shells(parseExecLine('ExecStart', `/usr/bin/env bash -c 'docker ps'`)).length, 1);
    assert.equal(shells(parseExecLine('ExecStart', `/bin/busybox sh -c 'docker ps'`)).length, 1);
    assert.equal(shells(parseExecLine('ExecStart', `/bin/bash -o pipefail -c 'docker ps | head'`)).length, 2);
    assert.equal(shells(parseExecLine('ExecStart', `/bin/sh /usr/local/bin/start.sh -c x`)).length, 0);
    assert.equal(shells(parseExecLine('ExecStart', `@/bin/sh sh -c 'docker ps'`)).length, 1);
  });

  test('a shell inside the shell', () => {
    // systemd decodes \" inside its single quotes, so the shell sees "sh -c "etcdctl get /k"" (su is no shell).
    const v = `/bin/sh -c 'su app -c "sh -c \\"etcdctl get /k\\""'`;
    assert.deepEqual(shells(parseExecLine('ExecStart', v)).map((c) => texts(c.argv).join(' ')), ['su app -c sh -c etcdctl get /k']);
    const w = `/bin/sh -c 'exec bash -c "etcdctl get /k; docker ps"'`;
    const cmds = shells(parseExecLine('ExecStart', w));
    assert.deepEqual(cmds.map((c) => texts(c.argv)[0]), ['exec', 'etcdctl', 'docker']);
    assert.equal(raw(w, cmds[1].argv[2]), '/k');
    assert.deepEqual(cmds.map((c) => c.exitStatusMatters), [true, false, true]);
  });

  test('systemd expansions before the shell: %% and $$ pass through, ${VAR} is systemd\'s', () => {
    const v = `/bin/sh -c 'echo $$ $$$$ $(date +%%s) \${HOME} $HOME'`;
    const echo = shells(parseExecLine('ExecStart', v)).find((c) => c.argv[0].text === 'echo')!;
    assert.deepEqual(texts(echo.argv), ['echo', '$', '$$', '$(date +%s)', '${HOME}', '$HOME']);
  });

  test('unbalanced quotes, unclosed $( ${ backticks and compounds, at the right place', () => {
    const cases: Array<[string, string, string]> = [
      [`/bin/sh -c 'echo "hi; ls'`, 'shell-unbalanced-quote', '"'],
      [`/bin/sh -c "echo 'hi; ls"`, 'shell-unbalanced-quote', "'"],
      [`/bin/sh -c 'echo $(date; ls'`, 'shell-unclosed-substitution', '$('],
      [`/bin/sh -c 'echo \${x; ls'`, 'shell-unclosed-parameter', '${'],
      [`/bin/sh -c 'echo \`date; ls'`, 'shell-unclosed-backtick', '`'],
      [`/bin/sh -c 'if true; then ls'`, 'shell-unclosed-compound', 'if'],
      [`/bin/sh -c 'while true; do ls'`, 'shell-unclosed-compound', 'while'],
      [`/bin/sh -c 'ls; fi'`, 'shell-unexpected-token', 'fi'],
      [`/bin/sh -c 'ls )'`, 'shell-unexpected-token', ')'],
      [`/bin/sh -c 'ls && ; x'`, 'shell-unexpected-token', ';'],
      [`/bin/sh -c 'x=\`echo "\`'`, 'shell-in-backticks', '"'],
    ];
    for (const [v, kind, at] of cases) {
      const line = parseExecLine('ExecStart', v);
      assert.deepEqual(line.problems.map((p) => [p.kind, raw(v, p)]), [[kind, at]], v);
    }
  });

  test('the quote position maps across continuation lines', () => {
    const text = `[Service]\nExecStart=/bin/sh -c 'while true; do \\\n  etcdctl put /k "$(hostname):3000; \\\n  sleep 45; done'\n`;
    const file = parseUnitFile(text);
    const [{ assignment, line }] = execLinesOf(file);
    const [p] = line.problems;
    assert.equal(p.kind, 'shell-unbalanced-quote');
    assert.equal(assignment.value.slice(p.offset, p.offset + 1), '"');
    assert.equal(assignment.value.slice(p.offset - 16, p.offset), 'etcdctl put /k '.padStart(16));
  });

  test('fine shell syntax is not flagged', () => {
    for (const script of [
      `echo "a 'b' c" 'd "e"' \\" \\' \\\\`,
      `x=$((1 + 2)); echo $((x * 3)) $(( (1+2) ))`,
      `case $1 in (a|b) x;; c) ;; esac`,
      `f() { echo hi; }; f`,
      `cat <<EOF\nit's fine "\nEOF\necho done`,
      `echo $(echo $(echo "nested ) paren"))`,
      `arr=(1 2 3); echo \${arr[@]}`,
      `[[ $x == a* && -n "$y" ]] && echo yes`,
      `echo a # it's a comment`,
      `trap "rm -f /tmp/x" EXIT; exec "$@"`,
      `for ((i = 0; i < 3; i++)); do echo $i; done`,
      `echo \${x:-"default value"}`,
      `! grep -q x /etc/y || exit 1`,
      `{ echo a; echo b; } > /tmp/out 2>&1`,
      `echo $'it\\'s'`,
      `echo 100%; printf '%s\\n' "$HOME" \${#HOME}`,
    ]) {
      const v = `/bin/bash -c ${systemdQuoted(script)}`;
      const line = parseExecLine('ExecStart', v);
      assert.deepEqual(line.problems.filter((p) => p.kind.startsWith('shell-')), [], `${script}\n${v}`);
    }
  });

  test('sh: only what both bash and dash refuse ($\'…\' and [[ are bash)', () => {
    assert.deepEqual(kinds(parseExecLine('ExecStart', `/bin/sh -c '[[ -f /x'`)), []);
    assert.deepEqual(kinds(parseExecLine('ExecStart', `/bin/bash -c '[[ -f /x'`)), ['shell-unclosed-compound']);
  });

  test('${VAR} the script assigns itself is replaced by systemd first', () => {
    const v = `/bin/sh -c 'for f in /etc/app/*.conf; do echo \${f} $f; done; HOST=$(hostname); echo \${HOST} \${PATH}'`;
    const line = parseExecLine('ExecStart', v);
    assert.deepEqual(line.problems.map((p) => [p.kind, raw(v, p)]), [['systemd-expands-variable', '${f}'], ['systemd-expands-variable', '${HOST}']]);
    assert.deepEqual(kinds(parseExecLine('ExecStart', `:/bin/sh -c 'for f in *; do echo \${f}; done'`)), []);
  });
});

describe('execLinesOf and docker', () => {
  test('every non-empty Exec*= of [Service] and [Socket], continuation lines joined, cached per file', () => {
    const file = parseUnitFile('[Service]\nExecStartPre=-/bin/true\nExecStart=\nExecStart=/bin/echo a \\\n  b\nExecReload=/bin/kill -HUP $MAINPID\nUser=x\n[Socket]\nExecStopPre=/bin/true\n');
    const lines = execLinesOf(file);
    assert.deepEqual(lines.map((l) => [l.assignment.key, texts(l.line.commands[0].argv).join(' ')]), [
      ['ExecStartPre', '/bin/true'],
      ['ExecStart', '/bin/echo a b'],
      ['ExecReload', '/bin/kill -HUP $MAINPID'],
      ['ExecStopPre', '/bin/true'],
    ]);
    assert.equal(execLinesOf(file), lines);
  });

  test('docker actions, container names and flags', () => {
    const d = (v: string) => dockerInvocation(parseExecLine('ExecStart', v).commands[0])!;
    assert.deepEqual([d('/usr/bin/docker rm -f web').action, texts(d('/usr/bin/docker rm -f web').operands)], ['rm', ['web']]);
    assert.equal(d('/usr/bin/docker -H unix:///run/d.sock container remove x').action, 'rm');
    assert.equal(d('/usr/bin/docker kill -s HUP web').operands[0].text, 'web');
    const run = d('/usr/bin/docker run -it --rm -p 80:80 -e A=1 --name=web-%i nginx sh -c x --name y');
    assert.equal(run.name?.value, 'web-%i');
    assert.ok(run.flags.has('--rm'));
    assert.equal(run.operands[0].text, 'nginx');
    assert.equal(d('/usr/bin/env docker run --name web nginx').name?.value, 'web');
  });
});

// ---------------------------------------------------------------------------------------------
// Differential: shell-syntax against bash -n and dash -n


test('shell payloads: no syntax error where bash -n or dash -n accept the script', (t) => {
  const have = (s: string) => spawnSync(s, ['-c', 'true']).status === 0;
  if (!have('bash') || !have('dash')) {
    if (process.env.CI) assert.fail('bash and dash are required under CI');
    t.skip('bash or dash missing');
    return;
  }
  const rnd = mulberry32(Number(process.env.SHELL_SEED ?? 7));
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const GOOD = ['echo', 'x', '"a b"', "'s'", '"a $x"', '$x', '${x}', '${x:-y}', '$(echo hi)', '`date`', '"$(date +%s)"', '$((1+2))', 'a=1', '*', '#c', '\\"', "\\'", '2>&1', '>/dev/null', '"$@"'];
  const BAD = ['"', "'", '$(', '`', '${', ')', '(', '}', '{', 'fi', 'done', 'then', 'do', 'esac', '!', '&&', '||', '|', ';', '&', ';;', '\n'];
  const simple = () => [pick(['echo', 'true', 'docker rm', 'etcdctl get', 'x=1', 'cat']), ...Array.from({ length: int(4) }, () => pick(GOOD))].join(' ');
  const list = (d: number): string => Array.from({ length: 1 + int(3) }, () => command(d)).reduce((s, c) => s + pick([' ; ', ' && ', ' || ', ' | ', ' & ', '\n']) + c);
  const command = (d: number): string => {
    if (d > 2) return simple();
    switch (int(10)) {
      case 0: return `if ${list(d + 1)}; then ${list(d + 1)}; ${pick(['', `else ${list(d + 1)}; `])}fi`;
      case 1: return `while ${list(d + 1)}; do ${list(d + 1)}; done`;
      case 2: return `for v in a b c; do ${list(d + 1)}; done`;
      case 3: return `case $v in a) ${list(d + 1)};; *) ${simple()};; esac`;
      case 4: return `{ ${list(d + 1)}; }`;
      case 5: return `( ${list(d + 1)} )`;
      case 6: return `echo "$(${list(d + 1)})"`;
      default: return simple();
    }
  };
  const corrupt = (s: string): string => {
    if (rnd() < 0.5) return s;
    const at = int(s.length + 1);
    return rnd() < 0.5 ? s.slice(0, at) + pick(BAD) + s.slice(at) : s.slice(0, at) + s.slice(at + 1 + int(3));
  };
  const N = Number(process.env.SHELL_SCRIPTS ?? 600);
  const scripts = Array.from({ length: N }, () => corrupt(list(0)));
  const dir = mkdtempSync(join(tmpdir(), 'shell-syntax-'));
  try {
    scripts.forEach((s, i) => writeFileSync(join(dir, `s${i}.sh`), s));
    const r = spawnSync('bash', ['-c', `for i in $(seq 0 ${N - 1}); do b=0; d=0; bash -n "$1/s$i.sh" 2>/dev/null || b=1; dash -n "$1/s$i.sh" 2>/dev/null || d=1; echo "$b$d"; done`, 'x', dir], { encoding: 'utf8' });
    const verdicts = r.stdout.trim().split('\n');
    const falseAlarms: string[] = [];
    let refused = 0;
    let caught = 0;
    scripts.forEach((s, i) => {
      const line = parseExecLine('ExecStart', `/bin/sh -c ${systemdQuoted(s)}`);
      assert.deepEqual(line.problems.filter((p) => !p.kind.startsWith('shell-')), [], s);
      // Inside backticks shells check syntax only when the substitution runs.
      const ours = line.problems.filter((p) => p.kind !== 'shell-in-backticks');
      const [bash, dash] = verdicts[i];
      if (ours.length > 0 && (bash === '0' || dash === '0')) falseAlarms.push(`${JSON.stringify(s)}: ${ours.map((p) => p.message).join('; ')}`);
      if (bash === '1' && dash === '1') {
        refused++;
        if (ours.length > 0) caught++;
      }
    });
    console.log(`shell payloads: ${N} scripts, bash and dash refuse ${refused}, shell-syntax flags ${caught} of them (${((100 * caught) / Math.max(1, refused)).toFixed(1)}%), false alarms ${falseAlarms.length}`);
    assert.deepEqual(falseAlarms, []);
    assert.ok(caught >= 0.9 * refused, 'recall below 90%');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
