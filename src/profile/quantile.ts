// SPDX-License-Identifier: MIT
/**
 * Quantiles by linear interpolation between order statistics: position h = (m − 1)·p, value
 * x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋ + 1] − x[⌊h⌋]) of the sorted values. This is numpy's default
 * (`method='linear'`, Hyndman and Fan's definition 7) and pandas' `Series.quantile`.
 * `quantilesInPlace` finds the order statistics by selection (Hoare's FIND), O(m) expected per
 * quantile instead of an O(m log m) sort.
 */
import { selectInPlace } from '../data/select.js';

/**
 * The p-quantile of `sorted` (ascending, no NaN), or NaN when it is empty. O(1).
 * Example: `quantileSorted(Float64Array.of(1, 2, 4, 8), 0.25)` is 1.75 (h = 0.75, 1 + 0.75·(2 − 1)).
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const m = sorted.length;
  if (m === 0) return NaN;
  const h = (m - 1) * p;
  const lo = Math.floor(h);
  if (lo >= m - 1) return sorted[m - 1];
  const a = sorted[lo];
  const b = sorted[lo + 1];
  return a + (h - lo) * (b - a);
}

/**
 * The quantiles `ps` (ascending, in [0, 1]) of `values` (no NaN), same definition as
 * `quantileSorted`. Reorders `values`. NaN for each p when `values` is empty. O(m) expected per
 * quantile.
 */
export function quantilesInPlace(values: Float64Array, ps: readonly number[]): number[] {
  const m = values.length;
  if (m === 0) return ps.map(() => NaN);
  const out: number[] = [];
  // Each selection leaves everything from its index on ≥ what is before it, so the next
  // (larger) quantile is searched only from there.
  let from = 0;
  for (const p of ps) {
    const h = (m - 1) * p;
    const lo = Math.min(Math.floor(h), m - 1);
    selectInPlace(values, lo, from, m - 1);
    from = lo;
    const a = values[lo];
    if (h === lo || lo === m - 1) {
      out.push(a);
      continue;
    }
    // The next order statistic is the least value after `lo`.
    let b = values[lo + 1];
    for (let i = lo + 2; i < m; i++) if (values[i] < b) b = values[i];
    out.push(a + (h - lo) * (b - a));
  }
  return out;
}
