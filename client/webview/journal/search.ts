// Search in the journal viewer: a query (plain text or regular expression, case-sensitive or not)
// compiled once, then tested against each message and turned into highlight ranges. No DOM here.

export interface SearchQuery {
  text: string;
  regex: boolean;
  matchCase: boolean;
}

export type CompiledSearch = { ok: true; re: RegExp } | { ok: false; error: string };

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** undefined for an empty query (no search); an error for an invalid regular expression. */
export function compileSearch(query: SearchQuery): CompiledSearch | undefined {
  if (query.text === '') return undefined;
  const source = query.regex ? query.text : escapeRegExp(query.text);
  try {
    return { ok: true, re: new RegExp(source, query.matchCase ? 'g' : 'gi') };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** Whether `text` matches (an empty match counts: `^$` finds empty messages). */
export function matches(re: RegExp, text: string): boolean {
  re.lastIndex = 0;
  return re.test(text);
}

/** The non-empty matches as [start, end) ranges, in order, at most `limit`. */
export function matchRanges(re: RegExp, text: string, limit = 1000): [number, number][] {
  const ranges: [number, number][] = [];
  re.lastIndex = 0;
  while (ranges.length < limit) {
    const m = re.exec(text);
    if (m === null) break;
    const start = m.index;
    const end = start + m[0].length;
    if (end === start) {
      // An empty match: step over it (by a whole surrogate pair when there is one).
      const code = text.charCodeAt(start);
      re.lastIndex = start + (code >= 0xd800 && code <= 0xdbff ? 2 : 1);
      if (re.lastIndex > text.length) break;
      continue;
    }
    ranges.push([start, end]);
  }
  return ranges;
}
