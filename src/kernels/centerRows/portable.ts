// SPDX-License-Identifier: MIT
import type { MatrixF32 } from '../../matrix.js';

/** Rows centered on a float64 row (their column means unless another is given), and what centering measured on the way. */
export interface CenteredRows {
  /** [n, d] float32: each value minus the row's value in its column, the difference in float64 rounded once. */
  centered: MatrixF32;
  /** The float64 row subtracted [d]: the input's column means (each column summed in row order, then divided by n) unless given. */
  mean: Float64Array;
  /**
   * The mean over columns of each column's variance (numpy's mean(var(X, axis=0))), from the
   * centered values as they are written: Σc²/n − (Σc/n)², whose second term is float32 rounding
   * when `mean` is the input's own and so cancels nothing.
   */
  meanVariance: number;
}

/**
 * `x` [n, d] minus `mean` [d] (default: x's float64 column means, each column summed in row
 * order), as a float32 copy, and the mean column variance. Two passes over the rows (one when
 * `mean` is given). O(n·d).
 *
 * The portable form is plain TypeScript, not tf ops: its output is the host rows that a fit then
 * uploads (and that our wasm kernels copy from), and it must give the same bits on every backend
 * (float64 means, float64 differences rounded once) so that a fit is the same wherever it runs.
 * tf ops would round the mean to float32 first and need a synchronous read back, which
 * tfjs-webgpu cannot do in Node. Our wasm module (wasm.ts) gives the same bits, about 3 times
 * faster, and runs on the backends index.ts names; this form runs on cpu and webgl.
 */
export function centerRowsPortable(x: MatrixF32, mean?: Float64Array): CenteredRows {
  const { rows: n, cols: d, data: src } = x;
  const row = mean ?? columnMeansPortable(x);
  const data = new Float32Array(src.length);
  const sum = new Float64Array(d);
  const sq = new Float64Array(d);
  for (let at = 0; at < src.length; at += d) {
    for (let j = 0; j < d; j++) {
      const v = Math.fround(src[at + j] - row[j]);
      data[at + j] = v;
      sum[j] += v;
      sq[j] += v * v;
    }
  }
  return centeredRows(x, row, data, sum, sq);
}

/** Float64 mean of each column of `x` [n, d] (each column summed in row order). O(n·d). */
export function columnMeansPortable(x: MatrixF32): Float64Array {
  const { rows: n, cols: d, data } = x;
  const sums = new Float64Array(d);
  for (let at = 0; at < data.length; at += d) for (let j = 0; j < d; j++) sums[j] += data[at + j];
  for (let j = 0; j < d; j++) sums[j] /= n;
  return sums;
}

/** The result from the written rows and the float64 column sums and sums of squares of their values. */
export function centeredRows(x: MatrixF32, mean: Float64Array, data: Float32Array, sum: Float64Array, sq: Float64Array): CenteredRows {
  const { rows: n, cols: d } = x;
  let total = 0;
  for (let j = 0; j < d; j++) total += sq[j] / n - (sum[j] / n) ** 2;
  return { centered: { data, rows: n, cols: d }, mean, meanVariance: total / d };
}
