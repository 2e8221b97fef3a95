// Starts code-server (VS Code 1.100 server + web workbench) in isolation: its own HOME, XDG dirs,
// short TMPDIR, config, user-data-dir and extensions-dir under `.code-server/run-<name>/`, in its
// own process group; waits for /healthz. Used by `npm start`, the code shim and the UI test.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureCodeServer } from './install-code-server';
import { codeServerHome, extensionIdentity, repoRoot } from './paths';
import { freePort } from './ports';

export interface LaunchOptions {
  /** Names the run folder `.code-server/run-<name>/` (default: `pid-<pid>`). */
  name?: string;
  /** Port to use; taken or 0 → any free port. Default 0. */
  port?: number;
  /** Folder opened when the URL carries no `?folder=`. */
  folder?: string;
  /** Default `<run>/user-data`. */
  userDataDir?: string;
  /** Default `<run>/extensions`. */
  extensionsDir?: string;
  /** Symlink the repository (built) as an installed extension. Default true. Off for extension development runs. */
  installExtension?: boolean;
  /** Merged into `<userDataDir>/User/settings.json` (a new file also gets `quietSettings`). */
  settings?: Record<string, unknown>;
  /** On SIGINT/SIGTERM/SIGHUP stop code-server, then let the signal end the process. Default true; off when the caller handles signals. */
  handleSignals?: boolean;
  /** Delete the run folder on stop() (set UNIT_FLEET_KEEP_RUNS=1 to keep it for its log). */
  ephemeral?: boolean;
  /** Echo code-server's output (it always goes to `<run>/code-server.log`). */
  echo?: boolean;
}

export interface CodeServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  port: number;
  pid: number;
  runDir: string;
  logFile: string;
  /** `http://127.0.0.1:PORT/?folder=/abs/path` */
  folderUrl(folder: string): string;
  /** `vscode-remote://127.0.0.1:PORT/abs/path` as URI components, how the web workbench names server files. */
  remoteUri(absPath: string): { scheme: string; authority: string; path: string };
  /** Resolves when code-server exits (by stop() or on its own). */
  exited: Promise<void>;
  stop(): Promise<void>;
}

/** Settings that keep a fresh profile quiet and deterministic (no welcome page, no update checks). */
export const quietSettings: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'chat.commandCenter.enabled': false,
};

export async function launchCodeServer(options: LaunchOptions = {}): Promise<CodeServer> {
  const entry = await ensureCodeServer();
  const runDir = path.join(codeServerHome, `run-${options.name ?? `pid-${process.pid}`}`);
  const home = path.join(runDir, 'home');
  const userDataDir = path.resolve(options.userDataDir ?? path.join(runDir, 'user-data'));
  const extensionsDir = path.resolve(options.extensionsDir ?? path.join(runDir, 'extensions'));
  for (const dir of [home, userDataDir, extensionsDir]) fs.mkdirSync(dir, { recursive: true });
  // Unix socket paths are limited to ~107 bytes: keep TMPDIR short, not under the repository.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ucs-'));
  const configFile = path.join(runDir, 'config.yaml');
  fs.writeFileSync(configFile, 'auth: none\ncert: false\n');
  writeSettings(userDataDir, options.settings ?? {});
  linkExtension(extensionsDir, options.installExtension ?? true);

  const port = await freePort(options.port ?? 0);
  const args = [
    entry,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--config', configFile,
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
  ];
  if (options.folder) args.push(path.resolve(options.folder));

  const logFile = path.join(runDir, 'code-server.log');
  const log = fs.openSync(logFile, 'w');
  const child = spawn(process.execPath, args, {
    cwd: runDir,
    detached: true, // own process group: stop() ends code-server, its extension hosts and language servers
    stdio: ['ignore', 'pipe', 'pipe'],
    env: childEnv({ HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_DATA_HOME: path.join(home, '.local', 'share'), XDG_CACHE_HOME: path.join(home, '.cache'), TMPDIR: tmp }),
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream.on('data', (chunk: Buffer) => {
      fs.writeSync(log, chunk);
      if (options.echo) process.stderr.write(chunk);
    });
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start code-server (${process.execPath} ${entry})`);

  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => child.once('exit', () => { exited = true; resolve(); }));
  const killGroup = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-pid, signal);
    } catch {
      /* already gone */
    }
  };
  // Never leave code-server behind: on exit kill its group; on Ctrl-C / SIGTERM stop it, then
  // let the signal do what it would have done.
  const onParentExit = (): void => killGroup('SIGKILL');
  process.once('exit', onParentExit);
  const signals: NodeJS.Signals[] = options.handleSignals === false ? [] : ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const onSignal = (signal: NodeJS.Signals): void => {
    void stop().finally(() => process.kill(process.pid, signal));
  };
  for (const signal of signals) process.once(signal, onSignal);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      process.removeListener('exit', onParentExit);
      for (const signal of signals) process.removeListener(signal, onSignal);
      killGroup('SIGTERM');
      const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 5000).unref());
      if ((await Promise.race([exitedPromise, timeout])) === 'timeout') killGroup('SIGKILL');
      killGroup('SIGKILL'); // stragglers in the group (extension host, language server)
      await exitedPromise;
      fs.closeSync(log);
      fs.rmSync(tmp, { recursive: true, force: true });
      if (options.ephemeral && process.env.UNIT_FLEET_KEEP_RUNS !== '1') fs.rmSync(runDir, { recursive: true, force: true });
    })());

  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHealthz(url, () => exited, logFile);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    port,
    pid,
    runDir,
    logFile,
    folderUrl: (folder) => `${url}/?folder=${encodeURIComponent(path.resolve(folder)).replace(/%2F/g, '/')}`,
    exited: exitedPromise,
    remoteUri: (absPath) => ({ scheme: 'vscode-remote', authority: `127.0.0.1:${port}`, path: path.resolve(absPath) }),
    stop,
  };
}

/** The parent's environment minus what would make code-server think it runs inside another VS Code. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('VSCODE_') || key === 'ELECTRON_RUN_AS_NODE' || key === 'PORT') continue;
    if (key === 'NODE_OPTIONS' && value?.includes('tsx')) continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

function writeSettings(userDataDir: string, settings: Record<string, unknown>): void {
  const file = path.join(userDataDir, 'User', 'settings.json');
  let current: Record<string, unknown> = quietSettings;
  if (fs.existsSync(file)) {
    if (Object.keys(settings).length === 0) return;
    try {
      current = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch {
      console.error(`[code-server] ${file} is not plain JSON; not merging ${Object.keys(settings).join(', ')} into it`);
      return;
    }
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify({ ...current, ...settings }, null, 2)}\n`);
}

/** `<extensions-dir>/<publisher>.<name>-<version>` → the repository root (bundled into dist/). */
function linkExtension(extensionsDir: string, install: boolean): void {
  const link = path.join(extensionsDir, extensionIdentity().folderName);
  fs.rmSync(link, { recursive: true, force: true });
  if (!install) return;
  for (const built of ['extension.js', 'server.js']) {
    if (!fs.existsSync(path.join(repoRoot, 'dist', built))) throw new Error(`dist/${built} is missing: run \`npm run build\` first`);
  }
  fs.symlinkSync(repoRoot, link, 'dir');
}

async function waitForHealthz(url: string, exited: () => boolean, logFile: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited()) throw new Error(`code-server exited during startup:\n${tail(logFile)}`);
    if ((await statusOf(`${url}/healthz`)) === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`code-server did not answer ${url}/healthz within ${timeoutMs / 1000} s:\n${tail(logFile)}`);
}

function statusOf(url: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const request = http.get(url, { timeout: 2000 }, (response) => {
      response.resume();
      resolve(response.statusCode);
    });
    request.on('error', () => resolve(undefined));
    request.on('timeout', () => request.destroy());
  });
}

export function tail(file: string, lines = 20): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
