// SPDX-License-Identifier: MIT
/**
 * The results of lloydStep and lloydSums, apart from their implementations: the wasm and WGSL
 * forms import these without importing the portable ones (which call other kernels).
 */
import type * as tf from '@tensorflow/tfjs-core';

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

/** The per-cluster totals of one Lloyd iteration on a block. */
export interface LloydSumsResult {
  /** [runs, k] summed weights per cluster. */
  counts: tf.Tensor2D;
  /** [runs, k, d] weighted sums per cluster. */
  sums: tf.Tensor3D;
}
