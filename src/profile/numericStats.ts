// SPDX-License-Identifier: MIT
/**
 * Per-segment statistics of one numeric (number or count) column, in the column's own units:
 * mean, standard deviation, quartiles, range, and the standardised difference of the segment
 * mean from the population mean. Missing cells (null, NaN, unparseable text) are counted and
 * left out, never read as zeros.
 */
import type { Groups } from './groups.js';
import { quantilesInPlace } from '../data/select.js';

/** Statistics of one numeric column over one segment (or the whole population). */
export interface NumericStats {
  type: 'numeric';
  column: string;
  kind: 'number' | 'count';
  /** Non-missing values. */
  count: number;
  /** Rows of the group where the cell is missing. */
  missing: number;
  /** Arithmetic mean; null when the group has no value. */
  mean: number | null;
  /** Standard deviation with divisor `count` (numpy's default, ddof = 0). */
  std: number | null;
  min: number | null;
  /** 25th percentile, linear interpolation (numpy's default; see `quantileSorted`). */
  q1: number | null;
  median: number | null;
  /** 75th percentile, linear interpolation. */
  q3: number | null;
  max: number | null;
  /**
   * (group mean − population mean) / population std, the population being every row of the
   * table (noise included) and its std taken with ddof = 0. 0 when the column is constant over
   * the population (see `note`); null when the group has no value.
   */
  stdDiff: number | null;
  /** Why a figure is absent or set by convention, e.g. the column is constant. */
  note?: string;
}

/**
 * Mean and standard deviation (ddof = 0) of `x`, two passes with Neumaier's compensated sums so
 * that 10^6 values keep ~15 digits; a constant `x` has std 0 exactly, whatever the rounding.
 */
function meanStd(x: Float64Array, min: number, max: number): { mean: number; std: number } {
  const m = x.length;
  if (min === max) return { mean: min, std: 0 };
  let s = 0;
  let c = 0;
  for (let i = 0; i < m; i++) {
    const v = x[i];
    const t = s + v;
    c += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
    s = t;
  }
  const mean = (s + c) / m;
  s = 0;
  c = 0;
  for (let i = 0; i < m; i++) {
    const v = (x[i] - mean) * (x[i] - mean);
    const t = s + v;
    c += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
    s = t;
  }
  return { mean, std: Math.sqrt((s + c) / m) };
}

/** The summary of a group's values that {@link numericSummary} turns into its statistics. */
export interface NumericSummary {
  count: number;
  mean: number;
  std: number;
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
}

/**
 * The statistics of one group from the summary of its values (null when it has none), its
 * standardised difference left null (see {@link setStdDiffs}). The in-memory profile summarises
 * an array; the in-database one (src/db/profile.ts) gets the same figures by SQL.
 */
export function numericSummary(column: string, kind: 'number' | 'count', summary: NumericSummary | null, missing: number): NumericStats {
  if (summary === null || summary.count === 0) {
    return {
      type: 'numeric',
      column,
      kind,
      count: 0,
      missing,
      mean: null,
      std: null,
      min: null,
      q1: null,
      median: null,
      q3: null,
      max: null,
      stdDiff: null,
      note: 'no values in this group',
    };
  }
  const { count, mean, std, min, q1, median, q3, max } = summary;
  return { type: 'numeric', column, kind, count, missing, mean, std, min, q1, median, q3, max, stdDiff: null };
}

/** Describes the values of one group; reorders `values` (quantiles by selection). */
function describe(column: string, kind: 'number' | 'count', values: Float64Array, missing: number): NumericStats {
  const m = values.length;
  if (m === 0) return numericSummary(column, kind, null, missing);
  let min = values[0];
  let max = values[0];
  for (let i = 1; i < m; i++) {
    if (values[i] < min) min = values[i];
    if (values[i] > max) max = values[i];
  }
  const { mean, std } = meanStd(values, min, max);
  const [q1, median, q3] = quantilesInPlace(values, [0.25, 0.5, 0.75]);
  return numericSummary(column, kind, { count: m, mean, std, min, q1, median, q3, max }, missing);
}

/**
 * Sets each group's (and the population's) standardised difference from the population:
 * (mean − population mean) / population std; 0 with a note where the column is constant over
 * the population.
 */
export function setStdDiffs(population: NumericStats, groups: readonly NumericStats[]): void {
  for (const s of [population, ...groups]) {
    if (s.mean === null || population.mean === null || population.std === null) continue;
    if (population.std > 0) {
      s.stdDiff = (s.mean - population.mean) / population.std;
    } else {
      s.stdDiff = 0;
      s.note = 'constant over the population (std 0): standardised difference set to 0';
    }
  }
}

/**
 * The statistics of `values` (NaN = missing) for each group and for the population.
 * O(n) expected: values are grouped by a counting pass and quantiles found by selection;
 * memory one float64 array of n besides the input.
 *
 * @param values - one value per row, [nRows]
 * @returns `groups[g]` for g = 0 … k (k = noise) and `population`
 */
export function numericStats(
  column: string,
  kind: 'number' | 'count',
  values: Float64Array,
  groups: Groups,
): { population: NumericStats; groups: NumericStats[] } {
  const nGroups = groups.k + 1;
  const count = new Int32Array(nGroups);
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) count[groups.code[i]]++;
  const start = new Int32Array(nGroups + 1);
  for (let g = 0; g < nGroups; g++) start[g + 1] = start[g] + count[g];
  const byGroup = new Float64Array(start[nGroups]);
  const fill = start.slice(0, nGroups);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isNaN(v)) byGroup[fill[groups.code[i]]++] = v;
  }
  const stats: NumericStats[] = [];
  for (let g = 0; g < nGroups; g++) stats.push(describe(column, kind, byGroup.subarray(start[g], start[g + 1]), groups.size[g] - count[g]));
  const population = describe(column, kind, byGroup, values.length - byGroup.length);
  setStdDiffs(population, stats);
  return { population, groups: stats };
}
