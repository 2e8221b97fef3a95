// Property-based: whatever the input, the parser and every rule and feature return normally and
// every range they produce lies inside the document.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Range } from 'vscode-languageserver-types';
import { UnitLanguageService } from '../../server/src/language/languageService';
import { parseUnitFile } from '../../server/src/language/unitFile/parser';
import { doc, messageOf } from '../helpers/markers';

const service = new UnitLanguageService();

// Unit-file-shaped text: fragments that exercise sections, continuations, comments and values.
const fragment = fc.oneof(
  fc.constantFrom('[Unit]', '[Service]', '[Install]', '[X-Fleet]', '[Timer', '[]', 'ExecStart=', 'After=', 'Restart=', 'TimeoutStartSec=', 'User=', 'Type=', '%i', '%%', '$VAR', '${X}', '"', "'", '\\', '#', ';', '=', ' ', '\t', '\n', '\r\n', '\r', '\uFEFF', '\u0000', '5min 20s', 'yes', 'on-failure', 'a.target b.service'),
  fc.string({ maxLength: 12 }),
);
const unitText = fc.array(fragment, { maxLength: 80 }).map((parts) => parts.join(''));

function inside(r: Range, lines: string[]): boolean {
  const ok = (p: Range['start']) => p.line >= 0 && p.line < lines.length && p.character >= 0 && p.character <= lines[p.line].length;
  const ordered = r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character);
  return ok(r.start) && ok(r.end) && ordered;
}

const names = ['file:///w/a.service', 'file:///w/t@.service', 'file:///w/x.timer', 'file:///w/a.service.d/o.conf', 'file:///w/untitled'];

test('parser, rules and features never throw and keep ranges inside the document', async () => {
  await fc.assert(
    fc.asyncProperty(unitText, fc.constantFrom(...names), fc.nat(), async (text, uri, seed) => {
      const lines = text.split(/\r\n|\r|\n/);
      const file = parseUnitFile(text);
      for (const n of file.nodes) assert.ok(inside(n.range, lines), `node range outside: ${JSON.stringify(n.range)}`);
      const d = doc(uri, text);
      const diagnostics = service.validate(d);
      for (const diag of diagnostics) {
        assert.notEqual(diag.code, 'internal-error', messageOf(diag));
        assert.ok(inside(diag.range, lines), `${diag.code} range outside: ${JSON.stringify(diag.range)}`);
      }
      service.codeActions(d, diagnostics);
      const line = seed % lines.length;
      const position = { line, character: seed % (lines[line].length + 1) };
      await service.complete(d, position);
      service.hover(d, position);
      service.symbols(d);
      for (const f of service.folding(d)) assert.ok(f.startLine <= f.endLine && f.endLine < lines.length);
    }),
    { numRuns: 3000 },
  );
});
