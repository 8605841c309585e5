// SPDX-License-Identifier: MIT
/**
 * Linked selection and the member table in the browser app, end to end in Debian's Chromium (as
 * test/app/app.test.ts sets it up): a click on a segment anywhere selects it in every chart and
 * lists exactly its rows (checked against the library's labels for the same file and options,
 * computed here in Node); the search, the scroll to the last rows and the CSV of the rows are
 * checked against the raw CSV file. The member table on 2·10^5 rows is checked in
 * largeFile.test.ts, on the page that file has run at the defaults.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SegmentOptions } from '../../src/workflow/options.js';
import { segment } from '../../src/workflow/segment.js';
import type { AppServer } from '../../src/cli/serve.js';
import { CHROMIUM_MISSING, intoView, openApp, pageShot, startApp } from './openApp.js';
import { csvFields, csvRows, drawnRows, listed, sameCell, scrollTo } from './memberTable.js';

const missing = CHROMIUM_MISSING;
if (missing !== null) console.warn(`skipping the linked selection tests: ${missing}`);

const MALL = fileURLToPath(new URL('../fixtures/data/Mall_Customers.csv', import.meta.url));
const SHOTS = fileURLToPath(new URL('../../test-output/app/', import.meta.url));

describe.skipIf(missing !== null)('linked selection and the member table in Chromium', () => {
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

  async function open(): Promise<{ page: Page; errors: string[] }> {
    return openApp(browser, app.url);
  }

  async function pickAndRun(page: Page, file: string, seed: number, fields: Record<string, string>): Promise<void> {
    await page.setInputFiles('[data-testid="file-input"]', file);
    await page.waitForSelector('#preview', { timeout: 120_000 });
    if (await page.isVisible('#choose-k')) await page.setChecked('#choose-k', false);
    await page.selectOption('#backend', 'wasm');
    await page.fill('#seed', String(seed));
    for (const [key, value] of Object.entries(fields)) await page.fill(`#setting-${key}`, value);
    await page.click('[data-testid="run"]');
    await page.waitForSelector('[data-testid="results"] .result[data-run-id="1"] #segment-sizes, #error:not([hidden])', { timeout: 300_000 });
    const error = await page.$('#error:not([hidden])');
    if (error !== null) throw new Error(`the run failed in the page: ${await error.textContent()}`);
  }

  /** Saves the listed rows as CSV through the page's button; its lines' fields. */
  async function exportRows(page: Page): Promise<{ name: string; lines: string[][] }> {
    const [file] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.click('[data-testid="members-export"]')]);
    const text = readFileSync(await file.path(), 'utf8');
    expect(text.endsWith('\r\n')).toBe(true);
    return { name: file.suggestedFilename(), lines: text.trimEnd().split('\r\n').map(csvFields) };
  }

  it('a segment clicked in the table, a legend or a chart is selected everywhere and its rows listed, searched, scrolled and saved as the file has them', async () => {
    const { page, errors } = await open();
    await page.setViewportSize({ width: 1280, height: 900 });
    await pickAndRun(page, MALL, 3, { k: '5', nInit: '4' });
    await page.waitForFunction(() => Array.from(document.querySelectorAll('.vega-chart')).every((e) => (e as HTMLElement).dataset.rendered === 'true'), undefined, { timeout: 60_000 });
    const options: SegmentOptions = { k: 5, nInit: 4, seed: 3, backend: 'wasm' };
    const labels = Array.from((await segment(MALL, options)).labels);
    const raw = csvRows(MALL);
    expect(labels).toHaveLength(raw.rows.length);

    // Nothing selected: every row listed.
    expect(await listed(page, null)).toEqual({ count: 200, total: 200 });

    // A click on segment 2's row in the segments table: the member table lists exactly its rows.
    const target = 2;
    const members = labels.flatMap((l, i) => (l === target ? [i + 1] : []));
    await page.click(`#segment-sizes tr[data-segment="${target}"] td.num`);
    expect(await listed(page, target)).toEqual({ count: members.length, total: members.length });
    expect(await page.textContent('[data-testid="members-count"]')).toContain(`${members.length} rows in`);
    expect(await page.getAttribute(`#segment-sizes tr[data-segment="${target}"]`, 'class')).toContain('selected');
    expect(await page.locator('#segment-sizes tr.dimmed').count()).toBe(4);
    await scrollTo(page, 0);
    const seen = new Map<number, string[]>();
    for (let top = 0; seen.size < members.length; top += 200) {
      await scrollTo(page, top);
      for (const r of await drawnRows(page)) seen.set(r.row, r.cells);
      if (top > members.length * 26) break;
    }
    expect([...seen.keys()].sort((a, b) => a - b)).toEqual(members);
    // Each row's cells are the file's (numbers compared as numbers: the file writes '0001').
    for (const [row, cells] of seen) {
      const fileCells = raw.rows[row - 1];
      expect(cells.slice(2).every((c, j) => sameCell(c, fileCells[j])), `row ${row}: ${cells.join('|')} against ${fileCells.join('|')}`).toBe(true);
    }
    // Every chart that shows segments shows the same one selected (by its name: the names differ), the others dimmed in the SVG.
    const names = await page.$$eval('#segment-sizes input[data-segment]', (inputs) => inputs.map((i) => (i as HTMLInputElement).value.trim()));
    expect(new Set(names).size).toBe(5);
    const selectedLabel = names[target];
    await page.waitForFunction((label) => ['sizes', 'scatter', 'radar', 'boxplot'].every((c) => (document.querySelector(`[data-chart="${c}"]`) as HTMLElement | null)?.dataset.selected === label), selectedLabel);
    const opacities = await page.$$eval('[data-chart="scatter"] svg .mark-symbol path', (ps) => ps.map((p) => Number(p.getAttribute('opacity') ?? '1')));
    expect(opacities.length).toBeGreaterThan(0);
    const dimmed = opacities.filter((o) => o < 0.3).length;
    expect(dimmed).toBeGreaterThan(0);
    expect(opacities.length - dimmed).toBeGreaterThan(0);
    expect(opacities.length - dimmed).toBeLessThanOrEqual(members.length);
    // The hand-drawn 3-D view too.
    expect(await page.getAttribute('canvas.rotatable', 'data-selected')).toBe(String(target));
    await pageShot(page, `${SHOTS}selection-1280.png`);

    // The search narrows the segment's rows to those holding the text, as a filter of the raw file does.
    const q = 'female';
    const matching = members.filter((row) => raw.rows[row - 1].some((cell) => cell.toLowerCase().includes(q)));
    expect(matching.length).toBeGreaterThan(0);
    expect(matching.length).toBeLessThan(members.length);
    await page.fill('[data-testid="members-search"]', q);
    expect(await listed(page, target, q)).toEqual({ count: matching.length, total: members.length });
    // Saved as CSV: the listed rows, each with its segment and the file's cells.
    const saved = await exportRows(page);
    expect(saved.lines[0]).toEqual(['row', 'segment', 'segment name', ...raw.header]);
    expect(saved.lines.slice(1).map((l) => Number(l[0]))).toEqual(matching);
    for (const line of saved.lines.slice(1)) {
      expect(Number(line[1])).toBe(target);
      expect(line[2]).toBe(selectedLabel);
      expect(line.slice(3).every((c, j) => sameCell(c, raw.rows[Number(line[0]) - 1][j])), line.join('|')).toBe(true);
    }

    // A click on another segment's legend entry in the scatter selects it in every chart and the tables.
    const other = 0;
    const otherLabel = names[other];
    const legendLabel = page.locator('[data-chart="scatter"] svg .role-legend-label text', { hasText: otherLabel }).first();
    await intoView(page, legendLabel);
    await legendLabel.click({ force: true });
    await page.waitForFunction((label) => ['sizes', 'scatter', 'radar'].every((c) => (document.querySelector(`[data-chart="${c}"]`) as HTMLElement | null)?.dataset.selected === label), otherLabel);
    const otherMatching = labels.flatMap((l, i) => (l === other && raw.rows[i].some((cell) => cell.toLowerCase().includes(q)) ? [i + 1] : []));
    expect(await listed(page, other, q)).toEqual({ count: otherMatching.length, total: labels.filter((l) => l === other).length });
    expect(await page.getAttribute(`#segment-sizes tr[data-segment="${other}"]`, 'class')).toContain('selected');
    expect(await page.getAttribute(`#profile-table th[data-segment="${other}"]`, 'class')).toContain('selected');
    // The radar's lines of the other segments are dimmed.
    const radarDimmed = await page.$$eval('[data-chart="radar"] svg .mark-line path', (ps) => ps.filter((p) => Number(p.getAttribute('opacity') ?? '1') < 0.3).length);
    expect(radarDimmed).toBeGreaterThan(0);

    // A point of the scatter selects its segment (the one its tooltip names, on hover there), and so does a line of the radar.
    const selectedBy = async (chart: string, selector: string): Promise<void> => {
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await page.keyboard.press('Escape');
      await page.waitForFunction(() => (document.querySelector('[data-chart="sizes"]') as HTMLElement).dataset.selected === '');
      const mark = page.locator(`[data-chart="${chart}"] svg ${selector}`).first();
      await mark.scrollIntoViewIfNeeded();
      // A point's centre; a point on a line, a little way along it (a radar line's middle is inside its polygon).
      const { x, y } = await mark.evaluate((p, along) => {
        const path = p as SVGPathElement;
        const box = path.getBBox();
        const at = along ? path.getPointAtLength(path.getTotalLength() * 0.07) : { x: box.x + box.width / 2, y: box.y + box.height / 2 };
        const point = new DOMPoint(at.x, at.y).matrixTransform(path.getScreenCTM() as DOMMatrix);
        return { x: point.x, y: point.y };
      }, chart === 'radar');
      let label: string;
      if (chart === 'radar') {
        // A radar line has no tooltip: its description names it ('<segment> across the main features').
        const description = await page.evaluate(([px, py]) => document.elementFromPoint(px, py)?.getAttribute('aria-label') ?? '', [x, y] as const);
        label = description.replace(/ across the main features$/, '');
      } else {
        await page.$eval(`[data-chart="${chart}"]`, (e) => e.removeAttribute('title'));
        await page.mouse.move(x, y);
        await page.waitForFunction((c) => (document.querySelector(`[data-chart="${c}"]`)?.getAttribute('title') ?? '').startsWith('segment: '), chart);
        label = ((await page.getAttribute(`[data-chart="${chart}"]`, 'title')) ?? '').split('\n')[0].slice('segment: '.length);
      }
      expect(names).toContain(label);
      await page.mouse.click(x, y);
      await page.waitForFunction((l) => ['sizes', 'scatter', 'radar', 'boxplot'].every((c) => (document.querySelector(`[data-chart="${c}"]`) as HTMLElement | null)?.dataset.selected === l), label as string);
      expect(await listed(page, names.indexOf(label as string), q)).toMatchObject({ total: labels.filter((l) => l === names.indexOf(label as string)).length });
    };
    await selectedBy('scatter', '.mark-symbol path');
    await selectedBy('radar', '.mark-line path[aria-label]');

    // The last bar of the sizes chart (segments in list order) selects the last segment; Escape clears the selection everywhere.
    await page.fill('[data-testid="members-search"]', '');
    const lastBar = page.locator('[data-chart="sizes"] svg .mark-rect path').nth(4);
    await intoView(page, lastBar);
    await lastBar.click({ force: true });
    await page.waitForFunction((label) => ['sizes', 'scatter', 'radar'].every((c) => (document.querySelector(`[data-chart="${c}"]`) as HTMLElement | null)?.dataset.selected === label), names[4]);
    expect(await listed(page, 4)).toEqual({ count: labels.filter((l) => l === 4).length, total: labels.filter((l) => l === 4).length });
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => ['sizes', 'scatter', 'radar'].every((c) => (document.querySelector(`[data-chart="${c}"]`) as HTMLElement | null)?.dataset.selected === ''));
    expect(await listed(page, null)).toEqual({ count: 200, total: 200 });
    expect(await page.locator('#segment-sizes tr.dimmed').count()).toBe(0);
    const undimmed = await page.$$eval('[data-chart="scatter"] svg .mark-symbol path', (ps) => ps.filter((p) => Number(p.getAttribute('opacity') ?? '1') < 0.3).length);
    expect(undimmed).toBe(0);
    expect(await page.getAttribute('canvas.rotatable', 'data-selected')).toBe('');

    await page.setViewportSize({ width: 390, height: 844 });
    await page.click(`#segment-sizes tr[data-segment="${target}"] td.num`);
    await listed(page, target);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await pageShot(page, `${SHOTS}selection-390.png`);
    expect(errors).toEqual([]);
    await page.close();
  }, 240_000);
});
