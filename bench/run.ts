// `npm run bench`: every benchmark of the project, one after another.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const benches = ['language.ts', 'scheduler.ts', 'workspace.ts', 'journal.ts', 'journal-viewer.ts', 'deploy.ts', 'cluster.ts'].filter((b) => existsSync(join(__dirname, b)));
let failed = false;
for (const b of benches) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, b)], { stdio: 'inherit' });
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
