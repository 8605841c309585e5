// SPDX-License-Identifier: MIT
/**
 * The merge tree of agglomerative clustering, in scikit-learn's `children_` form, and what is
 * done with it after the fit: numbering the merges as scipy does, cutting the tree into flat
 * clusters with scikit-learn's label order, and the scipy linkage matrix for dendrograms.
 *
 * References: scipy `cluster/_hierarchy.pyx` (`label`, the stable sort by height after
 * `nn_chain`); scikit-learn 1.2 `cluster/_agglomerative.py` (`_hc_cut`) and
 * `cluster/_hierarchical_fast.pyx` (`single_linkage_label`).
 */
import type { Matrix } from '../matrix.js';

/**
 * A binary merge tree over n leaves (scikit-learn's numbering): leaves are 0..n-1, merge i joins
 * `children[2i]` and `children[2i + 1]` at height `distances[i]` and creates node n + i, which
 * holds `counts[i]` leaves. Merges are in non-decreasing order of height (up to ties, kept in
 * the order the algorithm found them).
 */
export interface MergeTree {
  /** Number of leaves (rows clustered). */
  readonly n: number;
  /** [n - 1, 2] row-major: the two nodes each merge joins. */
  readonly children: Int32Array;
  /** [n - 1] merge heights (the linkage distance between the two clusters joined). */
  readonly distances: Float64Array;
  /** [n - 1] leaves under each merge's node. */
  readonly counts: Int32Array;
}

/** Merges as an algorithm finds them: pairs of slots (or leaves) and heights, in any order. */
export interface RawMerges {
  a: Int32Array;
  b: Int32Array;
  heights: Float64Array;
}

/**
 * How the two children of a merge are ordered: 'ascending' (the smaller node id first: scipy's
 * `label`, used after nn-chain) or 'as-found' (the first endpoint's cluster first: scikit-learn's
 * `single_linkage_label`).
 */
export type ChildOrder = 'ascending' | 'as-found';

/**
 * Turns merges found in any order into a MergeTree: sorts them by height (stable, as scipy's
 * mergesort, so tied merges keep the order they were found in), then replays them through a
 * union-find so that each side is named by the node that holds it at that moment. `a[i]` and
 * `b[i]` may be any leaves of the two clusters joined (nn-chain passes its slot numbers: a live
 * slot always holds the leaf of the same number). O(n log n).
 */
export function buildTree(n: number, merges: RawMerges, order: ChildOrder): MergeTree {
  const m = n - 1;
  const { a, b, heights } = merges;
  const idx = Array.from({ length: m }, (_, i) => i);
  idx.sort((p, q) => heights[p] - heights[q] || p - q);
  const parent = new Int32Array(Math.max(1, 2 * n - 1)).fill(-1);
  const size = new Int32Array(Math.max(1, 2 * n - 1));
  size.fill(1, 0, n);
  const find = (leaf: number): number => {
    let root = leaf;
    while (parent[root] !== -1) root = parent[root];
    while (leaf !== root) {
      const next = parent[leaf];
      parent[leaf] = root;
      leaf = next;
    }
    return root;
  };
  const children = new Int32Array(2 * m);
  const distances = new Float64Array(m);
  const counts = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    const k = idx[i];
    let x = find(a[k]);
    let y = find(b[k]);
    if (order === 'ascending' && x > y) [x, y] = [y, x];
    const node = n + i;
    parent[x] = node;
    parent[y] = node;
    size[node] = size[x] + size[y];
    children[2 * i] = x;
    children[2 * i + 1] = y;
    distances[i] = heights[k];
    counts[i] = size[node];
  }
  return { n, children, distances, counts };
}

/**
 * Flat clusters from the tree, numbered exactly as scikit-learn 1.2's `_hc_cut` numbers them:
 * starting from the root, the node with the largest id is replaced by its two children until
 * there are k nodes, kept in a binary heap as Python's heapq keeps it; cluster c is the leaves
 * under the node at position c of that heap. O(n + k log k).
 */
export function cutLabels(tree: MergeTree, k: number): Int32Array {
  const { n, children } = tree;
  const labels = new Int32Array(n);
  if (n === 1) return labels;
  // Negated node ids in heapq's min-heap, so heap[0] is the largest id. The root is 2n - 2
  // (scikit-learn writes max(children[-1]) + 1: the last merge always joins node 2n - 3).
  const heap: number[] = [-(2 * n - 2)];
  for (let step = 1; step < k; step++) {
    const node = -heap[0] - n;
    heapPush(heap, -children[2 * node]);
    heapPushPop(heap, -children[2 * node + 1]);
  }
  const stack: number[] = [];
  for (let c = 0; c < heap.length; c++) {
    stack.push(-heap[c]);
    while (stack.length > 0) {
      const node = stack.pop() as number;
      if (node < n) labels[node] = c;
      else stack.push(children[2 * (node - n)], children[2 * (node - n) + 1]);
    }
  }
  return labels;
}

/**
 * Number of clusters that a cut at `threshold` leaves, as scikit-learn counts it: one plus the
 * merges whose height is at least the threshold (so a merge exactly at the threshold is undone).
 */
export function clustersAtDistance(tree: MergeTree, threshold: number): number {
  let count = 1;
  for (let i = 0; i < tree.distances.length; i++) if (tree.distances[i] >= threshold) count++;
  return count;
}

/**
 * The tree as scipy's linkage matrix Z [n - 1, 4]: children, height, leaf count per merge (the
 * input of `scipy.cluster.hierarchy.dendrogram` and of d3 or plotting code written for it).
 */
export function linkageMatrix(tree: MergeTree): Matrix {
  const m = tree.n - 1;
  const data = new Float64Array(4 * m);
  for (let i = 0; i < m; i++) {
    data[4 * i] = tree.children[2 * i];
    data[4 * i + 1] = tree.children[2 * i + 1];
    data[4 * i + 2] = tree.distances[i];
    data[4 * i + 3] = tree.counts[i];
  }
  return { data, rows: m, cols: 4 };
}

// Python's heapq on a plain array (same sift order, so the same layout as scikit-learn's heap).

function siftDown(heap: number[], start: number, pos: number): void {
  const item = heap[pos];
  while (pos > start) {
    const parentPos = (pos - 1) >> 1;
    const parent = heap[parentPos];
    if (item < parent) {
      heap[pos] = parent;
      pos = parentPos;
      continue;
    }
    break;
  }
  heap[pos] = item;
}

function siftUp(heap: number[], pos: number): void {
  const end = heap.length;
  const start = pos;
  const item = heap[pos];
  let child = 2 * pos + 1;
  while (child < end) {
    const right = child + 1;
    if (right < end && !(heap[child] < heap[right])) child = right;
    heap[pos] = heap[child];
    pos = child;
    child = 2 * pos + 1;
  }
  heap[pos] = item;
  siftDown(heap, start, pos);
}

function heapPush(heap: number[], item: number): void {
  heap.push(item);
  siftDown(heap, 0, heap.length - 1);
}

function heapPushPop(heap: number[], item: number): number {
  if (heap.length > 0 && heap[0] < item) {
    const top = heap[0];
    heap[0] = item;
    siftUp(heap, 0);
    return top;
  }
  return item;
}
