// Finds unit files under a workspace folder (file: URIs only), skipping dependency and VCS folders.
import { opendir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { classifyUnitPath } from './language/unitFile/unitName';

const SKIP = new Set(['node_modules', '.git', 'dist', 'out', '.vscode-test']);
const MAX_FILES = 20000;

export async function* findUnitFiles(rootUri: string): AsyncGenerator<string> {
  if (!rootUri.startsWith('file:')) return;
  const stack = [fileURLToPath(rootUri)];
  let seen = 0;
  while (stack.length > 0 && seen < MAX_FILES) {
    const dir = stack.pop()!;
    let handle;
    try {
      handle = await opendir(dir);
    } catch {
      continue; // unreadable folders are simply not indexed
    }
    for await (const entry of handle) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIP.has(entry.name)) stack.push(path);
      } else if (entry.isFile() && classifyUnitPath(path).unitName) {
        seen++;
        yield pathToFileURL(path).toString();
      }
    }
  }
}
