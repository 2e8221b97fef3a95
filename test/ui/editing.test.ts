// UI test in a real browser: the example workspace in code-server with the extension installed.
// Screenshots go to test-results/screenshots/ (named for what they show; the README tutorial uses them).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { activeTab, explorerRow, languageStatus, openWorkbench, problemsStatus, quickOpen, waitForAttribute, type Workbench, step as runStep } from './workbench';

describe('editing units in the browser', { timeout: 240_000 }, () => {
  let wb: Workbench;
  before(async () => {
    wb = await openWorkbench('editing');
  });
  after(async () => {
    await wb?.close();
  });

  const step = (name: string, body: () => Promise<void>) => runStep(wb, name, body);

  it('opens helloworld@.service from the explorer as a systemd unit', () =>
    step('open-from-explorer', async () => {
      const { page } = wb;
      await explorerRow(page, 'helloworld@.service').click();
      await activeTab(page).filter({ hasText: 'helloworld@.service' }).waitFor();
      await languageStatus(page).filter({ hasText: 'systemd Unit' }).waitFor({ timeout: 30_000 });
      await page.locator('.monaco-editor .view-line', { hasText: 'Conflicts=helloworld@*.service' }).waitFor();
      // Highlighted by the extension's grammar, and its language server answers (breadcrumbs show the section symbol).
      await page.locator('.monaco-editor .view-line span[class^="mtk"]:not(.mtk1)').first().waitFor({ timeout: 30_000 });
      await page.locator('.breadcrumbs-control .monaco-breadcrumb-item', { hasText: '[Unit]' }).waitFor({ timeout: 30_000 });
      await page.mouse.move(700, 600); // away from the explorer's path tooltip
      assert.equal(await page.locator('.monaco-editor .squiggly-error').count(), 0, 'the example template should have no errors');
      await wb.screenshot('01-explorer-open-helloworld-template-language-systemd-unit');
    }));

  it('underlines a misspelt directive (ExecStrat=) and counts it in the status bar', () =>
    step('typo-squiggle', async () => {
      const { page } = wb;
      const template = fs.readFileSync(path.join(wb.workspace, 'helloworld@.service'), 'utf8');
      const broken = template.replace(/^ExecStart=/m, 'ExecStrat=');
      assert.notEqual(broken, template);
      fs.writeFileSync(path.join(wb.workspace, 'typo@.service'), broken);
      await quickOpen(page, 'typo@.service');
      await activeTab(page).filter({ hasText: 'typo@.service' }).waitFor();
      await languageStatus(page).filter({ hasText: 'systemd Unit' }).waitFor();
      const squiggle = page.locator('.monaco-editor .squiggly-error').first();
      await squiggle.waitFor({ timeout: 30_000 });
      const label = await waitForAttribute(problemsStatus(page), 'aria-label', /Errors: [1-9]/);
      assert.match(label, /Errors: [1-9]/);
      await page.mouse.move(700, 600);
      await wb.screenshot('02-typo-execstrat-squiggle-and-error-count-in-status-bar');

      // The hover on the squiggle says what is wrong: cursor to the line (Ctrl+G), Show Hover (Ctrl+K Ctrl+I).
      const line = broken.split('\n').findIndex((l) => l.startsWith('ExecStrat=')) + 1;
      await page.keyboard.press('Control+G');
      await page.keyboard.type(String(line));
      await page.keyboard.press('Enter');
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+I');
      const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: 'ExecStrat' });
      await hover.first().waitFor({ timeout: 15_000 });
      await wb.screenshot('03-typo-execstrat-hover-unknown-directive-message');
      await page.mouse.move(700, 700);
      await page.keyboard.press('Escape');

      // The Problems panel lists it with its rule code.
      await problemsStatus(page).click();
      const marker = page.locator('.markers-panel .monaco-list-row', { hasText: 'ExecStrat' });
      await marker.first().waitFor({ timeout: 15_000 });
      assert.match((await page.locator('.markers-panel').innerText()) ?? '', /unknown-directive/);
      await wb.screenshot('04-problems-panel-unknown-directive-execstrat');
    }));
});
