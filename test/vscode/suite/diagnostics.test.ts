import * as assert from 'node:assert/strict';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import { codeOf, lineStartingWith, openInEditor, readText, tempFolder, waitFor, workspaceFile } from './helpers';

suite('diagnostics', () => {
  let temp: Awaited<ReturnType<typeof tempFolder>>;
  suiteSetup(async () => {
    temp = await tempFolder('diagnostics');
  });
  suiteTeardown(async () => {
    await temp?.dispose();
  });

  test('a misspelt directive (ExecStrat=) is reported as unknown-directive on its line', async () => {
    const original = await readText(workspaceFile('helloworld@.service'));
    const broken = original.replace(/^ExecStart=/m, 'ExecStrat=');
    assert.notEqual(broken, original);
    const uri = await temp.write('broken@.service', broken);
    await openInEditor(uri);
    const expectedLine = lineStartingWith(broken, 'ExecStrat=');

    const diagnostic = await waitFor('an unknown-directive diagnostic', () =>
      vscode.languages.getDiagnostics(uri).find((d) => codeOf(d) === 'unknown-directive'),
    );
    assert.equal(diagnostic.range.start.line, expectedLine);
    assert.equal(diagnostic.range.start.character, 0);
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    assert.match(diagnostic.message, /ExecStrat/);
  });

  test('the unmodified example template has no errors', async () => {
    const uri = workspaceFile('helloworld@.service');
    await openInEditor(uri);
    // Give the server time to publish, then check nothing is an error.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const errors = vscode.languages.getDiagnostics(uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
    assert.deepEqual(errors.map((d) => `${d.range.start.line + 1}: ${codeOf(d)} ${d.message}`), []);
  });
});
