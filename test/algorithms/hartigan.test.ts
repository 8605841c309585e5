// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { hartiganRefine } from '../../src/algorithms/hartigan.js';

describe('hartiganRefine', () => {
  it('leaves a Hartigan-optimal partition alone (hand computed)', () => {
    // Clusters {0, 2, 2.9} (mean 1.633) and {4, 6} (mean 5). Row 2.9: leaving gains
    // 3/2·1.267² = 2.41, joining costs 2/3·2.1² = 2.94, so it stays; every other row has an even
    // larger join cost. Nothing moves.
    const x = { data: Float32Array.from([0, 2, 2.9, 4, 6]), rows: 5, cols: 1 };
    const labels = Int32Array.from([0, 0, 0, 1, 1]);
    const centers = Float64Array.from([4.9 / 3, 5]);
    expect(hartiganRefine(x, null, labels, centers, 2).moves).toBe(0);
  });

  it('escapes a Lloyd fixed point (hand computed)', () => {
    // {0, 5.9} (mean 2.95) and {6.1, 12} (mean 9.05). Row 5.9 is 2.95 from its mean and 3.15
    // from the other: Lloyd keeps it. Hartigan: leave gain 2/1·2.95² = 17.4, join cost
    // 2/3·3.15² = 6.6 < 17.4: it moves. Inertia before 2·2.95²·2 = 34.8; after {0} and
    // {5.9, 6.1, 12} (mean 8): 0 + 2.1² + 1.9² + 4² = 24.02.
    const x = { data: Float32Array.from([0, 5.9, 6.1, 12]), rows: 4, cols: 1 };
    const labels = Int32Array.from([0, 0, 1, 1]);
    const centers = Float64Array.from([2.95, 9.05]);
    const r = hartiganRefine(x, null, labels, centers, 2);
    expect(r.moves).toBeGreaterThanOrEqual(1);
    expect(Array.from(labels)).toEqual([0, 1, 1, 1]);
    expect(centers[0]).toBeCloseTo(0, 6);
    expect(centers[1]).toBeCloseTo(8, 5);
  });

  it('weights count as repeated rows and a zero-weight row never moves', () => {
    const x = { data: Float32Array.from([0, 5.9, 6.1, 12]), rows: 4, cols: 1 };
    const labels = Int32Array.from([0, 0, 1, 1]);
    const centers = Float64Array.from([2.95, 9.05]);
    hartiganRefine(x, Float32Array.from([1, 0, 1, 1]), labels, centers, 2);
    expect(labels[1]).toBe(0);
  });
});
