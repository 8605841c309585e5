// SPDX-License-Identifier: MIT
/**
 * Calinski-Harabasz and Davies-Bouldin together, from one pass of cluster statistics: each
 * alone validates, centers and scans the rows (at 10^6 × 51 about 1.5 s each; both at once
 * about half of the two).
 */
import type { MatrixLike } from '../matrix.js';
import { calinskiHarabaszOf } from './calinskiHarabasz.js';
import { clusterStats, labeledData } from './clusterStats.js';
import { daviesBouldinOf } from './daviesBouldin.js';

/**
 * The two label-based indices of `x` [nSamples, nFeatures] segmented by `labels` [nSamples],
 * equal to `calinskiHarabasz(x, labels)` and `daviesBouldin(x, labels)`. O(n·d + k²·d).
 * `fn` names the caller in error messages.
 * @example
 * await clusterIndices([[0, 0], [0, 2], [6, 0], [6, 2]], [0, 0, 1, 1]).then((r) => r.daviesBouldin); // (1 + 1) / 6
 */
export async function clusterIndices(x: MatrixLike, labels: ArrayLike<number>, fn = 'clusterIndices'): Promise<{ calinskiHarabasz: number; daviesBouldin: number }> {
  const data = labeledData(x, labels, fn);
  const stats = await clusterStats(data);
  return { calinskiHarabasz: calinskiHarabaszOf(data, stats), daviesBouldin: daviesBouldinOf(data, stats) };
}
