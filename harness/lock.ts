// One harness operation at a time per project: `up` from a test and `down` from a terminal must not
// interleave. The lock file holds the owner's pid, so a lock left by a crashed run is recognised.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sleep } from './exec';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Operations of this process run one after another (the file lock then orders processes). */
let queue: Promise<unknown> = Promise.resolve();

export function withLock<T>(file: string, body: () => Promise<T>, timeoutMs = 120_000): Promise<T> {
  const next = queue.then(() => withFileLock(file, body, timeoutMs));
  queue = next.catch(() => undefined);
  return next;
}

async function withFileLock<T>(file: string, body: () => Promise<T>, timeoutMs: number): Promise<T> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let text = '';
      try {
        text = fs.readFileSync(file, 'utf8').trim();
      } catch {
        continue; // released between our open and our read
      }
      const owner = Number(text);
      if (owner === process.pid) throw new Error('harness operations may not be nested (deadlock)');
      // An empty file is a lock being taken right now (open done, pid not yet written): wait.
      if (text !== '' && (!Number.isInteger(owner) || owner <= 0 || !alive(owner))) {
        fs.rmSync(file, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`another harness operation (pid ${owner}) holds ${file}`);
      await sleep(200);
    }
  }
  try {
    return await body();
  } finally {
    fs.rmSync(file, { force: true });
  }
}
