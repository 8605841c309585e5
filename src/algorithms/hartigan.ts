// SPDX-License-Identifier: MIT
/**
 * Hartigan's single-row moves, run after Lloyd's algorithm: a row leaves its cluster when the
 * inertia falls by moving it, counting the shift of both centers (Hartigan & Wong 1979;
 * Telgarsky & Vattani 2010). Every fixed point of these moves is a fixed point of Lloyd's, and
 * many of Lloyd's are not: it only ever lowers the inertia. Sequential by nature (each move
 * shifts two centers), so it runs on the host in float64: O(passes · n·k·d) at most.
 *
 * Each row keeps Hamerly-style bounds between its visits (Hamerly, "Making k-means even faster",
 * 2010): an upper bound on its distance to its own center and a lower bound on its distance to
 * every other, moved by how far the centers have moved since. A row whose bounds prove that no
 * move lowers the inertia is skipped; it would not have moved, so the moves, their order and the
 * result are those of a full scan. After the first pass, a pass costs about n bound checks plus
 * the rows near a boundary.
 */
import type { MatrixF32 } from '../matrix.js';

export interface HartiganResult {
  /** Rows moved in all. */
  moves: number;
  /** Passes over the data, the last one moving nothing (unless maxPasses was reached). */
  passes: number;
  /** Rows whose distances to all k centers were computed (the rest were skipped by their bounds). */
  visits: number;
  /** True when `maxVisits` stopped it in the middle of a pass. */
  cut: boolean;
}

/**
 * Bounds to start from, valid for the `centers` given: `upper[i]` ≥ ‖x_i − c_{labels[i]}‖ and
 * `lower[i]` ≤ ‖x_i − c_b‖ for every other b (distances, not squared). With them the first pass
 * skips the rows they prove stay, instead of visiting every row.
 */
export interface HartiganBounds {
  upper: Float64Array;
  lower: Float64Array;
}

/**
 * Improves `labels` [n] and `centers` [k, d] (float64, the weighted means of the labels) in place.
 * `weights` [n] default 1. Stops after a pass with no move, after `maxPasses`, or before the row
 * visit that would exceed `maxVisits`.
 */
export function hartiganRefine(
  x: MatrixF32,
  weights: Float32Array | null,
  labels: Int32Array,
  centers: Float64Array,
  k: number,
  maxPasses = 50,
  start?: HartiganBounds,
  maxVisits = Number.POSITIVE_INFINITY,
): HartiganResult {
  const { rows: n, cols: d, data } = x;
  const mass = new Float64Array(k);
  for (let i = 0; i < n; i++) mass[labels[i]] += weights === null ? 1 : weights[i];
  // Bounds in distance units (not squared), valid once the drift since they were set is added:
  // upper[i] + (drift[a] − upperAt[i]) ≥ ‖x_i − c_a‖ and lower[i] − (moved − lowerAt[i]) ≤
  // ‖x_i − c_b‖ for every b ≠ a. drift[c] sums how far center c has moved; `moved` sums, over the
  // moves, the larger of the two centers' shifts (a move shifts only two), which bounds how far any
  // other center came closer. Infinity: not set yet, the row is visited.
  const upper = start === undefined ? new Float64Array(n).fill(Number.POSITIVE_INFINITY) : Float64Array.from(start.upper);
  const lower = start === undefined ? new Float64Array(n) : Float64Array.from(start.lower);
  const upperAt = new Float64Array(n);
  const lowerAt = new Float64Array(n);
  const drift = new Float64Array(k);
  let moved = 0;
  let minMass = minOf(mass);
  const dist = new Float64Array(k);
  let moves = 0;
  let passes = 0;
  let visits = 0;
  let cut = false;
  while (passes < maxPasses && !cut) {
    passes++;
    let movedNow = 0;
    for (let i = 0; i < n; i++) {
      const w = weights === null ? 1 : weights[i];
      const a = labels[i];
      if (w === 0 || mass[a] - w <= 0) continue;
      const leaveFactor = (w * mass[a]) / (mass[a] - w);
      const u = upper[i] + (drift[a] - upperAt[i]);
      const l = lower[i] - (moved - lowerAt[i]);
      // Joining b costs w·m_b/(m_b + w)·‖x − c_b‖², increasing in m_b: the smallest mass gives a
      // lower bound for every b. The relative slack covers the rounding of the bounds.
      if (l > 0 && ((w * minMass) / (minMass + w)) * l * l > leaveFactor * u * u * (1 + 1e-9)) continue;
      if (visits >= maxVisits) {
        cut = true;
        break;
      }
      visits++;
      const base = i * d;
      for (let c = 0; c < k; c++) {
        const cb = c * d;
        let s = 0;
        for (let j = 0; j < d; j++) {
          const v = data[base + j] - centers[cb + j];
          s += v * v;
        }
        dist[c] = s;
      }
      const leaveGain = leaveFactor * dist[a];
      let best = -1;
      let bestCost = leaveGain;
      let second = Number.POSITIVE_INFINITY;
      for (let b = 0; b < k; b++) {
        if (b === a) continue;
        if (dist[b] < second) second = dist[b];
        const cost = ((w * mass[b]) / (mass[b] + w)) * dist[b];
        if (cost < bestCost) {
          bestCost = cost;
          best = b;
        }
      }
      // A relative margin keeps float64 rounding from moving a row back and forth.
      if (best < 0 || bestCost >= leaveGain * (1 - 1e-12)) {
        upper[i] = Math.sqrt(dist[a]);
        upperAt[i] = drift[a];
        lower[i] = Math.sqrt(second);
        lowerAt[i] = moved;
        continue;
      }
      // How far each center moves: c_a by w·‖x − c_a‖/(m_a − w), c_b by w·‖x − c_b‖/(m_b + w).
      const shiftA = (w * Math.sqrt(dist[a])) / (mass[a] - w);
      const shiftB = (w * Math.sqrt(dist[best])) / (mass[best] + w);
      const bb = best * d;
      const ab = a * d;
      for (let j = 0; j < d; j++) {
        const v = data[base + j];
        centers[ab + j] = (centers[ab + j] * mass[a] - w * v) / (mass[a] - w);
        centers[bb + j] = (centers[bb + j] * mass[best] + w * v) / (mass[best] + w);
      }
      mass[a] -= w;
      mass[best] += w;
      minMass = minOf(mass);
      drift[a] += shiftA;
      drift[best] += shiftB;
      moved += Math.max(shiftA, shiftB);
      labels[i] = best;
      upper[i] = Number.POSITIVE_INFINITY; // visited again next pass
      movedNow++;
    }
    moves += movedNow;
    if (movedNow === 0) break;
  }
  return { moves, passes, visits, cut };
}

function minOf(a: Float64Array): number {
  let m = Number.POSITIVE_INFINITY;
  for (let i = 0; i < a.length; i++) if (a[i] < m) m = a[i];
  return m;
}
