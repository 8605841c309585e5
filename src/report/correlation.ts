// SPDX-License-Identifier: MIT
/** The Pearson correlation matrix of a feature matrix, for the report's heatmap. */
import { DataError, ParameterError } from '../errors.js';
import type { Matrix } from '../matrix.js';
import type { ReportCorrelation } from './types.js';

const FN = 'correlationMatrix';

/**
 * Pearson correlations between the columns of `x` [nSamples, nFeatures], as a
 * [nFeatures, nFeatures] row-major matrix. Two passes in float64 (means, then centred cross
 * products), so float32 input loses no digits to cancellation. A constant column has no defined
 * correlation: its row and column are NaN (the diagonal too). O(n·d²) time, O(d²) memory.
 * Feature names default to `f0`, `f1`, ...
 * @example
 * const c = correlationMatrix({ data: new Float32Array([1, 2, 2, 4, 3, 7]), rows: 3, cols: 2 }, ['a', 'b']);
 * c.matrix[1]; // 0.9933992677987828
 */
export function correlationMatrix(x: Matrix, features?: readonly string[]): ReportCorrelation & { matrix: Float64Array } {
  const { data, rows: n, cols: d } = x;
  if (data.length !== n * d) throw new DataError(FN, 'x', `x.data has ${data.length} values, not rows*cols = ${n}*${d}`);
  if (n < 2) throw new DataError(FN, 'x', `x has ${n} rows; a correlation needs at least 2`);
  if (features !== undefined && features.length !== d) {
    throw new ParameterError(FN, 'features', `features has ${features.length} names for ${d} columns`);
  }
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const v = data[i * d + j];
      if (!Number.isFinite(v)) throw new DataError(FN, 'x', `x has a non-finite value ${v} at row ${i}, column ${j}`, i, j);
      mean[j] += v;
    }
  }
  for (let j = 0; j < d; j++) mean[j] /= n;
  const cov = new Float64Array(d * d);
  const centred = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) centred[j] = data[i * d + j] - mean[j];
    for (let a = 0; a < d; a++) {
      const ca = centred[a];
      if (ca === 0) continue;
      for (let b = a; b < d; b++) cov[a * d + b] += ca * centred[b];
    }
  }
  const matrix = new Float64Array(d * d);
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      const denominator = Math.sqrt(cov[a * d + a] * cov[b * d + b]);
      let r = denominator > 0 ? cov[a * d + b] / denominator : NaN;
      if (a === b && denominator > 0) r = 1;
      r = Math.max(-1, Math.min(1, r));
      matrix[a * d + b] = r;
      matrix[b * d + a] = r;
    }
  }
  return { features: features ? [...features] : Array.from({ length: d }, (_, j) => `f${j}`), matrix };
}
