// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { gram, gramFloatsPerRow } from '../../src/kernels/gram/index.js';
import { REDUCTION_RUN } from '../../src/kernels/shared/tiling.js';
import type { Matrix } from '../../src/matrix.js';
import { Random } from '../../src/random.js';
import { describeEachBackend, it } from '../helpers/backends.js';
import { U32, expectWithin, tensorOf, uniformMatrix, upload } from './support.js';

/** Float64 reference: xᵀx by direct sums, and Σ|x_i·x_j| (the scale of the float32 error). */
function gramRef(x: Matrix): { g: Float64Array; abs: Float64Array } {
  const { rows: n, cols: d, data } = x;
  const g = new Float64Array(d * d);
  const abs = new Float64Array(d * d);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        const p = data[r * d + i] * data[r * d + j];
        g[i * d + j] += p;
        abs[i * d + j] += Math.abs(p);
      }
    }
  }
  return { g, abs };
}

/**
 * Error bound for a block of t rows: a run adds at most min(t, REDUCTION_RUN) rounded products
 * in float32 ((run + 1)·u of the magnitudes, Higham §3.1), then ⌈log₂ runs⌉ pairwise levels add
 * one rounding each, and the float64 sum over blocks adds nothing visible. +2 for slack.
 */
function bound(t: number): number {
  const run = Math.min(t, REDUCTION_RUN);
  const levels = Math.ceil(Math.log2(Math.max(1, Math.ceil(t / REDUCTION_RUN)) + 1));
  return (run + levels + 3) * U32;
}

/** Runs gram on every block of `x` (blocks of `rowsPerBlock`) and adds the results in float64. */
async function gramOf(x: Matrix, rowsPerBlock?: number): Promise<{ g: Float64Array; blockRows: number[] }> {
  const d = x.cols;
  const up = upload(x, { floatsPerRow: gramFloatsPerRow(d), rowsPerBlock });
  const g = new Float64Array(d * d);
  const blockRows: number[] = [];
  try {
    for (const b of up.blocks) {
      const out = gram(b.x);
      expect(out.shape).toEqual([d, d]);
      const values = await out.data();
      out.dispose();
      values.forEach((v, i) => (g[i] += v));
      blockRows.push(b.x.shape[0]);
    }
  } finally {
    up.dispose();
  }
  return { g, blockRows };
}

describeEachBackend('gram', (backend) => {
  it('computes xᵀx of a 3×2 block (by hand)', async () => {
    // x = [[1, 2], [3, 4], [5, 6]]: xᵀx = [[1+9+25, 2+12+30], [.., 4+16+36]] = [[35, 44], [44, 56]].
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]);
    const g = gram(x);
    expect(Array.from(await g.data())).toEqual([35, 44, 44, 56]);
    tf.dispose([x, g]);
  });

  it.each([
    [1, 3],
    [255, 5],
    [256, 4],
    [700, 7], // neither a multiple of the run nor shorter: split by a slice
    [2 * REDUCTION_RUN * 3 + 17, 16],
  ])('matches the Float64 reference on one block of %i rows, d = %i', async (t, d) => {
    const x = uniformMatrix(new Random(t * 31 + d), t, d, -2, 3);
    const ref = gramRef(x);
    const xt = tensorOf(x);
    const out = gram(xt);
    const got = await out.data();
    tf.dispose([xt, out]);
    expectWithin(got, ref.g, (i) => bound(t) * ref.abs[i], `gram of ${t}×${d}`);
    // Symmetric up to rounding.
    for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) expect(Math.abs(got[i * d + j] - got[j * d + i])).toBeLessThanOrEqual(bound(t) * ref.abs[i * d + j]);
  });

  it('adds row blocks in float64: many blocks give the same answer as the reference', async () => {
    const x = uniformMatrix(new Random(5), 3000, 6, -1, 1);
    const ref = gramRef(x);
    const { g, blockRows } = await gramOf(x, REDUCTION_RUN * 2);
    expect(blockRows.length).toBeGreaterThan(4);
    expectWithin(g, ref.g, (i) => bound(REDUCTION_RUN * 2) * ref.abs[i], 'gram over blocks');
  });

  it('keeps full float32 accuracy over 2^18 rows, where one float32 accumulator would not', async () => {
    // Every row is (0.1, 1/3) in float32: the exact Gram is n times the outer product of the row.
    // A sequential float32 sum of 2^18 copies of 0.01 is off by about 1e-3 relatively; runs of 256
    // added pairwise stay within a few u. (2^15 rows on webgpu: SwiftShader takes ~15 s for 2^18.)
    const n = backend === 'webgpu' ? 2 ** 15 : 2 ** 18;
    const row = Float32Array.of(0.1, 1 / 3);
    const data = new Float32Array(n * 2);
    for (let i = 0; i < n; i++) data.set(row, i * 2);
    const { g } = await gramOf({ data, rows: n, cols: 2 });
    const exact = [row[0] * row[0], row[0] * row[1], row[1] * row[0], row[1] * row[1]].map((v) => v * n);
    expectWithin(g, exact, (i) => 300 * U32 * exact[i], 'gram of a repeated row');
  });
});
