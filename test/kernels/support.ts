// SPDX-License-Identifier: MIT
/**
 * What the kernel specs share: seeded inputs, tensors from matrices, and the float32 error
 * bounds the device results are held to against the Float64 references.
 */
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import type { Matrix } from '../../src/matrix.js';
import { Random } from '../../src/random.js';
import { sqDistRef, sqNormRef } from '../helpers/reference.js';

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

/** A float32 [rows, cols] matrix of uniform values in [lo, hi). */
export function uniformMatrix(rng: Random, rows: number, cols: number, lo = -1, hi = 1): Matrix {
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = lo + (hi - lo) * rng.next();
  return { data, rows, cols };
}

/** Uniform labels in 0..k-1. */
export function uniformLabels(rng: Random, n: number, k: number): Int32Array {
  return Int32Array.from({ length: n }, () => rng.int(k));
}

/**
 * Well-separated blobs: k float32 centers in [-4, 4]^d at least 2 apart, and n rows each within
 * 0.25 of its center (uniform in a cube of half-side 0.25/√d), row i in blob i mod k. The nearest
 * center of every row is its own by a margin of at least 1.5 in distance: far beyond float32
 * rounding, so labels must match the reference exactly.
 */
export function blobs(rng: Random, n: number, d: number, k: number): { x: Matrix; centers: Matrix; truth: Int32Array } {
  const centers = new Float32Array(k * d);
  const c: Matrix = { data: centers, rows: k, cols: d };
  for (let j = 0; j < k; j++) {
    for (let attempt = 0; ; attempt++) {
      if (attempt > 10_000) throw new Error(`blobs: cannot place ${k} centers 2 apart in [-4, 4]^${d}`);
      for (let f = 0; f < d; f++) centers[j * d + f] = -4 + 8 * rng.next();
      let ok = true;
      for (let q = 0; q < j && ok; q++) ok = sqDistRef(c, j, c, q) >= 4;
      if (ok) break;
    }
  }
  const data = new Float32Array(n * d);
  const truth = new Int32Array(n);
  const half = 0.25 / Math.sqrt(d);
  for (let i = 0; i < n; i++) {
    const j = i % k;
    truth[i] = j;
    for (let f = 0; f < d; f++) data[i * d + f] = centers[j * d + f] + half * (2 * rng.next() - 1);
  }
  return { x: { data, rows: n, cols: d }, centers: c, truth };
}

/** A float32 tensor [rows, cols] holding the matrix. */
export function tensorOf(m: Matrix): tf.Tensor2D {
  return tf.tensor2d(m.data instanceof Float32Array ? m.data : Float32Array.from(m.data), [m.rows, m.cols], 'float32');
}

/** Rows [start, end) of a matrix, sharing nothing with it. */
export function rowsOf(m: Matrix, start: number, end: number): Matrix {
  return { data: m.data.slice(start * m.cols, end * m.cols), rows: end - start, cols: m.cols };
}

/** Float64 squared norms of the rows. */
export function sqNorms(m: Matrix): Float64Array {
  return Float64Array.from({ length: m.rows }, (_, i) => sqNormRef(m, i));
}

/**
 * Asserts |actual[i] − expected[i]| ≤ tolerance(i) for every i, reporting the worst offender
 * (by how many tolerances it is off) rather than the first.
 */
export function expectWithin(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance: (i: number) => number,
  what: string,
): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  let worst = -1;
  let worstRatio = 0;
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i] - expected[i]);
    const ratio = err === 0 ? 0 : Number.isNaN(err) ? Number.POSITIVE_INFINITY : err / tolerance(i);
    if (ratio > worstRatio) {
      worstRatio = ratio;
      worst = i;
    }
  }
  if (worstRatio > 1) {
    expect.fail(
      `${what}: index ${worst} is ${actual[worst]}, expected ${expected[worst]} ± ${tolerance(worst)} ` +
        `(off by ${Math.abs(actual[worst] - expected[worst])}, ${worstRatio.toPrecision(3)}× the tolerance)`,
    );
  }
}

/** Relative difference |a − b| / |b|. */
export function relErr(a: number, b: number): number {
  return Math.abs(a - b) / Math.abs(b);
}
