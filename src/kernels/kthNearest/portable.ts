// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { pairwiseSqDist } from '../pairwiseSqDist/index.js';

/** The k-th nearest column of each row. */
export interface KthNearest {
  /** [b] int32: index of the k-th nearest column, counted over the column blocks in order. */
  indices: tf.Tensor1D;
  /** [b] float32: its squared distance. */
  sqDistances: tf.Tensor1D;
}

/**
 * For each row of `rows` [b, d], the k-th nearest (1-based; k = 1 is the nearest) of all the rows
 * of the column blocks `columns` (together [n, d]; a row that is among the columns is its own
 * nearest, at distance 0, as in scikit-learn's kneighbors on the training data). Holds a b×n
 * block of distances: callers size b from the memory budget, so nothing n×n is ever formed.
 * Needs 1 ≤ k ≤ n. O(b·n·d) work plus a top-k of each row.
 */
export const kthNearestPortable = (rows: tf.Tensor2D, columns: readonly tf.Tensor2D[], k: number): KthNearest =>
  tf.tidy(() => {
    const dist = tf.concat(columns.map((c) => pairwiseSqDist(rows, c)), 1); // [b, n]
    const { values, indices } = tf.topk(tf.neg(dist), k, true); // [b, k], nearest first
    const last = (t: tf.Tensor): tf.Tensor1D => tf.reshape(tf.slice(t, [0, k - 1], [-1, 1]), [-1]);
    return { indices: last(indices), sqDistances: tf.neg(last(values)) as tf.Tensor1D };
  }) as unknown as KthNearest;
