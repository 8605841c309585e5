// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { addRuns } from '../../src/kernels/clusterSums/index.js';
import { lloydStep } from '../../src/kernels/lloydStep/index.js';
import { lloydSums } from '../../src/kernels/lloydSums/index.js';
import type { Matrix } from '../../src/matrix.js';
import { Random } from '../../src/random.js';
import { describeEachBackend, it } from '../helpers/backends.js';
import { lloydStepRef } from '../helpers/reference.js';
import { blobs, tensorOf, upload } from './support.js';

/** Float64 totals over the blocks of one kernel's counts and sums. */
async function totals(
  kernel: (x: tf.Tensor2D, c: tf.Tensor2D, w: tf.Tensor1D | null) => { counts: tf.Tensor2D; sums: tf.Tensor3D },
  x: Matrix,
  centers: Matrix,
  weights: number[] | null,
  rowsPerBlock: number,
): Promise<{ counts: Float64Array; sums: Float64Array }> {
  const k = centers.rows;
  const up = upload(x, { rowsPerBlock, weights });
  const ct = tensorOf(centers);
  const counts = new Float64Array(k);
  const sums = new Float64Array(k * x.cols);
  try {
    for (let i = 0; i < up.blocks.length; i++) {
      const out = kernel(up.blocks[i].x, ct, up.weights[i]);
      addRuns(await out.counts.data(), out.counts.shape[0], counts);
      addRuns(await out.sums.data(), out.sums.shape[0], sums);
      tf.dispose(Object.values(out) as tf.Tensor[]);
    }
  } finally {
    ct.dispose();
    up.dispose();
  }
  return { counts, sums };
}

describeEachBackend('lloydSums', () => {
  it("gives exactly lloydStep's counts and sums, without labels or distances", async () => {
    const rng = new Random(11);
    for (const [n, d, k, rows] of [
      [1001, 3, 4, 300],
      [257, 17, 6, 1000],
      [64, 1, 2, 7],
    ] as const) {
      const { x, centers } = blobs(rng, n, d, k);
      const weights = Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 0 : 1 + (i % 3)));
      for (const w of [null, weights]) {
        const before = tf.memory().numTensors;
        const sums = await totals(lloydSums, x, centers, w, rows);
        const step = await totals(lloydStep, x, centers, w, rows);
        expect(tf.memory().numTensors).toBe(before);
        expect(Array.from(sums.counts)).toEqual(Array.from(step.counts));
        expect(Array.from(sums.sums)).toEqual(Array.from(step.sums));
        // And the Float64 reference (well separated blobs: the same assignment).
        const ref = lloydStepRef(x, centers, w);
        for (let c = 0; c < k; c++) expect(sums.counts[c]).toBeCloseTo(ref.counts[c], 3);
        for (let i = 0; i < ref.sums.length; i++) expect(Math.abs(sums.sums[i] - ref.sums[i])).toBeLessThanOrEqual(1e-4 * (1 + Math.abs(ref.sums[i])));
      }
    }
  });
});
