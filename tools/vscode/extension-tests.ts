// Runs an extension's integration tests (the `--extensionTestsPath` module) in code-server's real
// Node extension host, driven by headless chromium: the workbench learns the development extension
// and the tests path through the embedder's `developmentOptions`, injected into the web configuration
// meta by an init script; when the tests end it calls window.codeAutomationExit(code), and in test
// mode it forwards the extension host's console (mocha's reporter) to window.codeAutomationLog.
import { format } from 'node:util';
import type { Page } from 'playwright-core';
import { launchChromium } from './chromium';
import { launchCodeServer, tail } from './launch';

export interface ExtensionTestRun {
  extensionDevelopmentPaths: string[];
  extensionTestsPath: string;
  /** Folder (or .code-workspace file) to open, if any. */
  workspace?: string;
  userDataDir?: string;
  extensionsDir?: string;
  /** Whole-run limit. Default 10 minutes, or UNIT_FLEET_TEST_TIMEOUT_MS. */
  timeoutMs?: number;
  out?: (line: string) => void;
  err?: (line: string) => void;
}

/** Resolves with the exit code the workbench reports (0 = all tests passed). */
export async function runExtensionTests(run: ExtensionTestRun): Promise<number> {
  const out = run.out ?? ((line) => process.stdout.write(`${line}\n`));
  const err = run.err ?? ((line) => process.stderr.write(`${line}\n`));
  const server = await launchCodeServer({
    name: `tests-${process.pid}`,
    userDataDir: run.userDataDir,
    extensionsDir: run.extensionsDir,
    installExtension: false, // the extension under test comes in as a development extension
    ephemeral: true,
  });
  const browser = await launchChromium().catch(async (error: unknown) => {
    await server.stop();
    throw error;
  });
  try {
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    let finish: (code: number) => void = () => undefined;
    const exit = new Promise<number>((resolve) => (finish = resolve));
    await page.exposeFunction('codeAutomationLog', (level: string, args: unknown[]) => {
      const line = format(...(Array.isArray(args) ? args : [args]));
      if (verbose || !workbenchChatter.some((pattern) => pattern.test(line))) (level === 'error' ? err : out)(line);
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => finish(Number(code) || 0));
    await injectDevelopmentOptions(page, {
      extensions: run.extensionDevelopmentPaths.map((p) => server.remoteUri(p)),
      extensionTestsPath: server.remoteUri(run.extensionTestsPath),
    });
    page.on('pageerror', (error) => err(`[workbench] ${error.message}`));
    page.on('crash', () => finish(3));
    const url = run.workspace ? server.folderUrl(run.workspace) : server.url;
    await page.goto(url);
    const timeoutMs = run.timeoutMs ?? Number(process.env.UNIT_FLEET_TEST_TIMEOUT_MS ?? 600_000);
    const timer = setTimeout(() => {
      err(`[code-shim] the extension tests did not finish within ${timeoutMs / 1000} s; code-server's log:\n${tail(server.logFile, 40)}`);
      finish(2);
    }, timeoutMs);
    const code = await exit;
    clearTimeout(timer);
    return code;
  } finally {
    await browser.close();
    await server.stop();
  }
}

/**
 * Rewrites `<meta id="vscode-workbench-web-configuration" data-settings>` as the parser inserts it,
 * before the workbench script reads it. (Don't rewrite responses with page.route(): it breaks the
 * server's websockets.)
 */
async function injectDevelopmentOptions(page: Page, developmentOptions: object): Promise<void> {
  // Browser code, kept as text (the project compiles without DOM types).
  await page.addInitScript({
    content: `(() => {
      const options = ${JSON.stringify(developmentOptions)};
      const observer = new MutationObserver(() => {
        const meta = document.getElementById('vscode-workbench-web-configuration');
        if (!meta) return;
        observer.disconnect();
        const settings = JSON.parse(meta.getAttribute('data-settings') || '{}');
        settings.developmentOptions = { ...settings.developmentOptions, ...options };
        meta.setAttribute('data-settings', JSON.stringify(settings));
      });
      observer.observe(document, { childList: true, subtree: true });
    })();`,
  });
}

/**
 * In test mode the workbench sends its whole console to codeAutomationLog, not only the extension
 * host's. These lines are its start-up chatter (and the offline gallery failing); shown with
 * UNIT_FLEET_TEST_VERBOSE=1.
 */
const workbenchChatter = [
  /^Resolv(ing|ed) connection token/,
  /^Creating a socket \(/,
  /^Updating additional builtin extensions cache/,
  /^\[Service Worker\]/,
  /^ChatSessionStore:/,
  /^Error while fetching the extension under development .* is not a web extension/,
  /ENOTFOUND open-vsx\.org/,
];
const verbose = process.env.UNIT_FLEET_TEST_VERBOSE === '1';
