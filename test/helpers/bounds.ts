// SPDX-License-Identifier: MIT
/**
 * The float32 error bounds that device results are held to against the Float64 references:
 * shared by the kernel specs (test/kernels) and the GPU check (scripts/gpuCheck), so it imports
 * no test framework.
 */

import { NOISE } from '../../src/kernels/pairwiseSqDist/index.js';
import type { Matrix } from '../../src/matrix.js';
import { sqDistRef, sqNormRef } from './reference.js';

/** Unit roundoff of float32: one rounding changes a value by at most this much, relatively. */
export const U32 = 2 ** -24;

/**
 * Error bound of a float32 squared distance computed as ‖x‖² − 2x·c + ‖c‖² (any summation
 * order, with or without FMA): each of ‖x‖², x·c, ‖c‖² is a d-term sum of rounded products, off
 * by at most (d + 1)·u of its absolute terms (Higham, Accuracy and Stability, §3.1), and
 * 2|x·c| ≤ ‖x‖² + ‖c‖²; the two additions and the clamp add a few u more. So
 * |computed − exact| ≤ (2d + 6)·u·(‖x‖² + ‖c‖²). It is absolute: for points close together
 * but far from the origin the expansion cancels and no relative bound holds.
 */
export function sqDistBound(d: number, xx: number, cc: number): number {
  return (2 * d + 6) * U32 * (xx + cc);
}

/**
 * Error bound of a float32 Euclidean distance √(squared distance) when the squared distance is
 * off by at most e: |√(a + δ) − √a| ≤ min(√e, e / √a) for |δ| ≤ e, plus the sqrt's own rounding.
 * Near 0 the square root magnifies the expansion's error (√e), which is why this is not relative.
 */
export function distBound(exactSq: number, e: number): number {
  const exact = Math.sqrt(exactSq);
  return Math.min(Math.sqrt(e), exactSq > 0 ? e / exact : Number.POSITIVE_INFINITY) + 2 * U32 * exact;
}

/**
 * The entry of `actual` furthest from `expected` in units of `tolerance(i)`: its index (−1 when
 * all are equal) and |actual − expected| / tolerance (Infinity for a NaN).
 */
export function worstOffender(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: (i: number) => number): { index: number; ratio: number } {
  let index = -1;
  let ratio = 0;
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i] - expected[i]);
    const r = err === 0 ? 0 : Number.isNaN(err) ? Number.POSITIVE_INFINITY : err / tolerance(i);
    if (r > ratio) {
      ratio = r;
      index = i;
    }
  }
  return { index, ratio };
}

/**
 * Per entry [i, c] of a silhouetteTile, the summed distBound of its terms when each squared
 * distance comes from the float32 expansion (or its clamp to 0 below NOISE): off by at most
 * max(sqDistBound, NOISE·(‖r‖² + ‖x‖²)). [rows.rows · k].
 */
export function silhouetteTermBounds(rows: Matrix, x: Matrix, labels: ArrayLike<number>, k: number): Float64Array {
  const rr = Float64Array.from({ length: rows.rows }, (_, i) => sqNormRef(rows, i));
  const xx = Float64Array.from({ length: x.rows }, (_, j) => sqNormRef(x, j));
  const term = new Float64Array(rows.rows * k);
  for (let i = 0; i < rows.rows; i++) {
    for (let j = 0; j < x.rows; j++) {
      const e = Math.max(sqDistBound(x.cols, rr[i], xx[j]), NOISE * (rr[i] + xx[j]));
      term[i * k + labels[j]] += distBound(sqDistRef(rows, i, x, j), e);
    }
  }
  return term;
}
