// SPDX-License-Identifier: MIT
/**
 * Hartigan's single-row moves, run after Lloyd's algorithm: a row leaves its cluster when the
 * inertia falls by moving it, counting the shift of both centers (Hartigan & Wong 1979;
 * Telgarsky & Vattani 2010). Every fixed point of these moves is a fixed point of Lloyd's, and
 * many of Lloyd's are not: it only ever lowers the inertia. Sequential by nature (each move
 * shifts two centers), so it runs on the host in float64: O(passes · n·k·d).
 */
import type { MatrixF32 } from '../matrix.js';

export interface HartiganResult {
  /** Rows moved in all. */
  moves: number;
  /** Passes over the data, the last one moving nothing (unless maxPasses was reached). */
  passes: number;
}

/**
 * Improves `labels` [n] and `centers` [k, d] (float64, the weighted means of the labels) in place.
 * `weights` [n] default 1. Stops after a pass with no move, or after `maxPasses`.
 */
export function hartiganRefine(
  x: MatrixF32,
  weights: Float32Array | null,
  labels: Int32Array,
  centers: Float64Array,
  k: number,
  maxPasses = 50,
): HartiganResult {
  const { rows: n, cols: d, data } = x;
  const mass = new Float64Array(k);
  for (let i = 0; i < n; i++) mass[labels[i]] += weights === null ? 1 : weights[i];
  const sqDist = (i: number, c: number): number => {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const v = data[i * d + j] - centers[c * d + j];
      s += v * v;
    }
    return s;
  };
  let moves = 0;
  let passes = 0;
  while (passes < maxPasses) {
    passes++;
    let moved = 0;
    for (let i = 0; i < n; i++) {
      const w = weights === null ? 1 : weights[i];
      const a = labels[i];
      if (w === 0 || mass[a] - w <= 0) continue;
      const leaveGain = ((w * mass[a]) / (mass[a] - w)) * sqDist(i, a);
      let best = -1;
      let bestCost = leaveGain;
      for (let b = 0; b < k; b++) {
        if (b === a) continue;
        const cost = ((w * mass[b]) / (mass[b] + w)) * sqDist(i, b);
        if (cost < bestCost) {
          bestCost = cost;
          best = b;
        }
      }
      // A relative margin keeps float64 rounding from moving a row back and forth.
      if (best < 0 || bestCost >= leaveGain * (1 - 1e-12)) continue;
      for (let j = 0; j < d; j++) {
        const v = data[i * d + j];
        centers[a * d + j] = (centers[a * d + j] * mass[a] - w * v) / (mass[a] - w);
        centers[best * d + j] = (centers[best * d + j] * mass[best] + w * v) / (mass[best] + w);
      }
      mass[a] -= w;
      mass[best] += w;
      labels[i] = best;
      moved++;
    }
    moves += moved;
    if (moved === 0) break;
  }
  return { moves, passes };
}
