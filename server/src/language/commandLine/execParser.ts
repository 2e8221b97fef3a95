// Parses an Exec*= value the way systemd 252 does (src/core/load-fragment.c config_parse_exec and
// src/basic/extract-word.c, EXTRACT_UNQUOTE|EXTRACT_CUNESCAPE; behaviour checked against
// `systemd-analyze verify` by test/unit/exec-systemd.test.ts):
//
// - the first word, unquoted and unescaped, starts with the prefixes `- @ : + ! !!` in any order,
//   each at most once, `+` never with `!`/`!!` (`!!` is `!` given twice, even apart: `!-!`). The first
//   character that cannot be a prefix starts the executable: an absolute path, or a plain file name
//   systemd looks up in its PATH (no `/`, not `.`/`..`), never ending in `/`, without control
//   characters, quotes or backslashes;
// - words are split at whitespace; single and double quotes may start anywhere in a word and both
//   process C escapes (\n \t \x41 \101 \u00e9 \U0001F600 \s \\ \" \'); an unknown escape is kept
//   verbatim with a warning; an unterminated quote makes systemd ignore the whole line;
// - a lone unquoted `;` (or a first word that unquotes to `;`) separates commands (still supported
//   by systemd 252), `\;` alone is a literal `;` argument;
// - `%` followed by an ASCII letter or digit is a specifier, an unknown one makes systemd refuse the
//   line, `%%` is a literal `%`, a `%` before anything else stays as it is;
// - at run time, unless the `:` prefix is given, `${VAR}` anywhere in an argument is replaced by the
//   variable's value, a whole-word `$VAR` is split into words, `$$` becomes `$` (the path itself is
//   never expanded).
import { specifierFor } from '../catalog/specifiers';
import { isEnvName, shellInvocation } from './programs';
import { parseShellPayload, type MappedText } from './shellPayload';
import type { CommandProblem, EnvReference, ExecLine, SimpleCommand, Word } from './types';

const PATH_MAX = 4096;
const NAME_MAX = 255;
/** Specifiers systemd 252 still expands, with a warning, and later versions refuse. */
const DEPRECATED_SPECIFIERS = new Set(['c', 'r', 'R']);

const isWhitespace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';
const isAsciiAlnum = (c: string | undefined): boolean => c !== undefined && /^[A-Za-z0-9]$/.test(c);

/** A word as systemd extracted it, with the source range of every character of its text. */
export interface ExtractedWord extends MappedText {
  /** Raw range in the value, quotes included. */
  start: number;
  end: number;
  /** Offset of the quote that is never closed. */
  unterminatedQuote?: number;
  /** Raw ranges of escapes systemd does not know (kept verbatim). */
  unknownEscapes: Array<{ offset: number; length: number }>;
}

function hexValue(s: string): number | undefined {
  return /^[0-9A-Fa-f]+$/.test(s) ? parseInt(s, 16) : undefined;
}

/** systemd's unichar_is_valid (used for \U escapes). */
function unicharIsValid(c: number): boolean {
  if (c >= 0x110000) return false;
  if ((c & 0xfffff800) === 0xd800) return false;
  if (c >= 0xfdd0 && c <= 0xfdef) return false;
  if ((c & 0xfffe) === 0xfffe) return false;
  return true;
}

/** cunescape_one: the escape after a backslash at `at`; undefined when systemd does not know it. */
function unescapeOne(value: string, at: number): { text: string; length: number } | undefined {
  const c = value[at];
  const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'", s: ' ' };
  if (c in simple) return { text: simple[c], length: 1 };
  if (c === 'x') {
    const n = hexValue(value.slice(at + 1, at + 3));
    if (n === undefined || value.length < at + 3 || n === 0) return undefined;
    return { text: String.fromCharCode(n), length: 3 };
  }
  if (c === 'u') {
    const n = hexValue(value.slice(at + 1, at + 5));
    if (n === undefined || value.length < at + 5 || n === 0) return undefined;
    return { text: String.fromCharCode(n), length: 5 };
  }
  if (c === 'U') {
    const n = hexValue(value.slice(at + 1, at + 9));
    if (n === undefined || value.length < at + 9 || n === 0 || !unicharIsValid(n)) return undefined;
    return { text: String.fromCodePoint(n), length: 9 };
  }
  if (c >= '0' && c <= '7') {
    const digits = value.slice(at, at + 3);
    if (!/^[0-7]{3}$/.test(digits)) return undefined;
    const n = parseInt(digits, 8);
    if (n === 0 || n > 255) return undefined;
    return { text: String.fromCharCode(n), length: 3 };
  }
  return undefined;
}

/** extract_first_word(EXTRACT_UNQUOTE|EXTRACT_CUNESCAPE), with systemd's relaxed retry for unknown escapes. */
export function extractWord(value: string, from: number): ExtractedWord | undefined {
  let i = from;
  while (i < value.length && isWhitespace(value[i])) i++;
  if (i >= value.length) return undefined;
  const start = i;
  let text = '';
  const starts: number[] = [];
  const ends: number[] = [];
  const unknownEscapes: Array<{ offset: number; length: number }> = [];
  const push = (s: string, from: number, to: number) => {
    for (let k = 0; k < s.length; k++) {
      starts.push(from);
      ends.push(to);
    }
    text += s;
  };
  let quote = '';
  let quoteAt = -1;
  while (i < value.length) {
    const c = value[i];
    if (c === '\\') {
      if (i + 1 >= value.length) {
        if (quote) break; // unterminated
        push('\\', i, i + 1);
        unknownEscapes.push({ offset: i, length: 1 });
        i++;
        break;
      }
      const e = unescapeOne(value, i + 1);
      if (e) {
        push(e.text, i, i + 1 + e.length);
        i += 1 + e.length;
      } else {
        // Relaxed: the backslash and the character after it are kept as they are.
        push('\\', i, i + 1);
        push(value[i + 1], i + 1, i + 2);
        unknownEscapes.push({ offset: i, length: 2 });
        i += 2;
      }
      continue;
    }
    if (quote) {
      if (c === quote) quote = '';
      else push(c, i, i + 1);
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      quoteAt = i;
      i++;
      continue;
    }
    if (isWhitespace(c)) break;
    push(c, i, i + 1);
    i++;
  }
  const word: ExtractedWord = { text, starts, ends, opaque: [], start, end: i, unknownEscapes };
  if (quote) word.unterminatedQuote = quoteAt;
  return word;
}

/** Why systemd refuses this executable (after prefixes), or undefined when it accepts it. */
export function executableProblem(path: string): string | undefined {
  if (path === '') return 'the command is empty';
  for (const ch of path) {
    const code = ch.codePointAt(0)!;
    if (code < 0x20 || code === 0x7f) return 'the executable name contains a control character';
    if (ch === '"' || ch === "'" || ch === '\\') return `the executable name contains ${ch === '\\' ? 'a backslash' : 'a quote'} after unquoting`;
  }
  if (path.endsWith('/')) return `"${path}" names a directory`;
  // A leading specifier (%h/bin/x, %t/…) may expand to an absolute path: nothing more can be said.
  if (path[0] === '%' && isAsciiAlnum(path[1])) return undefined;
  const hasSpecifier = /%[A-Za-z0-9]/.test(path);
  if (path.startsWith('/')) {
    if (hasSpecifier) return undefined;
    if (Buffer.byteLength(path) >= PATH_MAX) return 'the executable path is longer than PATH_MAX';
    if (path.split('/').some((c) => Buffer.byteLength(c) > NAME_MAX)) return 'a component of the executable path is longer than 255 bytes';
    return undefined;
  }
  if (path.includes('/')) {
    return `"${path}" is a relative path: systemd needs an absolute path (/usr/bin/…) or a plain program name it looks up in its PATH${path.includes('$') ? ' (environment variables are not expanded in the executable)' : ''}`;
  }
  if (path === '.' || path === '..') return `"${path}" is not a program name`;
  if (!hasSpecifier && Buffer.byteLength(path) > NAME_MAX) return 'the executable name is longer than 255 bytes';
  return undefined;
}

/** The public shape of a word. */
function publicWord(w: ExtractedWord, dynamic: boolean, from = 0): Word {
  const offset = from === 0 ? w.start : from < w.text.length ? w.starts[from] : w.end;
  return { text: w.text.slice(from), offset, length: w.end - offset, dynamic };
}

interface Collector {
  problems: CommandProblem[];
  variables: EnvReference[];
}

/** Reports unknown and deprecated specifiers; returns true when the word holds a specifier. */
function scanSpecifiers(w: ExtractedWord, from: number, out: Collector): boolean {
  let dynamic = false;
  const t = w.text;
  for (let i = from; i < t.length - 1; i++) {
    if (t[i] !== '%') continue;
    const c = t[i + 1];
    if (c === '%') {
      i++;
      continue;
    }
    if (!isAsciiAlnum(c)) continue;
    const offset = w.starts[i];
    const length = w.ends[i + 1] - offset;
    const fix = { title: `Write %%${c} for a literal "%${c}"`, offset, length: 0, text: '%' };
    if (DEPRECATED_SPECIFIERS.has(c)) {
      out.problems.push({ offset, length, kind: 'deprecated-specifier', message: `%${c} is a deprecated specifier: systemd 252 still expands it with a warning, later versions refuse the line. Write %%${c} for a literal "%${c}".`, fix });
    } else if (!specifierFor(c)) {
      out.problems.push({ offset, length, kind: 'unknown-specifier', message: `Unknown specifier %${c}: systemd refuses the line. Write %%${c} for a literal "%${c}".`, fix });
    } else dynamic = true;
    i++;
  }
  return dynamic;
}

/** Records `${VAR}` (and a whole-word `$VAR`) in an argument systemd expands at run time; true when there is one. */
function scanVariables(w: ExtractedWord, out: Collector): boolean {
  const t = w.text;
  if (t[0] === '$' && t.length > 1 && t[1] !== '{' && t[1] !== '$') {
    out.variables.push({ name: t.slice(1), offset: w.start, length: w.end - w.start, braced: false });
    return true;
  }
  let dynamic = false;
  for (let i = 0; i < t.length - 1; i++) {
    if (t[i] !== '$') continue;
    if (t[i + 1] === '$') {
      i++;
      continue;
    }
    if (t[i + 1] !== '{') continue;
    let j = i + 2;
    while (j < t.length && t[j] !== '}' && t[j] !== ':') j++;
    if (j >= t.length || t[j] === ':') continue; // not replaced: left for the program (or the shell)
    const name = t.slice(i + 2, j);
    const offset = w.starts[i];
    const length = w.ends[j] - offset;
    out.variables.push({ name, offset, length, braced: true });
    if (!isEnvName(name)) {
      out.problems.push({
        offset,
        length,
        kind: 'systemd-expands-variable',
        message: `systemd replaces \${${name}} itself, before the program runs, and "${name}" is no variable name, so it becomes an empty string. Write $\${${name}} to pass it on (to a shell) unchanged.`,
        fix: { title: `Write $\${${name}}`, offset, length: 0, text: '$' },
      });
    }
    dynamic = true;
    i = j;
  }
  return dynamic;
}

interface PrefixState {
  ignore: boolean;
  argv0: boolean;
  noEnv: boolean;
  plus: boolean;
  bang: 0 | 1 | 2;
}

/** Applies config_parse_exec's prefix loop; returns how many characters are prefixes. */
function readPrefixes(text: string, state: PrefixState): number {
  let k = 0;
  for (; k < text.length; k++) {
    const c = text[k];
    if (c === '-' && !state.ignore) state.ignore = true;
    else if (c === '@' && !state.argv0) state.argv0 = true;
    else if (c === ':' && !state.noEnv) state.noEnv = true;
    else if (c === '+' && !state.plus && state.bang === 0) state.plus = true;
    else if (c === '!' && !state.plus && state.bang < 2) state.bang = state.bang === 0 ? 1 : 2;
    else break;
  }
  return k;
}

function prefixRefusal(c: string, s: PrefixState): string {
  switch (c) {
    case '-':
    case '@':
    case ':':
      return `the prefix "${c}" is given twice`;
    case '+':
      return s.plus ? 'the prefix "+" is given twice' : '"+" cannot be combined with "!" or "!!"';
    default:
      return s.plus ? '"!" and "!!" cannot be combined with "+"' : 'more than two "!" (the prefixes are "!" and "!!")';
  }
}

const PREFIX_CHARS = new Set(['-', '@', ':', '+', '!']);

/** Parses one Exec*= value (not empty: an empty assignment resets the list). */
export function parseExecLine(directive: string, value: string): ExecLine {
  const out: Collector = { problems: [], variables: [] };
  const commands: SimpleCommand[] = [];
  let linePrefixes: string | undefined;
  let pos = 0;
  for (;;) {
    const first = extractWord(value, pos);
    if (!first) break;
    pos = first.end;
    if (first.unterminatedQuote !== undefined) {
      out.problems.push(unterminated(first.unterminatedQuote, value));
      break;
    }
    for (const e of first.unknownEscapes) out.problems.push(unknownEscape(e, value));
    if (first.text === ';' && first.unknownEscapes.length === 0) continue; // a lone ";" separates commands

    const state: PrefixState = { ignore: false, argv0: false, noEnv: false, plus: false, bang: 0 };
    const k = readPrefixes(first.text, state);
    const prefixes = first.text.slice(0, k);
    linePrefixes ??= prefixes;
    const path = first.text.slice(k);
    const exe = publicWord(first, false, k);
    const problemPath = executableProblem(path);
    const rejected = path[0];
    if (path === '') {
      out.problems.push({ offset: first.start, length: first.end - first.start, kind: 'empty-command', message: prefixes ? `Only prefixes ("${prefixes}") and no command: systemd ignores the line.` : 'Empty command: systemd ignores the line.' });
    } else if (PREFIX_CHARS.has(rejected)) {
      const why = prefixRefusal(rejected, state);
      if (problemPath) {
        out.problems.push({ offset: exe.offset, length: 1, kind: 'bad-prefix', message: `Invalid prefixes: ${why}, so "${rejected}" becomes part of the executable "${path}", which systemd refuses (${problemPath}).` });
      } else {
        out.problems.push({ offset: exe.offset, length: 1, kind: 'prefix-in-name', message: `Invalid prefixes: ${why}, so systemd runs a program named "${path}", looked up in its PATH.` });
      }
    } else if (problemPath) {
      out.problems.push({ offset: exe.offset, length: exe.length, kind: 'invalid-executable', message: `systemd refuses this command: ${problemPath}.` });
    }
    exe.dynamic = scanSpecifiers(first, k, out);

    // Arguments, up to a lone ";" or the end.
    const args: ExtractedWord[] = [];
    let separated = false;
    let broken = false;
    for (;;) {
      while (pos < value.length && isWhitespace(value[pos])) pos++;
      if (pos >= value.length) break;
      if (value[pos] === ';' && (pos + 1 >= value.length || isWhitespace(value[pos + 1]))) {
        pos++;
        separated = true;
        break;
      }
      if (value[pos] === '\\' && value[pos + 1] === ';' && (pos + 2 >= value.length || isWhitespace(value[pos + 2]))) {
        args.push({ text: ';', starts: [pos], ends: [pos + 2], opaque: [], start: pos, end: pos + 2, unknownEscapes: [] });
        pos += 2;
        continue;
      }
      const w = extractWord(value, pos)!;
      pos = w.end;
      for (const e of w.unknownEscapes) out.problems.push(unknownEscape(e, value));
      if (w.unterminatedQuote !== undefined) {
        out.problems.push(unterminated(w.unterminatedQuote, value));
        broken = true;
        break;
      }
      args.push(w);
    }

    const argvWords: Word[] = [exe];
    let argv0: Word | undefined;
    args.forEach((w, index) => {
      let dynamic = scanSpecifiers(w, 0, out);
      if (!state.noEnv && scanVariables(w, out)) dynamic = true;
      const word = publicWord(w, dynamic);
      if (state.argv0 && index === 0) argv0 = word;
      else argvWords.push(word);
    });
    if (state.argv0 && !argv0 && path !== '' && !broken) {
      out.problems.push({ offset: first.start, length: first.end - first.start, kind: 'missing-argv0', message: 'The "@" prefix needs a second word, the argv[0] to pass to the program: systemd refuses the line.' });
    }
    const last = args.length > 0 ? args[args.length - 1].end : first.end;
    const command: SimpleCommand = { argv: argvWords, assignments: [], via: 'exec', prefixes, offset: first.start, exitStatusMatters: true, end: last };
    if (argv0) command.argv0 = argv0;
    commands.push(command);

    // A shell payload: `sh -c SCRIPT` (the words after argv0, which the shell never sees as options).
    const texts = [path, ...args.slice(state.argv0 ? 1 : 0).map((w) => w.text)];
    const sh = shellInvocation(texts);
    if (sh && sh.script !== undefined) {
      const script = args[sh.script - 1 + (state.argv0 ? 1 : 0)];
      const payload = parseShellPayload(script, { systemdEnv: !state.noEnv, errexit: sh.errexit, dialect: sh.dialect });
      commands.push(...payload.commands);
      out.problems.push(...payload.problems);
    }
    if (!separated || broken) break;
  }
  const line: ExecLine = { directive, prefixes: linePrefixes ?? '', commands, problems: out.problems };
  line.variables = out.variables;
  return line;
}

function unterminated(offset: number, value: string): CommandProblem {
  const q = value[offset];
  return {
    offset,
    length: 1,
    kind: 'unterminated-quote',
    message: `This ${q === '"' ? 'double' : 'single'} quote is never closed: systemd refuses the whole line ("Unbalanced quoting"). Inside systemd quotes a backslash escapes the next character, in single quotes too.`,
  };
}

function unknownEscape(e: { offset: number; length: number }, value: string): CommandProblem {
  const seq = value.slice(e.offset, e.offset + e.length);
  return {
    offset: e.offset,
    length: e.length,
    kind: 'unknown-escape',
    message: e.length === 1 ? 'A trailing backslash: systemd keeps it with a warning.' : `Unknown escape sequence "${seq}": systemd keeps the backslash with a warning. Write "\\\\" for a literal backslash.`,
    fix: e.length === 1 ? undefined : { title: 'Escape the backslash', offset: e.offset, length: 1, text: '\\\\' },
  };
}
