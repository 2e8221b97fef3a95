// Unit names: systemd's unit_name_is_valid() (src/basic/unit-name.c): below 256 bytes, a known
// type suffix after the last ".", a non-empty name before it made only of letters, digits and
// ":-_.\" plus "@" (the first "@" separates prefix and instance; "foo@.service" is a template).
// Dependency lists (config_parse_unit_deps) split on whitespace with extract_first_word(…,
// EXTRACT_RETAIN_ESCAPE): no quoting, backslashes kept; each word goes through unit_name_printf()
// (so "%i" etc. are expanded first) and templates get the unit's own instance or prefix filled in.
import { UNIT_TYPES } from '../unitFile/unitName';
import { didYouMean, isWhitespace, quote, type ValueCheckInfo, type ValueProblem } from './common';

export { UNIT_TYPES };
export const UNIT_NAME_MAX = 256;

const VALID_CHAR = /^[A-Za-z0-9:_.\\@-]$/;
const TYPE_SET = new Set<string>(UNIT_TYPES);
/** Suffixes in the order we prefer them in suggestions. */
const SUFFIXES = ['service', 'target', 'socket', 'timer', 'mount', 'path', 'slice', 'device', 'automount', 'swap', 'scope'];

/** unit_type_may_template(): only these types can be templates or instances ("foo@bar.slice" cannot be loaded). */
export const TEMPLATABLE_TYPES: ReadonlySet<string> = new Set(['service', 'socket', 'target', 'timer', 'path']);

export interface UnitNameRules {
  /** "foo@.service" acceptable (dependency lists fill in the instance). */
  allowTemplate: boolean;
  /**
   * The manager loads the unit (dependencies, Slice=, …): then instances of types that cannot be
   * templated are refused too. False for [Install] lists, which systemctl only turns into symlinks.
   */
  loaded?: boolean;
  /** Required unit type, e.g. "service" for Socket.Service=. */
  type?: string;
}

export interface UnitNameProblem {
  message: string;
  /** Replacement for the whole name. */
  suggestion?: string;
}

/** Why `name` is not a valid unit name under `rules`, or undefined when systemd accepts it. */
export function unitNameProblem(name: string, rules: UnitNameRules): UnitNameProblem | undefined {
  if (name.includes('%')) {
    // Specifiers are expanded first: only literal characters that can never be valid are certain.
    const literal = name.replace(/%./gs, '');
    const bad = [...literal].find((c) => !VALID_CHAR.test(c));
    if (bad !== undefined && bad !== '%') return { message: `${quote(name)} is not a valid unit name: ${describeChar(bad)} is not allowed (use letters, digits and : - _ . \\ @).` };
    const lastDot = name.lastIndexOf('.');
    const literalSuffix = lastDot >= 0 ? name.slice(lastDot + 1) : '';
    if (rules.loaded !== false && lastDot >= 0 && !literalSuffix.includes('%') && TYPE_SET.has(literalSuffix) && !TEMPLATABLE_TYPES.has(literalSuffix) && name.slice(0, lastDot).includes('@')) {
      return { message: templateMessage(name, literalSuffix) };
    }
    if (rules.type !== undefined && lastDot >= 0 && !literalSuffix.includes('%') && literalSuffix !== rules.type) {
      return { message: `${quote(name)} must be a .${rules.type} unit here.` };
    }
    return undefined;
  }
  const dot = name.lastIndexOf('.');
  if (name.startsWith('/')) {
    return { message: `${quote(name)} is a path, not a unit name: name the unit (e.g. the .mount or .device unit; systemd-escape --path gives its name), or use RequiresMountsFor= for paths.` };
  }
  // Characters that can never appear in a unit name come first: they explain the rest.
  // (Commas get their own message below: they usually mean a comma-separated list.)
  const early = [...name].find((c) => !VALID_CHAR.test(c) && c !== ',');
  if (early !== undefined) {
    return { message: `${quote(name)} is not a valid unit name: ${describeChar(early)} is not allowed (use letters, digits and : - _ . \\ @; systemd-escape turns other text into a valid name).` };
  }
  if (dot < 0) {
    return { message: `${quote(name)} is not a unit name: it needs a type suffix such as .service, .target or .socket.` };
  }
  const suffix = name.slice(dot + 1);
  const stem = name.slice(0, dot);
  if (!TYPE_SET.has(suffix)) {
    const comma = name.indexOf(',');
    if (comma >= 0) {
      return { message: `${quote(name)} is not a unit name: list units separated by spaces, not commas.`, suggestion: name.split(',').filter((w) => w !== '').join(' ') };
    }
    const fixed = didYouMean(suffix, SUFFIXES);
    return {
      message: `Unknown unit type ${quote(`.${suffix}`)} in ${quote(name)}: use .service, .socket, .target, .timer, .path, .mount, .automount, .swap, .slice, .device or .scope.${fixed ? ` Did you mean .${fixed}?` : ''}`,
      suggestion: fixed !== undefined && stem !== '' ? `${stem}.${fixed}` : undefined,
    };
  }
  if (stem === '') return { message: `${quote(name)} is not a unit name: the name before ".${suffix}" is empty.` };
  const bad = [...stem].find((c) => !VALID_CHAR.test(c));
  if (bad !== undefined) {
    if (bad === ',') return { message: `${quote(name)} is not a unit name: list units separated by spaces, not commas.`, suggestion: name.split(',').filter((w) => w !== '').join(' ') };
    return { message: `${quote(name)} is not a valid unit name: ${describeChar(bad)} is not allowed (use letters, digits and : - _ . \\ @; systemd-escape turns other text into a valid name).` };
  }
  if (Buffer.byteLength(name, 'utf8') >= UNIT_NAME_MAX) return { message: `${quote(name)} is too long for a unit name (at most 255 characters).` };
  const at = stem.indexOf('@');
  if (at === 0) return { message: `${quote(name)} is not a unit name: the name before "@" is empty.` };
  if (at > 0 && rules.loaded !== false && !TEMPLATABLE_TYPES.has(suffix)) return { message: templateMessage(name, suffix) };
  if (at === stem.length - 1 && !rules.allowTemplate) {
    return { message: `${quote(name)} is a template: give an instance name after "@" (e.g. ${stem}instance.${suffix} or ${stem}%i.${suffix}).` };
  }
  if (rules.type !== undefined && suffix !== rules.type) {
    return { message: `${quote(name)} must be a .${rules.type} unit here.` };
  }
  return undefined;
}

function templateMessage(name: string, suffix: string): string {
  return `${quote(name)} cannot be loaded: .${suffix} units cannot be templates or instances (only service, socket, target, timer and path units can have "@").`;
}

function describeChar(c: string): string {
  if (c === ' ') return 'a space';
  if (c === '\t') return 'a tab';
  if (c === '"' || c === "'") return `the quote ${c} (quotes are not removed here)`;
  return `"${c}"`;
}

/** Whitespace-separated words of a dependency list with their offsets (extract_first_word with no quoting). */
export function splitUnitList(value: string): { word: string; offset: number }[] {
  const out: { word: string; offset: number }[] = [];
  let i = 0;
  while (i < value.length) {
    while (i < value.length && isWhitespace(value[i])) i++;
    if (i >= value.length) break;
    const start = i;
    while (i < value.length && !isWhitespace(value[i])) i++;
    out.push({ word: value.slice(start, i), offset: start });
  }
  return out;
}

const SINGLE_RULES: Readonly<Record<string, UnitNameRules>> = {
  config_parse_trigger_unit: { allowTemplate: true },
  config_parse_socket_service: { allowTemplate: false, type: 'service' },
  config_parse_unit_slice: { allowTemplate: false, type: 'slice' },
};

/**
 * [Install] lists (WantedBy=, RequiredBy=, Alias=) are read by systemctl with config_parse_strv():
 * extract_first_word(EXTRACT_UNQUOTE|EXTRACT_RETAIN_ESCAPE), so quotes group and are removed.
 * Returns undefined for an unbalanced quote (the whole line is refused; left to other rules).
 */
export function splitQuotedList(value: string): { word: string; offset: number; length: number }[] | undefined {
  const out: { word: string; offset: number; length: number }[] = [];
  let i = 0;
  while (i < value.length) {
    while (i < value.length && isWhitespace(value[i])) i++;
    if (i >= value.length) break;
    const start = i;
    let word = '';
    while (i < value.length && !isWhitespace(value[i])) {
      const c = value[i];
      if (c === '"' || c === "'") {
        const close = value.indexOf(c, i + 1);
        if (close < 0) return undefined;
        word += value.slice(i + 1, close);
        i = close + 1;
      } else {
        word += c;
        i++;
      }
    }
    out.push({ word, offset: start, length: i - start });
  }
  return out;
}

export function checkUnitList(value: string, info?: ValueCheckInfo): ValueProblem[] {
  const install = info?.section === 'Install' || info?.parser === 'NULL';
  const sockets = info?.parser === 'config_parse_service_sockets';
  const words = install ? splitQuotedList(value) : splitUnitList(value).map((w) => ({ ...w, length: w.word.length }));
  if (words === undefined) return [];
  const problems: ValueProblem[] = [];
  for (const { word, offset, length } of words) {
    // Sockets= splits with extract_first_word() without flags: a backslash escapes the next
    // character and disappears ("foo\\x2d.socket" is read as "foox2d.socket").
    const name = sockets ? word.replace(/\\(.?)/gs, '$1') : word;
    const p = unitNameProblem(name, { allowTemplate: true, loaded: !install, type: sockets ? 'socket' : undefined });
    if (!p) continue;
    const problem: ValueProblem = { offset, length, message: p.message };
    if (p.suggestion !== undefined && length === word.length && name === word) problem.suggestion = p.suggestion;
    problems.push(problem);
  }
  return problems;
}

export function checkSingleUnit(value: string, info?: ValueCheckInfo): ValueProblem[] {
  const start = value.search(/[^ \t\n\r]/);
  if (start < 0) return [];
  let end = value.length;
  while (end > start && isWhitespace(value[end - 1])) end--;
  const name = value.slice(start, end);
  const rules = (info?.parser !== undefined ? SINGLE_RULES[info.parser] : undefined) ?? { allowTemplate: true };
  const p = unitNameProblem(name, rules);
  if (!p) return [];
  const problem: ValueProblem = { offset: start, length: name.length, message: p.message };
  if (p.suggestion !== undefined) problem.suggestion = p.suggestion;
  return [problem];
}
