// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { ParameterError } from '../../errors.js';
import type { LloydStepResult } from '../lloydStep.js';
import { beginCall, cachedData, paddedStride, wasmKernels, writeSplat } from './kernelModule.js';

const ALIGN = 16;
const up = (bytes: number): number => (bytes + ALIGN - 1) & ~(ALIGN - 1);

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
 * Counts and sums are accumulated in float64 inside the kernel over the whole block (exact
 * products, one rounding per row added), which is better than float32 runs: no float32
 * accumulator ever grows. The f64 totals are returned as two float32 "runs", hi = fround(v) and
 * lo = fround(v − hi), so `counts` is [2, k] and `sums` [2, k, d]; the caller's float64 `addRuns`
 * gives back the total to about 2^-48 relative.
 *
 * The block's rows (and weights) are copied into our module's memory on first use and reused
 * every iteration (see kernelModule.ts); centers are copied on each call. Single-threaded.
 *
 * Next step (threads): instantiate the module with an imported shared WebAssembly.Memory
 * (asc --importMemory --sharedMemory) in N worker_threads; the main thread still owns all
 * allocation (TLSF is not thread-safe), splits the block's rows into N ranges, gives each worker
 * its own counts/sums region, wakes them with Atomics.notify on a control word, works on its own
 * range, Atomics.wait's for the others and adds the N f64 partials. The kernel stays synchronous.
 */
export function lloydStepWasm(x: tf.Tensor2D, centers: tf.Tensor2D, weights: tf.Tensor1D | null): LloydStepResult {
  const [t, d] = x.shape;
  const k = centers.shape[0];
  if (centers.shape[1] !== d) throw new ParameterError('lloydStep', 'centers', `centers have ${centers.shape[1]} columns, x has ${d}`);
  if (k < 1) throw new ParameterError('lloydStep', 'centers', 'needs at least one center');
  if (weights !== null && weights.shape[0] !== t) {
    throw new ParameterError('lloydStep', 'weights', `weights have ${weights.shape[0]} values for ${t} rows`);
  }
  if (x.dtype !== 'float32') throw new ParameterError('lloydStep', 'x', `x must be float32, got ${x.dtype}`);
  const dp = paddedStride(d);
  const mod = wasmKernels();
  beginCall();
  const xPtr = cachedData(x, 'rowGroups4');
  const wPtr = weights === null ? 0 : cachedData(weights, 'flat');

  // One scratch block per call: centers [k, dp, 4] f32 (each value splat over four lanes),
  // labels and distances [4·ceil(t/4)], counts [k] f64, sums [k, dp] f64.
  const cBytes = up(k * dp * 16);
  const tBytes = up(Math.ceil(t / 4) * 16);
  const countBytes = up(k * 8);
  const sumBytes = up(k * dp * 8);
  const scratch = mod.alloc(cBytes + 2 * tBytes + countBytes + sumBytes);
  const cPtr = scratch;
  const lPtr = cPtr + cBytes;
  const dPtr = lPtr + tBytes;
  const countPtr = dPtr + tBytes;
  const sumPtr = countPtr + countBytes;
  try {
    writeSplat(cPtr, centers.dataSync() as Float32Array, k, d, dp);

    mod.lloydStep(xPtr, t, dp, cPtr, k, wPtr, lPtr, dPtr, countPtr, sumPtr);

    const buf = mod.memory.buffer;
    // The wasm backend copies a new tensor's values into its own heap at once; another backend
    // may keep the array, so it gets a copy (our memory is reused by the next call).
    const copy = tf.getBackend() !== 'wasm';
    const labelView = new Int32Array(buf, lPtr, t);
    const distView = new Float32Array(buf, dPtr, t);
    const labels = copy ? labelView.slice() : labelView;
    const distances = copy ? distView.slice() : distView;
    const counts64 = new Float64Array(buf, countPtr, k);
    const sums64 = new Float64Array(buf, sumPtr, k * dp);
    const counts = new Float32Array(2 * k);
    for (let j = 0; j < k; j++) splitInto(counts64[j], counts, j, k);
    const sums = new Float32Array(2 * k * d);
    for (let j = 0; j < k; j++) for (let f = 0; f < d; f++) splitInto(sums64[j * dp + f], sums, j * d + f, k * d);
    return {
      labels: tf.tensor1d(labels, 'int32'),
      distances: tf.tensor1d(distances, 'float32'),
      counts: tf.tensor2d(counts, [2, k], 'float32'),
      sums: tf.tensor3d(sums, [2, k, d], 'float32'),
    };
  } finally {
    mod.free(scratch);
  }
}

/** Writes v as hi + lo (two float32, hi at i, lo at i + half), so a float64 sum restores it. */
function splitInto(v: number, out: Float32Array, i: number, half: number): void {
  const hi = Math.fround(v);
  out[i] = hi;
  out[i + half] = v - hi;
}
