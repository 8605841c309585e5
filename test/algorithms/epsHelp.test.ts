// SPDX-License-Identifier: MIT
import { describe, expect } from 'vitest';
import { DBSCAN } from '../../src/algorithms/dbscan.js';
import { kDistanceCurve, kneeOf } from '../../src/algorithms/epsHelp.js';
import { DataError, ParameterError } from '../../src/errors.js';
import type { MatrixF32 } from '../../src/matrix.js';
import { Random } from '../../src/random.js';
import { describeEachBackend, it } from '../helpers/backends.js';
import { fixtureMatrix, loadFixture } from '../helpers/fixtures.js';
import { kthNearestRef } from '../helpers/reference.js';

/** Float64 k-distances of the rows `rows` of `x` among all rows of `x` (itself first), ascending. */
function kDistancesRef(x: MatrixF32, rows: ArrayLike<number>, k: number): Float64Array {
  const d = x.cols;
  const query = { data: new Float64Array(rows.length * d), rows: rows.length, cols: d };
  Array.from(rows).forEach((r, i) => query.data.set(Array.from(x.data.subarray(r * d, (r + 1) * d)), i * d));
  return Float64Array.from(kthNearestRef(query, x, k), Math.sqrt).sort();
}

describe('kneeOf', () => {
  it('finds the hand-computed knee of a small curve: flat, then a sharp climb', () => {
    // Normalised, D = x − y is 0, .156, .311, .467, .622, .389, 0: the maximum at index 4 is
    // followed by a drop of more than one x step (1/6), so it is the knee.
    expect(kneeOf([1, 1.1, 1.2, 1.3, 1.4, 5, 10])).toEqual({ kneeIndex: 4, eps: 1.4 });
    // A straight line and a flat curve have none.
    expect(kneeOf([1, 2, 3, 4, 5])).toEqual({ kneeIndex: null, eps: null });
    expect(kneeOf([2, 2, 2, 2])).toEqual({ kneeIndex: null, eps: null });
  });
});

describeEachBackend('kDistanceCurve', () => {
  it('gives the hand-computed distances to the k-th nearest row, the row itself first', async () => {
    // Two tight pairs and a far row: the 2nd nearest (self first) is at 1, 1, 1, 1 and 10.
    const c = await kDistanceCurve([[0], [1], [10], [11], [21]], { minSamples: 2 });
    expect(Array.from(c.distances)).toEqual([1, 1, 1, 1, 10]);
    expect(c).toMatchObject({ k: 2, sampledRows: 5, totalRows: 5 });
    // k = 1 is the row itself: every distance 0, a flat curve without a knee.
    const flat = await kDistanceCurve([[0], [1], [10], [11], [21]], { minSamples: 1 });
    expect(Array.from(flat.distances)).toEqual([0, 0, 0, 0, 0]);
    expect(flat.eps).toBeNull();
  });

  it('equals a Float64 reference on the Mall features, all rows and a seeded sample, and its eps is the knee of the reference curve', async () => {
    const x = fixtureMatrix(loadFixture('mall'));
    for (const k of [4, 5, 10]) {
      const all = await kDistanceCurve(x, { minSamples: k });
      const ref = kDistancesRef(x, Int32Array.from({ length: x.rows }, (_, i) => i), k);
      expect(all.distances).toHaveLength(x.rows);
      for (let i = 0; i < ref.length; i++) expect(Math.abs(all.distances[i] - ref[i])).toBeLessThanOrEqual(1e-9 + 1e-9 * ref[i]);
      const knee = kneeOf(ref);
      expect(all.kneeIndex).toBe(knee.kneeIndex);
      expect(all.eps).toBe(all.distances[knee.kneeIndex as number]);
    }
    // 50 of the 200 rows, drawn as the function draws them (seeded), against all 200.
    const sampled = await kDistanceCurve(x, { minSamples: 5, sampleRows: 50, seed: 3 });
    const rows = new Random(3).sample(x.rows, 50).sort();
    const ref = kDistancesRef(x, rows, 5);
    expect(sampled).toMatchObject({ sampledRows: 50, totalRows: 200 });
    for (let i = 0; i < 50; i++) expect(sampled.distances[i]).toBeCloseTo(ref[i], 9);
  });

  it("suggests an eps whose core rows are DBSCAN's: the rows whose k-distance is at most eps", async () => {
    const x = fixtureMatrix(loadFixture('mall'));
    const c = await kDistanceCurve(x, { minSamples: 5 });
    expect(c.eps).not.toBeNull();
    const fit = await new DBSCAN({ eps: c.eps as number, minSamples: 5 }).fit(x);
    expect(fit.coreSampleIndices.length).toBeGreaterThan(0);
    // Every sampled row whose k-distance is at most eps is a core row, and no other.
    const ref = Float64Array.from(kthNearestRef(x, x, 5), Math.sqrt);
    const core = new Set(fit.coreSampleIndices);
    for (let i = 0; i < x.rows; i++) if (Math.abs(ref[i] - (c.eps as number)) > 1e-5) expect(core.has(i), `row ${i}`).toBe(ref[i] <= (c.eps as number));
  });

  it('names the option at fault', async () => {
    await expect(kDistanceCurve([[0], [1]], { minSamples: 3 })).rejects.toThrow(DataError);
    await expect(kDistanceCurve([[0], [1]], { minSamples: 3 })).rejects.toThrow(/minSamples=3 is more than the 2 rows/);
    await expect(kDistanceCurve([[0], [1]], { minSamples: 0 })).rejects.toThrow(ParameterError);
    await expect(kDistanceCurve([[0], [1]], { sampleRows: 1.5 })).rejects.toThrow(/sampleRows/);
  });
});
