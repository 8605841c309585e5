// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { NOISE } from '../../src/kernels/pairwiseSqDist/index.js';
import { silhouetteTile, type LabeledBlock } from '../../src/kernels/silhouetteTile/index.js';
import type { Matrix } from '../../src/matrix.js';
import { Random } from '../../src/random.js';
import { describeEachBackend, it } from '../helpers/backends.js';
import { matrixOf, silhouetteTileRef, sqDistRef } from '../helpers/reference.js';
import { U32, blobs, distBound, expectWithin, readFloat32, rowsOf, sqDistBound, sqNorms, tensorOf, uniformLabels, uniformMatrix, upload } from './support.js';

/**
 * Uploads the columns `x` and their labels in row blocks of `colRows` rows (default: sized by the
 * device budget) as LabeledBlocks, runs silhouetteTile for the rows `block`, disposes everything.
 */
async function run(block: Matrix, x: Matrix, labels: Int32Array, k: number, colRows?: number): Promise<Float32Array> {
  const up = upload(x, { floatsPerRow: 3 * block.rows + k, rowsPerBlock: colRows, labels });
  const columns: LabeledBlock[] = up.blocks.map((b, i) => ({ x: b.x, labels: up.labels[i] }));
  const bt = tensorOf(block);
  try {
    return await readFloat32(silhouetteTile(bt, columns, k), [block.rows, k]);
  } finally {
    bt.dispose();
    up.dispose();
  }
}

/**
 * Checks out[i, c] = Σ_{j in c} ‖block_i − x_j‖ against the reference. Each term: the squared
 * distance is off by at most max(sqDistBound, NOISE·(‖b‖² + ‖x‖²)) (the expansion's rounding, or
 * pairwiseSqDist's deliberate rounding to 0 below NOISE), which moves the distance by at most
 * distBound (√e near 0, e/‖b − x‖ elsewhere). The float32 sum of the n terms (one matMul per
 * column block, blocks added in float32) is off by at most n·u of the summed distances.
 */
function checkAgainstReference(got: Float32Array, block: Matrix, x: Matrix, labels: Int32Array, k: number, what: string): void {
  const ref = silhouetteTileRef(block, x, labels, k).data;
  const bb = sqNorms(block);
  const xx = sqNorms(x);
  const d = x.cols;
  const termSlack = new Float64Array(block.rows * k);
  for (let i = 0; i < block.rows; i++) {
    for (let j = 0; j < x.rows; j++) {
      const e = Math.max(sqDistBound(d, bb[i], xx[j]), NOISE * (bb[i] + xx[j]));
      termSlack[i * k + labels[j]] += distBound(sqDistRef(block, i, x, j), e);
    }
  }
  expectWithin(got, ref, (i) => termSlack[i] + (x.rows + 2) * U32 * ref[i], what);
}

describeEachBackend('silhouetteTile', () => {
  it('silhouetteTile gives the hand-computed summed distances per cluster, 0 for an empty cluster', async () => {
    const x = matrixOf([
      [0, 0],
      [3, 4],
      [6, 8],
      [0, 4],
    ]);
    const labels = Int32Array.from([0, 1, 1, 0]);
    const got = await run(rowsOf(x, 0, 2), x, labels, 3);
    // (0,0): cluster 0 {(0,0), (0,4)} → 0 + 4; cluster 1 {(3,4), (6,8)} → 5 + 10.
    // (3,4): cluster 0 → 5 + 3; cluster 1 → 0 + 5. Cluster 2 has no rows.
    expect(Array.from(got)).toEqual([4, 15, 0, 8, 5, 0]);
  });

  it('silhouetteTile gives the same sums over column blocks of 7, 1, 49 and 50 rows for n = 50', async () => {
    const rng = new Random(51);
    const x = uniformMatrix(rng, 50, 4);
    const labels = uniformLabels(rng, 50, 3);
    const block = rowsOf(x, 10, 15);
    for (const colRows of [7, 1, 49, 50, 500, undefined]) {
      checkAgainstReference(await run(block, x, labels, 3, colRows), block, x, labels, 3, `colRows=${colRows}`);
    }
  });

  it('silhouetteTile streams over hand-made LabeledBlocks of different lengths', async () => {
    const rows = tf.tensor2d([0, 0], [1, 2]);
    const columns: LabeledBlock[] = [
      { x: tf.tensor2d([3, 4, 0, 1], [2, 2]), labels: tf.tensor1d([1, 0], 'int32') },
      { x: tf.tensor2d([6, 8], [1, 2]), labels: tf.tensor1d([1], 'int32') },
      { x: tf.tensor2d([0, 2, 5, 12, 0, 0], [3, 2]), labels: tf.tensor1d([0, 1, 0], 'int32') },
    ];
    const out = silhouetteTile(rows, columns, 2);
    // cluster 0: (0,1), (0,2), (0,0) → 1 + 2 + 0; cluster 1: (3,4), (6,8), (5,12) → 5 + 10 + 13.
    expect(Array.from(await out.data())).toEqual([3, 28]);
    tf.dispose([rows, out, ...columns.flatMap((c) => [c.x, c.labels])]);
  });

  it('silhouetteTile of no column blocks is all zeros', async () => {
    const rows = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const out = silhouetteTile(rows, [], 3);
    expect(out.shape).toEqual([2, 3]);
    expect(Array.from(await out.data())).toEqual([0, 0, 0, 0, 0, 0]);
    tf.dispose([rows, out]);
  });

  it('silhouetteTile matches the Float64 reference for d from 1 to 300', async () => {
    const rng = new Random(52);
    for (const [n, d, k] of [
      [60, 1, 2],
      [80, 2, 4],
      [70, 16, 5],
      [40, 300, 3],
    ]) {
      const x = uniformMatrix(rng, n, d, -2, 3);
      const labels = uniformLabels(rng, n, k);
      const block = uniformMatrix(rng, 6, d, -2, 3);
      checkAgainstReference(await run(block, x, labels, k, 16), block, x, labels, k, `n=${n} d=${d} k=${k}`);
    }
  });

  it('silhouetteTile matches the reference on blobs of 600 rows, the block being rows of x, column blocks of 256 and 300', async () => {
    const rng = new Random(53);
    const { x, truth } = blobs(rng, 600, 8, 6);
    const block = rowsOf(x, 100, 164);
    for (const colRows of [256, 300]) {
      checkAgainstReference(await run(block, x, truth, 6, colRows), block, x, truth, 6, `blobs colRows=${colRows}`);
    }
  });

  it('silhouetteTile with k = 1 sums the distances to every row', async () => {
    const rng = new Random(54);
    const x = uniformMatrix(rng, 30, 3);
    const labels = new Int32Array(30);
    const block = rowsOf(x, 0, 4);
    checkAgainstReference(await run(block, x, labels, 1, 7), block, x, labels, 1, 'k=1');
  });

  it('silhouetteTile counts no distance between duplicate rows', async () => {
    // Ten copies of each of three rows with non-integer values: the copies are at distance 0, so
    // a row's sum over its own cluster of copies is exactly 0 (d ≤ 16: within NOISE).
    const rng = new Random(55);
    const base = uniformMatrix(rng, 3, 5, 1, 2);
    const x: Matrix = { data: new Float32Array(30 * 5), rows: 30, cols: 5 };
    for (let i = 0; i < 30; i++) x.data.set(base.data.subarray((i % 3) * 5, (i % 3) * 5 + 5), i * 5);
    const labels = Int32Array.from({ length: 30 }, (_, i) => i % 3);
    const got = await run(base, x, labels, 3, 7);
    for (let i = 0; i < 3; i++) expect(got[i * 3 + i], `row ${i} to its own copies`).toBe(0);
    checkAgainstReference(got, base, x, labels, 3, 'duplicates');
  });

  it('silhouetteTile of a one-row block against one huge cluster and a singleton', async () => {
    const rng = new Random(56);
    const n = 2000;
    const x = uniformMatrix(rng, n, 3);
    const labels = new Int32Array(n);
    labels[n - 1] = 1;
    const block = rowsOf(x, 5, 6);
    checkAgainstReference(await run(block, x, labels, 2, 300), block, x, labels, 2, 'one huge cluster');
  });

  it('silhouetteTile of an x with no rows (uploaded as no blocks) is all zeros', async () => {
    const block = matrixOf([
      [1, 2],
      [3, 4],
    ]);
    const x: Matrix = { data: new Float32Array(0), rows: 0, cols: 2 };
    expect(Array.from(await run(block, x, new Int32Array(0), 3))).toEqual([0, 0, 0, 0, 0, 0]);
  });
});
