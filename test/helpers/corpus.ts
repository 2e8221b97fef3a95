// The distribution corpus: every unit file and drop-in installed on this machine.
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { classifyUnitPath } from '../../server/src/language/unitFile/unitName';

export const CORPUS_ROOTS = ['/lib/systemd/system', '/usr/lib/systemd', '/etc/systemd/system'];

export interface CorpusFile {
  path: string;
  text: string;
}

/** Unit files and drop-ins (by real path, so aliases and *.wants links count once). */
export function corpusFiles(roots: string[] = CORPUS_ROOTS): CorpusFile[] {
  const seen = new Set<string>();
  const files: CorpusFile[] = [];
  const walk = (dir: string) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(dir, name);
      let real: string;
      let isDir: boolean;
      try {
        real = realpathSync(path);
        isDir = statSync(real).isDirectory();
      } catch {
        continue; // dangling link
      }
      if (isDir) {
        walk(path);
        continue;
      }
      // Masked units link to /dev/null; they are not unit files.
      if (seen.has(real) || real === '/dev/null' || !classifyUnitPath(real).type) continue;
      seen.add(real);
      files.push({ path: real, text: readFileSync(real, 'utf8') });
    }
  };
  for (const root of roots) walk(root);
  return files.sort((a, b) => a.path.localeCompare(b.path));
}
