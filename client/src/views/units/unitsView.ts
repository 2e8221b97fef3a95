// The Units view: the registry's units (desired vs. actual state, machine), template instances
// grouped under their template. Filled from the connection's snapshot; refreshed with it.
import * as vscode from 'vscode';
import type { ClusterConnection } from '../../connection/connection';
import { MessageNode, type ClusterNode } from '../common/node';
import { unitsModel } from './model';
import { TemplateNode } from './templateNode';
import { UnitNode } from './unitNode';

export class UnitsTreeProvider implements vscode.TreeDataProvider<ClusterNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ClusterNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly connection: ClusterConnection) {
    this.subscription = connection.onDidChange(() => this.changed.fire(undefined));
  }

  getTreeItem(node: ClusterNode): vscode.TreeItem | Promise<vscode.TreeItem> {
    return node.getTreeItem();
  }

  getParent(node: ClusterNode): ClusterNode | undefined {
    return node.parent;
  }

  getChildren(node?: ClusterNode): ClusterNode[] | Promise<ClusterNode[]> {
    if (node) return node.getChildren?.() ?? [];
    const snapshot = this.connection.snapshot;
    if (!this.connection.isConnected || !snapshot) return [];
    if (!snapshot.state) return [new MessageNode(`Cannot read the registry from etcd: ${snapshot.stateError ?? 'unknown error'}`, 'error')];
    const model = unitsModel(snapshot);
    if (model.length === 0) return [new MessageNode('No units yet: right-click a unit file → Deploy to Cluster', 'info')];
    return model.map((entry) => (entry.kind === 'unit' ? new UnitNode(entry.row) : new TemplateNode(entry.group)));
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
