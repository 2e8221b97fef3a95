// Each etcd trap fixture (test/fixtures/etcd/<trap>/) is one workspace: every `# ↓ etcd-<code>`
// marker must be matched by that diagnostic on the next non-comment line, and no other etcd-*
// diagnostic may appear. The reference scenario (examples/helloworld) must have no diagnostics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UnitLanguageService } from '../../server/src/language/languageService';
import { doc, messageOf } from '../helpers/markers';

const FIXTURES = join(__dirname, '..', 'fixtures', 'etcd');
const EXAMPLE = join(__dirname, '..', '..', 'examples', 'helloworld');

/** Opens every file of a folder in one service, returns the diagnostics by file name. */
function checkFolder(dir: string) {
  const service = new UnitLanguageService();
  const files = readdirSync(dir).filter((f) => !f.endsWith('.md'));
  const docs = files.map((f) => ({ name: f, text: readFileSync(join(dir, f), 'utf8'), doc: doc(pathToFileURL(join(dir, f)).toString(), readFileSync(join(dir, f), 'utf8')) }));
  for (const d of docs) service.parse(d.doc); // the whole folder is the workspace
  return docs.map((d) => ({ ...d, diagnostics: service.validate(d.doc) }));
}

function expectedMarkers(text: string): string[] {
  const lines = text.split('\n');
  const expected: string[] = [];
  let pending: string[] = [];
  lines.forEach((line, i) => {
    const m = /^#\s*↓\s*(etcd-[a-z0-9-]+)/.exec(line.trim());
    if (m) pending.push(m[1]);
    else if (!line.trim().startsWith('#') && pending.length > 0) {
      for (const code of pending) expected.push(`${code}@${i}`);
      pending = [];
    }
  });
  return expected.sort();
}

for (const trap of readdirSync(FIXTURES).filter((f) => statSync(join(FIXTURES, f)).isDirectory())) {
  test(`fixture ${trap}: flagged on the marked lines, nowhere else`, () => {
    let markers = 0;
    for (const f of checkFolder(join(FIXTURES, trap))) {
      const expected = expectedMarkers(f.text);
      markers += expected.length;
      const found = f.diagnostics.filter((d) => String(d.code).startsWith('etcd-'));
      assert.deepEqual(found.map((d) => `${d.code}@${d.range.start.line}`).sort(), expected, `${trap}/${f.name}: ${JSON.stringify(found.map(messageOf))}`);
    }
    assert.ok(markers > 0, `${trap} has no markers`);
  });
}

test('the reference scenario (examples/helloworld) has no diagnostics at all', () => {
  for (const f of checkFolder(EXAMPLE)) assert.deepEqual(f.diagnostics.map((d) => `${d.code}: ${messageOf(d)}`), [], f.name);
});
