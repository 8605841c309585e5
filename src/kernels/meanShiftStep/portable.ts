// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { radiusOperands } from '../radiusCounts/portable.js';

/**
 * The mean-shift kernel profile: 'flat' weighs the points within the bandwidth by 1 and the
 * others by 0 (scikit-learn's MeanShift); 'gaussian' weighs every point by exp(−‖x − s‖² / 2h²).
 */
export type MeanShiftKernel = 'flat' | 'gaussian';

/** A block of data rows on the device, with optional per-row weights. */
export interface WeightedBlock {
  /** [t, d] float32. */
  x: tf.Tensor2D;
  /** [t] float32 non-negative weights; default 1. */
  weights?: tf.Tensor1D | null;
}

/** One mean-shift step for a block of seeds. */
export interface MeanShiftStepResult {
  /**
   * [s, d] the kernel-weighted mean of the data around each seed; a seed with zero mass around
   * it (no point of positive weight within the bandwidth, for the flat kernel) keeps its place.
   */
  means: tf.Tensor2D;
  /** [s] float32: how many rows lie within the bandwidth of each seed (their summed weight, with weights). */
  counts: tf.Tensor1D;
  /** [s] float32: the summed kernel weight (times the row weights) around each seed. */
  mass: tf.Tensor1D;
}

/**
 * One mean-shift step for the seeds `seeds` [s, d] over the data `blocks` (all rows, uploaded once
 * as row blocks): for each seed, the (weighted) mean of the rows within `bandwidth` (flat kernel,
 * "within" meaning distance ≤ bandwidth as in scikit-learn's radius_neighbors) or the Gaussian-
 * weighted mean of all rows, and the number of rows within the bandwidth. Streams over the blocks,
 * so it holds an s×t block of distances at a time, never s×n. Squared distances are the float32
 * expansion ‖s‖² − 2s·x + ‖x‖² and sums are float32 on the device: callers center the data so
 * that both stay near the scale of the bandwidth.
 * O(s·n·d) work.
 *
 * Reference: Comaniciu & Meer, "Mean shift: a robust approach toward feature space analysis"
 * (2002); scikit-learn `sklearn/cluster/_mean_shift.py` (`_mean_shift_single_seed`).
 */
export const meanShiftStepPortable = (seeds: tf.Tensor2D, blocks: readonly WeightedBlock[], bandwidth: number, kernel: MeanShiftKernel): MeanShiftStepResult => {
    const [s, d] = seeds.shape;
    const h2 = bandwidth * bandwidth;
    let sums: tf.Tensor2D = tf.zeros([s, d]);
    let counts: tf.Tensor1D = tf.zeros([s]);
    let mass: tf.Tensor1D = tf.zeros([s]);
    try {
      for (const block of blocks) {
        // One tidy per block, so only one s×t block of temporaries is alive at a time.
        const next = tf.tidy(() => {
          // No broadcast op over the s×t tile (slow on wasm): weights go into the t×d operands.
          const t = block.x.shape[0];
          const wCol = block.weights ? tf.reshape(block.weights, [t, 1]) : tf.ones([t, 1]);
          const xw = block.weights ? tf.mul(block.x, wCol) : block.x;
          let inside: tf.Tensor2D;
          let w: tf.Tensor2D;
          if (kernel === 'flat') {
            const op = radiusOperands(seeds, block.x, bandwidth);
            inside = tf.sub(1, tf.step(tf.matMul(op.rows, op.cols))) as tf.Tensor2D; // ‖s − x‖² ≤ h²
            w = inside;
          } else {
            const op = radiusOperands(seeds, block.x, 0);
            const d2 = tf.matMul(op.rows, op.cols);
            inside = tf.sub(1, tf.step(tf.sub(d2, h2))) as tf.Tensor2D;
            w = tf.exp(tf.mul(d2, -0.5 / h2)) as tf.Tensor2D;
          }
          return {
            sums: tf.add(sums, tf.matMul(w, xw)) as tf.Tensor2D,
            counts: tf.add(counts, tf.reshape(tf.matMul(inside, wCol), [-1])) as tf.Tensor1D,
            mass: tf.add(mass, tf.reshape(tf.matMul(w, wCol), [-1])) as tf.Tensor1D,
          };
        });
        tf.dispose([sums, counts, mass]);
        ({ sums, counts, mass } = next);
      }
      const means = tf.tidy(() => {
        const m = tf.reshape(mass, [-1, 1]);
        const positive = tf.greater(m, 0);
        // Divide by 1 where the mass is 0, so no NaN is formed even in the branch not taken.
        return tf.where(positive, tf.div(sums, tf.where(positive, m, tf.onesLike(m))), seeds) as tf.Tensor2D;
      });
      sums.dispose();
      return { means, counts, mass };
    } catch (err) {
      tf.dispose([sums, counts, mass]);
      throw err;
    }
  };
