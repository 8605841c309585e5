// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { pairwiseSqDist } from '../pairwiseSqDist/index.js';
import type { RowBlock } from '../shared/tiling.js';

/** The k nearest columns of each row of a block, nearest first. */
export interface Knn {
  /** [b, k] int32: global row indices of the neighbours (block start + position in the block). */
  indices: tf.Tensor2D;
  /** [b, k] float32: their squared distances, ascending along each row. */
  sqDistances: tf.Tensor2D;
}

/**
 * The `k` nearest neighbours of each row of `rows` [b, d] among all the rows of the column
 * blocks `columns` (together [n, d], in order; a block's rows are numbered from its `start`). A
 * row that is among the columns is its own neighbour at distance 0, as scikit-learn's
 * `kneighbors_graph(X, include_self=True)` counts it. Squared distances are pairwiseSqDist's
 * float32 expansion (exactly 0 between duplicates).
 *
 * The column blocks are visited in order, keeping a running top-k: each block's [b, t] distance
 * tile is reduced to its own top-min(k, t), concatenated after the best so far and cut back to k.
 * Only one tile is alive at a time, so memory is O(b·(t + k)), never b×n. Ties (and
 * duplicates) go to the lower index, as the topk of the cpu, wasm and webgpu backends keeps the
 * earlier of equal values (tested on each). Needs 1 ≤ k ≤ n. O(b·n·d) work plus the top-k
 * selections.
 * @example
 * const m = toMatrix([[0, 0], [1, 0], [5, 5], [6, 5], [0, 1]]);
 * const blocks = uploadRows(m, 2, 2);
 * blocks.length; // 3: blocks of two rows
 * const { indices, sqDistances } = knn(blocks[0].x, blocks, 3);
 * indices.shape; // [2, 3]: rows 0 and 1, three neighbours each
 * await sqDistances.array(); // [[0, 1, 1], [0, 1, 2]]
 * tf.dispose([indices, sqDistances]);
 * disposeBlocks(blocks);
 */
export const knnPortable = (rows: tf.Tensor2D, columns: readonly RowBlock[], k: number): Knn => {
  const b = rows.shape[0];
  // [negated squared distances, global indices], both [b, ≤k]: the best so far.
  let best: [tf.Tensor2D, tf.Tensor2D] | null = null;
  for (const col of columns) {
    const t = col.x.shape[0];
    const prev: [tf.Tensor2D, tf.Tensor2D] | null = best;
    const next = tf.tidy((): [tf.Tensor2D, tf.Tensor2D] => {
      const negDist = tf.neg(pairwiseSqDist(rows, col.x)); // [b, t]
      const top = tf.topk(negDist, Math.min(k, t), true);
      const globalIdx = tf.add(top.indices, tf.scalar(col.start, 'int32')) as tf.Tensor2D;
      if (prev === null) return [top.values as tf.Tensor2D, globalIdx];
      // Earlier blocks (lower indices) first, so that a stable topk keeps them on ties.
      const vals = tf.concat([prev[0], top.values as tf.Tensor2D], 1); // [b, w]
      const idx = tf.concat([prev[1], globalIdx], 1);
      const width = vals.shape[1];
      const keep = Math.min(k, width);
      const merged = tf.topk(vals, keep, true);
      // Gather each row's chosen positions from the flattened index matrix.
      const rowBase = tf.reshape(tf.mul(tf.range(0, b, 1, 'int32'), tf.scalar(width, 'int32')), [b, 1]);
      const flatPos = tf.reshape(tf.add(merged.indices, rowBase), [-1]);
      const chosen = tf.reshape(tf.gather(tf.reshape(idx, [-1]), flatPos), [b, keep]) as tf.Tensor2D;
      return [merged.values as tf.Tensor2D, chosen];
    });
    if (prev !== null) tf.dispose(prev);
    best = next;
  }
  if (best === null) return { indices: tf.zeros([b, 0], 'int32'), sqDistances: tf.zeros([b, 0]) };
  const [negSq, indices] = best;
  // relu turns the -0 of a zero distance back into 0.
  const sqDistances = tf.tidy(() => tf.relu(tf.neg(negSq)) as tf.Tensor2D);
  negSq.dispose();
  return { indices, sqDistances };
};
