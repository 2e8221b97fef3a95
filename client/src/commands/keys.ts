// Commands on etcd keys: Get (value in a read-only document), Set (value, optional TTL), Delete
// (a directory: everything under it), Watch (changes into an output channel; again to stop),
// Copy Key / Copy Value; Load more… and refresh of the view. v3 keys through the core's browse,
// the v2 key space through its HTTP API.
import * as vscode from 'vscode';
import type { Connected } from '../connection/connection';
import { Cancelled } from '../connection/connection';
import { KeyDirNode } from '../views/keys/keyDirNode';
import { KeyNode, type Keyspace } from '../views/keys/keyNode';
import { optionsArg, registerClusterCommand, type CommandDeps } from './guard';

interface KeyRef {
  space: Keyspace;
  key: string;
  dir: boolean;
  node?: KeyNode | KeyDirNode;
}

export interface SetKeyOptions {
  key: string;
  value: string;
  /** Seconds; omitted or 0: no TTL. */
  ttl: number;
  space: Keyspace;
  confirmed: boolean;
}

function refOf(node: unknown): KeyRef | undefined {
  if (node instanceof KeyNode) return { space: node.space, key: node.key, dir: false, node };
  if (node instanceof KeyDirNode) return { space: node.space, key: node.prefix, dir: true, node };
  return undefined;
}

async function askKey(title: string, value = '/'): Promise<string> {
  const key = await vscode.window.showInputBox({ title, prompt: 'etcd key', value, valueSelection: [value.length, value.length], ignoreFocusOut: true, validateInput: (k) => (k.trim() === '' ? 'a key is not empty' : undefined) });
  if (key === undefined) throw new Cancelled();
  return key;
}

async function readValue(c: Connected, space: Keyspace, key: string): Promise<{ value: string; ttl?: number; lease?: string }> {
  if (space === 'v2') {
    const node = await c.core.getV2(c.cluster, key);
    return { value: node.value ?? '', ttl: node.ttl };
  }
  const kv = await c.core.getKey(c.cluster, key);
  return { value: kv.value, ttl: kv.ttl, lease: kv.lease };
}

const watches = new Map<string, () => Promise<void>>();
let watchChannel: vscode.OutputChannel | undefined;

export function registerKeyCommands(deps: CommandDeps): void {
  const { connection } = deps;
  const keysView = deps.views.keys;

  registerClusterCommand(deps, 'unitFleet.key.get', 'Reading the key', async (node: unknown, options?: unknown) => {
    const c = await connection.ensureConnected();
    const ref = refOf(node) ?? { space: optionsArg<SetKeyOptions>(options).space ?? 'v3', key: optionsArg<SetKeyOptions>(options).key ?? (await askKey('Unit Fleet: Get etcd Key')), dir: false };
    const { value, ttl } = await readValue(c, ref.space, ref.key);
    const shown = await deps.documents.show(`/etcd/${ref.space}${ref.key.startsWith('/') ? '' : '/'}${ref.key}`, value, { language: 'plaintext' });
    if (ttl !== undefined) vscode.window.setStatusBarMessage(`${ref.key}: TTL ${ttl}s`, 5_000);
    return { value, ttl, document: shown };
  });

  registerClusterCommand(deps, 'unitFleet.key.set', 'Setting the key', async (node: unknown, options?: unknown) => {
    const c = await connection.ensureConnected();
    const o = optionsArg<SetKeyOptions>(options);
    const ref = refOf(node);
    const space: Keyspace = ref?.space ?? o.space ?? 'v3';
    if (space === 'v2' && !c.config.etcd.v2) throw Object.assign(new Error('the cluster definition does not enable the etcd v2 API'), { kind: 'usage' });
    const key = o.key ?? (ref && !ref.dir ? ref.key : await askKey(`Unit Fleet: Set etcd Key (${space})`, ref?.dir ? ref.key : '/'));
    let current: string | undefined;
    if (o.value === undefined && ref && !ref.dir) current = (await readValue(c, space, key).catch(() => undefined))?.value;
    const value = o.value ?? (await vscode.window.showInputBox({ title: `Set ${key}`, prompt: 'Value', value: current ?? '', ignoreFocusOut: true }));
    if (value === undefined) throw new Cancelled();
    let ttl = o.ttl;
    if (ttl === undefined && o.value === undefined) {
      const typed = await vscode.window.showInputBox({
        title: `Set ${key}`,
        prompt: 'Time to live in seconds (empty: the key does not expire)',
        ignoreFocusOut: true,
        validateInput: (t) => (t.trim() === '' || /^[1-9]\d*$/.test(t.trim()) ? undefined : 'a whole number of seconds, or empty'),
      });
      if (typed === undefined) throw new Cancelled();
      ttl = typed.trim() === '' ? undefined : Number(typed.trim());
    }
    if (space === 'v2') await c.core.setV2(c.cluster, key, value, ttl || undefined);
    else await c.core.setKey(c.cluster, key, value, ttl || undefined);
    if (!keysView.watching) keysView.refresh();
    vscode.window.setStatusBarMessage(`Unit Fleet: set ${key}${ttl ? ` (TTL ${ttl}s)` : ''}`, 4_000);
    return { key, value, ttl };
  });

  registerClusterCommand(deps, 'unitFleet.key.delete', 'Deleting the key', async (node: unknown, options?: unknown) => {
    const c = await connection.ensureConnected();
    const o = optionsArg<SetKeyOptions>(options);
    const ref = refOf(node) ?? { space: o.space ?? 'v3', key: o.key ?? (await askKey('Unit Fleet: Delete etcd Key')), dir: false };
    if (o.confirmed !== true) {
      const answer = await vscode.window.showWarningMessage(
        ref.dir ? `Delete every key under ${ref.key}?` : `Delete ${ref.key}?`,
        { modal: true, detail: `From the etcd ${ref.space} key space. This cannot be undone.` },
        'Delete',
      );
      if (answer !== 'Delete') return undefined;
    }
    let deleted = 1;
    if (ref.space === 'v2') await c.core.removeV2(c.cluster, ref.dir ? ref.key.replace(/\/$/, '') : ref.key, ref.dir);
    else {
      deleted = await c.core.removeKey(c.cluster, ref.key, ref.dir);
      if (deleted === 0) throw Object.assign(new Error(`no key ${ref.key} in etcd`), { kind: 'not-found' });
    }
    if (!keysView.watching) keysView.refresh();
    vscode.window.setStatusBarMessage(`Unit Fleet: deleted ${deleted} key${deleted === 1 ? '' : 's'}`, 4_000);
    return { deleted };
  });

  registerClusterCommand(deps, 'unitFleet.key.watch', 'Watching the key', async (node: unknown, options?: unknown) => {
    const c = await connection.ensureConnected();
    const o = optionsArg<SetKeyOptions>(options);
    const ref = refOf(node) ?? { space: 'v3' as Keyspace, key: o.key ?? (await askKey('Unit Fleet: Watch etcd Key (a prefix ending in / watches everything under it)')), dir: false };
    if (ref.space === 'v2') throw Object.assign(new Error('watching single keys is available for the v3 key space; the view itself follows v2 changes'), { kind: 'usage' });
    const id = ref.key;
    watchChannel ??= vscode.window.createOutputChannel('Unit Fleet: etcd Watch');
    const channel = watchChannel;
    const existing = watches.get(id);
    if (existing) {
      watches.delete(id);
      await existing();
      channel.appendLine(`${new Date().toISOString()} stopped watching ${id}`);
      return { watching: false };
    }
    const prefix = ref.dir || id.endsWith('/');
    const stop = await c.core.watchKeys(
      c.cluster,
      id,
      (event) => channel.appendLine(`${new Date().toISOString()} ${event.type.toUpperCase()} ${event.key}${event.value !== undefined ? ` = ${event.value}` : ''}`),
      { prefix, onError: (error) => channel.appendLine(`${new Date().toISOString()} watch error: ${error.message}`) },
    );
    watches.set(id, stop);
    const onEnd = () => {
      if (watches.get(id) === stop) watches.delete(id);
      void stop().catch(() => undefined);
    };
    connection.lifetime.addEventListener('abort', onEnd, { once: true });
    channel.appendLine(`${new Date().toISOString()} watching ${id}${prefix ? ' and everything under it' : ''} (run Watch on it again to stop)`);
    channel.show(true);
    return { watching: true };
  });

  registerClusterCommand(deps, 'unitFleet.key.stopWatches', 'Stopping key watches', async () => {
    const all = [...watches.values()];
    watches.clear();
    for (const stop of all) await stop().catch(() => undefined);
    watchChannel?.appendLine(`${new Date().toISOString()} stopped ${all.length} watch${all.length === 1 ? '' : 'es'}`);
    return all.length;
  });

  registerClusterCommand(deps, 'unitFleet.key.copy', 'Copying the key', async (node: unknown) => {
    const ref = refOf(node);
    if (!ref) return undefined;
    await vscode.env.clipboard.writeText(ref.key);
    vscode.window.setStatusBarMessage(`Copied ${ref.key}`, 3_000);
    return ref.key;
  });

  registerClusterCommand(deps, 'unitFleet.key.copyValue', 'Copying the value', async (node: unknown) => {
    const ref = refOf(node);
    if (!ref || ref.dir) return undefined;
    const c = await connection.ensureConnected();
    const { value } = await readValue(c, ref.space, ref.key);
    await vscode.env.clipboard.writeText(value);
    vscode.window.setStatusBarMessage(`Copied the value of ${ref.key}`, 3_000);
    return value;
  });

  registerClusterCommand(deps, 'unitFleet.keys.loadMore', 'Loading more keys', async (dir: unknown) => {
    if (dir instanceof KeyDirNode) await keysView.loadMore(dir);
  });

  registerClusterCommand(deps, 'unitFleet.keys.refresh', 'Refreshing etcd keys', async () => {
    keysView.refresh();
  });

  deps.context.subscriptions.push({
    dispose: () => {
      for (const stop of watches.values()) void stop().catch(() => undefined);
      watches.clear();
      watchChannel?.dispose();
      watchChannel = undefined;
    },
  });
}
