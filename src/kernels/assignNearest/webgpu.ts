// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { assignNearestPortable, type Assignment } from './portable.js';
import { lloydStepWebgpuSupport, runLloydProgram } from '../lloydStep/program.js';
import { noteFallback } from '../webgpu/run.js';
import { programCheckInputs, type ProgramCheck } from '../webgpu/selfCheck.js';

/**
 * `assignNearest` for the tfjs 'webgpu' backend: the assignment half of the fused Lloyd program
 * (LloydStepProgram without the sort and the sums): for each row of `x` [t, d] the nearest of
 * `centers` [k, d], the lowest index on an exact tie, and the direct squared distance Σ(x − c)².
 * Returns labels [t] int32 and distances [t] float32. Nothing t×k is written. O(t·k·d) work.
 * Shapes beyond the binding limit run the portable kernel, with the reason recorded.
 */
export function assignNearestWebgpu(x: tf.Tensor2D, centers: tf.Tensor2D): Assignment {
  const t = x.shape[0];
  const reason = lloydStepWebgpuSupport(t, x.shape[1], centers.shape[0], false);
  if (reason !== null) {
    noteFallback('assignNearest', reason);
    return assignNearestPortable(x, centers);
  }
  return tf.tidy(() => {
    const packed = runLloydProgram(x, centers, null, false);
    return {
      labels: tf.cast(tf.slice(packed, [0], [t]), 'int32') as tf.Tensor1D,
      distances: tf.slice(packed, [t], [t]),
    };
  }) as unknown as Assignment;
}

/** Known-answer check of the program (see ../webgpu/selfCheck.ts). */
export function assignNearestChecks(): ProgramCheck[] {
  const { x, centers } = programCheckInputs;
  const assign = (r: Assignment): tf.Tensor[] => [r.labels, r.distances];
  return [
    {
      name: 'assignNearest',
      wgsl: () => tf.tidy(() => assign(assignNearestWebgpu(x(), centers()))),
      portable: () => tf.tidy(() => assign(assignNearestPortable(x(), centers()))),
    },
  ];
}
