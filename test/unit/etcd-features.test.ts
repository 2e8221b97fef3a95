// Go to definition / find references on etcd keys, and key-path completion (workspace keys,
// folders, live keys), in process. The same over LSP: test/lsp/etcd.test.ts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Location } from 'vscode-languageserver-types';
import { keySlotAt } from '../../server/src/language/etcd/completion';
import type { LiveCluster } from '../../server/src/language/live';
import { UnitLanguageService } from '../../server/src/language/languageService';
import { parseUnitFile } from '../../server/src/language/unitFile/parser';
import { doc, marked } from '../helpers/markers';

const EXAMPLE = join(__dirname, '..', '..', 'examples', 'helloworld');

function example(live?: LiveCluster) {
  const service = new UnitLanguageService();
  if (live) service.live = live;
  const docs = new Map(readdirSync(EXAMPLE).map((f) => [f, doc(pathToFileURL(join(EXAMPLE, f)).toString(), readFileSync(join(EXAMPLE, f), 'utf8'))]));
  for (const d of docs.values()) service.parse(d);
  return { service, docs };
}

/** `file:line` of locations, with the key text at the range. */
function where(locations: Location[], docs: Map<string, ReturnType<typeof doc>>): string[] {
  return locations.map((l) => {
    const name = decodeURIComponent(l.uri.slice(l.uri.lastIndexOf('/') + 1));
    const text = docs.get(name)!.getText(l.range);
    return `${name}:${l.range.start.line}:${text}`;
  });
}

/** Position of the first occurrence of `needle` (plus `delta` characters) in a document. */
function at(d: ReturnType<typeof doc>, needle: string, delta = 1) {
  return d.positionAt(d.getText().indexOf(needle) + delta);
}

describe('definition and references', () => {
  test('from the nginx reader prefix to the sidekick writer', () => {
    const { service, docs } = example();
    const nginx = docs.get('helloworld-nginx.service')!;
    const defs = service.definition(nginx, at(nginx, 'only /services/helloworld/', 6));
    assert.deepEqual(where(defs, docs), ['helloworld-sidekick@.service:10:/services/helloworld/%H']);
  });

  test('references of the announced key: writer, reader, remover', () => {
    const { service, docs } = example();
    const sidekick = docs.get('helloworld-sidekick@.service')!;
    const refs = service.references(sidekick, at(sidekick, '/services/helloworld/%H', 5));
    assert.deepEqual(where(refs, docs), [
      'helloworld-sidekick@.service:10:/services/helloworld/%H',
      'helloworld-nginx.service:10:/services/helloworld/',
      'helloworld-sidekick@.service:13:/services/helloworld/%H',
    ]);
    assert.deepEqual(where(service.references(sidekick, at(sidekick, '/services/helloworld/%H', 5), false), docs), [
      'helloworld-nginx.service:10:/services/helloworld/',
      'helloworld-sidekick@.service:13:/services/helloworld/%H',
    ]);
  });

  test('the change flag: two writers (loop and ExecStopPost) and the watcher', () => {
    const { service, docs } = example();
    const watcher = docs.get('helloworld-nginx-sidekick.service')!;
    const refs = service.references(watcher, at(watcher, '/services/changed/helloworld'));
    assert.deepEqual(where(refs, docs), [
      'helloworld-sidekick@.service:11:/services/changed/helloworld',
      'helloworld-sidekick@.service:14:/services/changed/helloworld',
      'helloworld-nginx-sidekick.service:6:/services/changed/helloworld',
    ]);
  });

  test('nothing outside key arguments', () => {
    const { service, docs } = example();
    const nginx = docs.get('helloworld-nginx.service')!;
    assert.deepEqual(service.definition(nginx, { line: 0, character: 2 }), []);
    assert.deepEqual(service.references(nginx, at(nginx, '--prefix')), []);
  });
});

describe('key slots', () => {
  const slot = (source: string) => {
    const m = marked(source, { cursor: true });
    return keySlotAt(parseUnitFile(m.text), m.cursor!);
  };
  test('where a key argument is typed, and only there', () => {
    assert.deepEqual(slot('[Service]\nExecStart=/usr/bin/etcdctl get /serv|\n'), { typed: '/serv', range: { start: { line: 1, character: 31 }, end: { line: 1, character: 36 } }, access: 'read', prefix: false });
    assert.equal(slot('[Service]\nExecStart=/usr/bin/etcdctl get --prefix |\n')?.prefix, true);
    assert.equal(slot("[Service]\nExecStart=/bin/sh -c 'etcdctl put --lease=$LEASE /se|")?.access, 'write');
    assert.equal(slot("[Service]\nExecStart=/bin/sh -c 'etcdctl watch \"/services/|\"; systemctl restart x'\n")?.typed, '/services/');
    assert.equal(slot('[Service]\nExecStop=/usr/bin/etcdctl del /services/x/|%H\n')?.range.end.character, 44);
    assert.equal(slot('[Service]\nExecStart=/usr/bin/etcdctl put /a |\n'), undefined, 'the value, not a key');
    assert.equal(slot('[Service]\nExecStart=/usr/bin/etcdctl lease grant |\n'), undefined);
    assert.equal(slot('[Service]\nExecStart=/usr/bin/etcdctl --endpoints |\n'), undefined);
    assert.equal(slot("[Service]\nExecStart=/bin/sh -c 'etcdctl get /a; echo |'\n"), undefined);
    assert.equal(slot('[Service]\nDescription=etcdctl get |\n'), undefined);
  });
});

describe('key completion', () => {
  const typing = (service: UnitLanguageService, source: string) => {
    const m = marked(source, { cursor: true });
    return service.complete(doc('file:///w/new.service', m.text), m.cursor!);
  };

  test('workspace keys and folders, writers described; the half-typed key itself is not offered', async () => {
    const { service } = example();
    const list = await typing(service, '[Service]\nExecStart=/usr/bin/etcdctl get --prefix /services/hel|\n');
    const labels = list.items.map((i) => i.label);
    assert.ok(labels.includes('/services/helloworld/%H'));
    assert.ok(labels.includes('/services/helloworld/'));
    assert.ok(labels.includes('/services/changed/helloworld'));
    assert.ok(!labels.includes('/services/hel'));
    assert.equal(labels[0], '/services/', 'folders first for a prefix read');
    const item = list.items.find((i) => i.label === '/services/helloworld/%H')!;
    assert.match(item.detail!, /written by helloworld-sidekick@\.service/);
    assert.deepEqual(item.textEdit, { range: { start: { line: 1, character: 40 }, end: { line: 1, character: 53 } }, newText: '/services/helloworld/%H' });
  });

  test('live keys from the cluster join in, asked with the typed prefix, and feed the rules', async () => {
    const asked: Array<[string, number]> = [];
    const live: LiveCluster = { machines: async () => [], etcdKeys: async (prefix, limit) => (asked.push([prefix, limit]), ['/services/helloworld/core-01', '/config/nginx/workers', '/config/100%']) };
    const { service } = example(live);
    const list = await typing(service, "[Service]\nExecStart=/bin/sh -c 'etcdctl get /conf|'\n");
    assert.deepEqual(asked, [['/conf', 200]]);
    const cfg = list.items.find((i) => i.label === '/config/nginx/workers')!;
    assert.match(cfg.detail!, /live on the cluster/);
    assert.ok(list.items.some((i) => i.label === '/config/nginx/'));
    // Inserted with `%` doubled, or systemd would read a specifier.
    assert.equal((list.items.find((i) => i.label === '/config/100%')!.textEdit as { newText: string }).newText, '/config/100%%');
    // The live key now counts as written for etcd-read-unwritten.
    const reader = doc('file:///w/reader.service', '[Service]\nExecStart=/usr/bin/etcdctl get /config/nginx/workers\n');
    assert.deepEqual(service.validate(reader).filter((d) => d.code === 'etcd-read-unwritten'), []);
  });

  test('a cluster that fails or hangs leaves the workspace keys', async () => {
    const failing: LiveCluster = { machines: async () => [], etcdKeys: async () => Promise.reject(new Error('no cluster')) };
    const { service } = example(failing);
    const list = await typing(service, '[Service]\nExecStart=/usr/bin/etcdctl watch |\n');
    assert.ok(list.items.some((i) => i.label === '/services/changed/helloworld'));
  });

  test('outside key arguments, completion is the usual one', async () => {
    const { service } = example();
    const list = await typing(service, '[Service]\nExecSta|\n');
    assert.ok(list.items.some((i) => i.label === 'ExecStart'));
  });

  test('refreshLiveEtcdKeys fills the cache the rules read', async () => {
    const live: LiveCluster = { machines: async () => [], etcdKeys: async () => ['/flannel/network/config'] };
    const service = new UnitLanguageService(undefined, live);
    const reader = doc('file:///w/flannel.service', '[Service]\nExecStart=/usr/bin/etcdctl get /flannel/network/config\n');
    assert.equal(service.validate(reader).filter((d) => d.code === 'etcd-read-unwritten').length, 1);
    assert.equal(await service.refreshLiveEtcdKeys(), true);
    assert.equal(await service.refreshLiveEtcdKeys(), false);
    assert.equal(service.validate(reader).filter((d) => d.code === 'etcd-read-unwritten').length, 0);
  });
});
