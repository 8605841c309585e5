// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { NOISE } from '../../src/kernels/pairwiseSqDist/index.js';
import { pointDistances } from '../../src/kernels/pointDistances/index.js';
import { Random } from '../../src/random.js';
import { describeEachBackend, it } from '../helpers/backends.js';
import { pairwiseSqDistRef } from '../helpers/reference.js';
import { blobs, expectWithin, sqDistBound, sqNorms, tensorOf } from './support.js';

describeEachBackend('pointDistances', () => {
  it('pointDistances gives the hand-computed squared distances, 0 from a row to itself', async () => {
    const x = tf.tensor2d([0, 0, 3, 4, 1, 2], [3, 2]);
    const p = tf.tensor2d([0, 0, 3, 4], [2, 2]);
    const out = pointDistances(x, p);
    expect(out.shape).toEqual([3, 2]);
    expect(Array.from(await out.data())).toEqual([0, 25, 25, 0, 5, 8]);
    tf.dispose([x, p, out]);
  });

  it('pointDistances agrees with the float64 reference within the portable form’s bounds (whatever this backend runs)', async () => {
    const rng = new Random(41);
    for (const [n, d, k] of [
      [1, 1, 1],
      [7, 3, 2],
      [1001, 16, 5],
      [97, 300, 3],
    ]) {
      const { x, centers } = blobs(rng, n, d, k);
      const xt = tensorOf(x);
      const ct = tensorOf(centers);
      const out = pointDistances(xt, ct);
      const got = await out.data();
      tf.dispose([xt, ct, out]);
      const xx = sqNorms(x);
      const cc = sqNorms(centers);
      expectWithin(got, pairwiseSqDistRef(x, centers).data, (i) => Math.max(sqDistBound(d, xx[Math.floor(i / k)], cc[i % k]), NOISE * (xx[Math.floor(i / k)] + cc[i % k])), `n=${n} d=${d}`);
    }
  });
});
