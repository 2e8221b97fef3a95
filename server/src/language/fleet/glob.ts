// fleet's glob matching for Conflicts= and Replaces= (agent/state.go globMatches → Go's
// path.Match): `*` any run of characters except `/`, `?` one character except `/`,
// `[abc]` `[a-z]` `[^a-z]` one character from a class, `\x` a literal x. The pattern must match
// the whole name. A malformed pattern matches nothing (fleet logs the error and moves on).

type Token =
  | { t: 'star' }
  | { t: 'any' }
  | { t: 'class'; negated: boolean; ranges: [number, number][] }
  | { t: 'char'; c: number };

export interface GlobError {
  message: string;
  /** Offset (in UTF-16 units) in the pattern where the problem is. */
  offset: number;
}

interface Compiled {
  tokens: Token[];
  error: GlobError | undefined;
}

const cache = new Map<string, Compiled>();
const CACHE_LIMIT = 2048;

function compile(pattern: string): Compiled {
  const hit = cache.get(pattern);
  if (hit) return hit;
  const result = parse(pattern);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(pattern, result);
  return result;
}

function parse(pattern: string): Compiled {
  const tokens: Token[] = [];
  const cps = [...pattern];
  const offsets: number[] = [];
  {
    let o = 0;
    for (const c of cps) {
      offsets.push(o);
      o += c.length;
    }
    offsets.push(o);
  }
  const fail = (message: string, i: number): Compiled => ({ tokens, error: { message, offset: offsets[Math.min(i, cps.length)] } });
  let i = 0;
  while (i < cps.length) {
    const c = cps[i];
    if (c === '*') {
      if (tokens[tokens.length - 1]?.t !== 'star') tokens.push({ t: 'star' });
      i++;
    } else if (c === '?') {
      tokens.push({ t: 'any' });
      i++;
    } else if (c === '\\') {
      if (i + 1 >= cps.length) return fail('a trailing `\\` escapes nothing', i);
      tokens.push({ t: 'char', c: cps[i + 1].codePointAt(0)! });
      i += 2;
    } else if (c === '[') {
      const open = i;
      i++;
      let negated = false;
      if (cps[i] === '^') {
        negated = true;
        i++;
      }
      const ranges: [number, number][] = [];
      // One class character: not `-` or `]` unescaped (Go's getEsc), and something must follow.
      const classChar = (): number | GlobError => {
        if (i >= cps.length) return { message: 'character class `[` is never closed', offset: offsets[open] };
        if (cps[i] === '-' || cps[i] === ']') return { message: `\`${cps[i]}\` must be escaped as \`\\${cps[i]}\` here`, offset: offsets[i] };
        if (cps[i] === '\\') {
          i++;
          if (i >= cps.length) return { message: 'character class `[` is never closed', offset: offsets[open] };
        }
        const r = cps[i].codePointAt(0)!;
        i++;
        if (i >= cps.length) return { message: 'character class `[` is never closed', offset: offsets[open] };
        return r;
      };
      for (;;) {
        if (cps[i] === ']' && ranges.length > 0) {
          i++;
          break;
        }
        const lo = classChar();
        if (typeof lo !== 'number') return { tokens, error: lo };
        let hi = lo;
        if (cps[i] === '-') {
          i++;
          const h = classChar();
          if (typeof h !== 'number') return { tokens, error: h };
          hi = h;
        }
        ranges.push([lo, hi]);
      }
      tokens.push({ t: 'class', negated, ranges });
    } else {
      tokens.push({ t: 'char', c: c.codePointAt(0)! });
      i++;
    }
  }
  return { tokens, error: undefined };
}

/** Why fleet cannot use `pattern` (Go's path.ErrBadPattern), or undefined when it is well formed. */
export function globError(pattern: string): GlobError | undefined {
  return compile(pattern).error;
}

/** True when the pattern has glob syntax (`*`, `?`, `[`, `\`) rather than being a plain name. */
export function isGlobPattern(pattern: string): boolean {
  return /[*?[\\]/.test(pattern);
}

const SLASH = 0x2f;

/**
 * fleet's match of a Conflicts=/Replaces= pattern against a unit name (Go's path.Match over the
 * whole name). Malformed patterns match nothing.
 */
export function globMatch(pattern: string, name: string): boolean {
  const { tokens, error } = compile(pattern);
  if (error) return false;
  const s = [...name].map((c) => c.codePointAt(0)!);
  // memo[ti * (n+1) + si]: 0 unknown, 1 match, 2 no match
  const n = s.length;
  const memo = new Uint8Array((tokens.length + 1) * (n + 1));
  const go = (ti: number, si: number): boolean => {
    const key = ti * (n + 1) + si;
    if (memo[key]) return memo[key] === 1;
    let ok: boolean;
    if (ti === tokens.length) ok = si === n;
    else {
      const tok = tokens[ti];
      switch (tok.t) {
        case 'star': {
          ok = go(ti + 1, si);
          for (let k = si; !ok && k < n && s[k] !== SLASH; k++) ok = go(ti + 1, k + 1);
          break;
        }
        case 'any':
          ok = si < n && s[si] !== SLASH && go(ti + 1, si + 1);
          break;
        case 'class': {
          if (si >= n) ok = false;
          else {
            const r = s[si];
            const inClass = tok.ranges.some(([lo, hi]) => lo <= r && r <= hi);
            ok = inClass !== tok.negated && go(ti + 1, si + 1);
          }
          break;
        }
        case 'char':
          ok = si < n && s[si] === tok.c && go(ti + 1, si + 1);
          break;
      }
    }
    memo[key] = ok ? 1 : 2;
    return ok;
  };
  return go(0, 0);
}
