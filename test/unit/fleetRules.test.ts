// The fleet-* rules: «marked» snippets per rule, quick fixes, workspace rules over several files,
// completion and hover in [X-Fleet] (live machines from a small in-test cluster), the reference
// scenario (no fleet diagnostics) and the trap fixtures (each flagged on the right line).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CompletionList, Diagnostic } from 'vscode-languageserver-types';
import { UnitLanguageService } from '../../server/src/language/languageService';
import { NO_CLUSTER, type LiveCluster } from '../../server/src/language/live';
import { RULES } from '../../server/src/language/rules';
import { WorkspaceIndex } from '../../server/src/language/workspace/workspaceIndex';
import { doc, marked, messageOf, rangeString } from '../helpers/markers';

const HEAD = '[Unit]\nDescription=x\n[Service]\nExecStart=/bin/true\n[X-Fleet]\n';

/** A fresh service over a workspace holding `others` (uri → text). */
function serviceWith(others: Record<string, string> = {}, live?: LiveCluster): UnitLanguageService {
  const ws = new WorkspaceIndex();
  for (const [uri, text] of Object.entries(others)) ws.set(uri, text);
  return new UnitLanguageService(ws, live);
}

/** Asserts that `code` reports exactly at the marked ranges of `snippet` (and nowhere else). */
function expectRule(code: string, snippet: string, uri = 'file:///w/app.service', others: Record<string, string> = {}): Diagnostic[] {
  const m = marked(snippet);
  const found = serviceWith(others).validate(doc(uri, m.text)).filter((d) => d.code === code);
  assert.deepEqual(found.map((d) => rangeString(d.range)).sort(), m.ranges.map(rangeString).sort(), `${code}: ${JSON.stringify(found.map(messageOf))}`);
  return found;
}

function fixesFor(code: string, uri: string, text: string, others: Record<string, string> = {}) {
  const service = serviceWith(others);
  const d = doc(uri, text);
  const ds = service.validate(d).filter((x) => x.code === code);
  assert.ok(ds.length > 0, `no ${code} diagnostic`);
  return service.codeActions(d, ds).map((a) => ({ title: a.title, preferred: a.isPreferred, edits: a.edit!.changes![uri].map((e) => [rangeString(e.range), e.newText]) }));
}

const severityOf = (code: string) => RULES.find((r) => r.code === code)?.defaultSeverity;

describe('fleet rules: registration', () => {
  test('codes, severities and scopes', () => {
    const fleet = RULES.filter((r) => r.code.startsWith('fleet-')).map((r) => `${r.code}:${r.defaultSeverity}:${r.scope ?? 'file'}`);
    assert.deepEqual(fleet, [
      'fleet-section-case:warning:file',
      'fleet-unknown-option:error:file',
      'fleet-deprecated-option:warning:file',
      'fleet-forbidden-combination:error:file',
      'fleet-peer-conflict:error:file',
      'fleet-global-value:warning:file',
      'fleet-metadata-syntax:error:file',
      'fleet-unquoted-list:warning:file',
      'fleet-empty-value:warning:file',
      'fleet-invalid-glob:warning:file',
      'fleet-unsupported-specifier:error:file',
      'fleet-template-type:error:file',
      'fleet-machineof-missing:warning:workspace',
      'fleet-mutual-machineof:error:workspace',
      'fleet-replaces-cycle:error:workspace',
    ]);
  });
  test('the generic rules leave [X-Fleet] alone', () => {
    const ds = serviceWith({ 'file:///w/db.service': '[Service]\nExecStart=/bin/true\n' }).validate(
      doc('file:///w/app.service', `${HEAD}MachineOf=db.service\nConflicts=app*\nMachineMetadata="region=eu" "disk=ssd"\nGlobal=false\n`),
    );
    assert.deepEqual(ds.map((d) => `${d.code}: ${messageOf(d)}`), []);
  });
});

describe('fleet-unknown-option', () => {
  test('unknown keys, with did-you-mean; case matters', () => {
    const ds = expectRule('fleet-unknown-option', `${HEAD}«MachineOff»=a.service\n«machineof»=b.service\n«Weight»=3\nMachineOf=c.service\n`, 'file:///w/app.service', {
      'file:///w/c.service': '[Service]\nExecStart=/bin/true\n',
    });
    assert.match(messageOf(ds[0]), /Did you mean MachineOf=\?/);
    assert.match(messageOf(ds[1]), /Did you mean MachineOf=\?/);
    assert.doesNotMatch(messageOf(ds[2]), /Did you mean/);
    assert.equal(severityOf('fleet-unknown-option'), 'error');
  });
  test('quick fix applies the suggestion', () => {
    const [fix] = fixesFor('fleet-unknown-option', 'file:///w/app.service', `${HEAD}Conflict=app*\n`);
    assert.deepEqual(fix, { title: 'Change to Conflicts=', preferred: true, edits: [['5:0-5:8', 'Conflicts']] });
  });
});

describe('fleet-deprecated-option', () => {
  test('every old spelling, tagged deprecated, with a rename', () => {
    const ds = expectRule(
      'fleet-deprecated-option',
      `${HEAD}«X-ConditionMachineID»=0123\n«X-ConditionMachineBootID»=abcd\n«X-ConditionMachineOf»=a.service\n«X-ConditionMachineMetadata»=r=1\n«X-Conflicts»=b*\n`,
    );
    assert.match(messageOf(ds[1]), /machine ID, not a boot ID/);
    assert.ok(ds.every((d) => d.tags?.includes(2)));
  });
  test('quick fix renames the key', () => {
    const fixes = fixesFor('fleet-deprecated-option', 'file:///w/app.service', `${HEAD}X-Conflicts=b*\n`);
    assert.deepEqual(fixes, [{ title: 'Rename to Conflicts=', preferred: true, edits: [['5:0-5:11', 'Conflicts']] }]);
  });
});

describe('fleet-forbidden-combination', () => {
  test('MachineID with MachineOf/Conflicts/Global/Replaces', () => {
    const ds = expectRule('fleet-forbidden-combination', `${HEAD}«MachineID»=0123456789abcdef0123456789abcdef\n«MachineOf»=a.service\n«Conflicts»=b*\n«Replaces»=c.service\n«Global»=true\n`);
    const machineId = ds.find((d) => messageOf(d).startsWith('MachineID='))!;
    assert.match(messageOf(machineId), /MachineOf=.*Conflicts=.*Replaces=.*Global=/);
    assert.equal(machineId.relatedInformation?.length, 4);
  });
  test('aliases count; Global only when true (the last value)', () => {
    expectRule('fleet-forbidden-combination', `${HEAD}«X-ConditionMachineBootID»=abc\n«X-ConditionMachineOf»=a.service\nGlobal=false\n`);
    expectRule('fleet-forbidden-combination', `${HEAD}MachineID=abc\nGlobal=true\nGlobal=no\n`);
    expectRule('fleet-forbidden-combination', `${HEAD}«MachineID»=abc\nGlobal=no\n«Global»=yes\n`);
  });
  test('Global with MachineOf or Replaces; Conflicts with Replaces; Global with Conflicts or MachineMetadata is fine', () => {
    expectRule('fleet-forbidden-combination', `${HEAD}«Global»=true\n«MachineOf»=a.service\n`);
    expectRule('fleet-forbidden-combination', `${HEAD}«Global»=true\n«Replaces»=a.service\n`);
    expectRule('fleet-forbidden-combination', `${HEAD}«Conflicts»=a*\n«X-Conflicts»=b*\n«Replaces»=c.service\n`);
    expectRule('fleet-forbidden-combination', `${HEAD}Global=true\nConflicts=a*\nMachineMetadata=role=edge\n`);
    expectRule('fleet-forbidden-combination', `${HEAD}MachineOf=a.service\nConflicts=b*\nMachineMetadata=role=edge\n`);
  });
  test('an empty value still counts (fleet has no reset)', () => {
    expectRule('fleet-forbidden-combination', `${HEAD}«MachineID»=abc\n«MachineOf»=\n`);
  });
});

describe('fleet-peer-conflict', () => {
  test('a MachineOf= unit matched by the own Conflicts= or Replaces= pattern', () => {
    expectRule('fleet-peer-conflict', `${HEAD}MachineOf=«web@1.service»\nConflicts=web@*\n`);
    expectRule('fleet-peer-conflict', `${HEAD}MachineOf=«%p-db.service»\nConflicts=app-*\n`);
    expectRule('fleet-peer-conflict', `${HEAD}MachineOf=a.service\nConflicts=b*\n`);
  });
});

describe('fleet-global-value', () => {
  test('values fleet does not read as true (nor obviously false)', () => {
    expectRule('fleet-global-value', `${HEAD}Global=«y»\nGlobal=«enabled»\nGlobal=TRUE\nGlobal=t\nGlobal=0\nGlobal=Off\nGlobal=\n`);
  });
  test('quick fixes: true (preferred) or false, inside the quotes', () => {
    const fixes = fixesFor('fleet-global-value', 'file:///w/app.service', `${HEAD}Global="y"\n`);
    assert.deepEqual(fixes, [
      { title: 'Change to true', preferred: true, edits: [['5:8-5:9', 'true']] },
      { title: 'Change to false', preferred: false, edits: [['5:8-5:9', 'false']] },
    ]);
  });
});

describe('fleet-metadata-syntax', () => {
  test('not key=value, empty sides, several =', () => {
    const ds = expectRule('fleet-metadata-syntax', `${HEAD}MachineMetadata=«region»\nMachineMetadata=«=eu»\nMachineMetadata=«disk=»\nMachineMetadata=«a=b=c»\nMachineMetadata="ok=1" «"bad"»\nMachineMetadata=role=web server\n`);
    assert.match(messageOf(ds[0]), /not key=value/);
    assert.match(messageOf(ds[3]), /more than one/);
  });
});

describe('fleet-unquoted-list', () => {
  test('several values without quotes; MachineMetadata only when it holds several pairs', () => {
    expectRule('fleet-unquoted-list', `${HEAD}Conflicts=«a* b*»\nMachineOf=«a.service b.service»\nMachineMetadata=«region=eu disk=ssd»\nMachineMetadata=role=web server\nConflicts="a*" "b*"\n`);
  });
  test('quick fix quotes each value', () => {
    const fixes = fixesFor('fleet-unquoted-list', 'file:///w/app.service', `${HEAD}Conflicts=web@*.service  db.service\n`);
    assert.deepEqual(fixes, [{ title: 'Quote each value: "web@*.service" "db.service"', preferred: true, edits: [['5:10-5:35', '"web@*.service" "db.service"']] }]);
  });
});

describe('fleet-empty-value', () => {
  test('empty values are values in fleet (Global= is a harmless false)', () => {
    expectRule('fleet-empty-value', `${HEAD}«MachineOf=»\n«MachineID=»\nMachineMetadata=«"a=1"  "b=2"»\nGlobal=\n`);
  });
});

describe('fleet-invalid-glob', () => {
  test('malformed Conflicts=/Replaces= patterns', () => {
    expectRule('fleet-invalid-glob', `${HEAD}Conflicts=web@«[0-9.service»\nConflicts=web@[0-9].service\nX-Conflicts=[^«]»\n`);
    expectRule('fleet-invalid-glob', `${HEAD}Replaces="ok.service" "[a-«]»"\n`);
  });
});

describe('fleet-unsupported-specifier', () => {
  test('only %n %N %p %i; %% is no escape', () => {
    const ds = expectRule('fleet-unsupported-specifier', `${HEAD}MachineOf=web@%i.service\nConflicts=%p-«%H»*\nMachineMetadata=host=«%m»\nReplaces=«%%»n.service\nConflicts=%n-%N\n`);
    assert.match(messageOf(ds[0]), /host name/);
    assert.match(messageOf(ds[2]), /no %% escape/);
  });
  test('outside [X-Fleet] specifiers are systemd\'s business', () => {
    expectRule('fleet-unsupported-specifier', '[Unit]\nDescription=%H\n[Service]\nExecStart=/bin/echo %m\n');
  });
});

describe('fleet-template-type', () => {
  test('templates of types systemd cannot instantiate', () => {
    expectRule('fleet-template-type', '«[Unit]»\nDescription=x\n[Mount]\nWhat=/dev/x\nWhere=/x\n', 'file:///w/data@.mount');
    expectRule('fleet-template-type', '«[Slice]»\nMemoryMax=1G\n', 'file:///w/tenant@.slice');
    for (const ok of ['a@.service', 'a@.socket', 'a@.target', 'a@.timer', 'a@.path', 'a.mount', 'a@x.service']) {
      expectRule('fleet-template-type', '[Unit]\nDescription=x\n', `file:///w/${ok}`);
    }
    expectRule('fleet-template-type', '[Mount]\nOptions=ro\n', 'file:///w/data@.mount.d/override.conf');
  });
});

describe('fleet-section-case', () => {
  test('[X-FLEET] is ignored by fleet; rename fix', () => {
    expectRule('fleet-section-case', '[Service]\nExecStart=/bin/true\n[«X-FLEET»]\nMachineOf=a.service\n[X-Fleet]\n');
    const fixes = fixesFor('fleet-section-case', 'file:///w/app.service', '[Service]\nExecStart=/bin/true\n[x-fleet]\n');
    assert.deepEqual(fixes, [{ title: 'Rename to [X-Fleet]', preferred: true, edits: [['2:1-2:8', 'X-Fleet']] }]);
  });
});

describe('fleet-machineof-missing (workspace)', () => {
  const others = {
    'file:///w/db.service': '[Service]\nExecStart=/bin/true\n',
    'file:///w/web@.service': '[Service]\nExecStart=/bin/true\n',
    'file:///w/other/cache@7.service': '[Service]\nExecStart=/bin/true\n',
  };
  test('exact names, templates of instances, and what is missing', () => {
    const ds = expectRule(
      'fleet-machineof-missing',
      `${HEAD}MachineOf=db.service\nMachineOf=web@3.service\nMachineOf=cache@7.service\nMachineOf=«dbb.service»\nMachineOf=«api@1.service»\nMachineOf=«db»\n`,
      'file:///w/app.service',
      others,
    );
    assert.match(messageOf(ds[0]), /Did you mean db\.service\?/);
    assert.match(messageOf(ds[1]), /api@1\.service or its template api@\.service/);
    assert.match(messageOf(ds[2]), /no unit type suffix/);
  });
  test('in a template, %i resolves through the other template', () => {
    expectRule('fleet-machineof-missing', `${HEAD}MachineOf=web@%i.service\nMachineOf=«wbe@%i.service»\n`, 'file:///w/web-sidekick@.service', others);
  });
  test('a template is never scheduled: %i in a plain unit expands to the template name', () => {
    const [d] = expectRule('fleet-machineof-missing', `${HEAD}MachineOf=«web@%i.service»\n`, 'file:///w/plain.service', others);
    assert.match(messageOf(d), /names a template.*%i is empty/);
  });
  test('re-checks when the target appears', () => {
    const service = serviceWith();
    const app = doc('file:///w/app.service', `${HEAD}MachineOf=late.service\n`);
    assert.equal(service.validate(app).filter((d) => d.code === 'fleet-machineof-missing').length, 1);
    service.workspace.set('file:///w/late.service', '[Service]\nExecStart=/bin/true\n');
    assert.equal(service.validate(app).filter((d) => d.code === 'fleet-machineof-missing').length, 0);
  });
});

describe('fleet-mutual-machineof (workspace)', () => {
  test('A → B and B → A: an error on both', () => {
    const a = `${HEAD}MachineOf=«b.service»\n`;
    const b = `${HEAD}MachineOf=«a.service»\n`;
    expectRule('fleet-mutual-machineof', a, 'file:///w/a.service', { 'file:///w/b.service': marked(b).text });
    const [d] = expectRule('fleet-mutual-machineof', b, 'file:///w/b.service', { 'file:///w/a.service': marked(a).text });
    assert.match(messageOf(d), /mutual: b\.service → a\.service → b\.service/);
  });
  test('after instance expansion: templates pointing at each other', () => {
    expectRule('fleet-mutual-machineof', `${HEAD}MachineOf=«b@%i.service»\n`, 'file:///w/a@.service', { 'file:///w/b@.service': `${HEAD}MachineOf=a@%i.service\n` });
    // a@%i → b@%i → a@x%i → b@x%i → …: the names never come back to a@%i, so no cycle.
    expectRule('fleet-mutual-machineof', `${HEAD}MachineOf=b@%i.service\n`, 'file:///w/a@.service', { 'file:///w/b@.service': `${HEAD}MachineOf=a@x%i.service\n` });
    // An instance pointing back at a plain unit.
    expectRule('fleet-mutual-machineof', `${HEAD}MachineOf=«a@1.service»\n`, 'file:///w/b.service', { 'file:///w/a@.service': `${HEAD}MachineOf=b.service\n` });
  });
  test('longer cycles and self', () => {
    const [d] = expectRule('fleet-mutual-machineof', `${HEAD}MachineOf=«b.service»\n`, 'file:///w/a.service', {
      'file:///w/b.service': `${HEAD}MachineOf=c.service\n`,
      'file:///w/c.service': `${HEAD}MachineOf=a.service\n`,
    });
    assert.match(messageOf(d), /cycle: a\.service → b\.service → c\.service → a\.service/);
    expectRule('fleet-mutual-machineof', `${HEAD}MachineOf=«%n»\n`, 'file:///w/a.service');
    expectRule('fleet-mutual-machineof', `${HEAD}MachineOf=b.service\n`, 'file:///w/a.service', { 'file:///w/b.service': `${HEAD}MachineOf=c.service\n` });
  });
});

describe('fleet-replaces-cycle (workspace)', () => {
  test('two units replacing each other', () => {
    const [d] = expectRule('fleet-replaces-cycle', `${HEAD}Replaces=«b.service»\n`, 'file:///w/a.service', { 'file:///w/b.service': `${HEAD}Replaces=a.service\n` });
    assert.match(messageOf(d), /both ways/);
  });
  test('globs, longer loops, template instances', () => {
    expectRule('fleet-replaces-cycle', `${HEAD}Replaces=«b*»\n`, 'file:///w/a.service', {
      'file:///w/b1.service': `${HEAD}Replaces=c.service\n`,
      'file:///w/c.service': `${HEAD}Replaces=a.service\n`,
    });
    expectRule('fleet-replaces-cycle', `${HEAD}Replaces=«old@1.service»\n`, 'file:///w/new.service', { 'file:///w/old@.service': `${HEAD}Replaces=new.service\n` });
    expectRule('fleet-replaces-cycle', `${HEAD}Replaces=«app@*.service»\n`, 'file:///w/app@.service');
    expectRule('fleet-replaces-cycle', `${HEAD}Replaces=app@1.service\n`, 'file:///w/app@.service');
    expectRule('fleet-replaces-cycle', `${HEAD}Replaces=b.service\n`, 'file:///w/a.service', { 'file:///w/b.service': `${HEAD}Replaces=c.service\n` });
  });
});

describe('the reference scenario', () => {
  test('examples/helloworld produces no fleet diagnostics', () => {
    const dir = join(__dirname, '..', '..', 'examples', 'helloworld');
    const service = serviceWith();
    const docs = readdirSync(dir).map((f) => doc(pathToFileURL(join(dir, f)).toString(), readFileSync(join(dir, f), 'utf8')));
    for (const d of docs) service.parse(d);
    const fleet = docs.flatMap((d) => service.validate(d).filter((x) => String(x.code).startsWith('fleet-')).map((x) => `${d.uri}:${x.range.start.line + 1} ${x.code}: ${messageOf(x)}`));
    assert.deepEqual(fleet, []);
  });
});

describe('trap fixtures (test/fixtures/fleet)', () => {
  const root = join(__dirname, '..', 'fixtures', 'fleet');
  const traps = readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  test('there is a fixture per trap', () => {
    for (const t of ['machineof-missing', 'mutual-machineof', 'forbidden-combination', 'bad-specifier', 'replaces-cycle']) assert.ok(traps.includes(t), t);
  });
  for (const trap of traps) {
    test(trap, () => {
      const dir = join(root, trap);
      const service = serviceWith();
      const docs = readdirSync(dir).map((f) => doc(pathToFileURL(join(dir, f)).toString(), readFileSync(join(dir, f), 'utf8')));
      for (const d of docs) service.parse(d);
      const expected: string[] = [];
      const found: string[] = [];
      for (const d of docs) {
        const name = d.uri.slice(d.uri.lastIndexOf('/') + 1);
        d.getText()
          .split('\n')
          .forEach((line, i) => {
            const m = /^# ↓ (fleet-[a-z-]+)$/.exec(line);
            if (m) expected.push(`${name}:${i + 2} ${m[1]}`);
          });
        for (const x of service.validate(d)) if (String(x.code).startsWith('fleet-')) found.push(`${name}:${x.range.start.line + 1} ${x.code}`);
      }
      assert.ok(expected.length > 0, 'a fixture must mark at least one trap');
      assert.deepEqual(found.sort(), expected.sort());
    });
  }
});

describe('completion in [X-Fleet]', () => {
  const live: LiveCluster = {
    machines: async () => [
      { machineId: '0123456789abcdef0123456789abcdef', hostname: 'node-1', metadata: { region: 'eu', disk: 'ssd' } },
      { machineId: 'fedcba9876543210fedcba9876543210', hostname: 'node-2', metadata: { region: 'us', disk: 'ssd' } },
    ],
    etcdKeys: async () => [],
  };
  const others = { 'file:///w/db.service': '[Service]\nExecStart=/bin/true\n', 'file:///w/web@.service': '[Service]\nExecStart=/bin/true\n' };
  async function complete(snippet: string, uri = 'file:///w/app.service', cluster: LiveCluster = live): Promise<CompletionList> {
    const m = marked(snippet, { cursor: true });
    return serviceWith(others, cluster).complete(doc(uri, m.text), m.cursor!);
  }
  const labels = (l: CompletionList) => l.items.map((i) => i.label);

  test('option names with docs; deprecated spellings tagged and last', async () => {
    const l = await complete(`${HEAD}Mach|`);
    assert.deepEqual(labels(l).slice(0, 6), ['MachineID', 'MachineOf', 'MachineMetadata', 'Conflicts', 'Global', 'Replaces']);
    const old = l.items.find((i) => i.label === 'X-Conflicts')!;
    assert.deepEqual(old.tags, [1]);
    assert.ok(old.sortText!.startsWith('~'));
    const machineOf = l.items.find((i) => i.label === 'MachineOf')!;
    assert.match((machineOf.documentation as { value: string }).value, /Co-locates/);
    assert.equal((machineOf.textEdit as { newText: string }).newText, 'MachineOf=');
  });
  test('Global= values', async () => {
    assert.deepEqual(labels(await complete(`${HEAD}Global=|`)), ['true', 'false']);
  });
  test('MachineOf=/Replaces= from workspace units; Conflicts= adds template globs', async () => {
    assert.deepEqual(labels(await complete(`${HEAD}MachineOf=|`)), ['db.service']);
    assert.deepEqual(labels(await complete(`${HEAD}Replaces=|`)), ['db.service']);
    assert.deepEqual(labels(await complete(`${HEAD}Conflicts=|`)), ['db.service', 'web@*.service']);
    // In a template: the matching instance of other templates.
    assert.deepEqual(labels(await complete(`${HEAD}MachineOf=|`, 'file:///w/web-sidekick@.service')), ['db.service', 'web@%i.service']);
  });
  test('quoted form: only the value being typed is replaced', async () => {
    const l = await complete(`${HEAD}Conflicts="db.service" "we|`);
    const edit = l.items.find((i) => i.label === 'web@*.service')!.textEdit as { range: { start: { character: number } } };
    assert.equal(edit.range.start.character, 24);
  });
  test('MachineID= from the live cluster', async () => {
    const l = await complete(`${HEAD}MachineID=|`);
    assert.deepEqual(labels(l), ['0123456789abcdef0123456789abcdef', 'fedcba9876543210fedcba9876543210']);
    assert.equal(l.items[0].detail, 'node-1');
  });
  test('MachineMetadata= key=value pairs from the live cluster', async () => {
    const l = await complete(`${HEAD}MachineMetadata=|`);
    assert.deepEqual(labels(l), ['disk=ssd', 'region=eu', 'region=us']);
    assert.equal(l.items[0].detail, 'on node-1, node-2');
  });
  test('no cluster, or a failing one: no machine items', async () => {
    assert.deepEqual(labels(await complete(`${HEAD}MachineID=|`, 'file:///w/app.service', NO_CLUSTER)), []);
    const broken: LiveCluster = { machines: () => Promise.reject(new Error('down')), etcdKeys: async () => [] };
    assert.deepEqual(labels(await complete(`${HEAD}MachineMetadata=|`, 'file:///w/app.service', broken)), []);
  });
  test('only fleet specifiers after %, with their value for this unit', async () => {
    const l = await complete(`${HEAD}MachineOf=web@%|`, 'file:///w/web-sidekick@3.service');
    assert.deepEqual(labels(l), ['%n', '%N', '%p', '%i']);
    assert.match(l.items[3].detail!, /→ 3$/);
  });
  test('[X-Fleet] is offered as a section', async () => {
    assert.ok(labels(await complete('[Unit]\nDescription=x\n[|')).includes('X-Fleet'));
  });
});

describe('hover in [X-Fleet]', () => {
  const service = serviceWith({ 'file:///w/helloworld@.service': '[Service]\nExecStart=/bin/true\n' });
  const hoverAt = (snippet: string, uri = 'file:///w/helloworld-sidekick@.service') => {
    const m = marked(snippet, { cursor: true });
    const h = service.hover(doc(uri, m.text), m.cursor!);
    return h ? (h.contents as { value: string }).value : undefined;
  };
  test('section, options, deprecated options, unknown keys', () => {
    assert.match(hoverAt('[X-F|leet]\nMachineOf=a.service\n')!, /scheduling options read by fleet/);
    assert.match(hoverAt('[X-Fleet]\nMachine|Of=a.service\n')!, /^\*\*MachineOf=\*\*/);
    assert.match(hoverAt('[X-Fleet]\nX-Con|flicts=a*\n')!, /deprecated.*Conflicts=/);
    assert.match(hoverAt('[X-Fleet]\nWei|ght=1\n')!, /not a fleet option/);
  });
  test('specifiers: what fleet makes of them', () => {
    assert.match(hoverAt('[X-Fleet]\nMachineOf=helloworld@%|i.service\n')!, /instance.*helloworld-sidekick@1\.service.*`1`/);
    assert.match(hoverAt('[X-Fleet]\nMachineOf=x-%|H.service\n')!, /fleet does not expand it/);
  });
  test('unit names: expansion and the defining file', () => {
    const h = hoverAt('[X-Fleet]\nMachineOf=hello|world@%i.service\n')!;
    assert.match(h, /Defined by `helloworld@\.service`/);
    const plain = hoverAt('[X-Fleet]\nMachineOf=%p-|db.service\n', 'file:///w/app.service')!;
    assert.match(plain, /fleet reads `app-db\.service`/);
  });
});
