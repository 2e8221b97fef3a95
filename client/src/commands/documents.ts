// Read-only documents for what the cluster tells (unit status, a unit file from the registry, a
// key's value): a content provider on the `unitfleet` scheme, so closing them never asks to save.
import * as vscode from 'vscode';

export const documentScheme = 'unitfleet';

export class ReadonlyDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration: vscode.Disposable;

  constructor() {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(documentScheme, this);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  /** Opens (or updates and reveals) the document at `path` with `text`. */
  async show(path: string, text: string, options: { language?: string; preview?: boolean } = {}): Promise<vscode.TextDocument> {
    const uri = vscode.Uri.from({ scheme: documentScheme, path });
    this.contents.set(uri.toString(), text);
    this.changed.fire(uri);
    let document = await vscode.workspace.openTextDocument(uri);
    if (options.language && document.languageId !== options.language) document = await vscode.languages.setTextDocumentLanguage(document, options.language);
    await vscode.window.showTextDocument(document, { preview: options.preview ?? true });
    return document;
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
