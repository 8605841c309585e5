// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { oneHotF32 } from './oneHot.js';
import { pairwiseSqDist } from './pairwiseSqDist.js';
import { defineKernel } from './registry.js';

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
export const silhouetteTile = defineKernel(
  'silhouetteTile',
  (rows: tf.Tensor2D, columns: readonly LabeledBlock[], k: number): tf.Tensor2D =>
    tf.tidy(() => {
      let acc: tf.Tensor2D = tf.zeros([rows.shape[0], k]);
      for (const col of columns) {
        const dist = tf.sqrt(pairwiseSqDist(rows, col.x)); // [b, t]
        acc = tf.add(acc, tf.matMul(dist, oneHotF32(col.labels, k)));
      }
      return acc;
    }),
);
