// LSP glue only: the connection, open documents, capabilities and settings. Everything the
// server knows about unit files lives in the pure language service (./language).
import { createConnection, DidChangeConfigurationNotification, FileChangeType, ProposedFeatures, TextDocuments, TextDocumentSyncKind, type InitializeParams, type InitializeResult } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-types';
import type { LiveCluster } from './language/live';
import { UnitLanguageService } from './language/languageService';
import { settingsFrom } from './language/settings';
import { LiveEtcdKeysRequest, LiveMachinesRequest } from './protocol';
import { findUnitFiles } from './workspaceScan';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const service = new UnitLanguageService();
/** Last diagnostics sent per document, so re-checks of other files publish only real changes. */
const published = new Map<string, string>();

// Live cluster facts come from the client; any failure (no cluster, old client) means "none".
const live: LiveCluster = {
  machines: () => connection.sendRequest(LiveMachinesRequest, {}).then((r) => r ?? [], () => []),
  etcdKeys: (prefix, limit) => connection.sendRequest(LiveEtcdKeysRequest, { prefix, limit }).then((r) => r ?? [], () => []),
};
service.live = live;
let pullConfiguration = false;
let workspaceRoots: string[] = [];

connection.onInitialize((params: InitializeParams): InitializeResult => {
  pullConfiguration = params.capabilities.workspace?.configuration === true;
  service.configure(settingsFrom(params.initializationOptions));
  workspaceRoots = (params.workspaceFolders ?? []).map((f) => f.uri).concat(params.workspaceFolders ? [] : params.rootUri ? [params.rootUri] : []);
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      completionProvider: { triggerCharacters: ['=', '%', '[', ' ', '/'], resolveProvider: true },
      hoverProvider: true,
      documentSymbolProvider: true,
      foldingRangeProvider: true,
      codeActionProvider: { codeActionKinds: ['quickfix', 'source'] },
      definitionProvider: true,
      referencesProvider: true,
    },
    serverInfo: { name: 'unit-fleet-language-server', version: '0.1.0' },
  };
});

connection.onInitialized(() => {
  if (pullConfiguration) {
    void connection.client.register(DidChangeConfigurationNotification.type, { section: 'unitFleet' });
    void refreshSettings();
  }
  // Index the workspace's unit files in the background; open documents are validated meanwhile.
  void indexWorkspace();
});

async function indexWorkspace(): Promise<void> {
  for (const root of workspaceRoots) {
    for await (const uri of findUnitFiles(root)) {
      if (!documents.get(uri)) await loadFromDisk(uri);
    }
  }
  revalidateOthers(undefined);
  // Live etcd keys for the cross-file key rules (rules are synchronous: they read this cache).
  if (await service.refreshLiveEtcdKeys()) revalidateOthers(undefined);
}

async function loadFromDisk(uri: string): Promise<void> {
  try {
    service.workspace.set(uri, await readFile(fileURLToPath(uri), 'utf8'));
  } catch {
    service.workspace.remove(uri);
  }
}

async function refreshSettings(): Promise<void> {
  try {
    const config = await connection.workspace.getConfiguration('unitFleet');
    service.configure(settingsFrom(config));
  } catch {
    // Keep the previous settings when the client cannot answer.
  }
  for (const doc of documents.all()) validate(doc);
}

connection.onDidChangeConfiguration((change) => {
  if (pullConfiguration) void refreshSettings();
  else {
    service.configure(settingsFrom((change.settings as { unitFleet?: unknown } | undefined)?.unitFleet));
    revalidateOthers(undefined);
  }
});

/** Validates and publishes; `onlyIfChanged` for re-checks of documents the user did not edit. */
function validate(document: TextDocument, onlyIfChanged = false): void {
  publish(document, service.validate(document), onlyIfChanged);
}

function publish(document: TextDocument, diagnostics: Diagnostic[], onlyIfChanged: boolean): void {
  const key = JSON.stringify(diagnostics);
  if (onlyIfChanged && published.get(document.uri) === key) return;
  published.set(document.uri, key);
  void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics });
}

/** Cross-file rules: after a change, the other open documents are re-checked (cached per-file results, fresh workspace rules). */
function revalidateOthers(changed: string | undefined): void {
  if (!service.hasWorkspaceRules) return;
  for (const doc of documents.all()) if (doc.uri !== changed) validate(doc, true);
}

// TextDocuments also fires onDidChangeContent when a document opens: validation happens there, once.
documents.onDidChangeContent((e) => {
  validate(e.document);
  revalidateOthers(e.document.uri);
});
documents.onDidClose((e) => {
  service.forget(e.document.uri);
  published.delete(e.document.uri);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  // The editor's unsaved text is gone: the index goes back to what is on disk.
  void loadFromDisk(e.document.uri).then(() => revalidateOthers(undefined));
});

connection.onDidChangeWatchedFiles(async (e) => {
  for (const change of e.changes) {
    if (documents.get(change.uri)) continue; // the editor's version wins while open
    if (change.type === FileChangeType.Deleted) service.workspace.remove(change.uri);
    else await loadFromDisk(change.uri);
  }
  revalidateOthers(undefined);
});

const withDocument = <T>(uri: string, fallback: T, f: (d: TextDocument) => T): T => {
  const doc = documents.get(uri);
  return doc ? f(doc) : fallback;
};

connection.onCompletion(async (p) => {
  const d = documents.get(p.textDocument.uri);
  return d ? service.complete(d, p.position) : null;
});
connection.onCompletionResolve((item) => service.resolveCompletion(item));
connection.onHover((p) => withDocument(p.textDocument.uri, null, (d) => service.hover(d, p.position)));
connection.onDocumentSymbol((p) => withDocument(p.textDocument.uri, [], (d) => service.symbols(d)));
connection.onFoldingRanges((p) => withDocument(p.textDocument.uri, [], (d) => service.folding(d)));
connection.onCodeAction((p) => withDocument(p.textDocument.uri, [], (d) => service.codeActions(d, p.context.diagnostics, p.context.only)));
connection.onDefinition((p) => withDocument(p.textDocument.uri, [], (d) => service.definition(d, p.position)));
connection.onReferences((p) => withDocument(p.textDocument.uri, [], (d) => service.references(d, p.position, p.context.includeDeclaration)));

documents.listen(connection);
connection.listen();
