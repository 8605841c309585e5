// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { meanShiftStep, type MeanShiftKernel, type WeightedBlock } from '../../src/kernels/meanShiftStep/index.js';
import type { Matrix } from '../../src/matrix.js';
import { Random } from '../../src/random.js';
import { describeEachBackend, it } from '../helpers/backends.js';
import { matrixOf, meanShiftStepRef } from '../helpers/reference.js';
import { U32, expectWithin, tensorOf, uniformMatrix, upload } from './support.js';

/** Integer points in [-4, 4]^d: every squared distance is an integer, exact in float32. */
function lattice(rng: Random, n: number, d: number): Matrix {
  const data = new Float32Array(n * d);
  for (let i = 0; i < data.length; i++) data[i] = rng.int(9) - 4;
  return { data, rows: n, cols: d };
}

async function run(
  seeds: Matrix,
  x: Matrix,
  bandwidth: number,
  kernel: MeanShiftKernel,
  o: { rowsPerBlock?: number; weights?: number[] | Float32Array } = {},
): Promise<{ means: Float32Array; counts: Float32Array; mass: Float32Array }> {
  const up = upload(x, { rowsPerBlock: o.rowsPerBlock, weights: o.weights });
  const blocks: WeightedBlock[] = up.blocks.map((b, i) => ({ x: b.x, weights: up.weights[i] }));
  const st = tensorOf(seeds);
  try {
    const r = meanShiftStep(st, blocks, bandwidth, kernel);
    try {
      expect(r.means.shape).toEqual([seeds.rows, seeds.cols]);
      expect(r.counts.shape).toEqual([seeds.rows]);
      return {
        means: (await r.means.data()) as Float32Array,
        counts: (await r.counts.data()) as Float32Array,
        mass: (await r.mass.data()) as Float32Array,
      };
    } finally {
      tf.dispose([r.means, r.counts, r.mass]);
    }
  } finally {
    st.dispose();
    up.dispose();
  }
}

describeEachBackend('meanShiftStep', () => {
  it('meanShiftStep gives the hand-computed flat mean, includes the bandwidth, and leaves an empty seed in place', async () => {
    const x = matrixOf([[0, 0], [2, 0], [0, 1], [10, 10]]);
    // Seed (0,0), h = 2: (0,0), (2,0) at exactly 2, (0,1): mean (2/3, 1/3). Seed (50,50): nothing.
    const r = await run(matrixOf([[0, 0], [50, 50]]), x, 2, 'flat');
    expect(Array.from(r.counts)).toEqual([3, 0]);
    expect(Array.from(r.mass)).toEqual([3, 0]);
    expect(r.means[0]).toBeCloseTo(2 / 3, 6);
    expect(r.means[1]).toBeCloseTo(1 / 3, 6);
    expect(Array.from(r.means.subarray(2))).toEqual([50, 50]);
  });

  for (const [n, d, rowsPerBlock] of [[60, 3, 7], [300, 5, undefined], [257, 1, 256]] as const) {
    it(`meanShiftStep agrees with the Float64 reference, flat and weighted (n=${n}, d=${d}, blocks of ${rowsPerBlock ?? 'budget'} rows)`, async () => {
      const rng = new Random(n + d);
      const x = lattice(rng, n, d);
      const seeds = lattice(rng, 40, d);
      const h = Math.sqrt(5.5); // no squared distance is within rounding of 5.5
      const weights = Float32Array.from({ length: n }, () => rng.int(4)); // some rows weigh 0
      for (const w of [undefined, weights]) {
        const got = await run(seeds, x, h, 'flat', { rowsPerBlock, weights: w });
        const ref = meanShiftStepRef(seeds, x, h, 'flat', w);
        // Integer sums below 2^24 are exact in float32: counts exact, means off by one division.
        expect(Array.from(got.counts)).toEqual(Array.from(ref.counts));
        expect(Array.from(got.mass)).toEqual(Array.from(ref.mass));
        expectWithin(got.means, ref.means.data, (i) => 2 * U32 * Math.abs(ref.means.data[i]), `flat means, weights ${w ? 'on' : 'off'}`);
      }
    });
  }

  it('meanShiftStep with the Gaussian kernel agrees with the Float64 reference on uniform data', async () => {
    const rng = new Random(3);
    const x = uniformMatrix(rng, 200, 4);
    const seeds = uniformMatrix(rng, 30, 4);
    const h = 0.6;
    const got = await run(seeds, x, h, 'gaussian', { rowsPerBlock: 64 });
    const ref = meanShiftStepRef(seeds, x, h, 'gaussian');
    // Weights exp(−q) with q off by ~1e-6 absolute (data within the unit cube): relative 1e-5 on
    // each weight and so on the mass; a mean of values in [-1, 1] moves by as much absolutely.
    expectWithin(got.mass, ref.mass, (i) => 1e-5 * ref.mass[i], 'gaussian mass');
    expectWithin(got.means, ref.means.data, () => 1e-5, 'gaussian means');
    // Counts within the bandwidth: compare where no distance is within 1e-5 of the bandwidth.
    const refCounts = meanShiftStepRef(seeds, x, h * (1 + 1e-5), 'flat').counts;
    const refLow = meanShiftStepRef(seeds, x, h * (1 - 1e-5), 'flat').counts;
    for (let s = 0; s < seeds.rows; s++) {
      expect(got.counts[s]).toBeGreaterThanOrEqual(refLow[s]);
      expect(got.counts[s]).toBeLessThanOrEqual(refCounts[s]);
    }
  });

  it('meanShiftStep with no weight around a Gaussian seed (underflow) keeps the seed, never NaN', async () => {
    const r = await run(matrixOf([[0], [1]]), matrixOf([[1000]]), 1, 'gaussian');
    expect(Array.from(r.means)).toEqual([0, 1]);
    expect(Array.from(r.mass)).toEqual([0, 0]);
  });
});
