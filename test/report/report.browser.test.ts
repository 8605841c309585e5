// SPDX-License-Identifier: MIT
/**
 * The report in a real browser: rendered from a realistic input (generated users, k-means, the
 * report helpers), written to test-output/report/report.html, served from 127.0.0.1 and opened in
 * Debian's headless Chromium with every other request aborted. Checks that no other request was
 * attempted, the console stayed clean, every chart's SVG is there with marks in it, the
 * hostile segment name shows as text and made no element; writes a full-page screenshot with SEGMENTS_SHOTS=1.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_CHARTS, renderReport } from '../../src/report/renderReport.js';
import { HOSTILE_NAME, realisticInput } from './realisticInput.js';
import { shot } from '../app/openApp.js';
import { CHROMIUM_MISSING, launchChromium } from '../helpers/chromium.js';

const OUT = fileURLToPath(new URL('../../test-output/report/', import.meta.url));
const missing = CHROMIUM_MISSING !== null;
if (missing) console.warn(`skipping the report browser test: ${CHROMIUM_MISSING}`);

/** Text-showing operations (Tj, TJ) in the Flate-compressed content streams of a PDF. */
function pdfTextOperations(pdf: Uint8Array): number {
  const buf = Buffer.from(pdf);
  const text = buf.toString('latin1');
  let count = 0;
  for (const m of text.matchAll(/stream\r?\n/g)) {
    const start = (m.index ?? 0) + m[0].length;
    try {
      count += (inflateSync(buf.subarray(start, text.indexOf('endstream', start))).toString('latin1').match(/\bT[Jj]\b/g) ?? []).length;
    } catch {
      // not a Flate stream (an image, a font): no text operations
    }
  }
  return count;
}

describe.skipIf(missing)('the HTML report in headless Chromium', () => {
  let html = '';
  let server: Server;
  let url = '';
  let browser: Browser;

  beforeAll(async () => {
    const warnings: string[] = [];
    html = await renderReport(await realisticInput(), { onWarning: (m) => warnings.push(m) });
    expect(warnings).toEqual([]);
    mkdirSync(OUT, { recursive: true });
    writeFileSync(join(OUT, 'report.html'), html);
    server = createServer((req, res) => {
      if (req.url === '/report.html') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(html);
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/report.html`;
    browser = await launchChromium(['--headless']);
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  it('shows every chart with marks, makes no request but the page, logs nothing, and escapes names', async () => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, javaScriptEnabled: false });
    const requested: string[] = [];
    const aborted: string[] = [];
    await context.route('**/*', (route) => {
      const u = route.request().url();
      if (u === url) return route.continue();
      aborted.push(u);
      return route.abort();
    });
    const page = await context.newPage();
    const consoleMessages: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') consoleMessages.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => consoleMessages.push(`pageerror: ${e.message}`));
    page.on('request', (r) => requested.push(r.url()));
    const response = await page.goto(url, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);

    // With JavaScript off, evaluate() would not run: read the DOM through locators instead.
    for (const chart of REPORT_CHARTS) {
      const svgs = page.locator(`figure[data-chart="${chart}"] > svg`);
      const count = await svgs.count();
      expect(count, chart).toBeGreaterThan(0);
      for (let i = 0; i < count; i++) {
        const svg = svgs.nth(i);
        const marks = await svg.locator('g[class*="role-mark"] > path, g[class*="role-mark"] > rect, g[class*="role-mark"] > line, g[class*="role-mark"] > text').count();
        expect(marks, `${chart} #${i}`).toBeGreaterThan(0);
        const box = await svg.boundingBox();
        expect(box?.width, chart).toBeGreaterThan(100);
        expect(box?.height, chart).toBeGreaterThan(50);
        expect(await svg.getAttribute('role')).toBe('img');
        const title = await svg.locator('title').first().textContent();
        expect(title?.length, chart).toBeGreaterThan(0);
      }
      expect(await page.locator(`[data-omitted="${chart}"]`).count(), chart).toBe(0);
    }

    // The hostile segment name is text in the table and made no element.
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.locator('main b').count()).toBe(0);
    const row = page.locator('table tbody th[scope="row"]', { hasText: 'Deal hunters' });
    expect(await row.textContent()).toBe(HOSTILE_NAME);

    await shot(page, join(OUT, 'report.png'), { fullPage: true });
    expect(requested).toEqual([url]);
    expect(aborted).toEqual([]);
    expect(consoleMessages).toEqual([]);
    await context.close();
  });

  it('opens from a file:// URL with no network at all and draws the same charts', async () => {
    const context = await browser.newContext({ offline: true });
    const page = await context.newPage();
    const consoleMessages: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') consoleMessages.push(`${m.type()}: ${m.text()}`);
    });
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    const file = `file://${join(OUT, 'report.html')}`;
    await page.goto(file);
    const figures = await page.locator('figure[data-chart] > svg').count();
    expect(figures).toBe((html.match(/<figure class="chart" data-chart=/g) ?? []).length);
    expect(await page.evaluate(() => document.querySelectorAll('svg [class*="role-mark"]').length)).toBeGreaterThan(20);
    expect(requested).toEqual([file]);
    expect(consoleMessages).toEqual([]);
    await context.close();
  });

  it('prints the profile of every segment, though only the first is open on screen', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'load' });
    const profiles = page.locator('details[data-profile]');
    const n = await profiles.count();
    expect(n).toBeGreaterThan(1);
    // On screen: the first open, the others closed, their tables not rendered.
    expect(await profiles.nth(1).getAttribute('open')).toBeNull();
    expect(await profiles.nth(1).locator('table').first().isVisible()).toBe(false);
    await page.emulateMedia({ media: 'print' });
    for (let i = 0; i < n; i++) expect(await profiles.nth(i).locator('table').first().isVisible(), `profile ${i}`).toBe(true);
    // Saved as PDF: more text is drawn than without the print rule (as the report was before it),
    // about 100 text operations per closed profile's tables.
    const rule = 'details::details-content { content-visibility: visible; }';
    expect(html).toContain(rule);
    const withRule = pdfTextOperations(await page.pdf());
    await page.setContent(html.replace(rule, ''), { waitUntil: 'load' });
    const withoutRule = pdfTextOperations(await page.pdf());
    expect(withRule - withoutRule).toBeGreaterThan(100 * (n - 1));
    await context.close();
  });

  it('fits a 390 px phone: the page does not scroll sideways (wide tables scroll in their own box)', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'load' });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // Every chart is drawn within the page's width.
    const widest = await page.evaluate(() => Math.max(...Array.from(document.querySelectorAll('figure svg'), (e) => e.getBoundingClientRect().right)));
    expect(widest).toBeLessThanOrEqual(390);
    await shot(page, join(OUT, 'report-phone.png'), { fullPage: true });
    await context.close();
  });
});
