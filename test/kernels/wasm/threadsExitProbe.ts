// SPDX-License-Identifier: MIT
/**
 * Run by threads.test.ts in a child process (`node --import tsx`): starts the wasm backend on 3
 * threads, runs one threaded lloydStep, prints the thread stats as JSON, and then does nothing
 * more. With `stop` as argument it stops the workers first. The test checks that the process
 * exits by itself: the workers must not keep it alive.
 */
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../src/backend/backend.js';
import { lloydStepWasm } from '../../../src/kernels/lloydStep/wasm.js';
import { setWasmThreads, stopWasmThreads, wasmThreadStats } from '../../../src/kernels/wasm/threads.js';

await initBackend('wasm', { strict: true, onWarning: () => {} });
const stats = await setWasmThreads(3);
const x = tf.tensor2d(Float32Array.from({ length: 4000 * 4 }, (_, i) => (i * 7919) % 13), [4000, 4]);
const c = tf.tensor2d([0, 0, 0, 0, 12, 12, 12, 12], [2, 4]);
const out = lloydStepWasm(x, c, null, { chunking: { work: 2 ** 10, maxChunks: 64 } });
const counts = Array.from(await out.counts.data());
tf.dispose([x, c, out.labels, out.distances, out.counts, out.sums]);
if (process.argv.includes('stop')) await stopWasmThreads();
console.log(`PROBE ${JSON.stringify({ started: stats, counts, after: wasmThreadStats() })}`);
