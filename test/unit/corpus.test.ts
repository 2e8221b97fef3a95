// Zero false alarms: every unit file and drop-in the distribution ships must pass without a
// single Warning or Error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { UnitLanguageService } from '../../server/src/language/languageService';
import { corpusFiles } from '../helpers/corpus';
import { doc } from '../helpers/markers';

test('distribution units produce no warnings or errors', () => {
  const files = corpusFiles();
  assert.ok(files.length > 100, `expected a corpus of unit files, found ${files.length}`);
  const service = new UnitLanguageService();
  const offenders: string[] = [];
  for (const f of files) {
    const ds = service.validate(doc(pathToFileURL(f.path).toString(), f.text));
    for (const d of ds) {
      if (d.severity === DiagnosticSeverity.Error || d.severity === DiagnosticSeverity.Warning) {
        offenders.push(`${f.path}:${d.range.start.line + 1}: [${d.code}] ${d.message}`);
      }
    }
  }
  console.log(`corpus: ${files.length} files (${files.filter((f) => f.path.includes('.d/')).length} drop-ins)`);
  assert.deepEqual(offenders, [], `${offenders.length} false alarms:\n${offenders.join('\n')}`);
});
