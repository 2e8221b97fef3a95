// Installs code-server (a real VS Code server + web workbench) on demand into the ignored
// `.code-server/install/`, never into the project's own dependencies. Fast no-op when present.
//
//   npx tsx tools/vscode/install-code-server.ts
//
// Tricks needed offline and as root (see shared notes "vscode-testing"): npm_config_unsafe_perm
// (its postinstall refuses root), npm_config_yes (node-pty runs `npx node-gyp`), npm_config_nodedir
// (native modules against local headers), Debian's rg pre-seeded as @vscode/ripgrep's download cache.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { codeServerEntry, codeServerHome, codeServerInstallDir, codeServerPackageDir, codeServerVersion } from './paths';
import { run } from './proc';

const aptPackages = ['libkrb5-dev', 'ripgrep'];
/** @vscode/ripgrep 1.15.11 (inside code-server 4.100.3) looks for this cache before downloading. */
const ripgrepCacheDir = 'vscode-ripgrep-cache-1.15.11';
const ripgrepAsset: Partial<Record<string, string>> = {
  x64: 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz',
  arm64: 'ripgrep-v13.0.0-10-aarch64-unknown-linux-musl.tar.gz',
};
const marker = path.join(codeServerInstallDir, `.installed-${codeServerVersion}`);

export function installedCodeServerVersion(): string | undefined {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(codeServerPackageDir, 'package.json'), 'utf8')) as { version?: string };
    return fs.existsSync(marker) && fs.existsSync(codeServerEntry) ? manifest.version : undefined;
  } catch {
    return undefined;
  }
}

/** Returns the path of code-server's entry script, installing it first when needed. */
export async function ensureCodeServer(log: (line: string) => void = (l) => console.error(l)): Promise<string> {
  if (installedCodeServerVersion() === codeServerVersion) return codeServerEntry;
  const release = await lock(path.join(codeServerHome, 'install.lock'));
  try {
    if (installedCodeServerVersion() === codeServerVersion) return codeServerEntry;
    const started = Date.now();
    log(`[code-server] installing code-server@${codeServerVersion} into ${path.relative(process.cwd(), codeServerInstallDir) || '.'} (once, ≈1 min)`);
    await ensureAptPackages(aptPackages, log);
    fs.rmSync(codeServerInstallDir, { recursive: true, force: true });
    fs.mkdirSync(codeServerInstallDir, { recursive: true });
    fs.writeFileSync(path.join(codeServerInstallDir, 'package.json'), '{ "private": true, "description": "on-demand code-server for Unit Fleet" }\n');
    const tmp = path.join(codeServerHome, 'tmp-install');
    fs.rmSync(tmp, { recursive: true, force: true });
    seedRipgrepCache(tmp);
    await run('npm', ['install', `code-server@${codeServerVersion}`, '--no-audit', '--no-fund', '--no-package-lock', '--omit=dev', '--loglevel=error'], {
      cwd: codeServerInstallDir,
      env: {
        ...process.env,
        TMPDIR: tmp,
        npm_config_unsafe_perm: 'true',
        npm_config_yes: 'true',
        npm_config_nodedir: '/usr',
        npm_config_update_notifier: 'false',
      },
    });
    fs.rmSync(tmp, { recursive: true, force: true });
    if (!fs.existsSync(codeServerEntry)) throw new Error(`code-server installed but ${codeServerEntry} is missing`);
    fs.writeFileSync(marker, `${new Date().toISOString()}\n`);
    log(`[code-server] installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return codeServerEntry;
  } finally {
    release();
  }
}

function seedRipgrepCache(tmp: string): void {
  const asset = ripgrepAsset[process.arch];
  if (!asset) throw new Error(`no ripgrep cache name known for ${process.arch}`);
  const rg = '/usr/bin/rg';
  if (!fs.existsSync(rg)) throw new Error(`${rg} is missing (apt-get install ripgrep)`);
  const dir = path.join(tmp, ripgrepCacheDir);
  fs.mkdirSync(dir, { recursive: true });
  execFileSync('tar', ['-czf', path.join(dir, asset), '-C', path.dirname(rg), 'rg']);
}

async function ensureAptPackages(packages: readonly string[], log: (line: string) => void): Promise<void> {
  const missing = packages.filter((p) => !isDebianPackageInstalled(p));
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) throw new Error(`missing Debian packages: ${missing.join(' ')} — run: sudo apt-get install -y ${missing.join(' ')}`);
  log(`[code-server] apt-get install ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update', '-q'], { env });
  await run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing], { env });
}

export function isDebianPackageInstalled(name: string): boolean {
  try {
    return execFileSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).includes('install ok installed');
  } catch {
    return false;
  }
}

/** A directory lock so parallel runs (test:vscode and test:ui) don't install twice at once. */
async function lock(dir: string): Promise<() => void> {
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, 'pid'), String(process.pid));
      return () => fs.rmSync(dir, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readOrEmpty(path.join(dir, 'pid')));
      if (owner && !isAlive(owner)) fs.rmSync(dir, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 500));
    }
  }
}

function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

if (require.main === module) {
  const started = Date.now();
  ensureCodeServer().then(
    (entry) => console.log(`code-server ${codeServerVersion} ready: ${entry} (${((Date.now() - started) / 1000).toFixed(1)} s)`),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
