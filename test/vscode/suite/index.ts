// Entry point VS Code loads as --extensionTestsPath: runs every *.test.js next to it with mocha (TDD UI).
import Mocha from 'mocha';
import * as fs from 'node:fs';
import * as path from 'node:path';

export function run(): Promise<void> {
  process.setSourceMapsEnabled(true); // stack traces point into test/vscode/suite/*.ts
  const mocha = new Mocha({ ui: 'tdd', timeout: 60_000, color: true });
  const grep = process.env.UNIT_FLEET_TEST_GREP;
  if (grep) mocha.grep(grep);
  for (const file of fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) {
    mocha.addFile(path.join(__dirname, file));
  }
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} test(s) failed`)) : resolve()));
  });
}
