// SPDX-License-Identifier: MIT
/**
 * The browser app on a generated file of 2·10^5 users, as a new user meets it: the file picked,
 * Run clicked, every setting at its default (k chosen, the backend chosen). Every view is drawn;
 * no chart label sticks out of its chart or overlaps another at 1400 and 390 px; axe-core finds no
 * serious or critical violation; nothing on the console; every chart draws a sample, not a mark
 * per row; the member table scrolls to the last row. Full-page screenshots go to test-output/app/ with SEGMENTS_SHOTS=1. The time from the file to the results is printed, never asserted (it is
 * measured in bench/browser.ts --defaults).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { AppServer } from '../../src/cli/serve.js';
import { CHROMIUM_MISSING, labelProblems, openApp, pageShot, seriousOf, startApp } from './openApp.js';

const missing = CHROMIUM_MISSING;
if (missing !== null) console.warn(`skipping the large-file app test: ${missing}`);

const SHOTS = fileURLToPath(new URL('../../test-output/app/', import.meta.url));
const ROWS = 200_000;

describe.skipIf(missing !== null)('the app on 2·10^5 generated users at its defaults', () => {
  let app: AppServer;
  let browser: Browser;
  let dir: string;
  let file: string;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'segments-app-large-'));
    file = join(dir, 'users.csv');
    const err: string[] = [];
    const code = await main(['sample', '--rows', String(ROWS), '--out', file, '--quiet'], { out: () => undefined, err: (l) => err.push(l) });
    expect(code, err.join('\n')).toBe(0);
    ({ app, browser } = await startApp());
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('every view drawn, no label clipped or overlapping at 1400 and 390 px, no serious accessibility violation, no console error', async () => {
    const { page, errors } = await openApp(browser, app.url);
    await page.setViewportSize({ width: 1400, height: 900 });
    const t0 = Date.now();
    await page.setInputFiles('[data-testid="file-input"]', file);
    await page.waitForSelector('#preview', { timeout: 180_000 });
    // The file's profile counts every row.
    expect(await page.textContent('body')).toContain('200,000');
    await page.click('[data-testid="run"]');
    await page.waitForSelector('[data-testid="results"] .result[data-run-id="1"] #segment-sizes, #error:not([hidden])', { timeout: 400_000 });
    expect(await page.isVisible('#error')).toBe(false);
    console.log(`2·10^5 users at the defaults: results ${((Date.now() - t0) / 1000).toFixed(1)} s after the file was picked (backend ${await page.textContent('[data-testid="backend"]')})`);
    await page.waitForFunction(() => Array.from(document.querySelectorAll('.vega-chart')).every((e) => (e as HTMLElement).dataset.rendered === 'true'), undefined, { timeout: 120_000 });
    const charts = await page.$$eval('.vega-chart', (els) => els.map((e) => (e as HTMLElement).dataset.chart));
    expect(charts.length).toBeGreaterThan(8);
    // Every chart draws a sample: the scatters 2,000 rows (the report's), the 3-D view 4,000
    // (session.ts), each chart's SVG a few thousand elements at most, not one per row.
    const elements = await page.$$eval('.vega-chart', (els) => els.map((e) => `${(e as HTMLElement).dataset.chart} ${e.querySelectorAll('svg *').length}`));
    for (const e of elements) expect(Number(e.split(' ')[1]), e).toBeLessThan(2_000 + 1_000);
    const points = await page.$$eval('canvas[data-points]', (els) => els.map((e) => Number((e as HTMLElement).dataset.points)));
    expect(points.length).toBe(1);
    expect(points[0]).toBeGreaterThan(3_000);
    expect(points[0]).toBeLessThanOrEqual(4_000);
    // The member table lists every row and scrolls to the last, which is the file's last row.
    expect(await page.getAttribute('[data-testid="members-count"]', 'data-count')).toBe(String(ROWS));
    await page.$eval('[data-testid="members-scroll"]', (el) => (el.scrollTop = el.scrollHeight));
    await page.waitForSelector(`.members-row[aria-rowindex="${ROWS + 1}"][data-row]`, { timeout: 60_000 });
    expect(await page.getAttribute(`.members-row[aria-rowindex="${ROWS + 1}"]`, 'data-row')).toBe(String(ROWS));
    expect(await labelProblems(page)).toEqual([]);
    expect(await seriousOf(page, '2·10^5 users, 1400 px')).toEqual([]);
    await pageShot(page, `${SHOTS}large-200k-1400.png`);

    await page.setViewportSize({ width: 390, height: 844 });
    // Nothing in the page redraws on a resize (the charts keep their size; layout is read
    // synchronously below): two frames let whatever the new width starts be painted.
    await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await labelProblems(page)).toEqual([]);
    await pageShot(page, `${SHOTS}large-200k-390.png`);
    expect(errors).toEqual([]);
    await page.close();
  }, 600_000);
});
