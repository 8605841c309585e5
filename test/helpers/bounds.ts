// SPDX-License-Identifier: MIT
/**
 * The float32 error bounds that device results are held to against the Float64 references:
 * shared by the kernel specs (test/kernels) and the GPU check (scripts/gpuCheck), so it imports
 * no test framework.
 */

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
