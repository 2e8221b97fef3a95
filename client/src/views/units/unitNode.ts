// A unit of the registry in the Units view: desired state vs. systemd's state, and its machine(s).
import * as vscode from 'vscode';
import { stateText, unitStateIcon } from '../common/icons';
import type { ClusterNode, UnitTarget } from '../common/node';
import { liveSummary, type UnitRow } from './model';

export class UnitNode implements ClusterNode, UnitTarget {
  readonly kind = 'unit';
  constructor(
    readonly row: UnitRow,
    readonly parent?: ClusterNode,
  ) {}

  get displayName(): string {
    return this.row.name;
  }

  unitNames(): string[] {
    return [this.row.name];
  }

  journalUnits(): string[] {
    return [this.row.name];
  }

  journalTitle(): string {
    return `Journal: ${this.row.name}`;
  }

  fileNames(): string[] {
    const m = /^([^@]+)@([^.]+)\.([a-z]+)$/.exec(this.row.name);
    return m ? [this.row.name, `${m[1]}@.${m[3]}`] : [this.row.name];
  }

  getTreeItem(): vscode.TreeItem {
    const row = this.row;
    const item = new vscode.TreeItem(row.name, vscode.TreeItemCollapsibleState.None);
    item.id = `unit:${row.name}`;
    const first = row.states[0];
    const live = first ? (first.unknown ? 'unknown' : stateText(first.active, first.sub)) : '—';
    item.description = `${row.desired} · ${live}${row.machines.length > 0 ? ` · ${row.machines.join(', ')}` : ''}`;
    item.iconPath = first && !first.unknown ? unitStateIcon(first.active, first.sub) : row.desired === 'inactive' ? new vscode.ThemeIcon('circle-large-outline') : unitStateIcon(undefined);
    item.contextValue = `unit.${row.desired}`;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**${row.name}**\n\n`);
    tooltip.appendMarkdown(`- desired: \`${row.desired}\`\n- actual: ${liveSummary(row)}\n`);
    if (row.template) tooltip.appendMarkdown(`- template: \`${row.template}\`\n`);
    if (row.updatedAt) tooltip.appendMarkdown(`- changed: ${row.updatedAt}\n`);
    if (row.source) tooltip.appendMarkdown(`- submitted from: \`${row.source}\`\n`);
    item.tooltip = tooltip;
    item.accessibilityInformation = { label: `${row.name}, desired ${row.desired}, ${liveSummary(row)}` };
    return item;
  }
}
