// The cluster status bar item: connected / degraded (some machines down, or etcd unreadable) /
// disconnected, with machines up N/M. A click opens a quick pick of cluster actions.
import * as vscode from 'vscode';
import type { ClusterConnection } from './connection/connection';
import { machinesUp } from './connection/snapshot';

export const showActionsCommand = 'unitFleet.showActions';

export class ClusterStatusBar implements vscode.Disposable {
  readonly item: vscode.StatusBarItem;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly connection: ClusterConnection) {
    this.item = vscode.window.createStatusBarItem('unitFleet.cluster', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'Unit Fleet Cluster';
    this.item.command = showActionsCommand;
    this.subscription = connection.onDidChange(() => this.update());
    this.update();
    this.item.show();
  }

  update(): void {
    const { item, connection } = this;
    const snapshot = connection.snapshot;
    const name = connection.current?.config.name;
    item.backgroundColor = undefined;
    switch (connection.state) {
      case 'disconnected':
        item.text = '$(debug-disconnect) Unit Fleet';
        item.tooltip = 'Unit Fleet: not connected to a cluster. Click for actions.';
        item.accessibilityInformation = { label: 'Unit Fleet: disconnected' };
        break;
      case 'connecting':
        item.text = '$(sync~spin) Unit Fleet';
        item.tooltip = 'Unit Fleet: connecting…';
        item.accessibilityInformation = { label: 'Unit Fleet: connecting' };
        break;
      case 'connected':
      case 'degraded': {
        const { up, total } = snapshot ? machinesUp(snapshot) : { up: 0, total: connection.current?.config.machines.length ?? 0 };
        const degraded = connection.state === 'degraded';
        item.text = `${degraded ? '$(warning)' : '$(server-environment)'} ${name} ${up}/${total}`;
        if (degraded) item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
        const md = new vscode.MarkdownString(undefined, true);
        md.appendMarkdown(`**Unit Fleet: ${name}** — ${degraded ? 'degraded' : 'connected'}\n\n`);
        md.appendMarkdown(`machines up: ${up}/${total}\n\n`);
        for (const m of snapshot?.machines ?? []) md.appendMarkdown(`- ${m.alive ? '$(pass)' : '$(error)'} ${m.name}${m.error ? ` — ${m.error.replace(/[\\`*_[\]]/g, '\\$&')}` : ''}\n`);
        if (snapshot?.stateError) md.appendMarkdown(`\n$(warning) etcd: ${snapshot.stateError}\n`);
        if (snapshot) md.appendMarkdown(`\nrefreshed ${new Date(snapshot.at).toLocaleTimeString()} (${snapshot.durationMs} ms). Click for actions.`);
        item.tooltip = md;
        item.accessibilityInformation = { label: `Unit Fleet: ${degraded ? 'degraded' : 'connected'} to ${name}, ${up} of ${total} machines up` };
        break;
      }
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}

/** The status bar's quick pick: what can be done from here, given the state. */
export async function showClusterActions(connection: ClusterConnection): Promise<void> {
  const connected = connection.isConnected;
  const editor = vscode.window.activeTextEditor;
  const items: Array<vscode.QuickPickItem & { command?: string }> = [
    ...(connected
      ? [
          { label: '$(refresh) Refresh', description: 'machines and units', command: 'unitFleet.refresh' },
          { label: '$(sync) Reconcile Now', description: 'reschedule units of dead machines', command: 'unitFleet.reconcile' },
          ...(editor?.document.languageId === 'systemd-unit' ? [{ label: '$(cloud-upload) Deploy to Cluster', description: editor.document.fileName.split('/').pop(), command: 'unitFleet.deploy' }] : []),
          { label: '$(plug) Reconnect', command: 'unitFleet.connect' },
          { label: '$(debug-disconnect) Disconnect', command: 'unitFleet.disconnect' },
        ]
      : [{ label: '$(plug) Connect to Cluster', description: connection.definition?.written, command: 'unitFleet.connect' }]),
    { label: '$(list-tree) Show Cluster Views', command: 'workbench.view.extension.unitFleet' },
    { label: '$(gear) Open Settings', command: 'unitFleet.openSettings' },
    { label: '$(output) Show Output', command: 'unitFleet.showOutput' },
    { label: '$(key) Forget Secrets', description: 'stored passwords and passphrases', command: 'unitFleet.forgetSecrets' },
  ];
  const choice = await vscode.window.showQuickPick(items, { title: 'Unit Fleet', placeHolder: connected ? `Cluster ${connection.current?.config.name}: ${connection.state}` : 'Not connected' });
  if (choice?.command) await vscode.commands.executeCommand(choice.command);
}
