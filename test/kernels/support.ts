// SPDX-License-Identifier: MIT
/**
 * What the kernel specs share: seeded inputs, tensors and row blocks from matrices, and the
 * float32 error bounds the device results are held to against the Float64 references.
 */
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { addRuns } from '../../src/kernels/clusterSums/index.js';
import type { LloydStepResult } from '../../src/kernels/lloydStep/index.js';
import { REDUCTION_RUN } from '../../src/kernels/shared/tiling.js';
import type { Matrix } from '../../src/matrix.js';
import { Random } from '../../src/random.js';
import { sqDistRef, sqNormRef } from '../helpers/reference.js';

export { U32, distBound, sqDistBound } from '../helpers/bounds.js';
import { worstOffender } from '../helpers/bounds.js';

/** A float32 [rows, cols] matrix of uniform values in [lo, hi). */
export function uniformMatrix(rng: Random, rows: number, cols: number, lo = -1, hi = 1): Matrix {
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = lo + (hi - lo) * rng.next();
  return { data, rows, cols };
}

/** Uniform labels in 0..k-1. */
export function uniformLabels(rng: Random, n: number, k: number): Int32Array {
  return Int32Array.from({ length: n }, () => rng.int(k));
}

/**
 * Well-separated blobs: k float32 centers in [-4, 4]^d at least 2 apart, and n rows each within
 * 0.25 of its center (uniform in a cube of half-side 0.25/√d), row i in blob i mod k. The nearest
 * center of every row is its own by a margin of at least 1.5 in distance: far beyond float32
 * rounding, so labels must match the reference exactly.
 */
export function blobs(rng: Random, n: number, d: number, k: number): { x: Matrix; centers: Matrix; truth: Int32Array } {
  const centers = new Float32Array(k * d);
  const c: Matrix = { data: centers, rows: k, cols: d };
  for (let j = 0; j < k; j++) {
    for (let attempt = 0; ; attempt++) {
      if (attempt > 10_000) throw new Error(`blobs: cannot place ${k} centers 2 apart in [-4, 4]^${d}`);
      for (let f = 0; f < d; f++) centers[j * d + f] = -4 + 8 * rng.next();
      let ok = true;
      for (let q = 0; q < j && ok; q++) ok = sqDistRef(c, j, c, q) >= 4;
      if (ok) break;
    }
  }
  const data = new Float32Array(n * d);
  const truth = new Int32Array(n);
  const half = 0.25 / Math.sqrt(d);
  for (let i = 0; i < n; i++) {
    const j = i % k;
    truth[i] = j;
    for (let f = 0; f < d; f++) data[i * d + f] = centers[j * d + f] + half * (2 * rng.next() - 1);
  }
  return { x: { data, rows: n, cols: d }, centers: c, truth };
}

/** A float32 tensor [rows, cols] holding the matrix. */
export function tensorOf(m: Matrix): tf.Tensor2D {
  return tf.tensor2d(m.data instanceof Float32Array ? m.data : Float32Array.from(m.data), [m.rows, m.cols], 'float32');
}

import { f32, upload } from '../helpers/upload.js';

export { f32, upload };
export type { Uploaded } from '../helpers/upload.js';

/** True when clusterSums can cut a block of `rows` rows into runs by a reshape alone. */
export function isRunShaped(rows: number): boolean {
  return rows % REDUCTION_RUN === 0 || rows < REDUCTION_RUN;
}

/** How many run partials clusterSums gives for a block of t ≥ 1 rows: one per REDUCTION_RUN rows, the last shorter. */
export function runsOf(t: number): number {
  return Math.ceil(t / REDUCTION_RUN);
}

/** Rows [start, end) of run r of a block of t rows. */
export function runRange(t: number, r: number): [number, number] {
  return [r * REDUCTION_RUN, Math.min(t, (r + 1) * REDUCTION_RUN)];
}

/** Rows `picks` of a matrix, in that order. */
export function pickRows(m: Matrix, picks: ArrayLike<number>): Matrix {
  const data = new Float32Array(picks.length * m.cols);
  for (let i = 0; i < picks.length; i++) data.set(m.data.subarray(picks[i] * m.cols, (picks[i] + 1) * m.cols), i * m.cols);
  return { data, rows: picks.length, cols: m.cols };
}

/** Rows [start, end) of a matrix, sharing nothing with it. */
export function rowsOf(m: Matrix, start: number, end: number): Matrix {
  return { data: m.data.slice(start * m.cols, end * m.cols), rows: end - start, cols: m.cols };
}

/** Checks that `out` is float32 of `shape`, reads it back and disposes it. */
export async function readFloat32(out: tf.Tensor, shape: readonly number[]): Promise<Float32Array> {
  try {
    expect(out.shape).toEqual(shape);
    expect(out.dtype).toBe('float32');
    return (await out.data()) as Float32Array;
  } finally {
    out.dispose();
  }
}

/** Float64 squared norms of the rows. */
export function sqNorms(m: Matrix): Float64Array {
  return Float64Array.from({ length: m.rows }, (_, i) => sqNormRef(m, i));
}

/** Float64 squared norms of the rows of `x` after subtracting the column means (as the wasm silhouette kernels center). */
export function centeredSqNorms(x: Matrix): Float64Array {
  const { rows: n, cols: d } = x;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let f = 0; f < d; f++) mean[f] += x.data[i * d + f] / n;
  return Float64Array.from({ length: n }, (_, i) => {
    let s = 0;
    for (let f = 0; f < d; f++) s += (x.data[i * d + f] - mean[f]) ** 2;
    return s;
  });
}

/**
 * Asserts |actual[i] − expected[i]| ≤ tolerance(i) for every i, reporting the worst offender
 * (by how many tolerances it is off) rather than the first.
 */
export function expectWithin(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance: (i: number) => number,
  what: string,
): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  const { index: worst, ratio: worstRatio } = worstOffender(actual, expected, tolerance);
  if (worstRatio > 1) {
    expect.fail(
      `${what}: index ${worst} is ${actual[worst]}, expected ${expected[worst]} ± ${tolerance(worst)} ` +
        `(off by ${Math.abs(actual[worst] - expected[worst])}, ${worstRatio.toPrecision(3)}× the tolerance)`,
    );
  }
}

/** Relative difference |a − b| / |b|. */
export function relErr(a: number, b: number): number {
  return Math.abs(a - b) / Math.abs(b);
}

/** What a lloydStep implementation gave over all the row blocks of a matrix, in row order. */
export interface LloydBlocksResult {
  labels: Int32Array;
  distances: Float32Array;
  /** Float64 totals over every block's run partials. */
  counts: Float64Array;
  sums: Float64Array;
  /** Rows of each block, in order. */
  blockRows: number[];
}

/**
 * Runs a lloydStep implementation over `x` in row blocks, checks shapes and dtypes (the number of
 * run partials too, when `runsOf` says what it must be), puts labels and distances back in row
 * order, adds the partials in float64 with addRuns, and disposes every tensor.
 */
export async function runLloydBlocks(
  impl: (x: tf.Tensor2D, c: tf.Tensor2D, w: tf.Tensor1D | null) => LloydStepResult,
  x: Matrix,
  centers: Matrix,
  weights: ArrayLike<number> | null,
  rowsPerBlock?: number,
  runsOf?: (t: number) => number,
): Promise<LloydBlocksResult> {
  const k = centers.rows;
  const d = x.cols;
  const up = upload(x, { floatsPerRow: 3 * k + d, rowsPerBlock, weights });
  const ct = tensorOf(centers);
  const host: LloydBlocksResult = { labels: new Int32Array(x.rows), distances: new Float32Array(x.rows), counts: new Float64Array(k), sums: new Float64Array(k * d), blockRows: [] };
  try {
    for (let i = 0; i < up.blocks.length; i++) {
      const b = up.blocks[i];
      const t = b.x.shape[0];
      const out = impl(b.x, ct, up.weights[i]);
      try {
        const runs = out.counts.shape[0];
        if (runsOf !== undefined) expect(runs).toBe(runsOf(t));
        expect(out.labels.shape).toEqual([t]);
        expect(out.labels.dtype).toBe('int32');
        expect(out.distances.shape).toEqual([t]);
        expect(out.distances.dtype).toBe('float32');
        expect(out.counts.shape).toEqual([runs, k]);
        expect(out.sums.shape).toEqual([runs, k, d]);
        host.blockRows.push(t);
        host.labels.set(await out.labels.data(), b.start);
        host.distances.set(await out.distances.data(), b.start);
        addRuns(await out.counts.data(), runs, host.counts);
        addRuns(await out.sums.data(), runs, host.sums);
      } finally {
        tf.dispose([out.labels, out.distances, out.counts, out.sums]);
      }
    }
  } finally {
    up.dispose();
    ct.dispose();
  }
  return host;
}

/**
 * Runs `fn` under tf.profile: its result and the names of the tfjs kernels it ran, in order
 * (copied: tf.profile hands back the same object each time).
 */
export async function withKernels<T>(fn: () => Promise<T>): Promise<{ result: T; kernels: string[] }> {
  let result: T | undefined;
  const info = await tf.profile(async () => {
    result = await fn();
  });
  return { result: result as T, kernels: info.kernels.map((k) => k.name) };
}
