// Runs a program to completion with inherited output; rejects on a non-zero exit.
import { spawn, type SpawnOptions } from 'node:child_process';
import { repoRoot } from './paths';

export function run(file: string, args: readonly string[], options: SpawnOptions = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: 'inherit', cwd: repoRoot, ...options });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${file} ${args.join(' ')} failed (${signal ?? `exit ${code}`})`));
    });
  });
}

/** `npm run build`: bundles dist/extension.js and dist/server.js. */
export function buildExtension(): Promise<void> {
  return run('npm', ['run', '--silent', 'build']);
}
