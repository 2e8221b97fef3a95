// The etcdctl command line: which API an invocation speaks (v2 or v3), its verb, its flags, and
// what it does to which keys (write / read / remove / watch, one key or a whole prefix).
//
// etcdctl 3.4+ speaks v3 unless ETCDCTL_API=2 is set (3.6 removed v2 altogether). The v2 client
// (urfave/cli) and the v3 client (cobra) have different verbs and flags; some verbs exist in
// both (`get`, `watch`) and then the flags, or ETCDCTL_API, tell them apart. Pure: works on the
// SimpleCommands of ../commandLine/types.ts.
import { basename, programIndex } from '../commandLine/programs';
import type { SimpleCommand, Word } from '../commandLine/types';
import { parseKeyPattern, type KeyPattern } from './keys';

export type EtcdApi = 'v2' | 'v3';
export type KeyAccess = 'write' | 'read' | 'remove' | 'watch';

export interface EtcdFlag {
  word: Word;
  /** Without dashes or value: `ttl` for `--ttl=10`, `-ttl 10` or `--ttl 10`. */
  name: string;
  value?: string;
  /** The separate word holding the value (`--ttl 10`). */
  valueWord?: Word;
}

export interface EtcdKeyArg {
  word: Word;
  pattern: KeyPattern;
  access: KeyAccess;
  /** The argument stands for every key that starts with it. */
  prefix: boolean;
  /** `--from-key` or an explicit range end: a key range that cannot be compared by prefix. */
  range: boolean;
}

export interface EtcdApiSetting {
  value: string;
  /** Where it was set: a leading `ETCDCTL_API=2`, an `env` argument, a shell `export`, or the unit's `Environment=`. */
  source: 'assignment' | 'env' | 'export' | 'unit';
  /** The `ETCDCTL_API=…` word when it is part of this command (assignment or env argument). */
  word?: Word;
}

export interface EtcdctlInvocation {
  command: SimpleCommand;
  /** Index of the etcdctl word in `command.argv`. */
  programIndex: number;
  program: Word;
  apiSetting?: EtcdApiSetting;
  /** The dialect the command line is written in; undefined when it reads the same in both (`etcdctl get /k`). */
  dialect: EtcdApi | undefined;
  /** `put`, `lease grant`, … (empty when etcdctl runs without a verb). */
  verb: string;
  /** The verb's word(s). */
  verbWords: Word[];
  /** Flags before the verb. */
  globalFlags: EtcdFlag[];
  /** Flags after the verb. */
  flags: EtcdFlag[];
  /** Arguments after the verb that are not flags (before `--`). */
  args: Word[];
  keys: EtcdKeyArg[];
  /** The value written by `put`/`set`/`mk`/`update`. */
  value?: Word;
  /** Words that only the v2 API understands: v2 verbs and v2-only flags (`--ttl`, `--recursive`, …). */
  v2Words: Word[];
}

// --- the two dialects -----------------------------------------------------------------------

/** Verbs only the v2 client has. */
export const V2_VERBS = new Set(['set', 'mk', 'mkdir', 'ls', 'rm', 'rmdir', 'update', 'updatedir', 'setdir', 'exec-watch', 'backup', 'cluster-health', 'import']);
/** Verbs only the v3 client has. */
export const V3_VERBS = new Set(['put', 'del', 'lease', 'txn', 'compaction', 'defrag', 'endpoint', 'snapshot', 'alarm', 'elect', 'lock', 'make-mirror', 'migrate', 'move-leader', 'check', 'downgrade', 'version']);
/** Verbs of both (`get` and `watch` with different flags). */
export const SHARED_VERBS = new Set(['get', 'watch', 'member', 'user', 'role', 'auth']);

/** Flags (without dashes) that take a value, per dialect. */
const V2_VALUE_FLAGS = new Set([
  'endpoint', 'endpoints', 'peers', 'C', 'cert-file', 'key-file', 'ca-file', 'username', 'u', 'password', 'timeout', 'total-timeout', 'output', 'o', 'discovery-srv', 'D',
  'ttl', 'swap-with-value', 'swap-with-index', 'with-value', 'with-index', 'after-index',
]);
const V3_VALUE_FLAGS = new Set([
  'endpoints', 'dial-timeout', 'command-timeout', 'keepalive-time', 'keepalive-timeout', 'cacert', 'cert', 'key', 'user', 'password', 'write-out', 'w', 'discovery-srv', 'd', 'discovery-srv-name', 'auth-jwt-token',
  'lease', 'rev', 'limit', 'order', 'sort-by', 'consistency', 'min-mod-rev', 'max-mod-rev', 'min-create-rev', 'max-create-rev', 'range', 'max-txn-ops', 'ttl',
]);
/** Flags only the v2 client understands (so `get --quorum /k` is v2). */
export const V2_ONLY_FLAGS = new Set([
  'ttl', 'swap-with-value', 'swap-with-index', 'in-order', 'sort', 'quorum', 'q', 'recursive', 'r', 'p', 'dir', 'with-value', 'with-index', 'forever', 'f', 'after-index',
  'peers', 'C', 'cert-file', 'key-file', 'ca-file', 'no-sync', 'total-timeout', 'output', 'o', 'timeout', 'endpoint',
]);
/** Flags only the v3 client understands. */
export const V3_ONLY_FLAGS = new Set([
  'prefix', 'lease', 'from-key', 'keys-only', 'count-only', 'print-value-only', 'prev-kv', 'rev', 'limit', 'order', 'sort-by', 'consistency', 'ignore-value', 'ignore-lease',
  'write-out', 'w', 'dial-timeout', 'command-timeout', 'cacert', 'cert', 'key', 'user', 'hex', 'insecure-transport', 'progress-notify', 'interactive', 'i', 'keepalive-time', 'keepalive-timeout',
]);
/** `lease` subcommands. */
const LEASE_VERBS = new Set(['grant', 'revoke', 'keep-alive', 'timetolive', 'list']);

/** True when `text` names the etcdctl program (`etcdctl`, `/usr/bin/etcdctl`). */
export function isEtcdctl(text: string): boolean {
  return basename(text) === 'etcdctl';
}

const API_ASSIGNMENT = /^ETCDCTL_API=(.*)$/;

/** The value of ETCDCTL_API in a unit's `Environment=` lines (the last one wins), if any. */
export function etcdctlApiFromEnvironment(values: readonly string[]): string | undefined {
  let api: string | undefined;
  for (const value of values) {
    if (value === '') api = undefined; // an empty Environment= resets the list
    for (const assignment of environmentWords(value)) {
      const m = API_ASSIGNMENT.exec(assignment);
      if (m) api = m[1];
    }
  }
  return api;
}

/** The `NAME=value` words of an `Environment=` value (double or single quotes group a word). */
export function environmentWords(value: string): string[] {
  const words: string[] = [];
  let current = '';
  let quote: string | undefined;
  let inWord = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < value.length) current += value[++i];
      else current += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === ' ' || c === '\t') {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += c;
      inWord = true;
    }
  }
  if (inWord) words.push(current);
  return words;
}

export interface EtcdctlContext {
  /** ETCDCTL_API from the unit's `Environment=`. */
  unitApi?: string;
  /** ETCDCTL_API exported by an earlier command of the same shell script. */
  exportedApi?: string;
}

/** Parses `command` as an etcdctl invocation (looking through `env`, `exec`, `sudo`, …), or undefined. */
export function parseEtcdctl(command: SimpleCommand, context: EtcdctlContext = {}): EtcdctlInvocation | undefined {
  const argv = command.argv;
  if (argv.length === 0) return undefined;
  const texts = argv.map((w) => w.text);
  const at = programIndex(texts);
  if (at >= argv.length || !isEtcdctl(texts[at])) return undefined;

  // ETCDCTL_API: the command's own assignment, then `env ETCDCTL_API=…`, then export, then the unit.
  let apiSetting: EtcdApiSetting | undefined;
  for (const w of command.assignments) {
    const m = API_ASSIGNMENT.exec(w.text);
    if (m) apiSetting = { value: m[1], source: 'assignment', word: w };
  }
  for (let i = 0; i < at; i++) {
    const m = API_ASSIGNMENT.exec(argv[i].text);
    if (m) apiSetting = { value: m[1], source: 'env', word: argv[i] };
  }
  if (!apiSetting && context.exportedApi !== undefined) apiSetting = { value: context.exportedApi, source: 'export' };
  if (!apiSetting && context.unitApi !== undefined) apiSetting = { value: context.unitApi, source: 'unit' };
  const explicit: EtcdApi | undefined = apiSetting?.value === '2' ? 'v2' : apiSetting?.value === '3' ? 'v3' : undefined;

  // Global flags, then the verb. Fully dynamic words before the verb ($ETCDCTL_OPTS) are taken as flags.
  let i = at + 1;
  const globalFlags: EtcdFlag[] = [];
  const v2Words: Word[] = [];
  const valueFlags = (dialect: EtcdApi | undefined) => (dialect === 'v2' ? V2_VALUE_FLAGS : dialect === 'v3' ? V3_VALUE_FLAGS : union);
  while (i < argv.length && (isFlag(argv[i].text) || isWholeVariable(argv[i]))) {
    if (!isFlag(argv[i].text)) {
      i++;
      continue;
    }
    const flag = readFlag(argv, i, valueFlags(explicit));
    globalFlags.push(flag.flag);
    i = flag.next;
  }
  const verbWord = argv[i];
  let verb = verbWord && !verbWord.dynamic ? verbWord.text : '';
  const verbWords: Word[] = verbWord ? [verbWord] : [];
  if (verbWord) i++;
  if (verb === 'lease' && argv[i] && LEASE_VERBS.has(argv[i].text)) {
    verb = `lease ${argv[i].text}`;
    verbWords.push(argv[i]);
    i++;
  }
  const head = verb.split(' ')[0];
  if (V2_VERBS.has(head) && verbWord) v2Words.push(verbWord);

  // The dialect for reading the flags: the verb when it belongs to one API, else ETCDCTL_API.
  const verbDialect: EtcdApi | undefined = V2_VERBS.has(head) ? 'v2' : V3_VERBS.has(head) ? 'v3' : undefined;
  const readAs = verbDialect ?? explicit;

  const flags: EtcdFlag[] = [];
  const args: Word[] = [];
  while (i < argv.length) {
    const w = argv[i];
    if (w.text === '--' && !w.dynamic) break; // exec-watch / watch: the command to run follows
    if (isFlag(w.text)) {
      const flag = readFlag(argv, i, valueFlags(readAs));
      flags.push(flag.flag);
      i = flag.next;
      continue;
    }
    args.push(w);
    i++;
  }

  // Which dialect the line is written in.
  const allFlags = [...globalFlags, ...flags];
  const v2Flags = allFlags.filter((f) => V2_ONLY_FLAGS.has(f.name) && !(f.name === 'ttl' && verb === 'lease grant'));
  const v3Flags = allFlags.filter((f) => V3_ONLY_FLAGS.has(f.name));
  let dialect: EtcdApi | undefined = verbDialect;
  if (!dialect && SHARED_VERBS.has(head)) {
    if (v2Flags.length > 0 && v3Flags.length === 0) dialect = 'v2';
    else if (v3Flags.length > 0 && v2Flags.length === 0) dialect = 'v3';
    else dialect = explicit;
  }
  // A v2 flag on a v3 verb (`put --ttl 10`) is a v2 habit too: the v3 client refuses it.
  for (const f of v2Flags) v2Words.push(f.word);

  const has = (...names: string[]) => allFlags.some((f) => names.includes(f.name));
  const keys: EtcdKeyArg[] = [];
  const key = (word: Word | undefined, access: KeyAccess, prefix: boolean, range = false) => {
    if (word) keys.push({ word, pattern: parseKeyPattern(word.text), access, prefix, range });
  };
  let value: Word | undefined;
  const v2Recursive = has('recursive', 'r');
  switch (verb) {
    // v2
    case 'set':
    case 'update':
      key(args[0], 'write', false);
      value = args[1];
      break;
    case 'mk':
      key(args[0], 'write', has('in-order'));
      value = args[1];
      break;
    case 'mkdir':
    case 'setdir':
    case 'updatedir':
      key(args[0], 'write', true);
      break;
    case 'ls':
      key(args[0], 'read', true);
      break;
    case 'rm':
      key(args[0], 'remove', has('recursive', 'r', 'dir'));
      break;
    case 'rmdir':
      key(args[0], 'remove', true);
      break;
    case 'exec-watch':
      key(args[0], 'watch', v2Recursive);
      break;
    // v3 (and v2 for get/watch)
    case 'put':
      key(args[0], 'write', false);
      value = args[1];
      break;
    case 'get':
      key(args[0], 'read', has('prefix') || (dialect === 'v2' && v2Recursive), has('from-key') || args.length > 1);
      break;
    case 'del':
      key(args[0], 'remove', has('prefix'), has('from-key') || args.length > 1 || has('range'));
      break;
    case 'watch':
      key(args[0], 'watch', has('prefix') || v2Recursive, has('from-key') || args.length > 1);
      break;
    default:
      break;
  }
  return { command, programIndex: at, program: argv[at], apiSetting, dialect, verb, verbWords, globalFlags, flags, args, keys, value, v2Words };
}

const union = new Set([...V2_VALUE_FLAGS, ...V3_VALUE_FLAGS]);

function isFlag(text: string): boolean {
  return text.length > 1 && text.startsWith('-') && text !== '--';
}

function isWholeVariable(w: Word): boolean {
  return w.dynamic && /^\$(\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*)$/.test(w.text);
}

function readFlag(argv: Word[], i: number, valueFlags: ReadonlySet<string>): { flag: EtcdFlag; next: number } {
  const word = argv[i];
  const body = word.text.replace(/^--?/, '');
  const eq = body.indexOf('=');
  if (eq >= 0) return { flag: { word, name: body.slice(0, eq), value: body.slice(eq + 1) }, next: i + 1 };
  const name = body;
  // urfave/cli and cobra read a boolean written `--flag false` as two words; value flags always take the next one.
  if (valueFlags.has(name) && i + 1 < argv.length) {
    const valueWord = argv[i + 1];
    return { flag: { word, name, value: valueWord.text, valueWord }, next: i + 2 };
  }
  return { flag: { word, name }, next: i + 1 };
}

/**
 * Every etcdctl invocation among `commands` (one Exec line: the command systemd runs and those of
 * its shell payload, in order), with `export ETCDCTL_API=…` in the script carried forward.
 */
export function etcdctlInvocations(commands: readonly SimpleCommand[], unitApi?: string): EtcdctlInvocation[] {
  const result: EtcdctlInvocation[] = [];
  let exportedApi: string | undefined;
  for (const c of commands) {
    const texts = c.argv.map((w) => w.text);
    if (texts[0] === 'export' || texts[0] === 'declare' || texts[0] === 'typeset') {
      for (const t of texts.slice(1)) {
        const m = API_ASSIGNMENT.exec(t);
        if (m) exportedApi = m[1];
      }
      continue;
    }
    if (!c.argv.some((w) => w.text.includes('etcdctl'))) continue; // cheap: most commands are not etcdctl
    const inv = parseEtcdctl(c, { unitApi, exportedApi });
    if (inv) result.push(inv);
  }
  return result;
}
