// Table-driven tests of the value checkers (server/src/language/values). Each invalid case marks
// the span that must be underlined with «…» inside the value, plus words the message must contain
// and, where there is an obvious fix, the suggestion.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ValueKind } from '../../server/src/language/catalog/types';
import {
  BOOLEAN_WORDS,
  checkValue,
  parseMemoryLimit,
  parseMode,
  parseSignal,
  parseSize,
  parseTimespan,
  SIGNAL_NAMES,
  TIME_UNIT_NAMES,
  TIME_UNIT_SHORT,
  type ValueCheckInfo,
} from '../../server/src/language/values';
import { getDirective } from '../../server/src/language/catalog/catalog';

interface Bad {
  /** The value with the expected problem span marked «like this». */
  marked: string;
  /** Fragments the message must contain. */
  says?: string[];
  suggestion?: string;
}

function unmark(marked: string): { value: string; offset: number; length: number } {
  const a = marked.indexOf('«');
  const b = marked.indexOf('»');
  assert.ok(a >= 0 && b > a, `case ${marked} needs a «marked» span`);
  return { value: marked.slice(0, a) + marked.slice(a + 1, b) + marked.slice(b + 1), offset: a, length: b - a - 1 };
}

function valid(kind: ValueKind, values: string[], info?: ValueCheckInfo): void {
  for (const v of values) {
    test(`${kind} accepts ${JSON.stringify(v)}`, () => {
      assert.deepEqual(checkValue(kind, v, info), []);
    });
  }
}

function invalid(kind: ValueKind, cases: (string | Bad)[], info?: ValueCheckInfo): void {
  for (const c of cases) {
    const bad: Bad = typeof c === 'string' ? { marked: c } : c;
    const { value, offset, length } = unmark(bad.marked);
    test(`${kind} flags ${JSON.stringify(bad.marked)}`, () => {
      const problems = checkValue(kind, value, info);
      assert.equal(problems.length, 1, `expected one problem for ${JSON.stringify(value)}, got ${JSON.stringify(problems)}`);
      const [p] = problems;
      assert.deepEqual({ offset: p.offset, length: p.length }, { offset, length }, `span of ${JSON.stringify(value)}: ${p.message}`);
      for (const s of bad.says ?? []) assert.ok(p.message.includes(s), `message ${JSON.stringify(p.message)} should contain ${JSON.stringify(s)}`);
      if (bad.suggestion !== undefined) assert.equal(p.suggestion, bad.suggestion);
      // Every suggestion must itself be accepted.
      if (p.suggestion !== undefined) {
        const fixed = value.slice(0, p.offset) + p.suggestion + value.slice(p.offset + p.length);
        assert.deepEqual(checkValue(kind, fixed, info), [], `suggestion ${JSON.stringify(fixed)} must be valid`);
      }
    });
  }
}

describe('boolean (parse_boolean)', () => {
  const info = { parser: 'config_parse_bool' };
  valid('boolean', ['yes', 'no', 'true', 'false', 'on', 'off', '1', '0', 'y', 'n', 't', 'f', 'YES', 'True', 'oN', ' yes ', '\tno'], info);
  invalid(
    'boolean',
    [
      { marked: '«maybe»', says: ['"maybe" is not a boolean', 'yes/no, true/false, on/off or 1/0'] },
      { marked: '«ture»', suggestion: 'true' },
      { marked: '«flase»', suggestion: 'false' },
      { marked: '«enabled»', suggestion: 'yes' },
      { marked: '«disable»', suggestion: 'no' },
      '«2»',
      '«-1»',
      '«yes no»',
      '«00»',
      { marked: '«%i»', says: ['not expanded'] },
      { marked: '  «yess»  ', suggestion: 'yes' },
    ],
    info,
  );
  valid('tristate', ['yes', 'OFF', ''], { parser: 'config_parse_tristate' });
  invalid('tristate', ['«maybe»'], { parser: 'config_parse_tristate' });
  test('the boolean words are exported for completion', () => {
    assert.deepEqual([...BOOLEAN_WORDS].sort(), ['0', '1', 'f', 'false', 'n', 'no', 'off', 'on', 't', 'true', 'y', 'yes']);
  });
});

describe('time spans (parse_sec)', () => {
  const info = { parser: 'config_parse_sec' };
  valid(
    'timespan',
    [
      '5min 20s',
      '1h30min',
      '1h 30min',
      '90',
      '0',
      '1.5s',
      '.5s',
      '1.5',
      'infinity',
      '  infinity  ',
      '5 min',
      '5m',
      '2M',
      '1y 2M 3w 4d 5h 6min 7s 8ms 9us',
      '3 seconds',
      '10 minutes',
      '2hours',
      '1hr',
      '7days',
      '2weeks',
      '1years',
      '100msec',
      '5usec',
      '5\u00b5s',
      '5\u03bcs',
      '+5s',
      '12.34 .56',
      '12.34s.56',
      '1s2',
      '007',
      '18446744073708s',
    ],
    info,
  );
  invalid(
    'timespan',
    [
      { marked: '«5mins»', says: ['Unknown time unit "mins" in "5mins"', 'us, ms, s, min, h, d, w, M, y', 'e.g. 5min'], suggestion: '5min' },
      { marked: '1h «5mins»', says: ['"mins"'], suggestion: '5min' },
      { marked: '«5 mins»', suggestion: '5min' },
      { marked: '«30secs»', suggestion: '30s' },
      { marked: '«5S»', suggestion: '5s' },
      { marked: '«1D»', suggestion: '1d' },
      { marked: '«10Min»', suggestion: '10min' },
      { marked: '«5ns»', says: ['"ns"'] },
      { marked: '«-5s»', says: ['negative'], suggestion: '5s' },
      { marked: '5s «-1s»', says: ['negative'] },
      { marked: '«5.»', says: ['decimal point'], suggestion: '5' },
      { marked: '«3.sec»', says: ['decimal point'] },
      { marked: '«12.34.56»' },
      { marked: '«forever»', suggestion: 'infinity' },
      { marked: '«Infinity»', suggestion: 'infinity' },
      { marked: '«infinity 5s»', says: ['must stand alone'], suggestion: 'infinity' },
      { marked: '«99999999999999999999»', says: ['too large'] },
      { marked: '«18446744073709s»', says: ['too large'] },
      { marked: '«abc»', says: ['not a valid time span'] },
      { marked: '«.»' },
      { marked: '«%i»' },
      { marked: '1h «x»' },
    ],
    info,
  );
  test('specifiers are expanded in timer values: not checked there', () => {
    assert.deepEqual(checkValue('timespan', '%i', { parser: 'config_parse_timer', name: 'OnActiveSec' }), []);
    assert.deepEqual(checkValue('timespan', 'daily', { parser: 'config_parse_timer', name: 'OnCalendar' }), []);
    assert.equal(checkValue('timespan', '5mins', { parser: 'config_parse_timer', name: 'OnBootSec' }).length, 1);
  });
  test('values in microseconds, exact', () => {
    assert.deepEqual(parseTimespan('1h 30min'), { ok: true, value: 5_400_000_000n, infinity: false });
    assert.deepEqual(parseTimespan('1.5s'), { ok: true, value: 1_500_000n, infinity: false });
    assert.deepEqual(parseTimespan('1.5'), { ok: true, value: 1_500_000n, infinity: false });
    assert.deepEqual(parseTimespan('1.5', true), { ok: true, value: 1n, infinity: false });
    assert.equal(parseTimespan('infinity').ok && parseTimespan('infinity').ok, true);
  });
  test('the unit lists are exported for completion', () => {
    assert.deepEqual([...TIME_UNIT_SHORT], ['us', 'ms', 's', 'min', 'h', 'd', 'w', 'M', 'y']);
    for (const u of ['seconds', 'min', 'M', 'msec', 'hr', 'y', 'usec', '\u00b5s']) assert.ok(TIME_UNIT_NAMES.includes(u));
  });
});

describe('time spans in nanoseconds (parse_nsec)', () => {
  const info = { parser: 'config_parse_nsec' };
  valid('timespan-nsec', ['50', '50ns', '50nsec', '1us', '1ms', '1s', 'infinity', '1.5us'], info);
  invalid('timespan-nsec', [{ marked: '«5nanos»' }, { marked: '«-1»', says: ['negative'] }, '«5mins»'], info);
});

describe('integers', () => {
  valid('unsigned', ['0', '42', '4294967295', '0x10', '0X1f', '010', '0b101', '0o17', '+5', '-0', ' 7'], { parser: 'config_parse_unsigned' });
  invalid(
    'unsigned',
    [
      { marked: '«4294967296»', says: ['out of range'] },
      { marked: '«-5»', says: ['negative'] },
      { marked: '5«K»', says: ['unexpected "K"'] },
      { marked: '«08»', says: ['octal'], suggestion: '8' },
      '«five»',
      '1«e3»',
      '1«_000»',
      '0«x»',
    ],
    { parser: 'config_parse_unsigned' },
  );
  valid('unsigned', ['18446744073709551615'], {}); // unknown parser: the widest unsigned type
  valid('integer', ['-20', '19', '0', '+5', '-0x5'], { parser: 'config_parse_exec_nice' });
  invalid('integer', [{ marked: '«20»', says: ['from -20 to 19'] }, { marked: '«-21»', says: ['out of range'] }, '«ten»'], { parser: 'config_parse_exec_nice' });
  valid('integer', ['-1000', '1000'], { parser: 'config_parse_exec_oom_score_adjust' });
  invalid('integer', ['«1001»'], { parser: 'config_parse_exec_oom_score_adjust' });
  valid('integer', ['-2147483648', '2147483647'], { parser: 'config_parse_int' });
  invalid('integer', ['«2147483648»'], { parser: 'config_parse_int' });
  valid('integer', ['9223372036854775807'], { parser: 'config_parse_long' });
  valid('unsigned', ['1', '10000'], { parser: 'config_parse_cg_weight' });
  invalid('unsigned', ['«0»', '«10001»', '«idle»'], { parser: 'config_parse_cg_weight' });
  valid('unsigned', ['idle', '100'], { parser: 'config_parse_cg_cpu_weight' });
  valid('string', ['50%', 'infinity', '4096'], { parser: 'config_parse_tasks_max' });
  test('TasksMax= follows its parser whatever the kind', () => {
    const info = { parser: 'config_parse_tasks_max' };
    for (const v of ['infinity', '50%', '12.34%', '4096', '0x10']) assert.deepEqual(checkValue('unsigned', v, info), [], v);
    for (const v of ['0', '101%', 'max', '-1']) assert.equal(checkValue('unsigned', v, info).length, 1, v);
  });
  test('parsers we do not reproduce are never checked', () => {
    assert.deepEqual(checkValue('integer', 'infinity', { parser: 'config_parse_rlimit' }), []);
    assert.deepEqual(checkValue('unsigned', '50%', { parser: 'config_parse_cpu_quota' }), []);
  });
});

describe('modes (parse_mode)', () => {
  const info = { parser: 'config_parse_mode' };
  valid('mode', ['0644', '644', '022', '0', '7777', '07777', '00000000644'], info);
  invalid(
    'mode',
    [
      { marked: '07«9»9', says: ['9 is not an octal digit'] },
      { marked: '«10000»', says: ['too large', '07777'] },
      { marked: '«0o755»', suggestion: '0755' },
      { marked: '«u+rwx»', says: ['symbolic'] },
      { marked: '«rw-r--r--»', says: ['symbolic'] },
      { marked: '«+644»', says: ['sign'] },
      '«0x1ff»',
      '«0 644»',
    ],
    info,
  );
  test('parseMode', () => {
    assert.equal(parseMode('0755'), 0o755);
    assert.equal(parseMode('8'), undefined);
  });
});

describe('sizes (parse_size, base 1024)', () => {
  const info = { parser: 'config_parse_iec_size' };
  valid('size', ['512', '512B', '4K', '1.5M', '1G 512M', '1G512M', '1 K', '10.M', '1.', '15E', '15E 1023P', '1K 2'], info);
  invalid(
    'size',
    [
      { marked: '«10KB»', says: ['Unknown size suffix "KB"', 'K, M, G, T, P, E'], suggestion: '10K' },
      { marked: '«10k»', suggestion: '10K' },
      { marked: '«1GiB»', suggestion: '1G' },
      { marked: '«2mb»', suggestion: '2M' },
      { marked: '«-5K»', says: ['negative'] },
      { marked: '«16E»', says: ['too large'] },
      { marked: '«15.5E»', says: ['too large'] },
      '512M «1G»',
      '«abc»',
    ],
    info,
  );
  test('parseSize', () => {
    assert.deepEqual(parseSize('1.5K'), { ok: true, value: 1536n });
    assert.deepEqual(parseSize('1G 512M'), { ok: true, value: 1610612736n });
  });
});

describe('memory limits (config_parse_memory_limit)', () => {
  const max = { parser: 'config_parse_memory_limit', name: 'MemoryMax' };
  const low = { parser: 'config_parse_memory_limit', name: 'MemoryLow' };
  valid('memory-limit', ['infinity', '1G', '512M', '50%', '12.5%', '12.34%', '100%', '5\u2030', '5.5\u2030', '50\u2031', '0x10%', '1G 512M'], max);
  valid('memory-limit', ['0', '0%'], low);
  valid('memory-limit', ['0'], { parser: 'config_parse_memory_limit', name: 'MemorySwapMax' });
  invalid(
    'memory-limit',
    [
      { marked: '«0»', says: ['no memory at all'] },
      { marked: '«0%»' },
      { marked: '«150%»', says: ['percentage'] },
      { marked: '«12.555%»', says: ['percentage'] },
      { marked: '«2GB»', suggestion: '2G' },
      { marked: '«max»', suggestion: 'infinity' },
      { marked: '«Infinity»', suggestion: 'infinity' },
      { marked: '«16E»', says: ['too large'] },
      '«-1»',
    ],
    max,
  );
  test('parseMemoryLimit', () => {
    assert.deepEqual(parseMemoryLimit('1K', 'MemoryMax'), { ok: true, bytes: 1024n });
    assert.equal(parseMemoryLimit('0', 'MemoryHigh').ok, false);
    assert.equal(parseMemoryLimit('0').ok, true); // unknown directive: lenient
  });
});

describe('signals (signal_from_string)', () => {
  const info = { parser: 'config_parse_signal' };
  valid('signal', ['SIGTERM', 'TERM', 'SIGKILL', 'KILL', '9', '15', '64', '1', '0x9', 'SIGRTMIN', 'RTMIN', 'SIGRTMIN+3', 'RTMIN+30', 'SIGRTMAX', 'RTMAX-30', 'SIGRTMAX-0', 'SIGSTKFLT', 'SIGWINCH'], info);
  invalid(
    'signal',
    [
      { marked: '«sigterm»', says: ['SIGTERM', 'upper case'], suggestion: 'SIGTERM' },
      { marked: '«Term»', suggestion: 'TERM' },
      { marked: '«SIGTREM»', suggestion: 'SIGTERM' },
      { marked: '«0»', says: ['not a signal number'] },
      { marked: '«65»' },
      { marked: '«RTMIN+31»', says: ['RTMIN+30'] },
      { marked: '«SIGRTMAX-31»' },
      { marked: '«RTMIN-1»' },
      '«SIGIOT»',
      '«SIG»',
      '«SIGTERM,SIGKILL»',
    ],
    info,
  );
  test('parseSignal and the exported names', () => {
    assert.equal(parseSignal('SIGRTMIN+1'), 35);
    assert.equal(parseSignal('RTMAX-1'), 63);
    assert.ok(SIGNAL_NAMES.includes('SIGTERM') && SIGNAL_NAMES.includes('SIGRTMIN'));
    assert.equal(new Set(SIGNAL_NAMES).size, SIGNAL_NAMES.length);
  });
});

describe('enumerations', () => {
  const restart = getDirective('Service', 'Restart')!;
  const type = getDirective('Service', 'Type')!;
  const output = getDirective('Service', 'StandardOutput')!;
  const protectSystem = getDirective('Service', 'ProtectSystem')!;
  valid('enum', ['always', 'on-failure', 'no', ' on-abnormal '], restart);
  invalid(
    'enum',
    [
      { marked: '«sometimes»', says: ['"sometimes" is not a valid value', 'always'] },
      { marked: '«on-failur»', suggestion: 'on-failure' },
      { marked: '«Always»', suggestion: 'always' },
      { marked: '«false»', suggestion: 'no' },
      '«yes»',
      '«%i»',
    ],
    restart,
  );
  valid('enum', ['simple', 'notify-reload', 'exec'], type);
  invalid('enum', [{ marked: '«forkng»', suggestion: 'forking' }, { marked: '«one-shot»', suggestion: 'oneshot' }], type);
  valid('enum', ['journal', 'syslog', 'journal+console', 'file:/var/log/x.log', 'append:%h/x.log', 'truncate:/x', 'fd:stdout', 'fd:', 'fd', 'file', 'inherit'], output);
  invalid(
    'enum',
    [
      { marked: '«journald»', suggestion: 'journal' },
      { marked: 'file:«var/log/x»', says: ['not an absolute path'], suggestion: '/var/log/x' },
      { marked: 'append:/a/«..»/b', says: ['".."'] },
      { marked: '«truncate:»', says: ['path is missing'] },
      { marked: 'fd:«a:b»', says: ['file descriptor name'] },
    ],
    output,
  );
  valid('enum', ['yes', 'no', 'full', 'strict', 'true', 'ON', '0'], protectSystem);
  invalid('enum', [{ marked: '«stric»', suggestion: 'strict' }, '«read-only»'], protectSystem);
  test('enumerations the catalog marks as suggestions only are not checked', () => {
    assert.deepEqual(checkValue('enum', 'anything', { enumValues: ['a', 'b'], exclusiveValues: false }), []);
  });
  test('unknown enum parser: a list with yes/no accepts every boolean spelling', () => {
    assert.deepEqual(checkValue('enum', 'TRUE', { enumValues: ['yes', 'no', 'auto'] }), []);
  });
});

describe('unit names', () => {
  const deps = { parser: 'config_parse_unit_deps' };
  valid(
    'unit-list',
    [
      'network-online.target',
      'a.service b.socket',
      'foo@bar.service foo@.service',
      '-.mount dev-sda1.device',
      'foo\\x2dbar.service',
      'a-b_c:d.target\tx.timer',
      'foo@a@b.service',
      '%i.service',
      'foo@%i.service %n',
      'x.path x.slice x.swap x.automount x.scope',
    ],
    deps,
  );
  test('one bad unit among good ones is underlined alone', () => {
    const problems = checkValue('unit-list', 'After.target b/c', deps);
    assert.deepEqual(
      problems.map((p) => [p.offset, p.length]),
      [[13, 3]],
    );
  });
  invalid(
    'unit-list',
    [
      { marked: 'a.target «foo.servce»', says: ['Unknown unit type ".servce"', 'Did you mean .service?'], suggestion: 'foo.service' },
      { marked: '«foo.Service»', suggestion: 'foo.service' },
      { marked: '«foo»', says: ['type suffix'] },
      { marked: '«a/b.service»', says: ['"/" is not allowed'] },
      { marked: '«a.service,b.service»', says: ['spaces, not commas'], suggestion: 'a.service b.service' },
      { marked: '«"x.service"»', says: ['quote'] },
      { marked: '«@foo.service»', says: ['before "@" is empty'] },
      { marked: '«.service»', says: ['empty'] },
      { marked: '«/dev/sda»', says: ['path'] },
      { marked: '«foo@bar.slice»', says: ['.slice units cannot be templates'] },
      { marked: `«${'x'.repeat(250)}.service»`, says: ['too long'] },
      { marked: 'a.service «f*o.service»' },
      { marked: '«a/%i.service»', says: ['"/"'] },
      { marked: '«b/c»', says: ['"/" is not allowed'] },
    ],
    deps,
  );
  test('[Install] lists are unquoted by systemctl', () => {
    const wantedBy = { section: 'Install', parser: 'NULL' };
    assert.deepEqual(checkValue('unit-list', '"multi-user.target" \'graphical.target\'', wantedBy), []);
    assert.deepEqual(checkValue('unit-list', 'foo@bar.slice', wantedBy), []);
    assert.equal(checkValue('unit-list', 'multi-user.targt', wantedBy).length, 1);
  });
  test('Sockets= takes .socket units; backslashes escape the next character', () => {
    const sockets = { parser: 'config_parse_service_sockets' };
    assert.deepEqual(checkValue('unit-list', 'a.socket b@c.socket', sockets), []);
    assert.equal(checkValue('unit-list', 'a.service', sockets).length, 1);
  });
  valid('unit', ['user.slice', 'system-foo.slice', '%i.slice', '%p.slice'], { parser: 'config_parse_unit_slice' });
  invalid('unit', [{ marked: '«%i.service»', says: ['.slice'] }], { parser: 'config_parse_unit_slice' });
  invalid(
    'unit',
    [{ marked: '«foo.service»', says: ['must be a .slice unit'] }, { marked: '«a@b.slice»', says: ['cannot be templates'] }, { marked: '«foo bar.slice»', says: ['a space'] }],
    { parser: 'config_parse_unit_slice' },
  );
  valid('unit', ['foo.service', 'foo@bar.service'], { parser: 'config_parse_socket_service' });
  invalid('unit', [{ marked: '«foo@.service»', says: ['template'] }, { marked: '«foo.socket»', says: ['.service'] }], { parser: 'config_parse_socket_service' });
  valid('unit', ['foo.service', 'foo@.service', 'backup.target'], { parser: 'config_parse_trigger_unit' });
});

describe('absolute paths', () => {
  const printf = { parser: 'config_parse_unit_path_printf' };
  valid('absolute-path', ['/a', '/a/b/', '//a//b', '/a/./b', '/', '%h/x', '%t', '%S/%N', '/a b', '/a/..b', '/a/%i/..x'], printf);
  invalid(
    'absolute-path',
    [
      { marked: '«var/lib/x»', says: ['not an absolute path', 'start with "/"'], suggestion: '/var/lib/x' },
      { marked: '«relative»', says: ['not an absolute path'] },
      { marked: '«~»/x', says: ['%h'], suggestion: '%h' },
      { marked: '/a/«..»/b', says: ['".."'] },
      { marked: '/«..»', says: ['".."'] },
      { marked: '/%i/«..»', says: ['".."'] },
      { marked: '«-/a»', says: ['not an absolute path'] },
      { marked: '«x%h»' },
      { marked: '«%%/a»' },
      { marked: `/«${'x'.repeat(256)}»`, says: ['255 bytes'] },
    ],
    printf,
  );
  const condition = { parser: 'config_parse_unit_condition_path' };
  valid('absolute-path', ['/a', '!/a', '|/a', '|!/a', '!%h/x'], condition);
  invalid('absolute-path', [{ marked: '«!|»/a', says: ['order'], suggestion: '|!' }, { marked: '|« »/a', says: ['No space'], suggestion: '' }, { marked: '«|»', says: ['missing'] }], condition);
  const envFile = { parser: 'config_parse_unit_env_file' };
  valid('absolute-path', ['/etc/default/x', '-/etc/default/x', '-%E/x'], envFile);
  invalid('absolute-path', ['«etc/x»', { marked: '-« »/etc/x', suggestion: '' }], envFile);
  valid('absolute-path', ['~', '-~', '-/srv', '/srv'], { parser: 'config_parse_working_directory' });
  valid('absolute-path', ['foo.pid', '/run/foo.pid'], { parser: 'config_parse_pid_file' });
  valid('absolute-path', ['-/a', '!/a', '|/a', '~'], {}); // unknown parser: every prefix systemd uses somewhere
});

describe('never a false alarm by construction', () => {
  test('empty values reset the setting and are never flagged', () => {
    const kinds: ValueKind[] = ['boolean', 'tristate', 'timespan', 'timespan-nsec', 'unsigned', 'integer', 'mode', 'size', 'memory-limit', 'signal', 'enum', 'unit-list', 'unit', 'absolute-path'];
    for (const k of kinds) for (const v of ['', ' ', '\t']) assert.deepEqual(checkValue(k, v, { enumValues: ['a'] }), [], `${k} ${JSON.stringify(v)}`);
  });
  test('unchecked kinds', () => {
    assert.deepEqual(checkValue('string', 'anything at all'), []);
    assert.deepEqual(checkValue('command', '/bin/true'), []);
  });
  test('specifiers: skipped where the parser might expand them', () => {
    assert.deepEqual(checkValue('timespan', '%i'), []); // parser unknown
    assert.deepEqual(checkValue('unsigned', '%i'), []);
    assert.deepEqual(checkValue('enum', '%i', { enumValues: ['a'] }), []);
    assert.equal(checkValue('unsigned', '%i', { parser: 'config_parse_unsigned' }).length, 1); // never expanded there
  });
  test('problem spans always lie inside the value', () => {
    const samples = ['5mins 1h', '  -3s  ', 'x y z', 'a.service b/c d', 'file:rel', '1G 2G', '0x', '\u00b5', 'infinity x'];
    const kinds: ValueKind[] = ['timespan', 'timespan-nsec', 'unit-list', 'unit', 'size', 'memory-limit', 'mode', 'signal', 'boolean', 'absolute-path', 'unsigned', 'integer'];
    for (const k of kinds) {
      for (const v of samples) {
        for (const p of checkValue(k, v)) assert.ok(p.offset >= 0 && p.length >= 0 && p.offset + p.length <= v.length, `${k} ${v}: ${JSON.stringify(p)}`);
      }
    }
  });
});
