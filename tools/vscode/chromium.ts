// A real browser without downloading one: Debian's chromium driven by playwright-core.
// (Never `npx playwright install`: it downloads browsers, and these machines are offline.)
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { isDebianPackageInstalled } from './install-code-server';
import { run } from './proc';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for a quiet headless chromium that talks to nothing but the loopback server it is pointed at. */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export async function ensureChromium(log: (line: string) => void = (l) => console.error(l)): Promise<string> {
  if (fs.existsSync(chromiumPath)) return chromiumPath;
  if (process.env.CHROMIUM_PATH) throw new Error(`CHROMIUM_PATH=${chromiumPath} does not exist`);
  if (isDebianPackageInstalled('chromium')) throw new Error(`Debian package chromium is installed but ${chromiumPath} is missing`);
  if (process.getuid?.() !== 0) throw new Error('chromium is missing — run: sudo apt-get install -y chromium');
  log('[chromium] apt-get install chromium (once, ≈350 MB)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update', '-q'], { env });
  await run('apt-get', ['install', '-y', '-q', 'chromium'], { env });
  return chromiumPath;
}

export interface Browser {
  context: BrowserContext;
  profileDir: string;
  /** Closes the browser and deletes its throw-away profile. */
  close(): Promise<void>;
}

export interface BrowserOptions {
  /** Profile folder; default a fresh temporary one (the workbench keeps its UI state in the browser). */
  profileDir?: string;
  viewport?: { width: number; height: number };
}

export async function launchChromium(options: BrowserOptions = {}): Promise<Browser> {
  const executablePath = await ensureChromium();
  const temporary = options.profileDir === undefined;
  const profileDir = options.profileDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'unit-fleet-chromium-'));
  // Playwright refuses --user-data-dir in args: a persistent context is how a profile folder is chosen.
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath,
    headless: true,
    args: chromiumArgs,
    viewport: options.viewport ?? { width: 1400, height: 900 },
  });
  const removeProfile = (): void => {
    if (temporary) fs.rmSync(profileDir, { recursive: true, force: true });
  };
  process.once('exit', removeProfile); // also when a signal ends the process before close()
  return {
    context,
    profileDir,
    close: async () => {
      await context.close().catch(() => undefined);
      process.removeListener('exit', removeProfile);
      removeProfile();
    },
  };
}
