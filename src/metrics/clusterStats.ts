// SPDX-License-Identifier: MIT
/**
 * What the label-based metrics share: validated inputs, cluster sizes and centroids (float64),
 * and each row's squared distance to its own centroid, computed by kernels on the device.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from '../backend/backend.js';
import { DataError, ParameterError } from '../errors.js';
import { addRuns, clusterSums } from '../kernels/clusterSums.js';
import { distToAssigned } from '../kernels/distToAssigned.js';
import { disposeBlocks, uploadPerRow, uploadRows } from '../kernels/tiling.js';
import { columnMeans, subtractRow, toLabels, toMatrix, type MatrixF32, type MatrixLike } from '../matrix.js';

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
  const m = toMatrix(x, fn);
  const { codes, k } = toLabels(labels, m.rows, fn);
  if (minLabels >= 2 && (k < 2 || k > m.rows - 1)) {
    throw new DataError(fn, 'labels', `there are ${k} distinct labels for ${m.rows} rows; valid values are 2 to n - 1 (${m.rows - 1})`);
  }
  return { ...centerColumns(m), codes, k };
}

function centerColumns(m: MatrixF32): { x: MatrixF32; mean: Float64Array } {
  const mean = columnMeans(m);
  return { x: subtractRow(m, mean), mean };
}

/** Sizes, centroids and distances to own centroid, from the device, block by block. */
export async function clusterStats(data: LabeledData, centers?: Float64Array): Promise<ClusterStats> {
  const { x, codes, k } = data;
  const { rows: n, cols: d } = x;
  const blocks = uploadRows(x, 2 * k + d);
  const labels = uploadPerRow(codes, blocks, 'int32');
  try {
    let centroids = centers;
    const counts = new Float64Array(k);
    const total = new Float64Array(k * d);
    for (let i = 0; i < blocks.length; i++) {
      const sums = clusterSums(blocks[i].x, labels[i], k);
      addRuns(await sums.counts.data(), sums.counts.shape[0], counts);
      addRuns(await sums.sums.data(), sums.sums.shape[0], total);
      tf.dispose([sums.counts, sums.sums]);
    }
    if (centroids === undefined) {
      centroids = new Float64Array(k * d);
      for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) centroids[c * d + j] = total[c * d + j] / counts[c];
    }
    const ct = tf.tensor2d(Float32Array.from(centroids), [k, d]);
    const sqDist = new Float32Array(n);
    for (let i = 0; i < blocks.length; i++) {
      const dist = distToAssigned(blocks[i].x, ct, labels[i]);
      sqDist.set(await dist.data(), blocks[i].start);
      dist.dispose();
    }
    ct.dispose();
    return { counts, centroids, sqDist, backend: tf.getBackend() as BackendName };
  } finally {
    disposeBlocks(blocks);
    tf.dispose(labels);
  }
}

/** Checks a sampleSize option against n. */
export function checkSampleSize(sampleSize: number | undefined, n: number, fn: string): void {
  if (sampleSize === undefined) return;
  if (!Number.isInteger(sampleSize) || sampleSize < 2 || sampleSize > n) {
    throw new ParameterError(fn, 'sampleSize', `sampleSize=${sampleSize} must be an integer from 2 to the ${n} rows given`);
  }
}
