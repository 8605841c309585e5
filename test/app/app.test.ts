// SPDX-License-Identifier: MIT
/**
 * The browser app end to end: Vite builds it, serveApp serves it on 127.0.0.1 with the
 * cross-origin isolation headers, and Debian's Chromium (headless, driven by playwright-core,
 * WebGPU on SwiftShader) uses it as an analyst would: picks a file through the file input, runs
 * k-means, renames a segment, downloads the rows, the model and the report. The downloaded
 * segments are checked against the same pipeline run by the library in this (Node) process, and
 * the downloaded model is loaded here and must segment the file as the page did. Screenshots go
 * to test-output/app/ with SEGMENTS_SHOTS=1.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CsvError, REPORT_CHARTS, parseModel, readTable } from '../../src/index.js';
import type { SegmentOptions } from '../../src/workflow/options.js';
import { segment } from '../../src/workflow/segment.js';
import { userMessage } from '../../src/workflow/userMessage.js';
import { main } from '../../src/cli/main.js';
import type { AppServer } from '../../src/cli/serve.js';
import { CHROMIUM_MISSING, intoView, labelProblems, openApp, pageShot, shot, startApp } from './openApp.js';
import { EXPORTERS } from '../../app/src/exports.js';
import { tempDir } from '../helpers/tempDir.js';

const missing = CHROMIUM_MISSING;
if (missing !== null) console.warn(`skipping the browser app tests: ${missing}`);

const data = (name: string): string => fileURLToPath(new URL(`../fixtures/data/${name}`, import.meta.url));
const ADS = data('user_profiles_for_ads.csv');
const MALL = data('Mall_Customers.csv');
const BAD = data('social_media_wellbeing_train.csv');
const SHOTS = fileURLToPath(new URL('../../test-output/app/', import.meta.url));

/** The labels the library's workflow gives in Node for a file and options: what the app and the CLI must give. */
async function nodeLabels(path: string, options: SegmentOptions): Promise<number[]> {
  return Array.from((await segment(path, { ...options, backend: 'wasm' })).labels);
}

/** The segments `segments fit` writes for a file and flags (wasm, quiet). */
async function cliLabels(path: string, flags: string[]): Promise<number[]> {
  const out = tempDir('segments-app-cli-');
  const err: string[] = [];
  const code = await main(['fit', path, ...flags, '--backend', 'wasm', '--out', out, '--quiet'], { out: () => undefined, err: (l) => err.push(l) });
  expect(code, err.join('\n')).toBe(0);
  const rows = (await readTable(join(out, 'segments.csv'))).table;
  return Array.from(rows.getChild('segment')!.toArray() as ArrayLike<number>, Number);
}

describe.skipIf(missing !== null)('the browser app in Chromium', () => {
  let app: AppServer;
  let browser: Browser;
  let serverStopped = false;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    ({ app, browser } = await startApp());
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    if (app !== undefined && !serverStopped) await app.close();
  });

  /** A fresh page of the app, and the errors its console and its workers report. */
  async function open(): Promise<{ page: Page; errors: string[] }> {
    return openApp(browser, app.url);
  }

  async function pick(page: Page, file: string): Promise<void> {
    await page.setInputFiles('[data-testid="file-input"]', file);
    await page.waitForSelector('#preview', { timeout: 60_000 });
  }

  /** Sets the run form: backend, seed and the algorithm's fields by key (a k given turns off the choice of k). */
  async function settings(page: Page, backend: string, seed: number, fields: Record<string, string | boolean>): Promise<void> {
    if ('k' in fields && (await page.isVisible('#choose-k'))) await page.setChecked('#choose-k', false);
    await page.selectOption('#backend', backend);
    await page.fill('#seed', String(seed));
    for (const [key, value] of Object.entries(fields)) {
      if (typeof value === 'boolean') await page.setChecked(`#setting-${key}`, value);
      else await page.fill(`#setting-${key}`, value);
    }
  }

  /** Clicks Run and waits for the run's results (or fails with the page's error). */
  async function run(page: Page, runId: number): Promise<void> {
    await page.click('[data-testid="run"]');
    await page.waitForSelector(`[data-testid="results"] .result[data-run-id="${runId}"] #segment-sizes, #error:not([hidden])`, { timeout: 150_000 });
    const error = await page.$('#error:not([hidden])');
    if (error !== null) throw new Error(`the run failed in the page: ${await error.textContent()}`);
  }

  async function sizes(page: Page): Promise<number[]> {
    return page.$$eval('#segment-sizes td[data-size]', (cells) => cells.map((c) => Number((c as HTMLElement).dataset.size)));
  }

  /** Clicks a download button of the current run; the file's suggested name and its text. */
  async function download(page: Page, what: 'csv' | 'model' | 'report'): Promise<{ name: string; path: string; text: string }> {
    const [file] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.click(`#download-${what}`)]);
    const path = await file.path();
    return { name: file.suggestedFilename(), path, text: readFileSync(path, 'utf8') };
  }

  async function downloadCsv(page: Page): Promise<{ segment: number[]; names: string[] }> {
    const { name, path } = await download(page, 'csv');
    const { table } = await readTable(path, { name });
    return {
      segment: Array.from(table.getChild('segment')?.toArray() ?? [], Number),
      names: Array.from(table.getChild('segment_name')?.toArray() ?? [], String),
    };
  }

  it('k-means with k = 5 on WASM gives five segments of the 1000 users, and the downloaded segments equal those of the library and of the CLI for the same seed and backend', async () => {
    const { page, errors } = await open();
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await pick(page, ADS);
    expect(await page.textContent('#file-status')).toContain('1,000 rows × 16 columns');
    await pageShot(page, `${SHOTS}columns.png`);

    // The form opens at the workflow's defaults: k chosen in 2..8, seed 42.
    expect(await page.isChecked('#choose-k')).toBe(true);
    expect(await page.inputValue('#seed')).toBe('42');
    expect(await page.isDisabled('#setting-k'), 'the segments field is not used while k is chosen').toBe(true);
    await settings(page, 'wasm', 7, { k: '5', nInit: '10', maxIter: '300' });
    await run(page, 1);
    expect(await page.textContent('[data-testid="backend"]')).toBe('wasm');
    const got = await sizes(page);
    expect(got).toHaveLength(5);
    // The ads users have no clear groups (silhouette near 0.05): the results open with that warning, with the figure, and the names read as tentative.
    const structure = page.locator('[data-testid="structure"]');
    expect(await structure.getAttribute('data-structure')).toBe('warn');
    const pageSilhouette = Number((await page.textContent('[data-field="silhouette"]'))?.split(' ')[0]);
    expect(await structure.textContent()).toContain(`silhouette ${pageSilhouette.toFixed(2)}`);
    expect(await structure.locator('li[data-code="weak-separation"]').count()).toBe(1);
    expect(await page.textContent('#segment-sizes thead')).toContain('name (tentative)');
    expect(got.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(await page.getAttribute('#backend-status', 'data-backend')).toBe('wasm');
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    expect(Number(await page.getAttribute('#threads-status', 'data-threads')), 'WASM kernels on every core of an isolated page').toBe(cores);
    // The model and report downloads exist in this build.
    expect(EXPORTERS.model).not.toBeNull();
    expect(EXPORTERS.report).not.toBeNull();
    expect(await page.isVisible('#download-model')).toBe(true);
    expect(await page.isVisible('#download-report')).toBe(true);

    // Rename segment 0, then download: the CSV carries the library's segments and the new name.
    await page.fill('input[data-segment="0"]', 'Weekday scrollers');
    await page.click('#save-names');
    await page.waitForSelector('input[data-segment="0"][value="Weekday scrollers"]');
    const csv = await downloadCsv(page);
    const expected = await nodeLabels(ADS, { k: 5, seed: 7, nInit: 10, maxIter: 300 });
    expect(csv.segment).toEqual(expected);
    expect(new Set(csv.names.filter((_, i) => csv.segment[i] === 0))).toEqual(new Set(['Weekday scrollers']));
    expect(Array.from({ length: 5 }, (_, s) => expected.filter((l) => l === s).length)).toEqual(got);
    // And the CLI, with the same file, seed, backend and k-means settings, writes the same segments.
    expect(await cliLabels(ADS, ['--k', '5', '--n-init', '10', '--seed', '7'])).toEqual(csv.segment);

    // The model JSON, loaded in Node as `segments predict` loads it, segments the file as the page did, with the page's names.
    const modelFile = await download(page, 'model');
    expect(modelFile.name).toBe('user_profiles_for_ads.model.json');
    const model = parseModel(modelFile.text, modelFile.name);
    expect(model.algorithm).toBe('kmeans');
    const pageNames = await page.$$eval('input[data-segment]', (inputs) => inputs.map((i) => [Number((i as HTMLInputElement).dataset.segment), (i as HTMLInputElement).value] as const));
    expect(model.segments.map((s) => [s.id, s.name])).toEqual([...pageNames].sort((a, b) => a[0] - b[0]));
    expect(model.segments.map((s) => s.size)).toEqual(got);
    expect(model.segments[0].nameSource).toBe('user');
    const predicted = await model.predict((await readTable(ADS)).table);
    expect(Array.from(predicted.segments)).toEqual(csv.segment);
    expect(predicted.names).toEqual(csv.names);

    // The report has every chart section segments fit writes (the elbow only when k was chosen) and the user's name.
    const report = await download(page, 'report');
    expect(report.name).toBe('user_profiles_for_ads.report.html');
    for (const chart of REPORT_CHARTS.filter((c) => c !== 'elbow')) expect(report.text).toContain(`data-chart="${chart}"`);
    expect(report.text).toContain('data-omitted="elbow"');
    expect(report.text).toContain('Weekday scrollers');
    expect(report.text).toContain('data-structure="warn"');
    expect(report.text).toContain('names tentative');

    await pageShot(page, `${SHOTS}results-wasm.png`);
    // The 3-D scatter turns when dragged.
    const canvas = page.locator('#projections canvas.rotatable');
    const before = await canvas.screenshot();
    const box = await canvas.boundingBox();
    if (box === null) throw new Error('the 3-D scatter is not on screen');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 80, box.y + box.height / 2 + 30, { steps: 5 });
    await page.mouse.up();
    expect((await canvas.screenshot()).equals(before)).toBe(false);
    await shot(canvas, `${SHOTS}scatter3d-rotated.png`);

    // Letting k-means choose k draws the elbow and silhouette curves; two runs are compared.
    await page.setChecked('#choose-k', true);
    await page.fill('#k-min', '2');
    await page.fill('#k-max', '5');
    await settings(page, 'wasm', 7, { nInit: '2' });
    await run(page, 2);
    await page.waitForSelector('#k-curves [data-chart="elbow"][data-rendered="true"] svg');
    // One chart, the report's: inertia above silhouette on the same k axis.
    expect(await page.locator('#k-curves svg').count()).toBe(1);
    expect(await page.textContent('#k-curves svg')).toContain('silhouette');
    // The same file, options and seed give the same segments in the app's worker, the library and the CLI.
    const chosen = (await downloadCsv(page)).segment;
    expect(await nodeLabels(ADS, { k: 'auto', kMin: 2, kMax: 5, nInit: 2, seed: 7 })).toEqual(chosen);
    expect(await cliLabels(ADS, ['--k-min', '2', '--k-max', '5', '--n-init', '2', '--seed', '7'])).toEqual(chosen);
    expect(await page.locator('#compare tbody tr').count()).toBe(2);
    expect((await download(page, 'report')).text).toContain('data-chart="elbow"');
    await pageShot(page, `${SHOTS}choose-k-and-compare.png`);
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);

  it('the results draw the report\'s charts with Vega, loaded after the first paint: tooltips, legends, a log scale for a heavy tail, blanks filled, no label clipped at 1400 and 390 px', async () => {
    // 90 rows in three planted groups; spend is heavy-tailed (>= 0, 9 rows above 5,000 among values under 25: skewness near 2.7); 7 blank visits.
    const dir = tempDir('segments-app-charts-');
    const file = join(dir, 'shop.csv');
    const lines = ['customer_id,spend,visits,plan,Time Spent Online (hrs/weekday),Time Spent Online (hrs/weekend)'];
    for (let i = 0; i < 90; i++) {
      const g = i % 3;
      const spend = (i % 7) * (g + 1) + (i % 10 === 0 ? 5000 + 97 * i : 0);
      const visits = i % 13 === 5 ? '' : String(3 + 4 * g + (i % 4));
      lines.push(`${1000 + i},${spend},${visits},${['basic', 'pro', 'team'][g]},${2 + g * 3 + (i % 5) / 5},${1 + g * 2 + (i % 3) / 3}`);
    }
    writeFileSync(file, `${lines.join('\n')}\n`);
    const blanks = lines.slice(1).filter((l) => l.split(',')[2] === '').length;
    expect(blanks).toBe(7);

    const { page, errors } = await open();
    await page.setViewportSize({ width: 1400, height: 900 });
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    await pick(page, file);
    // The first paint and the file's columns come without Vega: it is fetched when a chart is drawn.
    expect(requested.filter((u) => /vega/i.test(u))).toEqual([]);
    // Each column's kind says why in words on the page, not only on hover; the blank cells are counted.
    expect((await page.textContent('td.reason[data-column="spend"]'))?.length).toBeGreaterThan(10);
    expect(await page.isVisible('td.reason[data-column="spend"]')).toBe(true);
    expect(await page.getAttribute('td.blank[data-column="visits"]', 'data-missing')).toBe('7');
    await settings(page, 'wasm', 1, { k: '3', nInit: '2' });
    await run(page, 1);
    await page.waitForFunction(() => Array.from(document.querySelectorAll('.vega-chart')).every((e) => (e as HTMLElement).dataset.rendered === 'true'), undefined, { timeout: 60_000 });
    expect(requested.some((u) => /vega/i.test(u))).toBe(true);
    const charts = await page.$$eval('.vega-chart', (els) => els.map((e) => (e as HTMLElement).dataset.chart));
    for (const chart of ['sizes', 'scatter', 'radar', 'histogram', 'boxplot', 'categories', 'correlation']) expect(charts, chart).toContain(chart);
    // The pipeline filled the 7 blanks with the median, and the columns view says so.
    expect(await page.getAttribute('span.filled[data-column="visits"]', 'data-filled')).toBe('7');
    expect(await page.textContent('span.filled[data-column="visits"]')).toContain('7 filled with the median');
    // The heavy tail is on a log scale under its own name; no 'log1p(' anywhere.
    const axisTitles = await page.$$eval('#distributions svg .role-axis-title text', (ts) => ts.map((t) => t.textContent));
    expect(axisTitles).toContain('spend (log scale)');
    expect(axisTitles).toContain('visits');
    expect(await page.textContent('[data-testid="results"]')).not.toContain('log1p(');
    // A tooltip on a bar of the sizes chart gives its segment, rows and share.
    const sizes = await page.$$eval('#segment-sizes td[data-size]', (cells) => cells.map((c) => Number((c as HTMLElement).dataset.size)));
    const bar = page.locator('[data-chart="sizes"] svg .mark-rect path').first();
    await bar.hover();
    await page.waitForFunction(() => (document.querySelector('[data-chart="sizes"]')?.getAttribute('title') ?? '').includes('rows'));
    const tip = (await page.getAttribute('[data-chart="sizes"]', 'title')) ?? '';
    expect(tip).toMatch(/^segment: .+\nrows: [\d,]+\nshare: [\d.]+%$/);
    expect(sizes).toContain(Number(/rows: ([\d,]+)/.exec(tip)![1].replace(/,/g, '')));
    // And one on a point of the scatter.
    const point = page.locator('[data-chart="scatter"] svg .mark-symbol path').first();
    await intoView(page, point);
    await point.hover({ force: true });
    await page.waitForFunction(() => (document.querySelector('[data-chart="scatter"]')?.getAttribute('title') ?? '').startsWith('segment: '));
    // Legends name the segments in the scatter and the radar; segment colours never colour category values.
    const names = await page.$$eval('input[data-segment]', (inputs) => inputs.map((i) => (i as HTMLInputElement).value));
    for (const chart of ['scatter', 'radar']) {
      const legend = await page.$$eval(`[data-chart="${chart}"] svg .role-legend-label text`, (ts) => ts.map((t) => t.textContent ?? ''));
      expect(legend.length, chart).toBe(names.length);
    }
    const swatches = await page.$$eval('#segment-sizes i.swatch', (is) => is.map((i) => getComputedStyle(i).backgroundColor));
    expect(new Set(swatches).size).toBe(3);
    const categoryFills = await page.$$eval('[data-chart="categories"] svg .mark-rect path', (ps) => ps.map((p) => getComputedStyle(p).fill));
    for (const fill of categoryFills) expect(swatches).toContain(fill);
    // Two radar axes whose names share a long start read differently.
    const radarLabels = await page.$$eval('[data-chart="radar"] svg text', (ts) => ts.map((t) => t.textContent ?? '').filter((t) => t.includes('(hrs/')));
    expect(radarLabels.length).toBe(2);
    expect(new Set(radarLabels).size).toBe(2);
    // The silhouette plot is drawn; each chart saves as SVG and PNG, the profile table as CSV, row for row.
    expect(charts).toContain('silhouette');
    const saved = async (selector: string): Promise<{ name: string; bytes: Buffer }> => {
      const [file] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.locator(selector).first().click()]);
      return { name: file.suggestedFilename(), bytes: readFileSync(await file.path()) };
    };
    const svgFile = await saved('[data-chart="sizes"] + .chart-exports [data-export="svg"]');
    expect(svgFile.name).toBe('rows-in-each-segment.svg');
    expect(svgFile.bytes.toString('utf8')).toMatch(/^<svg[^>]*>[\s\S]*<\/svg>$/);
    const pngFile = await saved('[data-chart="sizes"] + .chart-exports [data-export="png"]');
    expect(pngFile.name).toBe('rows-in-each-segment.png');
    expect([...pngFile.bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const csvFile = await saved('#download-profile');
    const csvLines = csvFile.bytes.toString('utf8').trimEnd().split('\r\n');
    const tableRows = await page.$$eval('#profile-table tr', (rows) => rows.map((r) => Array.from((r as HTMLTableRowElement).cells, (c) => (c.textContent ?? '').replace(/\s+/g, ' ').trim())));
    expect(csvLines.length).toBe(tableRows.length);
    expect(csvLines.map((l) => l.split(',')[0])).toEqual(tableRows.map((r) => r[0]));
    expect(csvLines[0].startsWith('column,all rows,')).toBe(true);
    // A long segment name is read whole in its box.
    await page.fill('input[data-segment="0"]', 'Heavy spenders who come on weekends and buy the team plan');
    const overflow = await page.$$eval('input[data-segment]', (inputs) => inputs.filter((i) => i.scrollWidth > i.clientWidth + 1).map((i) => (i as HTMLInputElement).value));
    expect(overflow).toEqual([]);
    expect(await labelProblems(page)).toEqual([]);
    await pageShot(page, `${SHOTS}charts-1400.png`);
    // On a 390 px phone: nothing wider than the screen, and still no label clipped or overlapping.
    await page.setViewportSize({ width: 390, height: 844 });
    const wide = await page.$$eval('body *', (els) => els.filter((e) => e.getBoundingClientRect().right > 391 && e.closest('.table-scroll, figure.chart') === null).map((e) => `${e.tagName}#${e.id}.${e.className}`));
    expect(await page.evaluate(() => document.documentElement.scrollWidth), wide.slice(0, 5).join(' ')).toBeLessThanOrEqual(390);
    expect(await labelProblems(page)).toEqual([]);
    await pageShot(page, `${SHOTS}charts-390.png`);
    expect(errors).toEqual([]);
    await page.close();
  }, 150_000);

  it("a file with bad lines shows the library's error with the line numbers, and reads once they are skipped", async () => {
    const { page, errors } = await open();
    const thrown = await readTable(BAD).then(
      () => null,
      (err: unknown) => err,
    );
    expect(thrown).toBeInstanceOf(CsvError);
    const libraryError = thrown as CsvError;
    await page.setInputFiles('#file-input', BAD);
    await page.waitForSelector('#error:not([hidden])');
    expect(await page.textContent('#error .error-message')).toBe(userMessage(libraryError));
    expect(await page.textContent('#error .error-message')).not.toMatch(/^readCsv: /);
    expect(await page.textContent('#error .error-line')).toBe(`First bad line: ${libraryError.line}`);
    const lines = await page.$$eval('#error table.bad-rows tbody tr td:first-child', (cells) => cells.map((c) => Number(c.textContent)));
    expect(lines.slice(0, 3)).toEqual(libraryError.badRows.slice(0, 3).map((r) => r.line));
    await pageShot(page, `${SHOTS}bad-file.png`);

    // Choosing to skip bad rows reads the file again.
    await page.selectOption('#bad-rows', 'skip');
    await page.waitForSelector('#preview');
    const { report } = await readTable(BAD, { onBadRows: 'skip' });
    expect(await page.getAttribute('#file-status', 'data-rows')).toBe(String(report.rows));
    expect(await page.isHidden('#error')).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('a file that cannot be read changes nothing: the file before it and its results stay, and download', async () => {
    const { page, errors } = await open();
    await pick(page, ADS);
    await settings(page, 'wasm', 7, { k: '3' });
    await run(page, 1);
    const before = await sizes(page);
    await page.setInputFiles('[data-testid="file-input"]', BAD);
    await page.waitForSelector('#error:not([hidden])');
    expect(await page.textContent('#error strong')).toBe('Could not read social_media_wellbeing_train.csv; user_profiles_for_ads.csv and its results are still here: ');
    expect(await page.getAttribute('#file-status', 'data-rows')).toBe('1000');
    expect(await page.textContent('#file-status')).toMatch(/^user_profiles_for_ads\.csv: 1,000 rows/);
    expect(await page.isVisible('#run-section')).toBe(true);
    expect(await page.$('[data-testid="results"]')).not.toBeNull();
    expect(await sizes(page)).toEqual(before);
    // The results are still the worker's: their download works and holds the same segments.
    const csv = await downloadCsv(page);
    const counts = [0, 1, 2].map((s) => csv.segment.filter((x) => x === s).length);
    expect([...counts].sort((a, b) => b - a)).toEqual([...before].sort((a, b) => b - a));
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('a file of 300 numeric columns: the scatters use the 200 features that differ most between the segments, and the results say so', async () => {
    const dir = tempDir('segments-app-wide-');
    const file = join(dir, 'wide.csv');
    // 150 rows, 300 columns; the first 10 columns carry three planted segments (a fixed LCG for the rest).
    let state = 11;
    const noise = (): number => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state / 2147483648;
    };
    const lines = [Array.from({ length: 300 }, (_, j) => `f${j}`).join(',')];
    for (let i = 0; i < 150; i++) lines.push(Array.from({ length: 300 }, (_, j) => ((j < 10 ? 5 * (i % 3) : 0) + noise()).toFixed(4)).join(','));
    writeFileSync(file, `${lines.join('\n')}\n`);
    const { page, errors } = await open();
    await pick(page, file);
    await settings(page, 'wasm', 1, { k: '3', nInit: '1' });
    await run(page, 1);
    const notes = await page.$$eval('ul.notes li', (items) => items.map((li) => li.textContent ?? ''));
    const note = notes.find((n) => n.startsWith('the scatters show the principal components of the 200 of 300 features'));
    expect(note, notes.join('\n')).toBeDefined();
    expect(note).toContain('100 left out');
    for (const planted of ['f0,', 'f1,', 'f2,']) expect((/left out \((.*)\)/.exec(note as string)?.[1] ?? '')).not.toContain(planted);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('the WebGL and WebGPU paths complete a small run', async () => {
    const { page, errors } = await open();
    await pick(page, MALL);
    let runId = 0;
    for (const backend of ['webgl', 'webgpu']) {
      await settings(page, backend, 3, { k: '3', nInit: '1', maxIter: '100' });
      await run(page, ++runId);
      expect(await page.getAttribute('#backend-status', 'data-backend')).toBe(backend);
      const got = await sizes(page);
      expect(got).toHaveLength(3);
      expect(got.reduce((a, b) => a + b, 0)).toBe(200);
      await shot(page, `${SHOTS}results-${backend}.png`);
    }
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);

  it('cancelling a run stops the worker, and the next runs work (k-means, spectral)', async () => {
    const { page, errors } = await open();
    await pick(page, ADS);
    await settings(page, 'wasm', 1, { nInit: '10' });
    await page.setChecked('#choose-k', true);
    await page.fill('#k-min', '2');
    await page.fill('#k-max', '30');
    await page.click('#run');
    await page.waitForFunction(() => (document.getElementById('progress') as HTMLProgressElement).value > 0.1, undefined, { timeout: 60_000 });
    await page.click('#cancel');
    await page.waitForFunction(() => document.getElementById('progress-text')?.textContent === 'cancelled');
    expect(await page.isEnabled('#run')).toBe(true);
    await page.setChecked('#choose-k', false);
    await settings(page, 'wasm', 1, { k: '4', nInit: '1' });
    await run(page, 2);
    expect((await sizes(page)).reduce((a, b) => a + b, 0)).toBe(1000);
    // Spectral clustering on the k-nearest-neighbour graph, from the same form.
    await page.selectOption('#algorithm', 'spectral');
    await settings(page, 'wasm', 1, { k: '4', nNeighbors: '10', nInit: '2' });
    await run(page, 3);
    const spectral = await sizes(page);
    expect(spectral).toHaveLength(4);
    expect(spectral.reduce((a, b) => a + b, 0)).toBe(1000);
    // Its model keeps the segment means (a spectral embedding cannot place new rows) and reloads.
    const spectralModel = parseModel((await download(page, 'model')).text);
    expect(spectralModel.algorithm).toBe('kmeans');
    expect(spectralModel.segments.map((s) => s.size)).toEqual(spectral);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('works offline once loaded: with the server stopped the page reloads and runs', async () => {
    const { page, errors } = await open();
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    // Loading once with the service worker in control makes sure every file came through it.
    await page.reload();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await app.close();
    serverStopped = true;
    await page.reload();
    await page.waitForFunction(() => document.getElementById('threads-status')?.dataset.isolated === 'true');
    await pick(page, MALL);
    await settings(page, 'wasm', 2, { k: '4', nInit: '2' });
    await run(page, 1);
    expect((await sizes(page)).reduce((a, b) => a + b, 0)).toBe(200);
    await shot(page, `${SHOTS}offline.png`);
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);
});
