// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';

/**
 * Projects a block of rows `x` [t, d] on `w` [d, c]: x·w [t, c] (PCA scores when x is centered
 * and w holds the components as columns; reconstruction when x holds scores and w the
 * components as rows). Each output entry is one d-term dot product, so float32 loses no more
 * than d·u of Σ|x·w|. O(t·d·c) work.
 */
export const projectPortable = (x: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor2D =>
  tf.tidy(() => tf.matMul(x, w));
