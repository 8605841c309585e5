// SPDX-License-Identifier: MIT
/**
 * Accessibility of the browser app and of the report, checked by axe-core (Deque's checker, the
 * rules of WCAG 2.x A and AA and best practices) in Debian's Chromium: every view a user meets
 * (the file's profile before a run, the results with their charts, a segment selected with its
 * member table, the saved runs, DBSCAN's eps help) and a report as `segments fit` writes it. No
 * violation of impact 'serious' or 'critical' is allowed; the others are printed.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { segmentationReport } from '../../src/workflow/report.js';
import { segment } from '../../src/workflow/segment.js';
import type { AppServer } from '../../src/cli/serve.js';
import { CHROMIUM_MISSING, openApp, pageShot, seriousOf, startApp } from './openApp.js';

const missing = CHROMIUM_MISSING;
if (missing !== null) console.warn(`skipping the accessibility tests: ${missing}`);

const data = (name: string): string => fileURLToPath(new URL(`../fixtures/data/${name}`, import.meta.url));
const MALL = data('Mall_Customers.csv');
const ADS = data('user_profiles_for_ads.csv');
const SHOTS = fileURLToPath(new URL('../../test-output/app/', import.meta.url));

describe.skipIf(missing !== null)('accessibility (axe-core) in Chromium', () => {
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

  it('every view of the app: the file profile, the results, a selected segment with its rows, the saved runs, the eps help', async () => {
    const { page, errors } = await openApp(browser, app.url);
    await page.setViewportSize({ width: 1400, height: 900 });
    expect(await seriousOf(page, 'start page')).toEqual([]);

    await page.setInputFiles('[data-testid="file-input"]', MALL);
    await page.waitForSelector('#preview', { timeout: 120_000 });
    expect(await seriousOf(page, 'file profile')).toEqual([]);

    if (await page.isVisible('#choose-k')) await page.setChecked('#choose-k', false);
    await page.selectOption('#backend', 'wasm');
    await page.fill('#seed', '3');
    await page.fill('#setting-k', '5');
    await page.click('[data-testid="run"]');
    await page.waitForSelector('[data-testid="results"] .result #segment-sizes, #error:not([hidden])', { timeout: 300_000 });
    expect(await page.isVisible('#error')).toBe(false);
    await page.waitForSelector('[data-testid="members"][data-state="ready"]', { timeout: 60_000 });
    expect(await seriousOf(page, 'results')).toEqual([]);

    // A segment picked from the segments table: the charts dimmed, its rows listed.
    await page.click('tr.selectable >> nth=1');
    await page.waitForSelector('[data-testid="members-count"][data-segment="1"]', { timeout: 60_000 });
    expect(await seriousOf(page, 'segment selected')).toEqual([]);
    await pageShot(page, `${SHOTS}axe-selected-1400.png`);

    // DBSCAN's eps help on the same file.
    await page.selectOption('#algorithm', 'dbscan');
    await page.click('[data-testid="suggest-eps"]');
    await page.waitForSelector('[data-testid="use-eps"]', { timeout: 120_000 });
    expect(await seriousOf(page, 'eps help')).toEqual([]);

    // The phone width: the same page, reflowed.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await seriousOf(page, 'results at 390 px')).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  }, 600_000);

  it('the report of a run, as written by segments fit', async () => {
    const seg = await segment(ADS, { k: 4, nInit: 1, seed: 2, backend: 'wasm', onWarning: () => {} });
    const html = await segmentationReport(seg);
    // The report forbids every script (its Content-Security-Policy): the checker is let in by the test alone.
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    expect(await seriousOf(page, 'report')).toEqual([]);
    await context.close();
  }, 300_000);
});
