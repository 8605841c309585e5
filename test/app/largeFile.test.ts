// SPDX-License-Identifier: MIT
/**
 * The browser app on a generated file of 2·10^5 users, as a new user meets it: the file picked,
 * Run clicked, every setting at its default (k chosen, the backend chosen). Every view is drawn;
 * no chart label sticks out of its chart or overlaps another at 1400 and 390 px; axe-core finds no
 * serious or critical violation; nothing on the console. Full-page screenshots go to
 * test-output/app/. The time from the file to the results is printed, never asserted (it is
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
import { CHROMIUM_MISSING, labelProblems, openApp, seriousOf, startApp } from './openApp.js';

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
    expect(await labelProblems(page)).toEqual([]);
    expect(await seriousOf(page, '2·10^5 users, 1400 px')).toEqual([]);
    await page.screenshot({ path: `${SHOTS}large-200k-1400.png`, fullPage: true });

    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await labelProblems(page)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}large-200k-390.png`, fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 600_000);
});
