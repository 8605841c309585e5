// SPDX-License-Identifier: MIT
/**
 * Davies-Bouldin index (Davies & Bouldin 1979): the mean over clusters of
 * max_{j≠i} (s_i + s_j) / ‖μ_i − μ_j‖, with s_i the mean Euclidean distance of cluster i's rows
 * to its centroid. Lower is better; 0 when every s is 0 or all centroids coincide, as
 * scikit-learn (coinciding centroid pairs are skipped). O(n·d + k²·d).
 */
import { withBackendFallback } from '../backend/fallback.js';
import type { MatrixLike } from '../matrix.js';
import { clusterStats, labeledData, type ClusterStats, type LabeledData } from './clusterStats.js';

/**
 * @example
 * await daviesBouldin([[0, 0], [0, 2], [6, 0], [6, 2]], [0, 0, 1, 1]); // (1 + 1) / 6
 */
export async function daviesBouldin(x: MatrixLike, labels: ArrayLike<number>): Promise<number> {
  const data = labeledData(x, labels, 'daviesBouldin');
  return daviesBouldinOf(data, await withBackendFallback('daviesBouldin', () => clusterStats(data)));
}

/** The index from validated rows and their cluster statistics (shared with Calinski-Harabasz by callers that want both). */
export function daviesBouldinOf(data: LabeledData, stats: ClusterStats): number {
  const { cols: d } = data.x;
  const { k, codes } = data;
  const spread = new Float64Array(k);
  stats.sqDist.forEach((v, i) => (spread[codes[i]] += Math.sqrt(v)));
  for (let c = 0; c < k; c++) spread[c] /= stats.counts[c];
  const centroidDist = (a: number, b: number): number => {
    let s = 0;
    for (let j = 0; j < d; j++) s += (stats.centroids[a * d + j] - stats.centroids[b * d + j]) ** 2;
    return Math.sqrt(s);
  };
  let allSpreadZero = true;
  let allCentroidsEqual = true;
  let total = 0;
  for (let a = 0; a < k; a++) {
    if (spread[a] !== 0) allSpreadZero = false;
    let worst = 0;
    for (let b = 0; b < k; b++) {
      if (a === b) continue;
      const dist = centroidDist(a, b);
      if (dist === 0) continue;
      allCentroidsEqual = false;
      worst = Math.max(worst, (spread[a] + spread[b]) / dist);
    }
    total += worst;
  }
  return allSpreadZero || allCentroidsEqual ? 0 : total / k;
}
