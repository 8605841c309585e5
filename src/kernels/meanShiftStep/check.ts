// SPDX-License-Identifier: MIT
/** The input checks of meanShiftStep, run once per call whatever backend runs it (index.ts). */
import type * as tf from '@tensorflow/tfjs-core';
import { ParameterError } from '../../errors.js';
import type { MeanShiftKernel, WeightedBlock } from './portable.js';

/** Checks the bandwidth, the kernel, the dtypes, and that every block has the seeds' width and one weight per row. */
export function checkStepInputs(seeds: tf.Tensor2D, blocks: readonly WeightedBlock[], bandwidth: number, kernel: MeanShiftKernel): void {
  const FN = 'meanShiftStep';
  const d = seeds.shape[1];
  if (seeds.dtype !== 'float32') throw new ParameterError(FN, 'seeds', `seeds must be float32, got ${seeds.dtype}`);
  if (!(bandwidth > 0) || !Number.isFinite(bandwidth)) throw new ParameterError(FN, 'bandwidth', `bandwidth=${bandwidth} must be a finite number > 0`);
  if (kernel !== 'flat' && kernel !== 'gaussian') throw new ParameterError(FN, 'kernel', `kernel='${String(kernel)}' must be 'flat' or 'gaussian'`);
  for (const b of blocks) {
    if (b.x.shape[1] !== d) throw new ParameterError(FN, 'blocks', `a data block has ${b.x.shape[1]} columns, seeds have ${d}`);
    if (b.x.dtype !== 'float32') throw new ParameterError(FN, 'blocks', `data blocks must be float32, got ${b.x.dtype}`);
    if (b.weights) {
      if (b.weights.shape[0] !== b.x.shape[0]) throw new ParameterError(FN, 'weights', `a block has ${b.weights.shape[0]} weights for ${b.x.shape[0]} rows`);
      if (b.weights.dtype !== 'float32') throw new ParameterError(FN, 'weights', `weights must be float32, got ${b.weights.dtype}`);
    }
  }
}
