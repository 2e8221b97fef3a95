// LSP glue only: the connection, open documents, capabilities and settings. Everything the
// server knows about unit files lives in the pure language service (./language).
import { createConnection, DidChangeConfigurationNotification, FileChangeType, ProposedFeatures, TextDocuments, TextDocumentSyncKind, type InitializeParams, type InitializeResult } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { UnitLanguageService, type LanguageSettings } from './language/languageService';
import { findUnitFiles } from './workspaceScan';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const service = new UnitLanguageService();
let pullConfiguration = false;
let workspaceRoots: string[] = [];

connection.onInitialize((params: InitializeParams): InitializeResult => {
  pullConfiguration = params.capabilities.workspace?.configuration === true;
  service.configure(settingsFrom(params.initializationOptions));
  workspaceRoots = (params.workspaceFolders ?? []).map((f) => f.uri).concat(params.workspaceFolders ? [] : params.rootUri ? [params.rootUri] : []);
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      completionProvider: { triggerCharacters: ['=', '%', '[', ' '], resolveProvider: true },
      hoverProvider: true,
      documentSymbolProvider: true,
      foldingRangeProvider: true,
      codeActionProvider: { codeActionKinds: ['quickfix'] },
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
    for await (const uri of findUnitFiles(root)) service.workspace.add(uri);
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

function settingsFrom(raw: unknown): LanguageSettings {
  const r = (raw ?? {}) as { diagnostics?: { severity?: LanguageSettings['severity'] } };
  return { severity: r.diagnostics?.severity ?? {} };
}

connection.onDidChangeConfiguration((change) => {
  if (pullConfiguration) void refreshSettings();
  else {
    service.configure(settingsFrom((change.settings as { unitFleet?: unknown } | undefined)?.unitFleet));
    for (const doc of documents.all()) validate(doc);
  }
});

function validate(document: TextDocument): void {
  void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics: service.validate(document) });
}

// TextDocuments also fires onDidChangeContent when a document opens: validation happens there, once.
documents.onDidOpen((e) => service.workspace.add(e.document.uri));
documents.onDidChangeContent((e) => validate(e.document));
documents.onDidClose((e) => {
  service.forget(e.document.uri);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

connection.onDidChangeWatchedFiles((e) => {
  for (const change of e.changes) {
    if (change.type === FileChangeType.Deleted) service.workspace.remove(change.uri);
    else service.workspace.add(change.uri);
  }
});

const withDocument = <T>(uri: string, fallback: T, f: (d: TextDocument) => T): T => {
  const doc = documents.get(uri);
  return doc ? f(doc) : fallback;
};

connection.onCompletion((p) => withDocument(p.textDocument.uri, null, (d) => service.complete(d, p.position)));
connection.onCompletionResolve((item) => service.resolveCompletion(item));
connection.onHover((p) => withDocument(p.textDocument.uri, null, (d) => service.hover(d, p.position)));
connection.onDocumentSymbol((p) => withDocument(p.textDocument.uri, [], (d) => service.symbols(d)));
connection.onFoldingRanges((p) => withDocument(p.textDocument.uri, [], (d) => service.folding(d)));
connection.onCodeAction((p) => withDocument(p.textDocument.uri, [], (d) => service.codeActions(d, p.context.diagnostics)));

documents.listen(connection);
connection.listen();
