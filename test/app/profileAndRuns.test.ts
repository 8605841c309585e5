// SPDX-License-Identifier: MIT
/**
 * The app's data profile and its saved runs, end to end in Debian's Chromium (playwright-core),
 * built and served as test/app/app.test.ts does. The profile's blanks, kinds and histograms are
 * checked against the raw CSV text counted here and against the library's readTable/inferKinds in
 * Node; the bad rows of the shared training file are listed with line and column; a run is kept
 * across a reload (IndexedDB), reopened with the same sizes, compared with a second run, its model
 * downloaded, deleted; a full storage quota is said and the app goes on. Screenshots (1280 and
 * 390 px) in test-output/app/ with SEGMENTS_SHOTS=1.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inferKinds, parseModel, readTable } from '../../src/index.js';
import type { AppServer } from '../../src/cli/serve.js';
import { CHROMIUM_MISSING, pageShot, shot, startApp } from './openApp.js';
import { tempDir } from '../helpers/tempDir.js';

const missing = CHROMIUM_MISSING;
if (missing !== null) console.warn(`skipping the profile and saved-runs tests: ${missing}`);

const data = (name: string): string => fileURLToPath(new URL(`../fixtures/data/${name}`, import.meta.url));
const MALL = data('Mall_Customers.csv');
const BAD = data('social_media_wellbeing_train.csv');
const SHOTS = fileURLToPath(new URL('../../test-output/app/', import.meta.url));

/** Mall_Customers.csv with cells blanked (empty, or spaces only) on a fixed pattern: a shared file with blanks. */
function mallWithBlanks(): { path: string; header: string[]; rows: string[][] } {
  const lines = readFileSync(MALL, 'utf8').trimEnd().split(/\r?\n/);
  const header = lines[0].split(',');
  const rows = lines.slice(1).map((l, i) => {
    const cells = l.split(',');
    if (i % 9 === 4) cells[1] = '';
    if (i % 13 === 7) cells[3] = i % 2 === 0 ? '' : '  ';
    if (i % 17 === 3) cells[4] = '';
    return cells;
  });
  const dir = tempDir('segments-profile-');
  const path = join(dir, 'mall_blanks.csv');
  writeFileSync(path, `${[header.join(','), ...rows.map((r) => r.join(','))].join('\n')}\n`);
  return { path, header, rows };
}

/** numpy.histogram's rule: `bins` equal-width bins over [min, max], the last closed. */
function histogram(values: number[], bins: number): number[] {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.floor(((v - lo) / (hi - lo)) * bins))]++;
  return counts;
}

describe.skipIf(missing !== null)('the data profile and the saved runs in Chromium', () => {
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

  async function open(width = 1280): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`page: ${e.message}`));
    page.on('worker', (w) => w.on('console', (m) => m.type() === 'error' && errors.push(`worker console: ${m.text()}`)));
    await page.goto(app.url);
    await page.waitForFunction(() => document.getElementById('threads-status')?.dataset.isolated !== undefined);
    return { page, errors };
  }

  async function pick(page: Page, file: string): Promise<void> {
    await page.setInputFiles('[data-testid="file-input"]', file);
    const name = file.split('/').pop() as string;
    await page.waitForFunction((n) => document.getElementById('file-status')?.textContent?.startsWith(`${n}: `) === true, name, { timeout: 60_000 });
    await page.waitForSelector('#profile table.data-profile', { timeout: 60_000 });
  }

  /** k-means with k given, on wasm; waits for the run's results and for it to be saved. */
  async function run(page: Page, runId: number, k: number, seed: number): Promise<number[]> {
    if (await page.isVisible('#choose-k')) await page.setChecked('#choose-k', false);
    await page.selectOption('#backend', 'wasm');
    await page.fill('#seed', String(seed));
    await page.fill('#setting-k', String(k));
    await page.click('[data-testid="run"]');
    await page.waitForSelector(`[data-testid="results"] .result[data-run-id="${runId}"] #segment-sizes, #error:not([hidden])`, { timeout: 150_000 });
    const error = await page.$('#error:not([hidden])');
    if (error !== null) throw new Error(`the run failed in the page: ${await error.textContent()}`);
    await page.waitForSelector(`#runs-table tr[data-run-id="${runId}"], #runs-status[data-problem]`, { timeout: 30_000 });
    return sizes(page);
  }

  async function sizes(page: Page): Promise<number[]> {
    return page.$$eval('#segment-sizes td[data-size]', (cells) => cells.map((c) => Number((c as HTMLElement).dataset.size)));
  }

  async function savedRows(page: Page): Promise<Array<{ storedId: number; runId: number }>> {
    return page.$$eval('#runs-table tbody tr', (rows) => rows.map((r) => ({ storedId: Number((r as HTMLElement).dataset.storedId), runId: Number((r as HTMLElement).dataset.runId) })));
  }

  it("shows each column's kind and why, its blank cells and its values before any run, as the library and the raw text say, and flags a kind that does not fit", async () => {
    const { path, header, rows } = mallWithBlanks();
    const { page, errors } = await open();
    await pick(page, path);

    // Blank cells counted here from the raw text: empty or spaces only.
    const blanks = header.map((_, j) => rows.filter((r) => r[j].trim() === '').length);
    // By hand: i % 9 = 4 for 22 of i < 200, i % 13 = 7 for 15, i % 17 = 3 for 12.
    expect(blanks).toEqual([0, 22, 0, 15, 12]);
    const { table } = await readTable(path);
    const schema = inferKinds(table);
    const profile = await page.$$eval('#profile table.data-profile tbody tr', (trs) =>
      trs.map((tr) => ({
        column: (tr as HTMLElement).dataset.column,
        kind: (tr.querySelector('.kind-cell') as HTMLElement).dataset.kind,
        reason: tr.querySelector('.kind-cell .reason')?.textContent,
        missing: Number((tr.querySelector('td.missing') as HTMLElement).dataset.missing),
      })),
    );
    expect(profile.map((p) => p.column)).toEqual(header);
    expect(profile.map((p) => p.missing)).toEqual(blanks);
    expect(profile.map((p) => p.missing)).toEqual(schema.columns.map((c) => c.missing));
    expect(profile.map((p) => p.kind)).toEqual(schema.columns.map((c) => c.kind));
    // The reason is in the page, not only on hover.
    schema.columns.forEach((c, j) => expect(profile[j].reason?.toLowerCase()).toContain(c.reason.toLowerCase()));

    // Income: a histogram of its 184 values on 20 bins, as numpy would bin them; Genre: its two values with their counts.
    const income = rows.map((r) => r[3].trim()).filter((v) => v !== '').map(Number);
    const bars = await page.$$eval('#profile table.data-profile tr[data-column="Annual Income (k$)"] svg.histogram rect', (rects) => rects.map((r) => Number(r.getAttribute('data-count'))));
    expect(bars).toEqual(histogram(income, 20));
    const genre = await page.$$eval('#profile table.data-profile tr[data-column="Genre"] .top-values li[data-value]', (lis) => lis.map((li) => [(li as HTMLElement).dataset.value, Number((li as HTMLElement).dataset.count)]));
    const female = rows.filter((r) => r[1] === 'Female').length;
    const male = rows.filter((r) => r[1] === 'Male').length;
    expect(genre).toEqual(female > male ? [['Female', female], ['Male', male]] : [['Male', male], ['Female', female]]);

    // A kind that cannot fit: Genre as a number, Age as a flag. The columns table and the profile both say so.
    expect(await page.$$('[data-testid="kind-warning"]')).toHaveLength(0);
    await page.selectOption('select[data-column="Genre"]', 'number');
    await page.selectOption('select[data-column="Age"]', 'flag');
    const warnings = await page.$$eval('#profile table.data-profile [data-testid="kind-warning"]', (ws) => ws.map((w) => [w.closest('tr')?.dataset.column, w.textContent]));
    expect(warnings).toEqual([
      ['Genre', "None of its values is a number (e.g. 'Female'): as a number every cell would be blank."],
      ['Age', `A flag has two values; this column has ${new Set(rows.map((r) => r[2])).size}: it would be one-hot encoded as a category.`],
    ]);
    expect(await page.isVisible('.preview .kind-warning[data-column="Genre"]')).toBe(true);
    await pageShot(page, `${SHOTS}profile-1280.png`);
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await pageShot(page, `${SHOTS}profile-390.png`);
    // Back to the inferred kind: the warning goes.
    await page.selectOption('select[data-column="Genre"]', 'category');
    expect(await page.$$eval('#profile table.data-profile [data-testid="kind-warning"]', (ws) => ws.length)).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('lists the rows of the shared training file that do not parse, with their line and column', async () => {
    const { page, errors } = await open();
    await page.selectOption('#bad-rows', 'null');
    await pick(page, BAD);
    // Counted here: the physical lines (header = 1) whose row has 10 fields but an Age that is not a number, and those without 10 fields.
    const lines = readFileSync(BAD, 'utf8').split(/\r?\n/);
    const expected: Array<[number, string]> = [];
    lines.forEach((l, i) => {
      if (i === 0 || l.trim() === '') return;
      const cells = l.split(',');
      if (cells.length !== 10) expected.push([i + 1, '–']);
      else if (!/^\s*\d+(\.\d+)?\s*$/.test(cells[1])) expected.push([i + 1, 'Age']);
    });
    expect(expected.length).toBe(77);
    const shown = await page.$$eval('#profile .profile-bad-rows tbody tr', (trs) => trs.map((tr) => [Number(tr.children[0].textContent), tr.children[1].textContent] as [number, string]));
    expect(shown).toEqual(expected);
    expect(await page.textContent('#profile .profile-bad-rows h3')).toBe('Rows that did not parse: 77');
    const { report } = await readTable(BAD, { onBadRows: 'null' });
    expect(shown.map((s) => s[0])).toEqual(report.badRows.map((r) => r.line));
    // The Age cells set empty are its blanks in the profile.
    const ageBlanks = expected.filter((e) => e[1] === 'Age').length;
    expect(await page.getAttribute('#profile table.data-profile tr[data-column="Age"] td.missing', 'data-missing')).toBe(String(ageBlanks));
    await pageShot(page, `${SHOTS}profile-bad-rows.png`);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('keeps a run across a reload: listed, renamed, reopened with the same sizes, its model downloaded, compared with a second run, deleted', async () => {
    const { page, errors } = await open();
    await pick(page, MALL);
    const first = await run(page, 1, 5, 7);
    expect(first.reduce((s, v) => s + v, 0)).toBe(200);
    await page.reload();
    await page.waitForSelector('#runs-table tbody tr');
    expect(await savedRows(page)).toEqual([{ storedId: 1, runId: 1 }]);
    expect(await page.isHidden('#columns-section')).toBe(true);

    // Renamed in the list: the name is kept in the browser across a reload.
    const nameOf = (id: number): string => `#runs-table tr[data-stored-id="${id}"] input.run-name`;
    const title = await page.inputValue(nameOf(1));
    expect(title).toMatch(/^#1 k-means/);
    await page.fill(nameOf(1), '  Mall, five segments ');
    await page.press(nameOf(1), 'Enter');
    await page.waitForFunction(() => (document.getElementById('runs-status')?.textContent ?? '').includes('Run renamed: Mall, five segments.'));
    await page.reload();
    await page.waitForSelector('#runs-table tbody tr');
    expect(await page.inputValue(nameOf(1))).toBe('Mall, five segments');

    // Reopened after the reload, without the file: the same sizes, and the model that segments the file so.
    await page.click('#runs-table tr[data-stored-id="1"] .open-run');
    await page.waitForSelector('.result[data-stored-id="1"] #segment-sizes');
    expect(await sizes(page)).toEqual(first);
    expect(await page.textContent('[data-testid="saved-run"]')).toContain('“Mall, five segments”, saved run of Mall_Customers.csv');
    expect(await page.isVisible('#saved-profile table.data-profile')).toBe(true);
    await shot(page, `${SHOTS}saved-run-opened-1280.png`);
    const [file] = await Promise.all([page.waitForEvent('download'), page.click('#download-model')]);
    const model = parseModel(readFileSync(await file.path(), 'utf8'), file.suggestedFilename());
    expect(file.suggestedFilename()).toBe('Mall_Customers.model.json');
    expect(model.segments.map((s) => s.size)).toEqual(first);
    const predicted = await model.predict((await readTable(MALL)).table);
    expect(first.map((_, id) => Array.from(predicted.segments).filter((s) => s === id).length)).toEqual(first);
    expect(await page.isHidden('#download-csv')).toBe(true);

    // A new file (the same users, a blanked copy) and a second run: both listed, newest first; run ids go on.
    await pick(page, mallWithBlanks().path);
    const second = await run(page, 2, 3, 11);
    expect(second).toHaveLength(3);
    expect(await savedRows(page)).toEqual([
      { storedId: 2, runId: 2 },
      { storedId: 1, runId: 1 },
    ]);
    await page.check('#runs-table tr[data-stored-id="2"] input[type="checkbox"]');
    await page.check('#runs-table tr[data-stored-id="1"] input[type="checkbox"]');
    await page.click('#compare-runs');
    await page.waitForSelector('[data-testid="side-by-side"]');
    const sideSizes = await page.$$eval('[data-testid="side-by-side"] tr[data-row="sizes"] [data-sizes]', (s) => s.map((e) => (e as HTMLElement).dataset.sizes));
    // The older run first, whatever the order they were ticked in.
    expect(sideSizes).toEqual([first.join(','), second.join(',')]);
    const differs = await page.$$eval('[data-testid="side-by-side"] tr[data-differs]', (trs) => trs.map((tr) => (tr as HTMLElement).dataset.row));
    expect(differs).toEqual(expect.arrayContaining(['file', 'segments', 'segments found', 'seed', 'sizes']));
    expect(differs).not.toContain('algorithm');
    const runCells = await page.$$eval('[data-testid="side-by-side"] tr[data-row="run"] td', (tds) => tds.map((td) => td.textContent));
    expect(runCells[0]).toBe('Mall, five segments');
    expect(runCells[1]).toMatch(/^#2 k-means/);
    await pageShot(page, `${SHOTS}saved-runs-1280.png`);
    await shot(page.locator('#runs-section'), `${SHOTS}saved-runs-section-1280.png`);
    await page.setViewportSize({ width: 390, height: 844 });
    await pageShot(page, `${SHOTS}saved-runs-390.png`);
    await shot(page.locator('#runs-section'), `${SHOTS}saved-runs-section-390.png`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1280, height: 900 });

    // A blank name gives the run back its number and label.
    await page.fill(nameOf(1), ' ');
    await page.press(nameOf(1), 'Enter');
    await page.waitForFunction((t) => (document.getElementById('runs-status')?.textContent ?? '') === `Run renamed: ${t}.`, title);
    expect(await page.inputValue(nameOf(1))).toBe(title);

    // Deleted: gone from the list, and after another reload too.
    await page.click('#runs-table tr[data-stored-id="1"] .delete-run');
    await page.waitForFunction(() => document.querySelector('#runs-table tr[data-stored-id="1"]') === null);
    await page.reload();
    await page.waitForSelector('#runs-table tbody tr');
    expect(await savedRows(page)).toEqual([{ storedId: 2, runId: 2 }]);
    expect(errors).toEqual([]);
    await page.close();
  }, 300_000);

  it('a full storage quota is said in the saved runs, and the run and the app go on', async () => {
    const { page, errors } = await open();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(app.url).origin, quotaSize: 2048 });
    await pick(page, MALL);
    const got = await run(page, 1, 4, 3);
    expect(got).toHaveLength(4);
    expect(await page.getAttribute('#runs-status', 'data-problem')).toBe('quota');
    expect(await page.textContent('#runs-status')).toContain('no more room');
    // The app goes on: another run on the same file.
    const again = await run(page, 2, 2, 3);
    expect(again).toHaveLength(2);
    // The runs of this session, compared: only the number of segments differs between them.
    const differ = await page.$$eval('#compare table.compare tbody tr', (trs) => trs.map((tr) => tr.children[1].textContent));
    expect(differ).toEqual(['segments = 4', 'segments = 2']);
    await shot(page.locator('#compare-box'), `${SHOTS}session-compare.png`);
    await shot(page.locator("#runs-section"), `${SHOTS}saved-runs-quota.png`);
    expect(errors).toEqual([]);
    await page.close();
  }, 240_000);
});
