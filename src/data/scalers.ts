// SPDX-License-Identifier: MIT
/**
 * Column scalers as scikit-learn 1.2 defines them: standard (mean and population standard
 * deviation), robust (median and interquartile range, percentiles by linear interpolation) and
 * min-max. Missing values (NaN) are ignored when fitting and stay NaN when transforming, as in
 * scikit-learn. A column whose scale is zero (constant) gets scale 1, as scikit-learn does, and is
 * listed in `constant` so that callers can report or drop it.
 *
 * Every scaler is stored as the affine map `y = (x − center) / scale + offset` per column.
 *
 * Reference: scikit-learn `sklearn/preprocessing/_data.py` (StandardScaler, RobustScaler,
 * MinMaxScaler, `_handle_zeros_in_scale`, `_is_constant_feature`).
 */
import { DataError, ParameterError, assertUnreachable } from '../errors.js';
import type { Matrix } from '../matrix.js';

export type ScalerMethod = 'standard' | 'robust' | 'minmax' | 'none';

export const SCALER_METHODS: readonly ScalerMethod[] = ['standard', 'robust', 'minmax', 'none'];

export interface ScalerOptions {
  /** For 'robust': the percentiles whose difference is the scale. Default [25, 75]. */
  quantileRange?: [number, number];
  /** For 'minmax': the output range. Default [0, 1]. */
  featureRange?: [number, number];
}

/** The statistics a scaler needs for one column, from its non-missing values. */
export interface ColumnScale {
  center: number;
  scale: number;
  offset: number;
  /** True when the column had zero (or numerically zero) spread, or no values: its scale was set to 1. */
  constant: boolean;
}

/** The JSON form of a fitted Scaler. */
export interface ScalerJSON {
  method: ScalerMethod;
  center: number[];
  scale: number[];
  offset: number[];
  constant: boolean[];
}

const EPS = 2.220446049250313e-16;

/**
 * Fits one column's scale from `values` (NaN = missing, ignored). O(n) for standard and min-max,
 * O(n log n) for robust (a sort of the non-missing values).
 */
export function fitColumnScale(values: ArrayLike<number>, method: ScalerMethod, options: ScalerOptions = {}): ColumnScale {
  switch (method) {
    case 'none':
      return { center: 0, scale: 1, offset: 0, constant: false };
    case 'standard': {
      let n = 0;
      let sum = 0;
      for (let i = 0; i < values.length; i++) {
        const v = values[i];
        if (!Number.isNaN(v)) {
          sum += v;
          n++;
        }
      }
      if (n === 0) return { center: NaN, scale: 1, offset: 0, constant: true };
      const mean = sum / n;
      // Two-pass variance with the correction term of Chan, Golub & LeVeque, as sklearn does.
      let sq = 0;
      let corr = 0;
      for (let i = 0; i < values.length; i++) {
        const v = values[i];
        if (!Number.isNaN(v)) {
          const d = v - mean;
          sq += d * d;
          corr += d;
        }
      }
      return standardScale(n, mean, sq, corr);
    }
    case 'robust': {
      const [qlo, qhi] = options.quantileRange ?? [25, 75];
      if (!(qlo >= 0 && qhi <= 100 && qlo <= qhi)) {
        throw new ParameterError('fitScaler', 'quantileRange', `quantileRange=[${qlo}, ${qhi}] must satisfy 0 <= low <= high <= 100`);
      }
      const sorted = sortedFinite(values);
      if (sorted.length === 0) return { center: NaN, scale: 1, offset: 0, constant: true };
      return robustScale(medianOfSorted(sorted), percentile(sorted, qlo), percentile(sorted, qhi));
    }
    case 'minmax': {
      const [a, b] = options.featureRange ?? [0, 1];
      if (!(a < b)) throw new ParameterError('fitScaler', 'featureRange', `featureRange=[${a}, ${b}]: the low end must be below the high end`);
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < values.length; i++) {
        const v = values[i];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (lo > hi) return { center: NaN, scale: 1, offset: a, constant: true };
      const range = hi - lo;
      const constant = range < 10 * EPS;
      return { center: lo, scale: constant ? 1 / (b - a) : range / (b - a), offset: a, constant };
    }
    default:
      return assertUnreachable(method);
  }
}

/**
 * The standard scaler's statistics from the moments of n > 0 values: their mean, Σ(v − mean)²
 * and Σ(v − mean) (the two-pass variance's correction term). Shared with the in-database fit
 * (src/db/fitPipeline.ts), whose sums come from SQL.
 */
export function standardScale(n: number, mean: number, sq: number, corr: number): ColumnScale {
  const variance = Math.max(0, (sq - (corr * corr) / n) / n);
  // sklearn `_is_constant_feature`: the variance is within the error bound of the 2-pass algorithm.
  const bound = n * EPS * variance + (n * mean * EPS) ** 2;
  const constant = variance <= bound;
  return { center: mean, scale: constant ? 1 : Math.sqrt(variance), offset: 0, constant };
}

/**
 * The robust scaler's statistics from the median and the two percentiles of the values
 * (as {@link fitColumnScale} computes them).
 */
export function robustScale(median: number, low: number, high: number): ColumnScale {
  const iqr = high - low;
  const constant = iqr < 10 * EPS;
  return { center: median, scale: constant ? 1 : iqr, offset: 0, constant };
}

/** The non-NaN values of `values`, sorted ascending, as a Float64Array. */
export function sortedFinite(values: ArrayLike<number>): Float64Array {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) n++;
  const out = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) out[k++] = values[i];
  return out.sort();
}

/** The median of ascending `sorted` values (the mean of the middle two for an even count), as numpy's. */
export function medianOfSorted(sorted: ArrayLike<number>): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = n >> 1;
  return n % 2 === 1 ? sorted[h] : (sorted[h - 1] + sorted[h]) / 2;
}

/**
 * The q-th percentile (0..100) of ascending `sorted` values by linear interpolation between the
 * closest ranks, numpy's default (`method='linear'`): rank h = (n − 1)·q/100.
 */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (q / 100) * (n - 1); // numpy's order of operations
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const frac = h - lo;
  // numpy's lerp form, exact at both ends.
  const a = sorted[lo];
  const b = sorted[hi];
  const diff = b - a;
  return frac >= 0.5 ? b - diff * (1 - frac) : a + diff * frac;
}

/**
 * A fitted per-column scaler: `y[:, j] = (x[:, j] − center[j]) / scale[j] + offset[j]`.
 * @example
 * const s = Scaler.fit({ data: Float64Array.of(1, 10, 2, 20, 3, 30), rows: 3, cols: 2 }, 'standard');
 * s.transform({ data: Float64Array.of(2, 20), rows: 1, cols: 2 }).data; // [0, 0]: the column means
 */
export class Scaler {
  constructor(
    readonly method: ScalerMethod,
    /** [nFeatures] subtracted first. */
    readonly center: Float64Array,
    /** [nFeatures] divided by next; 1 where the column was constant. */
    readonly scale: Float64Array,
    /** [nFeatures] added last (the low end of min-max's feature range, else 0). */
    readonly offset: Float64Array,
    /** [nFeatures] whether the column was constant (its scale forced to 1). */
    readonly constant: readonly boolean[],
  ) {}

  /** Fits `method` to each column of `x` [nSamples, nFeatures] (NaN = missing). */
  static fit(x: Matrix, method: ScalerMethod, options: ScalerOptions = {}): Scaler {
    if (!SCALER_METHODS.includes(method)) {
      throw new ParameterError('Scaler.fit', 'method', `method='${String(method)}' must be one of ${SCALER_METHODS.join(', ')}`);
    }
    const { rows, cols, data } = x;
    if (data.length !== rows * cols) throw new DataError('Scaler.fit', 'x', `x.data has ${data.length} values, not rows*cols = ${rows}*${cols}`);
    const column = new Float64Array(rows);
    const center = new Float64Array(cols);
    const scale = new Float64Array(cols);
    const offset = new Float64Array(cols);
    const constant: boolean[] = [];
    for (let j = 0; j < cols; j++) {
      for (let i = 0; i < rows; i++) column[i] = data[i * cols + j];
      const s = fitColumnScale(column, method, options);
      center[j] = s.center;
      scale[j] = s.scale;
      offset[j] = s.offset;
      constant.push(s.constant);
    }
    return new Scaler(method, center, scale, offset, constant);
  }

  /** Indices of the columns that were constant when fitted. */
  get constantColumns(): number[] {
    return this.constant.flatMap((c, j) => (c ? [j] : []));
  }

  /** Scales `x` [nSamples, nFeatures] into a new Float64Array matrix; NaN stays NaN. */
  transform(x: Matrix): Matrix & { data: Float64Array } {
    this.checkWidth(x, 'transform');
    const { rows, cols, data } = x;
    const out = new Float64Array(rows * cols);
    for (let i = 0, p = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++, p++) out[p] = (data[p] - this.center[j]) / this.scale[j] + this.offset[j];
    }
    return { data: out, rows, cols };
  }

  /** Undoes `transform`. */
  inverse(y: Matrix): Matrix & { data: Float64Array } {
    this.checkWidth(y, 'inverse');
    const { rows, cols, data } = y;
    const out = new Float64Array(rows * cols);
    for (let i = 0, p = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++, p++) out[p] = (data[p] - this.offset[j]) * this.scale[j] + this.center[j];
    }
    return { data: out, rows, cols };
  }

  toJSON(): ScalerJSON {
    return {
      method: this.method,
      center: Array.from(this.center),
      scale: Array.from(this.scale),
      offset: Array.from(this.offset),
      constant: [...this.constant],
    };
  }

  static fromJSON(json: ScalerJSON): Scaler {
    const d = json.center.length;
    if (!SCALER_METHODS.includes(json.method) || json.scale.length !== d || json.offset.length !== d || json.constant.length !== d) {
      throw new DataError('Scaler.fromJSON', 'json', 'not a saved Scaler: method unknown or arrays of different lengths');
    }
    // JSON has no NaN: a column fitted on no values saved its center as null.
    const num = (a: Array<number | null>): Float64Array => Float64Array.from(a, (v) => (v === null ? NaN : v));
    return new Scaler(json.method, num(json.center), num(json.scale), num(json.offset), json.constant.slice());
  }

  private checkWidth(x: Matrix, fn: string): void {
    if (x.cols !== this.center.length) {
      throw new DataError(`Scaler.${fn}`, 'x', `x has ${x.cols} columns; the scaler was fitted on ${this.center.length}`);
    }
  }
}
