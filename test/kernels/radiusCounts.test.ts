// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { radiusCounts } from '../../src/kernels/radiusCounts/index.js';
import type { Matrix } from '../../src/matrix.js';
import { Random } from '../../src/random.js';
import { describeEachBackend, it } from '../helpers/backends.js';
import { matrixOf, radiusCountsRef } from '../helpers/reference.js';
import { sqDistBound, sqNorms, tensorOf, uniformMatrix, upload } from './support.js';

async function run(rows: Matrix, cols: Matrix, radius: number, rowsPerBlock?: number): Promise<Float32Array> {
  const up = upload(cols, { rowsPerBlock });
  const rt = tensorOf(rows);
  try {
    const out = radiusCounts(rt, up.blocks.map((b) => b.x), radius);
    try {
      expect(out.shape).toEqual([rows.rows]);
      return (await out.data()) as Float32Array;
    } finally {
      out.dispose();
    }
  } finally {
    rt.dispose();
    up.dispose();
  }
}

describeEachBackend('radiusCounts', () => {
  it('radiusCounts counts the row itself and a neighbour at exactly the radius', async () => {
    const x = matrixOf([[0, 0], [3, 4], [3, 4.5], [-1, 0]]);
    // From (0,0): itself, (3,4) at 5 exactly, (-1,0) at 1; (3,4.5) beyond.
    expect(Array.from(await run(x, x, 5))).toEqual([3, 3, 2, 2]);
  });

  it('radiusCounts agrees exactly with the Float64 reference on integer data, over several column blocks', async () => {
    const rng = new Random(11);
    const data = Float32Array.from({ length: 150 * 3 }, () => rng.int(7) - 3);
    const x: Matrix = { data, rows: 150, cols: 3 };
    for (const r2 of [0.5, 2.5, 6.5]) {
      expect(Array.from(await run(x, x, Math.sqrt(r2), 16))).toEqual(Array.from(radiusCountsRef(x, x, Math.sqrt(r2))));
    }
  });

  it('radiusCounts agrees with the Float64 reference on uniform data, up to pairs within rounding of the radius', async () => {
    const rng = new Random(12);
    const x = uniformMatrix(rng, 120, 6, -3, 5);
    const rows = uniformMatrix(rng, 33, 6, -3, 5);
    const radius = 4;
    const got = await run(rows, x, radius, 50);
    const rr = sqNorms(rows);
    const xx = sqNorms(x);
    // A pair is certain when its squared distance is farther from r² than the expansion's error.
    let slack = 0;
    for (const a of rr) for (const b of xx) slack = Math.max(slack, sqDistBound(6, a, b));
    const lo = radiusCountsRef(rows, x, Math.sqrt(radius * radius - slack));
    const hi = radiusCountsRef(rows, x, Math.sqrt(radius * radius + slack));
    for (let i = 0; i < rows.rows; i++) {
      expect(got[i]).toBeGreaterThanOrEqual(lo[i]);
      expect(got[i]).toBeLessThanOrEqual(hi[i]);
    }
    expect(lo.some((v, i) => v !== hi[i])).toBe(false); // the bound is not so loose it tests nothing
  });
});
