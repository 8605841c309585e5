// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { assignNearest, type TileOptions } from './assignNearest.js';
import { clusterSums } from './clusterSums.js';
import { defineKernel } from './registry.js';

/** One Lloyd iteration's device work: the E-step and the sums the M-step needs. */
export interface LloydStepResult {
  /** [n] int32 nearest center. */
  labels: tf.Tensor1D;
  /** [n] float32 squared distance to it. */
  distances: tf.Tensor1D;
  /** [runs, k] summed weights per cluster. */
  counts: tf.Tensor2D;
  /** [runs, k, d] weighted sums per cluster. */
  sums: tf.Tensor3D;
}

export interface LloydStepOptions extends TileOptions {
  runRows?: number;
}

/**
 * Assigns the rows of `x` [n, d] to the nearest of `centers` [k, d] and sums the rows (times
 * `weights` [n], when given) per new label. The portable form composes assignNearest and
 * clusterSums; fast backends fuse them into one pass that writes nothing n×k.
 */
export const lloydStep = defineKernel(
  'lloydStep',
  (x: tf.Tensor2D, centers: tf.Tensor2D, weights: tf.Tensor1D | null, options: LloydStepOptions = {}): LloydStepResult => {
    const k = centers.shape[0];
    const { labels, distances } = assignNearest(x, centers, options);
    const { counts, sums } = clusterSums(x, labels, k, { weights, runRows: options.runRows });
    return { labels, distances, counts, sums };
  },
);
