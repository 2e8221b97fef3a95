// Shared by the extension-host tests: the workspace, the extension, temp folders, polling.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

export const extensionId = 'unit-fleet.unit-fleet';

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests need the example workspace open');
  return folder.uri;
}

export function workspaceFile(...segments: string[]): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...segments);
}

export async function readText(uri: vscode.Uri): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

/** A folder inside the workspace, removed by the returned function. */
export async function tempFolder(name: string): Promise<{ uri: vscode.Uri; write(file: string, text: string): Promise<vscode.Uri>; dispose(): Promise<void> }> {
  const uri = workspaceFile(`.tmp-${name}-${Date.now().toString(36)}`);
  await vscode.workspace.fs.createDirectory(uri);
  return {
    uri,
    async write(file, text) {
      const target = vscode.Uri.joinPath(uri, file);
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
      return target;
    },
    async dispose() {
      await vscode.workspace.fs.delete(uri, { recursive: true, useTrash: false });
    },
  };
}

export async function openInEditor(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(document);
}

/** Polls `probe` until it returns something other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function codeOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (code === undefined) return undefined;
  return typeof code === 'object' ? String(code.value) : String(code);
}

/** Zero-based line of the first line starting with `prefix`. */
export function lineStartingWith(text: string, prefix: string): number {
  const line = text.split(/\r?\n/).findIndex((l) => l.startsWith(prefix));
  assert.ok(line >= 0, `no line starts with ${prefix}`);
  return line;
}
