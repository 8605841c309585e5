// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { lloydStepWasm } from '../lloydStep/wasm.js';
import type { Assignment } from './portable.js';

/**
 * `assignNearest` for the 'wasm' backend: the labels and distances of lloydStep's fused pass
 * (lloydStep.as.ts); its float64 sums cost little more than the assignment itself.
 */
export function assignNearestWasm(x: tf.Tensor2D, centers: tf.Tensor2D): Assignment {
  const step = lloydStepWasm(x, centers, null);
  tf.dispose([step.counts, step.sums]);
  return { labels: step.labels, distances: step.distances };
}
