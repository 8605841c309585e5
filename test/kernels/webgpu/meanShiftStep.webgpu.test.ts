// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, expect } from 'vitest';
import { meanShiftStep, type MeanShiftKernel, type WeightedBlock } from '../../../src/kernels/meanShiftStep/index.js';
import { meanShiftStepWebgpu } from '../../../src/kernels/meanShiftStep/webgpu.js';
import { setWebgpuBindingLimit, webgpuFallbacks } from '../../../src/kernels/webgpu/run.js';
import type { Matrix } from '../../../src/matrix.js';
import { Random } from '../../../src/random.js';
import { describeEachBackend, it } from '../../helpers/backends.js';
import { matrixOf, meanShiftStepRef, sqDistRef } from '../../helpers/reference.js';
import { expectWithin, tensorOf, uniformMatrix, upload } from '../support.js';

type Impl = typeof meanShiftStepWebgpu;
interface Got {
  means: Float32Array;
  counts: Float32Array;
  mass: Float32Array;
}

/** Runs `impl` over `x` uploaded in blocks of `rowsPerBlock` rows, checks shapes, disposes every tensor. */
async function run(impl: Impl, seeds: Matrix, x: Matrix, bandwidth: number, kernel: MeanShiftKernel, weights: number[] | null, rowsPerBlock?: number): Promise<Got> {
  const up = upload(x, { rowsPerBlock, weights });
  const st = tensorOf(seeds);
  const blocks: WeightedBlock[] = up.blocks.map((b, i) => ({ x: b.x, weights: up.weights[i] }));
  try {
    const out = impl(st, blocks, bandwidth, kernel);
    try {
      expect(out.means.shape).toEqual([seeds.rows, seeds.cols]);
      expect(out.counts.shape).toEqual([seeds.rows]);
      expect(out.mass.shape).toEqual([seeds.rows]);
      const [means, counts, mass] = await Promise.all([out.means.data(), out.counts.data(), out.mass.data()]);
      return { means: means as Float32Array, counts: counts as Float32Array, mass: mass as Float32Array };
    } finally {
      tf.dispose([out.means, out.counts, out.mass]);
    }
  } finally {
    st.dispose();
    up.dispose();
  }
}

function lattice(rng: Random, n: number, d: number, span: number): Matrix {
  return { data: Float32Array.from({ length: n * d }, () => rng.int(span) - (span >> 1)), rows: n, cols: d };
}

/** A radius whose square is r2 in float64 (at least) and in float32 (exactly): rows at r2 are inside. */
function radiusOf(r2: number): number {
  let r = Math.sqrt(r2);
  while (r * r < r2) r += r * 2 ** -52;
  return r;
}

const U = 2 ** -24;

describeEachBackend(
  'meanShiftStep, WGSL kernel',
  () => {
    afterEach(() => {
      setWebgpuBindingLimit(null);
      void webgpuFallbacks(true);
    });

    it('is the kernel registered for webgpu', () => {
      expect(meanShiftStep.implementationFor('webgpu')).toBe('webgpu');
    });

    it('meanShiftStepWebgpu gives the hand-computed flat step: the row at exactly the bandwidth is in, a seed with nothing near keeps its place', async () => {
      const seeds = matrixOf([[0, 0], [50, 50]]);
      const x = matrixOf([[0, 0], [2, 0], [0, 3], [10, 10]]);
      const got = await run(meanShiftStepWebgpu, seeds, x, 2, 'flat', null);
      expect(Array.from(got.means)).toEqual([1, 0, 50, 50]);
      expect(Array.from(got.counts)).toEqual([2, 0]);
      expect(Array.from(got.mass)).toEqual([2, 0]);
      expect(webgpuFallbacks()).toEqual([]);
    });

    for (const d of [1, 3, 129, 300]) {
      it(`meanShiftStepWebgpu, flat, equals the reference on integer data with rows at exactly the bandwidth, with and without weights (d=${d})`, async () => {
        const rng = new Random(40 + d);
        const n = d > 100 ? 300 : 700; // several chunks of 256, the last partial; blocks of 300
        const x = lattice(rng, n, d, 4);
        const seeds = lattice(rng, 13, d, 3); // not a multiple of the 8 seeds of a workgroup
        const weights = Array.from({ length: n }, (_, i) => i % 3);
        // h² the 30% quantile of the squared seed-row distances: some rows are at exactly h.
        const dists: number[] = [];
        for (let i = 0; i < seeds.rows; i++) for (let j = 0; j < n; j++) dists.push(sqDistRef(seeds, i, x, j));
        dists.sort((p, q) => p - q);
        const bandwidth = radiusOf(dists[Math.floor(0.3 * (dists.length - 1))]);
        for (const w of [null, weights]) {
          const got = await run(meanShiftStepWebgpu, seeds, x, bandwidth, 'flat', w, 300);
          const portable = await run(meanShiftStep.portable, seeds, x, bandwidth, 'flat', w, 300);
          const ref = meanShiftStepRef(seeds, x, bandwidth, 'flat', w);
          // Integer sums below 2^24 are exact in any order: counts, mass and sums are exact.
          expect(Array.from(got.counts)).toEqual(Array.from(ref.counts));
          expect(Array.from(got.mass)).toEqual(Array.from(ref.mass));
          expect(Array.from(got.counts)).toEqual(Array.from(portable.counts));
          expect(ref.counts.some((c) => c > 0)).toBe(true);
          expectWithin(got.means, ref.means.data, (i) => U * Math.abs(ref.means.data[i]), `d=${d} means vs reference (one rounding)`);
          expectWithin(got.means, portable.means, (i) => 2 * U * Math.abs(portable.means[i]), `d=${d} means vs portable`);
        }
        expect(webgpuFallbacks()).toEqual([]);
      });
    }

    for (const d of [2, 70, 300]) {
      it(`meanShiftStepWebgpu, Gaussian, agrees with the reference and the portable kernel on uniform data with weights (d=${d})`, async () => {
        const rng = new Random(60 + d);
        const n = 530;
        const x = uniformMatrix(rng, n, d, -1, 1);
        const seeds = uniformMatrix(rng, 11, d, -0.5, 0.5);
        const weights = Array.from({ length: n }, () => 0.5 + rng.next());
        const bandwidth = 0.5 * Math.sqrt(d);
        for (const w of [null, weights]) {
          const got = await run(meanShiftStepWebgpu, seeds, x, bandwidth, 'gaussian', w, 256);
          const portable = await run(meanShiftStep.portable, seeds, x, bandwidth, 'gaussian', w, 256);
          const ref = meanShiftStepRef(seeds, x, bandwidth, 'gaussian', w);
          // exp of a float32 expansion: relative error of a weight about |exponent|·(2d + 8)u plus exp's own ulps.
          const rel = (2 * d + 64) * 8 * U;
          expectWithin(got.mass, ref.mass, (i) => rel * ref.mass[i], `d=${d} mass vs reference`);
          expectWithin(got.mass, portable.mass, (i) => 2 * rel * ref.mass[i], `d=${d} mass vs portable`);
          expectWithin(got.means, ref.means.data, () => rel, `d=${d} means vs reference`);
          expectWithin(got.means, portable.means, () => 2 * rel, `d=${d} means vs portable`);
          // Counts: rows within rounding of h² may go either way, the rest must not.
          got.counts.forEach((c, s) => expect(Math.abs(c - ref.counts[s]), `d=${d} seed ${s} count`).toBeLessThanOrEqual(w ? 2 : 1));
        }
      });
    }

    it('meanShiftStepWebgpu handles one huge cluster of duplicates and far outliers', async () => {
      const d = 4;
      const n = 600;
      const data = new Float32Array(n * d);
      for (let i = 590; i < n; i++) data.fill(100 + i, i * d, (i + 1) * d);
      const x: Matrix = { data, rows: n, cols: d };
      const seeds = matrixOf([[0, 0, 0, 0], [1, 0, 0, 0], [600, 600, 600, 600]]);
      for (const kernel of ['flat', 'gaussian'] as const) {
        const got = await run(meanShiftStepWebgpu, seeds, x, 1, kernel, null);
        const ref = meanShiftStepRef(seeds, x, 1, kernel);
        expect(Array.from(got.counts), kernel).toEqual(Array.from(ref.counts));
        expectWithin(got.mass, ref.mass, (i) => 1e-5 * ref.mass[i], `${kernel} mass`);
        expectWithin(got.means, ref.means.data, () => 1e-5, `${kernel} means`);
      }
    });

    it('meanShiftStepWebgpu runs the portable kernel beyond the binding limit and records why', async () => {
      const rng = new Random(2);
      const x = lattice(rng, 64, 3, 5);
      const seeds = lattice(rng, 5, 3, 3);
      setWebgpuBindingLimit(4 * 64 * 3 - 4);
      const got = await run(meanShiftStepWebgpu, seeds, x, 2, 'flat', null);
      const ref = meanShiftStepRef(seeds, x, 2, 'flat');
      expect(Array.from(got.counts)).toEqual(Array.from(ref.counts));
      const fell = webgpuFallbacks(true);
      expect(fell.map((f) => f.kernel)).toEqual(['meanShiftStep']);
      expect(fell[0].reason).toMatch(/data block of 64×3 floats is over the 764-byte binding limit/);
    });
  },
  ['webgpu'],
);
