// A machine of the cluster: liveness (etcd lease and SSH), address, metadata; expanding it lists the
// units Unit Fleet placed there (with systemd's state) and their containers.
import * as vscode from 'vscode';
import type { ContainerInfo } from '../../cluster/docker';
import type { MachineStatus } from '../../cluster/machines';
import { machineIcon } from '../common/icons';
import { MessageNode, type ClusterNode } from '../common/node';
import { ContainerNode } from './containerNode';
import { MachineUnitNode } from './machineUnitNode';

export interface MachineChildrenSource {
  /** Containers on the machine (undefined when Docker is off); an Error when Docker did not answer. */
  containers(machine: string): Promise<ContainerInfo[] | Error | undefined>;
  /** The registry's desired state of a unit. */
  desired(unit: string): string | undefined;
}

export class MachineNode implements ClusterNode {
  readonly kind = 'machine';
  readonly parent = undefined;
  constructor(
    readonly machine: MachineStatus,
    private readonly source: MachineChildrenSource,
  ) {}

  get name(): string {
    return this.machine.name;
  }

  getTreeItem(): vscode.TreeItem {
    const m = this.machine;
    const item = new vscode.TreeItem(m.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `machine:${m.name}`;
    // Short in the tree (the lease detail is in the tooltip): up / no ssh / down.
    const state = !m.alive ? 'down' : !m.reachable ? 'no ssh' : 'up';
    const units = m.units.length;
    item.description = `${m.host} · ${state}${m.reachable ? ` · ${units} unit${units === 1 ? '' : 's'}` : ''}`;
    item.iconPath = machineIcon(m.alive, m.reachable);
    item.contextValue = m.reachable ? 'machine.up' : 'machine.down';
    const meta = Object.entries(m.metadata).map(([k, v]) => `${k}=${v}`).join(', ');
    const lines = [
      `**${m.name}** — ${state}${m.alive && !m.presence ? ' (no presence lease yet: the machine joins on the first deploy or reconcile)' : ''}`,
      '',
      `- address: \`${m.host}\`${m.addresses?.length ? ` (${m.addresses.join(', ')})` : ''}`,
      ...(m.machineId ? [`- machine-id: \`${m.machineId}\``] : []),
      ...(m.hostname ? [`- hostname: \`${m.hostname}\``] : []),
      ...(m.systemdVersion ? [`- ${m.systemdVersion}`] : []),
      ...(meta ? [`- metadata: ${meta}`] : []),
      `- presence lease: ${m.presence ? 'alive' : 'none'} · ssh: ${m.reachable ? 'answers' : 'no answer'}`,
      ...(m.error ? ['', `$(warning) ${m.error}`] : []),
    ];
    item.tooltip = new vscode.MarkdownString(lines.join('\n'), true);
    return item;
  }

  async getChildren(): Promise<ClusterNode[]> {
    const m = this.machine;
    if (!m.reachable) return [new MessageNode(m.error ?? 'the machine does not answer over SSH', m.alive ? 'warning' : 'error', m.error, this)];
    const containers = await this.source.containers(m.name);
    const list = Array.isArray(containers) ? containers : [];
    const nodes: ClusterNode[] = m.units.map((u) => new MachineUnitNode(m.name, u, this.source.desired(u.name), list.filter((c) => c.unit === u.name), this));
    for (const c of list) if (!c.unit || !m.units.some((u) => u.name === c.unit)) nodes.push(new ContainerNode(c, this));
    if (containers instanceof Error) nodes.push(new MessageNode(`Docker: ${containers.message}`, 'warning', undefined, this));
    if (nodes.length === 0) nodes.push(new MessageNode('no units or containers', 'info', undefined, this));
    return nodes;
  }
}
