// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import type { MeanShiftKernel, MeanShiftStepResult, WeightedBlock } from '../meanShiftStep/portable.js';
import { beginCall, cachedData, paddedStride, wasmKernels } from '../wasm/kernelModule.js';
import { columnNorms, radiusSquared, up16 } from '../radiusCounts/wasm.js';
import { chunkRows as rowsPerChunk } from '../wasm/rowChunking.js';
import { runChunks } from '../wasm/threads.js';
import { MEAN_SHIFT_STEP_DEFAULTS, type MeanShiftStepWasmOptions } from './options.js';

/** Job kind of asm/parallel.ts. */
const MEAN_SHIFT_STEP = 6;
/** i32 words of a meanShiftStep job: the kind and fourteen arguments (see asm/meanShift.ts, meanShiftChunk). */
const JOB_WORDS = 15;
/**
 * `meanShiftStep` for the tfjs 'wasm' backend, in our own WebAssembly SIMD (asm/meanShift.ts):
 * for each seed of `seeds` [s, d], the (row-weighted) mean of the data rows within `bandwidth`
 * ('flat') or the Gaussian-weighted mean of all rows ('gaussian'), the weighted count of rows
 * within the bandwidth, and the summed kernel weight; a seed with zero mass keeps its place.
 * O(s·n·d) work, nothing s×n written.
 *
 * The decisions and weights are the portable kernel's float32 rule, operation for operation:
 * v = (−2·s·x + t) + ‖x‖² with the dot and norms summed in feature order (as tfjs-wasm's matMul
 * and Sum), t = fl(‖s‖² − fl(h²)) for 'flat' (within iff v ≤ 0) or ‖s‖² for 'gaussian' (within
 * iff fl(v − fl(h²)) ≤ 0, weight exp(fl(v · fl(−0.5/h²))) rounded to float32 from a float64 exp,
 * where tfjs-wasm uses a float32 exp: the weights may differ in the last bit). The products
 * w·(x·wt), within·wt and w·wt are the portable kernel's; their sums are float32 over runs of
 * at most 256 rows, then float64 (the portable kernel sums a whole block in float32), so counts
 * are exact and means more accurate. With the flat kernel the rows outside every seed of a group
 * of four cost no additions.
 *
 * Data blocks are copied into our memory on first use and reused while they live; seeds are
 * copied on each call. Seeds are cut into chunks (`options.chunking`, see options.ts) run on the
 * worker threads, each writing only its seeds' sums, so any thread count and any chunking give
 * the same bits.
 */
export function meanShiftStepWasm(
  seeds: tf.Tensor2D,
  blocks: readonly WeightedBlock[],
  bandwidth: number,
  kernel: MeanShiftKernel,
  options: MeanShiftStepWasmOptions = {},
): MeanShiftStepResult {
  const [s, d] = seeds.shape;
  if (s === 0) return { means: tf.zeros([0, d]), counts: tf.zeros([0]), mass: tf.zeros([0]) };
  const dp = paddedStride(d);
  const mod = wasmKernels();
  beginCall();
  const xPtrs = blocks.map((b) => cachedData(b.x, 'rowGroups4'));
  const groups = blocks.map((b) => Math.ceil(b.x.shape[0] / 4));
  const seedGroups = Math.ceil(s / 4);
  const s4 = seedGroups * 4;
  const total = blocks.reduce((sum, b) => sum + b.x.shape[0], 0);
  const chunkRows = rowsPerChunk(options.chunking ?? MEAN_SHIFT_STEP_DEFAULTS.chunking, total, dp);
  const chunks = Math.ceil(s4 / chunkRows);

  // Scratch: seeds [s4/4, dp, 4], their terms [s4/4, 4]; per block its norms [G, 4], row weights
  // [4G] and, with weights, x·w [G, dp, 4]; the copies table; sums [s4, dp], counts [s4] and
  // mass [s4] f64; per chunk [4, dp, 4] f32 + 128 bytes; the job.
  const seedBytes = up16(seedGroups * dp * 16);
  const termBytes = up16(seedGroups * 16);
  const blockBytes = blocks.map((b, e) => up16(groups[e] * 16) * 2 + (b.weights ? up16(groups[e] * dp * 16) : 0));
  const tableBytes = up16(blocks.length * 20);
  const sumBytes = up16(s4 * dp * 8);
  const vecBytes = up16(s4 * 8);
  const chunkBytes = chunks * (4 * dp * 16 + 128);
  const scratch = mod.alloc(seedBytes + termBytes + blockBytes.reduce((a, v) => a + v, 0) + tableBytes + sumBytes + 2 * vecBytes + chunkBytes + up16(JOB_WORDS * 4));
  try {
    const seedPtr = scratch;
    const termPtr = seedPtr + seedBytes;
    let at = termPtr + termBytes;
    const table: number[] = [];
    const seedData = seeds.dataSync() as Float32Array;
    const weightData = blocks.map((b) => (b.weights ? (b.weights.dataSync() as Float32Array) : null));
    const xData = blocks.map((b) => (b.weights ? (b.x.dataSync() as Float32Array) : null));
    const buf = mod.memory.buffer;
    const seedDst = new Float32Array(buf, seedPtr, seedGroups * dp * 4);
    seedDst.fill(0);
    for (let i = 0; i < s; i++) {
      const base = (i >> 2) * dp * 4 + (i & 3);
      for (let f = 0; f < d; f++) seedDst[base + 4 * f] = seedData[i * d + f];
    }
    mod.radiusRowTerms(seedPtr, seedGroups, dp, kernel === 'flat' ? radiusSquared(bandwidth) : 0, termPtr);
    blocks.forEach((b, e) => {
      const t = b.x.shape[0];
      const g = groups[e];
      const normPtr = at;
      const wtPtr = normPtr + up16(g * 16);
      const xwPtr = b.weights ? wtPtr + up16(g * 16) : xPtrs[e];
      at += blockBytes[e];
      columnNorms(mod, xPtrs[e], t, dp, normPtr);
      const wt = new Float32Array(mod.memory.buffer, wtPtr, g * 4);
      wt.fill(0);
      const w = weightData[e];
      const x = xData[e];
      if (w === null || x === null) {
        wt.fill(1, 0, t);
      } else {
        wt.set(w);
        const xw = new Float32Array(mod.memory.buffer, xwPtr, g * dp * 4);
        xw.fill(0);
        for (let j = 0; j < t; j++) {
          const base = (j >> 2) * dp * 4 + (j & 3);
          for (let f = 0; f < d; f++) xw[base + 4 * f] = Math.fround(x[j * d + f] * w[j]);
        }
      }
      table.push(xPtrs[e], xwPtr, normPtr, wtPtr, g);
    });
    const tablePtr = at;
    const sumPtr = tablePtr + tableBytes;
    const countPtr = sumPtr + sumBytes;
    const massPtr = countPtr + vecBytes;
    const chunkPtr = massPtr + vecBytes;
    const jobPtr = chunkPtr + chunkBytes;
    const view = mod.memory.buffer;
    new Int32Array(view, tablePtr, table.length).set(table);
    new Float64Array(view, sumPtr, s4 * dp).fill(0);
    new Float64Array(view, countPtr, s4).fill(0);
    new Float64Array(view, massPtr, s4).fill(0);
    const h2 = bandwidth * bandwidth;
    const job = new Int32Array(view, jobPtr, JOB_WORDS);
    job.set([MEAN_SHIFT_STEP, seedPtr, termPtr, s4, dp, tablePtr, blocks.length, kernel === 'gaussian' ? 1 : 0, 0, 0, sumPtr, countPtr, massPtr, chunkPtr, chunkRows]);
    const floats = new Float32Array(view, jobPtr, JOB_WORDS);
    floats[8] = h2;
    floats[9] = -0.5 / h2;
    runChunks(mod, jobPtr, chunks, 'meanShiftStep');

    const sums = new Float64Array(mod.memory.buffer, sumPtr, s4 * dp);
    const counts64 = new Float64Array(mod.memory.buffer, countPtr, s);
    const mass64 = new Float64Array(mod.memory.buffer, massPtr, s);
    const means = new Float32Array(s * d);
    const mass = Float32Array.from(mass64);
    for (let i = 0; i < s; i++) {
      for (let f = 0; f < d; f++) means[i * d + f] = mass[i] > 0 ? sums[i * dp + f] / mass64[i] : seedData[i * d + f];
    }
    return { means: tf.tensor2d(means, [s, d], 'float32'), counts: tf.tensor1d(Float32Array.from(counts64), 'float32'), mass: tf.tensor1d(mass, 'float32') };
  } finally {
    mod.free(scratch);
  }
}
