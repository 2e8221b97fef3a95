// The built server, spoken to over stdio like an editor would.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { CodeActionRequest, CompletionRequest, CompletionResolveRequest, DidChangeTextDocumentNotification, DocumentSymbolRequest, FoldingRangeRequest, HoverRequest, type CompletionList, type Diagnostic, type MarkupContent } from 'vscode-languageserver-protocol/node';
import { messageOf } from '../helpers/markers';
import { SERVER_JS, startServer, type LspSession } from '../helpers/lspClient';

let lsp: LspSession;
before(async () => {
  assert.ok(existsSync(SERVER_JS), 'dist/server.js is missing: run npm run build first');
  lsp = await startServer({ initializationOptions: { diagnostics: { severity: { 'inline-comment': 'off' } } } });
});
after(async () => lsp.close());

const BROKEN = ['[Unit]', 'Description=web', 'User=web', '[Service]', 'ExecStrat=/bin/true', 'ExecStart=/usr/bin/web', 'Restart=sometimes', 'Group=web # inline', ''].join('\n');
const byCode = (ds: Diagnostic[]) => ds.map((d) => `${d.code}@${d.range.start.line}`).sort();

test('didOpen publishes diagnostics with rule codes on the right lines', async () => {
  const ds = await lsp.open('file:///w/web.service', BROKEN);
  assert.deepEqual(byCode(ds), ['directive-wrong-section@2', 'invalid-value@6', 'unknown-directive@4']);
  const typo = ds.find((d) => d.code === 'unknown-directive')!;
  assert.match(messageOf(typo), /Did you mean ExecStart=\?/);
  assert.equal(typo.source, 'unit-fleet');
});

test('an edit republishes diagnostics for the new version', async () => {
  const uri = 'file:///w/edit.service';
  await lsp.open(uri, '[Service]\nExecStart=/bin/true\n');
  const next = lsp.nextDiagnostics(uri);
  await lsp.connection.sendNotification(DidChangeTextDocumentNotification.type, {
    textDocument: { uri, version: 2 },
    contentChanges: [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: 'Typ=simple\n' }],
  });
  const published = await next;
  assert.equal(published.version, 2);
  assert.deepEqual(byCode(published.diagnostics), ['unknown-directive@1']);
});

test('quick fix for a typo replaces the key', async () => {
  const uri = 'file:///w/fix.service';
  const ds = await lsp.open(uri, '[Service]\nExecStrat=/bin/true\n');
  const actions = await lsp.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: ds[0].range, context: { diagnostics: ds } });
  const fix = actions?.find((a) => 'edit' in a && a.title === 'Change to ExecStart=');
  assert.ok(fix && 'edit' in fix, `no typo fix among ${JSON.stringify(actions?.map((a) => a.title))}`);
  assert.deepEqual(fix.edit?.changes?.[uri], [{ range: ds[0].range, newText: 'ExecStart' }]);
});

test('completion offers directives of the current section', async () => {
  const uri = 'file:///w/complete.service';
  await lsp.open(uri, '[Unit]\nDescription=x\n[Service]\nExe\n');
  const result = (await lsp.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 3, character: 3 } })) as CompletionList;
  const labels = result.items.map((i) => i.label);
  assert.ok(labels.includes('ExecStart'));
  assert.ok(!labels.includes('After'), 'After= belongs to [Unit], not [Service]');
  const exec = result.items.find((i) => i.label === 'ExecStart')!;
  assert.equal(exec.insertText, 'ExecStart=');
  const resolved = await lsp.connection.sendRequest(CompletionResolveRequest.type, exec);
  assert.match((resolved.documentation as MarkupContent).value, /command line/i);
});

test('hover explains a directive', async () => {
  const uri = 'file:///w/hover.service';
  await lsp.open(uri, '[Service]\nRestart=always\nExecStart=/bin/true\n');
  const h = await lsp.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 1, character: 2 } });
  assert.match((h?.contents as MarkupContent).value, /\*\*Restart=\*\*/);
  assert.match((h?.contents as MarkupContent).value, /on-failure/);
});

test('symbols and folding ranges follow sections', async () => {
  const uri = 'file:///w/outline.service';
  await lsp.open(uri, '[Unit]\nDescription=x\nAfter=y\n\n[Service]\nExecStart=/bin/true\n');
  const symbols = (await lsp.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } })) as Array<{ name: string; children?: Array<{ name: string }> }>;
  assert.deepEqual(symbols.map((s) => [s.name, s.children?.map((c) => c.name)]), [['[Unit]', ['Description', 'After']], ['[Service]', ['ExecStart']]]);
  const folds = await lsp.connection.sendRequest(FoldingRangeRequest.type, { textDocument: { uri } });
  assert.deepEqual(folds?.map((f) => [f.startLine, f.endLine]), [[0, 2], [4, 5]]);
});

test('garbage input never kills the server', async () => {
  const garbage = '\u0000\uFEFF[\\\n\\\n=\n[[]]\n\u00ff\u2028==\\';
  const ds = await lsp.open('file:///w/garbage.service', garbage);
  assert.ok(Array.isArray(ds));
  // Still answering afterwards.
  const again = await lsp.open('file:///w/after-garbage.service', '[Service]\nExecStart=/bin/true\n');
  assert.deepEqual(again, []);
});

test('severity overrides from initializationOptions turn a rule off', async () => {
  const ds = await lsp.open('file:///w/inline.service', '[Service]\nExecStart=/bin/true\nUser=x # comment\n');
  assert.deepEqual(ds, []);
});
