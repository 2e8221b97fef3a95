// A unit on a machine (systemd's view on that machine), with the containers it runs under it.
import * as vscode from 'vscode';
import type { ContainerInfo } from '../../cluster/docker';
import type { UnitOnMachine } from '../../cluster/machines';
import { stateText, unitStateIcon } from '../common/icons';
import type { ClusterNode, UnitTarget } from '../common/node';
import { ContainerNode } from './containerNode';

export class MachineUnitNode implements ClusterNode, UnitTarget {
  readonly kind = 'machineUnit';
  constructor(
    readonly machine: string,
    readonly unit: UnitOnMachine,
    /** Desired state in the registry (undefined: not in the registry, e.g. a stale copy). */
    readonly desired: string | undefined,
    readonly containers: ContainerInfo[],
    readonly parent?: ClusterNode,
  ) {}

  get displayName(): string {
    return this.unit.name;
  }

  unitNames(): string[] {
    return [this.unit.name];
  }

  journalUnits(): string[] {
    return [this.unit.name];
  }

  journalTitle(): string {
    return `Journal: ${this.unit.name}`;
  }

  fileNames(): string[] {
    const m = /^([^@]+)@([^.]+)\.([a-z]+)$/.exec(this.unit.name);
    return m ? [this.unit.name, `${m[1]}@.${m[3]}`] : [this.unit.name];
  }

  getTreeItem(): vscode.TreeItem {
    const u = this.unit;
    const item = new vscode.TreeItem(u.name, this.containers.length > 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    item.id = `machine:${this.machine}/unit:${u.name}`;
    const live = stateText(u.active, u.sub);
    item.description = this.desired === undefined ? `${live} · not in the registry` : this.desired === 'launched' || this.desired === 'loaded' ? live : `${live} · desired ${this.desired}`;
    item.iconPath = unitStateIcon(u.active, u.sub);
    item.contextValue = this.desired === undefined ? 'unit.stale' : `unit.${this.desired}`;
    item.tooltip = new vscode.MarkdownString(
      [`**${u.name}** on ${this.machine}`, '', `- load: ${u.load}`, `- active: ${u.active} (${u.sub})`, `- desired: ${this.desired ?? 'not in the registry'}`, ...this.containers.map((c) => `- container \`${c.name}\`: ${c.status}`)].join('\n'),
    );
    return item;
  }

  getChildren(): ClusterNode[] {
    return this.containers.map((c) => new ContainerNode(c, this));
  }
}
