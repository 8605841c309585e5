// SPDX-License-Identifier: MIT
/** The k-th smallest value of an array by selection: the order statistics behind medians and quantiles. */

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
