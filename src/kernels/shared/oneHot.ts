// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';

/**
 * One-hot float32 rows [n, k] of int32 labels [n]. Two tfjs 4.22 bugs shape this:
 * - on wasm, tf.oneHot(..., 'float32') fills the buffer with int32 bit patterns while calling it
 *   float32 (1 reads as 1.4e-45), so there we build int32 and cast;
 * - on webgpu, a reduction over such a cast sometimes compiles a shader that writes i32 into an
 *   f32 output ("type mismatch ... setOutputAtIndex") and returns zeros, so elsewhere we ask
 *   tf.oneHot for float32 directly.
 * tf.oneHot refuses k = 1, where every row is [1].
 */
export function oneHotF32(labels: tf.Tensor1D, k: number): tf.Tensor2D {
  if (k === 1) return tf.ones([labels.shape[0], 1], 'float32');
  if (tf.getBackend() === 'wasm') return tf.tidy(() => tf.cast(tf.oneHot(labels, k), 'float32') as tf.Tensor2D);
  return tf.oneHot(labels, k, 1, 0, 'float32') as tf.Tensor2D;
}
