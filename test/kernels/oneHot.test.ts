// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { oneHotF32 } from '../../src/kernels/shared/oneHot.js';
import { Random } from '../../src/random.js';
import { describeEachBackend, it } from '../helpers/backends.js';
import { oneHotRef } from '../helpers/reference.js';
import { uniformLabels } from './support.js';

// tf.oneHot(labels, k, 1, 0, 'float32') on tfjs-wasm 4.22 returns int32 bit patterns labelled
// float32 (1 reads as 1.4e-45): every check here is exact equality with 0 and 1, on every backend.
describeEachBackend('oneHotF32', () => {
  it('oneHotF32 gives exact float32 0/1 rows for hand-picked labels', async () => {
    const labels = tf.tensor1d([2, 0, 1, 2], 'int32');
    const hot = oneHotF32(labels, 3);
    expect(hot.dtype).toBe('float32');
    expect(hot.shape).toEqual([4, 3]);
    expect(Array.from(await hot.data())).toEqual([0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1]);
    tf.dispose([labels, hot]);
  });

  it('oneHotF32 matches the reference exactly for random labels, k from 2 to 300', async () => {
    const rng = new Random(11);
    for (const [n, k] of [
      [50, 2],
      [97, 7],
      [333, 300],
    ]) {
      const l = uniformLabels(rng, n, k);
      const labels = tf.tensor1d(l, 'int32');
      const hot = oneHotF32(labels, k);
      expect(hot.shape).toEqual([n, k]);
      expect(Array.from(await hot.data())).toEqual(Array.from(oneHotRef(l, k).data));
      tf.dispose([labels, hot]);
    }
  });

  it('oneHotF32 gives one column for k = 1', async () => {
    const labels = tf.tensor1d([0, 0, 0], 'int32');
    let hot: tf.Tensor2D | null = null;
    try {
      hot = oneHotF32(labels, 1);
      expect(hot.shape).toEqual([3, 1]);
      expect(Array.from(await hot.data())).toEqual([1, 1, 1]);
    } finally {
      tf.dispose([labels, ...(hot ? [hot] : [])]);
    }
  });

  it('oneHotF32 columns sum to the label counts, one of them empty', async () => {
    const labels = tf.tensor1d([0, 3, 3, 0, 3, 1], 'int32');
    const hot = oneHotF32(labels, 4);
    const counts = tf.sum(hot, 0);
    expect(Array.from(await counts.data())).toEqual([2, 1, 0, 3]);
    tf.dispose([labels, hot, counts]);
  });
});
