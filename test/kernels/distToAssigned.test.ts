// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { assignNearest } from '../../src/kernels/assignNearest/index.js';
import { distToAssigned } from '../../src/kernels/distToAssigned/index.js';
import type { Matrix } from '../../src/matrix.js';
import { Random } from '../../src/random.js';
import { describeEachBackend, it } from '../helpers/backends.js';
import { distToAssignedRef, matrixOf } from '../helpers/reference.js';
import { U32, blobs, expectWithin, sqDistBound, sqNorms, tensorOf, uniformLabels, uniformMatrix, upload } from './support.js';

/** Uploads `x` and `labels` in row blocks, runs distToAssigned on each, reads back in row order, disposes all. */
async function run(x: Matrix, centers: Matrix, labels: Int32Array, rowsPerBlock?: number): Promise<Float32Array> {
  const up = upload(x, { floatsPerRow: 2 * x.cols, rowsPerBlock, labels });
  const ct = tensorOf(centers);
  const got = new Float32Array(x.rows);
  try {
    for (let i = 0; i < up.blocks.length; i++) {
      const b = up.blocks[i];
      const out = distToAssigned(b.x, ct, up.labels[i]);
      try {
        expect(out.shape).toEqual([b.x.shape[0]]);
        expect(out.dtype).toBe('float32');
        got.set(await out.data(), b.start);
      } finally {
        out.dispose();
      }
    }
  } finally {
    up.dispose();
    ct.dispose();
  }
  return got;
}

/**
 * The kernel subtracts directly, so its error is relative: fl(x − c) is off by u, its square by
 * 2u more, and a float32 sum of d non-negative terms (any order) by (d − 1)·u: (d + 3)·u of the
 * exact value covers it. No absolute term: there is no cancellation as in ‖x‖² − 2x·c + ‖c‖².
 */
function checkAgainstReference(got: Float32Array, x: Matrix, centers: Matrix, labels: Int32Array, what: string): void {
  const ref = distToAssignedRef(x, centers, labels);
  expectWithin(got, ref, (i) => (x.cols + 3) * U32 * ref[i], what);
}

describeEachBackend('distToAssigned', () => {
  it('distToAssigned gives the hand-computed squared distances to each row’s own center', async () => {
    const x = matrixOf([
      [0, 0],
      [4, 0],
      [0, 3],
      [10, 10],
    ]);
    const centers = matrixOf([
      [0, 0],
      [5, 0],
      [0, 5],
    ]);
    // Not the nearest centers: row 0 to (0,5), row 1 to (5,0), row 2 to (0,0), row 3 to (5,0).
    const got = await run(x, centers, Int32Array.from([2, 1, 0, 1]));
    expect(Array.from(got)).toEqual([25, 1, 9, 125]);
  });

  it('distToAssigned on one block tensor [t, d] gives [t]', async () => {
    const x = tf.tensor2d([1, 1, 2, 2, 3, 3], [3, 2]);
    const c = tf.tensor2d([0, 0, 3, 3], [2, 2]);
    const l = tf.tensor1d([0, 0, 1], 'int32');
    const out = distToAssigned(x, c, l);
    expect(out.shape).toEqual([3]);
    expect(Array.from(await out.data())).toEqual([2, 8, 0]);
    tf.dispose([x, c, l, out]);
  });

  it('distToAssigned matches the Float64 reference for d from 1 to 300, any labels, in row blocks', async () => {
    const rng = new Random(71);
    for (const [n, d, k, rowsPerBlock] of [
      [64, 1, 3, 7],
      [100, 2, 5, undefined],
      [300, 16, 8, 256],
      [513, 5, 4, 300],
      [40, 300, 3, 13],
    ] as Array<[number, number, number, number | undefined]>) {
      const x = uniformMatrix(rng, n, d, -3, 5);
      const centers = uniformMatrix(rng, k, d, -3, 5);
      const labels = uniformLabels(rng, n, k);
      checkAgainstReference(await run(x, centers, labels, rowsPerBlock), x, centers, labels, `n=${n} d=${d} k=${k}`);
    }
  });

  it('distToAssigned keeps relative precision for points close together far from the origin', async () => {
    // Rows within 1e-3 of centers near 1000: the exact distances are ≈ 1e-6 against norms of
    // ≈ 10^6·d, where the ‖x‖² − 2x·c + ‖c‖² expansion keeps no digit. Direct differences keep all.
    const rng = new Random(72);
    const d = 6;
    const centers = uniformMatrix(rng, 3, d, 999, 1001);
    const labels = uniformLabels(rng, 200, 3);
    const data = new Float32Array(200 * d);
    for (let i = 0; i < 200; i++) {
      for (let j = 0; j < d; j++) data[i * d + j] = centers.data[labels[i] * d + j] + 1e-3 * (rng.next() - 0.5);
    }
    const x: Matrix = { data, rows: 200, cols: d };
    checkAgainstReference(await run(x, centers, labels, 64), x, centers, labels, 'close, far from the origin');
  });

  it('distToAssigned is exactly 0 for a row equal to its center, however far from the origin', async () => {
    const rng = new Random(73);
    const centers = uniformMatrix(rng, 4, 9, 1e4, 2e4);
    const labels = Int32Array.from({ length: 40 }, (_, i) => i % 4);
    const x: Matrix = { data: new Float32Array(40 * 9), rows: 40, cols: 9 };
    for (let i = 0; i < 40; i++) x.data.set(centers.data.subarray(labels[i] * 9, labels[i] * 9 + 9), i * 9);
    expect(Array.from(await run(x, centers, labels, 7))).toEqual(new Array(40).fill(0));
  });

  it('distToAssigned agrees with the distances of assignNearest for its labels', async () => {
    const rng = new Random(74);
    const { x, centers } = blobs(rng, 120, 5, 4);
    const xt = tensorOf(x);
    const ct = tensorOf(centers);
    const a = assignNearest(xt, ct);
    const own = distToAssigned(xt, ct, a.labels);
    const fromAssign = await a.distances.data();
    const got = await own.data();
    const labels = (await a.labels.data()) as Int32Array;
    tf.dispose([xt, ct, a.labels, a.distances, own]);
    const xx = sqNorms(x);
    const cc = sqNorms(centers);
    const ref = distToAssignedRef(x, centers, labels);
    // Both within their bounds of the exact value (sqDistBound for the expansion of assignNearest).
    expectWithin(fromAssign, got, (i) => sqDistBound(5, xx[i], cc[labels[i]]) + 8 * U32 * ref[i], 'assignNearest vs distToAssigned');
    checkAgainstReference(got as Float32Array, x, centers, labels, 'blobs');
  });

  it('distToAssigned with k = 1 measures every row to the one center', async () => {
    const rng = new Random(75);
    const x = uniformMatrix(rng, 50, 3);
    const centers = uniformMatrix(rng, 1, 3);
    const labels = new Int32Array(50);
    checkAgainstReference(await run(x, centers, labels, 7), x, centers, labels, 'k=1');
  });

  it('distToAssigned with one huge cluster, a singleton and an empty cluster', async () => {
    const rng = new Random(76);
    const n = 1000;
    const x = uniformMatrix(rng, n, 3, -1, 1);
    const centers = matrixOf([
      [0, 0, 0],
      [50, 50, 50],
      [-7, 3, 0.5],
    ]);
    const labels = new Int32Array(n);
    labels[n - 1] = 2;
    checkAgainstReference(await run(x, centers, labels, 256), x, centers, labels, 'one huge cluster');
  });
});
