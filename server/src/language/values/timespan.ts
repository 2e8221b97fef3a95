// Time spans: systemd's parse_time()/parse_sec() and parse_nsec() (src/basic/time-util.c),
// reproduced step by step: "infinity" alone, or one or more "<number>[.<digits>][ ]<unit>"
// components (whitespace between components optional: "1h30min", "1h 30min"), a number without a
// unit in the default unit (seconds; nanoseconds for parse_nsec), no negative values, unsigned
// 64-bit overflow rejected. Units are matched as prefixes in systemd's table order, so "5mins" is
// "5min" followed by a stray "s" — an error.
import { cStrtoll, didYouMean, isDigit, isWhitespace, quote, skipWhitespace, trimBounds, UINT64_MAX, wordAt, type ValueProblem } from './common';

export interface TimeUnit {
  unit: string;
  /** Length of one unit in the parser's base (µs for parse_time, ns for parse_nsec). */
  factor: bigint;
}

const USEC_PER_SEC = 1_000_000n;
const USEC_PER_MINUTE = 60n * USEC_PER_SEC;
const USEC_PER_HOUR = 60n * USEC_PER_MINUTE;
const USEC_PER_DAY = 24n * USEC_PER_HOUR;
const USEC_PER_WEEK = 7n * USEC_PER_DAY;
const USEC_PER_MONTH = 2629800n * USEC_PER_SEC;
const USEC_PER_YEAR = 31557600n * USEC_PER_SEC;

/** parse_time()'s unit table, in systemd's matching order (first prefix match wins). */
export const TIME_UNITS: readonly TimeUnit[] = [
  { unit: 'seconds', factor: USEC_PER_SEC },
  { unit: 'second', factor: USEC_PER_SEC },
  { unit: 'sec', factor: USEC_PER_SEC },
  { unit: 's', factor: USEC_PER_SEC },
  { unit: 'minutes', factor: USEC_PER_MINUTE },
  { unit: 'minute', factor: USEC_PER_MINUTE },
  { unit: 'min', factor: USEC_PER_MINUTE },
  { unit: 'months', factor: USEC_PER_MONTH },
  { unit: 'month', factor: USEC_PER_MONTH },
  { unit: 'M', factor: USEC_PER_MONTH },
  { unit: 'msec', factor: 1000n },
  { unit: 'ms', factor: 1000n },
  { unit: 'm', factor: USEC_PER_MINUTE },
  { unit: 'hours', factor: USEC_PER_HOUR },
  { unit: 'hour', factor: USEC_PER_HOUR },
  { unit: 'hr', factor: USEC_PER_HOUR },
  { unit: 'h', factor: USEC_PER_HOUR },
  { unit: 'days', factor: USEC_PER_DAY },
  { unit: 'day', factor: USEC_PER_DAY },
  { unit: 'd', factor: USEC_PER_DAY },
  { unit: 'weeks', factor: USEC_PER_WEEK },
  { unit: 'week', factor: USEC_PER_WEEK },
  { unit: 'w', factor: USEC_PER_WEEK },
  { unit: 'years', factor: USEC_PER_YEAR },
  { unit: 'year', factor: USEC_PER_YEAR },
  { unit: 'y', factor: USEC_PER_YEAR },
  { unit: 'usec', factor: 1n },
  { unit: 'us', factor: 1n },
  { unit: '\u03bcs', factor: 1n }, // GREEK SMALL LETTER MU
  { unit: '\u00b5s', factor: 1n }, // MICRO SIGN
];

/** parse_nsec()'s unit table: the same words in nanoseconds, plus nsec/ns. */
export const TIME_UNITS_NSEC: readonly TimeUnit[] = [
  ...TIME_UNITS.map((u) => ({ unit: u.unit, factor: u.factor * 1000n })),
  { unit: 'nsec', factor: 1n },
  { unit: 'ns', factor: 1n },
];

/** The short unit names, for completion and messages. */
export const TIME_UNIT_SHORT = ['us', 'ms', 's', 'min', 'h', 'd', 'w', 'M', 'y'] as const;
export const TIME_UNIT_SHORT_NSEC = ['ns', 'us', 'ms', 's', 'min', 'h', 'd', 'w', 'M', 'y'] as const;
/** Every unit word parse_time() accepts. */
export const TIME_UNIT_NAMES: readonly string[] = TIME_UNITS.map((u) => u.unit);
export const TIME_UNIT_NAMES_NSEC: readonly string[] = TIME_UNITS_NSEC.map((u) => u.unit);

export type TimeFailure = 'negative' | 'syntax' | 'junk-after-number' | 'fraction' | 'range' | 'infinity-junk' | 'empty';

export type TimeParseResult =
  | { ok: true; value: bigint; infinity: boolean }
  | { ok: false; reason: TimeFailure; /** where the failing component starts */ componentStart: number; /** where parsing stopped */ at: number };

function extractMultiplier(s: string, i: number, table: readonly TimeUnit[]): { end: number; factor: bigint } | undefined {
  for (const u of table) if (s.startsWith(u.unit, i)) return { end: i + u.unit.length, factor: u.factor };
  return undefined;
}

/**
 * parse_time(t, default_unit) with the µs table, or parse_nsec() with `nsec: true`.
 * Exactly the same acceptance as systemd; the failure says where and why.
 */
export function parseTimespan(s: string, nsec = false): TimeParseResult {
  const table = nsec ? TIME_UNITS_NSEC : TIME_UNITS;
  const defaultUnit = nsec ? 1n : USEC_PER_SEC;
  let p = skipWhitespace(s, 0);
  if (s.startsWith('infinity', p)) {
    const q = skipWhitespace(s, p + 8);
    if (q !== s.length) return { ok: false, reason: 'infinity-junk', componentStart: p, at: q };
    return { ok: true, value: UINT64_MAX, infinity: true };
  }
  let r = 0n;
  let something = false;
  for (;;) {
    p = skipWhitespace(s, p);
    const componentStart = p;
    if (p >= s.length) {
      if (!something) return { ok: false, reason: 'empty', componentStart, at: p };
      break;
    }
    const fail = (reason: TimeFailure, at: number): TimeParseResult => ({ ok: false, reason, componentStart, at });
    if (s[p] === '-') return fail('negative', p);
    const n = cStrtoll(s, p, 10);
    if (!n.ok) return fail('range', p);
    const l = n.value;
    const e = n.end;
    if (l < 0n) return fail('negative', p);
    let afterNumber: number;
    if (s[e] === '.') {
      afterNumber = e + 1;
      while (isDigit(s[afterNumber])) afterNumber++;
    } else if (e === p) {
      return fail('syntax', p);
    } else {
      afterNumber = e;
    }
    const unitStart = skipWhitespace(s, afterNumber);
    const unit = extractMultiplier(s, unitStart, table);
    // parse_nsec's table ends with "" (nanoseconds), which always matches.
    const next = unit ? unit.end : unitStart;
    if (next === afterNumber && afterNumber < s.length) return fail('junk-after-number', afterNumber);
    p = next;
    const multiplier = unit ? unit.factor : defaultUnit;
    if (l >= UINT64_MAX / multiplier) return fail('range', componentStart);
    let k = l * multiplier;
    if (k >= UINT64_MAX - r) return fail('range', componentStart);
    r += k;
    something = true;
    if (s[e] === '.') {
      let m = multiplier / 10n;
      let b = e + 1;
      for (; isDigit(s[b]); b++, m /= 10n) {
        k = BigInt(s.charCodeAt(b) - 48) * m;
        if (k >= UINT64_MAX - r) return fail('range', componentStart);
        r += k;
      }
      // "3.", "3.sec", "0.-0" are refused.
      if (b === e + 1) return fail('fraction', e);
    }
  }
  return { ok: true, value: r, infinity: false };
}

const WORDS_FOR_INFINITY = new Set(['inf', 'infinite', 'infinit', 'infinty', 'infinitiy', 'unlimited', 'forever', 'never', 'none', 'max', 'Infinity', 'INFINITY', 'infinity']);

/** The span to underline: the whitespace-separated word where parsing failed, plus a bare number before a detached unit ("5 mins"). */
function badSpan(s: string, at: number): [number, number] {
  let [start, end] = wordAt(s, Math.min(at, s.length - 1));
  if (!/^[0-9.]/.test(s[start] ?? '')) {
    let j = start;
    while (j > 0 && isWhitespace(s[j - 1])) j--;
    if (j > 0 && j < start) {
      const [ps, pe] = wordAt(s, j - 1);
      if (/^[0-9.]+$/.test(s.slice(ps, pe))) start = ps;
    }
  }
  return [start, end];
}

/** Splits "5mins" / "5 mins" / "1.5Sec" into number and unit text. */
function splitNumberUnit(w: string): { num: string; unit: string } | undefined {
  const m = /^([0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*([^\s0-9.][^\s]*)$/u.exec(w);
  return m ? { num: m[1], unit: m[2] } : undefined;
}

/** The best unit for an unknown one: case slips, plurals and common abbreviations. */
export function suggestTimeUnit(unit: string, nsec: boolean): string | undefined {
  const aliases: Record<string, string> = {
    mins: 'min', secs: 's', sek: 's', seg: 's', hrs: 'h', hs: 'h', dys: 'd', ds: 'd', wks: 'w', wk: 'w', yr: 'y', yrs: 'y', mo: 'M', mon: 'M', mth: 'M',
    mss: 'ms', millis: 'ms', millisecond: 'ms', milliseconds: 'ms', microsecond: 'us', microseconds: 'us', mls: 'ms',
    nanosecond: 'ns', nanoseconds: 'ns', S: 's', H: 'h', D: 'd', W: 'w', Y: 'y', MS: 'ms', MIN: 'min', Min: 'min', Sec: 'sec', SEC: 'sec', US: 'us', NS: 'ns',
  };
  const direct = aliases[unit];
  if (direct !== undefined && (nsec || direct !== 'ns')) return direct;
  const names = nsec ? TIME_UNIT_NAMES_NSEC : TIME_UNIT_NAMES;
  // Prefer the short spellings when distances tie.
  const ordered = [...(nsec ? TIME_UNIT_SHORT_NSEC : TIME_UNIT_SHORT), ...names.filter((n) => !(TIME_UNIT_SHORT_NSEC as readonly string[]).includes(n))];
  const exactCase = ordered.find((n) => n === unit.toLowerCase());
  if (exactCase !== undefined) return exactCase;
  return didYouMean(unit, ordered);
}

function validTimespan(s: string, nsec: boolean): boolean {
  return parseTimespan(s, nsec).ok;
}

/** Checks a time span the way config_parse_sec (or config_parse_nsec with `nsec`) would. */
export function checkTimespan(value: string, nsec = false): ValueProblem[] {
  const [vs, ve] = trimBounds(value);
  if (vs === ve) return [];
  const s = value.slice(vs, ve);
  const res = parseTimespan(s, nsec);
  if (res.ok) return [];
  const units = (nsec ? TIME_UNIT_SHORT_NSEC : TIME_UNIT_SHORT).join(', ');
  const plain = nsec ? 'a number without a unit means nanoseconds' : 'a number without a unit means seconds';
  const [start, end] = badSpan(s, res.at);
  const word = s.slice(start, end);
  const problem = (message: string, suggestion?: string, a = start, b = end): ValueProblem[] => {
    const p: ValueProblem = { offset: vs + a, length: b - a, message };
    if (suggestion !== undefined && validTimespan(s.slice(0, a) + suggestion + s.slice(b), nsec)) p.suggestion = suggestion;
    return [p];
  };
  switch (res.reason) {
    case 'negative':
      return problem(`Time spans cannot be negative: ${quote(word)}.`, word.replace(/^-+/, ''));
    case 'range':
      return problem(`${quote(word)} is too large for a time span (the limit is about 584,000 years); use infinity for no limit.`, 'infinity');
    case 'infinity-junk':
      return problem(`"infinity" must stand alone, without other components: ${quote(s)}.`, 'infinity', 0, s.length);
    default:
      break;
  }
  if (WORDS_FOR_INFINITY.has(word) || WORDS_FOR_INFINITY.has(word.toLowerCase())) {
    return problem(`${quote(word)} is not a time span: write infinity for no limit, or a number with a unit such as 30s or 5min.`, 'infinity');
  }
  const parts = splitNumberUnit(word);
  if (parts && !/^\.|\.$/.test(parts.num)) {
    const suggestionUnit = suggestTimeUnit(parts.unit, nsec);
    const example = suggestionUnit !== undefined ? `${parts.num}${suggestionUnit}` : `${parts.num}${nsec ? 'ns' : 's'}`;
    return problem(
      `Unknown time unit ${quote(parts.unit)} in ${quote(word)}: use ${units} (e.g. ${example}).`,
      suggestionUnit !== undefined ? example : undefined,
    );
  }
  if (res.reason === 'fraction' || (parts && /\.$/.test(parts.num))) {
    const fixed = word.replace(/\.(?=\D|$)/, '');
    return problem(`Missing digits after the decimal point in ${quote(word)}.`, fixed !== word ? fixed : undefined);
  }
  return problem(
    `${quote(word)} is not a valid time span: write numbers with units such as 30s, 5min 20s, 1h30min or 500ms, or infinity (${plain}; units: ${units}).`,
  );
}
