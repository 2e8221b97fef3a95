// "Did you mean" for key paths: the written key (or, for a prefix read, the written key cut to as
// many segments as the prefix) closest to what the unit reads.
import { editDistance } from '../util/suggest';
import { keyHead, segmentCount } from './keys';

export function closestKey(read: string, prefix: boolean, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(2, Math.floor(read.length / 4));
  const segments = segmentCount(read);
  let best: string | undefined;
  let bestScore = Infinity;
  const seen = new Set<string>();
  for (const key of candidates) {
    if (key.length + 1 < read.length - limit) continue; // too short even before cutting
    let candidate = key;
    if (prefix) {
      candidate = keyHead(key, segments);
      if (read.endsWith('/') && !candidate.endsWith('/')) candidate += '/';
      if (!read.endsWith('/') && candidate.endsWith('/')) candidate = candidate.slice(0, -1);
    }
    if (candidate === read || seen.has(candidate) || Math.abs(candidate.length - read.length) > limit) continue;
    seen.add(candidate);
    const d = distance(read, candidate, limit);
    if (d <= limit && (d < bestScore || (d === bestScore && best !== undefined && candidate < best))) {
      best = candidate;
      bestScore = d;
    }
  }
  return best;
}

/** Edit distance after trimming the common head and tail (keys share long prefixes: the DP stays tiny). */
function distance(a: string, b: string, limit: number): number {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  // Keep one shared character on each side so a transposition across the cut still counts as one edit.
  const from = Math.max(0, start - 1);
  return editDistance(a.slice(from, Math.min(a.length, endA + 1)), b.slice(from, Math.min(b.length, endB + 1)), limit);
}
