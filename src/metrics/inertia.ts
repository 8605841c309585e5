// SPDX-License-Identifier: MIT
/**
 * Inertia: the (weighted) sum of squared Euclidean distances of the rows to their cluster's
 * center, k-means' objective. Centers default to the label means. O(n·d).
 */
import { withBackendFallback } from '../backend/fallback.js';
import { DataError } from '../errors.js';
import { toMatrix, toWeights, type MatrixLike } from '../matrix.js';
import { clusterStats, labeledData } from './clusterStats.js';

export interface InertiaOptions {
  /** Centers [k, d] in label order (code c is the c-th smallest distinct label). Default: label means. */
  centers?: MatrixLike;
  /** Per-row non-negative weights [n]. Default 1. */
  sampleWeight?: ArrayLike<number>;
}

/**
 * @example
 * await inertia([[0, 0], [0, 2], [6, 0], [6, 2]], [0, 0, 1, 1]); // 4
 */
export async function inertia(x: MatrixLike, labels: ArrayLike<number>, options: InertiaOptions = {}): Promise<number> {
  const fn = 'inertia';
  const data = labeledData(x, labels, fn, 1);
  const { rows: n, cols: d } = data.x;
  const weights = toWeights(options.sampleWeight, n, fn);
  let centers: Float64Array | undefined;
  if (options.centers !== undefined) {
    const c = toMatrix(options.centers, fn, 'centers');
    if (c.cols !== d || c.rows < data.k) {
      throw new DataError(fn, 'centers', `centers have shape [${c.rows}, ${c.cols}], expected [${data.k}, ${d}]`);
    }
    // The rows were centered on their column means: shift the centers the same way.
    centers = new Float64Array(data.k * d);
    for (let i = 0; i < centers.length; i++) centers[i] = c.data[i] - data.mean[i % d];
  }
  const stats = await withBackendFallback(fn, () => clusterStats(data, centers));
  let total = 0;
  stats.sqDist.forEach((v, i) => (total += (weights === null ? 1 : weights[i]) * v));
  return total;
}
