// SPDX-License-Identifier: MIT
import { expect } from 'vitest';
import { DBSCAN } from '../../src/algorithms/dbscan.js';
import { MeanShift } from '../../src/algorithms/meanShift.js';
import type { MatrixF32 } from '../../src/matrix.js';
import { assignRows } from '../../src/model/assign.js';
import { clusterCount, dbscanState, hasNoise, meanShiftState, statePoints } from '../../src/model/state.js';
import { describeEachBackend, it } from '../helpers/backends.js';

function m(rows: number[][]): MatrixF32 {
  return { data: Float32Array.from(rows.flat()), rows: rows.length, cols: rows[0].length };
}

describeEachBackend('algorithm states from fitted estimators', () => {
  it('dbscanState keeps the core points and their clusters; predict agrees with the fit and with DBSCAN.predict', async () => {
    // scikit-learn's DBSCAN docstring example: clusters [0, 0, 0, 1, 1], noise for [25, 80].
    const x = m([[1, 2], [2, 2], [2, 3], [8, 7], [8, 8], [25, 80]]);
    const fit = await new DBSCAN({ eps: 3, minSamples: 2, onWarning: () => {} }).fit(x);
    const state = dbscanState(fit);
    expect(Array.from(state.coreLabels)).toEqual([0, 0, 0, 1, 1]);
    expect(Array.from(statePoints(state).data)).toEqual([1, 2, 2, 2, 2, 3, 8, 7, 8, 8]);
    expect([state.eps, state.minSamples, clusterCount(state), hasNoise(state)]).toEqual([3, 2, 2, true]);
    const own = await assignRows(state, x);
    expect(Array.from(own.segments)).toEqual([0, 0, 0, 1, 1, -1]);
    // New rows: (4,4) is √5 from (2,3) → 0; (10,9) is √5 from (8,8) → 1; (5,5.5) is √11.25 > 3 from both → noise.
    const fresh = m([[4, 4], [10, 9], [5, 5.5]]);
    const mine = await assignRows(state, fresh);
    expect(Array.from(mine.segments)).toEqual([0, 1, -1]);
    expect(Array.from(mine.distances)).toEqual([Math.sqrt(5), Math.sqrt(5), Math.sqrt(11.25)]);
    const theirs = await fit.predict(fresh);
    expect(Array.from(theirs.labels)).toEqual(Array.from(mine.segments));
  });

  it('meanShiftState keeps the centers; predict gives the fit labels', async () => {
    // scikit-learn's MeanShift docstring example, bandwidth 2: centers near (1, 0.67) and (3.33, 6).
    const x = m([[1, 1], [2, 1], [1, 0], [4, 7], [3, 5], [3, 6]]);
    const fit = await new MeanShift({ bandwidth: 2, onWarning: () => {} }).fit(x);
    const state = meanShiftState(fit);
    expect([state.bandwidth, clusterCount(state), hasNoise(state)]).toEqual([2, 2, false]);
    expect(Array.from(state.centers.data)).toEqual(Array.from(Float32Array.from(fit.centroids.data)));
    const own = await assignRows(state, x);
    expect(Array.from(own.segments)).toEqual(Array.from(fit.labels));
    const fresh = await assignRows(state, m([[0, 0], [5, 5]]));
    expect(Array.from(fresh.segments)).toEqual([fit.labels[0], fit.labels[3]]);
  });
});
