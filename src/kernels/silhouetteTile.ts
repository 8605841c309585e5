// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { oneHotF32 } from './oneHot.js';
import { pairwiseSqDist } from './pairwiseSqDist.js';
import { defineKernel } from './registry.js';
import { ranges, tileRows } from './tiling.js';

export interface SilhouetteTileOptions {
  /** Columns (rows of `x`) per streamed tile; default sized from the device's memory budget. */
  colTile?: number;
}

/**
 * For a block of rows `block` [b, d], the summed Euclidean distance to the members of every
 * cluster: out[i, c] = Σ_{j : labels[j] = c} ‖block_i − x_j‖. Streams over column tiles of `x`
 * [n, d] (labels [n] int32 in 0..k-1), so it holds a b×colTile block of distances at a time and
 * never n×n. Returns [b, k] float32. O(b·n·d) work.
 */
export const silhouetteTile = defineKernel(
  'silhouetteTile',
  (block: tf.Tensor2D, x: tf.Tensor2D, labels: tf.Tensor1D, k: number, options: SilhouetteTileOptions = {}): tf.Tensor2D =>
    tf.tidy(() => {
      const [n, d] = x.shape;
      const b = block.shape[0];
      const cols = options.colTile ?? tileRows(3 * b + k, n);
      let acc: tf.Tensor2D | null = null;
      for (const [s, e] of ranges(n, cols)) {
        const whole = s === 0 && e === n;
        const xt = whole ? x : tf.slice(x, [s, 0], [e - s, d]);
        const lt = whole ? labels : tf.slice(labels, [s], [e - s]);
        const dist = tf.sqrt(pairwiseSqDist(block, xt)); // [b, t]
        const part = tf.matMul(dist, oneHotF32(lt, k)) as tf.Tensor2D; // [b, k]
        acc = acc === null ? part : (tf.add(acc, part) as tf.Tensor2D);
      }
      return acc ?? tf.zeros([b, k]);
    }),
);
