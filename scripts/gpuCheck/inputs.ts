// SPDX-License-Identifier: MIT
/**
 * Inputs of the check: seeded random matrices (uniform, or small integers where exact ties and
 * exact sums are wanted), and the same matrix as row blocks on whichever backend is current.
 */
import type { MatrixF32 } from '../../src/matrix.js';
import { Random } from '../../src/random.js';

/** A [rows, cols] float32 matrix, uniform in [lo, hi). */
export function uniform(rng: Random, rows: number, cols: number, lo = -1, hi = 1): MatrixF32 {
  const data = new Float32Array(rows * cols);
  const span = hi - lo;
  for (let i = 0; i < data.length; i++) data[i] = lo + span * rng.next();
  return { data, rows, cols };
}

/** A [rows, cols] matrix of integers in [−span, span]: every distance and sum below is exact in float32, so ties are exact. */
export function lattice(rng: Random, rows: number, cols: number, span: number): MatrixF32 {
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = rng.int(2 * span + 1) - span;
  return { data, rows, cols };
}

/** Labels uniform in 0..k-1. */
export function labelsOf(rng: Random, n: number, k: number): Int32Array {
  return Int32Array.from({ length: n }, () => rng.int(k));
}

/** Rows [start, end) of a matrix (a view). */
export function rowRange(m: MatrixF32, start: number, end: number): MatrixF32 {
  return { data: m.data.subarray(start * m.cols, end * m.cols), rows: end - start, cols: m.cols };
}

/** A matrix on the current backend as row blocks, with optional per-row labels and weights (the kernel specs' upload). */
export { upload as blocksOf, type Uploaded as Blocks } from '../../test/helpers/upload.js';
