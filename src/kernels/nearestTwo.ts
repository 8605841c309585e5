// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import type { TileOptions } from './assignNearest.js';
import { pairwiseSqDist } from './pairwiseSqDist.js';
import { defineKernel } from './registry.js';
import { ranges, tileRows } from './tiling.js';

/** The nearest and second-nearest center of each row. */
export interface NearestTwo {
  /** [n, 2] int32: indices of the nearest and the second-nearest center. */
  indices: tf.Tensor2D;
  /** [n, 2] float32: their squared distances. */
  distances: tf.Tensor2D;
}

/**
 * For each row of `x` [n, d], the two nearest rows of `centers` [k, d] (k ≥ 2), in row tiles.
 * What removing a center would cost is the sum of the gaps between the two. O(n·k·d) work.
 */
export const nearestTwo = defineKernel(
  'nearestTwo',
  (x: tf.Tensor2D, centers: tf.Tensor2D, options: TileOptions = {}): NearestTwo =>
    tf.tidy(() => {
      const [n, d] = x.shape;
      const k = centers.shape[0];
      const rows = options.tileRows ?? tileRows(3 * k + d, n);
      const indices: tf.Tensor[] = [];
      const distances: tf.Tensor[] = [];
      for (const [s, e] of ranges(n, rows)) {
        const xt = s === 0 && e === n ? x : tf.slice(x, [s, 0], [e - s, d]);
        const top = tf.topk(tf.neg(pairwiseSqDist(xt, centers)), 2);
        indices.push(top.indices);
        distances.push(tf.neg(top.values));
      }
      return {
        indices: (indices.length === 1 ? indices[0] : tf.concat(indices)) as tf.Tensor2D,
        distances: (distances.length === 1 ? distances[0] : tf.concat(distances)) as tf.Tensor2D,
      };
    }),
);
