// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { assignNearest, type Assignment } from '../assignNearest.js';
import { checkStepInputs, lloydStepWebgpuSupport, runLloydProgram } from './lloydStep.js';
import { noteFallback } from './run.js';

/**
 * `assignNearest` for the tfjs 'webgpu' backend: the assignment half of the fused Lloyd program
 * (LloydStepProgram without the sort and the sums): for each row of `x` [t, d] the nearest of
 * `centers` [k, d], the lowest index on an exact tie, and the direct squared distance Σ(x − c)².
 * Returns labels [t] int32 and distances [t] float32. Nothing t×k is written. O(t·k·d) work.
 * Shapes beyond the binding limit run the portable kernel, with the reason recorded.
 */
export function assignNearestWebgpu(x: tf.Tensor2D, centers: tf.Tensor2D): Assignment {
  checkStepInputs('assignNearest', x, centers, null);
  const t = x.shape[0];
  const reason = lloydStepWebgpuSupport(t, x.shape[1], centers.shape[0], false);
  if (reason !== null) {
    noteFallback('assignNearest', reason);
    return assignNearest.portable(x, centers);
  }
  return tf.tidy(() => {
    const packed = runLloydProgram(x, centers, null, false);
    return {
      labels: tf.cast(tf.slice(packed, [0], [t]), 'int32') as tf.Tensor1D,
      distances: tf.slice(packed, [t], [t]),
    };
  }) as unknown as Assignment;
}
