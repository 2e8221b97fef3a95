// "Load more…" at the end of a directory's page in the etcd Keys view.
import * as vscode from 'vscode';
import type { ClusterNode } from '../common/node';
import type { KeyDirNode } from './keyDirNode';

export class LoadMoreNode implements ClusterNode {
  readonly kind = 'etcdLoadMore';
  constructor(
    readonly dir: KeyDirNode,
    readonly loaded: number,
  ) {}

  get parent(): ClusterNode {
    return this.dir;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Load more…', vscode.TreeItemCollapsibleState.None);
    item.id = `${this.dir.space}:${this.dir.prefix}\u0000more`;
    item.description = `${this.loaded} shown`;
    item.iconPath = new vscode.ThemeIcon('ellipsis');
    item.contextValue = 'etcdLoadMore';
    item.command = { command: 'unitFleet.keys.loadMore', title: 'Load More', arguments: [this.dir] };
    return item;
  }
}
