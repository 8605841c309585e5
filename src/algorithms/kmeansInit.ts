// SPDX-License-Identifier: MIT
/**
 * K-means seeding: greedy k-means++ as scikit-learn's `_kmeans_plusplus`, and 'random'.
 * Reference: Arthur & Vassilvitskii, "k-means++: the advantages of careful seeding" (2007).
 */
import type { MatrixF32 } from '../matrix.js';
import type { Random } from '../random.js';
import { distancesTo, weightOf, type DeviceData } from './kmeansLloyd.js';

/** k distinct rows with positive weight, uniformly at random. */
export function randomInit(m: MatrixF32, weights: Float32Array | null, k: number, rng: Random): Float32Array {
  const d = m.cols;
  // Rows with zero weight cannot seed a cluster, unless fewer than k rows have weight.
  const eligible: number[] = [];
  for (let i = 0; i < m.rows; i++) if (weightOf(weights, i) > 0) eligible.push(i);
  const pool = eligible.length >= k ? eligible : Array.from({ length: m.rows }, (_, i) => i);
  const picks = rng.sample(pool.length, k);
  const centers = new Float32Array(k * d);
  for (let c = 0; c < k; c++) centers.set(m.data.subarray(pool[picks[c]] * d, (pool[picks[c]] + 1) * d), c * d);
  return centers;
}

/**
 * Greedy k-means++: the first center is a row drawn in proportion to its weight; each next step
 * draws 2 + ⌊ln k⌋ candidates in proportion to weight × squared distance to the nearest chosen
 * center and keeps the one that lowers that potential most. Distances come from the device (or
 * from `distances`, the host's for small data on a GPU: kmeans.ts); the cumulative sums and
 * potentials are float64 on the host. O(k · (2 + ln k) · n·d).
 */
export async function kmeansPlusPlus(
  data: DeviceData,
  k: number,
  rng: Random,
  distances: (points: Float32Array, t: number) => Promise<Float32Array> = (points, t) => distancesTo(data.blocks, points, t, data.m.rows),
): Promise<Float32Array> {
  const { m, weights } = data;
  const { rows: n, cols: d } = m;
  const centers = new Float32Array(k * d);
  const trials = 2 + Math.floor(Math.log(k));
  const cum = new Float64Array(n);

  let total = 0;
  for (let i = 0; i < n; i++) cum[i] = total += weightOf(weights, i);
  const first = searchSorted(cum, rng.next() * total);
  centers.set(m.data.subarray(first * d, (first + 1) * d), 0);
  const closest = Float64Array.from(await distances(m.data.slice(first * d, (first + 1) * d), 1));
  let pot = 0;
  for (let i = 0; i < n; i++) pot += weightOf(weights, i) * closest[i];

  // Float64 weights (or null): the loops below read them once per row and step.
  const w = weights === null ? null : Float64Array.from(weights);
  const pots = new Float64Array(trials);
  for (let c = 1; c < k; c++) {
    total = 0;
    if (w === null) for (let i = 0; i < n; i++) cum[i] = total += closest[i];
    else for (let i = 0; i < n; i++) cum[i] = total += w[i] * closest[i];
    const candRows = new Float32Array(trials * d);
    for (let t = 0; t < trials; t++) {
      const row = searchSorted(cum, rng.next() * pot);
      candRows.set(m.data.subarray(row * d, (row + 1) * d), t * d);
    }
    const dist = await distances(candRows, trials); // [n, trials]
    // Every trial's potential in one pass over the rows; each is still summed in row order.
    pots.fill(0);
    for (let i = 0, at = 0; i < n; i++, at += trials) {
      const ci = closest[i];
      const wi = w === null ? 1 : w[i];
      for (let t = 0; t < trials; t++) pots[t] += wi * Math.min(ci, dist[at + t]);
    }
    let bestT = 0;
    let bestPot = Number.POSITIVE_INFINITY;
    for (let t = 0; t < trials; t++) {
      if (pots[t] < bestPot) {
        bestPot = pots[t];
        bestT = t;
      }
    }
    for (let i = 0; i < n; i++) closest[i] = Math.min(closest[i], dist[i * trials + bestT]);
    pot = bestPot;
    centers.set(candRows.subarray(bestT * d, (bestT + 1) * d), c * d);
  }
  return centers;
}

/** First index whose cumulative sum reaches r (numpy's searchsorted, side='left'), at most n-1. */
export function searchSorted(cum: Float64Array, r: number): number {
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[mid] < r) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
