// Activation: starts the bundled language server. Cluster views and commands join here later.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { registerJournalViewer, type JournalViewerApi } from './views/journal';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<JournalViewerApi> {
  const journalViewer = registerJournalViewer(context);
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
  };
  client = new LanguageClient('unitFleet', 'Unit Fleet', serverOptions, clientOptions);
  context.subscriptions.push(output);
  await client.start();
  return journalViewer;
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
