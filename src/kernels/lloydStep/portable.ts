// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { assignNearest } from '../assignNearest/index.js';
import { clusterSums } from '../clusterSums/index.js';
import type { LloydStepResult } from './types.js';

export type { LloydStepResult } from './types.js';

/**
 * Assigns the rows of a block `x` [t, d] to the nearest of `centers` [k, d] and sums the rows
 * (times `weights` [t], when given) per new label. The portable form composes assignNearest and
 * clusterSums; fast backends fuse them into one pass that writes nothing t×k.
 */
export const lloydStepPortable = (x: tf.Tensor2D, centers: tf.Tensor2D, weights: tf.Tensor1D | null): LloydStepResult => {
    const k = centers.shape[0];
    const { labels, distances } = assignNearest(x, centers);
    const { counts, sums } = clusterSums(x, labels, k, { weights });
    return { labels, distances, counts, sums };
  };
