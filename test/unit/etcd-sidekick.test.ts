// "Create sidekick": the generated unit, the code action's workspace edit, and — the point of it —
// that the generated file passes every rule of the language service.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CreateFile, TextDocumentEdit } from 'vscode-languageserver-types';
import { planSidekick, publishedPort } from '../../server/src/language/etcd/sidekick';
import { UnitLanguageService } from '../../server/src/language/languageService';
import { parseUnitFile } from '../../server/src/language/unitFile/parser';
import { classifyUnitPath } from '../../server/src/language/unitFile/unitName';
import { doc, messageOf } from '../helpers/markers';

const HELLO = readFileSync(join(__dirname, '..', '..', 'examples', 'helloworld', 'helloworld@.service'), 'utf8');
const PLAIN = '[Unit]\nDescription=API\n\n[Service]\nExecStart=/usr/bin/api --listen :9000\n';

/** Every diagnostic of `text` opened as `name` next to the service it belongs to. */
function diagnosticsOf(name: string, text: string, service: { name: string; text: string }, settings?: { etcdApiVersion?: 'v2' | 'v3' }) {
  const s = new UnitLanguageService();
  if (settings) s.configure(settings);
  s.parse(doc(`file:///w/${service.name}`, service.text));
  return s.validate(doc(`file:///w/${name}`, text)).map((d) => `${d.code}@${d.range.start.line}: ${messageOf(d)}`);
}

describe('sidekick generation', () => {
  test('a template: name, binding, placement, lease loop and the same key removed on stop', () => {
    const plan = planSidekick(classifyUnitPath('file:///w/helloworld@.service'), parseUnitFile(HELLO))!;
    assert.equal(plan.fileName, 'helloworld-sidekick@.service');
    assert.equal(plan.target, 'helloworld@%i.service');
    assert.equal(plan.port, '3000');
    assert.equal(plan.key, '/services/helloworld/%H');
    const t = plan.text;
    for (const line of ['BindsTo=helloworld@%i.service', 'After=helloworld@%i.service', 'MachineOf=helloworld@%i.service', 'ExecStop=/usr/bin/etcdctl del /services/helloworld/%H']) {
      assert.ok(t.split('\n').includes(line), `missing ${line} in\n${t}`);
    }
    assert.match(t, /while true; do/);
    assert.match(t, /etcdctl lease grant 30/);
    assert.match(t, /etcdctl put --lease=\$LEASE \/services\/helloworld\/%H "\$\(hostname -I \| cut -d" " -f1\):3000"/);
    assert.match(t, /etcdctl lease keep-alive \$LEASE/);
    assert.doesNotMatch(t, /etcdctl set|--ttl/);
  });

  test('the generated template sidekick has no diagnostics at all (every rule)', () => {
    const plan = planSidekick(classifyUnitPath('file:///w/helloworld@.service'), parseUnitFile(HELLO))!;
    assert.deepEqual(diagnosticsOf(plan.fileName, plan.text, { name: 'helloworld@.service', text: HELLO }), []);
  });

  test('a plain unit without a published port: placeholder, still no diagnostics', () => {
    const plan = planSidekick(classifyUnitPath('file:///w/api.service'), parseUnitFile(PLAIN))!;
    assert.equal(plan.fileName, 'api-sidekick.service');
    assert.equal(plan.port, undefined);
    assert.match(plan.text, /:PORT"/);
    assert.match(plan.text, /^MachineOf=api\.service$/m);
    assert.deepEqual(diagnosticsOf(plan.fileName, plan.text, { name: 'api.service', text: PLAIN }), []);
  });

  test('under apiVersion v2: set --ttl with ETCDCTL_API=2, still no diagnostics', () => {
    const plan = planSidekick(classifyUnitPath('file:///w/helloworld@.service'), parseUnitFile(HELLO), 'v2')!;
    assert.match(plan.text, /^Environment=ETCDCTL_API=2$/m);
    assert.match(plan.text, /etcdctl set \/services\/helloworld\/%H ".*:3000" --ttl 60/);
    assert.match(plan.text, /^ExecStop=\/usr\/bin\/etcdctl rm \/services\/helloworld\/%H$/m);
    assert.deepEqual(diagnosticsOf(plan.fileName, plan.text, { name: 'helloworld@.service', text: HELLO }, { etcdApiVersion: 'v2' }), []);
  });

  test('docker run -p forms: HOST:CONTAINER, IP:HOST:CONTAINER, --publish=, /udp; none without a host port', () => {
    const port = (exec: string) => publishedPort(parseUnitFile(`[Service]\nExecStart=${exec}\n`));
    assert.equal(port('/usr/bin/docker run -p 8080:80 nginx'), '8080');
    assert.equal(port('/usr/bin/docker run --rm -p 127.0.0.1:8443:443 nginx'), '8443');
    assert.equal(port('/usr/bin/docker run --publish=5353:53/udp dns'), '5353');
    assert.equal(port('/usr/bin/docker run -p8000:8000 app'), '8000');
    assert.equal(port("/bin/sh -c 'exec docker run --name x -p 7000:7000 app'"), '7000');
    assert.equal(port('/usr/bin/docker run -p 80 nginx'), undefined);
    assert.equal(port('/usr/bin/web -p 80:80'), undefined);
  });
});

describe('the Create sidekick code action', () => {
  test('a source action creating the file and inserting the unit', () => {
    const s = new UnitLanguageService();
    const d = doc('file:///w/helloworld%40.service', HELLO);
    const action = s.codeActions(d, [], ['source']).find((a) => a.title.startsWith('Create sidekick'))!;
    assert.equal(action.kind, 'source');
    const [create, insert] = action.edit!.documentChanges! as [CreateFile, TextDocumentEdit];
    assert.deepEqual(create, { kind: 'create', uri: 'file:///w/helloworld-sidekick%40.service', options: { overwrite: false, ignoreIfExists: false } });
    assert.equal(insert.textDocument.uri, create.uri);
    assert.match((insert.edits[0] as { newText: string }).newText, /MachineOf=helloworld@%i\.service/);
    // Only when the client asks for source actions (VS Code's "Source Action…").
    assert.equal(s.codeActions(d, [], ['quickfix']).length, 0);
    assert.equal(s.codeActions(d, []).length, 0);
  });

  test('not on a sidekick, a drop-in, a timer, nor when the sidekick exists', () => {
    const s = new UnitLanguageService();
    const titles = (uri: string, text = HELLO) => s.codeActions(doc(uri, text), [], ['source']).map((a) => a.title);
    assert.deepEqual(titles('file:///w/helloworld-sidekick@.service'), []);
    assert.deepEqual(titles('file:///w/helloworld@.service.d/override.conf'), []);
    assert.deepEqual(titles('file:///w/backup.timer', '[Timer]\nOnCalendar=daily\n'), []);
    assert.equal(titles('file:///w/web.service', PLAIN).length, 1);
    s.workspace.set('file:///w/web-sidekick.service', '[Service]\nExecStart=/bin/true\n');
    assert.deepEqual(titles('file:///w/web.service', PLAIN), []);
  });
});
