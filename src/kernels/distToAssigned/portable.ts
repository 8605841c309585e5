// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';

/**
 * Squared Euclidean distance of each row of `x` [n, d] to its own center, `centers[labels[i]]`
 * ([k, d], labels [n] int32). Returns [n] float32. O(n·d) work and memory.
 */
export const distToAssignedPortable = (x: tf.Tensor2D, centers: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D =>
    tf.tidy(() => tf.sum(tf.square(tf.sub(x, tf.gather(centers, labels))), 1) as tf.Tensor1D);
