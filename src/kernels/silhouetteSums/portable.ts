// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { silhouetteTile, type LabeledBlock } from '../silhouetteTile/index.js';

/**
 * The per-cluster distance sums of every row, for the exact silhouette: for all rows of the
 * blocks `blocks` (in block order, n in all) with labels in 0..k−1,
 * out[i, c] = Σ_{j : labels[j] = c} ‖x_i − x_j‖. Returns [n, k] float32 (O(n·k) memory, never
 * n×n). O(n²·d) work.
 *
 * The portable form runs `silhouetteTile` with each block as the rows against all blocks, so
 * it computes each pair's distance twice and holds one block×block tile at a time (size the
 * blocks for that). Faster implementations use the symmetry d(i, j) = d(j, i) and compute each
 * distance once (see src/kernels/wasm/silhouetteSums.ts). Labels outside 0..k−1 add nothing here;
 * the wasm implementation rejects them.
 *
 * @example
 * const x = tf.tensor2d([0, 0, 3, 4, 6, 8], [3, 2]);
 * const labels = tf.tensor1d([0, 1, 1], 'int32');
 * const sums = silhouetteSums([{ x, labels }], 2);
 * await sums.array(); // [[0, 15], [5, 5], [10, 5]]: row i's distances summed per segment
 * tf.dispose([x, labels, sums]);
 */
export const silhouetteSumsPortable = (blocks: readonly LabeledBlock[], k: number): tf.Tensor2D => {
  if (blocks.length === 0) return tf.zeros([0, k]);
  const parts: tf.Tensor2D[] = [];
  try {
    for (const block of blocks) parts.push(silhouetteTile(block.x, blocks, k));
    return tf.concat(parts, 0);
  } finally {
    tf.dispose(parts);
  }
};
