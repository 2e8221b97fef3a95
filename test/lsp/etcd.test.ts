// etcd keys through the BUILT server over stdio: cross-file diagnostics that follow the workspace
// (open documents and a folder scanned from disk), go to definition / find references, and key
// completion with live keys answered by this test client on the real custom request
// `unitFleet/liveEtcdKeys` — and without a handler, the workspace keys alone.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeActionRequest,
  CompletionRequest,
  DefinitionRequest,
  DidChangeTextDocumentNotification,
  ReferencesRequest,
  type CompletionList,
  type Diagnostic,
  type Location,
} from 'vscode-languageserver-protocol/node';
import { LiveEtcdKeysRequest, type LiveEtcdKeysParams } from '../../server/src/protocol';
import { SERVER_JS, startServer, type LspSession } from '../helpers/lspClient';

const EXAMPLE = join(__dirname, '..', '..', 'examples', 'helloworld');
const example = (name: string) => readFileSync(join(EXAMPLE, name), 'utf8');
const unwritten = (ds: Diagnostic[]) => ds.filter((d) => d.code === 'etcd-read-unwritten');
const LB = (prefix: string) => `[Service]\nExecStartPre=/bin/sh -c 'etcdctl get --prefix --print-value-only ${prefix} > /run/upstreams'\nExecStart=/usr/bin/nginx\n`;

async function within<T>(ms: number, f: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('with a client that answers unitFleet/liveEtcdKeys', { timeout: 60000 }, () => {
  let lsp: LspSession;
  const asked: LiveEtcdKeysParams[] = [];
  const LIVE = ['/services/helloworld/core-01', '/services/helloworld/core-02', '/live/config/workers'];
  before(async () => {
    assert.ok(existsSync(SERVER_JS), 'dist/server.js is missing: run npm run build first');
    lsp = await startServer();
    lsp.connection.onRequest(LiveEtcdKeysRequest, (p) => {
      asked.push(p);
      return LIVE.filter((k) => k.startsWith(p.prefix)).slice(0, p.limit);
    });
  });
  after(async () => lsp.close());

  test('a reader warns until a writer of its prefix is opened, then the warning disappears', async () => {
    const reader = 'file:///mem/lb.service';
    const first = await lsp.open(reader, LB('/services/web/'));
    assert.equal(unwritten(first).length, 1, JSON.stringify(first));
    assert.equal(first[0].range.start.line, 1);
    let republished = lsp.nextDiagnostics(reader);
    await lsp.open('file:///mem/web-sidekick@.service', example('helloworld-sidekick@.service').replaceAll('/services/helloworld/', '/services/web/'));
    // Re-checks of the reader arrive as they happen (the start-up live-key refresh may add one).
    for (;;) {
      const { diagnostics } = await republished;
      if (unwritten(diagnostics).length === 0) break;
      republished = lsp.nextDiagnostics(reader);
    }
  });

  test('a typo gets a did-you-mean and a fix', async () => {
    const uri = 'file:///mem/lb-typo.service';
    const [d] = unwritten(await lsp.open(uri, LB('/services/wbe/')));
    assert.match(d.message as string, /Did you mean \/services\/web\/\?/);
    const actions = await lsp.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: d.range, context: { diagnostics: [d], only: ['quickfix'] } });
    assert.deepEqual(actions?.map((a) => a.title), ['Change to /services/web/']);
  });

  test('definition and references across open files', async () => {
    const sidekick = 'file:///mem/helloworld-sidekick@.service';
    const nginx = 'file:///mem/helloworld-nginx.service';
    await lsp.open(sidekick, example('helloworld-sidekick@.service'));
    await lsp.open(nginx, example('helloworld-nginx.service'));
    const defs = (await lsp.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri: nginx }, position: { line: 10, character: 70 } })) as Location[];
    assert.deepEqual(defs.map((l) => [l.uri, l.range.start.line, l.range.start.character]), [[sidekick, 10, 29]]);
    const refs = (await lsp.connection.sendRequest(ReferencesRequest.type, { textDocument: { uri: sidekick }, position: { line: 13, character: 35 }, context: { includeDeclaration: true } })) ?? [];
    assert.deepEqual(refs.map((l) => [l.uri.slice(l.uri.lastIndexOf('/') + 1), l.range.start.line]), [
      ['helloworld-sidekick@.service', 10],
      ['helloworld-nginx.service', 10],
      ['helloworld-sidekick@.service', 13],
    ]);
  });

  test('Create sidekick: a source action with a CreateFile edit', async () => {
    const uri = 'file:///mem/api.service';
    await lsp.open(uri, '[Service]\nExecStart=/usr/bin/docker run --rm --name api -p 9000:9000 api:latest\n');
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const actions = (await lsp.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics: [], only: ['source'] } })) ?? [];
    const action = actions.find((a) => a.title.startsWith('Create sidekick'));
    assert.ok(action && 'edit' in action && action.kind === 'source', JSON.stringify(actions));
    const [create, insert] = action.edit!.documentChanges! as Array<{ kind?: string; uri?: string; edits?: Array<{ newText: string }> }>;
    assert.deepEqual([create.kind, create.uri], ['create', 'file:///mem/api-sidekick.service']);
    assert.match(insert.edits![0].newText, /etcdctl put --lease=\$LEASE \/services\/api\/%H ".*:9000"/);
    const quick = (await lsp.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics: [] } })) ?? [];
    assert.deepEqual(quick, []);
  });

  test('key completion includes the live keys the client answers, and the workspace keys', async () => {
    const uri = 'file:///mem/complete-live.service';
    await lsp.open(uri, "[Service]\nExecStart=/bin/sh -c 'etcdctl get /services/'\n");
    const list = (await lsp.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 1, character: 44 } })) as CompletionList;
    const labels = list.items.map((i) => i.label);
    assert.ok(labels.includes('/services/helloworld/core-01'), labels.join(' '));
    assert.ok(labels.includes('/services/helloworld/core-02'));
    assert.ok(labels.includes('/services/helloworld/%H'), 'workspace key');
    assert.ok(!labels.includes('/live/config/workers'), 'the server asked with the typed prefix');
    assert.deepEqual(asked[asked.length - 1], { prefix: '/services/', limit: 200 });
    const live = list.items.find((i) => i.label === '/services/helloworld/core-01')!;
    assert.match(live.detail ?? '', /live on the cluster/);
  });
});

describe('with a client that does not handle the request', { timeout: 60000 }, () => {
  let lsp: LspSession;
  before(async () => {
    lsp = await startServer();
  });
  after(async () => lsp.close());

  test('key completion offers the workspace keys alone', async () => {
    await lsp.open('file:///mem2/helloworld-sidekick@.service', example('helloworld-sidekick@.service'));
    const uri = 'file:///mem2/complete.service';
    await lsp.open(uri, '[Service]\nExecStart=/usr/bin/etcdctl watch \n');
    const list = (await lsp.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 1, character: 34 } })) as CompletionList;
    const labels = list.items.map((i) => i.label).sort();
    assert.deepEqual(labels, ['/services/', '/services/changed/', '/services/changed/helloworld', '/services/helloworld/', '/services/helloworld/%H']);
  });
});

describe('a workspace folder scanned from disk (rootPath)', { timeout: 60000 }, () => {
  let lsp: LspSession;
  let root: string;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'unit-fleet-etcd-'));
    writeFileSync(join(root, 'web-sidekick@.service'), example('helloworld-sidekick@.service').replaceAll('/services/helloworld/', '/services/web/'));
    lsp = await startServer({ rootPath: root });
  });
  after(async () => {
    await lsp.close();
    rmSync(root, { recursive: true, force: true });
  });

  test('a reader opened in the folder sees the writer on disk: definition and no warning', async () => {
    const reader = pathToFileURL(join(root, 'lb.service')).toString();
    const writer = pathToFileURL(join(root, 'web-sidekick@.service')).toString();
    await lsp.open(reader, LB('/services/web/'));
    // Indexing runs in the background: wait until the writer is known.
    const defs = await within(5000, async () => {
      const d = (await lsp.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri: reader }, position: { line: 1, character: 70 } })) as Location[];
      return d.length > 0 ? d : undefined;
    });
    assert.deepEqual(defs.map((l) => [l.uri, l.range.start.line]), [[writer, 10]]);
    const next = lsp.nextDiagnostics(reader);
    await lsp.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: reader, version: 2 },
      contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# load balancer\n' }],
    });
    const published = await next;
    assert.deepEqual(unwritten(published.diagnostics), []);
    // And a prefix nothing on disk writes is still flagged.
    const other = pathToFileURL(join(root, 'other.service')).toString();
    assert.equal(unwritten(await lsp.open(other, LB('/services/api/'))).length, 1);
  });
});
