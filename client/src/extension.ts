// Activation: starts the bundled language server (restarted by vscode-languageclient when it dies),
// registers the journal viewer, the cluster connection, its status bar item, the sidebar views and
// the cluster commands. The cluster core (SSH, etcd, Docker clients) loads on first connect only.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { LiveEtcdKeysRequest, LiveMachinesRequest, type LiveEtcdKeysParams } from '../../server/src/protocol';
import { registerClusterCommands } from './commands';
import { ReadonlyDocuments } from './commands/documents';
import { ClusterConnection } from './connection/connection';
import { definitionFileSetting, resolveDefinitionFile } from './connection/definitionFile';
import { lastClusterError } from './connection/errors';
import { clusterLog, disposeClusterLog } from './connection/log';
import { liveEtcdKeys, liveMachines } from './connection/liveRequests';
import { ClusterSecretStore } from './connection/secrets';
import { ClusterStatusBar } from './statusBar';
import { registerClusterViews, type ClusterViews } from './views/clusterViews';
import { registerJournalViewer, type JournalViewerApi } from './views/journal';

let client: LanguageClient | undefined;

/** What activate() returns: the journal viewer and, for tests and other extensions, the cluster side. */
export interface UnitFleetApi extends JournalViewerApi {
  cluster: {
    connection: ClusterConnection;
    views: ClusterViews;
    statusBar: ClusterStatusBar;
    /** The last cluster failure shown to the user (what, message, kind). */
    lastError(): typeof lastClusterError;
  };
  languageClient(): LanguageClient | undefined;
  /** How long activate() took (ms). */
  activationMs: number;
}

export const autoConnectSetting = 'unitFleet.cluster.autoConnect';

export async function activate(context: vscode.ExtensionContext): Promise<UnitFleetApi> {
  const started = performance.now();
  const journalViewer = registerJournalViewer(context);

  // ── cluster side ────────────────────────────────────────────────────────────────────────────
  const connection = new ClusterConnection(new ClusterSecretStore(context));
  const documents = new ReadonlyDocuments();
  const statusBar = new ClusterStatusBar(connection);
  const views = registerClusterViews(context, connection);
  context.subscriptions.push(connection, documents, statusBar, { dispose: disposeClusterLog });
  registerClusterCommands({ context, connection, openJournal: journalViewer.openJournal, documents, views });
  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(() => statusBar.update()),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration(definitionFileSetting) || !connection.isConnected) return;
      void vscode.window.showInformationMessage('Unit Fleet: the cluster definition setting changed.', 'Reconnect').then((choice) => {
        if (choice === 'Reconnect') void connection.connect();
      });
    }),
  );
  if (vscode.workspace.isTrusted && vscode.workspace.getConfiguration().get<boolean>(autoConnectSetting, false) && resolveDefinitionFile().exists) {
    void connection.connect();
  }

  // ── language client ─────────────────────────────────────────────────────────────────────────
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const output = vscode.window.createOutputChannel('Unit Fleet Language Server', { log: true });
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'systemd-unit' }],
    synchronize: {
      configurationSection: 'unitFleet',
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{service,socket,timer,mount,automount,swap,target,path,slice,scope}'),
    },
    outputChannel: output,
    traceOutputChannel: output,
    // The default error handler restarts a server that dies (up to 4 times in 3 minutes).
  };
  client = new LanguageClient('unitFleet', 'Unit Fleet', serverOptions, clientOptions);
  // The server asks about the connected cluster; with none, the answers are empty.
  client.onRequest(LiveMachinesRequest.method, () => liveMachines(connection));
  client.onRequest(LiveEtcdKeysRequest.method, (params: LiveEtcdKeysParams) => liveEtcdKeys(connection, params));
  context.subscriptions.push(output);
  // Not awaited: activation stays fast; the client queues requests until the server is up.
  client.start().catch((error: unknown) => output.error(`the language server did not start: ${error instanceof Error ? error.message : String(error)}`));

  const activationMs = performance.now() - started;
  clusterLog().debug(`activated in ${activationMs.toFixed(1)} ms`);
  return {
    ...journalViewer,
    cluster: { connection, views, statusBar, lastError: () => lastClusterError },
    languageClient: () => client,
    activationMs,
  };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
