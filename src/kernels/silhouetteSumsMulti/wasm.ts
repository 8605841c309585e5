// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { ParameterError } from '../../errors.js';
import { SILHOUETTE_SUMS_DEFAULTS, type SilhouetteSumsWasmOptions } from '../silhouetteSums/options.js';
import { runTileRounds, tileGroups, tileRounds } from '../silhouetteSums/wasm.js';
import { allocRegions, paddedStride, wasmKernels } from '../wasm/kernelModule.js';
import { columnMeansPortable } from '../centerRows/portable.js';
import type { MultiLabeledBlock } from './portable.js';

/** Job kind of src/kernels/parallel.as.ts. */
const SILHOUETTE_SUMS_MULTI = 9;
/** i32 words of a job: the kind and ten arguments (see src/kernels/silhouetteSums/silhouetteSums.as.ts, multiSumsChunk). */
const JOB_WORDS = 11;

/**
 * `silhouetteSumsMulti` for the tfjs 'wasm' backend, in our own WebAssembly
 * (multiSumsChunk in src/kernels/silhouetteSums/silhouetteSums.as.ts, which shares its distance
 * block with silhouetteSums): for S labelings of the same n rows, out[i, o_s + c] =
 * Σ_{j : labels_s[j] = c} ‖x_i − x_j‖, with each pair's distance computed once (n²/2 distances)
 * and added, for every labeling, to both rows. Returns [n, K] float32, K = Σ ks. O(n²·(d + S))
 * work, O(n·(d + K + S)) memory: 10,000 rows × 51 features and k = 2..8 (K = 35) are 2 MB of rows
 * and 2.8 MB of sums; never n×n.
 *
 * All rows are copied once into our module's memory, centered on their mean (distances do not
 * change; the float32 expansion loses less), in their own order as groups of four rows (lane =
 * row; the last group padded with rows whose distances count 0). The groups are cut into tiles
 * (`options.tiling`, as silhouetteSums) and tile pairs run in rounds (`tileRounds`): no two pairs
 * of a round share a tile, so the chunks of a round write disjoint outputs, and every output sees
 * its terms in the same order on whichever thread: the same bits on 1 or N threads. Each 4 × 4
 * block of distances (f32 dot products in feature order, √ of ‖x‖² + ‖y‖² − 2x·y, 0 below
 * NOISE·(‖x‖² + ‖y‖²) as pairwiseSqDist; duplicates exactly 0) is added, in f64, to the columns'
 * sums for each row's cluster and, transposed, to the rows' sums for each column's cluster, in
 * every labeling. Unlike silhouetteSums, the rows are not sorted by cluster (one order cannot
 * suit every labeling), so each term goes to its f64 sum at once: no float32 partial sums.
 *
 * Throws a ParameterError for a label outside 0..ks[s]−1 (the portable kernel ignores them).
 */
export function silhouetteSumsMultiWasm(blocks: readonly MultiLabeledBlock[], ks: readonly number[], options: SilhouetteSumsWasmOptions = {}): tf.Tensor2D {
  const fn = 'silhouetteSumsMulti';
  const sets = ks.length;
  const offsets = new Int32Array(sets + 1);
  ks.forEach((k, s) => (offsets[s + 1] = offsets[s] + k));
  const width = offsets[sets];
  let n = 0;
  for (const b of blocks) n += b.x.shape[0];
  if (n === 0) return tf.zeros([0, width]);
  const d = blocks[0].x.shape[1];
  const groups = Math.ceil(n / 4);
  const slots = 4 * groups;
  const dp = paddedStride(d);
  const tg = tileGroups(options.tiling ?? SILHOUETTE_SUMS_DEFAULTS.tiling, dp);
  const rounds = tileRounds(Math.ceil(groups / tg));
  const pairCount = rounds.reduce((sum, r) => sum + r.length, 0);

  // One block: data [G, dp, 4] f32, norms [G, 4] f32, labels [S, 4G] i32, out [K, 4G] f64, the pair table [pairs, 2] i32, the job.
  const mod = wasmKernels();
  const [base, dataPtr, normPtr, labelPtr, outPtr, pairPtr, jobPtr] = allocRegions(mod, [groups * dp * 16, groups * 16, sets * slots * 4, width * slots * 8, pairCount * 8, JOB_WORDS * 4]);
  try {
    const buf = mod.memory.buffer;
    // Labels first (they may be rejected), each set's offset to its rows of out; padding slots: cluster 0 (they add 0).
    const labels = new Int32Array(buf, labelPtr, sets * slots);
    for (let s = 0; s < sets; s++) labels.fill(offsets[s], s * slots + n, (s + 1) * slots);
    const x = new Float32Array(n * d);
    let at = 0;
    for (const b of blocks) {
      const t = b.x.shape[0];
      x.set(b.x.dataSync() as Float32Array, at * d);
      const l = b.labels.dataSync() as Int32Array;
      for (let i = 0; i < t; i++) {
        for (let s = 0; s < sets; s++) {
          const c = l[i * sets + s];
          if (!(c >= 0 && c < ks[s])) throw new ParameterError(fn, 'blocks', `row ${at + i} has label ${c} in labeling ${s}, outside 0..${ks[s] - 1}`);
          labels[s * slots + at + i] = offsets[s] + c;
        }
      }
      at += t;
    }
    const mean = columnMeansPortable({ data: x, rows: n, cols: d });
    const dst = new Float32Array(buf, dataPtr, groups * dp * 4);
    dst.fill(0);
    for (let i = 0; i < n; i++) {
      const row = (i >> 2) * dp * 4 + (i & 3);
      for (let f = 0; f < d; f++) dst[row + 4 * f] = x[i * d + f] - mean[f];
    }
    mod.groupNormsSeq(dataPtr, groups, dp, normPtr);
    new Float32Array(buf, normPtr, slots).fill(Number.NaN, n);
    new Float64Array(buf, outPtr, width * slots).fill(0);
    const job = new Int32Array(buf, jobPtr, JOB_WORDS);
    job.set([SILHOUETTE_SUMS_MULTI, dataPtr, normPtr, labelPtr, sets, groups, dp, outPtr, tg, pairPtr, 0]);
    runTileRounds(mod, job, jobPtr, pairPtr, rounds, fn);
    const sums = new Float64Array(mod.memory.buffer, outPtr, width * slots);
    const result = new Float32Array(n * width);
    for (let i = 0; i < n; i++) for (let c = 0; c < width; c++) result[i * width + c] = sums[c * slots + i];
    return tf.tensor2d(result, [n, width], 'float32');
  } finally {
    mod.free(base);
  }
}
