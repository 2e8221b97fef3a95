// The "Unit Fleet" activity-bar container's views: Machines, Units, etcd Keys.
import * as vscode from 'vscode';
import type { ClusterConnection } from '../connection/connection';
import type { ClusterNode } from './common/node';
import { KeysTreeProvider } from './keys/keysView';
import { MachinesTreeProvider } from './machines/machinesView';
import { UnitsTreeProvider } from './units/unitsView';

export interface ClusterViews {
  machines: MachinesTreeProvider;
  units: UnitsTreeProvider;
  keys: KeysTreeProvider;
  trees: { machines: vscode.TreeView<ClusterNode>; units: vscode.TreeView<ClusterNode>; keys: vscode.TreeView<ClusterNode> };
}

export function registerClusterViews(context: vscode.ExtensionContext, connection: ClusterConnection): ClusterViews {
  const machines = new MachinesTreeProvider(connection);
  const units = new UnitsTreeProvider(connection);
  const keys = new KeysTreeProvider(connection);
  const trees = {
    machines: vscode.window.createTreeView('unitFleet.machines', { treeDataProvider: machines, showCollapseAll: true }),
    units: vscode.window.createTreeView('unitFleet.units', { treeDataProvider: units, showCollapseAll: true }),
    keys: vscode.window.createTreeView('unitFleet.keys', { treeDataProvider: keys, showCollapseAll: true }),
  };
  keys.attach(trees.keys);
  const describe = (): void => {
    const name = connection.current?.config.name;
    trees.machines.description = name && connection.snapshot ? `${name} · ${connection.snapshot.machines.filter((m) => m.alive).length}/${connection.snapshot.machines.length} up` : undefined;
  };
  context.subscriptions.push(machines, units, keys, trees.machines, trees.units, trees.keys, connection.onDidChange(describe));
  return { machines, units, keys, trees };
}
