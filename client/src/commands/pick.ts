// For commands run from the palette (no tree node): pick a unit or a machine of the cluster.
import * as vscode from 'vscode';
import { Cancelled, type ClusterConnection } from '../connection/connection';
import type { UnitTarget } from '../views/common/node';
import { unitRows } from '../views/units/model';
import { UnitNode } from '../views/units/unitNode';

export async function pickUnit(connection: ClusterConnection, action: string): Promise<UnitTarget> {
  await connection.ensureConnected();
  const snapshot = connection.snapshot ?? (await connection.refresh());
  const rows = snapshot ? unitRows(snapshot) : [];
  if (rows.length === 0) {
    void vscode.window.showInformationMessage('Unit Fleet: the cluster has no units yet. Right-click a unit file → Deploy to Cluster.');
    throw new Cancelled();
  }
  const choice = await vscode.window.showQuickPick(
    rows.map((row) => ({ label: row.name, description: `${row.desired}${row.machines.length ? ` · ${row.machines.join(', ')}` : ''}`, row })),
    { title: `Unit Fleet: ${action}`, placeHolder: 'Unit' },
  );
  if (!choice) throw new Cancelled();
  return new UnitNode(choice.row);
}

export async function pickMachine(connection: ClusterConnection, action: string): Promise<string> {
  const { config } = await connection.ensureConnected();
  const snapshot = connection.snapshot;
  const choice = await vscode.window.showQuickPick(
    config.machines.map((m) => {
      const status = snapshot?.machines.find((s) => s.name === m.name);
      return { label: m.name, description: `${m.host}${status ? (status.alive ? ' · up' : ' · down') : ''}` };
    }),
    { title: `Unit Fleet: ${action}`, placeHolder: 'Machine' },
  );
  if (!choice) throw new Cancelled();
  return choice.label;
}
