// SPDX-License-Identifier: MIT
/**
 * What the label-based metrics share: validated inputs, cluster sizes and centroids (float64),
 * and each row's squared distance to its own centroid.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from '../backend/backend.js';
import { DataError, ParameterError } from '../errors.js';
import { toLabels, toMatrix, type MatrixF32, type MatrixLike } from '../matrix.js';
import { centerRows } from '../kernels/centerRows/index.js';

export interface LabeledData {
  /** The rows, centered on their column means (distances are unchanged, float32 cancellation is smaller). */
  x: MatrixF32;
  /** Dense label codes 0..k-1. */
  codes: Int32Array;
  k: number;
  /** [d] column means that were subtracted from the rows. */
  mean: Float64Array;
}

export interface ClusterStats {
  /** [k] rows per cluster. */
  counts: Float64Array;
  /** [k, d] centroids of the centered rows. */
  centroids: Float64Array;
  /** [n] squared distance of each row to its cluster's centroid. */
  sqDist: Float32Array;
  backend: BackendName;
}

/**
 * Validates `x` and `labels` for a metric named `fn`. scikit-learn's rule: the number of
 * distinct labels must be from 2 to n − 1; `minLabels` = 1 relaxes it (inertia).
 */
export function labeledData(x: MatrixLike, labels: ArrayLike<number>, fn: string, minLabels = 2): LabeledData {
  // Read only: centering makes the copy the metrics work on.
  const m = toMatrix(x, fn, 'X', { copy: false });
  const { codes, k } = toLabels(labels, m.rows, fn);
  if (minLabels >= 2) checkLabelCount(k, m.rows, fn);
  const { centered, mean } = centerRows(m);
  return { x: centered, mean, codes, k };
}

/**
 * Sizes, centroids and each row's squared distance to its own centroid, in float64 on the host.
 * These are O(n·d) passes over rows that are already in host memory: uploading them to a device
 * costs as much as the work (and on tfjs-wasm the portable one-hot matMul runs as a scalar loop:
 * 6.7 s for Calinski-Harabasz at n = 10^6, d = 51, against about 0.1 s here), so no kernel.
 * `centers` [k, d] (of the centered rows) replaces the centroids when given (inertia to centers).
 */
export async function clusterStats(data: LabeledData, centers?: Float64Array): Promise<ClusterStats> {
  const { x, codes, k } = data;
  const { rows: n, cols: d, data: v } = x;
  const counts = new Float64Array(k);
  let centroids = centers;
  if (centroids === undefined) {
    const total = new Float64Array(k * d);
    for (let i = 0; i < n; i++) {
      const c = codes[i];
      counts[c]++;
      const row = i * d;
      const at = c * d;
      for (let j = 0; j < d; j++) total[at + j] += v[row + j];
    }
    centroids = total;
    for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) centroids[c * d + j] /= counts[c];
  } else {
    for (let i = 0; i < n; i++) counts[codes[i]]++;
  }
  const sqDist = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const row = i * d;
    const at = codes[i] * d;
    let s = 0;
    for (let j = 0; j < d; j++) {
      const e = v[row + j] - centroids[at + j];
      s += e * e;
    }
    sqDist[i] = s;
  }
  return { counts, centroids, sqDist, backend: tf.getBackend() as BackendName };
}

/** Checks a sampleSize option against n. */
/** The silhouette's and the other indices' bound on the distinct labels: 2 to n − 1 for n rows. */
export function checkLabelCount(k: number, n: number, fn: string): void {
  if (k < 2 || k > n - 1) throw new DataError(fn, 'labels', `there are ${k} distinct labels for ${n} rows; valid values are 2 to n - 1 (${n - 1})`);
}

export function checkSampleSize(sampleSize: number | undefined, n: number, fn: string): void {
  if (sampleSize === undefined) return;
  if (!Number.isInteger(sampleSize) || sampleSize < 2 || sampleSize > n) {
    throw new ParameterError(fn, 'sampleSize', `sampleSize=${sampleSize} must be an integer from 2 to the ${n} rows given`);
  }
}
