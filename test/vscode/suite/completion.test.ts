import * as assert from 'node:assert/strict';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import { openInEditor, tempFolder, waitFor } from './helpers';

function labelOf(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

suite('completion', () => {
  let temp: Awaited<ReturnType<typeof tempFolder>>;
  suiteSetup(async () => {
    temp = await tempFolder('completion');
  });
  suiteTeardown(async () => {
    await temp?.dispose();
  });

  test('at the start of a line in [Service] it offers ExecStart', async () => {
    const uri = await temp.write('web.service', '[Unit]\nDescription=Web\n\n[Service]\n\n');
    await openInEditor(uri);
    const position = new vscode.Position(4, 0);
    const labels = await waitFor('ExecStart among the completions', async () => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, position);
      const found = list.items.map(labelOf);
      return found.some((l) => l.startsWith('ExecStart')) ? found : undefined;
    });
    assert.ok(labels.some((l) => l === 'ExecStart' || l === 'ExecStart='), `labels: ${labels.slice(0, 20).join(', ')}`);
  });
});
