// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { kthNearest } from '../../src/kernels/kthNearest/index.js';
import type { Matrix } from '../../src/matrix.js';
import { Random } from '../../src/random.js';
import { describeEachBackend, it } from '../helpers/backends.js';
import { kthNearestRef, matrixOf, sqDistRef } from '../helpers/reference.js';
import { sqDistBound, sqNorms, tensorOf, uniformMatrix, upload } from './support.js';

async function run(rows: Matrix, cols: Matrix, k: number, rowsPerBlock?: number): Promise<{ indices: Int32Array; sq: Float32Array }> {
  const up = upload(cols, { rowsPerBlock });
  const rt = tensorOf(rows);
  try {
    const r = kthNearest(rt, up.blocks.map((b) => b.x), k);
    try {
      return { indices: (await r.indices.data()) as Int32Array, sq: (await r.sqDistances.data()) as Float32Array };
    } finally {
      tf.dispose([r.indices, r.sqDistances]);
    }
  } finally {
    rt.dispose();
    up.dispose();
  }
}

describeEachBackend('kthNearest', () => {
  it('kthNearest counts a row as its own nearest (hand computed)', async () => {
    const x = matrixOf([[0], [1], [3], [10]]);
    expect(Array.from((await run(x, x, 1)).sq)).toEqual([0, 0, 0, 0]);
    const second = await run(x, x, 2);
    expect(Array.from(second.sq)).toEqual([1, 1, 4, 49]);
    expect(Array.from(second.indices)).toEqual([1, 0, 1, 2]);
  });

  it('kthNearest agrees with the Float64 reference over several column blocks, for small and large k', async () => {
    const rng = new Random(21);
    const x = uniformMatrix(rng, 90, 5);
    const rows = uniformMatrix(rng, 17, 5);
    const rr = sqNorms(rows);
    const xx = sqNorms(x);
    for (const k of [1, 7, 30, 90]) {
      const got = await run(rows, x, k, 32);
      const ref = kthNearestRef(rows, x, k);
      for (let i = 0; i < rows.rows; i++) {
        // The k-th value is off by at most the expansion's error; the index points at a row at that distance.
        const slack = 2 * Math.max(...Array.from(xx, (v) => sqDistBound(5, rr[i], v)));
        expect(Math.abs(got.sq[i] - ref[i])).toBeLessThanOrEqual(slack);
        expect(Math.abs(sqDistRef(rows, i, x, got.indices[i]) - ref[i])).toBeLessThanOrEqual(2 * slack);
      }
    }
  });
});
