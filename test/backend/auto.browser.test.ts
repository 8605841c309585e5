// SPDX-License-Identifier: MIT
/**
 * 'auto' in a real browser: headless Chromium (Debian's, driven by playwright-core) with WebGPU
 * on SwiftShader and WebGL on SwiftShader through ANGLE, as on a machine with no GPU, loads
 * autoProbe.ts (bundled by esbuild) from 127.0.0.1, on the page and in a Web Worker. Both GPU
 * backends are there and work, but both are CPU emulations: 'auto' must start neither and pick
 * wasm, with a reason naming SwiftShader for each (the app took 244 s for 1,000 rows on WebGL on
 * SwiftShader, 4.7 s on wasm).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveProbe, type ProbeServer } from '../helpers/probeServer.js';
import type { AutoProbeResult } from './autoProbe.js';
import { CHROMIUM_MISSING, WEBGPU_ARGS, launchChromium } from '../helpers/chromium.js';

const missing = CHROMIUM_MISSING;
if (missing !== null) console.warn(`skipping the browser auto-backend tests: ${missing}`);

/** WebGPU on SwiftShader, and WebGL on SwiftShader as Chromium gives it where there is no GPU. */
const ARGS = [...WEBGPU_ARGS, '--use-angle=swiftshader', '--enable-unsafe-swiftshader'];
const WASM_DIR = fileURLToPath(new URL('../../node_modules/@tensorflow/tfjs-backend-wasm/dist/', import.meta.url));

const WANT_REASON = "auto chose wasm: WebGPU's adapter is SwiftShader, a CPU emulation; WebGL's renderer is SwiftShader too";

describe.skipIf(missing !== null)("initBackend('auto') in Chromium with only SwiftShader", () => {
  let server: ProbeServer;
  let browser: Browser;
  let origin = '';

  beforeAll(async () => {
    // Dawn's Node binding is loaded in Node only.
    server = await serveProbe(fileURLToPath(new URL('./autoProbe.ts', import.meta.url)), {
      external: ['webgpu', 'node:*'],
      files: (url) => (url.startsWith('/wasm/') && url.endsWith('.wasm') ? { type: 'application/wasm', body: readFileSync(`${WASM_DIR}${basename(url)}`) } : null),
    });
    origin = server.origin;
    browser = await launchChromium(ARGS);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => 'probe' in globalThis);
    return { page, errors };
  }

  function expectWasmForSwiftShader(got: AutoProbeResult): void {
    expect(got.error).toBeUndefined();
    // WebGL is there, on SwiftShader: the probe read the unmasked renderer of a real context.
    expect(got.webgl).toMatchObject({ available: true, software: 'SwiftShader' });
    expect((got.webgl as { renderer: string }).renderer).toMatch(/SwiftShader/);
    expect(got.probes).toEqual([
      { backend: 'webgpu', kind: 'software', software: 'SwiftShader' },
      { backend: 'webgl', kind: 'software', software: 'SwiftShader' },
    ]);
    // Neither GPU backend was started, so nothing was timed and nothing failed.
    expect(got.calibrations).toEqual([]);
    expect(got.warnings).toEqual([]);
    expect(got.name).toBe('wasm');
    expect(got.reason).toBe(WANT_REASON);
  }

  it('on the page: picks wasm, and the reason names SwiftShader behind WebGPU and WebGL', async () => {
    const { page, errors } = await open();
    // The browser does offer both: WebGPU answers with an adapter.
    expect(await page.evaluate(async () => (await navigator.gpu?.requestAdapter()) != null)).toBe(true);
    const got = await page.evaluate(() => (globalThis as unknown as { probe(): Promise<AutoProbeResult> }).probe());
    expectWasmForSwiftShader(got);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('in a Web Worker, where the app segments: the same choice and reason', async () => {
    const { page, errors } = await open();
    const got = await page.evaluate(
      () =>
        new Promise<AutoProbeResult>((resolve) => {
          const w = new Worker('/probe.js');
          w.onmessage = (e) => resolve(e.data as AutoProbeResult);
          w.onerror = (e) => resolve({ error: e.message } as AutoProbeResult);
          w.postMessage('go');
        }),
    );
    expectWasmForSwiftShader(got);
    expect(errors).toEqual([]);
    await page.close();
  });
});
