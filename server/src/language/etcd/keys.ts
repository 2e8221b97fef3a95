// etcd key paths as written in command lines: literal text with placeholders that are only known
// at run time — systemd specifiers (`%H`, `%i`, `%m`, …), shell variables (`$VAR`, `${VAR}`),
// command substitutions (`$(…)`, backticks). A placeholder is a wildcard, so `/services/web/%H`
// stands for every key a machine may write, and a reader of the prefix `/services/web/` matches it.
//
// Two ways of matching:
// - `cross`: between units (or machines): every placeholder may be anything.
// - `same-unit`: inside one unit, a specifier has one value: `%H` matches `%H` but not `%i` nor a
//   literal host name; shell placeholders still match anything.

export type KeyPart =
  | { kind: 'text'; text: string }
  /** `%H`, `%i`, … (`%%` is the literal `%`, kept as text). */
  | { kind: 'specifier'; text: string }
  /** `$VAR`, `${VAR}`, `$(…)`, `` `…` `` */
  | { kind: 'variable'; text: string };

export interface KeyPattern {
  /** As written (after quote removal). */
  source: string;
  parts: KeyPart[];
  /** The literal text before the first placeholder. */
  head: string;
}

export type MatchMode = 'cross' | 'same-unit';

/** Splits a key argument into literal text and placeholders. Never throws. */
export function parseKeyPattern(source: string): KeyPattern {
  const parts: KeyPart[] = [];
  let text = '';
  const flush = () => {
    if (text) parts.push({ kind: 'text', text });
    text = '';
  };
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    const next = source[i + 1];
    if (c === '%' && next !== undefined) {
      if (next === '%') {
        text += '%';
        i += 2;
        continue;
      }
      if (/[A-Za-z]/.test(next)) {
        flush();
        parts.push({ kind: 'specifier', text: `%${next}` });
        i += 2;
        continue;
      }
    }
    if (c === '$' && next !== undefined) {
      let end = -1;
      if (next === '{') end = closing(source, i + 2, '{', '}');
      else if (next === '(') end = closing(source, i + 2, '(', ')');
      else if (/[A-Za-z_]/.test(next)) {
        end = i + 2;
        while (end < source.length && /[A-Za-z0-9_]/.test(source[end])) end++;
      } else if (/[0-9@*#?$!-]/.test(next)) end = i + 2;
      if (end > 0) {
        flush();
        parts.push({ kind: 'variable', text: source.slice(i, end) });
        i = end;
        continue;
      }
    }
    if (c === '`') {
      const end = source.indexOf('`', i + 1);
      flush();
      const stop = end < 0 ? source.length : end + 1;
      parts.push({ kind: 'variable', text: source.slice(i, stop) });
      i = stop;
      continue;
    }
    text += c;
    i++;
  }
  flush();
  return { source, parts, head: parts[0]?.kind === 'text' ? parts[0].text : '' };
}

/** Index just past the bracket closing the one opened before `from` (or the end of the text). */
function closing(s: string, from: number, open: string, close: string): number {
  let depth = 1;
  let quote: string | undefined;
  for (let i = from; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === quote) quote = undefined;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === open) depth++;
    else if (c === close && --depth === 0) return i + 1;
  }
  return s.length;
}

/** A key known exactly (a live key from the cluster): no placeholders, `%` and `$` included. */
export function literalPattern(source: string): KeyPattern {
  return { source, parts: source ? [{ kind: 'text', text: source }] : [], head: source };
}

/** True when the key holds no placeholder. */
export function isLiteral(p: KeyPattern): boolean {
  return p.parts.every((x) => x.kind === 'text');
}

/** The literal text before the first placeholder. */
export function literalPrefix(p: KeyPattern): string {
  return p.head;
}

/** True when the key starts with a placeholder, so its place in the key space is unknown. */
export function startsDynamic(p: KeyPattern): boolean {
  return p.parts.length > 0 && p.parts[0].kind !== 'text';
}

/** Problems of a key argument as written: relative keys and empty segments. */
export function keyProblems(p: KeyPattern): string[] {
  const problems: string[] = [];
  // A key that starts with a placeholder (`$PREFIX/x`, `%i`) may well be absolute at run time.
  if (p.parts.length === 0 || startsDynamic(p)) return problems;
  const first = literalPrefix(p);
  if (!first.startsWith('/')) {
    problems.push(`The key "${p.source}" is relative: etcd keys of the sidekick convention are absolute paths (with the v3 API "${p.source}" and "/${p.source}" are two different keys, so readers and writers miss each other). Write "/${p.source}".`);
  }
  for (const part of p.parts) {
    if (part.kind === 'text' && part.text.includes('//')) {
      problems.push(`The key "${p.source}" has an empty path segment ("//"): the v3 API keeps it as a different key than the one with a single "/", so readers and writers miss each other.`);
      break;
    }
  }
  return problems;
}

// --- matching -------------------------------------------------------------------------------

const STAR = 0;
type Token = string | typeof STAR | { constant: string };

/** Token lists per pattern, by mode and prefix-ness (patterns are immutable). */
const tokenCache = new WeakMap<KeyPattern, Map<string, Token[]>>();

function tokens(p: KeyPattern, mode: MatchMode, prefix: boolean): Token[] {
  let byVariant = tokenCache.get(p);
  if (!byVariant) tokenCache.set(p, (byVariant = new Map()));
  const variant = `${mode}${prefix ? '*' : ''}`;
  let out = byVariant.get(variant);
  if (!out) byVariant.set(variant, (out = computeTokens(p, mode, prefix)));
  return out;
}

function computeTokens(p: KeyPattern, mode: MatchMode, prefix: boolean): Token[] {
  const out: Token[] = [];
  for (const part of p.parts) {
    if (part.kind === 'text') for (const ch of part.text) out.push(ch);
    else if (part.kind === 'specifier' && mode === 'same-unit') out.push({ constant: part.text });
    else if (out[out.length - 1] !== STAR) out.push(STAR);
  }
  if (prefix && out[out.length - 1] !== STAR) out.push(STAR);
  return out;
}

/**
 * True when some key is matched by both `a` and `b`. A prefix side stands for every key that
 * starts with it (`get --prefix`, `rm --recursive`, `watch --recursive`).
 */
export function patternsIntersect(a: KeyPattern, aPrefix: boolean, b: KeyPattern, bPrefix: boolean, mode: MatchMode = 'cross'): boolean {
  // Cheap rejection on the literal heads, which is most pairs in a large workspace.
  const ha = a.head;
  const hb = b.head;
  if (!(ha.length <= hb.length ? hb.startsWith(ha) : ha.startsWith(hb))) return false;
  if (isLiteral(a) && isLiteral(b)) {
    if (aPrefix && bPrefix) return true;
    if (aPrefix) return hb.startsWith(ha);
    if (bPrefix) return ha.startsWith(hb);
    return ha === hb;
  }
  return intersect(tokens(a, mode, aPrefix), tokens(b, mode, bPrefix));
}

function intersect(a: Token[], b: Token[]): boolean {
  const n = a.length;
  const m = b.length;
  const width = m + 1;
  // 0 unknown, 1 false, 2 true
  const memo = new Uint8Array((n + 1) * width);
  const go = (i: number, j: number): boolean => {
    const k = i * width + j;
    if (memo[k]) return memo[k] === 2;
    let r: boolean;
    if (i === n && j === m) r = true;
    else if (i < n && a[i] === STAR) r = go(i + 1, j) || (j < m && go(i, j + 1));
    else if (j < m && b[j] === STAR) r = go(i, j + 1) || (i < n && go(i + 1, j));
    else if (i === n || j === m) r = false;
    else {
      const x = a[i];
      const y = b[j];
      const same = typeof x === 'string' || typeof y === 'string' ? x === y : (x as { constant: string }).constant === (y as { constant: string }).constant;
      r = same && go(i + 1, j + 1);
    }
    memo[k] = r ? 2 : 1;
    return r;
  };
  return go(0, 0);
}

/** The key cut after its first `segments` path segments, with the trailing `/` (for did-you-mean on prefixes). */
export function keyHead(source: string, segments: number): string {
  let count = 0;
  for (let i = 0; i < source.length; i++) {
    if (source[i] === '/' && i > 0) {
      count++;
      if (count === segments) return source.slice(0, i + 1);
    }
  }
  return source;
}

/** Number of `/`-separated segments of a key, a trailing `/` counting as the end of the last one. */
export function segmentCount(source: string): number {
  const trimmed = source.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? 0 : trimmed.split('/').length;
}
