// A template in the Units view, with its instances under it. Unit commands on it act on every
// instance; Show Journal follows all instances, merged across machines.
import * as vscode from 'vscode';
import type { ClusterNode, UnitTarget } from '../common/node';
import type { TemplateGroup } from './model';
import { UnitNode } from './unitNode';

export class TemplateNode implements ClusterNode, UnitTarget {
  readonly kind = 'unitTemplate';
  constructor(
    readonly group: TemplateGroup,
    readonly parent?: ClusterNode,
  ) {}

  get displayName(): string {
    const n = this.group.instances.length;
    return n > 0 ? `${n} instance${n === 1 ? '' : 's'} of ${this.group.template}` : this.group.template;
  }

  unitNames(): string[] {
    return this.group.instances.length > 0 ? this.group.instances.map((i) => i.name) : [this.group.template];
  }

  journalUnits(): string[] {
    return [this.group.template.replace('@.', '@*.')];
  }

  journalTitle(): string {
    return `Journal: ${this.group.template.replace(/@\.[a-z]+$/, '@*')}`;
  }

  fileNames(): string[] {
    return [this.group.template];
  }

  getTreeItem(): vscode.TreeItem {
    const { template, instances, record } = this.group;
    const item = new vscode.TreeItem(template, instances.length > 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    item.id = `template:${template}`;
    const active = instances.filter((i) => i.states.some((s) => s.active === 'active')).length;
    item.description = instances.length > 0 ? `${instances.length} instance${instances.length === 1 ? '' : 's'} · ${active} active` : record ? `template · ${record.desired}` : 'template';
    item.iconPath = new vscode.ThemeIcon('symbol-class');
    item.contextValue = 'unitTemplate';
    item.tooltip = new vscode.MarkdownString(
      `**${template}**\n\n${instances.map((i) => `- \`${i.name}\`: ${i.desired}${i.machines.length ? ` on ${i.machines.join(', ')}` : ''}`).join('\n') || 'no instances'}`,
    );
    return item;
  }

  getChildren(): ClusterNode[] {
    return this.group.instances.map((row) => new UnitNode(row, this));
  }
}
