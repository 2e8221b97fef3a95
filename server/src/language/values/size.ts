// Sizes: systemd's parse_size(t, 1024) (src/basic/parse-util.c) behind config_parse_iec_size,
// and config_parse_memory_limit (src/core/load-fragment.c): "infinity", a percentage of RAM
// (parse_permyriad: "N%", "N.N%", "N.NN%", "N‰", "N.N‰", "N‱", at most 100%), or a size.
// A size is one or more "<number>[.<digits>][ ]<suffix>" components with the suffixes
// E P T G M K B (powers of 1024, upper case only) or none (bytes), in strictly descending order
// ("1G 512M" works, "512M 1G" does not); "KB", "MiB", lower-case "k" are refused.
import { cStrtoull, didYouMean, isDigit, quote, safeAtoi, skipWhitespace, trimBounds, UINT64_MAX, whole, wordAt, type ValueProblem } from './common';

/** parse_size()'s IEC suffixes, in its table order. */
export const SIZE_SUFFIXES: readonly { suffix: string; factor: bigint }[] = [
  { suffix: 'E', factor: 1n << 60n },
  { suffix: 'P', factor: 1n << 50n },
  { suffix: 'T', factor: 1n << 40n },
  { suffix: 'G', factor: 1n << 30n },
  { suffix: 'M', factor: 1n << 20n },
  { suffix: 'K', factor: 1n << 10n },
  { suffix: 'B', factor: 1n },
  { suffix: '', factor: 1n },
];
export const SIZE_SUFFIX_NAMES = ['K', 'M', 'G', 'T', 'P', 'E'] as const;

export type SizeFailure = 'syntax' | 'negative' | 'range' | 'suffix';
export type SizeParseResult = { ok: true; value: bigint } | { ok: false; reason: SizeFailure; componentStart: number; at: number };

/** parse_size(t, 1024), exactly. */
export function parseSize(s: string): SizeParseResult {
  let p = 0;
  let r = 0n;
  let startPos = 0;
  do {
    p = skipWhitespace(s, p);
    const componentStart = p;
    const fail = (reason: SizeFailure, at: number): SizeParseResult => ({ ok: false, reason, componentStart, at });
    const n = cStrtoull(s, p, 10);
    if (!n.ok) return fail('range', p);
    if (n.end === p) return fail('syntax', p);
    if (s[p] === '-') return fail('negative', p);
    const l = n.value;
    let e = n.end;
    let frac = 0;
    if (s[e] === '.') {
      e++;
      if (isDigit(s[e])) {
        const f = cStrtoull(s, e, 10);
        if (!f.ok) return fail('range', p);
        frac = Number(f.value);
        for (; e < f.end; e++) frac /= 10;
      }
    }
    e = skipWhitespace(s, e);
    let i = startPos;
    for (; i < SIZE_SUFFIXES.length; i++) if (s.startsWith(SIZE_SUFFIXES[i].suffix, e)) break;
    if (i >= SIZE_SUFFIXES.length) return fail('suffix', e);
    const factor = SIZE_SUFFIXES[i].factor;
    // C adds in unsigned 64-bit arithmetic, so ULLONG_MAX + 1 wraps to 0 here (as in systemd).
    if (((l + (frac > 0 ? 1n : 0n)) & UINT64_MAX) > UINT64_MAX / factor) return fail('range', p);
    const tmp = l * factor + BigInt(Math.trunc(frac * Number(factor)));
    if (tmp > UINT64_MAX - r) return fail('range', p);
    r += tmp;
    p = e + SIZE_SUFFIXES[i].suffix.length;
    startPos = i + 1;
  } while (p < s.length);
  return { ok: true, value: r };
}

/**
 * parse_permyriad(): a percentage with up to two decimals, a per-mille with one, or a
 * per-myriad, at most 100%. Returns per-myriad (0..10000) or undefined.
 */
export function parsePermyriad(s: string): number | undefined {
  const whole_ = (body: string): number | undefined => {
    const r = safeAtoi(body, -(1n << 31n), (1n << 31n) - 1n);
    if (!r.ok || r.value < 0n) return undefined;
    return Number(r.value);
  };
  const withPlaces = (body: string, places: 1 | 2): number | undefined => {
    const dot = body.indexOf('.');
    let q = 0;
    let intPart = body;
    if (dot >= 0) {
      const decimals = body.slice(dot + 1);
      if (places === 1 && decimals.length !== 1) return undefined;
      if (places === 2 && decimals.length !== 1 && decimals.length !== 2) return undefined;
      if (![...decimals].every((c) => isDigit(c))) return undefined;
      q = places === 2 ? (decimals.length === 2 ? Number(decimals) : Number(decimals) * 10) : Number(decimals);
      intPart = body.slice(0, dot);
    }
    const v = whole_(intPart);
    if (v === undefined) return undefined;
    const scale = places === 2 ? 100 : 10;
    if (v > Math.floor((2147483647 - q) / scale)) return undefined;
    return v * scale + q;
  };
  let v: number | undefined;
  if (s.endsWith('\u2031')) v = whole_(s.slice(0, -1));
  else if (s.endsWith('\u2030')) v = withPlaces(s.slice(0, -1), 1);
  else if (s.endsWith('%')) v = withPlaces(s.slice(0, -1), 2);
  else return undefined;
  if (v === undefined || v > 10000) return undefined;
  return v;
}

const SIZE_ALIASES: Record<string, string> = {
  k: 'K', kb: 'K', kib: 'K', m: 'M', mb: 'M', mib: 'M', g: 'G', gb: 'G', gib: 'G', t: 'T', tb: 'T', tib: 'T', p: 'P', pb: 'P', pib: 'P', e: 'E', eb: 'E', eib: 'E',
  b: 'B', bytes: '', byte: '',
};

function sizeSuggestionUnit(unit: string): string | undefined {
  const alias = SIZE_ALIASES[unit.toLowerCase()];
  if (alias !== undefined) return alias;
  return didYouMean(unit, SIZE_SUFFIX_NAMES);
}

function sizeProblem(vs: number, s: string, res: Extract<SizeParseResult, { ok: false }>, extra: string, valid: (v: string) => boolean): ValueProblem[] {
  let [start, end] = wordAt(s, Math.min(res.at, s.length - 1));
  if (res.componentStart < start) start = res.componentStart;
  const word = s.slice(start, end);
  const make = (message: string, suggestion?: string): ValueProblem[] => {
    const p: ValueProblem = { offset: vs + start, length: end - start, message };
    if (suggestion !== undefined && valid(s.slice(0, start) + suggestion + s.slice(end))) p.suggestion = suggestion;
    return [p];
  };
  if (res.reason === 'negative') return make(`Sizes cannot be negative: ${quote(word)}.`);
  if (res.reason === 'range') return make(`${quote(word)} is too large: sizes must stay below 16E.${extra}`);
  const m = /^([0-9]+(?:\.[0-9]*)?)\s*([^\s0-9.][^\s]*)$/.exec(word);
  if (m) {
    const unit = sizeSuggestionUnit(m[2]);
    const example = `${m[1]}${unit ?? 'M'}`;
    if (SIZE_SUFFIX_NAMES.includes(m[2][0] as (typeof SIZE_SUFFIX_NAMES)[number]) || m[2][0] === 'B') {
      return make(`Unknown size suffix ${quote(m[2])} in ${quote(word)}: use one of K, M, G, T, P, E (powers of 1024) with nothing after it, e.g. ${example}.${extra}`, unit !== undefined ? example : undefined);
    }
    return make(`Unknown size suffix ${quote(m[2])} in ${quote(word)}: use K, M, G, T, P or E (powers of 1024, upper case), e.g. ${example}.${extra}`, unit !== undefined ? example : undefined);
  }
  return make(`${quote(word)} is not a size: write bytes or a number with K, M, G, T, P or E (powers of 1024), e.g. 512K or 1.5G.${extra}`);
}

export function checkSize(value: string): ValueProblem[] {
  const [vs, ve] = trimBounds(value);
  if (vs === ve) return [];
  const s = value.slice(vs, ve);
  const res = parseSize(s);
  if (res.ok) return [];
  return sizeProblem(vs, s, res, '', (v) => parseSize(v).ok);
}

/** Memory settings where 0 is meaningful (protection or swap limits); elsewhere 0 is refused. */
function zeroAllowed(name: string | undefined): boolean {
  if (name === undefined) return true;
  if (/Swap/.test(name) || /Low$|Min$/.test(name)) return true;
  return !/^(Startup)?Memory(Max|High|Limit)$/.test(name);
}

export type MemoryLimitParse = { ok: true; bytes: bigint | 'percent'; percent?: number; infinity?: boolean } | { ok: false; size: Extract<SizeParseResult, { ok: false }> | undefined; zero?: boolean; tooLarge?: boolean };

/** config_parse_memory_limit()'s acceptance (the value is already stripped and non-empty). */
export function parseMemoryLimit(s: string, name?: string): MemoryLimitParse {
  if (s === 'infinity') return { ok: true, bytes: UINT64_MAX, infinity: true };
  const pm = parsePermyriad(s);
  let bytes: bigint;
  if (pm !== undefined) {
    if (pm === 0 && !zeroAllowed(name)) return { ok: false, size: undefined, zero: true };
    return { ok: true, bytes: 'percent', percent: pm / 100 };
  }
  const res = parseSize(s);
  if (!res.ok) return { ok: false, size: res };
  bytes = res.value;
  if (bytes >= UINT64_MAX) return { ok: false, size: undefined, tooLarge: true };
  if (bytes === 0n && !zeroAllowed(name)) return { ok: false, size: undefined, zero: true };
  return { ok: true, bytes };
}

export function checkMemoryLimit(value: string, name?: string): ValueProblem[] {
  const [vs, ve] = trimBounds(value);
  if (vs === ve) return [];
  const s = value.slice(vs, ve);
  const res = parseMemoryLimit(s, name);
  if (res.ok) return [];
  if (res.zero) return whole(value, `A limit of ${quote(s)} would leave the unit no memory at all; systemd refuses it. Use infinity for no limit.`);
  if (res.tooLarge) return whole(value, `${quote(s)} is too large; use infinity for no limit.`, 'infinity');
  if (/^[^%‰‱]*[%‰‱]$/.test(s)) {
    return whole(value, `${quote(s)} is not a valid percentage: use 0% to 100% with at most two decimals, e.g. 50% or 12.5%.`);
  }
  if (/^(inf|infinite|unlimited|max|none|Infinity|INFINITY|-1)$/.test(s)) {
    return whole(value, `${quote(s)} is not a memory limit: write infinity for no limit.`, 'infinity');
  }
  const valid = (v: string): boolean => parseMemoryLimit(v, name).ok;
  return sizeProblem(vs, s, res.size!, ' Memory limits also take a percentage of RAM (e.g. 50%) or infinity.', valid);
}
