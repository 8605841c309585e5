// SPDX-License-Identifier: MIT
/**
 * The threaded wasm kernels in a real browser: headless Chromium (Debian's, driven by
 * playwright-core) loads browserProbe.ts, bundled by esbuild, from a server on 127.0.0.1, on a
 * cross-origin isolated page (COOP/COEP headers) and on a plain one.
 */
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_MISSING, launchChromium } from '../../helpers/chromium.js';
import { serveProbe, type ProbeServer } from '../../helpers/probeServer.js';
import type { ProbeRun } from './browserProbe.js';

const missing = CHROMIUM_MISSING;
if (missing !== null) console.warn(`skipping the browser thread tests: ${missing}`);

describe.skipIf(missing !== null)('wasm kernels on Web Workers in Chromium', () => {
  let server: ProbeServer;
  let browser: Browser;
  let origin = '';

  beforeAll(async () => {
    server = await serveProbe(fileURLToPath(new URL('./browserProbe.ts', import.meta.url)), {
      headers: (url): Record<string, string> => (url.startsWith('/isolated/') ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } : {}),
    });
    origin = server.origin;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(path: string): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(`${origin}${path}`);
    await page.waitForFunction(() => 'probe' in globalThis);
    return page;
  }

  type Reply = { runs: ProbeRun[]; workerChunks: number };

  async function inWorker(page: Page): Promise<Reply> {
    const reply = await page.evaluate(
      () =>
        new Promise<Partial<Reply> & { error?: string }>((resolve) => {
          const w = new Worker('probe.js');
          w.onmessage = (e) => resolve(e.data as Partial<Reply>);
          w.onerror = (e) => resolve({ error: e.message });
          w.postMessage('go');
        }),
    );
    expect(reply.error).toBeUndefined();
    return reply as Reply;
  }

  function sameResults(runs: ProbeRun[]): void {
    for (const r of runs.slice(1)) {
      expect(r.labels).toEqual(runs[0].labels);
      expect(r.sums).toEqual(runs[0].sums);
    }
    expect(runs[0].labels.length).toBe(5000);
  }

  it('in a Web Worker of a cross-origin isolated page the kernels run on 2 and 3 threads with the same results', async () => {
    const page = await open('/isolated/');
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    const { runs, workerChunks } = await inWorker(page);
    expect(runs.map((r) => r.stats.threads)).toEqual([1, 2, 3]);
    expect(runs.every((r) => r.stats.sharedMemory)).toBe(true);
    expect(workerChunks, 'the Web Workers ran chunks').toBeGreaterThan(0);
    sameResults(runs);
    await page.close();
  });

  it("on an isolated page's main thread they run on one thread and say why", async () => {
    const page = await open('/isolated/');
    const { runs } = await page.evaluate(() => (globalThis as unknown as { probe(): Promise<Reply> }).probe());
    expect(runs.map((r) => r.stats.threads)).toEqual([1, 1, 1]);
    expect(runs[1].stats.reason).toMatch(/Atomics.wait is not allowed on this thread .*Web Worker/);
    sameResults(runs);
    await page.close();
  });

  it('without cross-origin isolation they run on one thread, on a memory of their own, and say why', async () => {
    const page = await open('/plain/');
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
    const { runs } = await inWorker(page);
    expect(runs.map((r) => r.stats.threads)).toEqual([1, 1, 1]);
    expect(runs[2].stats.sharedMemory).toBe(false);
    expect(runs[2].stats.reason).toMatch(/cross-origin isolated page.*Cross-Origin-Embedder-Policy/);
    sameResults(runs);
    await page.close();
  });
});
