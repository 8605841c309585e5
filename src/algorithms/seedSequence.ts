// SPDX-License-Identifier: MIT
/**
 * One greedy k-means++ sequence of centers for a whole range of k. k-means++ picks its centers
 * one after another, each step depending only on the centers before it, so the first j centers
 * of a sequence drawn for kMax are a k-means++ seeding for j: a k search can seed every k from
 * one sequence instead of seeding each k afresh.
 *
 * The greedy variant is scikit-learn's `_kmeans_plusplus`: each step draws `trials` candidate
 * rows in proportion to their squared distance to the nearest chosen center and keeps the one
 * that lowers the summed squared distance (the potential) most. The number of trials is set
 * once for the sequence, from kMax (2 + ⌊ln kMax⌋); a prefix of j centers therefore had at least
 * as many candidates per step as a seeding drawn for j alone would have had.
 *
 * The work is on the host in float64: a k search runs it on a sample of rows (tens of
 * thousands), where it costs milliseconds, and it then needs no device memory.
 *
 * Reference: Arthur & Vassilvitskii, "k-means++: the advantages of careful seeding" (2007);
 * scikit-learn `sklearn/cluster/_kmeans.py` (`_kmeans_plusplus`).
 */
import { checkAtMostRows, integer, validateOptions, type ConstraintTable } from '../constraints.js';
import { DataError } from '../errors.js';
import type { Matrix } from '../matrix.js';
import type { Random } from '../random.js';
import { searchSorted } from './kmeansInit.js';

/** A k-means++ sequence: the chosen rows, in order, and their values. */
export interface SeedSequence {
  /** [kMax] the row of `x` chosen as each center, in the order chosen. */
  readonly rows: Int32Array;
  /** [kMax, d] the centers, row-major; the first j rows seed k = j. */
  readonly centers: Float32Array;
}

const FN = 'kmeansPlusPlusSequence';
const CONSTRAINTS: ConstraintTable<{ kMax: number; trials: number }> = { kMax: integer({ min: 1 }), trials: integer({ min: 1 }) };

/**
 * Greedy k-means++ on `x` [n, d]: `kMax` centers, each a row of x. Draws come from `rng`, in
 * the order of scikit-learn's implementation (first row, then `trials` candidates per step), so
 * a seeded generator makes the sequence reproducible. (Internal to the k search, not exported
 * from the package, hence no runnable example.) Rows that repeat are handled: once every
 * distinct row is a center the potential is 0 and every later pick is row 0.
 * O(kMax · trials · n · d) time, O(n · trials) memory.
 * @param trials candidates per step; default 2 + ⌊ln kMax⌋ (scikit-learn's, for kMax).
 */
export function kmeansPlusPlusSequence(x: Matrix, kMax: number, rng: Random, trials = 2 + Math.floor(Math.log(kMax))): SeedSequence {
  const { rows: n, cols: d, data } = x;
  validateOptions(FN, { kMax, trials }, CONSTRAINTS);
  if (n < 1) throw new DataError(FN, 'X', 'X has no rows');
  checkAtMostRows(FN, 'kMax', kMax, n);

  const rows = new Int32Array(kMax);
  const centers = new Float32Array(kMax * d);
  const closest = new Float64Array(n); // squared distance of each row to its nearest chosen center
  const cum = new Float64Array(n);

  rows[0] = Math.min(n - 1, Math.floor(rng.next() * n));
  distancesToRow(data, n, d, rows[0], closest);
  let pot = 0;
  for (let i = 0; i < n; i++) pot += closest[i];

  const cand = new Int32Array(trials);
  const dist = new Float64Array(trials * n); // [trials, n]
  const pots = new Float64Array(trials);
  for (let c = 1; c < kMax; c++) {
    let total = 0;
    for (let i = 0; i < n; i++) cum[i] = total += closest[i];
    for (let t = 0; t < trials; t++) cand[t] = searchSorted(cum, rng.next() * pot);
    let bestT = 0;
    for (let t = 0; t < trials; t++) {
      const dt = dist.subarray(t * n, (t + 1) * n);
      distancesToRow(data, n, d, cand[t], dt);
      let p = 0;
      for (let i = 0; i < n; i++) p += Math.min(closest[i], dt[i]);
      pots[t] = p;
      if (p < pots[bestT]) bestT = t;
    }
    const best = dist.subarray(bestT * n, (bestT + 1) * n);
    for (let i = 0; i < n; i++) if (best[i] < closest[i]) closest[i] = best[i];
    pot = pots[bestT];
    rows[c] = cand[bestT];
  }
  for (let c = 0; c < kMax; c++) centers.set(data.subarray(rows[c] * d, (rows[c] + 1) * d), c * d);
  return Object.freeze({ rows, centers });
}

/** out[i] = ‖x_i − x_r‖², in float64, by differences (no cancellation). */
function distancesToRow(data: Float32Array | Float64Array, n: number, d: number, r: number, out: Float64Array): void {
  const base = r * d;
  for (let i = 0, at = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++, at++) {
      const diff = data[at] - data[base + j];
      s += diff * diff;
    }
    out[i] = s;
  }
}
