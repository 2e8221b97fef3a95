// UI test in a real browser on the real local cluster (harness/, brought up here): open the Unit
// Fleet sidebar, connect from its welcome view, see the three machines; right-click
// helloworld@.service in the explorer → Deploy to Cluster, answer which instance, see where it
// went; open its journal from the notification and see lines. The deploy is checked through the
// cluster core, independently of the extension. Screenshots go to test-results/screenshots/.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { Cluster } from '../../client/src/cluster/cluster';
import { loadDefinition } from '../../client/src/cluster/definition';
import { destroy } from '../../client/src/cluster/deploy';
import { listUnits } from '../../client/src/cluster/units';
import { canRunCluster, down, up } from '../../harness/index';
import { explorerRow, openWorkbench, type Workbench, step as runStep } from './workbench';

/** Runs a command from the palette (retries while the extension's commands are not there yet). */
async function runCommand(page: Page, title: string): Promise<void> {
  const entry = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`>${title}`);
    if (await entry.waitFor({ timeout: 5_000 }).then(() => true, () => false)) break;
    await page.keyboard.press('Escape');
    if (attempt === 6) throw new Error(`no command "${title}" in the palette`);
  }
  await page.keyboard.press('Enter');
}

const readiness = canRunCluster({ docker: true });
const inCI = process.env.CI === 'true';
const skip = !readiness.ok && !inCI ? `cannot run the local cluster: ${readiness.reason}` : false;

async function destroyAll(definitionFile: string): Promise<void> {
  const cluster = new Cluster(loadDefinition(definitionFile), { secrets: { env: {} } });
  try {
    const units = await listUnits(cluster, { live: false });
    if (units.length > 0) await destroy(cluster, units.map((u) => u.name));
  } finally {
    await cluster.close();
  }
}

/** A view pane of the sidebar by its title. */
function pane(page: Page, title: string): Locator {
  return page.locator('.pane', { has: page.locator('.pane-header', { hasText: title }) });
}

describe('cluster sidebar, deploy and journal in the browser', { skip, timeout: 420_000 }, () => {
  let wb: Workbench;
  let definitionFile = '';
  let placedOn = '';

  before(async () => {
    const result = await up({ machines: 3, docker: true });
    definitionFile = result.definitionFile;
    await destroyAll(definitionFile);
    // Read by the extension in code-server (it inherits the environment), like the CLI's variable.
    process.env.UNIT_FLEET_CLUSTER = definitionFile;
    wb = await openWorkbench('cluster');
  });

  after(async () => {
    await wb?.close();
    if (definitionFile) await destroyAll(definitionFile).catch(() => undefined);
    await down();
  });

  const step = (name: string, body: () => Promise<void>) => runStep(wb, `cluster-${name}`, body);

  it('opens the Unit Fleet sidebar, connects from the welcome view and shows the three machines', () =>
    step('sidebar', async () => {
      const { page } = wb;
      await page.locator('.part.activitybar .action-item a[aria-label^="Unit Fleet"]').click();
      const machines = pane(page, 'Machines');
      const connect = machines.locator('.welcome-view-content .monaco-button', { hasText: 'Connect to Cluster' });
      await connect.waitFor({ timeout: 30_000 });
      await connect.click();
      for (const name of ['core-01', 'core-02', 'core-03']) {
        await machines.locator('.monaco-list-row', { hasText: name }).waitFor({ timeout: 60_000 });
      }
      const rows = await machines.locator('.monaco-list-row').allInnerTexts();
      assert.equal(rows.length, 3, `machine rows: ${rows.join(' | ')}`);
      for (const row of rows) assert.match(row, /10\.213\.0\.1[123]\s*·\s*up/);
      await page.locator('.statusbar-item', { hasText: 'local 3/3' }).waitFor({ timeout: 30_000 });
      // Expand the first machine: its (no) units.
      await machines.locator('.monaco-list-row', { hasText: 'core-01' }).click();
      await machines.locator('.monaco-list-row', { hasText: 'no units or containers' }).waitFor({ timeout: 30_000 });
      await page.mouse.move(900, 700);
      await wb.screenshot('20-sidebar-machines-three-machines-up');
    }));

  it('right-click helloworld@.service → Deploy to Cluster → instance 1 → placed and active', () =>
    step('deploy', async () => {
      const { page } = wb;
      await page.keyboard.press('Control+Shift+E');
      const row = explorerRow(page, 'helloworld@.service');
      await row.waitFor();
      await row.click({ button: 'right' });
      const item = page.locator('.monaco-menu .action-item', { hasText: 'Deploy to Cluster' });
      await item.waitFor({ timeout: 15_000 });
      await item.hover();
      await page.waitForTimeout(400); // the menu fades in; a click during that is lost
      await wb.screenshot('21-deploy-to-cluster-explorer-context-menu');
      await page.keyboard.press('Enter'); // the hovered item is the focused one
      const input = page.locator('.quick-input-widget input');
      await input.waitFor();
      await page.locator('.quick-input-widget', { hasText: 'Which instances' }).waitFor();
      await input.fill('1');
      await wb.screenshot('22-deploy-to-cluster-which-instances');
      await page.keyboard.press('Enter');
      const toast = page.locator('.notification-toast', { hasText: 'Deployed: helloworld@1.service →' });
      await toast.waitFor({ timeout: 120_000 });
      placedOn = /helloworld@1\.service → (core-0\d)/.exec(await toast.innerText())?.[1] ?? '';
      assert.match(placedOn, /^core-0[123]$/);
      // Independently of the extension: the registry and systemd on that machine agree.
      const cluster = new Cluster(loadDefinition(definitionFile), { secrets: { env: {} } });
      try {
        const deadline = Date.now() + 60_000;
        for (;;) {
          const unit = (await listUnits(cluster)).find((u) => u.name === 'helloworld@1.service');
          const state = unit?.states.find((s) => s.machine === placedOn);
          if (unit && state && 'active' in state && state.active === 'active') break;
          if (Date.now() > deadline) throw new Error(`helloworld@1.service is not active on ${placedOn}: ${JSON.stringify(unit)}`);
          await new Promise((r) => setTimeout(r, 500));
        }
      } finally {
        await cluster.close();
      }
      // The sidebar shows it too (Units view, under its template).
      await page.locator('.part.activitybar .action-item a[aria-label^="Unit Fleet"]').click();
      await pane(page, 'Units').locator('.monaco-list-row', { hasText: 'helloworld@1.service' }).waitFor({ timeout: 30_000 });
      await wb.screenshot('23-deployed-helloworld-1-notification-and-units-view');
    }));

  it('Show Journal from the notification opens the journal viewer with the unit\'s lines', () =>
    step('journal', async () => {
      const { page } = wb;
      const toast = page.locator('.notification-toast', { hasText: 'Deployed: helloworld@1.service →' });
      if (!(await toast.isVisible())) await page.locator('.statusbar-item[id="status.notifications"], .notifications-center').first().click().catch(() => undefined);
      await toast.locator('.monaco-button', { hasText: 'Show Journal' }).click();
      await page.locator('.tabs-container .tab.active', { hasText: 'Journal: helloworld@1.service' }).waitFor({ timeout: 30_000 });
      const view: FrameLocator = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
      await view.locator('#log[role="log"]').waitFor({ timeout: 30_000 });
      const lines = view.locator('.rows .line:not([hidden])');
      await lines.first().waitFor({ timeout: 60_000 });
      const text = (await lines.allInnerTexts()).join('\n');
      assert.match(text, /helloworld|Started|hello/i, `journal lines: ${text.slice(0, 400)}`);
      await wb.screenshot('24-journal-after-deploy');
    }));
  it('asks a secret once (password box) and each unknown SSH host key with its fingerprint; Forget Secrets', () =>
    step('secrets-host-keys', async () => {
      const { page } = wb;
      // A copy of the definition with an empty known_hosts and a passphrase variable for its key
      // (the key has none; ssh ignores the value), chosen through the workspace setting.
      const dir = path.join(path.dirname(wb.workspace), 'cluster-copy');
      fs.mkdirSync(dir, { recursive: true });
      const definition = JSON.parse(fs.readFileSync(definitionFile, 'utf8')) as Record<string, any>;
      definition.name = 'local-copy';
      definition.ssh = { ...definition.ssh, knownHostsFile: path.join(dir, 'known_hosts'), configFile: undefined };
      definition.defaults = { ...(definition.defaults ?? {}), passphraseEnv: 'UNIT_FLEET_DEMO_KEY_PASSPHRASE' };
      delete definition.$schema;
      const copy = path.join(dir, 'cluster.json');
      fs.writeFileSync(copy, JSON.stringify(definition, null, 2));
      // Changing the setting while connected offers to reconnect (once the extension host has it).
      await page.locator('.statusbar-item', { hasText: 'local 3/3' }).waitFor({ timeout: 30_000 });
      fs.mkdirSync(path.join(wb.workspace, '.vscode'), { recursive: true });
      fs.writeFileSync(path.join(wb.workspace, '.vscode', 'settings.json'), JSON.stringify({ 'unitFleet.cluster.definitionFile': copy }, null, 2));
      const changed = page.locator('.notification-toast', { hasText: 'the cluster definition setting changed' });
      await changed.waitFor({ timeout: 30_000 });
      await changed.locator('.monaco-button', { hasText: 'Reconnect' }).click();

      const password = page.locator('.quick-input-widget input[type="password"]');
      await password.waitFor({ timeout: 30_000 });
      await page.locator('.quick-input-widget', { hasText: 'UNIT_FLEET_DEMO_KEY_PASSPHRASE' }).waitFor();
      await password.fill('not-a-real-passphrase');
      await wb.screenshot('25-secret-asked-once-password-box');
      await page.keyboard.press('Enter');

      const dialog = page.locator('.monaco-dialog-box');
      const trusted = new Set<string>();
      for (let i = 0; i < 3; i++) {
        await dialog.filter({ hasText: 'Unknown SSH host key' }).waitFor({ timeout: 30_000 });
        const text = await dialog.innerText();
        assert.match(text, /SHA256:[A-Za-z0-9+/]{43}/, 'the fingerprint is shown');
        const machine = /for (core-0\d)/.exec(text)?.[1];
        assert.ok(machine && !trusted.has(machine), `one question per machine: ${text.slice(0, 200)}`);
        trusted.add(machine);
        if (i === 0) await wb.screenshot('26-unknown-ssh-host-key-fingerprint-modal');
        await dialog.locator('.monaco-button', { hasText: 'Trust and Connect' }).click();
        await dialog.waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => undefined);
      }
      await page.locator('.statusbar-item', { hasText: 'local-copy 3/3' }).waitFor({ timeout: 60_000 });
      const knownHosts = fs.readFileSync(path.join(dir, 'known_hosts'), 'utf8');
      for (const address of ['10.213.0.11', '10.213.0.12', '10.213.0.13']) assert.ok(knownHosts.includes(address), `${address} recorded in known_hosts`);

      await runCommand(page, 'Unit Fleet: Forget Cluster Secrets');
      await page.locator('.notification-toast', { hasText: 'forgot 1 stored secret' }).waitFor({ timeout: 15_000 });
    }));
});
