// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { ParameterError } from '../../src/errors.js';
import { silhouetteSumsMulti } from '../../src/kernels/silhouetteSumsMulti/index.js';
import { Random } from '../../src/random.js';
import { describeEachBackend, it } from '../helpers/backends.js';
import { matrixOf } from '../helpers/reference.js';
import { multiBounds, runMulti } from './silhouetteSumsMultiSupport.js';
import { blobs, expectWithin, uniformLabels, uniformMatrix } from './support.js';

describeEachBackend('silhouetteSumsMulti', () => {
  it('silhouetteSumsMulti gives the hand-computed sums of the @example, 0 for an empty cluster', async () => {
    const x = tf.tensor2d([0, 0, 3, 4, 6, 8], [3, 2]);
    const labels = tf.tensor2d([0, 0, 1, 0, 1, 1], [3, 2], 'int32');
    const sums = silhouetteSumsMulti([{ x, labels }], [2, 2]);
    expect(Array.from(await sums.data())).toEqual([0, 15, 5, 10, 5, 5, 5, 5, 10, 5, 15, 0]);
    const wide = silhouetteSumsMulti([{ x, labels }], [3, 2]);
    expect(Array.from(await wide.data())).toEqual([0, 15, 0, 5, 10, 5, 5, 0, 5, 5, 10, 5, 0, 15, 0]);
    tf.dispose([x, labels, sums, wide]);
  });

  it('silhouetteSumsMulti of no blocks is [0, Σ ks]', async () => {
    const out = silhouetteSumsMulti([], [2, 3]);
    expect(out.shape).toEqual([0, 5]);
    out.dispose();
  });

  it('silhouetteSumsMulti matches the Float64 reference for every labeling at once, over blocks of any size, d from 1 to 300', async () => {
    const rng = new Random(181);
    const cases: Array<[number, number, number[], number | undefined]> = [
      // [n, d, ks, blockRows]
      [1, 1, [1], undefined],
      [9, 1, [2, 3], 4],
      [50, 3, [2, 3, 4, 5, 6, 7, 8], 7],
      [61, 16, [5, 1], 61],
      [40, 300, [3, 2], 17],
    ];
    for (const [n, d, ks, blockRows] of cases) {
      const x = uniformMatrix(rng, n, d, -2, 3);
      const labelings = ks.map((k) => uniformLabels(rng, n, k));
      const { ref, slack } = multiBounds(x, labelings, ks);
      expectWithin(await runMulti(silhouetteSumsMulti, x, labelings, ks, blockRows), ref, slack, `n=${n} d=${d} ks=${ks}`);
    }
    const { x, truth } = blobs(rng, 120, 6, 4);
    const ks = [4, 2, 6];
    const labelings = [truth, uniformLabels(rng, 120, 2), uniformLabels(rng, 120, 6)];
    const { ref, slack } = multiBounds(x, labelings, ks);
    expectWithin(await runMulti(silhouetteSumsMulti, x, labelings, ks, 50), ref, slack, 'blobs');
  });

  it('silhouetteSumsMulti counts no distance between duplicate rows', async () => {
    const x = matrixOf([
      [1, 2],
      [1, 2],
      [4, 6],
      [4, 6],
    ]);
    const got = await runMulti(silhouetteSumsMulti, x, [Int32Array.from([0, 0, 1, 1]), new Int32Array(4)], [2, 1], 3);
    expect(Array.from(got)).toEqual([0, 10, 10, 0, 10, 10, 10, 0, 10, 10, 0, 10]);
  });

  it('silhouetteSumsMulti rejects no labelings, a k below 1 and labels of the wrong shape, naming the argument', async () => {
    const x = tf.tensor2d([0, 0, 3, 4], [2, 2]);
    const labels = tf.tensor2d([0, 1], [2, 1], 'int32');
    try {
      expect(() => silhouetteSumsMulti([{ x, labels }], [])).toThrow(ParameterError);
      expect(() => silhouetteSumsMulti([{ x, labels }], [0])).toThrow(/ks\[0\]/);
      expect(() => silhouetteSumsMulti([{ x, labels }], [2, 2])).toThrow(/labels of shape \[2, 1\] for 2 rows and 2 labelings/);
    } finally {
      tf.dispose([x, labels]);
    }
  });
});
