// SPDX-License-Identifier: MIT
import { describe, it as plainIt, expect } from 'vitest';
import { coreLabelsWithin, nearestPoints, predictNearest } from '../../src/algorithms/nearest.js';
import { DataError } from '../../src/errors.js';
import type { MatrixF32 } from '../../src/matrix.js';
import { describeEachBackend, it } from '../helpers/backends.js';

function m(rows: number[][]): MatrixF32 {
  return { data: Float32Array.from(rows.flat()), rows: rows.length, cols: rows[0].length };
}

describeEachBackend('nearestPoints', () => {
  it('decides near ties in float64, where float32 distances cannot tell the centers apart', async () => {
    // Centers 2^-10 apart at 3000 from the origin: ‖x‖² ≈ 9e6, whose float32 spacing (0.5) dwarfs
    // the squared distances (~1e-7), yet the row is nearer the second center.
    const c0 = Math.fround(3000);
    const c1 = Math.fround(3000 + 2 ** -10);
    const x = Math.fround(3000 + 0.75 * 2 ** -10);
    const centers = m([[c0, c0], [c1, c1], [0, 0]]);
    const rows = m([[x, x], [c0, c0]]);
    const { index, distances } = await nearestPoints(rows, centers);
    expect(Array.from(index)).toEqual([1, 0]);
    expect(distances[0]).toBe(Math.SQRT2 * (c1 - x));
    expect(distances[1]).toBe(0);
  });

  it('predictNearest names its caller when the rows have another width', async () => {
    await expect(predictNearest('kmeans.predict', [[1, 2, 3]], m([[0, 0]]))).rejects.toThrow(DataError);
    await expect(predictNearest('kmeans.predict', [[1, 2, 3]], m([[0, 0]]))).rejects.toThrow('kmeans.predict: X has 3 columns, the model was fitted on 2');
  });

  it('predictNearest gives each row its nearest point as label, and +Infinity when there is no point', async () => {
    const p = await predictNearest('kmeans.predict', [[0, 1], [3, 0]], m([[0, 0], [4, 0]]));
    expect(Array.from(p.labels)).toEqual([0, 1]);
    expect(Array.from(p.distances)).toEqual([1, 1]);
    const none = await predictNearest('dbscan.predict', [[0, 1]], { data: new Float32Array(0), rows: 0, cols: 2 });
    expect(Array.from(none.distances)).toEqual([Number.POSITIVE_INFINITY]);
  });

  // 9 points: every distance on the host; 40: two candidates from the device, decided in float64.
  it.each([9, 40])('many rows and %i centers: the float64 nearest of every row', async (k) => {
    // A deterministic scatter, checked against a plain double loop.
    const n = 700;
    const d = 5;
    const rnd = (i: number): number => Math.fround(Math.sin(i * 12.9898) * 43758.5453 - Math.floor(Math.sin(i * 12.9898) * 43758.5453));
    const x = { data: Float32Array.from({ length: n * d }, (_, i) => rnd(i) * 10), rows: n, cols: d };
    const c = { data: Float32Array.from({ length: k * d }, (_, i) => rnd(i + 99_991) * 10), rows: k, cols: d };
    const { index, distances } = await nearestPoints(x, c);
    for (let i = 0; i < n; i++) {
      let best = Infinity;
      let arg = -1;
      for (let j = 0; j < k; j++) {
        let s = 0;
        for (let t = 0; t < d; t++) s += (x.data[i * d + t] - c.data[j * d + t]) ** 2;
        if (s < best) {
          best = s;
          arg = j;
        }
      }
      expect(index[i]).toBe(arg);
      expect(distances[i]).toBe(Math.sqrt(best));
    }
  });

  it('a hint (a fit\'s labels) changes nothing: right, wrong, out of range or on a tie, the same nearest and the same distance bits', async () => {
    const centers = m([[0, 0], [4, 0], [0, 3]]);
    const rows = m([[1, 1], [3, 0], [0, 2.5], [2, 0]]);
    // (2,0) is 2 from centers 0 and 1: a hint of 1 still gives 0, the lower index
    for (const hint of [[0, 1, 2, 0], [1, 1, 1, 1], [2, 0, 1, 1], [-1, 7, 3, 1]]) {
      const a = await nearestPoints(rows, centers, undefined, 'predict', Int32Array.from(hint));
      expect(Array.from(a.index)).toEqual([0, 1, 2, 0]);
      expect(Array.from(a.distances)).toEqual([Math.SQRT2, 1, 0.5, 2]);
    }
    const n = 700;
    const d = 5;
    const k = 9;
    const rnd = (i: number): number => Math.fround(Math.sin(i * 78.233) * 43758.5453 - Math.floor(Math.sin(i * 78.233) * 43758.5453));
    const x = { data: Float32Array.from({ length: n * d }, (_, i) => rnd(i) * 10), rows: n, cols: d };
    const c = { data: Float32Array.from({ length: k * d }, (_, i) => rnd(i + 31_337) * 10), rows: k, cols: d };
    const plain = await nearestPoints(x, c);
    const hints = [plain.index, Int32Array.from(plain.index, (v) => (v + 1) % k), Int32Array.from({ length: n }, (_, i) => (i * 7) % (k + 3) - 1)];
    for (const hint of hints) {
      const hinted = await nearestPoints(x, c, undefined, 'predict', hint);
      expect(hinted.index).toEqual(plain.index);
      expect(hinted.distances).toEqual(plain.distances);
    }
  });
});

describe('coreLabelsWithin', () => {
  plainIt('gives the nearest core sample\'s cluster within eps inclusive, else -1', () => {
    // Core samples 0, 1, 2 are in clusters 3, 4, 5; the rows are 1, 1.5 (= eps), 1.5000001 and 0
    // from their nearest core samples 0, 1, 1 and 2.
    const labels = coreLabelsWithin(Int32Array.from([0, 1, 1, 2]), Float64Array.from([1, 1.5, 1.5000001, 0]), [3, 4, 5], 1.5);
    expect(Array.from(labels)).toEqual([3, 4, -1, 5]);
  });
});
