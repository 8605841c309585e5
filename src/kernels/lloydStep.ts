// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { assignNearest } from './assignNearest.js';
import { clusterSums } from './clusterSums.js';
import { defineKernel } from './registry.js';

/** One Lloyd iteration's device work on a block: the E-step and the sums the M-step needs. */
export interface LloydStepResult {
  /** [t] int32 nearest center. */
  labels: tf.Tensor1D;
  /** [t] float32 squared distance to it. */
  distances: tf.Tensor1D;
  /** [runs, k] summed weights per cluster. */
  counts: tf.Tensor2D;
  /** [runs, k, d] weighted sums per cluster. */
  sums: tf.Tensor3D;
}

/**
 * Assigns the rows of a block `x` [t, d] to the nearest of `centers` [k, d] and sums the rows
 * (times `weights` [t], when given) per new label. The portable form composes assignNearest and
 * clusterSums; fast backends fuse them into one pass that writes nothing t×k.
 */
export const lloydStep = defineKernel(
  'lloydStep',
  (x: tf.Tensor2D, centers: tf.Tensor2D, weights: tf.Tensor1D | null): LloydStepResult => {
    const k = centers.shape[0];
    const { labels, distances } = assignNearest(x, centers);
    const { counts, sums } = clusterSums(x, labels, k, { weights });
    return { labels, distances, counts, sums };
  },
);
