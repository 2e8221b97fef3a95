import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { extensionId, openInEditor, waitFor, workspaceFile } from './helpers';

suite('activation', () => {
  test('the extension activates when a .service file opens', async () => {
    const editor = await openInEditor(workspaceFile('helloworld@.service'));
    assert.equal(path.basename(editor.document.fileName), 'helloworld@.service');
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, `${extensionId} is not loaded`);
    await waitFor('the extension to be active', () => extension.isActive);
  });

  test('helloworld@.service is a systemd-unit document', async () => {
    const document = await vscode.workspace.openTextDocument(workspaceFile('helloworld@.service'));
    assert.equal(document.languageId, 'systemd-unit');
  });

  test('every example unit gets the systemd-unit language', async () => {
    const units = await vscode.workspace.findFiles('*.service');
    assert.ok(units.length >= 4, `expected the 4 example units, found ${units.length}`);
    for (const uri of units) {
      const document = await vscode.workspace.openTextDocument(uri);
      assert.equal(document.languageId, 'systemd-unit', path.basename(uri.path));
    }
  });
});
