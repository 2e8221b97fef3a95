// Absolute paths: config_parse_unit_path_printf → unit_path_printf() then
// path_simplify_and_warn(PATH_CHECK_ABSOLUTE) (src/shared/parse-helpers.c): after specifier
// expansion the path must start with "/", must not contain ".." components once simplified, and
// each component is at most 255 bytes (NAME_MAX), the whole path below 4096 (PATH_MAX).
// Parser-specific prefixes: conditions take "|" and "!", EnvironmentFile= and WorkingDirectory=
// take "-" (ignore if missing), WorkingDirectory= also "~"; PIDFile= may be relative (to /run).
import { quote, trimBounds, type ValueCheckInfo, type ValueProblem } from './common';

interface PathRules {
  /** Characters that may precede the path, each at most once, in this order. */
  prefixes: string;
  /** Whitespace allowed after a prefix character (lenient across systemd versions). */
  spaceAfterPrefix: boolean;
  relativeOk: boolean;
  tildeOk: boolean;
  /** After a prefix, an empty path is an error (systemd tries to parse ""). */
  emptyAfterPrefixIsError: boolean;
}

const EXACT: Readonly<Record<string, PathRules>> = {
  config_parse_unit_path_printf: { prefixes: '', spaceAfterPrefix: false, relativeOk: false, tildeOk: false, emptyAfterPrefixIsError: true },
  config_parse_path_spec: { prefixes: '', spaceAfterPrefix: false, relativeOk: false, tildeOk: false, emptyAfterPrefixIsError: true },
  config_parse_path: { prefixes: '', spaceAfterPrefix: false, relativeOk: false, tildeOk: false, emptyAfterPrefixIsError: true },
  config_parse_unit_condition_path: { prefixes: '|!', spaceAfterPrefix: false, relativeOk: false, tildeOk: false, emptyAfterPrefixIsError: true },
  config_parse_unit_env_file: { prefixes: '-', spaceAfterPrefix: false, relativeOk: false, tildeOk: false, emptyAfterPrefixIsError: true },
  config_parse_working_directory: { prefixes: '-', spaceAfterPrefix: true, relativeOk: false, tildeOk: true, emptyAfterPrefixIsError: true },
  config_parse_pid_file: { prefixes: '', spaceAfterPrefix: false, relativeOk: true, tildeOk: false, emptyAfterPrefixIsError: true },
};

/** Unknown parser: accept every prefix systemd uses anywhere, and never complain about an empty rest. */
const LENIENT: PathRules = { prefixes: '|!-+', spaceAfterPrefix: true, relativeOk: false, tildeOk: true, emptyAfterPrefixIsError: false };

export const PATH_PARSERS: ReadonlySet<string> = new Set(Object.keys(EXACT));

const TOP_LEVEL = new Set(['etc', 'var', 'usr', 'opt', 'srv', 'run', 'home', 'tmp', 'dev', 'proc', 'sys', 'bin', 'sbin', 'lib', 'lib64', 'mnt', 'media', 'root', 'boot']);

function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/**
 * Checks one path value. `prefixForm` is for "file:PATH" style values where the path part is
 * mandatory.
 */
export function checkPathValue(value: string, info: ValueCheckInfo | undefined, prefixForm = false): ValueProblem[] {
  const parser = info?.parser;
  const rules = (parser !== undefined ? EXACT[parser] : undefined) ?? LENIENT;
  const [vs, ve] = trimBounds(value);
  if (vs === ve && !prefixForm) return [];
  let i = vs;
  let hadPrefix = prefixForm;
  for (const c of rules.prefixes) {
    if (value[i] === c) {
      i++;
      hadPrefix = true;
      if (rules.spaceAfterPrefix) while (i < ve && (value[i] === ' ' || value[i] === '\t')) i++;
    }
  }
  const path = value.slice(i, ve);
  if (hadPrefix && !rules.spaceAfterPrefix && /^[ \t]+\//.test(path)) {
    const n = path.length - path.trimStart().length;
    return [{ offset: i, length: n, message: `No space is allowed between "${value.slice(vs, i)}" and the path.`, suggestion: '' }];
  }
  if (path !== '' && rules.prefixes.includes(path[0])) {
    const order = [...rules.prefixes].join('" then "');
    const region = value.slice(vs, i + 1);
    const sorted = [...rules.prefixes].filter((c) => region.includes(c)).join('');
    const p: ValueProblem = { offset: vs, length: i + 1 - vs, message: `The prefixes must come in this order, each at most once: "${order}".` };
    if (sorted.length === region.length) p.suggestion = sorted;
    return [p];
  }
  if (path === '') {
    if (hadPrefix && rules.emptyAfterPrefixIsError) {
      return [{ offset: vs, length: ve - vs, message: prefixForm ? 'A path is missing after the prefix: write an absolute path such as /var/log/app.log.' : 'A path is missing after the prefix.' }];
    }
    return [];
  }
  if (rules.tildeOk && path === '~') return [];
  const problem = (a: number, b: number, message: string, suggestion?: string): ValueProblem[] => {
    const p: ValueProblem = { offset: i + a, length: b - a, message };
    if (suggestion !== undefined) p.suggestion = suggestion;
    return [p];
  };
  // Specifiers are expanded first. What stays certain: a literal first character other than "/"
  // (or "%%", a literal percent sign) leaves the path relative, and a literal ".." component
  // between literal slashes stays one.
  const specifiers = path.includes('%');
  const startsWithSpecifier = path[0] === '%' && path[1] !== '%';
  if (path[0] !== '/' && !rules.relativeOk && !startsWithSpecifier) {
    if (path.startsWith('~')) {
      return problem(0, 1, `${quote(path)} is not an absolute path: "~" is not expanded here; use %h for the home directory.`, '%h');
    }
    const first = path.split('/')[0];
    const fix = TOP_LEVEL.has(first) ? `/${path}` : undefined;
    return problem(0, path.length, `${quote(path)} is not an absolute path: it must start with "/" (or a specifier such as %h or %t).`, fix);
  }
  if (startsWithSpecifier && specifiers && rules.relativeOk) return [];
  // path_simplify(): drop empty and "." components; ".." stays and makes the path not normalized.
  let pos = 0;
  const kept: string[] = [];
  for (const comp of path.split('/')) {
    const at = pos;
    pos += comp.length + 1;
    if (comp === '' || comp === '.') continue;
    if (comp === '..') return problem(at, at + 2, `".." is not allowed in ${quote(path)}: systemd requires a normalized path without "..".`);
    if (!comp.includes('%') && byteLength(comp) > 255) return problem(at, at + comp.length, `A path component longer than 255 bytes cannot exist: ${quote(comp)}.`);
    kept.push(comp);
  }
  if (!specifiers && byteLength(`/${kept.join('/')}`) > 4096) return problem(0, path.length, 'The path is longer than 4096 bytes.');
  return [];
}
