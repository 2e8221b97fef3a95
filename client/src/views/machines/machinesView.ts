// The Machines view: machine → units on it (state icons) → containers. Machines come from the
// connection's snapshot; a machine's containers are asked from its Docker (over the pooled SSH
// connection) when it is expanded, once per snapshot.
import * as vscode from 'vscode';
import type { ContainerInfo } from '../../cluster/docker';
import type { ClusterConnection } from '../../connection/connection';
import { MessageNode, type ClusterNode } from '../common/node';
import { MachineNode } from './machineNode';

export class MachinesTreeProvider implements vscode.TreeDataProvider<ClusterNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ClusterNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;
  private containerCache = new Map<string, { at: number; result: Promise<ContainerInfo[] | Error | undefined> }>();
  /** How long the last expansion of each machine took (ms). */
  readonly expansionMs = new Map<string, number>();

  constructor(private readonly connection: ClusterConnection) {
    this.subscription = connection.onDidChange(() => this.changed.fire(undefined));
  }

  getTreeItem(node: ClusterNode): vscode.TreeItem | Promise<vscode.TreeItem> {
    return node.getTreeItem();
  }

  getParent(node: ClusterNode): ClusterNode | undefined {
    return node.parent;
  }

  async getChildren(node?: ClusterNode): Promise<ClusterNode[]> {
    if (node) {
      const started = performance.now();
      const children = await (node.getChildren?.() ?? []);
      if (node instanceof MachineNode) this.expansionMs.set(node.name, performance.now() - started);
      return children;
    }
    const snapshot = this.connection.snapshot;
    if (!this.connection.isConnected || !snapshot) return [];
    const nodes: ClusterNode[] = snapshot.machines.map((m) => new MachineNode(m, this.childrenSource(snapshot.at)));
    if (snapshot.stateError) nodes.push(new MessageNode(`etcd: ${snapshot.stateError}`, 'warning'));
    return nodes;
  }

  private childrenSource(at: number) {
    return {
      containers: (machine: string) => this.containers(machine, at),
      desired: (unit: string) => this.connection.snapshot?.state?.units.get(unit)?.desired,
    };
  }

  /** The machine's containers, asked once per snapshot (a refresh that expands it again reuses them). */
  private containers(machine: string, at: number): Promise<ContainerInfo[] | Error | undefined> {
    const c = this.connection.current;
    if (!c || !c.config.docker.enabled) return Promise.resolve(undefined);
    const cached = this.containerCache.get(machine);
    if (cached && cached.at >= at) return cached.result;
    const result = c.core.listContainers(c.cluster, { machines: [machine] }).then(
      ([entry]) => (entry?.error ? new Error(entry.error) : (entry?.containers ?? [])),
      (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
    );
    this.containerCache.set(machine, { at, result });
    return result;
  }

  /** Forgets cached containers (e.g. after a deploy) and redraws. */
  refresh(): void {
    this.containerCache = new Map();
    this.changed.fire(undefined);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
