// SPDX-License-Identifier: MIT
import { expect } from 'vitest';
import { DataError } from '../../src/errors.js';
import type { MatrixF32 } from '../../src/matrix.js';
import { assignRows } from '../../src/model/assign.js';
import type { AlgorithmState } from '../../src/model/state.js';
import { describeEachBackend, it } from '../helpers/backends.js';

function m(rows: number[][]): MatrixF32 {
  return { data: Float32Array.from(rows.flat()), rows: rows.length, cols: rows[0].length };
}

describeEachBackend('assignRows', () => {
  it('k-means and mean shift: each row to its nearest center, the first on a tie, with the Euclidean distance', async () => {
    const centers = m([[0, 0], [4, 0], [0, 3]]);
    // (1,1): √2, √10, √5 → 0; (3,0): 3, 1, √18 → 1; (0,2.5): 2.5, √22.25, 0.5 → 2; (2,0): 2, 2, √13 → tie, 0.
    const rows = m([[1, 1], [3, 0], [0, 2.5], [2, 0]]);
    const expected = { segments: [0, 1, 2, 0], distances: [Math.SQRT2, 1, 0.5, 2] };
    for (const state of [
      { type: 'kmeans', centroids: centers, inertia: 0 },
      { type: 'meanShift', centers, bandwidth: 0.1 }, // far beyond the bandwidth still goes to the nearest
    ] as AlgorithmState[]) {
      const a = await assignRows(state, rows);
      expect(Array.from(a.segments)).toEqual(expected.segments);
      expect(Array.from(a.distances)).toEqual(expected.distances);
    }
  });

  it('dbscan: the cluster of the nearest core point within eps (inclusive), else noise with the distance to it', async () => {
    const state: AlgorithmState = {
      type: 'dbscan',
      corePoints: m([[0, 0], [1, 0], [10, 10]]),
      coreLabels: Int32Array.from([0, 0, 1]),
      eps: 1.5,
      minSamples: 2,
    };
    // (0.5,0.5): √0.5 to both (0,0) and (1,0) → cluster 0; (10,11): 1 → cluster 1;
    // (5,5): nearest is (1,0) at √41 > 1.5 → noise; (2.5,0): exactly 1.5 from (1,0) → cluster 0;
    // (11.25,10): 1.25 → cluster 1; (-1.75,0): 1.75 > 1.5 → noise.
    const rows = m([[0.5, 0.5], [10, 11], [5, 5], [2.5, 0], [11.25, 10], [-1.75, 0]]);
    const a = await assignRows(state, rows);
    expect(Array.from(a.segments)).toEqual([0, 1, -1, 0, 1, -1]);
    expect(Array.from(a.distances)).toEqual([Math.sqrt(0.5), 1, Math.sqrt(41), 1.5, 1.25, 1.75]);
  });

  it('dbscan core points of several clusters: the nearest decides, not the cluster with more points near', async () => {
    const state: AlgorithmState = {
      type: 'dbscan',
      corePoints: m([[0, 0], [0, 0.5], [2, 0]]),
      coreLabels: Int32Array.from([0, 0, 1]),
      eps: 3,
      minSamples: 2,
    };
    // (1.25, 0): 1.25 and √1.8125 to cluster 0's points, 0.75 to cluster 1's → cluster 1.
    const a = await assignRows(state, m([[1.25, 0]]));
    expect(Array.from(a.segments)).toEqual([1]);
    expect(Array.from(a.distances)).toEqual([0.75]);
  });

  it('one center: every row is segment 0', async () => {
    const a = await assignRows({ type: 'kmeans', centroids: m([[1, 2, 2]]), inertia: 0 }, m([[1, 2, 2], [4, 6, 2], [1, 2, -1]]));
    expect(Array.from(a.segments)).toEqual([0, 0, 0]);
    expect(Array.from(a.distances)).toEqual([0, 5, 3]);
  });

  it('an empty matrix gives empty results; another width is a DataError', async () => {
    const state: AlgorithmState = { type: 'kmeans', centroids: m([[0, 0], [1, 1]]), inertia: 0 };
    const empty = await assignRows(state, { data: new Float32Array(0), rows: 0, cols: 2 });
    expect(empty.segments.length).toBe(0);
    await expect(assignRows(state, m([[1, 2, 3]]))).rejects.toThrow(DataError);
    await expect(assignRows(state, m([[1, 2, 3]]))).rejects.toThrow("predict: the rows have 3 features, the model's points have 2");
  });
});
