// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { defineKernel } from './registry.js';
import { ranges, tileRows } from './tiling.js';

/** Nearest center of each row. */
export interface Assignment {
  /** [n] int32: index of the nearest center; the lowest index wins a tie. */
  labels: tf.Tensor1D;
  /** [n] float32: squared distance to that center. */
  distances: tf.Tensor1D;
}

export interface TileOptions {
  /** Rows per tile; default sized from the device's memory budget. */
  tileRows?: number;
}

/**
 * Assigns each row of `x` [n, d] to its nearest row of `centers` [k, d]. Works in row tiles so
 * that only a tile×k block of distances exists at a time (never n×k×d, and n×k only as tiles).
 * The argmin uses ‖c‖² − 2x·c (the ‖x‖² term does not change it, as in scikit-learn); ‖x‖² is
 * added back for the returned distance. O(n·k·d) work.
 */
export const assignNearest = defineKernel(
  'assignNearest',
  (x: tf.Tensor2D, centers: tf.Tensor2D, options: TileOptions = {}): Assignment => {
    const [n, d] = x.shape;
    const k = centers.shape[0];
    const rows = options.tileRows ?? tileRows(3 * k + d, n);
    return tf.tidy(() => {
      const cc = tf.reshape(tf.sum(tf.square(centers), 1), [1, k]);
      const labels: tf.Tensor1D[] = [];
      const distances: tf.Tensor1D[] = [];
      for (const [s, e] of ranges(n, rows)) {
        const xt = rows >= n ? x : tf.slice(x, [s, 0], [e - s, d]);
        const partial = tf.sub(cc, tf.mul(tf.matMul(xt, centers, false, true), 2)); // [t, k]
        labels.push(tf.argMin(partial, 1) as tf.Tensor1D);
        const xx = tf.sum(tf.square(xt), 1);
        distances.push(tf.relu(tf.add(xx, tf.min(partial, 1))) as tf.Tensor1D);
      }
      return {
        labels: labels.length === 1 ? labels[0] : (tf.concat(labels) as tf.Tensor1D),
        distances: distances.length === 1 ? distances[0] : (tf.concat(distances) as tf.Tensor1D),
      };
    });
  },
);
