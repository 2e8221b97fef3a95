// A key (a leaf) in the etcd Keys view: the value's first line as the description, TTL and lease
// in the description and tooltip.
import * as vscode from 'vscode';
import type { ClusterNode } from '../common/node';
import { leaseHex, preview, type LeafValue } from './values';

export type Keyspace = 'v3' | 'v2';

export class KeyNode implements ClusterNode {
  readonly kind = 'etcdKey';
  constructor(
    readonly space: Keyspace,
    readonly key: string,
    readonly name: string,
    readonly value: LeafValue | undefined,
    readonly parent?: ClusterNode,
  ) {}

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.name, vscode.TreeItemCollapsibleState.None);
    item.id = `${this.space}:${this.key}`;
    const v = this.value;
    const ttl = v?.ttl !== undefined && v.ttl >= 0 ? `ttl ${v.ttl}s` : undefined;
    item.description = v ? [preview(v.value) || '""', ttl].filter(Boolean).join(' · ') : '';
    item.iconPath = new vscode.ThemeIcon(ttl ? 'watch' : 'key');
    item.contextValue = `etcdKey.${this.space}`;
    const tooltip = new vscode.MarkdownString();
    tooltip.appendMarkdown(`**${this.key}** (etcd ${this.space})\n\n`);
    if (v) {
      tooltip.appendCodeblock(v.value.length > 2000 ? `${v.value.slice(0, 2000)}\n…` : v.value, 'text');
      const facts: string[] = [];
      if (v.lease && v.lease !== '0') facts.push(`lease \`${leaseHex(v.lease)}\``);
      if (ttl) facts.push(`${ttl} left${v.grantedTtl ? ` of ${v.grantedTtl}s` : ''} (when read)`);
      if (v.modRevision) facts.push(`mod revision ${v.modRevision}, version ${v.version}`);
      if (facts.length) tooltip.appendMarkdown(facts.join(' · '));
    }
    item.tooltip = tooltip;
    item.command = { command: 'unitFleet.key.get', title: 'Get Value', arguments: [this] };
    return item;
  }
}
