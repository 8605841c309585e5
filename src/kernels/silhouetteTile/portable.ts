// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { oneHotF32 } from '../shared/oneHot.js';
import { pairwiseSqDist } from '../pairwiseSqDist/index.js';

/** A block of reference rows and their labels. */
export interface LabeledBlock {
  /** [t, d] float32. */
  x: tf.Tensor2D;
  /** [t] int32 in 0..k-1. */
  labels: tf.Tensor1D;
}

/**
 * For a block of rows `rows` [b, d], the summed Euclidean distance to the members of every
 * cluster: out[i, c] = Σ_{j : labels[j] = c} ‖rows_i − x_j‖, streaming over the column blocks
 * `columns` (all rows, as uploaded once), so it holds a b×t block of distances at a time and
 * never n×n. Returns [b, k] float32. O(b·n·d) work.
 */
export const silhouetteTilePortable = (rows: tf.Tensor2D, columns: readonly LabeledBlock[], k: number): tf.Tensor2D => {
    let acc: tf.Tensor2D = tf.zeros([rows.shape[0], k]);
    try {
      for (const col of columns) {
        // One tidy per column block: a single tidy around the loop would keep every block's
        // b×t temporaries alive until the end (gigabytes at n = 200,000).
        const next = tf.tidy(() => tf.add(acc, tf.matMul(tf.sqrt(pairwiseSqDist(rows, col.x)), oneHotF32(col.labels, k))) as tf.Tensor2D);
        acc.dispose();
        acc = next;
      }
    } catch (err) {
      acc.dispose();
      throw err;
    }
    return acc;
  };
