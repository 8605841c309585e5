// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { REDUCTION_RUN } from '../shared/tiling.js';

/**
 * Float32 temporaries per row that `gram` needs for a block with `d` columns: the block itself
 * and its run partials (d² per REDUCTION_RUN rows, twice over while they are folded). Pass it to
 * `uploadRows` so that a block's partials stay within the device budget.
 */
export function gramFloatsPerRow(d: number): number {
  return d + Math.ceil((2 * d * d) / REDUCTION_RUN);
}

/**
 * The Gram matrix xᵀx [d, d] of a block `x` [t, d] (for PCA, of centered rows: their scatter
 * matrix). Each run of REDUCTION_RUN rows gives its own partial through one batched matMul over
 * a [runs, run, d] reshape, so no float32 accumulator adds more than a run of products; the
 * partials are then added pairwise on the device (log₂ runs levels of single additions), so the
 * error of an entry stays within about (run + log₂ runs)·u of Σ|x_i·x_j|. Callers add the block
 * results in float64 on the host. A block that is neither a multiple of the run nor shorter
 * than one (`uploadRows` never makes such blocks) is split by a slice. O(t·d²) work,
 * O(t·d²/REDUCTION_RUN) memory.
 */
export const gramPortable = (x: tf.Tensor2D): tf.Tensor2D =>
  tf.tidy(() => {
    const [t, d] = x.shape;
    const whole = t - (t % REDUCTION_RUN);
    const partials =
      whole > 0 && whole < t
        ? tf.concat([runPartials(tf.slice(x, [0, 0], [whole, d])), runPartials(tf.slice(x, [whole, 0], [t - whole, d]))])
        : runPartials(x);
    return foldPairwise(partials);
  });

/** [runs, d, d]: xᵀx of each run of REDUCTION_RUN rows (one run when the block is shorter). */
function runPartials(x: tf.Tensor2D): tf.Tensor3D {
  const [t, d] = x.shape;
  const run = t % REDUCTION_RUN === 0 ? REDUCTION_RUN : t;
  const x3 = tf.reshape(x, [t / run, run, d]) as tf.Tensor3D;
  return tf.matMul(x3, x3, true, false);
}

/** Adds [r, d, d] partials pairwise, level by level: one rounding per level. */
function foldPairwise(partials: tf.Tensor3D): tf.Tensor2D {
  const [, d] = partials.shape;
  let p: tf.Tensor3D = partials;
  while (p.shape[0] > 1) {
    const r = p.shape[0];
    if (r % 2 === 1) p = tf.concat([p, tf.zeros([1, d, d])]);
    p = tf.reshape(tf.sum(tf.reshape(p, [(r + (r % 2)) / 2, 2, d * d]), 1), [-1, d, d]);
  }
  return tf.reshape(p, [d, d]);
}
