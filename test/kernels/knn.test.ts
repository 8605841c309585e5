// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { knn } from '../../src/kernels/knn/index.js';
import { disposeBlocks, uploadRows } from '../../src/kernels/shared/tiling.js';
import type { MatrixF32 } from '../../src/matrix.js';
import { Random } from '../../src/random.js';
import { describeEachBackend, it } from '../helpers/backends.js';
import { sqDistRef } from '../helpers/reference.js';

/** Float64 brute force: the k nearest of each row, ordered by distance then index. */
function knnRef(x: MatrixF32, k: number): Array<Array<{ j: number; d: number }>> {
  const out = [];
  for (let i = 0; i < x.rows; i++) {
    const all = Array.from({ length: x.rows }, (_, j) => ({ j, d: sqDistRef(x, i, x, j) }));
    all.sort((a, b) => a.d - b.d || a.j - b.j);
    out.push(all.slice(0, k));
  }
  return out;
}

async function runKnn(x: MatrixF32, k: number, rowsPerBlock: number): Promise<{ idx: Int32Array; dist: Float32Array }> {
  const blocks = uploadRows(x, 0, rowsPerBlock);
  const idx = new Int32Array(x.rows * k);
  const dist = new Float32Array(x.rows * k);
  try {
    for (const b of blocks) {
      const r = knn(b.x, blocks, k);
      expect(r.indices.shape).toEqual([b.x.shape[0], k]);
      idx.set(await r.indices.data(), b.start * k);
      dist.set(await r.sqDistances.data(), b.start * k);
      tf.dispose([r.indices, r.sqDistances]);
    }
  } finally {
    disposeBlocks(blocks);
  }
  return { idx, dist };
}

describeEachBackend('knn', () => {
  it('knn matches a float64 brute force over several column blocks', async () => {
    const rng = new Random(11);
    const n = 53;
    const d = 3;
    const data = Float32Array.from({ length: n * d }, () => 4 * rng.next() - 2);
    const x = { data, rows: n, cols: d };
    const k = 6;
    const { idx, dist } = await runKnn(x, k, 8); // 7 blocks, the last one short
    const ref = knnRef(x, k);
    for (let i = 0; i < n; i++) {
      for (let s = 0; s < k; s++) {
        expect(dist[i * k + s]).toBeCloseTo(ref[i][s].d, 4);
        // Random reals have no ties: the same neighbours in the same order.
        expect(idx[i * k + s]).toBe(ref[i][s].j);
      }
      expect(idx[i * k]).toBe(i); // each row is its own nearest, at distance 0
      expect(dist[i * k]).toBe(0);
    }
  });

  it('knn breaks ties and duplicates towards the lower index', async () => {
    // Integer grid points (exact float32 distances, many ties) plus duplicated rows.
    const pts: number[][] = [];
    for (let a = 0; a < 5; a++) for (let b = 0; b < 4; b++) pts.push([a, b]);
    pts.push([2, 1], [2, 1], [0, 0], [4, 3]);
    const n = pts.length;
    const x = { data: Float32Array.from(pts.flat()), rows: n, cols: 2 };
    const k = 5;
    const { idx, dist } = await runKnn(x, k, 6);
    const ref = knnRef(x, k);
    for (let i = 0; i < n; i++) {
      for (let s = 0; s < k; s++) {
        expect(dist[i * k + s]).toBe(ref[i][s].d);
        expect(idx[i * k + s], `row ${i}, neighbour ${s}`).toBe(ref[i][s].j);
      }
    }
    // Rows 20 and 21 duplicate row 9, (2, 1): every copy lists the lowest copy first.
    expect(idx[20 * k]).toBe(9);
    expect(Array.from(idx.subarray(21 * k, 21 * k + 3))).toEqual([9, 20, 21]);
  });

  it('knn with k = n returns every row, and k = 1 the row itself', async () => {
    const x = { data: Float32Array.of(0, 0, 3, 0, 0, 4, 1, 1), rows: 4, cols: 2 };
    const all = await runKnn(x, 4, 3);
    expect(Array.from(all.idx.subarray(0, 4))).toEqual([0, 3, 1, 2]); // distances 0, 2, 9, 16
    expect(Array.from(all.dist.subarray(0, 4))).toEqual([0, 2, 9, 16]);
    const one = await runKnn(x, 1, 3);
    expect(Array.from(one.idx)).toEqual([0, 1, 2, 3]);
  });
});
