// The etcd-* rules on «marked» snippets, their quick fixes, and the settings that change them.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-types';
import { rememberLiveKeys } from '../../server/src/language/etcd/unitKeys';
import { UnitLanguageService } from '../../server/src/language/languageService';
import { doc, marked, messageOf, rangeString } from '../helpers/markers';

/** Opens `files` (name → text, «» marks) in one workspace; returns the service and the marked ranges. */
function workspace(files: Record<string, string>, settings?: Parameters<UnitLanguageService['configure']>[0]) {
  const service = new UnitLanguageService();
  if (settings) service.configure(settings);
  const docs = new Map<string, { doc: TextDocument; ranges: string[] }>();
  for (const [name, source] of Object.entries(files)) {
    const m = marked(source);
    const d = doc(`file:///w/${name}`, m.text);
    docs.set(name, { doc: d, ranges: m.ranges.map(rangeString) });
    service.parse(d);
  }
  const check = (name: string, code: string): Diagnostic[] => {
    const entry = docs.get(name)!;
    const found = service.validate(entry.doc).filter((d) => d.code === code);
    assert.deepEqual(found.map((d) => rangeString(d.range)).sort(), [...entry.ranges].sort(), `${name} ${code}: ${JSON.stringify(found.map(messageOf))}`);
    return found;
  };
  return { service, docs, check };
}

/** One file, one rule. */
function expectRule(code: string, snippet: string, name = 'unit.service', settings?: Parameters<UnitLanguageService['configure']>[0]) {
  const w = workspace({ [name]: snippet }, settings);
  return { ...w, found: w.check(name, code), document: w.docs.get(name)!.doc };
}

/** The text after applying the first quick fix of the first diagnostic. */
function fixed(w: { service: UnitLanguageService; document: TextDocument; found: Diagnostic[] }, title?: RegExp): string | undefined {
  const actions = w.service.codeActions(w.document, [w.found[0]]).filter((a: CodeAction) => a.kind === 'quickfix' && (!title || title.test(a.title)));
  if (actions.length === 0) return undefined;
  return TextDocument.applyEdits(w.document, actions[0].edit!.changes![w.document.uri]);
}

const svc = (exec: string) => `[Service]\n${exec}\n`;

describe('etcd-v2-command', () => {
  test('v2 verbs, v2 flags and ETCDCTL_API=2 warn with the 3.4 / 3.6 / v3-clients explanation', () => {
    const { found } = expectRule('etcd-v2-command', svc('ExecStart=/usr/bin/etcdctl «set» /services/web/%H up'));
    assert.equal(found[0].severity, 2);
    assert.match(messageOf(found[0]), /off by default since etcd 3\.4 and removed in 3\.6.*invisible to v3 clients/);
    assert.match(messageOf(found[0]), /etcdctl put/);
    expectRule('etcd-v2-command', svc("ExecStart=/bin/sh -c '«ETCDCTL_API=2» etcdctl get /a'"));
    expectRule('etcd-v2-command', svc('ExecStart=/usr/bin/env «ETCDCTL_API=2» etcdctl get /a'));
    expectRule('etcd-v2-command', svc('ExecStart=/usr/bin/etcdctl watch «--recursive» /a'));
    expectRule('etcd-v2-command', svc("ExecStart=/bin/sh -c 'etcdctl «ls» /services; etcdctl «rm» /x; etcdctl «mk» /y 1; etcdctl «mkdir» /z; etcdctl «exec-watch» /w -- true'"));
    const env = expectRule('etcd-v2-command', '[Service]\nEnvironment=ETCDCTL_API=2\nExecStart=«/usr/bin/etcdctl» get /a\n');
    assert.match(messageOf(env.found[0]), /ETCDCTL_API=2 \(from Environment=\)/);
  });

  test('--ttl: a lease is needed, so no quick fix', () => {
    const w = expectRule('etcd-v2-command', svc("ExecStart=/bin/sh -c 'while true; do etcdctl «set» /services/web/%H \"%H:80\" --ttl 60; sleep 45; done'"));
    assert.match(messageOf(w.found[0]), /lease grant 60.*put --lease=ID.*lease keep-alive ID/);
    assert.equal(fixed(w), undefined);
    // `--ttl` on the v3 verb is a v2 habit too.
    expectRule('etcd-v2-command', svc('ExecStart=/usr/bin/etcdctl put /a 1 «--ttl» 60'));
  });

  test('v3 commands and lease verbs are fine; so is everything under apiVersion v2', () => {
    expectRule('etcd-v2-command', svc("ExecStart=/bin/sh -c 'LEASE=$(etcdctl lease grant 10 | cut -d\" \" -f2); etcdctl put --lease=$LEASE /a 1; exec etcdctl lease keep-alive $LEASE'"));
    expectRule('etcd-v2-command', svc('ExecStart=/usr/bin/etcdctl get --prefix --keys-only /services/'));
    expectRule('etcd-v2-command', svc('ExecStart=/usr/bin/etcdctl watch /a'));
    expectRule('etcd-v2-command', svc('ExecStart=/usr/bin/etcdctl set /a 1 --ttl 5'), 'unit.service', { etcdApiVersion: 'v2' });
  });

  test('quick fixes for the simple rewrites', () => {
    const fix = (exec: string) => fixed(expectRule('etcd-v2-command', svc(exec.replace(/«|»/g, '').replace(/^(.*?)(set|rm|ls|ETCDCTL_API=2|--forever)\b/, '$1«$2»'))));
    assert.equal(fix('ExecStart=/usr/bin/etcdctl set /a 1'), svc('ExecStart=/usr/bin/etcdctl put /a 1'));
    assert.equal(fix('ExecStop=/usr/bin/etcdctl rm /services/web/%H'), svc('ExecStop=/usr/bin/etcdctl del /services/web/%H'));
    assert.equal(fix('ExecStart=/usr/bin/etcdctl ls /services/web'), svc('ExecStart=/usr/bin/etcdctl get --prefix --keys-only /services/web'));
    assert.equal(fix('ExecStart=/usr/bin/etcdctl ls'), svc('ExecStart=/usr/bin/etcdctl get --prefix --keys-only /'));
    assert.equal(fix("ExecStart=/bin/sh -c 'ETCDCTL_API=2 etcdctl get /a > /run/a'"), svc("ExecStart=/bin/sh -c 'etcdctl get --print-value-only /a > /run/a'"));
    assert.equal(fix('ExecStart=/usr/bin/env ETCDCTL_API=2 etcdctl watch --forever --recursive /a'), svc('ExecStart=/usr/bin/env etcdctl watch --prefix /a'));
    assert.equal(fix("ExecStart=/bin/sh -c 'etcdctl set /services/changed/web \"$(date +%%s)\"'"), svc("ExecStart=/bin/sh -c 'etcdctl put /services/changed/web \"$(date +%%s)\"'"));
  });

  test('no fix when ETCDCTL_API=2 comes from the unit, or for mk', () => {
    const env = expectRule('etcd-v2-command', '[Service]\nEnvironment=ETCDCTL_API=2\nExecStart=/usr/bin/etcdctl «set» /a 1\n');
    assert.equal(fixed(env), undefined);
    assert.equal(fixed(expectRule('etcd-v2-command', svc('ExecStart=/usr/bin/etcdctl «mk» /a 1'))), undefined);
  });
});

describe('etcd-key-syntax', () => {
  test('relative keys and empty segments are errors; placeholders at the head are not judged', () => {
    const w = expectRule('etcd-key-syntax', svc("ExecStart=/bin/sh -c 'etcdctl put «services/web/%H» x; etcdctl get «/services//web»; etcdctl get $PREFIX/web; etcdctl get --prefix \"\"'"));
    assert.equal(w.found[0].severity, 1);
    assert.match(messageOf(w.found[0]), /relative/);
    assert.match(messageOf(w.found[1]), /empty path segment/);
  });
  test('quick fix adds the leading slash, inside quotes', () => {
    assert.equal(fixed(expectRule('etcd-key-syntax', svc('ExecStart=/usr/bin/etcdctl get «"services/web"»'))), svc('ExecStart=/usr/bin/etcdctl get "/services/web"'));
    assert.equal(fixed(expectRule('etcd-key-syntax', svc('ExecStart=/usr/bin/etcdctl del «services/web/%H»'))), svc('ExecStart=/usr/bin/etcdctl del /services/web/%H'));
  });
});

const SIDEKICK = (stop: string) =>
  [
    '[Service]',
    "ExecStart=/bin/sh -c 'LEASE=$(etcdctl lease grant 10 | cut -d\" \" -f2); \\",
    '  etcdctl put --lease=$LEASE /services/web/%H "$(hostname -I | cut -d" " -f1):80"; \\',
    "  exec etcdctl lease keep-alive $LEASE'",
    stop,
    '',
  ].join('\n');

describe('etcd-remove-unwritten', () => {
  test('ExecStop= removing another key than the loop sets, with the written key', () => {
    const w = expectRule('etcd-remove-unwritten', SIDEKICK('ExecStop=/usr/bin/etcdctl del «/services/web/%i»'));
    assert.match(messageOf(w.found[0]), /removes \/services\/web\/%i, but this unit writes \/services\/web\/%H.*until its lease or TTL expires/);
    assert.equal(fixed(w), SIDEKICK('ExecStop=/usr/bin/etcdctl del /services/web/%H'));
    expectRule('etcd-remove-unwritten', SIDEKICK('ExecStopPost=/usr/bin/etcdctl del «/service/web/%H»'));
  });
  test('the same key, a covering prefix, a $(hostname) spelling, a unit that writes nothing: fine', () => {
    expectRule('etcd-remove-unwritten', SIDEKICK('ExecStop=/usr/bin/etcdctl del /services/web/%H'));
    expectRule('etcd-remove-unwritten', SIDEKICK('ExecStop=/usr/bin/etcdctl del --prefix /services/web/'));
    expectRule('etcd-remove-unwritten', SIDEKICK("ExecStop=/bin/sh -c 'etcdctl del /services/web/$(hostname)'"));
    expectRule('etcd-remove-unwritten', svc('ExecStart=/bin/true\nExecStop=/usr/bin/etcdctl del /services/other/%H'));
    // Only stop commands are checked: a pre-start cleanup of other keys is deliberate.
    expectRule('etcd-remove-unwritten', SIDEKICK('ExecStartPre=-/usr/bin/etcdctl del /services/stale/%H'));
  });
});

describe('etcd-read-unwritten (workspace)', () => {
  const NGINX = (key: string) => svc(`ExecStartPre=/bin/sh -c 'etcdctl get --prefix --print-value-only ${key} > /run/upstreams'\nExecStart=/usr/bin/nginx`);
  test('a read prefix nobody writes warns, with did-you-mean and a fix', () => {
    const w = workspace({ 'lb.service': NGINX('«/services/wbe/»'), 'web-sidekick@.service': SIDEKICK('ExecStop=/usr/bin/etcdctl del /services/web/%H') });
    const [d] = w.check('lb.service', 'etcd-read-unwritten');
    assert.equal(d.severity, 2);
    assert.match(messageOf(d), /reads keys under \/services\/wbe\/, but no unit in the workspace writes a key under that prefix\. Did you mean \/services\/web\/\?/);
    const document = w.docs.get('lb.service')!.doc;
    const [fix] = w.service.codeActions(document, [d]);
    assert.equal(TextDocument.applyEdits(document, fix.edit!.changes![document.uri]), NGINX('/services/web/'));
  });

  test('the warning goes when a writer appears, and comes back when it goes', () => {
    const service = new UnitLanguageService();
    const reader = doc('file:///w/lb.service', NGINX('/services/web/'));
    const count = () => service.validate(reader).filter((d) => d.code === 'etcd-read-unwritten').length;
    assert.equal(count(), 1);
    service.workspace.set('file:///w/web-sidekick@.service', SIDEKICK(''));
    assert.equal(count(), 0);
    service.workspace.remove('file:///w/web-sidekick@.service');
    assert.equal(count(), 1);
  });

  test('a watch of an exact key; live keys of the cluster count as written', () => {
    const w = workspace({ 'watch.service': svc("ExecStart=/bin/sh -c 'etcdctl watch «/services/changed/web» | while read -r l; do systemctl restart lb.service; done'") });
    w.check('watch.service', 'etcd-read-unwritten');
    rememberLiveKeys(w.service.workspace, ['/services/changed/web']);
    const d = w.service.validate(w.docs.get('watch.service')!.doc).filter((x) => x.code === 'etcd-read-unwritten');
    assert.deepEqual(d, []);
  });

  test('whole key space, --from-key, ranges and dynamic keys are not judged', () => {
    const w = workspace({ 'r.service': svc("ExecStart=/bin/sh -c 'etcdctl get --prefix /; etcdctl get --from-key /a; etcdctl get /a /b; etcdctl get \"$KEY\"; etcdctl get %i/x'") });
    w.check('r.service', 'etcd-read-unwritten');
  });

  test('the example scenario reads only what its sidekick writes', () => {
    const w = workspace({ 'lb.service': NGINX('/services/web/'), 'web-sidekick@.service': SIDEKICK('ExecStop=/usr/bin/etcdctl del /services/web/%H') });
    w.check('lb.service', 'etcd-read-unwritten');
  });
});
