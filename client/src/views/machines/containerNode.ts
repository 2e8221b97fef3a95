// A Docker container on a machine (under the unit that runs it, or under the machine).
import * as vscode from 'vscode';
import type { ContainerInfo } from '../../cluster/docker';
import type { ClusterNode } from '../common/node';

export class ContainerNode implements ClusterNode {
  readonly kind = 'container';
  constructor(
    readonly container: ContainerInfo,
    readonly parent?: ClusterNode,
  ) {}

  getTreeItem(): vscode.TreeItem {
    const c = this.container;
    const item = new vscode.TreeItem(c.name, vscode.TreeItemCollapsibleState.None);
    item.id = `container:${c.machine}/${c.id}`;
    item.description = `${c.image} · ${c.status}`;
    item.iconPath = new vscode.ThemeIcon('package', c.state === 'running' ? new vscode.ThemeColor('testing.iconPassed') : new vscode.ThemeColor('disabledForeground'));
    item.contextValue = `container.${c.state}`;
    item.tooltip = new vscode.MarkdownString(
      [`**${c.name}** on ${c.machine}`, '', `- id: \`${c.id.slice(0, 12)}\``, `- image: \`${c.image}\``, `- state: ${c.state} (${c.status})`, ...(c.ports.length ? [`- ports: ${c.ports.join(', ')}`] : []), ...(c.unit ? [`- unit: \`${c.unit}\``] : [])].join('\n'),
    );
    return item;
  }
}
