// SPDX-License-Identifier: MIT
/**
 * Bundled by auto.browser.test.ts (esbuild) and loaded in headless Chromium, by a page and as a
 * Web Worker (where the app segments): runs initBackend('auto') and reports what it found, and
 * what probeWebGl reads from a real WebGL context.
 */
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { initBackend } from '../../src/backend/backend.js';
import { probeWebGl, type WebGlRenderer } from '../../src/backend/webglRenderer.js';
import { exposeProbe } from '../helpers/exposeProbe.js';

export interface AutoProbeResult {
  name: string;
  reason: string;
  probes: unknown[];
  calibrations: unknown[];
  warnings: string[];
  webgl: WebGlRenderer;
  error?: string;
}

async function probe(): Promise<AutoProbeResult> {
  setWasmPaths(new URL('/wasm/', location.href).href);
  const webgl = probeWebGl();
  const info = await initBackend('auto', { onWarning: () => {} });
  return { name: info.name, reason: info.reason, probes: info.probes, calibrations: info.calibrations, warnings: info.warnings, webgl };
}

exposeProbe(probe);
