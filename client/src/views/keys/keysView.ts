// The etcd Keys view: a tree split on '/', one level and one page at a time (Load more…), value
// previews, TTL/lease; the v2 key space as its own root when the definition enables it. While
// the view is visible it watches the key space and reloads only the directories that changed
// (debounced), so a sidekick rewriting its key every few seconds costs one level listing.
import * as vscode from 'vscode';
import type { ClusterConnection, Connected } from '../../connection/connection';
import { clusterLog } from '../../connection/log';
import { MessageNode, type ClusterNode } from '../common/node';
import { KeyDirNode, type DirPages } from './keyDirNode';
import { KeyNode, type Keyspace } from './keyNode';
import { LoadMoreNode } from './loadMoreNode';
import { ancestorPrefixes } from './prefixes';
import { readLeafValues } from './values';

export const pageSizeSetting = 'unitFleet.keys.pageSize';
const DEBOUNCE_MS = 400;
const MAX_WAIT_MS = 2_000;
const V2_MAX = 2_000;

const idOf = (space: Keyspace, prefix: string): string => `${space}:${prefix}`;

export class KeysTreeProvider implements vscode.TreeDataProvider<ClusterNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ClusterNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  private pages = new Map<string, DirPages>();
  private dirs = new Map<string, KeyDirNode>();
  /** Directories to reload with at least this many entries (they had more pages loaded). */
  private reloadLimit = new Map<string, number>();
  private connectedTo: Connected | undefined;
  private visible = false;
  private stopWatch: (() => Promise<void>) | undefined;
  private watchGeneration = 0;
  private pendingKeys = new Set<string>();
  private debounce: NodeJS.Timeout | undefined;
  private firstPending = 0;
  /** Number of directory reloads caused by watch events (for tests). */
  watchReloads = 0;

  constructor(private readonly connection: ClusterConnection) {
    this.disposables.push(
      connection.onDidChange(() => {
        if (connection.current !== this.connectedTo) {
          this.connectedTo = connection.current;
          this.reset();
          this.updateWatch();
        }
      }),
    );
  }

  /** Follows the view's visibility: the watch runs only while it is visible. */
  attach(view: vscode.TreeView<ClusterNode>): void {
    this.visible = view.visible;
    this.disposables.push(
      view.onDidChangeVisibility((event) => {
        this.visible = event.visible;
        this.updateWatch();
      }),
    );
    this.updateWatch();
  }

  get watching(): boolean {
    return this.stopWatch !== undefined;
  }

  private get pageSize(): number {
    const n = vscode.workspace.getConfiguration().get<number>(pageSizeSetting, 100);
    return Number.isFinite(n) ? Math.min(5_000, Math.max(10, Math.floor(n))) : 100;
  }

  /** Everything reloads (the refresh button). */
  refresh(): void {
    this.pages.clear();
    this.reloadLimit.clear();
    this.changed.fire(undefined);
  }

  private reset(): void {
    this.pages.clear();
    this.dirs.clear();
    this.reloadLimit.clear();
    this.pendingKeys.clear();
    this.changed.fire(undefined);
  }

  getTreeItem(node: ClusterNode): vscode.TreeItem | Promise<vscode.TreeItem> {
    return node.getTreeItem();
  }

  getParent(node: ClusterNode): ClusterNode | undefined {
    return node.parent;
  }

  /** The stable node of a directory (the same object each time, so it can be refreshed alone). */
  dir(space: Keyspace, prefix: string): KeyDirNode {
    const id = idOf(space, prefix);
    let node = this.dirs.get(id);
    if (!node) {
      const isRoot = prefix === '/';
      const label = isRoot ? (space === 'v2' ? 'etcd v2' : 'etcd v3') : prefix.slice(prefix.lastIndexOf('/', prefix.length - 2) + 1, -1) || '(empty)';
      const parentPrefix = isRoot ? undefined : ancestorPrefixes(prefix)[0];
      const parent = parentPrefix !== undefined && !(parentPrefix === '/' && this.rootHidden(space)) ? this.dir(space, parentPrefix) : undefined;
      node = new KeyDirNode(space, prefix, label, { children: (d) => this.children(d) }, parent, isRoot);
      this.dirs.set(id, node);
    }
    return node;
  }

  /** Without the v2 key space, the v3 root is not shown: its children are the top level. */
  private rootHidden(space: Keyspace): boolean {
    return space === 'v3' && !this.connection.current?.config.etcd.v2;
  }

  async getChildren(node?: ClusterNode): Promise<ClusterNode[]> {
    if (node) return node.getChildren?.() ?? [];
    const c = this.connection.current;
    if (!c || this.connection.state === 'connecting') return [];
    if (c.config.etcd.v2) return [this.dir('v3', '/'), this.dir('v2', '/')];
    return this.children(this.dir('v3', '/'));
  }

  private async children(dir: KeyDirNode): Promise<ClusterNode[]> {
    const id = idOf(dir.space, dir.prefix);
    let pages = this.pages.get(id);
    if (!pages) {
      try {
        pages = await this.loadPage(dir, undefined, this.reloadLimit.get(id) ?? this.pageSize);
      } catch (error) {
        return [new MessageNode(`Cannot list ${dir.prefix}: ${error instanceof Error ? error.message : String(error)}`, 'error', undefined, dir)];
      }
      this.pages.set(id, pages);
      this.reloadLimit.delete(id);
    }
    const list = [...pages.children];
    if (pages.next !== undefined) list.push(new LoadMoreNode(dir, pages.count));
    if (list.length === 0) list.push(new MessageNode(dir.prefix === '/' ? 'no keys' : 'empty', 'info', undefined, dir));
    return list;
  }

  private parentFor(dir: KeyDirNode): KeyDirNode | undefined {
    return dir.prefix === '/' && this.rootHidden(dir.space) ? undefined : dir;
  }

  private async loadPage(dir: KeyDirNode, after: string | undefined, limit: number): Promise<DirPages> {
    const c = this.connection.current;
    if (!c) return { children: [], count: 0 };
    const parent = this.parentFor(dir);
    if (dir.space === 'v3') {
      const page = await c.core.listLevel(c.cluster, dir.prefix, { limit, after });
      const leaves = page.entries.filter((e) => !e.dir).map((e) => e.key);
      const values = leaves.length > 0 ? await readLeafValues(c.cluster, leaves) : new Map();
      const children: ClusterNode[] = page.entries.map((e) => (e.dir ? this.dir('v3', e.key) : new KeyNode('v3', e.key, e.name || '(empty)', values.get(e.key), parent)));
      return { children, next: page.next, count: page.entries.length };
    }
    const nodes = await c.core.listV2(c.cluster, dir.prefix);
    const children: ClusterNode[] = nodes.slice(0, V2_MAX).map((n) => {
      const name = n.key.slice(n.key.lastIndexOf('/') + 1);
      return n.dir
        ? this.dir('v2', `${n.key}/`)
        : new KeyNode('v2', n.key, name, { value: n.value ?? '', lease: '0', modRevision: String(n.modifiedIndex ?? ''), version: '', ttl: n.ttl, grantedTtl: undefined }, parent);
    });
    if (nodes.length > V2_MAX) children.push(new MessageNode(`${nodes.length - V2_MAX} more keys not shown`, 'info', undefined, dir));
    return { children, count: children.length };
  }

  /** Appends the next page of a directory. */
  async loadMore(dir: KeyDirNode): Promise<void> {
    const id = idOf(dir.space, dir.prefix);
    const pages = this.pages.get(id);
    if (!pages || pages.next === undefined) return;
    const more = await this.loadPage(dir, pages.next, this.pageSize);
    this.pages.set(id, { children: [...pages.children, ...more.children], next: more.next, count: pages.count + more.count });
    this.fireDir(dir);
  }

  /** Reloads one directory (keeps as many entries as were loaded). */
  reloadDir(dir: KeyDirNode): void {
    const id = idOf(dir.space, dir.prefix);
    const pages = this.pages.get(id);
    if (pages) this.reloadLimit.set(id, Math.max(this.pageSize, pages.count));
    this.pages.delete(id);
    this.fireDir(dir);
  }

  private fireDir(dir: KeyDirNode): void {
    this.changed.fire(dir.prefix === '/' && this.rootHidden(dir.space) ? undefined : dir);
  }

  // ── live updates ────────────────────────────────────────────────────────────────────────────

  private updateWatch(): void {
    const want = this.visible && this.connection.current !== undefined;
    if (want && !this.stopWatch) void this.startWatch();
    else if (!want && this.stopWatch) this.endWatch();
  }

  private async startWatch(): Promise<void> {
    const c = this.connection.current;
    if (!c) return;
    const generation = ++this.watchGeneration;
    const stops: Array<() => Promise<void>> = [];
    this.stopWatch = async () => {
      for (const stop of stops) await stop().catch(() => undefined);
    };
    try {
      const stop = await c.core.watchKeys(c.cluster, '/', (event) => this.onKeyEvent('v3', event.key, event.type), {
        prefix: true,
        onError: (error) => clusterLog().warn(`etcd watch: ${error.message}`),
      });
      if (generation !== this.watchGeneration) return void (await stop().catch(() => undefined));
      stops.push(stop);
    } catch (error) {
      clusterLog().warn(`etcd watch could not start: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (c.config.etcd.v2) {
      let stopped = false;
      stops.push(async () => {
        stopped = true;
      });
      void (async () => {
        let index: number | undefined;
        while (!stopped && generation === this.watchGeneration) {
          try {
            const change = await c.core.waitV2(c.cluster, '/', index, 25_000);
            index = change.node?.modifiedIndex ?? index;
            if (change.node?.key) this.onKeyEvent('v2', change.node.key, change.action === 'delete' || change.action === 'expire' ? 'delete' : 'put');
          } catch (error) {
            if ((error as { kind?: string }).kind !== 'timeout') await new Promise((r) => setTimeout(r, 2_000));
          }
        }
      })();
    }
  }

  private endWatch(): void {
    this.watchGeneration++;
    const stop = this.stopWatch;
    this.stopWatch = undefined;
    void stop?.();
  }

  private onKeyEvent(space: Keyspace, key: string, type: 'put' | 'delete'): void {
    this.pendingKeys.add(`${space}\u0000${type}\u0000${key}`);
    if (!this.debounce) this.firstPending = Date.now();
    clearTimeout(this.debounce);
    const wait = Math.max(0, Math.min(DEBOUNCE_MS, this.firstPending + MAX_WAIT_MS - Date.now()));
    this.debounce = setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    this.debounce = undefined;
    const keys = [...this.pendingKeys];
    this.pendingKeys.clear();
    const reload = new Map<string, KeyDirNode>();
    for (const entry of keys) {
      const [space, type, key] = entry.split('\u0000') as [Keyspace, 'put' | 'delete', string];
      const ancestors = ancestorPrefixes(key);
      const loadedAt = ancestors.findIndex((p) => this.pages.has(idOf(space, p)));
      if (loadedAt < 0) continue;
      const prefix = ancestors[loadedAt]!;
      // A put deep inside a directory that is already listed changes nothing visible.
      if (loadedAt > 0 && type === 'put') {
        const child = ancestors[loadedAt - 1]!;
        if (this.pages.get(idOf(space, prefix))!.children.some((n) => n instanceof KeyDirNode && n.prefix === child)) continue;
      }
      reload.set(idOf(space, prefix), this.dir(space, prefix));
    }
    for (const dir of reload.values()) {
      this.watchReloads++;
      this.reloadDir(dir);
    }
  }

  dispose(): void {
    this.endWatch();
    clearTimeout(this.debounce);
    for (const d of this.disposables) d.dispose();
    this.changed.dispose();
  }
}
