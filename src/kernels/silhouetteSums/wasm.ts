// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { ParameterError } from '../../errors.js';
import type { LabeledBlock } from '../silhouetteTile/portable.js';
import { allocRegions, paddedStride, wasmKernels, type KernelExports } from '../wasm/kernelModule.js';
import { columnMeansPortable } from '../centerRows/portable.js';
import { runChunks } from '../wasm/threads.js';
import { checkValue, integer } from '../../constraints.js';
import { SILHOUETTE_SUMS_DEFAULTS, type SilhouetteSumsTiling, type SilhouetteSumsWasmOptions } from './options.js';

/** Job kind of asm/parallel.ts. */
const SILHOUETTE_SUMS = 3;
/** i32 words of a silhouetteSums job: the kind and eleven arguments (see asm/silhouetteSums.ts, sumsChunk). */
const JOB_WORDS = 12;
/** Groups of four rows per tile under `tiling` for rows of `dp` (padded) features: at most tiling.groups, at most tiling.bytes of row data, at least 1. */
export function tileGroups(tiling: SilhouetteSumsTiling, dp: number): number {
  return Math.max(1, Math.min(Math.floor(tiling.groups), Math.floor(tiling.bytes / (dp * 16))));
}

/**
 * The round-robin schedule of tile pairs (the circle method): round 0 is the m diagonal pairs
 * (I, I); each later round pairs every tile with at most one other, and every pair I < J comes
 * in exactly one round. Within a round no two pairs share a tile, so they run at once without
 * writing the same outputs, and each output gets its terms in round order on any thread count.
 */
export function tileRounds(m: number): Array<Array<[number, number]>> {
  const rounds: Array<Array<[number, number]>> = [Array.from({ length: m }, (_, t): [number, number] => [t, t])];
  if (m < 2) return rounds;
  const M = m % 2 === 0 ? m : m + 1; // with m odd, tile m is a bye
  for (let r = 0; r < M - 1; r++) {
    const round: Array<[number, number]> = [];
    const add = (a: number, b: number): void => {
      if (a < m && b < m) round.push(a < b ? [a, b] : [b, a]);
    };
    add(r, M - 1);
    for (let s = 1; s < M / 2; s++) add((r + s) % (M - 1), (r - s + M - 1) % (M - 1));
    rounds.push(round);
  }
  return rounds;
}

/**
 * Runs a job's tile pairs `rounds` one round after another (threads.ts, runChunks: a chunk per
 * pair): each round's pairs are written after the earlier rounds' in the pair table at `pairPtr`
 * ([pairs, 2] i32), and job word 9 points at them. Used by silhouetteSums and silhouetteSumsMulti,
 * whose jobs keep their pair table there.
 */
export function runTileRounds(mod: KernelExports, job: Int32Array, jobPtr: number, pairPtr: number, rounds: ReadonlyArray<ReadonlyArray<readonly [number, number]>>, fn: string): void {
  const pairs = new Int32Array(mod.memory.buffer, pairPtr, 2 * rounds.reduce((sum, r) => sum + r.length, 0));
  let p = 0;
  for (const round of rounds) {
    job[9] = pairPtr + p * 8;
    for (const [a, b] of round) {
      pairs[2 * p] = a;
      pairs[2 * p + 1] = b;
      p++;
    }
    runChunks(mod, jobPtr, round.length, fn);
  }
}

/**
 * `silhouetteSums` for the tfjs 'wasm' backend, in our own WebAssembly (asm/silhouetteSums.ts):
 * out[i, c] = Σ_{j : labels[j] = c} ‖x_i − x_j‖ for every row of the blocks, with each pair's
 * distance computed once (n²/2 distances, where silhouetteTile over all row blocks computes n²)
 * and added to both rows. Returns [n, k] float32. O(n²·d) work, O(n·(d + k)) memory.
 *
 * All rows are copied once into our module's memory, centered on their mean (distances do not
 * change; the float32 expansion loses less), sorted by label into groups of four rows
 * (lane = row), each label's run padded to whole groups. The groups are cut into tiles
 * (`options.tiling`, see options.ts); a chunk is one pair of tiles: four rows against two
 * column groups at a time, eight dot products in f32x4 registers, √ of ‖x‖² + ‖y‖² − 2x·y
 * (0 below NOISE·(‖x‖² + ‖y‖²), as pairwiseSqDist; the norms are computed with the very
 * operations of the dot product, so duplicates are exactly 0 apart), added to the row's sum for
 * the column's label and to the column's sum for the row's label. The sums are f32 over at most
 * 256 terms (64 groups), then f64 in [k, n] accumulators (rounded to f32 once, at the end).
 *
 * Threads (threads.ts): pairs run in rounds (`tileRounds`), one job per round whose chunks are
 * its pairs; no two pairs of a round share a tile, and every output sees the rounds in the same
 * order on whichever thread, so the result is the same bits on 1 or N threads.
 *
 * Throws a ParameterError for a label outside 0..k−1 (the portable kernel ignores them).
 */
export function silhouetteSumsWasm(blocks: readonly LabeledBlock[], k: number, options: SilhouetteSumsWasmOptions = {}): tf.Tensor2D {
  const fn = 'silhouetteSums';
  checkValue(fn, 'k', k, integer({ min: 1 }));
  if (blocks.length === 0) return tf.zeros([0, k]);
  const d = blocks[0].x.shape[1];
  let n = 0;
  for (const b of blocks) {
    if (b.x.shape[1] !== d) throw new ParameterError(fn, 'blocks', `a block has ${b.x.shape[1]} columns, the first has ${d}`);
    if (b.labels.shape[0] !== b.x.shape[0]) throw new ParameterError(fn, 'blocks', `a block has ${b.labels.shape[0]} labels for ${b.x.shape[0]} rows`);
    if (b.x.dtype !== 'float32') throw new ParameterError(fn, 'blocks', `blocks must be float32, got ${b.x.dtype}`);
    n += b.x.shape[0];
  }
  if (n === 0) return tf.zeros([0, k]);
  const x = new Float32Array(n * d);
  const labels = new Int32Array(n);
  let at = 0;
  for (const b of blocks) {
    const t = b.x.shape[0];
    x.set(b.x.dataSync() as Float32Array, at * d);
    labels.set(b.labels.dataSync() as Int32Array, at);
    at += t;
  }
  const counts = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    const c = labels[i];
    if (!(c >= 0 && c < k)) throw new ParameterError(fn, 'blocks', `row ${i} has label ${c}, outside 0..${k - 1}`);
    counts[c]++;
  }
  const mean = columnMeansPortable({ data: x, rows: n, cols: d });
  const starts = new Int32Array(k + 1);
  for (let c = 0; c < k; c++) starts[c + 1] = starts[c] + Math.ceil(counts[c] / 4);
  const groups = starts[k];
  const slots = 4 * groups;
  const dp = paddedStride(d);
  const tg = tileGroups(options.tiling ?? SILHOUETTE_SUMS_DEFAULTS.tiling, dp);
  const m = Math.ceil(groups / tg);
  const rounds = tileRounds(m);
  const maxChunks = rounds.reduce((most, r) => Math.max(most, r.length), 0);
  const pairCount = rounds.reduce((sum, r) => sum + r.length, 0);

  // One block: data [G, dp, 4] f32, norms [G, 4] f32, group labels [G] i32, starts [k + 1] i32,
  // out [k, 4G] f64, the pair table [pairs, 2] i32, column scratch [maxChunks, tg, 4] f32, the job.
  const mod = wasmKernels();
  const [base, dataPtr, normPtr, glabelPtr, startPtr, outPtr, pairPtr, scratchPtr, jobPtr] = allocRegions(mod, [
    groups * dp * 16,
    groups * 16,
    groups * 4,
    (k + 1) * 4,
    k * slots * 8,
    pairCount * 8,
    maxChunks * tg * 16,
    JOB_WORDS * 4,
  ]);
  try {
    const buf = mod.memory.buffer;
    const dst = new Float32Array(buf, dataPtr, groups * dp * 4);
    dst.fill(0);
    const slotOf = new Int32Array(n);
    const next = Int32Array.from(starts.subarray(0, k), (g) => g * 4);
    for (let i = 0; i < n; i++) {
      const slot = next[labels[i]]++;
      slotOf[i] = slot;
      const row = (slot >> 2) * dp * 4 + (slot & 3);
      for (let f = 0; f < d; f++) dst[row + 4 * f] = x[i * d + f] - mean[f];
    }
    mod.groupNormsSeq(dataPtr, groups, dp, normPtr);
    const norms = new Float32Array(buf, normPtr, groups * 4);
    const glabel = new Int32Array(buf, glabelPtr, groups);
    for (let c = 0; c < k; c++) {
      glabel.fill(c, starts[c], starts[c + 1]);
      for (let s = starts[c] * 4 + counts[c]; s < starts[c + 1] * 4; s++) norms[s] = Number.NaN;
    }
    new Int32Array(buf, startPtr, k + 1).set(starts);
    new Float64Array(buf, outPtr, k * slots).fill(0);
    const job = new Int32Array(buf, jobPtr, JOB_WORDS);
    job.set([SILHOUETTE_SUMS, dataPtr, normPtr, glabelPtr, startPtr, groups, dp, outPtr, tg, pairPtr, scratchPtr, 0]);
    runTileRounds(mod, job, jobPtr, pairPtr, rounds, fn);
    const sums = new Float64Array(mod.memory.buffer, outPtr, k * slots);
    const result = new Float32Array(n * k);
    for (let i = 0; i < n; i++) {
      const s = slotOf[i];
      for (let c = 0; c < k; c++) result[i * k + c] = sums[c * slots + s];
    }
    return tf.tensor2d(result, [n, k], 'float32');
  } finally {
    mod.free(base);
  }
}
