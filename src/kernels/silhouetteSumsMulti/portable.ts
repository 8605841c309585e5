// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { pairwiseSqDist } from '../pairwiseSqDist/index.js';
import { oneHotF32 } from '../shared/oneHot.js';

/** A block of rows and their clusters in each of S labelings. */
export interface MultiLabeledBlock {
  /** [t, d] float32. */
  x: tf.Tensor2D;
  /** [t, S] int32: column s holds the rows' clusters in labeling s, in 0..ks[s]−1. */
  labels: tf.Tensor2D;
}

/**
 * The per-cluster distance sums of every row under S labelings of the same rows at once (the
 * silhouettes of several clusterings, e.g. one per k, from one pass over the pairs): for all rows
 * of the blocks `blocks` (in block order, n in all), with K = Σ ks and o_s = Σ_{t<s} ks[t],
 * out[i, o_s + c] = Σ_{j : labels_s[j] = c} ‖x_i − x_j‖. Returns [n, K] float32 (O(n·K) memory,
 * never n×n). O(n²·(d + K)) work; each distance is computed once for all S labelings, where
 * silhouetteSums once per labeling would compute it S times.
 *
 * The portable form: for each block of rows against each block of columns, the distances
 * (pairwiseSqDist, its NOISE clamp, √) times the columns' one-hot rows of every labeling side by
 * side ([t, K]): one matMul gives all S labelings' sums. It holds one block×block tile at a time
 * (size the blocks for that) and computes each pair twice (i against j and j against i); the wasm
 * implementation (wasm.ts) computes each pair once. Labels outside 0..ks[s]−1 add nothing here;
 * the wasm implementation rejects them. In the example, the two columns of `labels` are the
 * labelings [0, 1, 1] and [0, 0, 1] of three rows.
 *
 * @example
 * const x = tf.tensor2d([0, 0, 3, 4, 6, 8], [3, 2]);
 * const labels = tf.tensor2d([0, 0, 1, 0, 1, 1], [3, 2], 'int32');
 * const sums = silhouetteSumsMultiPortable([{ x, labels }], [2, 2]);
 * await sums.array(); // [[0, 15, 5, 10], [5, 5, 5, 5], [10, 5, 15, 0]]
 * tf.dispose([x, labels, sums]);
 */
export const silhouetteSumsMultiPortable = (blocks: readonly MultiLabeledBlock[], ks: readonly number[]): tf.Tensor2D => {
  const width = ks.reduce((a, b) => a + b, 0);
  if (blocks.length === 0) return tf.zeros([0, width]);
  const hot: tf.Tensor2D[] = [];
  const parts: tf.Tensor2D[] = [];
  try {
    for (const b of blocks) {
      hot.push(
        tf.tidy(() => {
          const columns = tf.unstack(b.labels, 1) as tf.Tensor1D[];
          return tf.concat(ks.map((k, s) => oneHotF32(columns[s], k)), 1) as tf.Tensor2D;
        }),
      );
    }
    for (const rows of blocks) {
      let acc: tf.Tensor2D = tf.zeros([rows.x.shape[0], width]);
      parts.push(acc);
      blocks.forEach((col, j) => {
        // One tidy per column block: its b×t distances go before the next block's are made.
        const next = tf.tidy(() => tf.add(acc, tf.matMul(tf.sqrt(pairwiseSqDist(rows.x, col.x)), hot[j])) as tf.Tensor2D);
        acc.dispose();
        acc = next;
        parts[parts.length - 1] = acc;
      });
    }
    return tf.concat(parts, 0);
  } finally {
    tf.dispose(hot);
    tf.dispose(parts);
  }
};
