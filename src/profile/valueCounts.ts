// SPDX-License-Identifier: MIT
/**
 * Counts of labelled values (categories, range levels, list items) per group, and their shares
 * and lifts. Share is a value's count over the group's rows where the column is not missing;
 * lift is the group's share over the population's share.
 */
import type { Groups } from './groups.js';

/** One value of a column in a group: how often, what share, and the lift over the population. */
export interface ValueShare {
  value: string;
  /** Rows of the group with this value (for lists: rows having this item). */
  count: number;
  /** count / rows of the group where the column is not missing. */
  share: number;
  /** share in the group / share in the population; null when the value never occurs overall. */
  lift: number | null;
}

/** Value counts in every group: rows 0 … k−1 segments, k noise, k + 1 the population. */
export interface ValueCounts {
  values: string[];
  /** [(k + 2) · values.length], row-major by group. */
  counts: Float64Array;
  /** Rows per group (and population) where the column is not missing, [k + 2]. */
  totals: Float64Array;
  /** Rows per group (and population) where the column is missing, [k + 2]. */
  missing: Float64Array;
}

/** Empty counts for `nValues` values over the groups plus the population. */
export function emptyCounts(values: string[], groups: Groups): ValueCounts {
  const rows = groups.k + 2;
  return {
    values,
    counts: new Float64Array(rows * values.length),
    totals: new Float64Array(rows),
    missing: new Float64Array(rows),
  };
}

/**
 * Counts single-valued labels (`ids[i]` in 0 … values.length − 1, −1 missing) per group and
 * overall. O(n).
 */
export function countLabels(ids: Int32Array, values: string[], groups: Groups): ValueCounts {
  const vc = emptyCounts(values, groups);
  const nv = values.length;
  const pop = groups.k + 1;
  for (let i = 0; i < ids.length; i++) {
    const g = groups.code[i];
    const v = ids[i];
    if (v < 0) {
      vc.missing[g]++;
      vc.missing[pop]++;
    } else {
      vc.counts[g * nv + v]++;
      vc.counts[pop * nv + v]++;
      vc.totals[g]++;
      vc.totals[pop]++;
    }
  }
  return vc;
}

/** Share and lift of value `v` in group `g` (g = k + 1 is the population). */
export function shareOf(vc: ValueCounts, g: number, v: number): ValueShare {
  const nv = vc.values.length;
  const pop = vc.totals.length - 1;
  const count = vc.counts[g * nv + v];
  const share = vc.totals[g] > 0 ? count / vc.totals[g] : 0;
  const popShare = vc.totals[pop] > 0 ? vc.counts[pop * nv + v] / vc.totals[pop] : 0;
  return { value: vc.values[v], count, share, lift: popShare > 0 ? share / popShare : null };
}

/**
 * The `limit` most frequent values of group `g` (count > 0), most frequent first; ties go to the
 * value more frequent overall, then to the value first in text order. O(V log V).
 */
export function topShares(vc: ValueCounts, g: number, limit: number): ValueShare[] {
  const nv = vc.values.length;
  const pop = vc.totals.length - 1;
  const order: number[] = [];
  for (let v = 0; v < nv; v++) if (vc.counts[g * nv + v] > 0) order.push(v);
  order.sort(
    (a, b) =>
      vc.counts[g * nv + b] - vc.counts[g * nv + a] ||
      vc.counts[pop * nv + b] - vc.counts[pop * nv + a] ||
      (vc.values[a] < vc.values[b] ? -1 : vc.values[a] > vc.values[b] ? 1 : 0),
  );
  return order.slice(0, limit).map((v) => shareOf(vc, g, v));
}
