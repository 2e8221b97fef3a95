// A "directory" of the etcd Keys view: keys split on '/'. Its children are read one level at a
// time, a page at a time (the core's skip scan for v3; the v2 API lists a directory whole), with
// the leaves' values filled in for the previews. The root of a key space is a KeyDirNode for '/'.
import * as vscode from 'vscode';
import type { ClusterNode } from '../common/node';
import type { KeyNode, Keyspace } from './keyNode';

/** What the provider keeps per directory (so that Load more appends, and watches reload just it). */
export interface DirPages {
  children: ClusterNode[];
  /** Pass as `after` for the next page (v3); undefined when complete. */
  next?: string;
  /** Entries loaded so far (directories and keys). */
  count: number;
}

export interface DirLoader {
  children(dir: KeyDirNode): Promise<ClusterNode[]>;
}

export class KeyDirNode implements ClusterNode {
  readonly kind = 'etcdDir';
  constructor(
    readonly space: Keyspace,
    /** The full prefix, ending in '/'. */
    readonly prefix: string,
    /** Shown label: the last segment with '/', or the key space's name for a root. */
    readonly label: string,
    private readonly loader: DirLoader,
    readonly parent?: ClusterNode,
    readonly isRoot = false,
  ) {}

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, this.isRoot ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `${this.space}:${this.prefix}${this.isRoot ? '\u0000root' : ''}`;
    item.iconPath = new vscode.ThemeIcon(this.isRoot ? 'database' : 'folder');
    item.description = this.isRoot ? (this.space === 'v2' ? 'v2 API key space (separate from v3)' : 'v3 API') : undefined;
    item.contextValue = this.isRoot ? `etcdKeyspace.${this.space}` : `etcdDir.${this.space}`;
    item.tooltip = `${this.prefix} (etcd ${this.space})`;
    return item;
  }

  getChildren(): Promise<ClusterNode[]> {
    return this.loader.children(this);
  }
}

export type KeyTreeNode = KeyDirNode | KeyNode;
