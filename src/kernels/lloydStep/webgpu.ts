// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { noteFallback } from '../webgpu/run.js';
import { programCheckInputs, type ProgramCheck } from '../webgpu/selfCheck.js';
import { lloydStepPortable } from './portable.js';
import { ROWS, lloydStepWebgpuSupport, runLloydProgram } from './program.js';
import type { LloydStepResult } from './types.js';

export { lloydStepWebgpuSupport } from './program.js';

/**
 * `lloydStep` for the tfjs 'webgpu' backend, as one WGSL program (see LloydStepProgram): for the
 * rows of `x` [t, d] the nearest of the `centers` [k, d] (lowest index on a tie) and its squared
 * distance, and per run of 256 rows the summed weights (`weights` [t], or 1) and weighted rows
 * of each cluster, in one pass over the data with workgroup-local reductions. Returns labels
 * [t] int32, distances [t], counts [runs, k] and sums [runs, k, d] with runs = ⌈t/256⌉ (the
 * caller adds the runs in float64, `addRuns`), like the portable kernel. O(t·k·d) work.
 *
 * Shapes whose buffers exceed the device's binding limit (see lloydStepWebgpuSupport) run the
 * portable kernel instead, and the reason is recorded (`webgpuFallbacks`).
 */
export function lloydStepWebgpu(x: tf.Tensor2D, centers: tf.Tensor2D, weights: tf.Tensor1D | null): LloydStepResult {
  const [t, d] = x.shape;
  const k = centers.shape[0];
  const reason = lloydStepWebgpuSupport(t, d, k, true);
  if (reason !== null) {
    noteFallback('lloydStep', reason);
    return lloydStepPortable(x, centers, weights);
  }
  const runs = Math.ceil(t / ROWS);
  return tf.tidy(() => {
    const packed = runLloydProgram(x, centers, weights, true);
    return {
      labels: tf.cast(tf.slice(packed, [0], [t]), 'int32') as tf.Tensor1D,
      distances: tf.slice(packed, [t], [t]),
      counts: tf.reshape(tf.slice(packed, [2 * t], [runs * k]), [runs, k]) as tf.Tensor2D,
      sums: tf.reshape(tf.slice(packed, [2 * t + runs * k], [runs * k * d]), [runs, k, d]) as tf.Tensor3D,
    };
  }) as unknown as LloydStepResult;
}

/** Known-answer checks of the program, without and with weights (see ../webgpu/selfCheck.ts). */
export function lloydStepChecks(): ProgramCheck[] {
  const { x, centers, weights } = programCheckInputs;
  const lloyd = (r: LloydStepResult): tf.Tensor[] => [r.labels, r.distances, r.counts, r.sums];
  return [null, 'weights'].map((w) => ({
    name: `lloydStep (${w ?? 'unit weights'})`,
    wgsl: () => tf.tidy(() => lloyd(lloydStepWebgpu(x(), centers(), w ? weights() : null))),
    portable: () => tf.tidy(() => lloyd(lloydStepPortable(x(), centers(), w ? weights() : null))),
  }));
}
