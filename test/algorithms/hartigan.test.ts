// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { hartiganRefine } from '../../src/algorithms/hartigan.js';
import { Random } from '../../src/random.js';

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

/** The plain full scan: every row visited in every pass (the moves the bounds must reproduce). */
function reference(x: { data: Float32Array; rows: number; cols: number }, labels: Int32Array, centers: Float64Array, k: number): number {
  const { rows: n, cols: d, data } = x;
  const mass = new Float64Array(k);
  for (let i = 0; i < n; i++) mass[labels[i]]++;
  const sq = (i: number, c: number): number => {
    let s = 0;
    for (let j = 0; j < d; j++) s += (data[i * d + j] - centers[c * d + j]) ** 2;
    return s;
  };
  let moves = 0;
  for (let pass = 0; pass < 50; pass++) {
    let moved = 0;
    for (let i = 0; i < n; i++) {
      const a = labels[i];
      if (mass[a] <= 1) continue;
      const leave = (mass[a] / (mass[a] - 1)) * sq(i, a);
      let best = -1;
      let bestCost = leave;
      for (let b = 0; b < k; b++) {
        if (b === a) continue;
        const cost = (mass[b] / (mass[b] + 1)) * sq(i, b);
        if (cost < bestCost) {
          bestCost = cost;
          best = b;
        }
      }
      if (best < 0 || bestCost >= leave * (1 - 1e-12)) continue;
      for (let j = 0; j < d; j++) {
        const v = data[i * d + j];
        centers[a * d + j] = (centers[a * d + j] * mass[a] - v) / (mass[a] - 1);
        centers[best * d + j] = (centers[best * d + j] * mass[best] + v) / (mass[best] + 1);
      }
      mass[a]--;
      mass[best]++;
      labels[i] = best;
      moved++;
    }
    moves += moved;
    if (moved === 0) break;
  }
  return moves;
}

describe('hartiganRefine with bounds', () => {
  // 3 blobs in 4-D, started from a poor partition (labels by row index), so that many rows move.
  const n = 600;
  const d = 4;
  const k = 3;
  const rng = new Random(9);
  const data = new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) data[i * d + j] = (i % 3) * 3 + (j === i % 3 ? 2 : 0) + rng.next() * 2;
  const x = { data, rows: n, cols: d };
  const start = (): { labels: Int32Array; centers: Float64Array } => {
    const labels = Int32Array.from({ length: n }, (_, i) => Math.floor((i * k) / n));
    const centers = new Float64Array(k * d);
    const count = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      count[labels[i]]++;
      for (let j = 0; j < d; j++) centers[labels[i] * d + j] += data[i * d + j];
    }
    for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) centers[c * d + j] /= count[c];
    return { labels, centers };
  };

  it('makes the same moves as a full scan, visiting fewer rows', () => {
    const ref = start();
    const refMoves = reference(x, ref.labels, ref.centers, k);
    const got = start();
    const r = hartiganRefine(x, null, got.labels, got.centers, k);
    expect(refMoves).toBeGreaterThan(50);
    expect(r.moves).toBe(refMoves);
    expect(Array.from(got.labels)).toEqual(Array.from(ref.labels));
    expect(Array.from(got.centers)).toEqual(Array.from(ref.centers));
    expect(r.passes).toBeGreaterThan(1);
    expect(r.visits).toBeLessThan(r.passes * n);
  });

  it('starting bounds skip the rows they prove stay, with the same result; maxVisits cuts it short', () => {
    const ref = start();
    reference(x, ref.labels, ref.centers, k);
    // Exact bounds for the converged partition: nothing moves and no row is visited.
    const upper = new Float64Array(n);
    const lower = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const dist = Array.from({ length: k }, (_, c) => Math.hypot(...Array.from({ length: d }, (_, j) => data[i * d + j] - ref.centers[c * d + j])));
      upper[i] = dist[ref.labels[i]];
      lower[i] = Math.min(...dist.filter((_, c) => c !== ref.labels[i]));
    }
    const labels = Int32Array.from(ref.labels);
    const centers = Float64Array.from(ref.centers);
    const r = hartiganRefine(x, null, labels, centers, k, 50, { upper, lower });
    expect(r.moves).toBe(0);
    expect(r.visits).toBeLessThan(n / 10);
    expect(Array.from(labels)).toEqual(Array.from(ref.labels));
    const cut = start();
    const c = hartiganRefine(x, null, cut.labels, cut.centers, k, 50, undefined, 10);
    expect(c.cut).toBe(true);
    expect(c.visits).toBe(10);
  });
});
