// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import type { LloydStepResult, LloydSumsResult } from './types.js';
import { allocRegions, beginCall, cachedData, paddedStride, wasmKernels, writeSplat } from '../wasm/kernelModule.js';
import { runChunks } from '../wasm/threads.js';
import { LLOYD_DEFAULTS, type LloydChunking, type LloydWasmOptions } from './options.js';

/** Job kind of asm/parallel.ts. */
const LLOYD_STEP = 1;
/** i32 words of a lloydStep job: the kind and eleven arguments (see asm/lloydStep.ts, lloydChunk). */
const JOB_WORDS = 12;

/**
 * Rows per chunk of a lloydStep call on `t` rows (see LloydChunking): a multiple of 4 (whole row
 * groups), from the shape alone, never from the thread count, so that the partial sums, and their
 * total, are the same on any number of threads.
 */
export function lloydChunkRows(t: number, k: number, dp: number, chunking: LloydChunking = LLOYD_DEFAULTS.chunking): number {
  const byWork = Math.ceil(chunking.work / (k * dp));
  const byCount = Math.ceil(t / chunking.maxChunks);
  return Math.max(4, Math.ceil(Math.max(byWork, byCount) / 4) * 4);
}

/**
 * `lloydStep` for the tfjs 'wasm' backend, fused in our own WebAssembly (asm/lloydStep.ts):
 * one pass over the rows of `x` [t, d]; for each row the squared distances to the k `centers`
 * [k, d] in f32x4 SIMD, the argmin (lowest index on an exact tie, as the portable kernel), and
 * the row times its weight (`weights` [t], or 1) added into per-cluster sums. Nothing t×k is
 * written out. O(t·k·d) work, O(t + k·d) memory besides the cached block. The block is kept
 * as groups of four rows with one feature of the four per vector, so the four rows' distances
 * to a center are one vector and the argmin over centers is lane-wise (no horizontal sums or
 * lane merges per row, which cost a third of the time in a row-per-vector layout).
 *
 * Distances are direct differences Σ(x − c)², not ‖c‖² − 2x·c: three SIMD ops per element
 * (sub, mul, add) against two, but no cancellation, so a point near its center far from the
 * origin gets a distance accurate to (d + 4)·u relative (never negative, exactly 0 on the
 * center), and the argmin is decided on those. At d = 16, k = 8 the step runs at about 23 ns
 * per row on one core, bound by those k·d lane operations. Features are padded to a multiple of
 * 4 (d = 1 does the work, and takes the memory, of d = 4).
 *
 * Counts and sums are accumulated in float64 inside the kernel (exact products, one rounding per
 * row added), which is better than float32 runs: no float32 accumulator ever grows. The f64 totals are returned as two float32 "runs", hi = fround(v) and
 * lo = fround(v − hi), so `counts` is [2, k] and `sums` [2, k, d]; the caller's float64 `addRuns`
 * gives back the total to about 2^-48 relative.
 *
 * Threads (threads.ts): the rows are cut into chunks of `lloydChunkRows` rows, a cut that depends
 * on t, k and d only; each chunk, run by whichever thread claims it, writes its rows' labels and
 * distances and its own f64 partial counts and sums, and the calling thread adds the partials in
 * chunk order. So labels, distances, counts and sums are the same bits on 1 or N threads.
 *
 * The block's rows (and weights) are copied into our module's memory on first use and reused
 * while the tensor lives (kernelModule.ts, cachedData); centers are copied on each call. A loop
 * that calls it on the same blocks many times can keep its own copies instead, in a session
 * (lloydSums/session.ts).
 */
export function lloydStepWasm(x: tf.Tensor2D, centers: tf.Tensor2D, weights: tf.Tensor1D | null, options: LloydWasmOptions = {}): LloydStepResult {
  return runLloydStep(x, centers, weights, true, options.chunking ?? LLOYD_DEFAULTS.chunking) as LloydStepResult;
}

/**
 * `lloydSums` for the 'wasm' backend: lloydStepWasm's counts and sums, the same bits, without
 * the label and distance tensors. Every row is scanned; a Lloyd loop that wants the rows whose
 * nearest center provably stayed the same skipped opens a session (lloydSums/session.ts), which
 * keeps Hamerly's bounds between its steps.
 */
export function lloydSumsWasm(x: tf.Tensor2D, centers: tf.Tensor2D, weights: tf.Tensor1D | null, options: LloydWasmOptions = {}): LloydSumsResult {
  return runLloydStep(x, centers, weights, false, options.chunking ?? LLOYD_DEFAULTS.chunking);
}

function runLloydStep(x: tf.Tensor2D, centers: tf.Tensor2D, weights: tf.Tensor1D | null, assignment: boolean, chunking: LloydChunking): LloydStepResult | LloydSumsResult {
  const [t, d] = x.shape;
  const k = centers.shape[0];
  // The inputs are checked by the kernels (lloydStep/check.ts) before this runs.
  beginCall();
  const xPtr = cachedData(x, 'rowGroups4');
  const wPtr = weights === null ? 0 : cachedData(weights, 'flat');
  // The wasm backend copies a new tensor's values into its own heap at once; another backend
  // may keep the array, so it gets a copy (our memory is reused by the next call).
  const copy = tf.getBackend() !== 'wasm';
  const read = (labelView: Int32Array, distView: Float32Array) => ({
    labels: tf.tensor1d(copy ? labelView.slice() : labelView, 'int32'),
    distances: tf.tensor1d(copy ? distView.slice() : distView, 'float32'),
  });
  const { counts64, sums64, assigned } = runStepJob(xPtr, t, d, centers.dataSync() as Float32Array, k, wPtr, chunking, assignment ? read : null);
  const totals = splitTotals(counts64, sums64, k, d, paddedStride(d));
  return assigned === null ? totals : { ...assigned, ...totals };
}

/**
 * One lloydStep job (asm/lloydStep.ts, lloydChunk) on the `t` rows [t, d] at `xPtr` in our
 * memory ('rowGroups4'), with weights at `wPtr` (0: none) and `centers` [k, d]: the float64
 * totals, counts [k] and sums [k, dp] (dp = d rounded up to 4), added over the chunks in chunk
 * order. When `read` is given it gets views of the labels [t] and distances [t], valid only
 * during that call, and what it returns comes back as `assigned`. Shared by lloydStepWasm and Lloyd sessions on their own copies.
 */
export function runStepJob<T>(
  xPtr: number,
  t: number,
  d: number,
  centers: Float32Array,
  k: number,
  wPtr: number,
  chunking: LloydChunking,
  read: ((labels: Int32Array, distances: Float32Array) => T) | null,
): { counts64: Float64Array; sums64: Float64Array; assigned: T | null } {
  const dp = paddedStride(d);
  const mod = wasmKernels();
  // One scratch block per call: centers [k, dp, 4] f32 (each value splat over four lanes),
  // labels and distances [4·ceil(t/4)], partial counts [chunks, k] f64 and sums [chunks, k, dp]
  // f64, and the job's words.
  const chunkRows = lloydChunkRows(t, k, dp, chunking);
  const chunks = Math.max(1, Math.ceil(t / chunkRows));
  const groupBytes = Math.ceil(t / 4) * 16;
  const [scratch, cPtr, lPtr, dPtr, countPtr, sumPtr, jobPtr] = allocRegions(mod, [k * dp * 16, groupBytes, groupBytes, chunks * k * 8, chunks * k * dp * 8, JOB_WORDS * 4]);
  try {
    writeSplat(cPtr, centers, k, d, dp);
    const job = [LLOYD_STEP, xPtr, t, dp, cPtr, k, wPtr, lPtr, dPtr, countPtr, sumPtr, chunkRows];
    new Int32Array(mod.memory.buffer, jobPtr, JOB_WORDS).set(job);

    runChunks(mod, jobPtr, chunks, 'lloydStep');

    const buf = mod.memory.buffer;
    const counts64 = chunkTotals(new Float64Array(buf, countPtr, chunks * k), chunks);
    const sums64 = chunkTotals(new Float64Array(buf, sumPtr, chunks * k * dp), chunks);
    const assigned = read === null ? null : read(new Int32Array(buf, lPtr, t), new Float32Array(buf, dPtr, t));
    return { counts64, sums64, assigned };
  } finally {
    mod.free(scratch);
  }
}

/** The f64 totals as [2, k] and [2, k, d] float32 runs (hi, lo; see lloydStepWasm). */
function splitTotals(counts64: Float64Array, sums64: Float64Array, k: number, d: number, dp: number): LloydSumsResult {
  const counts = new Float32Array(2 * k);
  for (let j = 0; j < k; j++) splitInto(counts64[j], counts, j, k);
  const sums = new Float32Array(2 * k * d);
  for (let j = 0; j < k; j++) for (let f = 0; f < d; f++) splitInto(sums64[j * dp + f], sums, j * d + f, k * d);
  return { counts: tf.tensor2d(counts, [2, k], 'float32'), sums: tf.tensor3d(sums, [2, k, d], 'float32') };
}

/**
 * Adds the f64 totals (counts [k], sums [k, dp]) into `counts` [k] and `sums` [k, d] as the
 * caller's `addRuns` adds splitTotals' runs: hi, then lo, each a float32. The same bits as going
 * through the [2, k] and [2, k, d] tensors.
 */
export function addSplitTotals(counts64: Float64Array, sums64: Float64Array, k: number, d: number, dp: number, counts: Float64Array, sums: Float64Array): void {
  for (let j = 0; j < k; j++) {
    const hi = Math.fround(counts64[j]);
    counts[j] += hi;
    counts[j] += Math.fround(counts64[j] - hi);
  }
  for (let j = 0; j < k; j++) {
    for (let f = 0; f < d; f++) {
      const v = sums64[j * dp + f];
      const hi = Math.fround(v);
      sums[j * d + f] += hi;
      sums[j * d + f] += Math.fround(v - hi);
    }
  }
}

/** Σ over the chunks of `partials` [chunks, m], in chunk order, in float64. */
export function chunkTotals(partials: Float64Array, chunks: number): Float64Array {
  const m = partials.length / chunks;
  const total = partials.slice(0, m);
  for (let ch = 1; ch < chunks; ch++) for (let i = 0; i < m; i++) total[i] += partials[ch * m + i];
  return total;
}

/** Writes v as hi + lo (two float32, hi at i, lo at i + half), so a float64 sum restores it. */
function splitInto(v: number, out: Float32Array, i: number, half: number): void {
  const hi = Math.fround(v);
  out[i] = hi;
  out[i + half] = v - hi;
}
