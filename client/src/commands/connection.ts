// Connect / Disconnect / Forget Secrets / Refresh / Reconcile Now, the status bar's action list,
// and the ways out of the welcome view (settings, output, the README's local cluster section).
import * as vscode from 'vscode';
import { clusterLog } from '../connection/log';
import { showClusterActions } from '../statusBar';
import { optionsArg, registerClusterCommand, type CommandDeps } from './guard';

export function registerConnectionCommands(deps: CommandDeps): void {
  const { connection, context } = deps;

  registerClusterCommand(deps, 'unitFleet.connect', 'Connecting to the cluster', async (options?: unknown) => {
    const interactive = optionsArg<{ interactive: boolean }>(options).interactive;
    const ok = await connection.connect({ interactive: interactive ?? true });
    return ok ? connection.state : undefined;
  });

  registerClusterCommand(deps, 'unitFleet.disconnect', 'Disconnecting', async () => {
    await connection.disconnect();
    return connection.state;
  });

  registerClusterCommand(
    deps,
    'unitFleet.forgetSecrets',
    'Forgetting secrets',
    async (options?: unknown) => {
      const reconnect = optionsArg<{ reconnect: boolean }>(options).reconnect === true;
      const n = await connection.secrets.forget();
      clusterLog().info(`forgot ${n} stored secret${n === 1 ? '' : 's'}`);
      void vscode.window.showInformationMessage(`Unit Fleet: forgot ${n} stored secret${n === 1 ? '' : 's'}${reconnect ? '; reconnecting' : ''}.`);
      if (reconnect) await connection.connect();
      return n;
    },
    { needsTrust: false },
  );

  registerClusterCommand(deps, 'unitFleet.refresh', 'Refreshing the cluster views', async () => {
    if (!connection.isConnected) return undefined;
    deps.views.machines.refresh();
    return connection.refresh();
  });

  registerClusterCommand(deps, 'unitFleet.reconcile', 'Reconcile', async () => {
    const c = await connection.ensureConnected();
    const report = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Reconciling the cluster' }, (progress) =>
      connection.withProgress((message) => progress.report({ message }), () => c.core.reconcileOnce(c.cluster)),
    );
    const parts = [
      report.dead.length > 0 && `dead: ${report.dead.join(', ')}`,
      ...report.moved.map((m) => `moved ${m.unit} ${m.from.join(',') || '-'} → ${m.to.join(',') || '-'}`),
      report.started.length > 0 && `started ${report.started.map((s) => `${s.unit} on ${s.machine}`).join(', ')}`,
      report.removed.length > 0 && `removed stale ${report.removed.map((s) => `${s.unit} on ${s.machine}`).join(', ')}`,
      report.unplaced.length > 0 && `cannot place ${report.unplaced.map((u) => `${u.unit} (${u.reasons.join('; ')})`).join(', ')}`,
      ...report.failures.map((f) => `${f.machine}: ${f.error ?? 'failed'}`),
    ].filter((p): p is string => typeof p === 'string');
    const summary = parts.length > 0 ? parts.join('; ') : 'everything is in line';
    clusterLog().info(`reconcile (${report.durationMs} ms): ${summary}`);
    if (report.failures.length > 0 || report.unplaced.length > 0) {
      void vscode.window.showWarningMessage(`Unit Fleet: reconcile — ${summary}`, 'Show Output').then((choice) => choice && clusterLog().show(true));
    } else void vscode.window.showInformationMessage(`Unit Fleet: reconcile — ${summary}`);
    deps.views.machines.refresh();
    await connection.refresh();
    return report;
  });

  registerClusterCommand(deps, 'unitFleet.showActions', 'Cluster actions', () => showClusterActions(connection), { needsTrust: false });

  context.subscriptions.push(
    vscode.commands.registerCommand('unitFleet.openSettings', () => vscode.commands.executeCommand('workbench.action.openSettings', 'unitFleet.cluster')),
    vscode.commands.registerCommand('unitFleet.showOutput', () => clusterLog().show(true)),
    vscode.commands.registerCommand('unitFleet.openLocalClusterDocs', async () => {
      // README.md in the repository; vsce packages it as readme.md.
      let readme = vscode.Uri.joinPath(context.extensionUri, 'README.md');
      if (!(await vscode.workspace.fs.stat(readme).then(() => true, () => false))) readme = vscode.Uri.joinPath(context.extensionUri, 'readme.md');
      await vscode.commands.executeCommand('markdown.showPreview', readme.with({ fragment: 'the-local-cluster' }));
    }),
  );
}
