// The script of `sh -c SCRIPT` in an Exec*= line, read far enough to find what breaks it and the
// commands it runs.
//
// The script is the text systemd hands to the shell: one systemd word (quotes and C escapes already
// removed by the exec parser), after systemd's own expansions: `%%` → `%`, `%x` → the specifier's
// value, and unless the `:` prefix is given, `$$` → `$` and `${NAME}` → the variable's value (an
// empty string when unset; `${NAME:…}` is left alone). Those values are unknown here and treated as
// plain word characters. Every character keeps the range it came from in the directive's value, so
// words and problems point into the original text, through systemd's quotes and escapes.
//
// The shell grammar covered: quotes ('…', "…", $'…'), backslashes, $name, ${…}, $(…), $((…)),
// backticks, comments, lists (; & newline && ||), pipelines (| |&, !), redirections (including here
// documents), if/then/elif/else/fi, while/until/do/done, for/select, case/esac, { … }, ( … ),
// (( … )), [[ … ]], function definitions, assignments (NAME=…, arrays NAME=(…)). Only what is
// certainly wrong is reported: an unterminated quote (at the opening quote), an unclosed $( ${ $((
// or backtick, a compound command that is never closed, a token no shell accepts where it stands.
import { basename, isEnvName, shellInvocation, type ShellDialect } from './programs';
import type { CommandProblem, SimpleCommand, Word } from './types';

/** Text with, for every character, the range of the directive's value it came from. */
export interface MappedText {
  text: string;
  starts: number[];
  ends: number[];
  /** Characters whose value is only known at run time (specifier and variable values); indexes absent = false. */
  opaque: boolean[];
}

export interface ShellPayloadOptions {
  /** systemd expands `$$` and `${NAME}` before the shell runs (false with the `:` prefix). */
  systemdEnv: boolean;
  /** `sh -e`: errexit from the start. */
  errexit: boolean;
  /** The shell's grammar (default `sh`: only what both bash and dash refuse is reported). */
  dialect?: ShellDialect;
}

export interface ShellPayload {
  commands: SimpleCommand[];
  problems: CommandProblem[];
}

/** Applies systemd's expansions to the script word: returns what the shell sees, still mapped to the value. */
export function shellSource(word: MappedText, systemdEnv: boolean, variables?: Array<{ name: string; offset: number; length: number }>): MappedText {
  const t = word.text;
  const out: MappedText = { text: '', starts: [], ends: [], opaque: [] };
  const push = (from: number, to: number, ch: string, opaque: boolean) => {
    out.text += ch;
    out.starts.push(word.starts[from]);
    out.ends.push(word.ends[to - 1]);
    out.opaque.push(opaque || word.opaque[from] === true);
  };
  for (let i = 0; i < t.length; i++) {
    const c = t[i];
    if (c === '%' && i + 1 < t.length) {
      if (t[i + 1] === '%') {
        push(i, i + 2, '%', false);
        i++;
        continue;
      }
      if (/[A-Za-z0-9]/.test(t[i + 1])) {
        push(i, i + 1, '%', true);
        push(i + 1, i + 2, t[i + 1], true);
        i++;
        continue;
      }
    }
    if (systemdEnv && c === '$' && i + 1 < t.length) {
      if (t[i + 1] === '$') {
        push(i, i + 2, '$', false);
        i++;
        continue;
      }
      if (t[i + 1] === '{') {
        let j = i + 2;
        while (j < t.length && t[j] !== '}' && t[j] !== ':') j++;
        if (j < t.length && t[j] === '}') {
          for (let k = i; k <= j; k++) push(k, k + 1, t[k], true);
          variables?.push({ name: t.slice(i + 2, j), offset: word.starts[i], length: word.ends[j] - word.starts[i] });
          i = j;
          continue;
        }
      }
    }
    push(i, i + 1, c, false);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Syntax tree (only what the exit-status analysis needs)

interface ListNode {
  items: AndOrNode[];
}
interface AndOrNode {
  pipelines: PipelineNode[];
  /** ops[i] joins pipelines[i] and pipelines[i + 1]. */
  ops: string[];
  async: boolean;
}
interface PipelineNode {
  bang: boolean;
  commands: CommandNode[];
}
type CommandNode =
  | { t: 'simple'; cmd: SimpleCommand | undefined; nested?: { root: ListNode; errexit: boolean } }
  | { t: 'group'; body: ListNode }
  | { t: 'if'; conditions: ListNode[]; bodies: ListNode[] }
  | { t: 'loop'; condition: ListNode | undefined; body: ListNode }
  | { t: 'case'; arms: ListNode[] }
  | { t: 'function'; body: CommandNode }
  | { t: 'none' };

// ---------------------------------------------------------------------------------------------
// Tokens

interface ShellWord {
  /** Shell-visible positions [start, end). */
  start: number;
  end: number;
  /** Text after quote removal, expansions as written. */
  text: string;
  /** Range in the directive's value. */
  offset: number;
  length: number;
  /** Source map of `text` (for a nested `sh -c` script). */
  mapped: MappedText;
  dynamic: boolean;
  /** No quotes, escapes or expansions: may be a reserved word. */
  plain: boolean;
  /** `NAME` when the word is an assignment `NAME=…` / `NAME+=…` / `NAME[…]=…`. */
  assignment?: string;
}

type Token =
  | { k: 'word'; w: ShellWord; start: number; end: number }
  | { k: 'op'; op: string; start: number; end: number }
  | { k: 'newline'; start: number; end: number }
  | { k: 'eof'; start: number; end: number };

const REDIRECTIONS = new Set(['<', '>', '>>', '<&', '>&', '<>', '>|', '&>', '&>>', '<<<', '<<', '<<-']);
const LIST_ENDS = new Set([')', ';;', ';&', ';;&']);
const OPERATORS = ['&&', '||', ';;&', ';;', ';&', ';', '&>>', '&>', '&', '|&', '|', '(', ')', '<<<', '<<-', '<<', '<&', '<>', '<', '>>', '>&', '>|', '>'];

class Failure extends Error {}
/** Stops reading silently where shells disagree. */
class Abandon extends Error {}

class ShellParser {
  private pos = 0;
  private peeked: Token | undefined;
  private heredocs: Array<{ delimiter: string; stripTabs: boolean }> = [];
  /** Names the script assigns (NAME=…, for NAME, read NAME…), with the value offset of the first assignment. */
  readonly assigned = new Map<string, number>();
  /** The script runs `set -e` / `set -o errexit`. */
  errexit = false;

  constructor(
    private readonly src: MappedText,
    private readonly commands: SimpleCommand[],
    private readonly problems: CommandProblem[],
    /** bash grammar ($'…', [[ ]], (( )), function, for ((…))); false: POSIX sh (dash). */
    private readonly bash: boolean,
  ) {}

  // --- problems ------------------------------------------------------------------------------

  private fail(kind: string, at: number, to: number, message: string): never {
    const n = this.src.text.length;
    const a = Math.min(at, n - 1);
    const b = Math.max(a + 1, Math.min(to, n));
    const offset = this.src.starts[a] ?? 0;
    const end = this.src.ends[b - 1] ?? offset;
    this.problems.push({ offset, length: Math.max(0, end - offset), kind, message });
    throw new Failure(message);
  }

  private describe(tok: Token): string {
    if (tok.k === 'eof') return 'the end of the script';
    if (tok.k === 'newline') return 'a newline';
    if (tok.k === 'op') return `"${tok.op}"`;
    return `"${tok.w.text}"`;
  }

  private unexpected(tok: Token, expected?: string): never {
    return this.fail('shell-unexpected-token', tok.start, tok.end, `Shell syntax error: unexpected ${this.describe(tok)}${expected ? ` (expected ${expected})` : ''}. The shell refuses the whole script.`);
  }

  // --- characters ----------------------------------------------------------------------------

  private ch(i: number): string | undefined {
    return i < this.src.text.length ? this.src.text[i] : undefined;
  }

  private opaque(i: number): boolean {
    return this.src.opaque[i] === true;
  }

  private isMeta(i: number): boolean {
    const c = this.ch(i);
    return c !== undefined && !this.opaque(i) && ' \t\n;&|()<>'.includes(c);
  }

  // --- tokens --------------------------------------------------------------------------------

  peek(): Token {
    return (this.peeked ??= this.lex());
  }

  next(): Token {
    const t = this.peek();
    this.peeked = undefined;
    return t;
  }

  private lex(): Token {
    const t = this.src.text;
    for (;;) {
      const c = this.ch(this.pos);
      if ((c === ' ' || c === '\t') && !this.opaque(this.pos)) this.pos++;
      else if (c === '\\' && this.ch(this.pos + 1) === '\n' && !this.opaque(this.pos)) this.pos += 2;
      else if (c === '#' && !this.opaque(this.pos)) {
        while (this.pos < t.length && t[this.pos] !== '\n') this.pos++;
      } else break;
    }
    const start = this.pos;
    if (start >= t.length) return { k: 'eof', start, end: start };
    const c = t[start];
    if (!this.opaque(start)) {
      if (c === '\n') {
        this.pos++;
        this.skipHeredocBodies();
        return { k: 'newline', start, end: start + 1 };
      }
      // Process substitution <(…) >(…) is a word.
      if ((c === '<' || c === '>') && this.ch(start + 1) === '(') return this.wordToken();
      // An IO number: 2>&1, 1>file.
      let d = start;
      while (d < t.length && /[0-9]/.test(t[d]) && !this.opaque(d)) d++;
      const opStart = d > start && (t[d] === '<' || t[d] === '>') && !this.opaque(d) ? d : start;
      for (const op of OPERATORS) {
        if (t.startsWith(op, opStart) && (opStart === start || REDIRECTIONS.has(op))) {
          this.pos = opStart + op.length;
          return { k: 'op', op, start, end: this.pos };
        }
      }
    }
    return this.wordToken();
  }

  private wordToken(): Token {
    const w = this.readWord();
    return { k: 'word', w, start: w.start, end: w.end };
  }

  private skipHeredocBodies(): void {
    const t = this.src.text;
    for (const h of this.heredocs) {
      for (;;) {
        if (this.pos >= t.length) break; // delimited by end of file: bash only warns
        let eol = t.indexOf('\n', this.pos);
        if (eol < 0) eol = t.length;
        let line = t.slice(this.pos, eol);
        if (h.stripTabs) line = line.replace(/^\t+/, '');
        this.pos = Math.min(t.length, eol + 1);
        if (line === h.delimiter) break;
      }
    }
    this.heredocs = [];
  }

  /** Reads one word at `pos`, with its quotes, escapes and expansions. */
  private readWord(): ShellWord {
    const start = this.pos;
    const b = new WordBuilder(this.src);
    let plain = true;
    // Process substitution.
    if ((this.ch(this.pos) === '<' || this.ch(this.pos) === '>') && this.ch(this.pos + 1) === '(' && !this.opaque(this.pos)) {
      this.pos += 2;
      this.substitution(start, ')');
      b.raw(start, this.pos);
      plain = false;
    }
    while (this.pos < this.src.text.length) {
      const i = this.pos;
      const c = this.src.text[i];
      if (this.opaque(i)) {
        b.raw(i, i + 1);
        b.dynamic = true;
        plain = false;
        this.pos++;
        continue;
      }
      if (c === '(' && i > start && this.parenthesisContinuesWord(b.text)) {
        this.balancedParentheses(i);
        b.raw(i, this.pos);
        plain = false;
        continue;
      }
      if (this.isMeta(i)) break;
      if (c === '\\') {
        if (this.ch(i + 1) === '\n') this.pos += 2;
        else if (i + 1 < this.src.text.length) {
          b.char(i + 1);
          this.pos += 2;
        } else {
          b.char(i);
          this.pos++;
        }
        plain = false;
        continue;
      }
      if (c === "'") {
        this.singleQuoted(b, i);
        plain = false;
        continue;
      }
      if (c === '"') {
        this.doubleQuoted(b, i);
        plain = false;
        continue;
      }
      if (c === '$') {
        plain = false;
        this.dollar(b, false);
        continue;
      }
      if (c === '`') {
        plain = false;
        this.backtick(b, false);
        continue;
      }
      b.char(i);
      this.pos++;
    }
    const text = b.text;
    const offset = this.src.starts[start] ?? 0;
    const length = this.pos > start ? (this.src.ends[this.pos - 1] ?? offset) - offset : 0;
    const word: ShellWord = { start, end: this.pos, text, offset, length, mapped: b.mapped(), dynamic: b.dynamic, plain };
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(\[[^\]]*\])?\+?=/.exec(this.src.text.slice(start, this.pos));
    if (m && !this.src.opaque.slice(start, start + m[1].length).some(Boolean)) word.assignment = m[1];
    return word;
  }

  /** `NAME=(…)` arrays and extglob patterns `@(…)`, `!(…)`, `+(…)`, `*(…)`, `?(…)`. */
  private parenthesisContinuesWord(textSoFar: string): boolean {
    return /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=$/.test(textSoFar) || /[@!+*?]$/.test(textSoFar);
  }

  /** Skips `( … )` with nesting and quotes, from the `(` at `at`. */
  private balancedParentheses(at: number): void {
    let depth = 0;
    let i = at;
    const t = this.src.text;
    while (i < t.length) {
      const c = t[i];
      if (this.opaque(i)) i++;
      else if (c === '\\') i += 2;
      else if (c === "'" || c === '"') {
        const close = t.indexOf(c, i + 1);
        if (close < 0) this.fail('shell-unbalanced-quote', i, i + 1, this.unbalancedMessage(c));
        i = close + 1;
      } else if (c === '(') {
        depth++;
        i++;
      } else if (c === ')') {
        depth--;
        i++;
        if (depth === 0) {
          this.pos = i;
          return;
        }
      } else i++;
    }
    this.fail('shell-unclosed-parenthesis', at, at + 1, 'Shell syntax error: this "(" is never closed.');
  }

  private unbalancedMessage(q: string): string {
    return `Shell syntax error: this ${q === '"' ? 'double' : 'single'} quote is never closed inside the shell script (the shell refuses the whole script).`;
  }

  private singleQuoted(b: WordBuilder, at: number): void {
    const t = this.src.text;
    let i = at + 1;
    while (i < t.length && !(t[i] === "'" && !this.opaque(i))) {
      b.char(i);
      i++;
    }
    if (i >= t.length) this.fail('shell-unbalanced-quote', at, at + 1, this.unbalancedMessage("'"));
    this.pos = i + 1;
  }

  private doubleQuoted(b: WordBuilder, at: number): void {
    const t = this.src.text;
    this.pos = at + 1;
    while (this.pos < t.length) {
      const i = this.pos;
      const c = t[i];
      if (this.opaque(i)) {
        b.raw(i, i + 1);
        b.dynamic = true;
        this.pos++;
      } else if (c === '"') {
        this.pos++;
        return;
      } else if (c === '\\') {
        const n = this.ch(i + 1);
        if (n === '\n') this.pos += 2;
        else if (n !== undefined && '$`"\\'.includes(n)) {
          b.char(i + 1);
          this.pos += 2;
        } else {
          b.char(i);
          this.pos++;
        }
      } else if (c === '$') this.dollar(b, true);
      else if (c === '`') this.backtick(b, true);
      else {
        b.char(i);
        this.pos++;
      }
    }
    this.fail('shell-unbalanced-quote', at, at + 1, this.unbalancedMessage('"'));
  }

  /** At a `$`: parameter, command substitution, arithmetic, ANSI-C or locale quoting. */
  private dollar(b: WordBuilder, inDouble: boolean): void {
    const at = this.pos;
    const n = this.ch(at + 1);
    const nOpaque = this.opaque(at + 1);
    if (n === '(' && !nOpaque) {
      if (this.ch(at + 2) === '(' && this.arithmeticEnd(at + 3) !== undefined) {
        this.pos = this.arithmeticEnd(at + 3)!;
      } else if (this.ch(at + 2) === '(') {
        // `$((` without a matching `))`: shells disagree on how to read it (bash may take it as
        // arithmetic, dash as a subshell); report nothing past this point.
        const before = this.problems.length;
        this.pos = at + 2;
        try {
          this.substitution(at, ')');
        } catch (e) {
          if (!(e instanceof Failure)) throw e;
          this.problems.length = before;
          throw new Abandon();
        }
      } else {
        this.pos = at + 2;
        this.substitution(at, ')');
      }
      b.raw(at, this.pos);
      b.dynamic = true;
      return;
    }
    if (n === '{' && !nOpaque) {
      this.parameter(at);
      b.raw(at, this.pos);
      b.dynamic = true;
      return;
    }
    if (n === "'" && !nOpaque && !inDouble && this.bash) {
      // $'…' (bash): backslash escapes, closed by an unescaped quote.
      const t = this.src.text;
      let i = at + 2;
      while (i < t.length && t[i] !== "'") i += t[i] === '\\' ? 2 : 1;
      if (i >= t.length) this.fail('shell-unbalanced-quote', at + 1, at + 2, this.unbalancedMessage("'"));
      for (let k = at + 2; k < i; k++) b.char(k);
      this.pos = i + 1;
      return;
    }
    if (n === '"' && !nOpaque && !inDouble) {
      this.doubleQuoted(b, at + 1);
      return;
    }
    if (n !== undefined && !nOpaque && /[A-Za-z_]/.test(n)) {
      let i = at + 2;
      while (i < this.src.text.length && /[A-Za-z0-9_]/.test(this.src.text[i]) && !this.opaque(i)) i++;
      this.pos = i;
      b.raw(at, i);
      b.dynamic = true;
      return;
    }
    if (n !== undefined && !nOpaque && /[0-9@*#?$!-]/.test(n)) {
      this.pos = at + 2;
      b.raw(at, at + 2);
      b.dynamic = true;
      return;
    }
    b.char(at);
    this.pos = at + 1;
  }

  /** End (after `))`) of `$(( … ))` whose body starts at `from`, or undefined when it is `$( ( … ) )`. */
  private arithmeticEnd(from: number): number | undefined {
    const t = this.src.text;
    let depth = 0;
    for (let i = from; i < t.length; i++) {
      if (this.opaque(i)) continue;
      if (t[i] === '(') depth++;
      else if (t[i] === ')') {
        if (depth > 0) depth--;
        else return t[i + 1] === ')' ? i + 2 : undefined;
      }
    }
    return undefined;
  }

  /** `${ … }` from the `$` at `at`. */
  private parameter(at: number): void {
    const t = this.src.text;
    let i = at + 2;
    while (i < t.length) {
      const c = t[i];
      if (this.opaque(i)) i++;
      else if (c === '}') {
        this.pos = i + 1;
        return;
      } else if (c === '\\') i += 2;
      else if (c === "'") {
        const close = t.indexOf("'", i + 1);
        if (close < 0) this.fail('shell-unbalanced-quote', i, i + 1, this.unbalancedMessage("'"));
        i = close + 1;
      } else if (c === '"') {
        this.pos = i;
        this.doubleQuoted(new WordBuilder(this.src), i);
        i = this.pos;
      } else if (c === '$' || c === '`') {
        this.pos = i;
        if (c === '$') this.dollar(new WordBuilder(this.src), false);
        else this.backtick(new WordBuilder(this.src), false);
        i = this.pos;
      } else i++;
    }
    this.fail('shell-unclosed-parameter', at, at + 2, 'Shell syntax error: this "${" is never closed by "}".');
  }

  /** Parses the commands of `$( … )` / `<( … )` after the opening, through the closing `)`. */
  private substitution(at: number, _close: ')'): void {
    const savedPeek = this.peeked;
    this.peeked = undefined;
    this.list(new Set());
    const tok = this.next();
    if (tok.k === 'eof') this.fail('shell-unclosed-substitution', at, at + 2, `Shell syntax error: this "${this.src.text.slice(at, at + 2)}" is never closed by ")".`);
    if (tok.k !== 'op' || tok.op !== ')') this.unexpected(tok, '")"');
    this.peeked = savedPeek;
  }

  /** `` `…` `` from the backtick at `pos`: the content, with \$ \` \\ (and \" in double quotes) unescaped, is a script. */
  private backtick(b: WordBuilder, inDouble: boolean): void {
    const at = this.pos;
    const t = this.src.text;
    const inner: MappedText = { text: '', starts: [], ends: [], opaque: [] };
    let i = at + 1;
    for (;;) {
      if (i >= t.length) this.fail('shell-unclosed-backtick', at, at + 1, 'Shell syntax error: this backtick is never closed.');
      const c = t[i];
      if (c === '`' && !this.opaque(i)) break;
      const take = c === '\\' && !this.opaque(i) && i + 1 < t.length && ('$`\\'.includes(t[i + 1]) || (inDouble && t[i + 1] === '"')) ? i + 1 : i;
      inner.text += t[take];
      inner.starts.push(this.src.starts[i]);
      inner.ends.push(this.src.ends[take]);
      inner.opaque.push(this.opaque(take));
      i = take + 1;
    }
    this.pos = i + 1;
    b.raw(at, this.pos);
    b.dynamic = true;
    // Shells read the inside of backticks only when the substitution runs: an error there does
    // not stop the script, the substitution fails each time.
    const before = this.problems.length;
    try {
      new ShellParser(inner, this.commands, this.problems, this.bash).script();
    } catch (e) {
      if (!(e instanceof Failure || e instanceof Abandon)) throw e;
      for (const p of this.problems.slice(before)) {
        p.kind = 'shell-in-backticks';
        p.message = `Inside backticks: ${p.message.replace(/ The shell refuses the whole script\.$| \(the shell refuses the whole script\)\.$/, '.')} The substitution fails with a syntax error each time it runs.`;
      }
    }
  }

  // --- grammar -------------------------------------------------------------------------------

  /** The whole script. */
  script(): ListNode {
    const root = this.list(new Set());
    const tok = this.peek();
    if (tok.k !== 'eof') this.unexpected(tok);
    return root;
  }

  private skipNewlines(): void {
    while (this.peek().k === 'newline') this.next();
  }

  private isReserved(tok: Token, words: ReadonlySet<string>): boolean {
    return tok.k === 'word' && tok.w.plain && words.has(tok.w.text);
  }

  /** A list of and-or lists, up to a word of `stops` in command position, `)`, `;;` or the end. */
  private list(stops: ReadonlySet<string>): ListNode {
    const items: AndOrNode[] = [];
    this.skipNewlines();
    for (;;) {
      const tok = this.peek();
      if (tok.k === 'eof' || (tok.k === 'op' && LIST_ENDS.has(tok.op)) || this.isReserved(tok, stops)) break;
      const item = this.andOr();
      items.push(item);
      const sep = this.peek();
      if (sep.k === 'op' && (sep.op === ';' || sep.op === '&')) {
        this.next();
        item.async = sep.op === '&';
        this.skipNewlines();
      } else if (sep.k === 'newline') this.skipNewlines();
      else break;
    }
    return { items };
  }

  private andOr(): AndOrNode {
    const node: AndOrNode = { pipelines: [this.pipeline()], ops: [], async: false };
    for (;;) {
      const tok = this.peek();
      if (tok.k !== 'op' || (tok.op !== '&&' && tok.op !== '||')) return node;
      this.next();
      this.skipNewlines();
      node.ops.push(tok.op);
      node.pipelines.push(this.pipeline());
    }
  }

  private pipeline(): PipelineNode {
    let bang = false;
    for (;;) {
      const tok = this.peek();
      if (this.isReserved(tok, BANG_TIME)) {
        this.next();
        if (tok.k === 'word' && tok.w.text === '!') bang = !bang;
        else if (this.peek().k === 'word' && (this.peek() as { w: ShellWord }).w.text === '-p') this.next();
        continue;
      }
      break;
    }
    const commands = [this.command()];
    for (;;) {
      const tok = this.peek();
      if (tok.k !== 'op' || (tok.op !== '|' && tok.op !== '|&')) break;
      this.next();
      this.skipNewlines();
      commands.push(this.command());
    }
    return { bang, commands };
  }

  private expect(word: string, opener: { start: number; end: number; text: string }): void {
    const tok = this.peek();
    if (tok.k === 'word' && tok.w.plain && tok.w.text === word) {
      this.next();
      return;
    }
    if (tok.k === 'eof') this.fail('shell-unclosed-compound', opener.start, opener.end, `Shell syntax error: this "${opener.text}" is never closed by "${word}".`);
    this.unexpected(tok, `"${word}"`);
  }

  private command(): CommandNode {
    const tok = this.peek();
    if (tok.k === 'word' && tok.w.plain) {
      const opener = { start: tok.start, end: tok.end, text: tok.w.text };
      switch (tok.w.text) {
        case 'if':
          return this.redirected(this.ifCommand(opener));
        case 'while':
        case 'until': {
          this.next();
          const condition = this.list(DO);
          this.expect('do', opener);
          const body = this.list(DONE);
          this.expect('done', opener);
          return this.redirected({ t: 'loop', condition, body });
        }
        case 'for':
        case 'select':
          return this.redirected(this.forCommand(opener));
        case 'case':
          return this.redirected(this.caseCommand(opener));
        case '{': {
          this.next();
          const body = this.list(CLOSE_BRACE);
          this.expect('}', opener);
          return this.redirected({ t: 'group', body });
        }
        case '[[':
          if (this.bash) return this.redirected(this.doubleBracket(opener));
          break;
        case 'function':
          if (this.bash) return this.functionKeyword();
          break;
        case 'then':
        case 'elif':
        case 'else':
        case 'fi':
        case 'do':
        case 'done':
        case 'esac':
        case '}':
          this.unexpected(tok);
      }
    }
    if (tok.k === 'op' && tok.op === '(') {
      if (this.bash && this.ch(tok.end) === '(' && !this.opaque(tok.end)) {
        const end = this.arithmeticEnd(tok.end + 1);
        if (end !== undefined) {
          this.peeked = undefined;
          this.pos = end;
          return this.redirected({ t: 'none' });
        }
      }
      this.next();
      const body = this.list(new Set());
      const close = this.next();
      if (close.k === 'eof') this.fail('shell-unclosed-compound', tok.start, tok.end, 'Shell syntax error: this "(" is never closed by ")".');
      if (close.k !== 'op' || close.op !== ')') this.unexpected(close, '")"');
      return this.redirected({ t: 'group', body });
    }
    if (tok.k === 'word' || (tok.k === 'op' && REDIRECTIONS.has(tok.op))) return this.simple();
    return this.unexpected(tok);
  }

  /** Redirections after a compound command. */
  private redirected(node: CommandNode): CommandNode {
    for (;;) {
      const tok = this.peek();
      if (tok.k !== 'op' || !REDIRECTIONS.has(tok.op)) return node;
      this.redirection();
    }
  }

  private redirection(): void {
    const op = this.next() as { op: string; start: number; end: number };
    const target = this.peek();
    if (target.k !== 'word') this.unexpected(target, 'a file name after the redirection');
    this.next();
    if (op.op === '<<' || op.op === '<<-') this.heredocs.push({ delimiter: target.w.text, stripTabs: op.op === '<<-' });
  }

  private ifCommand(opener: { start: number; end: number; text: string }): CommandNode {
    this.next();
    const conditions: ListNode[] = [this.list(THEN)];
    this.expect('then', opener);
    const bodies: ListNode[] = [this.list(ELSE_FI)];
    for (;;) {
      const tok = this.peek();
      if (this.isReserved(tok, ELIF)) {
        this.next();
        conditions.push(this.list(THEN));
        this.expect('then', opener);
        bodies.push(this.list(ELSE_FI));
        continue;
      }
      if (this.isReserved(tok, ELSE)) {
        this.next();
        bodies.push(this.list(FI));
      }
      break;
    }
    this.expect('fi', opener);
    return { t: 'if', conditions, bodies };
  }

  private forCommand(opener: { start: number; end: number; text: string }): CommandNode {
    this.next();
    const tok = this.peek();
    if (this.bash && tok.k === 'op' && tok.op === '(' && this.ch(tok.end) === '(') {
      // for (( init; test; step ))
      const end = this.arithmeticEnd(tok.end + 1);
      if (end === undefined) this.fail('shell-unclosed-compound', tok.start, tok.end, 'Shell syntax error: this "((" is never closed by "))".');
      this.peeked = undefined;
      this.pos = end;
    } else {
      const name = this.next();
      if (name.k !== 'word') this.unexpected(name, 'a variable name');
      this.assign(name.w.text, name.w.offset);
      this.skipNewlines();
      if (this.isReserved(this.peek(), IN)) {
        this.next();
        while (this.peek().k === 'word') this.next();
      }
    }
    const sep = this.peek();
    if (sep.k === 'op' && sep.op === ';') this.next();
    this.skipNewlines();
    if (this.isReserved(this.peek(), OPEN_BRACE)) {
      const brace = this.peek() as { start: number; end: number };
      this.next();
      const body = this.list(CLOSE_BRACE);
      this.expect('}', { start: brace.start, end: brace.end, text: '{' });
      return { t: 'loop', condition: undefined, body };
    }
    this.expect('do', opener);
    const body = this.list(DONE);
    this.expect('done', opener);
    return { t: 'loop', condition: undefined, body };
  }

  private caseCommand(opener: { start: number; end: number; text: string }): CommandNode {
    this.next();
    const subject = this.next();
    if (subject.k !== 'word') this.unexpected(subject, 'a word after "case"');
    this.skipNewlines();
    this.expect('in', opener);
    const arms: ListNode[] = [];
    for (;;) {
      this.skipNewlines();
      const tok = this.peek();
      if (this.isReserved(tok, ESAC)) {
        this.next();
        return { t: 'case', arms };
      }
      if (tok.k === 'eof') this.fail('shell-unclosed-compound', opener.start, opener.end, 'Shell syntax error: this "case" is never closed by "esac".');
      if (tok.k === 'op' && tok.op === '(') this.next();
      // Patterns: word ( "|" word )* ")"
      for (;;) {
        const p = this.next();
        if (p.k !== 'word') this.unexpected(p, 'a pattern');
        const sep = this.next();
        if (sep.k === 'op' && sep.op === ')') break;
        if (sep.k !== 'op' || sep.op !== '|') this.unexpected(sep, '")" or "|"');
      }
      arms.push(this.list(ESAC));
      const end = this.peek();
      if (end.k === 'op' && (end.op === ';;' || end.op === ';&' || end.op === ';;&')) this.next();
      else if (!this.isReserved(end, ESAC)) {
        if (end.k === 'eof') this.fail('shell-unclosed-compound', opener.start, opener.end, 'Shell syntax error: this "case" is never closed by "esac".');
        this.unexpected(end, '";;" or "esac"');
      }
    }
  }

  /** `[[ … ]]`: operators inside are part of the test; the words may hold substitutions. */
  private doubleBracket(opener: { start: number; end: number; text: string }): CommandNode {
    this.next();
    for (;;) {
      const tok = this.next();
      if (tok.k === 'eof') this.fail('shell-unclosed-compound', opener.start, opener.end, 'Shell syntax error: this "[[" is never closed by "]]".');
      if (tok.k === 'word' && tok.w.plain && tok.w.text === ']]') return { t: 'none' };
    }
  }

  private functionKeyword(): CommandNode {
    this.next();
    const name = this.next();
    if (name.k !== 'word') this.unexpected(name, 'a function name');
    const tok = this.peek();
    if (tok.k === 'op' && tok.op === '(') {
      this.next();
      const close = this.next();
      if (close.k !== 'op' || close.op !== ')') this.unexpected(close, '")"');
    }
    this.skipNewlines();
    return { t: 'function', body: this.command() };
  }

  private simple(): CommandNode {
    const argv: ShellWord[] = [];
    const assignments: ShellWord[] = [];
    for (;;) {
      const tok = this.peek();
      if (tok.k === 'word') {
        this.next();
        if (argv.length === 0 && tok.w.assignment) {
          assignments.push(tok.w);
          this.assign(tok.w.assignment, tok.w.offset);
        } else argv.push(tok.w);
        continue;
      }
      if (tok.k === 'op' && REDIRECTIONS.has(tok.op)) {
        this.redirection();
        continue;
      }
      if (tok.k === 'op' && tok.op === '(' && argv.length === 1 && assignments.length === 0) {
        // name () compound-command
        this.next();
        const close = this.next();
        if (close.k !== 'op' || close.op !== ')') this.unexpected(close, '")"');
        this.skipNewlines();
        return { t: 'function', body: this.command() };
      }
      break;
    }
    if (argv.length === 0 && assignments.length === 0) return { t: 'simple', cmd: undefined };
    const words = argv.map(publicWord);
    const cmd: SimpleCommand = { argv: words, assignments: assignments.map(publicWord), via: 'shell', exitStatusMatters: false };
    const last = argv.length > 0 ? argv[argv.length - 1] : assignments[assignments.length - 1];
    cmd.end = this.src.ends[last.end - 1];
    this.commands.push(cmd);
    this.noteAssignedNames(argv);
    if (argv[0]?.text === 'set' && argv.some((w, i) => (i > 0 && /^-[A-Za-z]*e[A-Za-z]*$/.test(w.text)) || (w.text === 'errexit' && argv[i - 1]?.text === '-o'))) this.errexit = true;
    const node: CommandNode = { t: 'simple', cmd };
    // A shell inside the shell: parse its script too.
    const sh = shellInvocation(argv.map((w) => w.text));
    if (sh && sh.script !== undefined) {
      const nested = readScript(argv[sh.script].mapped, sh.dialect);
      this.commands.push(...nested.commands);
      this.problems.push(...nested.problems);
      if (nested.root) node.nested = { root: nested.root, errexit: sh.errexit || nested.errexit };
    }
    return node;
  }

  /** `read a b`, `export A=1`, `local x`, `getopts o NAME`… */
  private noteAssignedNames(argv: ShellWord[]): void {
    if (argv.length === 0) return;
    const name = basename(argv[0].text);
    if (name === 'read' || name === 'export' || name === 'local' || name === 'readonly' || name === 'declare' || name === 'typeset' || name === 'mapfile' || name === 'readarray') {
      for (const w of argv.slice(1)) {
        const n = /^([A-Za-z_][A-Za-z0-9_]*)/.exec(w.text)?.[1];
        if (n && !w.text.startsWith('-')) this.assign(n, w.offset);
      }
    } else if (name === 'getopts' && argv.length >= 3) this.assign(argv[2].text, argv[2].offset);
  }

  private assign(name: string, offset: number): void {
    if (!this.assigned.has(name)) this.assigned.set(name, offset);
  }

}

const BANG_TIME = new Set(['!', 'time']);
const DO = new Set(['do']);
const DONE = new Set(['done']);
const THEN = new Set(['then']);
const ELSE_FI = new Set(['elif', 'else', 'fi']);
const ELIF = new Set(['elif']);
const ELSE = new Set(['else']);
const FI = new Set(['fi']);
const IN = new Set(['in']);
const ESAC = new Set(['esac']);
const OPEN_BRACE = new Set(['{']);
const CLOSE_BRACE = new Set(['}']);

function publicWord(w: ShellWord): Word {
  return { text: w.text, offset: w.offset, length: w.length, dynamic: w.dynamic || w.mapped.opaque.some(Boolean) };
}

/** Collects a word's text and source map. */
class WordBuilder {
  text = '';
  dynamic = false;
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly opaque: boolean[] = [];
  constructor(private readonly src: MappedText) {}
  /** A character that stands for itself. */
  char(i: number): void {
    this.text += this.src.text[i];
    this.starts.push(this.src.starts[i]);
    this.ends.push(this.src.ends[i]);
    this.opaque.push(this.src.opaque[i] === true);
  }
  /** Characters kept as written and only known at run time (expansions). */
  raw(from: number, to: number): void {
    for (let i = from; i < to; i++) {
      this.text += this.src.text[i];
      this.starts.push(this.src.starts[i]);
      this.ends.push(this.src.ends[i]);
      this.opaque.push(true);
    }
  }
  mapped(): MappedText {
    return { text: this.text, starts: this.starts, ends: this.ends, opaque: this.opaque };
  }
}

// ---------------------------------------------------------------------------------------------
// Exit status: which commands decide whether the script fails

function walkList(list: ListNode, matters: boolean, errexit: boolean): void {
  list.items.forEach((item, k) => walkAndOr(item, matters && k === list.items.length - 1 && !item.async, errexit && !item.async));
}

function walkAndOr(node: AndOrNode, matters: boolean, errexit: boolean): void {
  node.pipelines.forEach((p, i) => {
    const rescued = node.ops.slice(i).includes('||');
    const last = i === node.pipelines.length - 1;
    walkPipeline(p, matters && !rescued, errexit && last);
  });
}

function walkPipeline(p: PipelineNode, matters: boolean, errexit: boolean): void {
  const m = matters && !p.bang;
  const e = errexit && !p.bang;
  p.commands.forEach((c, i) => {
    const last = i === p.commands.length - 1;
    walkCommand(c, m && last, e && last);
  });
}

function walkCommand(node: CommandNode, matters: boolean, errexit: boolean): void {
  switch (node.t) {
    case 'simple':
      if (node.cmd) node.cmd.exitStatusMatters = matters || errexit;
      if (node.nested) walkList(node.nested.root, matters || errexit, node.nested.errexit && (matters || errexit));
      return;
    case 'group':
      return walkList(node.body, matters, errexit);
    case 'if':
      node.conditions.forEach((c) => walkList(c, false, false));
      node.bodies.forEach((b) => walkList(b, matters, errexit));
      return;
    case 'loop':
      if (node.condition) walkList(node.condition, false, false);
      return walkList(node.body, matters, errexit);
    case 'case':
      node.arms.forEach((a) => walkList(a, matters, errexit));
      return;
    default:
      return;
  }
}

// ---------------------------------------------------------------------------------------------

/** Variables systemd's service manager sets for the processes it starts (systemd.exec(5) "Environment Variables in Spawned Processes"). */
const MANAGER_VARIABLES = new Set([
  'PATH', 'LANG', 'LANGUAGE', 'LC_ALL', 'LC_CTYPE', 'USER', 'LOGNAME', 'HOME', 'SHELL', 'TERM', 'XDG_RUNTIME_DIR', 'XDG_SESSION_ID', 'XDG_SEAT', 'XDG_VTNR',
  'INVOCATION_ID', 'MAINPID', 'MANAGERPID', 'SYSTEMD_EXEC_PID', 'JOURNAL_STREAM', 'NOTIFY_SOCKET', 'WATCHDOG_PID', 'WATCHDOG_USEC', 'LISTEN_PID', 'LISTEN_FDS',
  'LISTEN_FDNAMES', 'RUNTIME_DIRECTORY', 'STATE_DIRECTORY', 'CACHE_DIRECTORY', 'LOGS_DIRECTORY', 'CONFIGURATION_DIRECTORY', 'CREDENTIALS_DIRECTORY',
  'SERVICE_RESULT', 'EXIT_CODE', 'EXIT_STATUS', 'PIDFILE', 'TRIGGER_UNIT', 'TRIGGER_PATH', 'TRIGGER_TIMER_REALTIME_USEC', 'TRIGGER_TIMER_MONOTONIC_USEC',
  'MONITOR_SERVICE_RESULT', 'MONITOR_EXIT_CODE', 'MONITOR_EXIT_STATUS', 'MONITOR_INVOCATION_ID', 'MONITOR_UNIT', 'REMOTE_ADDR', 'REMOTE_PORT', 'MEMORY_PRESSURE_WATCH', 'MEMORY_PRESSURE_WRITE',
]);

interface ScriptResult {
  root: ListNode | undefined;
  commands: SimpleCommand[];
  problems: CommandProblem[];
  assigned: Map<string, number>;
  errexit: boolean;
  /** A syntax error the shell stops at (not one inside backticks). */
  failed: boolean;
}

function readScriptAs(src: MappedText, bash: boolean): ScriptResult {
  const commands: SimpleCommand[] = [];
  const problems: CommandProblem[] = [];
  const parser = new ShellParser(src, commands, problems, bash);
  let root: ListNode | undefined;
  try {
    root = parser.script();
  } catch (e) {
    if (!(e instanceof Failure || e instanceof Abandon)) throw e;
  }
  return { root, commands, problems, assigned: parser.assigned, errexit: parser.errexit, failed: problems.some((p) => p.kind !== 'shell-in-backticks') };
}

/** Reads a script in a dialect; for `sh`, a syntax error counts only when bash and dash both refuse. */
function readScript(src: MappedText, dialect: ShellDialect): ScriptResult {
  if (dialect !== 'sh') return readScriptAs(src, dialect === 'bash');
  const asBash = readScriptAs(src, true);
  if (!asBash.failed) return asBash;
  const asPosix = readScriptAs(src, false);
  return asPosix.failed ? asBash : asPosix;
}

/**
 * Parses the script word of `sh -c SCRIPT` (as the exec parser extracted it). Commands come in
 * execution order (a `$(…)` before the command that uses it); their words point into the value.
 */
export function parseShellPayload(script: MappedText, options: ShellPayloadOptions): ShellPayload {
  // A script that is a whole-word $VAR is split by systemd into words: nothing to read.
  if (options.systemdEnv && /^\$[^{$]/.test(script.text)) return { commands: [], problems: [] };
  const variables: Array<{ name: string; offset: number; length: number }> = [];
  const src = shellSource(script, options.systemdEnv, variables);
  const result = readScript(src, options.dialect ?? 'sh');
  if (result.root) walkList(result.root, true, options.errexit || result.errexit);
  const problems = result.problems;
  // ${NAME} after the script assigned NAME itself: systemd has already replaced it (with its own
  // value, usually nothing). Variables the service manager provides (PATH, MAINPID, …) are meant.
  for (const v of variables) {
    const assignedAt = result.assigned.get(v.name);
    if (isEnvName(v.name) && assignedAt !== undefined && assignedAt < v.offset && !MANAGER_VARIABLES.has(v.name)) {
      problems.push({
        offset: v.offset,
        length: v.length,
        kind: 'systemd-expands-variable',
        message: `systemd replaces \${${v.name}} with its own environment before the shell runs, so the script's ${v.name}=… never reaches it (it is usually empty). Write $\${${v.name}} (or $${v.name}) to let the shell expand it.`,
        fix: { title: `Write $\${${v.name}}`, offset: v.offset, length: 0, text: '$' },
      });
    }
  }
  return { commands: result.commands, problems };
}
