// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { NOISE } from '../../src/kernels/pairwiseSqDist/index.js';
import { silhouetteSums } from '../../src/kernels/silhouetteSums/index.js';
import type { LabeledBlock } from '../../src/kernels/silhouetteTile/index.js';
import type { Matrix } from '../../src/matrix.js';
import { Random } from '../../src/random.js';
import { describeEachBackend, it } from '../helpers/backends.js';
import { matrixOf, silhouetteTileRef, sqDistRef } from '../helpers/reference.js';
import { U32, blobs, distBound, expectWithin, readFloat32, sqDistBound, sqNorms, uniformLabels, uniformMatrix, upload } from './support.js';

/** Uploads `x` and `labels` as LabeledBlocks of `blockRows` rows, runs silhouetteSums (whichever implementation the backend has), disposes everything. */
async function run(x: Matrix, labels: Int32Array, k: number, blockRows?: number): Promise<Float32Array> {
  const up = upload(x, { floatsPerRow: 3 * (blockRows ?? x.rows) + k, rowsPerBlock: blockRows, labels });
  const blocks: LabeledBlock[] = up.blocks.map((b, i) => ({ x: b.x, labels: up.labels[i] }));
  try {
    return await readFloat32(silhouetteSums(blocks, k), [x.rows, k]);
  } finally {
    up.dispose();
  }
}

/**
 * out[i, c] = Σ_{j in c} ‖x_i − x_j‖ against the Float64 reference: each term's squared distance
 * off by at most max(sqDistBound, NOISE·(‖x_i‖² + ‖x_j‖²)), moving the distance by distBound; the
 * float32 sum of the n terms off by n·u of the sum.
 */
function checkAgainstReference(got: Float32Array, x: Matrix, labels: Int32Array, k: number, what: string): void {
  const ref = silhouetteTileRef(x, x, labels, k).data;
  const xx = sqNorms(x);
  const slack = new Float64Array(x.rows * k);
  for (let i = 0; i < x.rows; i++) {
    for (let j = 0; j < x.rows; j++) {
      const e = Math.max(sqDistBound(x.cols, xx[i], xx[j]), NOISE * (xx[i] + xx[j]));
      slack[i * k + labels[j]] += distBound(sqDistRef(x, i, x, j), e);
    }
  }
  expectWithin(got, ref, (i) => slack[i] + (x.rows + 2) * U32 * ref[i], what);
}

describeEachBackend('silhouetteSums', () => {
  it('silhouetteSums gives the hand-computed sums of the @example, 0 for an empty cluster', async () => {
    const x = tf.tensor2d([0, 0, 3, 4, 6, 8], [3, 2]);
    const labels = tf.tensor1d([0, 1, 1], 'int32');
    const sums = silhouetteSums([{ x, labels }], 2);
    expect(Array.from(await sums.data())).toEqual([0, 15, 5, 5, 10, 5]);
    const three = silhouetteSums([{ x, labels }], 3);
    expect(Array.from(await three.data())).toEqual([0, 15, 0, 5, 5, 0, 10, 5, 0]);
    tf.dispose([x, labels, sums, three]);
  });

  it('silhouetteSums of no blocks is [0, k]', async () => {
    const out = silhouetteSums([], 4);
    expect(out.shape).toEqual([0, 4]);
    out.dispose();
  });

  it('silhouetteSums matches the Float64 reference over blocks of any size, for d from 1 to 300', async () => {
    const rng = new Random(81);
    const cases: Array<[number, number, number, number | undefined]> = [
      // [n, d, k, blockRows]
      [1, 1, 1, undefined],
      [9, 1, 2, 4],
      [50, 3, 4, 7],
      [61, 16, 5, 61],
      [40, 300, 3, 17],
    ];
    for (const [n, d, k, blockRows] of cases) {
      const x = uniformMatrix(rng, n, d, -2, 3);
      const labels = uniformLabels(rng, n, k);
      checkAgainstReference(await run(x, labels, k, blockRows), x, labels, k, `n=${n} d=${d} k=${k}`);
    }
    const { x, truth } = blobs(rng, 120, 6, 4);
    checkAgainstReference(await run(x, truth, 4, 50), x, truth, 4, 'blobs');
  });

  it('silhouetteSums counts no distance between duplicate rows, and one cluster holds all rows for k = 1', async () => {
    const x = matrixOf([
      [1, 2],
      [1, 2],
      [4, 6],
      [4, 6],
    ]);
    const got = await run(x, Int32Array.from([0, 0, 1, 1]), 2, 3);
    expect(Array.from(got)).toEqual([0, 10, 0, 10, 10, 0, 10, 0]);
    const one = await run(x, new Int32Array(4), 1, 1);
    expect(Array.from(one)).toEqual([10, 10, 10, 10]);
  });
});
