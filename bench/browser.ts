// SPDX-License-Identifier: MIT
/**
 * `npx tsx bench/browser.ts [--rows 100000] [--k 8] [--n-init 3] [--seed 1] [--reps 2]`:
 * k-means on generated users in the browser app (Debian's Chromium, headless, WASM backend,
 * our kernels on Web Workers: the page is cross-origin isolated) against the same run in Node
 * (WASM backend, worker threads), on the same features: the generated table is written to a CSV
 * file, which the app reads through its file input and Node through readTable, then the same
 * Pipeline and KMeans options. Prints the fit times (the page's are measured in its worker
 * around the fit, like Node's), the iterations, and whether the segments agree row for row.
 * Lloyd only (refine: false), so the time is that of the kernels. Figures are rough on a loaded machine.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { serveApp } from '../src/cli/serve.js';
import { KMeans, Pipeline, inferKinds, initBackend, readTable, sampleTable, wasmThreadStats, writeTable } from '../src/index.js';
import { parseFlags } from './flags.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

interface Timing {
  fitMs: number;
  nIter: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function inNode(csv: string, k: number, nInit: number, seed: number, reps: number): Promise<{ runs: Timing[]; labels: Int32Array; threads: number; features: number }> {
  await initBackend('wasm', { onWarning: () => undefined });
  const { table } = await readTable(csv);
  const x = Pipeline.fit(table, inferKinds(table), { onWarning: () => undefined }).transform(table).matrix;
  const runs: Timing[] = [];
  let labels: Int32Array = new Int32Array(0);
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    const model = await new KMeans({ k, nInit, seed, refine: false, onWarning: () => undefined }).fit(x);
    runs.push({ fitMs: performance.now() - t0, nIter: model.nIter });
    labels = model.labels;
  }
  return { runs, labels, threads: wasmThreadStats().threads, features: x.cols };
}

async function inBrowser(page: Page, csv: string, k: number, nInit: number, seed: number, reps: number): Promise<{ runs: Timing[]; labels: number[]; threads: string }> {
  await page.setInputFiles('#file-input', csv);
  await page.waitForSelector('#preview', { timeout: 300_000 });
  await page.selectOption('#backend', 'wasm');
  await page.fill('#seed', String(seed));
  await page.fill('#setting-k', String(k));
  await page.fill('#setting-nInit', String(nInit));
  await page.setChecked('#setting-refine', false);
  const runs: Timing[] = [];
  for (let r = 1; r <= reps; r++) {
    await page.click('#run');
    await page.waitForSelector(`.result[data-run-id="${r}"] dl.summary, #error:not([hidden])`, { timeout: 600_000 });
    const error = await page.$('#error:not([hidden])');
    if (error !== null) throw new Error(`the run failed in the page: ${await error.textContent()}`);
    const fit = await page.$eval('dl.summary', (dl) => ({ fitMs: Number((dl as HTMLElement).dataset.fitMs), nIter: Number((dl as HTMLElement).dataset.nIter) }));
    runs.push(fit);
  }
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-csv')]);
  const { table } = await readTable(await download.path(), { name: 'segments.csv' });
  const labels = Array.from(table.getChild('segment')?.toArray() ?? [], Number);
  return { runs, labels, threads: (await page.textContent('#threads-status')) ?? '' };
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const rows = flags.int('rows', 100_000);
  const k = flags.int('k', 8);
  const nInit = flags.int('n-init', 3);
  const seed = flags.int('seed', 1);
  const reps = flags.int('reps', 2);
  if (!existsSync(CHROMIUM)) {
    console.log(`skipped: ${CHROMIUM} is not installed (apt-get install -y chromium)`);
    return;
  }
  const dir = mkdtempSync(join(os.tmpdir(), 'segments-bench-browser-'));
  try {
    const csv = join(dir, `users-${rows}.csv`);
    await writeTable(sampleTable({ rows, seed }).table, csv, { format: 'csv' });
    const dist = join(dir, 'dist');
    await build({ configFile: fileURLToPath(new URL('../app/vite.config.ts', import.meta.url)), build: { outDir: dist, emptyOutDir: true }, logLevel: 'error' });

    const node = await inNode(csv, k, nInit, seed, reps);
    const app = await serveApp({ port: 0, host: '127.0.0.1', root: dist });
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    try {
      const page = await browser.newPage();
      await page.goto(app.url);
      const web = await inBrowser(page, csv, k, nInit, seed, reps);
      const same = web.labels.length === node.labels.length && web.labels.every((l, i) => l === node.labels[i]);
      console.log(`k-means on ${rows.toLocaleString('en-US')} generated users × ${node.features} features, k = ${k}, nInit = ${nInit}, Lloyd only, seed ${seed}, ${reps} runs each`);
      console.log(`machine: ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)} (rough figures: other work was running)`);
      const show = (name: string, runs: Timing[], threads: string): void =>
        console.log(`${name.padEnd(26)} fit ${runs.map((r) => `${(r.fitMs / 1000).toFixed(2)} s`).join(', ')} (median ${(median(runs.map((r) => r.fitMs)) / 1000).toFixed(2)} s), ${runs[0].nIter} iterations; ${threads}`);
      show('Node, wasm', node.runs, `${node.threads} threads`);
      show('Chromium worker, wasm', web.runs, web.threads);
      console.log(`browser / Node: ${(median(web.runs.map((r) => r.fitMs)) / median(node.runs.map((r) => r.fitMs))).toFixed(2)}×; segments identical row for row: ${same}`);
    } finally {
      await browser.close();
      await app.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
process.exit(0);
