// SPDX-License-Identifier: MIT
/**
 * Filling missing cells: the median for numbers, the most frequent label for categories, as
 * scikit-learn's `SimpleImputer(strategy='median' | 'most_frequent')`: ties between equally
 * frequent values go to the smallest. Each fill counts the cells it filled, for the report.
 */
import { compareLabels, type Label } from './encoders.js';
import { medianOfSorted, sortedFinite } from './scalers.js';

/**
 * Median imputation of a numeric column (NaN = missing).
 * @example
 * const imp = MedianImputer.fit([1, NaN, 3, 10]);
 * imp.value; // 3
 * const col = Float64Array.of(NaN, 2);
 * imp.apply(col); // 1: the one NaN filled
 * col; // Float64Array [3, 2]
 */
export class MedianImputer {
  /** The fill value; NaN when the column had no values at all. */
  constructor(readonly value: number) {}

  /** The median of the non-missing values. O(n log n). */
  static fit(values: ArrayLike<number>): MedianImputer {
    return new MedianImputer(medianOfSorted(sortedFinite(values)));
  }

  /** Fills NaN cells of `values` in place; returns how many it filled. */
  apply(values: Float64Array | Float32Array): number {
    let count = 0;
    for (let i = 0; i < values.length; i++) {
      if (Number.isNaN(values[i])) {
        values[i] = this.value;
        count++;
      }
    }
    return count;
  }

  toJSON(): { strategy: 'median'; value: number | null } {
    return { strategy: 'median', value: Number.isNaN(this.value) ? null : this.value };
  }

  static fromJSON(json: { value: number | null }): MedianImputer {
    return new MedianImputer(json.value === null ? NaN : json.value);
  }
}

/**
 * The most frequent of `labels` given their `counts` (same order); ties go to the smallest label.
 * Null when every count is zero.
 */
export function mostFrequentOf<T extends string | number>(labels: readonly T[], counts: ArrayLike<number>): T | null {
  let best: T | null = null;
  let bestCount = 0;
  for (let i = 0; i < labels.length; i++) {
    const c = counts[i];
    if (c <= 0) continue;
    const l = labels[i];
    if (best === null || c > bestCount || (c === bestCount && lessThan(l, best))) {
      best = l;
      bestCount = c;
    }
  }
  return best;
}

function lessThan<T extends string | number>(a: T, b: T): boolean {
  return typeof a === 'number' ? a < (b as number) : compareLabels(a as string, b as string) < 0;
}

/**
 * Most-frequent imputation of a label column (null/undefined = missing).
 * @example
 * const imp = MostFrequentImputer.fit(['b', 'a', null, 'b']);
 * imp.value; // 'b'
 * imp.apply(['a', null]); // { values: ['a', 'b'], count: 1 }
 */
export class MostFrequentImputer {
  /** The fill value; null when the column had no values at all. */
  constructor(readonly value: string | null) {}

  static fit(values: Iterable<Label>): MostFrequentImputer {
    const counts = new Map<string, number>();
    for (const v of values) if (v !== null && v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
    return new MostFrequentImputer(mostFrequentOf([...counts.keys()], [...counts.values()]));
  }

  /** A copy of `values` with missing cells filled, and how many were filled. */
  apply(values: ArrayLike<Label>): { values: Array<string | null>; count: number } {
    let count = 0;
    const out = Array.from(values, (v) => {
      if (v !== null && v !== undefined) return v;
      count++;
      return this.value;
    });
    return { values: out, count };
  }

  toJSON(): { strategy: 'most_frequent'; value: string | null } {
    return { strategy: 'most_frequent', value: this.value };
  }

  static fromJSON(json: { value: string | null }): MostFrequentImputer {
    return new MostFrequentImputer(json.value);
  }
}
