// SPDX-License-Identifier: MIT
import { expect } from 'vitest';
import { PAIR_BITS, forEachPair, radiusPairs } from '../../src/kernels/radiusPairs/index.js';
import type { Matrix } from '../../src/matrix.js';
import { Random } from '../../src/random.js';
import { describeEachBackend, it } from '../helpers/backends.js';
import { matrixOf, radiusPairsRef } from '../helpers/reference.js';
import { tensorOf } from './support.js';

async function run(rows: Matrix, cols: Matrix, radius: number): Promise<Array<[number, number]>> {
  const rt = tensorOf(rows);
  const ct = tensorOf(cols);
  try {
    const out = radiusPairs(rt, ct, radius);
    try {
      expect(out.shape).toEqual([rows.rows, Math.ceil(cols.rows / PAIR_BITS)]);
      expect(out.dtype).toBe('int32');
      const pairs: Array<[number, number]> = [];
      forEachPair((await out.data()) as Int32Array, rows.rows, cols.rows, (i, j) => pairs.push([i, j]));
      return pairs;
    } finally {
      out.dispose();
    }
  } finally {
    rt.dispose();
    ct.dispose();
  }
}

describeEachBackend('radiusPairs', () => {
  it('radiusPairs lists the hand-computed pairs, the radius included', async () => {
    const x = matrixOf([[0, 0], [3, 4], [3, 4.5], [-1, 0]]);
    expect(await run(x, x, 5)).toEqual([[0, 0], [0, 1], [0, 3], [1, 0], [1, 1], [1, 2], [2, 1], [2, 2], [3, 0], [3, 3]]);
  });

  for (const t of [1, 23, 24, 25, 48, 100]) {
    it(`radiusPairs agrees exactly with the Float64 reference on integer data (${t} columns: whole and partial words)`, async () => {
      const rng = new Random(t);
      const lattice = (n: number): Matrix => ({ data: Float32Array.from({ length: n * 2 }, () => rng.int(9) - 4), rows: n, cols: 2 });
      const rows = lattice(37);
      const cols = lattice(t);
      for (const r2 of [0.5, 4.5, 200]) {
        expect(await run(rows, cols, Math.sqrt(r2))).toEqual(radiusPairsRef(rows, cols, Math.sqrt(r2)));
      }
    });
  }
});
