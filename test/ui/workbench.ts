// A real VS Code workbench in a real browser for UI tests: code-server with the built extension
// installed, a fresh copy of the example workspace, headless Debian chromium via playwright-core.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { launchChromium, type Browser } from '../../tools/vscode/chromium';
import { launchCodeServer, type CodeServer } from '../../tools/vscode/launch';
import { exampleWorkspace, repoRoot } from '../../tools/vscode/paths';

export const screenshotDir = path.join(repoRoot, 'test-results', 'screenshots');

export interface Workbench {
  page: Page;
  /** The copy of examples/helloworld the workbench has open. */
  workspace: string;
  server: CodeServer;
  /** Saves `test-results/screenshots/<name>.png`; the name says what it shows. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function openWorkbench(name: string): Promise<Workbench> {
  const workspace = path.join(repoRoot, 'test-results', `ui-${name}`, 'helloworld');
  fs.rmSync(path.dirname(workspace), { recursive: true, force: true });
  fs.cpSync(exampleWorkspace, workspace, { recursive: true });
  fs.mkdirSync(screenshotDir, { recursive: true });

  const server = await launchCodeServer({ name: `ui-${name}-${process.pid}`, installExtension: true, ephemeral: true });
  let browser: Browser | undefined;
  try {
    browser = await launchChromium({ viewport: { width: 1280, height: 800 } });
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await page.goto(server.folderUrl(workspace));
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
    const opened = browser;
    return {
      page,
      workspace,
      server,
      screenshot: async (shot) => {
        const file = path.join(screenshotDir, `${shot}.png`);
        await page.screenshot({ path: file });
        return file;
      },
      close: async () => {
        await opened.close();
        await server.stop();
      },
    };
  } catch (error) {
    await browser?.close();
    await server.stop();
    throw error;
  }
}

/** The explorer row of a file at the workspace root. */
export function explorerRow(page: Page, fileName: string): Locator {
  return page.locator(`.explorer-folders-view .monaco-list-row[aria-label=${JSON.stringify(fileName)}]`);
}

/** Opens a file with Quick Open (Ctrl+P), as a user would. */
export async function quickOpen(page: Page, fileName: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(fileName);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: fileName }).first().waitFor();
  await page.keyboard.press('Enter');
}

export function activeTab(page: Page): Locator {
  return page.locator('.tabs-container .tab.active');
}

export const languageStatus = (page: Page): Locator => page.locator('[id="status.editor.mode"]');
export const problemsStatus = (page: Page): Locator => page.locator('[id="status.problems"]');

/** Polls an attribute until it matches (the status bar updates asynchronously). */
export async function waitForAttribute(locator: Locator, name: string, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last: string | null = null;
  while (Date.now() < deadline) {
    last = await locator.getAttribute(name, { timeout: Math.max(1, deadline - Date.now()) }).catch(() => null);
    if (last !== null && pattern.test(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${name}=${JSON.stringify(last)} did not match ${pattern} within ${timeoutMs} ms`);
}

/** Runs a test step; on failure keeps a screenshot `failed-<name>.png` next to the others. */
export async function step(wb: Workbench, name: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    await wb.screenshot(`failed-${name}`).catch(() => undefined);
    throw error;
  }
}
