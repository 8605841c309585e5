// SPDX-License-Identifier: MIT
/**
 * Calinski-Harabasz index (variance ratio criterion, Caliński & Harabasz 1974):
 * [B / (k − 1)] / [W / (n − k)], with B the between-cluster dispersion Σ n_c‖μ_c − μ‖² and W the
 * within-cluster dispersion Σ‖x − μ_c‖². 1.0 when W = 0, as scikit-learn. O(n·d).
 */
import { withBackendFallback } from '../backend/fallback.js';
import type { MatrixLike } from '../matrix.js';
import { clusterStats, labeledData, type ClusterStats, type LabeledData } from './clusterStats.js';

/**
 * @example
 * await calinskiHarabasz([[0, 0], [0, 1], [5, 5], [5, 6]], [0, 0, 1, 1]); // 100
 */
export async function calinskiHarabasz(x: MatrixLike, labels: ArrayLike<number>): Promise<number> {
  const data = labeledData(x, labels, 'calinskiHarabasz');
  return calinskiHarabaszOf(data, await withBackendFallback('calinskiHarabasz', () => clusterStats(data)));
}

/** The index from validated rows and their cluster statistics (shared with Davies-Bouldin by callers that want both). */
export function calinskiHarabaszOf(data: LabeledData, stats: ClusterStats): number {
  const { rows: n, cols: d } = data.x;
  const k = data.k;
  // The rows are centered, so the overall mean is 0 up to rounding: use it exactly anyway.
  const mean = new Float64Array(d);
  for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) mean[j] += (stats.counts[c] * stats.centroids[c * d + j]) / n;
  let between = 0;
  for (let c = 0; c < k; c++) {
    for (let j = 0; j < d; j++) between += stats.counts[c] * (stats.centroids[c * d + j] - mean[j]) ** 2;
  }
  let within = 0;
  for (const v of stats.sqDist) within += v;
  return within === 0 ? 1 : (between * (n - k)) / (within * (k - 1));
}
