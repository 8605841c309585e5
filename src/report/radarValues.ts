// SPDX-License-Identifier: MIT
/** Standardised differences of each segment from the population, for the report's radar. */
import { DataError, ParameterError } from '../errors.js';
import type { Matrix } from '../matrix.js';
import type { ReportRadar } from './types.js';
import { checkValue, integer } from '../constraints.js';

export interface RadarValuesOptions {
  /** Names of the columns of x. */
  features: readonly string[];
  /** Segment ids, in order. Default: the distinct labels, ascending. */
  segments?: readonly number[];
  /**
   * Keep the columns that set segments apart most: the `maxFeatures` with the largest |difference|
   * in any segment, in their column order. Default 8.
   */
  maxFeatures?: number;
}

/**
 * For each segment s and column j of `x` [n, d]: (mean of j in s − mean of j) / sd of j, with the
 * population (ddof 0) sd over all n rows; 0 for a constant column. Sums in float64. Then the
 * `maxFeatures` columns that differ most are kept. O(n·d).
 * @example
 * const r = radarValues({ data: new Float32Array([0, 0, 2, 2]), rows: 4, cols: 1 }, [0, 0, 1, 1], { features: ['a'] });
 * r.series[1].values[0]; // 1
 */
export function radarValues(x: Matrix, labels: ArrayLike<number>, options: RadarValuesOptions): ReportRadar & { series: Array<{ segment: number; values: Float64Array }> } {
  const fn = 'radarValues';
  const { data, rows: n, cols: d } = x;
  if (data.length !== n * d) throw new DataError(fn, 'x', `x.data has ${data.length} values, not rows*cols = ${n}*${d}`);
  if (labels.length !== n) throw new DataError(fn, 'labels', `labels has ${labels.length} values for ${n} rows`);
  if (n === 0) throw new DataError(fn, 'x', 'x has no rows');
  if (options.features.length !== d) throw new ParameterError(fn, 'features', `features has ${options.features.length} names for ${d} columns`);
  const maxFeatures = options.maxFeatures ?? 8;
  checkValue(fn, 'maxFeatures', maxFeatures, integer({ min: 1 }));
  let ids = options.segments ? [...options.segments] : undefined;
  if (ids === undefined) {
    const seen = new Set<number>();
    for (let i = 0; i < n; i++) seen.add(labels[i]);
    ids = [...seen].sort((a, b) => a - b);
  }
  const slot = new Map(ids.map((id, s) => [id, s]));
  const k = ids.length;
  const mean = new Float64Array(d);
  const sums = new Float64Array(k * d);
  const sizes = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const s = slot.get(labels[i]);
    if (s !== undefined) sizes[s]++;
    for (let j = 0; j < d; j++) {
      const v = data[i * d + j];
      if (!Number.isFinite(v)) throw new DataError(fn, 'x', `x has a non-finite value ${v} at row ${i}, column ${j}`, i, j);
      mean[j] += v;
      if (s !== undefined) sums[s * d + j] += v;
    }
  }
  for (let j = 0; j < d; j++) mean[j] /= n;
  const variance = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) variance[j] += (data[i * d + j] - mean[j]) ** 2;
  const diff = ids.map((_, s) =>
    Float64Array.from({ length: d }, (_, j) => {
      const sd = Math.sqrt(variance[j] / n);
      return sd > 0 && sizes[s] > 0 ? (sums[s * d + j] / sizes[s] - mean[j]) / sd : 0;
    }),
  );
  const spread = Array.from({ length: d }, (_, j) => Math.max(...diff.map((row) => Math.abs(row[j]))));
  const keep = Array.from({ length: d }, (_, j) => j)
    .sort((a, b) => spread[b] - spread[a] || a - b)
    .slice(0, maxFeatures)
    .sort((a, b) => a - b);
  return {
    features: keep.map((j) => options.features[j]),
    series: ids.map((segment, s) => ({ segment, values: Float64Array.from(keep, (j) => diff[s][j]) })),
  };
}
