// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';

/** Nearest center of each row. */
export interface Assignment {
  /** [n] int32: index of the nearest center; the lowest index wins a tie. */
  labels: tf.Tensor1D;
  /** [n] float32: squared distance to that center. */
  distances: tf.Tensor1D;
}

/**
 * Assigns each row of a block `x` [t, d] to its nearest row of `centers` [k, d]. Holds a t×k block
 * of distances (callers size blocks with `uploadRows`; never n×k×d). The argmin uses ‖c‖² − 2x·c
 * (the ‖x‖² term does not change it, as in scikit-learn); ‖x‖² is added back for the returned
 * distance. O(t·k·d) work.
 */
export const assignNearestPortable = (x: tf.Tensor2D, centers: tf.Tensor2D): Assignment =>
  tf.tidy(() => {
    const k = centers.shape[0];
    const cc = tf.reshape(tf.sum(tf.square(centers), 1), [1, k]);
    const partial = tf.sub(cc, tf.mul(tf.matMul(x, centers, false, true), 2)); // [t, k]
    const xx = tf.sum(tf.square(x), 1);
    return {
      labels: tf.argMin(partial, 1) as tf.Tensor1D,
      distances: tf.relu(tf.add(xx, tf.min(partial, 1))) as tf.Tensor1D,
    };
  }) as unknown as Assignment;
