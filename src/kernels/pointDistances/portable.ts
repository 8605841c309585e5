// SPDX-License-Identifier: MIT
import type * as tf from '@tensorflow/tfjs-core';
import { pairwiseSqDist } from '../pairwiseSqDist/index.js';

/**
 * Squared Euclidean distances [t, p] float32 from the rows of a block `x` [t, d] to a few
 * `points` [p, d] (k-means++ candidates, swap candidates): the seeding's hot loop. The portable
 * form is `pairwiseSqDist` (‖x‖² − 2x·c + ‖c‖², values within its NOISE of 0 set to 0); fast
 * backends may compute direct differences Σ(x − c)², which are more accurate (relative error
 * (d + 4)·2^-24) and exactly 0 between equal rows, so within the portable form's bounds.
 * O(t·p·d) work, O(t·p) memory.
 */
export const pointDistancesPortable = (x: tf.Tensor2D, points: tf.Tensor2D): tf.Tensor2D => pairwiseSqDist(x, points);
