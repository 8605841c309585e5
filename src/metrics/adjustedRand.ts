// SPDX-License-Identifier: MIT
/**
 * Adjusted Rand index (Hubert & Arabie 1985) between two partitions of the same rows: the Rand
 * index corrected for chance, 1 for identical partitions (up to the names of the groups), about 0
 * for independent ones, negative when worse than chance. Computed from the contingency table, as
 * scikit-learn's `adjusted_rand_score`, in float64. O(n + a·b) for a and b groups.
 */
import { ParameterError } from '../errors.js';

function pairs(m: number): number {
  return (m * (m - 1)) / 2;
}

/** Codes 0..g−1 for the labels of `x`, and g. */
function codes(x: ArrayLike<number>): { codes: Int32Array; groups: number } {
  const ids = new Map<number, number>();
  const out = new Int32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    let id = ids.get(x[i]);
    if (id === undefined) {
      id = ids.size;
      ids.set(x[i], id);
    }
    out[i] = id;
  }
  return { codes: out, groups: ids.size };
}

/**
 * The adjusted Rand index of labelings `a` and `b` [n]. Where both put every row in one group, or
 * both put every row in its own group, it is 1 (scikit-learn's convention: the index is 0/0 there).
 * @throws ParameterError when the lengths differ.
 * @example
 * adjustedRandIndex([0, 0, 1, 2], [0, 0, 1, 1]); // 4 / 7
 */
export function adjustedRandIndex(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new ParameterError('adjustedRandIndex', 'b', `the labelings have ${a.length} and ${b.length} rows`);
  const n = a.length;
  const ca = codes(a);
  const cb = codes(b);
  if (n <= 1 || (ca.groups === cb.groups && (ca.groups === 1 || ca.groups === n))) return 1;
  const table = new Float64Array(ca.groups * cb.groups);
  const rowSums = new Float64Array(ca.groups);
  const colSums = new Float64Array(cb.groups);
  for (let i = 0; i < n; i++) {
    table[ca.codes[i] * cb.groups + cb.codes[i]]++;
    rowSums[ca.codes[i]]++;
    colSums[cb.codes[i]]++;
  }
  let index = 0;
  for (const m of table) index += pairs(m);
  let sumA = 0;
  for (const m of rowSums) sumA += pairs(m);
  let sumB = 0;
  for (const m of colSums) sumB += pairs(m);
  const expected = (sumA * sumB) / pairs(n);
  const max = (sumA + sumB) / 2;
  return max === expected ? 1 : (index - expected) / (max - expected);
}
