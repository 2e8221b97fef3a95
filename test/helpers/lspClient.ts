// Starts the BUILT language server (dist/server.js) as a child process and talks JSON-RPC to it
// over stdio, the way any editor would.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type InitializeParams,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';

export const SERVER_JS = join(__dirname, '..', '..', 'dist', 'server.js');

export interface LspSession {
  connection: ProtocolConnection;
  process: ChildProcess;
  /** Resolves with the next diagnostics published for `uri`. */
  nextDiagnostics(uri: string): Promise<PublishDiagnosticsParams>;
  open(uri: string, text: string, version?: number): Promise<Diagnostic[]>;
  close(): Promise<void>;
}

export async function startServer(options: { rootPath?: string; initializationOptions?: unknown; capabilities?: InitializeParams['capabilities'] } = {}): Promise<LspSession> {
  const child = spawn(process.execPath, [SERVER_JS, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const waiting = new Map<string, Array<(p: PublishDiagnosticsParams) => void>>();
  connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
    const list = waiting.get(p.uri);
    const next = list?.shift();
    if (next) next(p);
  });
  connection.listen();
  const rootUri = options.rootPath ? pathToFileURL(options.rootPath).toString() : null;
  await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri,
    workspaceFolders: rootUri ? [{ uri: rootUri, name: 'root' }] : null,
    capabilities: options.capabilities ?? {},
    initializationOptions: options.initializationOptions,
  });
  await connection.sendNotification(InitializedNotification.type, {});

  const nextDiagnostics = (uri: string) =>
    new Promise<PublishDiagnosticsParams>((resolve) => {
      const list = waiting.get(uri) ?? [];
      list.push(resolve);
      waiting.set(uri, list);
    });

  return {
    connection,
    process: child,
    nextDiagnostics,
    async open(uri, text, version = 1) {
      const diagnostics = nextDiagnostics(uri);
      await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'systemd-unit', version, text } });
      return (await diagnostics).diagnostics;
    },
    async close() {
      await connection.sendRequest(ShutdownRequest.type);
      await connection.sendNotification(ExitNotification.type);
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) resolve();
        else child.once('exit', () => resolve());
      });
      connection.dispose();
    },
  };
}
