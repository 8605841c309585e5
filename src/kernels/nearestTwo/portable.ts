// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { pairwiseSqDist } from '../pairwiseSqDist/index.js';

/** The nearest and second-nearest center of each row. */
export interface NearestTwo {
  /** [t, 2] int32: indices of the nearest and the second-nearest center. */
  indices: tf.Tensor2D;
  /** [t, 2] float32: their squared distances. */
  distances: tf.Tensor2D;
}

/**
 * For each row of a block `x` [t, d], the two nearest rows of `centers` [k, d] (k ≥ 2). What
 * removing a center would cost is the sum of the gaps between the two. O(t·k·d) work.
 */
export const nearestTwoPortable = (x: tf.Tensor2D, centers: tf.Tensor2D): NearestTwo =>
  tf.tidy(() => {
    const top = tf.topk(tf.neg(pairwiseSqDist(x, centers)), 2);
    return { indices: top.indices as tf.Tensor2D, distances: tf.neg(top.values) as tf.Tensor2D };
  }) as unknown as NearestTwo;
