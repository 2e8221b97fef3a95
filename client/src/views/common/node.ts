// One interface for every node of the cluster trees (the Kubernetes explorer's model): each kind
// of node is a class in its own file that knows its tree item and its children.
import * as vscode from 'vscode';

export interface ClusterNode {
  /** The node kind, e.g. 'machine', 'unit', 'etcdKey'. */
  readonly kind: string;
  /** The node this one was listed under (undefined at the top). */
  readonly parent?: ClusterNode;
  getTreeItem(): vscode.TreeItem | Promise<vscode.TreeItem>;
  getChildren?(): ClusterNode[] | Promise<ClusterNode[]>;
}

/** A line of text in a tree: an error, or "nothing here". */
export class MessageNode implements ClusterNode {
  readonly kind = 'message';
  constructor(
    readonly text: string,
    readonly icon: 'error' | 'warning' | 'info' = 'info',
    readonly tooltip?: string,
    readonly parent?: ClusterNode,
  ) {}

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.text, vscode.TreeItemCollapsibleState.None);
    item.iconPath = new vscode.ThemeIcon(this.icon, this.icon === 'error' ? new vscode.ThemeColor('errorForeground') : this.icon === 'warning' ? new vscode.ThemeColor('editorWarning.foreground') : undefined);
    item.tooltip = this.tooltip ?? this.text;
    item.contextValue = 'message';
    return item;
  }
}

/** A unit, or a group of units (a template's instances), that unit commands act on. */
export interface UnitTarget {
  /** Unit names the lifecycle commands act on. */
  unitNames(): string[];
  /** Units (or globs) whose journal Show Journal follows. */
  journalUnits(): string[];
  /** The journal panel's title. */
  journalTitle(): string;
  /** The file name to look for in the workspace (the template's for instances). */
  fileNames(): string[];
  /** Shown in confirmations and messages. */
  readonly displayName: string;
}

export function isUnitTarget(value: unknown): value is UnitTarget {
  return typeof value === 'object' && value !== null && typeof (value as UnitTarget).unitNames === 'function' && typeof (value as UnitTarget).journalUnits === 'function';
}
