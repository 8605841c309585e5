// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { buildTree, clustersAtDistance, cutLabels, linkageMatrix } from '../../src/algorithms/linkage.js';
import { primEdges } from '../../src/algorithms/mst.js';
import { MatrixSpace, WardSpace, condensedIndex, nnChain } from '../../src/algorithms/nnChain.js';

const raw = (a: number[], b: number[], h: number[]) => ({ a: Int32Array.from(a), b: Int32Array.from(b), heights: Float64Array.from(h) });

describe('buildTree', () => {
  it('sorts merges by height, stably, and names each side by the node holding it', () => {
    // Found in the order (3,4)@2, (0,1)@1, (1,3)@5, (2,4)@2: sorted (0,1)@1, (3,4)@2, (2,4)@2, (1,3)@5.
    // (0,1) makes node 5, (3,4) node 6, 2 joins node 6 as node 7, then nodes 5 and 7 make node 8.
    const t = buildTree(5, raw([3, 0, 1, 2], [4, 1, 3, 4], [2, 1, 5, 2]), 'ascending');
    expect(Array.from(t.children)).toEqual([0, 1, 3, 4, 2, 6, 5, 7]);
    expect(Array.from(t.distances)).toEqual([1, 2, 2, 5]);
    expect(Array.from(t.counts)).toEqual([2, 2, 3, 5]);
    // 'as-found' keeps the first endpoint's side first: (4→6, 2) and (1→5, 3→7).
    const f = buildTree(5, raw([3, 0, 4, 1], [4, 1, 2, 3], [2, 1, 2, 5]), 'as-found');
    expect(Array.from(f.children)).toEqual([0, 1, 3, 4, 6, 2, 5, 7]);
  });
});

describe('cutLabels', () => {
  // Tree over 5 leaves: 5 = (0,1), 6 = (3,4), 7 = (2,6), 8 = (5,7).
  const tree = buildTree(5, raw([0, 3, 2, 0], [1, 4, 3, 2], [1, 2, 3, 4]), 'ascending');

  it('numbers clusters by their place in the heap of node ids, as scikit-learn _hc_cut', () => {
    // k=2: heap [-8] → push -5: [-8,-5]; pushpop -7 replaces -8 and sifts: [-7,-5].
    expect(Array.from(cutLabels(tree, 2))).toEqual([1, 1, 0, 0, 0]);
    // k=3: pop 7 → push -2: [-7,-5,-2]; pushpop -6: [-6,-5,-2] → 6 = {3,4}, 5 = {0,1}, leaf 2.
    expect(Array.from(cutLabels(tree, 3))).toEqual([1, 1, 2, 0, 0]);
    expect(Array.from(cutLabels(tree, 1))).toEqual([0, 0, 0, 0, 0]);
    expect(new Set(cutLabels(tree, 5)).size).toBe(5);
  });

  it('counts clusters at a distance as one plus the merges at or above it', () => {
    expect(clustersAtDistance(tree, 3)).toBe(3);
    expect(clustersAtDistance(tree, 3.5)).toBe(2);
    expect(clustersAtDistance(tree, 0)).toBe(5);
  });

  it('exports scipy linkage matrix rows', () => {
    const z = linkageMatrix(tree);
    expect([z.rows, z.cols]).toEqual([4, 4]);
    expect(Array.from(z.data.subarray(8, 12))).toEqual([2, 6, 3, 3]);
  });
});

describe('primEdges', () => {
  it('records (row added before, row added now) in Prim order from row 0', () => {
    // 0, 10, 1, 12: from 0 the nearest is 1 (row 2); then 10 (row 1, 9 from the tree); then 12.
    const e = primEdges([0, 10, 1, 12], 4, 1);
    expect(Array.from(e.a)).toEqual([0, 2, 1]);
    expect(Array.from(e.b)).toEqual([2, 1, 3]);
    expect(Array.from(e.heights)).toEqual([1, 9, 2]);
  });
});

describe('nnChain', () => {
  it('finds the same merges on the Ward space as on a matrix of Ward distances for singletons', () => {
    // Four points on a line: 0, 1, 4, 9. Ward's first merge is the closest pair.
    const ward = nnChain(4, new WardSpace([0, 1, 4, 9], 4, 1));
    expect([ward.a[0], ward.b[0], ward.heights[0]]).toEqual([0, 1, 1]);
    // {0,1} (centroid 0.5) to 4: sqrt(2·2·1/3)·3.5 ≈ 4.04, under 4 to 9 (5): {0,1,4} is next.
    expect(ward.heights[1]).toBeCloseTo(Math.sqrt(4 / 3) * 3.5, 12);
    const d = new Float32Array(6);
    const x = [0, 1, 4, 9];
    for (let i = 0; i < 4; i++) for (let j = i + 1; j < 4; j++) d[condensedIndex(4, i, j)] = Math.abs(x[i] - x[j]);
    const complete = nnChain(4, new MatrixSpace(d, 4, 'complete'));
    // complete: (0,1)@1, then {0,1} to 4 is 4 and 4 to 9 is 5: {0,1,4}@4, then all @9.
    expect(Array.from(complete.heights).sort((p, q) => p - q)).toEqual([1, 4, 9]);
  });
});
