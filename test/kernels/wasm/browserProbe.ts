// SPDX-License-Identifier: MIT
/**
 * Bundled by threads.browser.test.ts (esbuild) and loaded in headless Chromium, both by a page and
 * as a Web Worker: runs one lloydStepWasm call on 1, 2 and 3 threads (tfjs's cpu backend holds
 * the tensors) and reports the thread stats and the results, so that the test can check what a
 * browser gets: threads in a worker of a cross-origin isolated page, one thread (and why) on a
 * page's main thread or without isolation, and the same bits whatever the thread count.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { lloydStepWasm } from '../../../src/kernels/lloydStep/wasm.js';
import { setWasmThreads, wasmThreadStats, type WasmThreadStats } from '../../../src/kernels/wasm/threads.js';
import { exposeProbe } from '../../helpers/exposeProbe.js';

export interface ProbeRun {
  stats: WasmThreadStats;
  labels: number[];
  sums: number[];
}

/** The runs on 1, 2 and 3 threads, and the chunks the workers took (repeating the 3-thread call until they take some, at most 100 times). */
async function probe(): Promise<{ runs: ProbeRun[]; workerChunks: number }> {
  await tf.setBackend('cpu');
  const n = 5000;
  const x = tf.tensor2d(Float32Array.from({ length: n * 5 }, (_, i) => ((i * 2654435761) >>> 0) / 2 ** 32), [n, 5]);
  const c = tf.tensor2d(Float32Array.from({ length: 4 * 5 }, (_, i) => ((i * 40503) % 97) / 97), [4, 5]);
  const runs: ProbeRun[] = [];
  const once = async (): Promise<{ labels: number[]; sums: number[] }> => {
    const out = lloydStepWasm(x, c, null, { chunking: { work: 2 ** 10, maxChunks: 64 } }); // many chunks out of 5,000 rows
    const got = { labels: Array.from(await out.labels.data()), sums: Array.from(await out.sums.data()) };
    tf.dispose([out.labels, out.distances, out.counts, out.sums]);
    return got;
  };
  for (const threads of [1, 2, 3]) {
    const stats = await setWasmThreads(threads);
    runs.push({ stats, ...(await once()) });
  }
  for (let i = 0; i < 100 && wasmThreadStats().workersReady > 0 && wasmThreadStats().workerChunks === 0; i++) await once();
  const workerChunks = wasmThreadStats().workerChunks;
  tf.dispose([x, c]);
  return { runs, workerChunks };
}

exposeProbe(probe);
