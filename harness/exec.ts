// Runs host programs with argument arrays (never a shell string), so machine names, paths and
// remote commands can never be re-interpreted by a shell on the host.
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';

export interface RunOptions {
  /** Extra environment on top of process.env. */
  env?: NodeJS.ProcessEnv;
  /** Bytes written to the program's standard input. */
  input?: string | Buffer;
  timeoutMs?: number;
  cwd?: string;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class CommandError extends Error {
  constructor(
    readonly file: string,
    readonly args: readonly string[],
    readonly result: RunResult,
  ) {
    const detail = (result.stderr || result.stdout).trim().split('\n').slice(-5).join('\n');
    super(`${file} ${args.join(' ')} exited with ${result.code}${detail ? `: ${detail}` : ''}`);
    this.name = 'CommandError';
  }
}

/** Runs a program and resolves with its output whatever its exit code. */
export function tryRun(file: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(
      file,
      args,
      {
        env: options.env ? { ...process.env, ...options.env } : process.env,
        timeout: options.timeoutMs ?? 120_000,
        maxBuffer: 64 * 1024 * 1024,
        cwd: options.cwd,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        let code = 0;
        if (error) {
          const e = error as NodeJS.ErrnoException & { code?: unknown; killed?: boolean };
          // A missing program has a string code (ENOENT); report it as 127 like a shell would.
          code = typeof e.code === 'number' ? e.code : e.killed ? 124 : 127;
          if (typeof e.code === 'string' && !stderr) stderr = `${file}: ${e.message}`;
        }
        resolve({ code, stdout, stderr });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** Runs a program and rejects with a CommandError when it fails. */
export async function run(file: string, args: readonly string[], options: RunOptions = {}): Promise<string> {
  const result = await tryRun(file, args, options);
  if (result.code !== 0) throw new CommandError(file, args, result);
  return result.stdout;
}

/** Synchronous variant for the few checks that must stay synchronous (canRunCluster). */
export function tryRunSync(file: string, args: readonly string[]): RunResult {
  try {
    const stdout = execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 });
    return { code: 0, stdout, stderr: '' };
  } catch (error) {
    const e = error as { status?: number | null; stdout?: string; stderr?: string };
    return { code: e.status ?? 127, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** Finds a program in PATH (plus the sbin folders, which a non-login root shell may lack). */
export function which(program: string): string | undefined {
  const dirs = (process.env.PATH ?? '').split(':').concat(['/usr/local/sbin', '/usr/sbin', '/sbin', '/usr/bin', '/bin']);
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = `${dir}/${program}`;
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns a value other than undefined, or throws after timeoutMs. */
export async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
    }
    await sleep(intervalMs);
  }
}
