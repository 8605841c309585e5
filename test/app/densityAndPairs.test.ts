// SPDX-License-Identifier: MIT
/**
 * The browser app in Chromium (as test/app/app.test.ts sets it up): the scatter of two original
 * columns, redrawn for any two chosen without a new run; DBSCAN's "suggest eps" (the k-distance
 * chart, a button that fills eps, a run with it); mean shift's estimated bandwidth beside its
 * field. The values the page shows are checked against the library run in this Node process.
 * Screenshots at 1280 and 390 px go to test-output/app/ with SEGMENTS_SHOTS=1.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/backend.js';
import { inferKinds } from '../../src/data/inferKinds.js';
import { readTable } from '../../src/data/readTable.js';
import { densityHelp } from '../../src/workflow/densityHelp.js';
import { segmentationReportInput } from '../../src/workflow/reportInput.js';
import { segment } from '../../src/workflow/segment.js';
import type { AppServer } from '../../src/cli/serve.js';
import { CHROMIUM_MISSING, intoView, shot, startApp } from './openApp.js';

const missing = CHROMIUM_MISSING;
if (missing !== null) console.warn(`skipping the browser app tests: ${missing}`);

const MALL = fileURLToPath(new URL('../fixtures/data/Mall_Customers.csv', import.meta.url));
const ADS = fileURLToPath(new URL('../fixtures/data/user_profiles_for_ads.csv', import.meta.url));
const SHOTS = fileURLToPath(new URL('../../test-output/app/', import.meta.url));

describe.skipIf(missing !== null)('the app: two chosen columns, and help with eps and the bandwidth', () => {
  let app: AppServer;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    ({ app, browser } = await startApp());
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function open(width: number): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => errors.push(`page: ${e.message}`));
    page.on('worker', (w) => w.on('console', (m) => m.type() === 'error' && errors.push(`worker console: ${m.text()}`)));
    await page.goto(app.url);
    await page.waitForFunction(() => document.getElementById('threads-status')?.dataset.isolated !== undefined);
    await page.setInputFiles('[data-testid="file-input"]', MALL);
    await page.waitForSelector('#preview', { timeout: 60_000 });
    await page.selectOption('#backend', 'wasm');
    return { page, errors };
  }

  async function run(page: Page, runId: number): Promise<void> {
    await page.click('[data-testid="run"]');
    await page.waitForSelector(`[data-testid="results"] .result[data-run-id="${runId}"] #segment-sizes, #error:not([hidden])`, { timeout: 150_000 });
    const error = await page.$('#error:not([hidden])');
    if (error !== null) throw new Error(`the run failed in the page: ${await error.textContent()}`);
  }

  async function rendered(page: Page, selector: string): Promise<void> {
    await page.waitForSelector(`${selector} .vega-chart[data-rendered="true"] svg`, { timeout: 60_000 });
  }

  const axisTitles = (page: Page): Promise<string[]> => page.$$eval('#feature-scatter .role-axis-title text', (ts) => ts.map((t) => t.textContent ?? ''));
  const points = (page: Page): Promise<number> => page.locator('#feature-scatter .mark-symbol.role-mark path').count();

  for (const width of [1280, 390]) {
    it(`at ${width} px: k-means shows the pair the report shows first, any two columns chosen redraw the chart, with every row's point`, async () => {
      const { page, errors } = await open(width);
      await page.setChecked('#choose-k', false);
      await page.fill('#setting-k', '5');
      await page.fill('#seed', '1');
      await run(page, 1);
      await rendered(page, '#feature-scatter');
      // The default pair is the library's (the same run in Node): the report's first pair.
      await initBackend('wasm', { onWarning: () => {} });
      const report = await segmentationReportInput(await segment(MALL, { k: 5, seed: 1, backend: 'wasm' }));
      const f = report.featureScatter;
      if (f === undefined) throw new Error('the report has no feature scatter');
      expect(await axisTitles(page)).toEqual([f.columns[f.x], f.columns[f.y]]);
      expect(await page.inputValue('#feature-x')).toBe(String(f.x));
      // All 200 rows are drawn (fewer than the sample's 2,000), one point each.
      expect(await points(page)).toBe(200);
      expect(await page.textContent('#feature-scatter p.note')).toContain('All 200 rows.');
      expect(await page.textContent('#feature-scatter p.note')).toContain(`Shown first: ${f.rule}.`);
      // two frames after scrolling: a chart off screen is not drawn (content-visibility: auto)
      await intoView(page, page.locator('#feature-scatter'));
      await shot(page, `${SHOTS}feature-scatter-default-${width}.png`);
      // Age across, annual income up: the chart is drawn again with those axes, no new run.
      const options = await page.$$eval('#feature-x option', (os) => os.map((o) => o.textContent));
      expect(options).toEqual(['Age', 'Annual Income (k$)', 'Spending Score (1-100)']);
      await page.selectOption('#feature-x', { label: 'Age' });
      await page.selectOption('#feature-y', { label: 'Annual Income (k$)' });
      await page.waitForFunction(() => Array.from(document.querySelectorAll('#feature-scatter .role-axis-title text')).map((t) => t.textContent).join('|') === 'Age|Annual Income (k$)');
      await rendered(page, '#feature-scatter');
      expect(await points(page)).toBe(200);
      // The points are the file's ages and incomes: the smallest and largest on each axis agree.
      const { table } = await readTable(MALL);
      const ages = Array.from(table.getChild('Age')!.toArray() as ArrayLike<number>, Number);
      const tip = await (async () => {
        const point = page.locator('#feature-scatter .mark-symbol.role-mark path').first();
        await intoView(page, point);
        await point.hover({ force: true });
        await page.waitForFunction(() => (document.querySelector('#feature-scatter [data-chart="featureScatter"]')?.getAttribute('title') ?? '').includes('Age: '));
        return (await page.getAttribute('#feature-scatter [data-chart="featureScatter"]', 'title')) ?? '';
      })();
      expect(tip).toMatch(/^segment: .+\nAge: \d+\nAnnual Income \(k\$\): \d+$/);
      expect(ages).toContain(Number(/Age: (\d+)/.exec(tip)![1]));
      expect(await page.locator('.result[data-run-id="1"]').count()).toBe(1);
      await intoView(page, page.locator('#feature-scatter'));
      await shot(page, `${SHOTS}feature-scatter-${width}.png`);
      // Nothing sticks out of the page at this width.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      expect(errors).toEqual([]);
      await page.close();
    }, 240_000);
  }

  it("DBSCAN: 'Suggest eps' draws the k-distance curve, 'Use' fills eps with the library's suggestion, and the run finds more than one segment; mean shift shows the bandwidth it would estimate", async () => {
    const { page, errors } = await open(1280);
    await page.selectOption('#algorithm', 'dbscan');
    expect(await page.inputValue('#setting-eps')).toBe('0.5');
    await page.click('[data-testid="suggest-eps"]');
    await page.waitForSelector('.eps-help .vega-chart[data-rendered="true"] svg', { timeout: 60_000 });
    expect(await page.textContent('.eps-help svg')).toContain('suggested eps');
    // The library in Node, on the same file, kinds, minSamples and seed.
    await initBackend('wasm', { onWarning: () => {} });
    const { table } = await readTable(MALL);
    const help = await densityHelp(table, inferKinds(table), { minSamples: 5, seed: 42 });
    const eps = Number((help.kDistance.eps as number).toPrecision(4));
    await page.click('[data-testid="use-eps"]');
    expect(Number(await page.inputValue('#setting-eps'))).toBe(eps);
    await intoView(page, page.locator('.eps-help'));
    await shot(page, `${SHOTS}suggest-eps-1280.png`);
    await run(page, 1);
    const sizes = await page.$$eval('#segment-sizes tbody tr', (rows) => rows.map((r) => Number((r as HTMLElement).dataset.segment)));
    expect(sizes.filter((s) => s >= 0).length).toBeGreaterThan(1);
    // The run's results show its k-distance curve with the eps used.
    await rendered(page, '#k-distance');
    expect(await page.textContent('#k-distance svg')).toContain(`eps used ${eps}`);
    await intoView(page, page.locator('#k-distance'));
    await shot(page, `${SHOTS}k-distance-run-1280.png`);

    await page.selectOption('#algorithm', 'meanshift');
    await page.waitForSelector('[data-testid="bandwidth-estimate"][data-value]', { timeout: 60_000 });
    const shown = Number(await page.getAttribute('[data-testid="bandwidth-estimate"]', 'data-value'));
    expect(shown).toBeCloseTo(help.bandwidth.value, 5);
    expect(await page.textContent('[data-testid="bandwidth-estimate"]')).toContain('from 200 rows');
    await shot(page, `${SHOTS}bandwidth-1280.png`);
    // Another file read while mean shift stays chosen: the estimate is the new file's.
    await page.setInputFiles('[data-testid="file-input"]', ADS);
    await page.waitForSelector('[data-testid="bandwidth-estimate"]:has-text("from 1,000 rows")', { timeout: 60_000 });
    const ads = (await readTable(ADS)).table;
    const adsHelp = await densityHelp(ads, inferKinds(ads), { minSamples: 5, seed: 42 });
    expect(Number(await page.getAttribute('[data-testid="bandwidth-estimate"]', 'data-value'))).toBeCloseTo(adsHelp.bandwidth.value, 5);
    expect(errors).toEqual([]);
    await page.close();
  }, 240_000);

  it('at 390 px the eps help fits the phone', async () => {
    const { page, errors } = await open(390);
    await page.selectOption('#algorithm', 'dbscan');
    await page.click('[data-testid="suggest-eps"]');
    await page.waitForSelector('.eps-help .vega-chart[data-rendered="true"] svg', { timeout: 60_000 });
    await intoView(page, page.locator('.eps-help'));
    await shot(page, `${SHOTS}suggest-eps-390.png`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(errors).toEqual([]);
    await page.close();
  }, 240_000);
});
