// Integers: systemd's safe_atou()/safe_atoi()/safe_atolli()/safe_atou64() (src/basic/parse-util.c):
// the whole value is one number, decimal or C-style 0x hex / 0 octal, plus systemd's own 0b/0o
// prefixes; leading whitespace and a '+' sign are accepted, "-0" is 0. Ranges follow the parser:
// config_parse_unsigned is a 32-bit unsigned, config_parse_int a 32-bit int, config_parse_long
// 64-bit; parse_nice -20..19; parse_oom_score_adjust -1000..1000; cgroup weights 1..10000.
import { INT32_MAX, INT32_MIN, INT64_MAX, quote, safeAtoi, safeAtou, trimBounds, UINT32_MAX, UINT64_MAX, whole, type ValueProblem } from './common';

export interface IntegerSpec {
  signed: boolean;
  min: bigint;
  max: bigint;
  /** Words accepted besides numbers (e.g. "idle" for CPUWeight=). */
  words?: readonly string[];
  /** What the number is, for messages. */
  what?: string;
}

const INT64_MIN = -(1n << 63n);

/** Exact specs for the numeric parsers we reproduce; other parsers get the lenient defaults. */
export const INTEGER_PARSERS: Readonly<Record<string, IntegerSpec>> = {
  config_parse_unsigned: { signed: false, min: 0n, max: UINT32_MAX },
  config_parse_uint32: { signed: false, min: 0n, max: UINT32_MAX },
  config_parse_uint64: { signed: false, min: 0n, max: UINT64_MAX },
  config_parse_int: { signed: true, min: INT32_MIN, max: INT32_MAX },
  config_parse_int32: { signed: true, min: INT32_MIN, max: INT32_MAX },
  config_parse_long: { signed: true, min: INT64_MIN, max: INT64_MAX },
  config_parse_exec_nice: { signed: true, min: -20n, max: 19n, what: 'a nice level' },
  config_parse_exec_oom_score_adjust: { signed: true, min: -1000n, max: 1000n, what: 'an OOM score adjustment' },
  config_parse_tty_size: { signed: false, min: 0n, max: UINT32_MAX },
  config_parse_exec_cpu_sched_prio: { signed: true, min: 0n, max: 99n, what: 'a CPU scheduling priority' },
  config_parse_exec_io_priority: { signed: true, min: 0n, max: 7n, what: 'an I/O priority' },
  config_parse_swap_priority: { signed: true, min: -1n, max: 32767n, what: 'a swap priority' },
  config_parse_cg_weight: { signed: false, min: 1n, max: 10000n, what: 'a weight' },
  config_parse_cg_cpu_weight: { signed: false, min: 1n, max: 10000n, words: ['idle'], what: 'a weight' },
};

/** Lenient defaults when the parser is unknown: the widest type of that signedness. */
export const DEFAULT_UNSIGNED: IntegerSpec = { signed: false, min: 0n, max: UINT64_MAX };
export const DEFAULT_INTEGER: IntegerSpec = { signed: true, min: INT64_MIN, max: INT64_MAX };

function fmt(n: bigint): string {
  return n.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function checkInteger(value: string, spec: IntegerSpec): ValueProblem[] {
  const [vs, ve] = trimBounds(value);
  if (vs === ve) return [];
  const s = value.slice(vs, ve);
  if (spec.words?.includes(s)) return [];
  const range = spec.min === 0n && spec.max >= UINT32_MAX ? 'a whole number of 0 or more' : `a whole number from ${fmt(spec.min)} to ${fmt(spec.max)}`;
  const r = spec.signed ? safeAtoi(s, spec.min, spec.max) : safeAtou(s, { max: spec.max });
  const what = spec.what ?? 'a number';
  const words = spec.words && spec.words.length > 0 ? ` (or ${spec.words.join(', ')})` : '';
  if (r.ok) {
    // safe_atou() range is the type's; the narrower ranges (cgroup weights) are checked here.
    if (r.value < spec.min || r.value > spec.max) return whole(value, `${quote(s)} is out of range: use ${range}${words}.`);
    return [];
  }
  if (r.error === 'ERANGE') {
    if (!spec.signed && /^\s*-/.test(s)) return whole(value, `${quote(s)} is negative: use ${range}${words}.`);
    return whole(value, `${quote(s)} is out of range: use ${range}${words}.`);
  }
  if (/^[+]?0[0-9]+$/.test(s)) {
    const fixed = s.replace(/^([+]?)0+(?=\d)/, '$1');
    const p = whole(value, `${quote(s)} starts with 0, so systemd reads it as octal, where 8 and 9 are not digits: drop the leading zero.`)[0];
    if (safeAtoi(fixed, spec.min, spec.max).ok) p.suggestion = fixed;
    return [p];
  }
  // A number with a stray unit or suffix: point at the suffix.
  const m = /^([+-]?(?:0[xX][0-9a-fA-F]+|[0-9]+))(.+)$/.exec(s);
  if (m) {
    const suffix = m[2];
    const at = vs + m[1].length;
    const hint = suffix.trim() === '' ? '' : ` ${what.charAt(0).toUpperCase()}${what.slice(1)} takes no unit or suffix.`;
    return [{ offset: at, length: suffix.length, message: `${quote(s)} is not ${what}: unexpected ${quote(suffix)} after the number.${hint}` }];
  }
  const spec2 = s.includes('%') ? ' Specifiers such as %i are not expanded here.' : '';
  return whole(value, `${quote(s)} is not ${what}: use ${range}${words}.${spec2}`);
}
