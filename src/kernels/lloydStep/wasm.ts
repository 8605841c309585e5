// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import type { LloydStepResult, LloydSumsResult } from './types.js';
import { beginCall, cachedBounds, cachedData, paddedStride, wasmKernels, writeSplat, type RowBounds } from '../wasm/kernelModule.js';
import { runChunks } from '../wasm/threads.js';

const ALIGN = 16;
const up = (bytes: number): number => (bytes + ALIGN - 1) & ~(ALIGN - 1);

/** Job kinds of asm/parallel.ts. */
const LLOYD_STEP = 1;
const LLOYD_BOUNDED = 7;
/** i32 words of a lloydStep job: the kind and eleven arguments (see asm/lloydStep.ts, lloydChunk). */
const JOB_WORDS = 12;
/** i32 words of a lloydBounded job: the kind and sixteen arguments (asm/lloydStep.ts, lloydBoundedChunk). */
const BOUNDED_JOB_WORDS = 17;
/** Bytes of the header of a lloydBounded info block (asm/lloydStep.ts, INFO_HEADER). */
const INFO_HEADER = 32;
/**
 * How lloydStep calls are cut: about `work` lane operations (rows × k × dp) per chunk, 0.1 to
 * 0.3 ms; at most `maxChunks` chunks per call, so that the partials stay small next to the
 * block. Tests lower `work` to get many chunks out of small inputs.
 */
export const LLOYD_CHUNKING = { work: 2 ** 20, maxChunks: 64 };

/**
 * Rows per chunk of a lloydStep call on `t` rows: a multiple of 4 (whole row groups), from the
 * shape alone, never from the thread count, so that the partial sums, and their total, are the
 * same on any number of threads.
 */
export function lloydChunkRows(t: number, k: number, dp: number): number {
  const byWork = Math.ceil(LLOYD_CHUNKING.work / (k * dp));
  const byCount = Math.ceil(t / LLOYD_CHUNKING.maxChunks);
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
 * every iteration (see kernelModule.ts); centers are copied on each call.
 */
export function lloydStepWasm(x: tf.Tensor2D, centers: tf.Tensor2D, weights: tf.Tensor1D | null): LloydStepResult {
  return runLloydStep(x, centers, weights, true) as LloydStepResult;
}

/**
 * Whether lloydSumsWasm skips rows by their bounds (`enabled`, on by default; off, every row is
 * scanned as lloydStepWasm does), and whether a group that fails the test on its moved bounds
 * gets its rows' distances to their own centers computed for a second test before a full scan
 * (`tighten`: only while the previous call on the block scanned under half of its groups in full;
 * when most groups fail, that distance is wasted work: measured at 1.5 times the time of a plain
 * scan in the second iteration of the bench data). The results are the same bits either way;
 * tests and benches change these to compare.
 */
export const LLOYD_BOUNDS = { enabled: true, tighten: true };

/** What lloydSumsWasm's bounds saved, summed over its calls since `resetLloydSumsStats`. */
export interface LloydSumsStats {
  /** Calls, and calls that had no bounds yet (every group scanned). */
  calls: number;
  initCalls: number;
  /** Groups of four rows seen. */
  groups: number;
  /** Groups whose distances to every center were computed (all of them in init calls). */
  scanned: number;
  /** Groups that needed their rows' distances to their own centers only. */
  tightened: number;
}

let stats: LloydSumsStats = { calls: 0, initCalls: 0, groups: 0, scanned: 0, tightened: 0 };

/** lloydSumsWasm's counts since the last reset (see LloydSumsStats). */
export function lloydSumsStats(): LloydSumsStats {
  return { ...stats };
}

export function resetLloydSumsStats(): void {
  stats = { calls: 0, initCalls: 0, groups: 0, scanned: 0, tightened: 0 };
}

/**
 * `lloydSums` for the 'wasm' backend: lloydStepWasm's counts and sums, the same bits, without
 * label and distance tensors, and without the distance work for rows whose nearest center
 * provably stayed the same since the previous call on the same block (Hamerly's bounds).
 *
 * Between calls on one block (the same tensor, as Lloyd's iterations make them) each row keeps
 * its label, an upper bound on its distance to that center and a lower bound on its distance to
 * every other (12 bytes per row, with the block's cached copy; see asm/lloydStep.ts,
 * lloydBounded). A call first measures, in float64 on the host, how far each center moved since
 * the previous call (rounded up to float32) and half of each center's distance to the nearest other
 * (rounded down), then the kernel moves each row's bounds by those shifts and keeps the row's
 * label when the upper bound times `rho` is below the larger of the lower bound and that half
 * distance. rho covers the float32 error of the distances lloydStepWasm compares (relative
 * (dp + 4)·2^-24 for squared distances, dp = d rounded up to 4; rho = 1 + 4·that + 2^-20),
 * so a kept row is one whose label lloydStepWasm's own argmin would give, strictly: exact ties
 * and near ties are always scanned. The bounds are valid for any new centers (the triangle
 * inequality), so a call may follow any other; a call whose k or d differs, or the first one on a block, scans every row.
 *
 * On Lloyd's iterations this skips most rows once the centers move little: at n = 10^6, d = 16,
 * k = 8 (the bench data), 5% of the groups of four rows are scanned by iteration 12. The counts and sums are
 * still added over every row (the same order as lloydStepWasm), so the cost per row of a skipped
 * row is that addition, about a third of a full scan at d = 16, k = 8.
 */
export function lloydSumsWasm(x: tf.Tensor2D, centers: tf.Tensor2D, weights: tf.Tensor1D | null): LloydSumsResult {
  return runLloydStep(x, centers, weights, false);
}

/** Rounds a float64 up (`dir` 1) or down (−1) to a float32. */
function round32(v: number, dir: 1 | -1): number {
  const f = Math.fround(v);
  if (f === v || !Number.isFinite(f)) return f;
  if ((f - v) * dir > 0) return f;
  if (f === 0) return dir * 2 ** -149; // v is a tiny number of the sign of dir: the smallest subnormal
  const bits = new Float32Array([f]);
  const u = new Int32Array(bits.buffer);
  u[0] += (f > 0) === (dir > 0) ? 1 : -1;
  return bits[0];
}

/**
 * The info block of a lloydBounded call (asm/lloydStep.ts): the header of factors, then per
 * center a: how far it moved from `prev` (up), the farthest any other center moved (up), half
 * its distance to the nearest other center (down), 0. Float64 on the host.
 */
function boundsInfo(c: Float32Array, prev: Float32Array | null, k: number, d: number, dp: number): Float32Array {
  const info = new Float32Array(INFO_HEADER / 4 + 4 * k);
  const eps = (dp + 4) * 2 ** -24;
  info.set([round32(1 + 4 * eps + 2 ** -20, 1), round32(1 + 2 * eps + 2 ** -20, 1), round32(1 - 2 * eps - 2 ** -20, -1), round32(1 + 2 ** -22, 1), round32(1 - 2 ** -22, -1)]);
  const shift = new Float64Array(k);
  if (prev !== null) {
    for (let a = 0; a < k; a++) {
      let s = 0;
      for (let f = 0; f < d; f++) s += (c[a * d + f] - prev[a * d + f]) ** 2;
      shift[a] = Math.sqrt(s);
    }
  }
  let first = -1;
  let second = -1;
  for (let a = 0; a < k; a++) {
    if (first < 0 || shift[a] > shift[first]) [first, second] = [a, first];
    else if (second < 0 || shift[a] > shift[second]) second = a;
  }
  const o = INFO_HEADER / 4;
  for (let a = 0; a < k; a++) {
    let nearest = Number.POSITIVE_INFINITY;
    for (let b = 0; b < k; b++) {
      if (b === a) continue;
      let s = 0;
      for (let f = 0; f < d; f++) s += (c[a * d + f] - c[b * d + f]) ** 2;
      nearest = Math.min(nearest, s);
    }
    const other = a === first ? second : first;
    // Float64 sums of squares of float32 differences: relative error ~d·2^-53, far below the
    // margins of the rounding below (one float32 ulp); the factor 1 ± 2^-40 covers it.
    info[o + 4 * a] = round32(shift[a] * (1 + 2 ** -40), 1);
    info[o + 4 * a + 1] = other < 0 ? 0 : round32(shift[other] * (1 + 2 ** -40), 1);
    info[o + 4 * a + 2] = round32((Math.sqrt(nearest) / 2) * (1 - 2 ** -40), -1);
  }
  return info;
}

function runLloydStep(x: tf.Tensor2D, centers: tf.Tensor2D, weights: tf.Tensor1D | null, assignment: boolean): LloydStepResult | LloydSumsResult {
  const [t, d] = x.shape;
  const k = centers.shape[0];
  // The inputs are checked by the kernels (lloydStep/check.ts) before this runs.
  const dp = paddedStride(d);
  const mod = wasmKernels();
  beginCall();
  const xPtr = cachedData(x, 'rowGroups4');
  const wPtr = weights === null ? 0 : cachedData(weights, 'flat');
  if (!assignment && LLOYD_BOUNDS.enabled) return runBounded(x, centers, xPtr, wPtr, cachedBounds(x, k, d));

  // One scratch block per call: centers [k, dp, 4] f32 (each value splat over four lanes),
  // labels and distances [4·ceil(t/4)], partial counts [chunks, k] f64 and sums [chunks, k, dp]
  // f64, and the job's words.
  const chunkRows = lloydChunkRows(t, k, dp);
  const chunks = Math.max(1, Math.ceil(t / chunkRows));
  const cBytes = up(k * dp * 16);
  const tBytes = up(Math.ceil(t / 4) * 16);
  const countBytes = up(chunks * k * 8);
  const sumBytes = up(chunks * k * dp * 8);
  const scratch = mod.alloc(cBytes + 2 * tBytes + countBytes + sumBytes + up(JOB_WORDS * 4));
  const cPtr = scratch;
  const lPtr = cPtr + cBytes;
  const dPtr = lPtr + tBytes;
  const countPtr = dPtr + tBytes;
  const sumPtr = countPtr + countBytes;
  const jobPtr = sumPtr + sumBytes;
  try {
    writeSplat(cPtr, centers.dataSync() as Float32Array, k, d, dp);
    const job = [LLOYD_STEP, xPtr, t, dp, cPtr, k, wPtr, lPtr, dPtr, countPtr, sumPtr, chunkRows];
    new Int32Array(mod.memory.buffer, jobPtr, JOB_WORDS).set(job);

    runChunks(mod, jobPtr, chunks, 'lloydStep');

    const buf = mod.memory.buffer;
    const counts64 = chunkTotals(new Float64Array(buf, countPtr, chunks * k), chunks);
    const sums64 = chunkTotals(new Float64Array(buf, sumPtr, chunks * k * dp), chunks);
    const totals = splitTotals(counts64, sums64, k, d, dp);
    if (!assignment) return totals;
    // The wasm backend copies a new tensor's values into its own heap at once; another backend
    // may keep the array, so it gets a copy (our memory is reused by the next call).
    const copy = tf.getBackend() !== 'wasm';
    const labelView = new Int32Array(buf, lPtr, t);
    const distView = new Float32Array(buf, dPtr, t);
    return {
      labels: tf.tensor1d(copy ? labelView.slice() : labelView, 'int32'),
      distances: tf.tensor1d(copy ? distView.slice() : distView, 'float32'),
      ...totals,
    };
  } finally {
    mod.free(scratch);
  }
}

/** lloydSumsWasm's pass with bounds (see there and asm/lloydStep.ts, lloydBounded). */
function runBounded(x: tf.Tensor2D, centers: tf.Tensor2D, xPtr: number, wPtr: number, bounds: RowBounds): LloydSumsResult {
  const [t, d] = x.shape;
  const k = centers.shape[0];
  const dp = paddedStride(d);
  const mod = wasmKernels();
  const c = centers.dataSync() as Float32Array;
  const prev = bounds.centers;
  const info = boundsInfo(c, prev, k, d, dp);
  const chunkRows = lloydChunkRows(t, k, dp);
  const chunks = Math.max(1, Math.ceil(t / chunkRows));
  const cBytes = up(k * dp * 16);
  const infoBytes = up(info.length * 4);
  const countBytes = up(chunks * k * 8);
  const sumBytes = up(chunks * k * dp * 8);
  const statBytes = up(chunks * 8);
  const scratch = mod.alloc(cBytes + infoBytes + countBytes + sumBytes + statBytes + up(BOUNDED_JOB_WORDS * 4));
  const cPtr = scratch;
  const infoPtr = cPtr + cBytes;
  const countPtr = infoPtr + infoBytes;
  const sumPtr = countPtr + countBytes;
  const statPtr = sumPtr + sumBytes;
  const jobPtr = statPtr + statBytes;
  const slot = bounds.slots * 4;
  try {
    writeSplat(cPtr, c, k, d, dp);
    new Float32Array(mod.memory.buffer, infoPtr, info.length).set(info);
    const init = prev === null ? 1 : 0;
    const job = [LLOYD_BOUNDED, xPtr, t, dp, cPtr, k, wPtr, bounds.ptr, bounds.ptr + slot, bounds.ptr + 2 * slot, infoPtr, countPtr, sumPtr, chunkRows, init, LLOYD_BOUNDS.tighten && bounds.scanned < 0.5 ? 1 : 0, statPtr];
    new Int32Array(mod.memory.buffer, jobPtr, BOUNDED_JOB_WORDS).set(job);
    // Rows are rewritten chunk by chunk: until every chunk is done the bounds hold for no
    // centers (a call that fails half way leaves them empty, and the next call scans all).
    bounds.centers = null;
    runChunks(mod, jobPtr, chunks, 'lloydSums');
    bounds.centers = c.slice();

    const buf = mod.memory.buffer;
    const counts64 = chunkTotals(new Float64Array(buf, countPtr, chunks * k), chunks);
    const sums64 = chunkTotals(new Float64Array(buf, sumPtr, chunks * k * dp), chunks);
    const st = new Int32Array(buf, statPtr, 2 * chunks);
    stats.calls++;
    stats.initCalls += init;
    const groups = Math.ceil(t / 4);
    let scanned = 0;
    for (let ch = 0; ch < chunks; ch++) {
      scanned += st[2 * ch];
      stats.tightened += st[2 * ch + 1];
    }
    stats.groups += groups;
    stats.scanned += scanned;
    bounds.scanned = scanned / groups;
    return splitTotals(counts64, sums64, k, d, dp);
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

/** Σ over the chunks of `partials` [chunks, m], in chunk order, in float64. */
function chunkTotals(partials: Float64Array, chunks: number): Float64Array {
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
