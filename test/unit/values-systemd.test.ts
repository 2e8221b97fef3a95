// Differential test of the value checkers against the real reference: systemd's own parsers, run
// through `systemd-analyze verify` (systemd 252 on the development machines and in CI).
//
// For each value kind we generate many inputs (valid forms, random combinations of numbers, units,
// whitespace and case, typos and near misses), write them one per line into a unit file under a
// temporary directory with a representative directive, and let systemd parse them all. systemd
// reports every value it refuses as "FILE:LINE: …, ignoring: VALUE"; we compare that set of lines
// with the lines checkValue() flags:
//   - a false alarm (we flag, systemd accepts) must never happen, for any generated input;
//   - recall (systemd refuses, we flag too) is reported per kind and must stay ≥ 95% for booleans,
//     enumerations and time spans.
// The generator is seeded (VALUES_SEED=n to explore other inputs), so failures reproduce.
//
// Without systemd-analyze the test is skipped with the reason, except under CI, where it fails.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ValueKind } from '../../server/src/language/catalog/types';
import { checkValue, type ValueCheckInfo } from '../../server/src/language/values';
import { mulberry32 } from '../helpers/random';

// ---------------------------------------------------------------------------------------------
// Seeded generation


const SEED = Number(process.env.VALUES_SEED ?? 252);
const rnd = mulberry32(SEED);
const int = (n: number): number => Math.floor(rnd() * n);
const pick = <T>(a: readonly T[]): T => a[int(a.length)];
const chance = (p: number): boolean => rnd() < p;

/** Random edits: the typos and near misses people make. */
function mutate(s: string, alphabet: string, times = pick([0, 0, 1, 1, 1, 2, 3])): string {
  for (let k = 0; k < times; k++) {
    const i = int(s.length + 1);
    switch (int(8)) {
      case 0:
        s = s.slice(0, i) + pick([...alphabet]) + s.slice(i);
        break;
      case 1:
        s = s.slice(0, i) + s.slice(i + 1);
        break;
      case 2:
        s = s.slice(0, i) + pick([...alphabet]) + s.slice(i + 1);
        break;
      case 3:
        if (i + 1 < s.length) s = s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
        break;
      case 4: {
        const c = s[i] ?? '';
        s = s.slice(0, i) + (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()) + s.slice(i + 1);
        break;
      }
      case 5:
        s = s.slice(0, i) + (s[i] ?? '') + s.slice(i);
        break;
      case 6:
        s = s.slice(0, i) + pick([' ', '  ', '\t']) + s.slice(i);
        break;
      default:
        s = s.toUpperCase();
    }
  }
  return s;
}

const digits = (n: number): string => Array.from({ length: n }, () => String(int(10))).join('');

function number(): string {
  switch (int(12)) {
    case 0:
      return '0';
    case 1:
      return String(int(10));
    case 2:
      return String(int(1000));
    case 3:
      return `${int(100)}.${digits(1 + int(3))}`;
    case 4:
      return `.${digits(1 + int(2))}`;
    case 5:
      return `${int(100)}.`;
    case 6:
      return digits(15 + int(8)); // around the 64-bit limits
    case 7:
      return pick(['-1', '-0', '+5', '007', '0x10', '1e3', '1_000', '18446744073709551615', '18446744073709551616', '9223372036854775807']);
    default:
      return String(int(100));
  }
}

// ---------------------------------------------------------------------------------------------
// Input generators per kind

const TIME_UNITS = ['s', 'sec', 'second', 'seconds', 'min', 'minute', 'minutes', 'm', 'h', 'hr', 'hour', 'hours', 'd', 'day', 'days', 'w', 'week', 'weeks', 'M', 'month', 'months', 'y', 'year', 'years', 'ms', 'msec', 'us', 'usec', '\u00b5s', '\u03bcs'];
const TIME_NEAR = ['mins', 'secs', 'S', 'Min', 'MIN', 'H', 'D', 'hrs', 'sek', 'ns', 'nsec', 'mon', 'Ms', 'mS', 'yr', 'sec.', 'x', 'minutess', 'Sec', 'hourss', 'mn'];

function timespan(nsec: boolean): string {
  const r = int(20);
  if (r === 0) return pick(['infinity', ' infinity ', 'infinity 5s', 'infinity5', 'Infinity', 'inf', 'infinityy', 'forever', 'none', 'never', '-', '.', ' . ', 'infinit', '5s infinity']);
  if (r === 1) return mutate(pick(['5min 20s', '1h30min', '1.5s', '100ms', '2 weeks', 'infinity', '90', '0', '1y 2M 3w 4d 5h 6min 7s 8ms 9us']), '0123456789.smhdwMyuµ n-+');
  const n = 1 + int(3);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    const unitPool = nsec ? [...TIME_UNITS, 'ns', 'nsec'] : TIME_UNITS;
    const unit = chance(0.15) ? '' : chance(0.2) ? pick(TIME_NEAR) : pick(unitPool);
    parts.push(`${number()}${chance(0.2) ? pick([' ', '\t']) : ''}${unit}`);
  }
  const s = parts.join(pick(['', ' ', ' ', '  ', '\t']));
  return chance(0.2) ? mutate(s, '0123456789.smhdwMyu -+') : s;
}

const BOOL_SEEDS = ['yes', 'no', 'true', 'false', 'on', 'off', '1', '0', 'y', 'n', 't', 'f'];
const BOOL_NEAR = ['maybe', 'enable', 'enabled', 'disabled', 'ye', 'tru', 'fals', 'yess', '2', '-1', '00', '01', 'Y E S', 'yes no', 'oui', 'nope', 'o', 'of', 'onn', 'true1', '%i', '${X}', 'yes#', '+1'];

function boolean(): string {
  const r = int(4);
  if (r === 0) return pick(BOOL_NEAR);
  const base = pick(BOOL_SEEDS);
  const cased = [...base].map((c) => (chance(0.3) ? c.toUpperCase() : c)).join('');
  return r === 1 ? mutate(cased, 'yesnotrufalYESNO10 ') : cased;
}

function enumValue(values: readonly string[]): () => string {
  return () => {
    const r = int(6);
    if (r === 0) return pick(BOOL_SEEDS.concat(['True', 'YES', 'Off']));
    if (r === 1) return pick(['', 'default', 'auto', 'none', 'all', 'always', 'never', 'sometimes', 'on-fail', 'simple ', 'Simple', 'notify-reload', 'journal+console', 'file:/var/log/x', 'file:var/log/x', 'append:/a/../b', 'truncate:', 'fd:', 'fd:foo', 'syslog', 'file', '%i', 'kmsg+syslog']);
    const v = pick(values);
    return r === 2 ? v : mutate(v, 'abcdefghijklmnopqrstuvwxyz-+ ');
  };
}

function unsigned(): string {
  const r = int(4);
  if (r === 0) return pick(['0', '1', '42', '4294967295', '4294967296', '0x10', '0X1f', '0x', '010', '08', '0b101', '0B2', '0o17', '0O8', '+5', '-0', '-5', '5 ', '1e3', '5K', '1_000', 'five', '', '0b', '%i', ' 7', '007', '0xffffffff', '0x100000000']);
  return mutate(number(), '0123456789xXbBoO+- .eK');
}

function signed(range: [number, number]): () => string {
  return () => {
    const r = int(4);
    if (r === 0) return pick(['-20', '19', '20', '-21', '0', '+5', '-0', '0x5', '-0x5', '010', '08', '1000', '-1000', '1001', '-1001', '99', '100', '7', '8', '-1', '-2', '32767', '32768', '2147483647', '2147483648', '-2147483648', '-2147483649', 'ten']);
    if (r === 1) return String(range[0] - 5 + int(range[1] - range[0] + 10));
    return mutate(String(range[0] + int(range[1] - range[0] + 1)), '0123456789+-x ');
  };
}

function mode(): string {
  const r = int(4);
  if (r === 0) return pick(['0644', '644', '022', '7777', '07777', '10000', '017777', '0o755', '0x1ff', '+644', '-644', 'u+rwx', 'rw-r--r--', '0799', '8', '0', '00000000644', '0 644', '644 ', 'a=r', '%i', '0022']);
  const m = [0, 1, 2, 3].map(() => String(int(8))).join('').slice(int(3));
  return r === 1 ? m : mutate(m, '012345678 9+-xo');
}

const SIZE_SUFFIXES = ['', '', 'B', 'K', 'M', 'G', 'T', 'P', 'E', 'k', 'm', 'g', 'KB', 'MB', 'KiB', 'MiB', 'b', ' K', ' M', 'kB', 'Gb', 'bytes'];

function size(): string {
  const n = 1 + int(3);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(`${number()}${pick(SIZE_SUFFIXES)}`);
  const s = parts.join(pick(['', ' ', ' ', '  ']));
  return chance(0.2) ? mutate(s, '0123456789.KMGTPEBk -+%') : s;
}

function memoryLimit(): string {
  const r = int(6);
  if (r === 0) return pick(['infinity', 'Infinity', 'max', 'unlimited', '0', '1', '0%', '100%', '101%', '50%', '12.5%', '12.55%', '12.555%', '.5%', '5.%', '-5%', '-0%', '-0.5%', '0x10%', '010%', ' 50%', '50 %', '5\u2030', '5.5\u2030', '5.55\u2030', '5\u2031', '10000\u2031', '10001\u2031', '50%%', '%', '1G 512M', '512M 1G', '-1', '1E', '16E', '15E', '15.99E']);
  if (r === 1) return `${number()}${pick(['%', '%', '\u2030', '\u2031'])}`;
  return size();
}

const SIGNALS = ['HUP', 'INT', 'QUIT', 'ILL', 'TRAP', 'ABRT', 'BUS', 'FPE', 'KILL', 'USR1', 'SEGV', 'USR2', 'PIPE', 'ALRM', 'TERM', 'STKFLT', 'CHLD', 'CONT', 'STOP', 'TSTP', 'TTIN', 'TTOU', 'URG', 'XCPU', 'XFSZ', 'VTALRM', 'PROF', 'WINCH', 'IO', 'PWR', 'SYS'];

function signal(): string {
  const r = int(6);
  if (r === 0) return String(int(70) - 2);
  if (r === 1) return `${pick(['', 'SIG'])}${pick(['RTMIN', 'RTMAX'])}${pick(['', '+', '-'])}${pick(['', String(int(34) - 1), '0x3', ' 3', '03'])}`;
  if (r === 2) return pick(['IOT', 'POLL', 'CLD', 'SIGIOT', 'SIGPOLL', 'SIG', 'SIGSIGTERM', 'sigterm', 'Term', 'SIGTERM ', ' 9', '0x9', '+9', '-9', '9.0', '15s', 'SIGTERM,SIGKILL', '%i', 'SIGRTMIN+', 'RTMIN+-1']);
  const name = `${chance(0.6) ? 'SIG' : ''}${pick(SIGNALS)}`;
  return r === 3 ? name : mutate(name, 'ABCDEFGHIKLMNOPRSTUVWXYZ+-0123456789 ');
}

const UNIT_OK = ['foo.service', 'network-online.target', 'a-b_c:d.target', 'foo@bar.service', 'foo@.service', '-.mount', 'dev-sda1.device', 'foo\\x2dbar.service', 'x.socket', 'x.timer', 'x.path', 'x.slice', 'x.swap', 'x.automount', 'x.scope', 'a.b.c.service', 'foo@a@b.service', 'foo@a.b.service', 'A1.service', 'sys-subsystem-net-devices-eth0.device'];
const UNIT_BAD = ['foo', 'foo.servce', 'foo.Service', 'foo.services', 'b/c', 'a/b.service', 'foo,bar.service', 'foo.service,', '"foo.service"', "'x.target'", 'foo*.service', 'foo[1].service', 'f!o.service', 'f~.service', 'f+o.service', 'f#o.service', '@foo.service', '@.service', '.service', 'foo.', 'x'.repeat(250) + '.service', 'x'.repeat(260) + '.target', 'foo.service.d', 'f\u00e9.service', '/dev/sda', 'foo.conf', 'foo@', 'foo@.', 'foo@bar.slice', 'foo@.scope', 'getty@tty1.device', 'a@b.mount', 'x@.swap', '%z.service', '%i.service', 'foo@%i.service', '%n', '%p-x.service'];

/** A unit name, valid or not; `type` biases valid names towards one unit type (Slice=, Sockets=). */
function unitName(type?: string): string {
  const r = int(3);
  if (r === 0) return pick(UNIT_BAD);
  let n = pick(UNIT_OK);
  if (type !== undefined && chance(0.7)) n = n.replace(/\.[a-z]+$/, `.${type}`);
  return r === 1 ? n : mutate(n, 'abcdefghijklmnopqrstuvwxyz.-@_:/,*"ABC123\\');
}

function unitList(type?: string): () => string {
  return () => {
    const n = 1 + int(type ? 2 : 4);
    const words: string[] = [];
    for (let i = 0; i < n; i++) words.push(unitName(type));
    return words.join(pick([' ', '  ', '\t', ' ']));
  };
}

function path(): string {
  const r = int(4);
  if (r === 0) {
    return pick(['/a', '/a/b', '/a/../b', '/..', '/.', '/a/./b', '//a', '/a/', '/', 'a', './a', '../a', '~', '~/x', '%h/x', '%t', 'x%h', '/a/%i', '-/a', '!/a', '|/a', '|!/a', '!|/a', '- /a', '| /a', '! /a', '/' + 'x'.repeat(300), '/a b', '/a/..b', '/a/b..', '/...', '/a//..//b', 'var/log', '%%/a', '/a\\b', '|', '!', '-']);
  }
  const comps = Array.from({ length: 1 + int(4) }, () => pick(['a', 'etc', 'var', '.', '..', '', 'x y', 'log', '%i', 'foo.d']));
  const p = (chance(0.8) ? '/' : '') + comps.join('/');
  return (chance(0.15) ? pick(['-', '!', '|', '~', '+']) : '') + (chance(0.2) ? mutate(p, '/.-_ab~%|!') : p);
}

function tasksMax(): string {
  const r = int(3);
  if (r === 0) return pick(['infinity', '0', '1', '18446744073709551615', '18446744073709551614', '50%', '0%', '100%', '101%', '12.34%', 'max', '-1', '0x10', '4096 ', 'Infinity', '1.5']);
  return chance(0.5) ? number() : `${number()}%`;
}

function weight(): string {
  const r = int(3);
  if (r === 0) return pick(['idle', 'Idle', '0', '1', '10000', '10001', '100', '0x10', '+5', '-0', '-1', 'max', '', ' 5']);
  return chance(0.5) ? String(int(10005)) : mutate(String(int(10005)), '0123456789+-xk idle');
}

// ---------------------------------------------------------------------------------------------
// Cases: a representative directive per kind (and per parser variant worth checking)

interface Case {
  label: string;
  /** Kind family for the recall target. */
  family: 'boolean' | 'enum' | 'timespan' | 'other';
  kind: ValueKind;
  section: 'Unit' | 'Service' | 'Socket';
  key: string;
  info: ValueCheckInfo;
  gen: () => string;
  count: number;
  /** Inputs whose verdict differs in newer systemd by design (excluded from the comparison). */
  exclude?: (v: string) => boolean;
}

/** Enumeration values as the catalog has them (v258), falling back to systemd 252's tables. */
function catalogEnum(section: string, key: string, fallback: string[]): { values: string[]; prefixes?: string[]; booleans?: boolean } {
  const file = join(__dirname, '../../server/src/language/catalog/catalog.generated.json');
  if (!existsSync(file)) return { values: fallback };
  const json = JSON.parse(readFileSync(file, 'utf8')) as {
    sections: Record<string, { directives: Record<string, { enumValues?: string[]; enumPrefixes?: string[]; enumBooleans?: boolean }> }>;
  };
  const d = json.sections[section]?.directives[key];
  if (!d?.enumValues) return { values: fallback };
  return { values: d.enumValues, prefixes: d.enumPrefixes, booleans: d.enumBooleans };
}

/**
 * systemd 252's string tables (src/core/*.c, src/basic/*.c at v252.39). The catalog reflects a
 * newer systemd; values it has beyond these (e.g. Type=notify-reload, v253) are accepted by our
 * checker and refused by 252, so inputs equal to them are excluded from the comparison.
 */
const TABLES_252: Record<string, string[]> = {
  Type: ['simple', 'forking', 'oneshot', 'dbus', 'notify', 'idle', 'exec'],
  Restart: ['no', 'on-success', 'on-failure', 'on-abnormal', 'on-watchdog', 'on-abort', 'always'],
  KillMode: ['control-group', 'process', 'mixed', 'none'],
  NotifyAccess: ['none', 'main', 'exec', 'all'],
  ProtectSystem: ['no', 'yes', 'full', 'strict'],
  ProtectHome: ['no', 'yes', 'read-only', 'tmpfs'],
  StandardOutput: ['inherit', 'null', 'tty', 'kmsg', 'kmsg+console', 'journal', 'journal+console', 'socket', 'fd', 'file', 'append', 'truncate', 'syslog', 'syslog+console'],
  TimeoutStartFailureMode: ['terminate', 'abort', 'kill'],
  OOMPolicy: ['continue', 'stop', 'kill'],
  ExitType: ['main', 'cgroup'],
  SuccessAction: ['none', 'reboot', 'reboot-force', 'reboot-immediate', 'poweroff', 'poweroff-force', 'poweroff-immediate', 'exit', 'exit-force'],
  OnFailureJobMode: ['fail', 'replace', 'replace-irreversibly', 'isolate', 'flush', 'ignore-dependencies', 'ignore-requirements', 'triggering'],
};

function enumCase(section: 'Unit' | 'Service', key: string, parser: string, count: number): Case {
  const cat = catalogEnum(section, key, TABLES_252[key]);
  const newer = new Set(cat.values.filter((v) => !TABLES_252[key].includes(v)));
  return {
    label: `enum ${key}=`,
    family: 'enum',
    kind: 'enum',
    section,
    key,
    info: { name: key, parser, enumValues: cat.values, exclusiveValues: true, enumPrefixes: cat.prefixes, enumBooleans: cat.booleans },
    gen: enumValue([...cat.values, ...(cat.prefixes ?? []).map((p) => `${p}/x`)]),
    count,
    // Values newer than 252 (catalog minus 252's table): we accept them, 252 refuses them.
    exclude: (v) => newer.has(v.trim()),
  };
}

const CASES: Case[] = [
  { label: 'boolean RemainAfterExit=', family: 'boolean', kind: 'boolean', section: 'Service', key: 'RemainAfterExit', info: { name: 'RemainAfterExit', parser: 'config_parse_bool' }, gen: boolean, count: 700 },
  { label: 'tristate PrivateMounts=', family: 'boolean', kind: 'tristate', section: 'Service', key: 'PrivateMounts', info: { name: 'PrivateMounts', parser: 'config_parse_tristate' }, gen: boolean, count: 200 },
  { label: 'timespan TimeoutStartSec=', family: 'timespan', kind: 'timespan', section: 'Service', key: 'TimeoutStartSec', info: { name: 'TimeoutStartSec', parser: 'config_parse_service_timeout' }, gen: () => timespan(false), count: 1200 },
  { label: 'timespan RuntimeMaxSec=', family: 'timespan', kind: 'timespan', section: 'Service', key: 'RuntimeMaxSec', info: { name: 'RuntimeMaxSec', parser: 'config_parse_sec' }, gen: () => timespan(false), count: 600 },
  { label: 'timespan-nsec TimerSlackNSec=', family: 'timespan', kind: 'timespan-nsec', section: 'Service', key: 'TimerSlackNSec', info: { name: 'TimerSlackNSec', parser: 'config_parse_nsec' }, gen: () => timespan(true), count: 600 },
  enumCase('Service', 'Type', 'config_parse_service_type', 300),
  enumCase('Service', 'Restart', 'config_parse_service_restart', 300),
  enumCase('Service', 'KillMode', 'config_parse_kill_mode', 200),
  enumCase('Service', 'NotifyAccess', 'config_parse_notify_access', 150),
  enumCase('Service', 'ProtectSystem', 'config_parse_protect_system', 250),
  enumCase('Service', 'ProtectHome', 'config_parse_protect_home', 150),
  enumCase('Service', 'StandardOutput', 'config_parse_exec_output', 300),
  enumCase('Service', 'TimeoutStartFailureMode', 'config_parse_service_timeout_failure_mode', 150),
  enumCase('Service', 'OOMPolicy', 'config_parse_oom_policy', 150),
  enumCase('Service', 'ExitType', 'config_parse_service_exit_type', 100),
  enumCase('Unit', 'SuccessAction', 'config_parse_emergency_action', 150),
  enumCase('Unit', 'OnFailureJobMode', 'config_parse_job_mode', 150),
  { label: 'unsigned StartLimitBurst=', family: 'other', kind: 'unsigned', section: 'Unit', key: 'StartLimitBurst', info: { name: 'StartLimitBurst', parser: 'config_parse_unsigned' }, gen: unsigned, count: 400 },
  { label: 'integer Nice=', family: 'other', kind: 'integer', section: 'Service', key: 'Nice', info: { name: 'Nice', parser: 'config_parse_exec_nice' }, gen: signed([-20, 19]), count: 250 },
  { label: 'integer OOMScoreAdjust=', family: 'other', kind: 'integer', section: 'Service', key: 'OOMScoreAdjust', info: { name: 'OOMScoreAdjust', parser: 'config_parse_exec_oom_score_adjust' }, gen: signed([-1000, 1000]), count: 200 },
  { label: 'integer CPUSchedulingPriority=', family: 'other', kind: 'integer', section: 'Service', key: 'CPUSchedulingPriority', info: { name: 'CPUSchedulingPriority', parser: 'config_parse_exec_cpu_sched_prio' }, gen: signed([0, 99]), count: 150 },
  { label: 'integer IOSchedulingPriority=', family: 'other', kind: 'integer', section: 'Service', key: 'IOSchedulingPriority', info: { name: 'IOSchedulingPriority', parser: 'config_parse_exec_io_priority' }, gen: signed([0, 7]), count: 150 },
  { label: 'integer Priority= (socket, int)', family: 'other', kind: 'integer', section: 'Socket', key: 'Priority', info: { name: 'Priority', parser: 'config_parse_int' }, gen: signed([-2147483648, 2147483647]), count: 150 },
  { label: 'unsigned IOWeight= (1..10000)', family: 'other', kind: 'unsigned', section: 'Service', key: 'IOWeight', info: { name: 'IOWeight', parser: 'config_parse_cg_weight' }, gen: weight, count: 200 },
  { label: 'CPUWeight= (idle, 1..10000)', family: 'other', kind: 'unsigned', section: 'Service', key: 'CPUWeight', info: { name: 'CPUWeight', parser: 'config_parse_cg_cpu_weight' }, gen: weight, count: 150 },
  { label: 'TasksMax=', family: 'other', kind: 'memory-limit', section: 'Service', key: 'TasksMax', info: { name: 'TasksMax', parser: 'config_parse_tasks_max' }, gen: tasksMax, count: 200 },
  { label: 'mode UMask=', family: 'other', kind: 'mode', section: 'Service', key: 'UMask', info: { name: 'UMask', parser: 'config_parse_mode' }, gen: mode, count: 400 },
  { label: 'size ReceiveBuffer= (socket)', family: 'other', kind: 'size', section: 'Socket', key: 'ReceiveBuffer', info: { name: 'ReceiveBuffer', parser: 'config_parse_iec_size' }, gen: size, count: 600 },
  { label: 'memory-limit MemoryMax=', family: 'other', kind: 'memory-limit', section: 'Service', key: 'MemoryMax', info: { name: 'MemoryMax', parser: 'config_parse_memory_limit' }, gen: memoryLimit, count: 600 },
  { label: 'memory-limit MemoryLow=', family: 'other', kind: 'memory-limit', section: 'Service', key: 'MemoryLow', info: { name: 'MemoryLow', parser: 'config_parse_memory_limit' }, gen: memoryLimit, count: 200 },
  { label: 'signal KillSignal=', family: 'other', kind: 'signal', section: 'Service', key: 'KillSignal', info: { name: 'KillSignal', parser: 'config_parse_signal' }, gen: signal, count: 600 },
  { label: 'unit-list After=', family: 'other', kind: 'unit-list', section: 'Unit', key: 'After', info: { name: 'After', parser: 'config_parse_unit_deps' }, gen: unitList(), count: 500 },
  { label: 'unit-list Sockets=', family: 'other', kind: 'unit-list', section: 'Service', key: 'Sockets', info: { name: 'Sockets', parser: 'config_parse_service_sockets' }, gen: unitList('socket'), count: 200 },
  { label: 'unit Slice=', family: 'other', kind: 'unit', section: 'Service', key: 'Slice', info: { name: 'Slice', parser: 'config_parse_unit_slice' }, gen: () => unitName('slice'), count: 250 },
  { label: 'unit Service= (socket)', family: 'other', kind: 'unit', section: 'Socket', key: 'Service', info: { name: 'Service', parser: 'config_parse_socket_service' }, gen: () => unitName('service'), count: 250 },
  { label: 'absolute-path TTYPath=', family: 'other', kind: 'absolute-path', section: 'Service', key: 'TTYPath', info: { name: 'TTYPath', parser: 'config_parse_unit_path_printf' }, gen: path, count: 400 },
  { label: 'absolute-path ConditionPathExists=', family: 'other', kind: 'absolute-path', section: 'Unit', key: 'ConditionPathExists', info: { name: 'ConditionPathExists', parser: 'config_parse_unit_condition_path' }, gen: path, count: 300 },
  { label: 'absolute-path EnvironmentFile=', family: 'other', kind: 'absolute-path', section: 'Service', key: 'EnvironmentFile', info: { name: 'EnvironmentFile', parser: 'config_parse_unit_env_file' }, gen: path, count: 200 },
];

// ---------------------------------------------------------------------------------------------
// Running systemd

function systemdAnalyzeMissing(): string | undefined {
  const r = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return `systemd-analyze is not available (${r.error?.message ?? `exit ${r.status}`}); install the "systemd" package`;
  return undefined;
}

interface Prepared {
  c: Case;
  file: string;
  inputs: string[];
  /** Line number → index into inputs. */
  lineOf: Map<number, number>;
}

/** A value systemd cannot take on one line of a unit file at all: those are not generated. */
function writable(v: string): boolean {
  return !/[\n\r]/.test(v) && !v.endsWith('\\') && v.trim() !== '';
}

function prepare(c: Case, index: number, dir: string): Prepared {
  const inputs: string[] = [];
  const seen = new Set<string>();
  for (let tries = 0; inputs.length < c.count && tries < c.count * 20; tries++) {
    const v = c.gen();
    if (!writable(v) || seen.has(v)) continue;
    seen.add(v);
    inputs.push(v);
  }
  const socket = c.section === 'Socket';
  const name = `values-${String(index).padStart(2, '0')}-${c.key.toLowerCase()}.${socket ? 'socket' : 'service'}`;
  const lines: string[] = ['[Unit]', 'Description=differential test of value checks'];
  const lineOf = new Map<number, number>();
  const body = (): void => {
    inputs.forEach((v, i) => {
      lines.push(`${c.key}=${v}`);
      lineOf.set(lines.length, i);
    });
  };
  if (c.section === 'Unit') body();
  if (socket) {
    lines.push('[Socket]', `ListenStream=/run/${name}.sock`);
  } else {
    lines.push('[Service]', 'ExecStart=/bin/true');
  }
  if (c.section !== 'Unit') body();
  writeFileSync(join(dir, name), `${lines.join('\n')}\n`);
  return { c, file: name, inputs, lineOf };
}

/** Notices systemd prints about values it still accepts. Every other message on a value line is a refusal. */
const ACCEPTED_NOTICES = [/^Unit uses KillMode=none/, /is obsolete, automatically updating/, /references a path below legacy directory/];

/** Lines systemd refused, per file. Notices about accepted-but-discouraged values are not refusals. */
function runSystemd(dir: string, files: string[]): Map<string, Set<number>> {
  const r = spawnSync('systemd-analyze', ['verify', '--man=no', '--generators=no', ...files.map((f) => `./${f}`)], {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 60_000,
  });
  if (r.error) throw r.error;
  const out = new Map<string, Set<number>>();
  for (const line of `${r.stdout}\n${r.stderr}`.split('\n')) {
    const m = /^(?:.*\/)?([^/:]+\.(?:service|socket)):(\d+): (.*)$/.exec(line);
    if (!m) continue;
    const [, file, lineNo, message] = m;
    if (process.env.VALUES_MESSAGES) console.log(`${file}: ${message}`);
    // Messages about values systemd accepts but discourages are not refusals.
    if (ACCEPTED_NOTICES.some((re) => re.test(message))) continue;
    let set = out.get(file);
    if (!set) out.set(file, (set = new Set()));
    set.add(Number(lineNo));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

const missing = systemdAnalyzeMissing();
const skip = missing !== undefined && !process.env.CI ? missing : false;

test('value checkers agree with systemd-analyze verify (no false alarm; recall per kind)', { skip, timeout: 120_000 }, (t) => {
  if (missing !== undefined) assert.fail(`CI requires systemd-analyze for the differential test: ${missing}`);
  const dir = mkdtempSync(join(tmpdir(), 'unit-fleet-values-'));
  try {
    const prepared = CASES.map((c, i) => prepare(c, i, dir));
    const refused = runSystemd(dir, prepared.map((p) => p.file));
    const falseAlarms: string[] = [];
    const rows: string[] = [];
    const family = new Map<string, { refused: number; caught: number }>();
    for (const p of prepared) {
      const systemdRefuses = new Set<number>();
      for (const line of refused.get(p.file) ?? []) {
        const i = p.lineOf.get(line);
        if (i !== undefined) systemdRefuses.add(i);
      }
      let refusedCount = 0;
      let caught = 0;
      let excluded = 0;
      let accepted = 0;
      p.inputs.forEach((v, i) => {
        if (p.c.exclude?.(v)) {
          excluded++;
          return;
        }
        const problems = checkValue(p.c.kind, v, p.c.info);
        for (const q of problems) {
          assert.ok(q.offset >= 0 && q.length >= 0 && q.offset + q.length <= v.length, `${p.c.label} ${JSON.stringify(v)}: problem range out of the value`);
          assert.ok(q.message.length > 0);
        }
        const weFlag = problems.length > 0;
        if (systemdRefuses.has(i)) {
          refusedCount++;
          if (weFlag) caught++;
          else if (process.env.VALUES_MISSES) console.log(`miss ${p.c.label} ${JSON.stringify(v)}`);
        } else {
          accepted++;
          if (weFlag) falseAlarms.push(`${p.c.label} ${JSON.stringify(v)} → ${problems.map((q) => q.message).join(' | ')}`);
        }
      });
      const recall = refusedCount === 0 ? 1 : caught / refusedCount;
      rows.push(`${p.c.label.padEnd(40)} inputs ${String(p.inputs.length).padStart(4)}  accepted ${String(accepted).padStart(4)}  refused ${String(refusedCount).padStart(4)}  caught ${String(caught).padStart(4)}  recall ${(recall * 100).toFixed(1).padStart(5)}%${excluded ? `  (excluded ${excluded} newer than 252)` : ''}`);
      const f = family.get(p.c.family) ?? { refused: 0, caught: 0 };
      f.refused += refusedCount;
      f.caught += caught;
      family.set(p.c.family, f);
      // Sanity: the generator must exercise both sides for every case.
      assert.ok(refusedCount > 0 && accepted > 0, `${p.c.label}: the generator should produce both valid and invalid values (accepted ${accepted}, refused ${refusedCount})`);
    }
    const total = prepared.reduce((n, p) => n + p.inputs.length, 0);
    rows.push(`total inputs ${total}, false alarms ${falseAlarms.length}, seed ${SEED}`);
    for (const [name, f] of family) rows.push(`family ${name}: recall ${((f.caught / Math.max(f.refused, 1)) * 100).toFixed(1)}% (${f.caught}/${f.refused})`);
    for (const row of rows) t.diagnostic(row);
    if (process.env.VALUES_REPORT) console.log(rows.join('\n'));
    assert.deepEqual(falseAlarms, [], `false alarms (we flag, systemd 252 accepts):\n${falseAlarms.slice(0, 40).join('\n')}`);
    for (const p of prepared) {
      if (p.c.family === 'other') continue;
      // per case, the recall target
      const systemdRefuses = new Set([...(refused.get(p.file) ?? [])].map((l) => p.lineOf.get(l)).filter((i): i is number => i !== undefined));
      let r = 0;
      let c = 0;
      p.inputs.forEach((v, i) => {
        if (p.c.exclude?.(v) || !systemdRefuses.has(i)) return;
        r++;
        if (checkValue(p.c.kind, v, p.c.info).length > 0) c++;
      });
      assert.ok(r === 0 || c / r >= 0.95, `${p.c.label}: recall ${((c / r) * 100).toFixed(1)}% is below 95%`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
