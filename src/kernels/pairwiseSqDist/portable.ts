// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';

/** Relative size of float32 rounding in ‖x‖² + ‖c‖² − 2x·c: about (d + 2) units of 6e-8. */
export const NOISE = 1e-6;

/**
 * Squared Euclidean distances between the rows of `x` [m, d] and the rows of `c` [k, d], as
 * ‖x‖² − 2x·cᵀ + ‖c‖² through one matMul. Values within float32 rounding of zero (at most
 * NOISE·(‖x‖² + ‖c‖²), which covers the rounding of a d ≤ 16 sum; and every negative) are 0.
 * Returns [m, k] float32. O(m·k·d) work, O(m·k) memory: callers tile m.
 */
export const pairwiseSqDistPortable = (x: tf.Tensor2D, c: tf.Tensor2D): tf.Tensor2D =>
  tf.tidy(() => {
    const xx = tf.sum(tf.square(x), 1, true); // [m, 1]
    const cc = tf.reshape(tf.sum(tf.square(c), 1), [1, -1]); // [1, k]
    const xc = tf.matMul(x, c, false, true); // [m, k]
    const norms = tf.add(xx, cc);
    const d2 = tf.sub(norms, tf.mul(xc, 2));
    // Below NOISE·(‖x‖² + ‖c‖²) the result is float32 rounding, not distance: call it 0, so a
    // row's distance to itself or to its duplicate is exactly 0.
    return tf.where(tf.greater(d2, tf.mul(norms, NOISE)), d2, tf.zerosLike(d2)) as tf.Tensor2D;
  });
