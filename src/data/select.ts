// SPDX-License-Identifier: MIT
/**
 * Order statistics by selection, for the Pipeline's medians and the profiles' quantiles: the
 * k-th smallest value (Hoare's FIND), the median as numpy computes it, and quantiles by linear
 * interpolation between order statistics: position h = (m − 1)·p, value
 * x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋ + 1] − x[⌊h⌋]) of the sorted values, numpy's default
 * (`method='linear'`, Hyndman and Fan's definition 7) and pandas' `Series.quantile`. Selection
 * is O(m) expected per order statistic instead of an O(m log m) sort, which took most of a
 * 10^6-row Pipeline fit.
 */

/**
 * Moves the k-th smallest of `a[left … right]` to `a[k]`, smaller or equal values before it
 * and greater or equal after (Hoare's FIND with a median-of-three pivot). Falls back to sorting
 * the range when the partitions keep coming out lopsided, so the worst case is O(m log m).
 */
export function selectInPlace(a: Float64Array, k: number, left = 0, right = a.length - 1): void {
  let budget = 2 * Math.ceil(Math.log2(right - left + 2)) + 16;
  while (right > left) {
    if (budget-- === 0) {
      a.subarray(left, right + 1).sort();
      return;
    }
    const mid = (left + right) >>> 1;
    // Median of three as the pivot, which also keeps sorted input linear.
    if (a[mid] < a[left]) swap(a, mid, left);
    if (a[right] < a[left]) swap(a, right, left);
    if (a[right] < a[mid]) swap(a, right, mid);
    const pivot = a[mid];
    let i = left;
    let j = right;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return; // a[j + 1 … i − 1] all equal the pivot
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

/** The least of `a[from …]` (after `selectInPlace(a, from - 1)`: the next order statistic). */
function minFrom(a: Float64Array, from: number): number {
  let b = a[from];
  for (let i = from + 1; i < a.length; i++) if (a[i] < b) b = a[i];
  return b;
}

/** The greatest of `a[0 … to)` (after `selectInPlace(a, to)`: the order statistic before it). */
function maxBefore(a: Float64Array, to: number): number {
  let b = a[0];
  for (let i = 1; i < to; i++) if (a[i] > b) b = a[i];
  return b;
}

/**
 * The median of `values` (no NaN) as numpy's `median` computes it: the middle value, or the mean
 * (a + b) / 2 of the two middle values for an even count; NaN when empty. Reorders `values`.
 * O(m) expected.
 */
export function medianInPlace(values: Float64Array): number {
  const m = values.length;
  if (m === 0) return NaN;
  const h = m >> 1;
  selectInPlace(values, h);
  if (m % 2 === 1) return values[h];
  return (maxBefore(values, h) + values[h]) / 2;
}

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
    out.push(a + (h - lo) * (minFrom(values, lo + 1) - a));
  }
  return out;
}
