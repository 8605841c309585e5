// SPDX-License-Identifier: MIT
/** A seeded sample of 2-D points and their segments, for the report's scatter. */
import { DataError } from '../errors.js';
import type { Matrix } from '../matrix.js';
import { Random } from '../random.js';
import type { ReportScatter } from './types.js';
import { checkValue, integer } from '../constraints.js';

export interface SampleScatterOptions {
  /** Points kept at most. Default 2,000: enough to show the shape, and the SVG stays near 300 kB. */
  size?: number;
  /** Seed of the sample. Default 0. */
  seed?: number;
  /** Axis titles, e.g. `PC1 (31 % of variance)`. */
  xLabel?: string;
  yLabel?: string;
}

/**
 * Columns 0 and 1 of `coords` [n, ≥2] (e.g. PCA scores) with the segment of each row from
 * `labels` [n], for all rows when n ≤ size, else for a uniform sample of `size` rows without
 * replacement, kept in row order. The same seed gives the same sample. O(n) for the copy of
 * labels checked, O(size) for the sample.
 * @example
 * const s = sampleScatter({ data: new Float32Array([0, 1, 2, 3, 4, 5]), rows: 3, cols: 2 }, [0, 1, 1], { size: 2, seed: 1 });
 * s.x.length; // 2
 */
export function sampleScatter(coords: Matrix, labels: ArrayLike<number>, options: SampleScatterOptions = {}): ReportScatter & { x: Float64Array; y: Float64Array; segment: Int32Array } {
  const fn = 'sampleScatter';
  const { rows: n, cols } = coords;
  if (cols < 2) throw new DataError(fn, 'coords', `coords has ${cols} column(s); a scatter needs 2`);
  if (coords.data.length !== n * cols) throw new DataError(fn, 'coords', `coords.data has ${coords.data.length} values, not rows*cols = ${n}*${cols}`);
  if (labels.length !== n) throw new DataError(fn, 'labels', `labels has ${labels.length} values for ${n} rows`);
  const size = options.size ?? 2000;
  checkValue(fn, 'size', size, integer({ min: 1 }));
  let rows: Int32Array;
  if (n <= size) {
    rows = Int32Array.from({ length: n }, (_, i) => i);
  } else {
    rows = new Random(options.seed ?? 0).sample(n, size).sort();
  }
  const x = new Float64Array(rows.length);
  const y = new Float64Array(rows.length);
  const segment = new Int32Array(rows.length);
  rows.forEach((r, i) => {
    x[i] = coords.data[r * cols];
    y[i] = coords.data[r * cols + 1];
    segment[i] = labels[r];
  });
  const out: ReportScatter & { x: Float64Array; y: Float64Array; segment: Int32Array } = { x, y, segment, totalRows: n };
  if (options.xLabel !== undefined) out.xLabel = options.xLabel;
  if (options.yLabel !== undefined) out.yLabel = options.yLabel;
  return out;
}
