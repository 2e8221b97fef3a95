// Shared pieces of the value checkers: the problem shape, C-library number scanning that
// behaves like glibc's strto*() (systemd's parsers are built on it), specifier detection and
// "did you mean" suggestions.

/** A problem inside a value; offset/length are UTF-16 offsets into the value string. */
export interface ValueProblem {
  offset: number;
  length: number;
  message: string;
  /** Replacement text for exactly [offset, offset + length) when an obvious fix exists. */
  suggestion?: string;
}

/**
 * What a checker may know about the directive. `DirectiveInfo` from the catalog fits here as is;
 * `parser` (systemd's `config_parse_*` function) lets a checker follow that parser's quirks
 * (prefixes, ranges, specifier expansion) instead of the kind's generic, lenient rules.
 */
export interface ValueCheckInfo {
  enumValues?: string[];
  exclusiveValues?: boolean;
  /** Enum forms with an argument, e.g. "file:" (catalog's DirectiveInfo.enumPrefixes). */
  enumPrefixes?: string[];
  /** The enum also takes every boolean spelling (catalog's DirectiveInfo.enumBooleans). */
  enumBooleans?: boolean;
  /** Section of the directive; `Install` keys are read by systemctl with its own word splitting. */
  section?: string;
  /** The directive name, e.g. `MemoryMax` (some parsers behave differently per name). */
  name?: string;
  /** systemd's parser, e.g. `config_parse_sec`. */
  parser?: string;
}

/** systemd's WHITESPACE (string-util.h): what strstrip()/strspn() skip. */
export const WHITESPACE = ' \t\n\r';
/** isspace() in the C locale: what strtol() & co. skip. */
const C_SPACE = ' \t\n\v\f\r';

export function isWhitespace(c: string | undefined): boolean {
  return c !== undefined && c !== '' && WHITESPACE.includes(c);
}

export function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** Index of the first character at or after `i` that is not in systemd's WHITESPACE. */
export function skipWhitespace(s: string, i: number): number {
  while (i < s.length && WHITESPACE.includes(s[i])) i++;
  return i;
}

/** [start, end) of the value without surrounding WHITESPACE (systemd strips it before parsing). */
export function trimBounds(s: string): [number, number] {
  let start = 0;
  let end = s.length;
  while (start < end && WHITESPACE.includes(s[start])) start++;
  while (end > start && WHITESPACE.includes(s[end - 1])) end--;
  return [start, end];
}

export const UINT64_MAX = (1n << 64n) - 1n;
export const INT64_MAX = (1n << 63n) - 1n;
export const INT32_MAX = 2147483647n;
export const INT32_MIN = -2147483648n;
export const UINT32_MAX = 4294967295n;

export interface CNumber {
  /** Index just past the parsed number; equals the start index when nothing was parsed. */
  end: number;
  /** Magnitude of the digits read (before the sign is applied). */
  magnitude: bigint;
  negative: boolean;
}

function digitValue(c: string): number {
  const code = c.charCodeAt(0);
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 122) return code - 87;
  if (code >= 65 && code <= 90) return code - 55;
  return 99;
}

/**
 * The scanning part of glibc's strtol/strtoul/strtoll/strtoull (glibc 2.36, so no C23 `0b`):
 * optional C whitespace, optional sign, base 0 auto-detection (`0x` hex, leading `0` octal),
 * an optional `0x` prefix in base 16, then digits. When no digit is found, `end` is the start.
 */
export function scanCNumber(s: string, start: number, base: number): CNumber {
  let i = start;
  while (i < s.length && C_SPACE.includes(s[i])) i++;
  let negative = false;
  if (s[i] === '+' || s[i] === '-') {
    negative = s[i] === '-';
    i++;
  }
  const hexPrefix = (s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X') && i + 2 < s.length && digitValue(s[i + 2]) < 16);
  if (base === 0) {
    if (hexPrefix) {
      base = 16;
      i += 2;
    } else if (s[i] === '0') base = 8;
    else base = 10;
  } else if (base === 16 && hexPrefix) {
    i += 2;
  }
  const digitsStart = i;
  let magnitude = 0n;
  const b = BigInt(base);
  while (i < s.length && digitValue(s[i]) < base) {
    magnitude = magnitude * b + BigInt(digitValue(s[i]));
    i++;
  }
  if (i === digitsStart) return { end: start, magnitude: 0n, negative: false };
  return { end: i, magnitude, negative };
}

export type CIntResult = { ok: true; value: bigint; end: number } | { ok: false; error: 'EINVAL' | 'ERANGE'; end: number };

/** strtoull()/strtoul() on LP64: the value wraps for a leading '-', ERANGE past 2^64-1. */
export function cStrtoull(s: string, start: number, base: number): CIntResult & { negative?: boolean } {
  const n = scanCNumber(s, start, base);
  if (n.end === start) return { ok: true, value: 0n, end: start };
  if (n.magnitude > UINT64_MAX) return { ok: false, error: 'ERANGE', end: n.end };
  const value = n.negative ? (n.magnitude === 0n ? 0n : (1n << 64n) - n.magnitude) : n.magnitude;
  return { ok: true, value, end: n.end, negative: n.negative };
}

/** strtoll()/strtol() on LP64: ERANGE outside the signed 64-bit range. */
export function cStrtoll(s: string, start: number, base: number): CIntResult {
  const n = scanCNumber(s, start, base);
  if (n.end === start) return { ok: true, value: 0n, end: start };
  const value = n.negative ? -n.magnitude : n.magnitude;
  if (value > INT64_MAX || value < -(1n << 63n)) return { ok: false, error: 'ERANGE', end: n.end };
  return { ok: true, value, end: n.end };
}

/** systemd's mangle_base(): with base 0, `0b`/`0B` mean binary and `0o`/`0O` octal. */
function mangleBase(s: string, i: number, base: number): [number, number] {
  if (base !== 0) return [i, base];
  const two = s.slice(i, i + 2);
  if (two === '0b' || two === '0B') return [i + 2, 2];
  if (two === '0o' || two === '0O') return [i + 2, 8];
  return [i, base];
}

export interface SafeAtoOptions {
  /** 0 (auto, with systemd's 0b/0o extension), 8, 10 or 16. */
  base?: number;
  refusePlusMinus?: boolean;
  /** Upper bound of the unsigned type (UINT32_MAX for `unsigned`, UINT64_MAX for uint64). */
  max?: bigint;
}

/** systemd's safe_atou_full()/safe_atou64_full(): the whole string must be one unsigned number. */
export function safeAtou(s: string, opts: SafeAtoOptions = {}): { ok: true; value: bigint } | { ok: false; error: 'EINVAL' | 'ERANGE' } {
  const max = opts.max ?? UINT32_MAX;
  let i = skipWhitespace(s, 0);
  if (opts.refusePlusMinus && (s[i] === '+' || s[i] === '-')) return { ok: false, error: 'EINVAL' };
  let base = opts.base ?? 0;
  [i, base] = mangleBase(s, i, base);
  const r = cStrtoull(s, i, base);
  if (!r.ok) return { ok: false, error: r.error };
  if (r.end === i || r.end !== s.length) return { ok: false, error: 'EINVAL' };
  if (r.value !== 0n && s[i] === '-') return { ok: false, error: 'ERANGE' };
  if (r.value > max) return { ok: false, error: 'ERANGE' };
  return { ok: true, value: r.value };
}

/** systemd's safe_atoi()/safe_atolli(): the whole string must be one signed number. */
export function safeAtoi(s: string, min: bigint, max: bigint): { ok: true; value: bigint } | { ok: false; error: 'EINVAL' | 'ERANGE' } {
  let i = skipWhitespace(s, 0);
  let base = 0;
  [i, base] = mangleBase(s, i, base);
  const r = cStrtoll(s, i, base);
  if (!r.ok) return { ok: false, error: r.error };
  if (r.end === i || r.end !== s.length) return { ok: false, error: 'EINVAL' };
  if (r.value < min || r.value > max) return { ok: false, error: 'ERANGE' };
  return { ok: true, value: r.value };
}

/** True when the value contains a `%` specifier that systemd would expand before parsing. */
export function hasSpecifier(s: string): boolean {
  return s.includes('%');
}

/** Parsers that expand `%` specifiers (unit_name_printf, unit_path_printf, unit_full_printf) before parsing. */
export const EXPANDING_PARSERS = new Set([
  'config_parse_timer',
  'config_parse_unit_deps',
  'config_parse_obsolete_unit_deps',
  'config_parse_trigger_unit',
  'config_parse_socket_service',
  'config_parse_unit_slice',
  'config_parse_unit_path_printf',
  'config_parse_unit_path_strv_printf',
  'config_parse_path_spec',
  'config_parse_pid_file',
  'config_parse_working_directory',
  'config_parse_unit_env_file',
  'config_parse_unit_condition_path',
  'config_parse_unit_condition_string',
  'config_parse_exec_output',
  'config_parse_exec_input',
  'config_parse_unit_string_printf',
]);

/**
 * Whether a value with `%` must be skipped: yes unless the parser is known and known not to
 * expand specifiers (then `%` is simply an invalid character for it and flagging is exact).
 */
export function skipForSpecifier(value: string, info: ValueCheckInfo | undefined, nonExpanding: ReadonlySet<string>): boolean {
  if (!hasSpecifier(value)) return false;
  const parser = info?.parser;
  if (parser === undefined || EXPANDING_PARSERS.has(parser)) return true;
  return !nonExpanding.has(parser);
}

// --- did you mean -----------------------------------------------------------------------

/** Damerau-Levenshtein (optimal string alignment) distance. */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  const d: number[][] = Array.from({ length: m + 1 }, (_, i) => {
    const row = new Array<number>(n + 1).fill(0);
    row[0] = i;
    return row;
  });
  for (let j = 0; j <= n; j++) d[0][j] = j;
  for (let i = 1; i <= m; i++) {
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2][j - 2] + 1);
      d[i][j] = v;
    }
  }
  return d[m][n];
}

/**
 * The candidate closest to `word` when it is a plausible typo: an exact case-insensitive match
 * wins, otherwise the smallest edit distance within a limit that grows with the word's length.
 * Ties are resolved by candidate order, so put the most common candidates first.
 */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  if (word === '') return undefined;
  const lower = word.toLowerCase();
  for (const c of candidates) if (c.toLowerCase() === lower && c !== word) return c;
  const limit = lower.length <= 3 ? 1 : lower.length <= 7 ? 2 : 3;
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    if (c === word) continue;
    const score = editDistance(lower, c.toLowerCase());
    if (score <= limit && score < bestScore && score < c.length) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}

/** A short, quoted rendering of a value for messages. */
export function quote(s: string): string {
  const shown = s.length > 60 ? `${s.slice(0, 57)}…` : s;
  return `"${shown}"`;
}

/** "a, b, c or d" */
export function listWords(words: readonly string[], max = 12): string {
  const shown = words.length > max ? [...words.slice(0, max), '…'] : [...words];
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} or ${shown[shown.length - 1]}`;
}

/** One problem covering the whole (trimmed) value. */
export function whole(value: string, message: string, suggestion?: string): ValueProblem[] {
  const [start, end] = trimBounds(value);
  const p: ValueProblem = { offset: start, length: Math.max(end - start, 0), message };
  if (suggestion !== undefined) p.suggestion = suggestion;
  return [p];
}

/** Maximal run of non-WHITESPACE characters containing index `i` (or the one just before it). */
export function wordAt(s: string, i: number): [number, number] {
  if (i >= s.length) i = s.length - 1;
  while (i > 0 && isWhitespace(s[i])) i--;
  let start = i;
  let end = i;
  while (start > 0 && !isWhitespace(s[start - 1])) start--;
  while (end < s.length && !isWhitespace(s[end])) end++;
  return [start, end];
}
