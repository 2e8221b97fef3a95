// Completion of etcd key paths inside etcdctl key arguments: the keys the workspace writes, reads
// and removes, their parent "directories", and — when a cluster is connected — live keys, which
// the server asks of the client through the custom request `unitFleet/liveEtcdKeys`.
//
// The cursor's context is read from the raw text before it (from the last `etcdctl`), not from the
// parsed command line, because while typing the line is usually incomplete (an open quote).
import { CompletionItemKind, type CompletionItem, type CompletionList, type Position, type Range } from 'vscode-languageserver-types';
import type { SimpleCommand, Word } from '../commandLine/types';
import { assignmentAt } from '../features/documentContext';
import type { LiveCluster } from '../live';
import type { UnitFile } from '../unitFile/ast';
import type { WorkspaceIndex } from '../workspace/workspaceIndex';
import { parseEtcdctl, type KeyAccess } from './etcdctl';
import { rememberLiveKeys, workspaceKeys } from './unitKeys';

export interface KeySlot {
  /** What is typed of the key so far (quotes excluded). */
  typed: string;
  /** The text a chosen key replaces. */
  range: Range;
  access: KeyAccess;
  prefix: boolean;
}

const ETCDCTL = /(?:^|[\s;|&(`'"])((?:[^\s;|&(`'"]*\/)?etcdctl)(?=\s)/g;
const SEPARATOR = /[;|&()`\n]/;
const TOKEN_END = /[^\s'";|&)`]*/y;

/** The etcdctl key argument being typed at `position`, if any. */
export function keySlotAt(file: UnitFile, position: Position): KeySlot | undefined {
  const a = assignmentAt(file, position.line);
  if (!a || !/^Exec/.test(a.key)) return undefined;
  const part = a.parts.find((p) => p.start.line === position.line);
  if (!part || position.character < part.start.character) return undefined;
  const lineText = file.lines[position.line] ?? '';
  const before = a.value.slice(0, part.valueOffset) + lineText.slice(part.start.character, position.character);
  if (!before.includes('etcdctl')) return undefined;

  let start = -1;
  ETCDCTL.lastIndex = 0;
  for (let m = ETCDCTL.exec(before); m; m = ETCDCTL.exec(before)) start = m.index + m[0].length;
  if (start < 0) return undefined;
  const segment = before.slice(start);
  if (SEPARATOR.test(segment.replace(/\$\([^)]*\)/g, ''))) return undefined; // the cursor is in a later command

  // Words of the segment; the last one (possibly empty) is the one being typed.
  const words: Word[] = [{ text: 'etcdctl', offset: 0, length: 7, dynamic: false }];
  const re = /\S+/g;
  for (let m = re.exec(segment); m; m = re.exec(segment)) words.push(word(m[0], start + m.index));
  const endsInBlank = segment.length === 0 || /\s$/.test(segment);
  if (endsInBlank) words.push({ text: '', offset: before.length, length: 0, dynamic: false });
  const typedWord = words[words.length - 1];
  const command: SimpleCommand = { argv: words, assignments: [], via: 'exec' };
  const inv = parseEtcdctl(command);
  const key = inv?.keys.find((k) => k.word === typedWord);
  if (!key) return undefined;

  const typed = typedWord.text;
  const startCharacter = position.character - typed.length;
  TOKEN_END.lastIndex = position.character;
  const rest = TOKEN_END.exec(lineText)?.[0] ?? '';
  return {
    typed,
    range: { start: { line: position.line, character: startCharacter }, end: { line: position.line, character: position.character + rest.length } },
    access: key.access,
    prefix: key.prefix,
  };
}

function word(raw: string, offset: number): Word {
  const text = raw.replace(/^['"]/, '').replace(/['"]$/, '');
  return { text, offset, length: raw.length, dynamic: /[$%`]/.test(text) };
}

export interface KeyCompletionOptions {
  live?: LiveCluster;
  /** The document being edited (its own half-typed key is not offered). */
  uri?: string;
  position?: Position;
  /** Live keys asked for at most (default 200). */
  limit?: number;
  /** How long to wait for the cluster, in ms (default 1500). */
  timeout?: number;
}

interface Candidate {
  key: string;
  folder: boolean;
  writers: Set<string>;
  others: Set<string>;
  live: boolean;
}

/** Key paths for `slot`: workspace keys and their parent folders, plus live keys from the cluster. */
export async function keyCompletions(slot: KeySlot, workspace: WorkspaceIndex, options: KeyCompletionOptions = {}): Promise<CompletionList> {
  const limit = options.limit ?? 200;
  const candidates = new Map<string, Candidate>();
  const candidate = (key: string, folder: boolean) => {
    let c = candidates.get(key);
    if (!c) candidates.set(key, (c = { key, folder, writers: new Set(), others: new Set(), live: false }));
    return c;
  };
  const addFolders = (key: string, live: boolean) => {
    for (let i = key.indexOf('/', 1); i > 0 && i < key.length - 1; i = key.indexOf('/', i + 1)) {
      const c = candidate(key.slice(0, i + 1), true);
      if (live) c.live = true;
    }
  };

  for (const u of workspaceKeys(workspace).usages) {
    if (u.key === '' || (u.uri === options.uri && options.position && u.location.start.line === options.position.line)) continue;
    const c = candidate(u.key, u.prefix && u.key.endsWith('/'));
    const unit = u.uri.slice(u.uri.lastIndexOf('/') + 1);
    (u.access === 'write' ? c.writers : c.others).add(unit);
    addFolders(u.key, false);
  }

  let truncated = false;
  if (options.live) {
    const literal = /^[^$%`]*/.exec(slot.typed)?.[0] ?? '';
    const keys = await withTimeout(options.live.etcdKeys(literal, limit), options.timeout ?? 1500, []);
    truncated = keys.length >= limit;
    rememberLiveKeys(workspace, keys);
    for (const k of keys) {
      candidate(k, false).live = true;
      addFolders(k, true);
    }
  }

  const folderFirst = slot.prefix || slot.access !== 'write';
  const items: CompletionItem[] = [];
  for (const c of candidates.values()) {
    const group = c.folder ? (folderFirst ? '0' : '3') : c.writers.size > 0 ? '1' : c.live ? '2' : '3';
    const item: CompletionItem = {
      label: c.key,
      kind: c.folder ? CompletionItemKind.Folder : CompletionItemKind.Field,
      detail: describe(c),
      // A live key is a literal: a `%` in it must not read as a systemd specifier.
      textEdit: { range: slot.range, newText: c.writers.size + c.others.size === 0 ? c.key.replaceAll('%', '%%') : c.key },
      filterText: c.key,
      sortText: `${group}${c.key}`,
    };
    if (c.folder) item.command = { title: 'Suggest keys', command: 'editor.action.triggerSuggest' };
    items.push(item);
  }
  items.sort((a, b) => (a.sortText! < b.sortText! ? -1 : a.sortText! > b.sortText! ? 1 : 0));
  const MAX = 1000;
  return { isIncomplete: truncated || items.length > MAX, items: items.slice(0, MAX) };
}

function describe(c: Candidate): string {
  const parts: string[] = [];
  if (c.writers.size > 0) parts.push(`written by ${[...c.writers].slice(0, 3).join(', ')}${c.writers.size > 3 ? ', …' : ''}`);
  else if (c.others.size > 0) parts.push(`used by ${[...c.others].slice(0, 3).join(', ')}${c.others.size > 3 ? ', …' : ''}`);
  if (c.live) parts.push('live on the cluster');
  return parts.length > 0 ? `etcd ${c.folder ? 'prefix' : 'key'}: ${parts.join('; ')}` : `etcd ${c.folder ? 'prefix' : 'key'}`;
}

function withTimeout<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  return Promise.race([promise.catch(() => fallback), timeout]).finally(() => clearTimeout(timer));
}
