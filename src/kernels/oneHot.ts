// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';

/**
 * One-hot float32 rows [n, k] of int32 labels [n]. tf.oneHot(..., 'float32') on the wasm backend
 * (tfjs 4.22) fills the buffer with int32 bit patterns while calling it float32 (1 reads as
 * 1.4e-45), so build int32 and cast, which every backend gets right. tf.oneHot refuses k = 1,
 * where every row is [1].
 */
export function oneHotF32(labels: tf.Tensor1D, k: number): tf.Tensor2D {
  if (k === 1) return tf.ones([labels.shape[0], 1], 'float32');
  return tf.tidy(() => tf.cast(tf.oneHot(labels, k), 'float32') as tf.Tensor2D);
}
