// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { defineKernel } from './registry.js';

/**
 * Squared Euclidean distances between the rows of `x` [m, d] and the rows of `c` [k, d], as
 * ‖x‖² − 2x·cᵀ + ‖c‖² through one matMul, clamped at 0 (rounding can make it slightly negative).
 * Returns [m, k] float32. O(m·k·d) work, O(m·k) memory: callers tile m.
 */
export const pairwiseSqDist = defineKernel('pairwiseSqDist', (x: tf.Tensor2D, c: tf.Tensor2D): tf.Tensor2D =>
  tf.tidy(() => {
    const xx = tf.sum(tf.square(x), 1, true); // [m, 1]
    const cc = tf.reshape(tf.sum(tf.square(c), 1), [1, -1]); // [1, k]
    const xc = tf.matMul(x, c, false, true); // [m, k]
    return tf.relu(tf.add(tf.sub(xx, tf.mul(xc, 2)), cc)) as tf.Tensor2D;
  }),
);
