// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { project } from '../../src/kernels/project/index.js';
import type { Matrix } from '../../src/matrix.js';
import { Random } from '../../src/random.js';
import { describeEachBackend, it } from '../helpers/backends.js';
import { U32, expectWithin, tensorOf, uniformMatrix } from './support.js';

/** Float64 reference x·w, and Σ|x_ik·w_kj| (the scale of the float32 error). */
function projectRef(x: Matrix, w: Matrix): { out: Float64Array; abs: Float64Array } {
  const out = new Float64Array(x.rows * w.cols);
  const abs = new Float64Array(x.rows * w.cols);
  for (let i = 0; i < x.rows; i++) {
    for (let j = 0; j < w.cols; j++) {
      for (let k = 0; k < x.cols; k++) {
        const p = x.data[i * x.cols + k] * w.data[k * w.cols + j];
        out[i * w.cols + j] += p;
        abs[i * w.cols + j] += Math.abs(p);
      }
    }
  }
  return { out, abs };
}

describeEachBackend('project', () => {
  it('multiplies a 2×3 block by a 3×2 matrix (by hand)', async () => {
    // [[1, 2, 3], [4, 5, 6]]·[[1, 0], [0, 1], [1, 1]] = [[4, 5], [10, 11]].
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    const w = tf.tensor2d([1, 0, 0, 1, 1, 1], [3, 2]);
    const z = project(x, w);
    expect(Array.from(await z.data())).toEqual([4, 5, 10, 11]);
    tf.dispose([x, w, z]);
  });

  it.each([
    [1, 1, 1],
    [300, 16, 3],
    [1000, 7, 7],
  ])('matches the Float64 reference for x [%i, %i] and w [·, %i]', async (t, d, c) => {
    const rng = new Random(t + d + c);
    const x = uniformMatrix(rng, t, d, -3, 3);
    const w = uniformMatrix(rng, d, c, -1, 1);
    const ref = projectRef(x, w);
    const xt = tensorOf(x);
    const wt = tensorOf(w);
    const z = project(xt, wt);
    expect(z.shape).toEqual([t, c]);
    const got = await z.data();
    tf.dispose([xt, wt, z]);
    expectWithin(got, ref.out, (i) => (d + 2) * U32 * ref.abs[i], `project ${t}×${d}·${d}×${c}`);
  });
});
