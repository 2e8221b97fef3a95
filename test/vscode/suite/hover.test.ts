import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import { lineStartingWith, openInEditor, waitFor, workspaceFile } from './helpers';

function markdownOf(content: vscode.MarkdownString | vscode.MarkedString): string {
  if (typeof content === 'string') return content;
  return content.value;
}

suite('hover', () => {
  test('hovering Restart= shows its documentation as markdown', async () => {
    const uri = workspaceFile('helloworld@.service');
    const editor = await openInEditor(uri);
    const line = lineStartingWith(editor.document.getText(), 'Restart=');
    const position = new vscode.Position(line, 2);
    const hovers = await waitFor('a hover on Restart', async () => {
      const result = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
      return result.length > 0 ? result : undefined;
    });
    const contents = hovers.flatMap((h) => h.contents);
    assert.ok(contents.some((c) => c instanceof vscode.MarkdownString), 'the hover is not a MarkdownString');
    const text = contents.map(markdownOf).join('\n');
    assert.match(text, /Restart/);
    assert.match(text, /[`*#[]/, 'the hover has no markdown formatting');
  });
});
