// SPDX-License-Identifier: MIT
/**
 * The calibration 'auto' runs where more than one hardware GPU backend starts: one
 * nearest-center step (assignNearest's portable form, `argmin(‖c‖² − 2x·cᵀ)` through `matMul`)
 * on a fixed block, timed on the current tfjs backend after a warm-up that compiles its shaders.
 * Built from tf ops here rather than imported from kernels/, which depend on this folder.
 */
import * as tf from '@tensorflow/tfjs-core';

/** The fixed block: [rows, features] data and k centers, a few MFLOP, the shape of a k-means step. */
export const CALIBRATION_BLOCK = { rows: 8192, features: 32, k: 16 } as const;

/** Timed repetitions after the warm-up, and the wall-clock cap on them. */
const REPS = 3;
const CAP_MS = 150;

/** Deterministic values in [-1, 1): the data does not change the work, only needs to be the same each time. */
function block(length: number, seed: number): Float32Array {
  const out = new Float32Array(length);
  let s = seed >>> 0;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/**
 * Milliseconds of one nearest-center step on the current tfjs backend, the fastest of a few runs
 * after one warm-up run (at most about `CAP_MS` of timed runs), labels read back to the host each
 * time so that the GPU's queue is included. Leaves no tensors behind.
 */
export async function calibrationStepMs(): Promise<number> {
  const { rows, features, k } = CALIBRATION_BLOCK;
  const x = tf.tensor2d(block(rows * features, 1), [rows, features]);
  const c = tf.tensor2d(block(k * features, 2), [k, features]);
  const c2 = tf.tidy(() => tf.sum(tf.square(c), 1));
  const step = async (): Promise<void> => {
    const labels = tf.tidy(() => tf.argMin(tf.sub(c2, tf.mul(tf.matMul(x, c, false, true), 2)), 1));
    try {
      await labels.data();
    } finally {
      labels.dispose();
    }
  };
  try {
    await step(); // warm-up: shader compilation, uploads
    let best = Number.POSITIVE_INFINITY;
    const start = performance.now();
    for (let i = 0; i < REPS && performance.now() - start < CAP_MS; i++) {
      const t0 = performance.now();
      await step();
      best = Math.min(best, performance.now() - t0);
    }
    return best;
  } finally {
    tf.dispose([x, c, c2]);
  }
}
