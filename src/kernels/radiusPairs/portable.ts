// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { radiusOperands } from '../radiusCounts/portable.js';

/**
 * Bits per packed word. A word is a float32 sum of distinct powers of two below 2^24, which is
 * exact in any summation order, then cast to int32.
 */
export const PAIR_BITS = 24;

/**
 * Which pairs of a tile lie within `radius`, packed as bits: for rows `rows` [b, d] and columns
 * `cols` [t, d], returns [b, ⌈t / PAIR_BITS⌉] int32 where bit k of word w of row i is set iff
 * ‖rows_i − cols_{w·PAIR_BITS + k}‖ ≤ radius (scikit-learn's radius_neighbors includes the
 * radius; the squared distance is the float32 expansion, as in radiusCounts). The tile's b×t
 * mask never leaves the device; what is read back is 24 times smaller than a float mask. Decode
 * with `forEachPair`. O(b·t·d) work.
 */
export const radiusPairsPortable = (rows: tf.Tensor2D, cols: tf.Tensor2D, radius: number): tf.Tensor2D =>
  tf.tidy(() => {
    const b = rows.shape[0];
    const t = cols.shape[0];
    const words = Math.ceil(t / PAIR_BITS);
    const op = radiusOperands(rows, cols, radius, words * PAIR_BITS);
    const outside = tf.step(tf.matMul(op.rows, op.cols)); // [b, words·PAIR_BITS], padding outside
    const powers = tf.tensor2d(Array.from({ length: PAIR_BITS }, (_, k) => 2 ** k), [PAIR_BITS, 1]);
    const packedOutside = tf.matMul(tf.reshape(outside, [b * words, PAIR_BITS]), powers); // [b·words, 1]
    // Inside = the complement of outside within the word: a subtraction on the small packed tensor.
    return tf.cast(tf.reshape(tf.sub(2 ** PAIR_BITS - 1, packedOutside), [b, words]), 'int32') as tf.Tensor2D;
  });

/**
 * Calls `fn(i, j)` for every set bit of a packed tile from `radiusPairs` read back to the host:
 * row i in 0..b-1, column j in 0..t-1 (padding bits are never set). Rows in increasing order,
 * columns increasing within a row.
 */
export function forEachPair(packed: Int32Array, b: number, t: number, fn: (i: number, j: number) => void): void {
  const words = Math.ceil(t / PAIR_BITS);
  for (let i = 0; i < b; i++) {
    const base = i * words;
    for (let w = 0; w < words; w++) {
      let bits = packed[base + w];
      while (bits !== 0) {
        const k = 31 - Math.clz32(bits & -bits);
        fn(i, w * PAIR_BITS + k);
        bits &= bits - 1;
      }
    }
  }
}
