// SPDX-License-Identifier: MIT
/**
 * Micro-benchmark: one Lloyd iteration on the tfjs 'wasm' backend, the portable lloydStep (tfjs
 * ops) against our fused WebAssembly SIMD kernel, on the same row blocks (uploadRows, sized as
 * kmeansLloyd sizes them). An iteration is what kmeansLloyd does per iteration on the device:
 * every block's step, then counts and sums read back and added in float64.
 *
 *   npx tsx bench/lloydStepWasm.ts [--n 1000000] [--d 16] [--k 8] [--reps 5]
 */
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src/backend/backend.js';
import { addRuns } from '../src/kernels/clusterSums.js';
import { lloydStep } from '../src/kernels/lloydStep.js';
import { disposeBlocks, uploadRows, type RowBlock } from '../src/kernels/tiling.js';
import { lloydStepWasm } from '../src/kernels/wasm/lloydStep.js';
import { clearWasmData, wasmDataStats } from '../src/kernels/wasm/kernelModule.js';
import { Random } from '../src/random.js';

type Step = typeof lloydStep.portable;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

async function iteration(step: Step, blocks: RowBlock[], centers: tf.Tensor2D, k: number, d: number): Promise<Float64Array> {
  const counts = new Float64Array(k);
  const sums = new Float64Array(k * d);
  const outs = blocks.map((b) => step(b.x, centers, null));
  for (const o of outs) {
    addRuns(await o.counts.data(), o.counts.shape[0], counts);
    addRuns(await o.sums.data(), o.sums.shape[0], sums);
  }
  tf.dispose(outs.flatMap((o) => [o.labels, o.distances, o.counts, o.sums]));
  return counts;
}

async function time(name: string, step: Step, blocks: RowBlock[], centers: tf.Tensor2D, k: number, d: number, reps: number): Promise<number> {
  const t0 = performance.now();
  await iteration(step, blocks, centers, k, d); // warm-up (and, for wasm, the one-time copy of each block)
  const first = performance.now() - t0;
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const s = performance.now();
    await iteration(step, blocks, centers, k, d);
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(`${name.padEnd(28)} ${median.toFixed(1).padStart(8)} ms/iteration (median of ${reps}; min ${times[0].toFixed(1)}; first ${first.toFixed(1)})`);
  return median;
}

const n = arg('n', 1_000_000);
const d = arg('d', 16);
const k = arg('k', 8);
const reps = arg('reps', 5);

await initBackend('wasm', { strict: true, onWarning: () => {} });
const rng = new Random(3);
const centersHost = Float32Array.from({ length: k * d }, () => -10 + 20 * rng.next());
const x = new Float32Array(n * d);
for (let i = 0; i < n; i++) {
  const c = rng.int(k);
  for (let f = 0; f < d; f++) x[i * d + f] = centersHost[c * d + f] + 8 * (rng.next() - 0.5);
}
const blocks = uploadRows({ data: x, rows: n, cols: d }, 3 * k + d);
const centers = tf.tensor2d(centersHost, [k, d]);
console.log(`lloydStep on wasm: n=${n} d=${d} k=${k}, ${blocks.length} blocks of ${blocks[0].x.shape[0]} rows`);
const portable = await time('portable (tfjs ops)', lloydStep.portable, blocks, centers, k, d, reps);
const fused = await time('fused (our wasm SIMD, 1 thread)', lloydStepWasm, blocks, centers, k, d, reps);
console.log(`speed-up ${(portable / fused).toFixed(1)}x; cache ${(wasmDataStats().cachedBytes / 2 ** 20).toFixed(0)} MiB`);
centers.dispose();
disposeBlocks(blocks);
clearWasmData();
