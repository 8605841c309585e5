// SPDX-License-Identifier: MIT
/** The input checks of lloydStep, lloydSums and assignNearest, run once per call whatever backend runs it (the kernels' index.ts). */
import type * as tf from '@tensorflow/tfjs-core';
import { ParameterError } from '../../errors.js';

/** Checks the shapes and dtypes of a lloydStep / assignNearest call. */
export function checkStepInputs(fn: string, x: tf.Tensor2D, centers: tf.Tensor2D, weights: tf.Tensor1D | null | undefined): void {
  const [t, d] = x.shape;
  if (centers.shape[1] !== d) throw new ParameterError(fn, 'centers', `centers have ${centers.shape[1]} columns, x has ${d}`);
  if (centers.shape[0] < 1) throw new ParameterError(fn, 'centers', 'needs at least one center');
  if (weights != null && weights.shape[0] !== t) throw new ParameterError(fn, 'weights', `weights have ${weights.shape[0]} values for ${t} rows`);
  if (x.dtype !== 'float32') throw new ParameterError(fn, 'x', `x must be float32, got ${x.dtype}`);
  if (centers.dtype !== 'float32') throw new ParameterError(fn, 'centers', `centers must be float32, got ${centers.dtype}`);
  if (weights != null && weights.dtype !== 'float32') throw new ParameterError(fn, 'weights', `weights must be float32, got ${weights.dtype}`);
}
