// UI test in a real browser: the journal viewer in code-server, fed by stand-in journalctl
// processes on three "machines" through the cluster core's journal path (the test-mode command,
// which exists only when the extension host runs with UNIT_FLEET_TEST_MODE=1). m2's stream drops
// after 120 entries and is resumed 4 s later, so the reconnecting banner shows.
// Screenshots go to test-results/screenshots/ (named for what they show; the README uses them).
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FrameLocator, Locator } from 'playwright-core';
import { activeTab, openWorkbench, quickOpen, type Workbench, step as runStep } from './workbench';

// Read by the extension host (code-server passes its environment on): registers the test command.
process.env.UNIT_FLEET_TEST_MODE = '1';

describe('journal viewer in the browser', { timeout: 300_000 }, () => {
  let wb: Workbench;
  let view: FrameLocator;
  before(async () => {
    wb = await openWorkbench('journal');
  });
  after(async () => {
    await wb?.close();
  });

  const step = (name: string, body: () => Promise<void>) => runStep(wb, `journal-${name}`, body);

  const button = (name: string): Locator => view.getByRole('button', { name, exact: true });
  const pressed = async (name: string): Promise<boolean> => (await button(name).getAttribute('aria-pressed')) === 'true';
  const bodyClasses = async (): Promise<string[]> => ((await view.locator('body').getAttribute('class')) ?? '').split(/\s+/);
  const visibleRows = (): Locator => view.locator('.rows .line:not([hidden])');
  /** A computed style property (browser code; the project compiles without DOM types). */
  const style = (locator: Locator, property: string): Promise<string> =>
    locator.evaluate((el, name) => (globalThis as unknown as { getComputedStyle(e: unknown): Record<string, string> }).getComputedStyle(el)[name] ?? '', property);
  /** The number in the status "1,234 lines · …". */
  const lineCount = async (): Promise<number> => Number(/^([\d.,\s\u202f]+) lines?/.exec(await view.locator('#count').innerText())?.[1]?.replace(/\D/g, '') ?? NaN);

  it('opens a merged template journal that follows new lines, with machine and unit columns', () =>
    step('open', async () => {
      const { page } = wb;
      // The command appears once the extension has activated (the palette does not update while open: retry).
      const entry = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Open Journal of Test Processes' }).first();
      for (let attempt = 1; ; attempt++) {
        await page.keyboard.press('F1');
        const input = page.locator('.quick-input-widget input');
        await input.waitFor();
        await input.fill('>Unit Fleet (test): Open Journal of Test Processes');
        if (await entry.waitFor({ timeout: 5_000 }).then(() => true, () => false)) break;
        await page.keyboard.press('Escape');
        if (attempt === 12) throw new Error('the test command never appeared in the command palette');
      }
      await page.keyboard.press('Enter');
      await page.locator('.tabs-container .tab.active', { hasText: 'Journal: helloworld@*' }).waitFor({ timeout: 30_000 });
      // The webview: an iframe in an iframe.
      view = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
      await view.locator('#log[role="log"]').waitFor({ timeout: 30_000 });
      await visibleRows().nth(20).waitFor({ timeout: 30_000 });
      const classes = await bodyClasses();
      assert.ok(classes.includes('show-machine') && classes.includes('show-unit'), `body classes: ${classes.join(' ')}`);
      assert.ok(classes.includes('timestamps'));
      assert.equal(await pressed('Follow'), true);
      // Following: the newest line is at the bottom, and newer ones keep coming.
      const before = await lineCount();
      await page.waitForTimeout(1000);
      const later = await lineCount();
      assert.ok(later > before, `line count ${before} → ${later}`);
      const machines = await view.locator('.rows .line:not([hidden]) .machine').allInnerTexts();
      assert.ok(new Set(machines).size >= 2, `machines in view: ${[...new Set(machines)].join(', ')}`);
      await wb.screenshot('10-journal-viewer-follow');
    }));

  it('shows a reconnecting banner while a machine stream is down, and hides it when it is back', () =>
    step('reconnecting', async () => {
      const banner = view.locator('#banner');
      await banner.filter({ hasText: 'Reconnecting' }).waitFor({ timeout: 30_000 });
      const text = await banner.innerText();
      assert.match(text, /m2/);
      assert.match(text, /retrying in/);
      assert.equal(await banner.getAttribute('role'), 'status');
      await wb.screenshot('12-journal-viewer-reconnecting-banner');
      await banner.waitFor({ state: 'hidden', timeout: 20_000 });
    }));

  it('highlights regular-expression matches; pausing keeps the view still', () =>
    step('search', async () => {
      await button('Follow').click();
      assert.equal(await pressed('Follow'), false);
      const top = await visibleRows().first().innerText();
      await wb.page.waitForTimeout(800);
      assert.equal(await visibleRows().first().innerText(), top, 'paused: new lines do not move the view');
      await button('Use regular expression').click();
      assert.equal(await pressed('Use regular expression'), true);
      const search = view.getByRole('textbox', { name: 'Search messages' });
      await search.fill('GET /(health|api/hello)\\b|error');
      const marks = view.locator('.rows .line:not([hidden]) mark.match');
      await marks.first().waitFor({ timeout: 10_000 });
      const texts = await marks.allInnerTexts();
      assert.ok(texts.length > 0 && texts.every((t) => /^(GET \/(health|api\/hello)|error)$/.test(t)), `marks: ${texts.slice(0, 10).join(' | ')}`);
      assert.match(await view.locator('#match-info').innerText(), /\d+ matching lines?/);
      // Enter goes to the next match and names it.
      await search.press('Enter');
      await view.locator('.line.current mark.match').first().waitFor();
      assert.match(await view.locator('#match-info').innerText(), /^\d+ of \d+ lines?$/);
      await wb.screenshot('11-journal-viewer-search-highlight');

      // An invalid expression is reported, not thrown.
      await search.fill('GET (');
      await view.locator('#search-error').filter({ hasText: /./ }).waitFor();
      assert.equal(await search.getAttribute('aria-invalid'), 'true');
    }));

  it('filters to matching lines; priorities are coloured from the theme', () =>
    step('filter', async () => {
      const search = view.getByRole('textbox', { name: 'Search messages' });
      await search.fill('warning|error|panic');
      await button('Filter').click();
      assert.equal(await pressed('Filter'), true);
      assert.ok((await bodyClasses()).includes('filtering'));
      await visibleRows().first().waitFor();
      const rows = await visibleRows().count();
      assert.ok(rows > 0);
      assert.equal(await view.locator('.rows .line:not([hidden]):not(:has(mark.match))').count(), 0, 'every shown line matches');
      assert.match(await view.locator('#count').innerText(), /of [\d,.\s]+ lines shown/);
      // err (3) and warning (4) lines carry their priority class, in different theme colours than info.
      await view.locator('.rows .line.p3').first().waitFor({ timeout: 20_000 });
      await view.locator('.rows .line.p4').first().waitFor({ timeout: 20_000 });
      const colour = (cls: string): Promise<string> => style(view.locator(`.rows .line.${cls} .msg`).first(), 'color');
      const [err, warning] = [await colour('p3'), await colour('p4')];
      await wb.screenshot('13-journal-viewer-filter-priorities');
      await button('Filter').click();
      await search.fill('');
      const info = await style(view.locator('.rows .line.p6 .msg').first(), 'color');
      assert.notEqual(err, info, 'err lines are coloured');
      assert.notEqual(warning, info, 'warning lines are coloured');
      assert.notEqual(err, warning);
    }));

  it('toggles timestamps and wrapping; long lines wrap', () =>
    step('display', async () => {
      const ts = view.locator('.rows .line:not([hidden]) .ts').first();
      assert.equal(await ts.isVisible(), true);
      await button('Timestamps').click();
      assert.equal(await pressed('Timestamps'), false);
      assert.equal(await ts.isVisible(), false);

      const search = view.getByRole('textbox', { name: 'Search messages' });
      await search.fill('a long line to wrap');
      await button('Filter').click();
      const row = visibleRows().first();
      await row.waitFor({ timeout: 20_000 });
      const lineHeight = parseFloat(await style(row, 'lineHeight'));
      const unwrapped = (await row.boundingBox())?.height ?? 0;
      await button('Wrap').click();
      assert.equal(await pressed('Wrap'), true);
      await view.locator('body.wrap').waitFor();
      const wrapped = (await visibleRows().first().boundingBox())?.height ?? 0;
      assert.ok(unwrapped <= lineHeight + 1, `unwrapped row ${unwrapped}px, line height ${lineHeight}px`);
      assert.ok(wrapped >= 2 * lineHeight - 1, `wrapped row ${wrapped}px, line height ${lineHeight}px`);
      await wb.screenshot('14-journal-viewer-wrap-without-timestamps');
      await button('Filter').click();
      await search.fill('');
      await button('Wrap').click();
      await button('Timestamps').click();
    }));

  it('keeps its options and lines when hidden and shown again (state restored, lines replayed)', () =>
    step('hide-show', async () => {
      const { page } = wb;
      if (!(await pressed('Follow'))) await button('Follow').click();
      await button('Wrap').click();
      const search = view.getByRole('textbox', { name: 'Search messages' });
      await search.fill('GET /health');
      await view.locator('.rows .line:not([hidden]) mark.match').first().waitFor({ timeout: 20_000 });
      // Another editor in the same group hides the webview (it is dropped: no retainContextWhenHidden).
      await quickOpen(page, 'helloworld@.service');
      await activeTab(page).filter({ hasText: 'helloworld@.service' }).waitFor();
      await page.locator('.tabs-container .tab', { hasText: 'Journal: helloworld@*' }).click();
      await activeTab(page).filter({ hasText: 'Journal: helloworld@*' }).waitFor();
      await view.locator('#log[role="log"]').waitFor({ timeout: 30_000 });
      await visibleRows().nth(5).waitFor({ timeout: 30_000 });
      assert.equal(await pressed('Wrap'), true);
      assert.equal(await pressed('Follow'), true);
      assert.equal(await view.getByRole('textbox', { name: 'Search messages' }).inputValue(), 'GET /health');
      assert.ok((await lineCount()) > 1000, 'the lines came back');
      await view.locator('.rows .line:not([hidden]) mark.match').first().waitFor({ timeout: 20_000 });
      await view.getByRole('textbox', { name: 'Search messages' }).fill('');
      await button('Wrap').click();
    }));

  it('clears, then resumes following', () =>
    step('clear-follow', async () => {
      if (await pressed('Follow')) await button('Follow').click();
      const before = await lineCount();
      await button('Clear').click();
      const after = await lineCount();
      assert.ok(before > 500 && after < before / 2, `${before} lines before Clear, ${after} after`);
      const resume = view.getByRole('button', { name: /Resume following/ });
      await resume.waitFor();
      await resume.click();
      assert.equal(await pressed('Follow'), true);
      await visibleRows().nth(5).waitFor({ timeout: 20_000 });
      // At the bottom: the log is scrolled to its end.
      const gap = await view.locator('#log').evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);
      assert.ok(gap <= 2, `${gap}px below the view while following`);
    }));
});
