// Which instances of a template to deploy, as people type them: `1..3`, `1,2,5`, `{1..3}`,
// `web1 web2`, `1..3,7`. Instance names must be valid in a unit name.

export const MAX_INSTANCES = 100;

export interface ParsedInstances {
  instances?: string[];
  error?: string;
}

const INSTANCE = /^[A-Za-z0-9:_.\\-]+$/;

export function parseInstances(input: string): ParsedInstances {
  const text = input.trim().replace(/^\{(.*)\}$/, '$1');
  if (text === '') return { error: 'name at least one instance, e.g. 1, 1..3 or 1,2,5' };
  const out: string[] = [];
  for (const part of text.split(/[\s,]+/).filter(Boolean)) {
    const range = /^(\d+)\.\.(\d+)$/.exec(part);
    if (range) {
      const [from, to] = [Number(range[1]), Number(range[2])];
      if (to < from) return { error: `${part}: the range runs backwards` };
      if (to - from + 1 > MAX_INSTANCES) return { error: `${part}: at most ${MAX_INSTANCES} instances at once` };
      const width = range[1]!.length > 1 && range[1]!.startsWith('0') ? range[1]!.length : 0;
      for (let i = from; i <= to; i++) out.push(String(i).padStart(width, '0'));
      continue;
    }
    if (part.includes('..')) return { error: `${part}: a range is two numbers, e.g. 1..3` };
    if (!INSTANCE.test(part)) return { error: `${part}: an instance may contain only letters, digits and ":_.-\\"` };
    out.push(part);
  }
  const unique = [...new Set(out)];
  if (unique.length > MAX_INSTANCES) return { error: `at most ${MAX_INSTANCES} instances at once` };
  return { instances: unique };
}
