// SPDX-License-Identifier: MIT
/**
 * Single linkage through a minimum spanning tree built by Prim's algorithm on the fly: no
 * distance matrix, O(n²·d) work, O(n·d) memory. The order is scikit-learn's
 * `mst_linkage_core` (MST-LINKAGE-CORE in Müllner 2011, figure 6): start at row 0; at each
 * step lower every outside row's distance to the tree by its distance to the row just added,
 * and add the outside row that is nearest (the lowest index on a tie). The edge recorded is
 * (row added before, row added now) with the new row's distance to the tree: not always the
 * true MST edge, but the same single-linkage hierarchy, since Prim's order visits each
 * single-linkage cluster as one contiguous run.
 *
 * Distances are Euclidean in float64 from the given values, summed in feature order as
 * scikit-learn's DistanceMetric does; the comparisons run on squared distances (the square
 * root is taken once per edge), which can only differ from scikit-learn on a tie between two
 * squared distances one rounding apart.
 */
import type { RawMerges } from './linkage.js';

/**
 * Prim's edges for `x` [n, d] row-major: edge i joins `a[i]` and `b[i]` at `heights[i]`, in the
 * order the rows joined the tree (not sorted by height).
 */
export function primEdges(x: ArrayLike<number>, n: number, d: number): RawMerges {
  const data = Float64Array.from(x);
  const m = Math.max(0, n - 1);
  const a = new Int32Array(m);
  const b = new Int32Array(m);
  const heights = new Float64Array(m);
  const inTree = new Uint8Array(n);
  const toTree = new Float64Array(n).fill(Number.POSITIVE_INFINITY); // squared
  let current = 0;
  for (let step = 0; step < m; step++) {
    inTree[current] = 1;
    const co = current * d;
    let next = 0;
    let nextDist = Number.POSITIVE_INFINITY;
    for (let j = 0; j < n; j++) {
      if (inTree[j] === 1) continue;
      const known = toTree[j];
      const jo = j * d;
      // Stop summing once the partial sum cannot lower the known distance (checked every four
      // features; the additions stay in feature order, so a completed sum is the plain one).
      let s = 0;
      let f = 0;
      for (; f + 4 <= d; f += 4) {
        const t0 = data[co + f] - data[jo + f];
        const t1 = data[co + f + 1] - data[jo + f + 1];
        const t2 = data[co + f + 2] - data[jo + f + 2];
        const t3 = data[co + f + 3] - data[jo + f + 3];
        s += t0 * t0;
        s += t1 * t1;
        s += t2 * t2;
        s += t3 * t3;
        if (s >= known) break;
      }
      let dist = known;
      if (f + 4 > d) {
        for (; f < d; f++) {
          const t = data[co + f] - data[jo + f];
          s += t * t;
        }
        if (s < known) {
          dist = s;
          toTree[j] = s;
        }
      }
      if (dist < nextDist) {
        nextDist = dist;
        next = j;
      }
    }
    a[step] = current;
    b[step] = next;
    heights[step] = Math.sqrt(nextDist);
    current = next;
  }
  return { a, b, heights };
}
