// The README is for users: every diagnostic they can see must be documented there with its
// real default severity.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../../server/src/language/rules';

test('every rule code appears in the README with its default severity', () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const missing = RULES.filter((r) => !new RegExp(`\\| \`${r.code}\` \\| ${r.defaultSeverity} \\|`).test(readme)).map((r) => `${r.code} (${r.defaultSeverity})`);
  assert.deepEqual(missing, [], `add these rows to the README's diagnostics table: ${missing.join(', ')}`);
});
