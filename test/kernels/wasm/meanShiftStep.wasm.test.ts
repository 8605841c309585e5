// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect } from 'vitest';
import { meanShiftStep, type MeanShiftKernel, type MeanShiftStepResult, type WeightedBlock } from '../../../src/kernels/meanShiftStep/index.js';
import { MEAN_SHIFT_STEP_DEFAULTS } from '../../../src/kernels/meanShiftStep/options.js';
import { meanShiftStepWasm } from '../../../src/kernels/meanShiftStep/wasm.js';
import { setWasmThreads, wasmThreadStats } from '../../../src/kernels/wasm/threads.js';
import type { Matrix } from '../../../src/matrix.js';
import { Random } from '../../../src/random.js';
import { describeEachBackend, it } from '../../helpers/backends.js';
import { matrixOf, meanShiftStepRef, sqDistRef } from '../../helpers/reference.js';
import { U32, expectWithin, sqDistBound, sqNorms, tensorOf, uniformMatrix, upload } from '../support.js';
import { sameOnThreadCounts } from './threadCounts.js';

type Impl = (seeds: tf.Tensor2D, blocks: readonly WeightedBlock[], bandwidth: number, kernel: MeanShiftKernel) => MeanShiftStepResult;
interface Host {
  means: Float32Array;
  counts: Float32Array;
  mass: Float32Array;
}

/** Uploads `x` (and `weights`) in blocks of `rowsPerBlock` rows, runs `impl`, reads back, disposes everything; checks none leaks. */
async function run(impl: Impl, seeds: Matrix, x: Matrix, h: number, kernel: MeanShiftKernel, o: { rowsPerBlock?: number; weights?: Float32Array } = {}): Promise<Host> {
  const before = tf.memory().numTensors;
  const up = upload(x, { rowsPerBlock: o.rowsPerBlock, weights: o.weights });
  const blocks: WeightedBlock[] = up.blocks.map((b, i) => ({ x: b.x, weights: up.weights[i] }));
  const st = tensorOf(seeds);
  try {
    const r = impl(st, blocks, h, kernel);
    try {
      expect(r.means.shape).toEqual([seeds.rows, seeds.cols]);
      expect(r.counts.shape).toEqual([seeds.rows]);
      expect(r.mass.shape).toEqual([seeds.rows]);
      return { means: (await r.means.data()) as Float32Array, counts: (await r.counts.data()) as Float32Array, mass: (await r.mass.data()) as Float32Array };
    } finally {
      tf.dispose([r.means, r.counts, r.mass]);
    }
  } finally {
    st.dispose();
    up.dispose();
    expect(tf.memory().numTensors, 'no tensor leaks').toBe(before);
  }
}

/** Integer points in [-4, 4]^d: every squared distance is an integer, exact in float32. */
function lattice(rng: Random, n: number, d: number): Matrix {
  return { data: Float32Array.from({ length: n * d }, () => rng.int(9) - 4), rows: n, cols: d };
}

/** Rows of `x` at squared distance within the float32 expansion's rounding of h² from some seed: decisions there may go either way. */
function boundaryFree(seeds: Matrix, x: Matrix, h: number): boolean {
  const ss = sqNorms(seeds);
  const xx = sqNorms(x);
  for (let i = 0; i < seeds.rows; i++) {
    for (let j = 0; j < x.rows; j++) {
      if (Math.abs(sqDistRef(seeds, i, x, j) - h * h) <= sqDistBound(x.cols + 2, ss[i], xx[j] + h * h)) return false;
    }
  }
  return true;
}

/**
 * The wasm step against the portable one on this backend (the same within decisions: counts equal,
 * and mass equal for the flat kernel without weights) and against the Float64 reference: means
 * and mass within `rel` of Σ|w·x| and Σ w (float32 products, float32 sums of at most a block).
 */
async function checkBoth(seeds: Matrix, x: Matrix, h: number, kernel: MeanShiftKernel, o: { rowsPerBlock?: number; weights?: Float32Array }, what: string): Promise<Host> {
  const got = await run(meanShiftStepWasm, seeds, x, h, kernel, o);
  const portable = await run(meanShiftStep.portable, seeds, x, h, kernel, o);
  const ref = meanShiftStepRef(seeds, x, h, kernel, o.weights);
  const d = x.cols;
  // Σ w·wt·|x| per seed and feature: the scale of the means' rounding (relative to the mass).
  const scale = new Float64Array(seeds.rows * d);
  for (let s = 0; s < seeds.rows; s++) {
    for (let j = 0; j < x.rows; j++) {
      const q = sqDistRef(seeds, s, x, j);
      const w = (kernel === 'flat' ? (q <= h * h ? 1 : 0) : Math.exp(-q / (2 * h * h))) * (o.weights ? o.weights[j] : 1);
      for (let f = 0; f < d; f++) scale[s * d + f] += w * Math.abs(x.data[j * d + f]);
    }
  }
  const n = x.rows;
  const tol = kernel === 'flat' ? (n + 8) * U32 : 1e-5;
  // Whole weights give whole sums, exact in any order: the decisions must then match exactly.
  const whole = o.weights === undefined || o.weights.every((v) => Number.isInteger(v));
  if (whole && kernel === 'flat' && boundaryFree(seeds, x, h)) {
    expect(Array.from(got.counts), `${what}: counts against the reference`).toEqual(Array.from(ref.counts, (v) => Math.fround(v)));
  }
  if (whole) expect(Array.from(got.counts), `${what}: counts against portable`).toEqual(Array.from(portable.counts));
  else expectWithin(got.counts, portable.counts, (i) => 2 * (n + 8) * U32 * ref.counts[i], `${what}: weighted counts against portable`);
  if (whole && kernel === 'flat') expect(Array.from(got.mass), `${what}: mass against portable`).toEqual(Array.from(portable.mass));
  expectWithin(got.mass, ref.mass, (i) => tol * ref.mass[i] + 1e-30, `${what}: mass`);
  const massOf = (i: number): number => ref.mass[Math.floor(i / d)];
  expectWithin(got.means, ref.means.data, (i) => (massOf(i) > 0 ? (tol * scale[i]) / massOf(i) + 2 * U32 * Math.abs(ref.means.data[i]) : 0), `${what}: means vs reference`);
  expectWithin(got.means, portable.means, (i) => (massOf(i) > 0 ? (2 * tol * scale[i]) / massOf(i) + 4 * U32 * Math.abs(ref.means.data[i]) : 0), `${what}: means vs portable`);
  return got;
}

describeEachBackend(
  'meanShiftStep, wasm SIMD kernel',
  () => {
    it('meanShiftStepWasm gives the hand-computed flat mean, includes a point exactly at the bandwidth, keeps an empty seed', async () => {
      const x = matrixOf([
        [0, 0],
        [2, 0],
        [0, 1],
        [10, 10],
      ]);
      const r = await run(meanShiftStepWasm, matrixOf([[0, 0], [50, 50]]), x, 2, 'flat');
      expect(Array.from(r.counts)).toEqual([3, 0]);
      expect(Array.from(r.mass)).toEqual([3, 0]);
      expect(Array.from(r.means)).toEqual([Math.fround(2 / 3), Math.fround(1 / 3), 50, 50]);
      // Just below 2: (2, 0) drops out, on both kernels.
      const below = await run(meanShiftStepWasm, matrixOf([[0, 0]]), x, 2 - 2 ** -22, 'flat');
      expect(Array.from(below.counts)).toEqual([2]);
      expect(Array.from((await run(meanShiftStep.portable, matrixOf([[0, 0]]), x, 2 - 2 ** -22, 'flat')).counts)).toEqual([2]);
    });

    it('meanShiftStepWasm agrees with the portable kernel and the reference on lattice data (ties, duplicates, points exactly at h), flat and weighted', async () => {
      const rng = new Random(131);
      for (const [n, d, rowsPerBlock] of [
        [60, 3, 7],
        [301, 5, undefined],
        [257, 1, 256],
        [130, 8, 64],
      ] as const) {
        const x = lattice(rng, n, d);
        const seeds = lattice(rng, 41, d);
        const weights = Float32Array.from({ length: n }, () => rng.int(4));
        for (const h of [Math.sqrt(5.5), 2, 3]) {
          for (const w of [undefined, weights]) {
            await checkBoth(seeds, x, h, 'flat', { rowsPerBlock, weights: w }, `n=${n} d=${d} h=${h} weights ${w ? 'on' : 'off'}`);
          }
        }
      }
    });

    it('meanShiftStepWasm agrees with the portable kernel and the reference on uniform data for d from 1 to 300, flat and Gaussian', async () => {
      const rng = new Random(132);
      for (const [n, s, d, h, rowsPerBlock] of [
        [50, 9, 1, 0.3, 17],
        [200, 30, 4, 0.6, 64],
        [301, 23, 16, 1.5, 100],
        [97, 13, 33, 2.5, undefined],
        [61, 7, 300, 9, 30],
      ] as const) {
        const x = uniformMatrix(rng, n, d);
        const seeds = uniformMatrix(rng, s, d);
        const weights = Float32Array.from({ length: n }, () => rng.next() * 2);
        for (const kernel of ['flat', 'gaussian'] as const) {
          for (const w of [undefined, weights]) {
            await checkBoth(seeds, x, h, kernel, { rowsPerBlock, weights: w }, `${kernel} n=${n} d=${d} weights ${w ? 'on' : 'off'}`);
          }
        }
      }
    });

    it('meanShiftStepWasm with one huge cluster keeps exact counts and float64 sums; Gaussian underflow keeps the seed', async () => {
      const n = 50_003;
      const x: Matrix = { data: new Float32Array(n * 2), rows: n, cols: 2 };
      for (let i = 0; i < n; i++) x.data.set([0.1 + (i % 7) * 1e-3, 0.2], i * 2);
      const seeds = matrixOf([[0.1, 0.2]]);
      const r = await run(meanShiftStepWasm, seeds, x, 1, 'flat');
      expect(r.counts[0]).toBe(n);
      const ref = meanShiftStepRef(seeds, x, 1, 'flat');
      expectWithin(r.means, ref.means.data, (i) => 2 * U32 * Math.abs(ref.means.data[i]) + 300 * U32 * Math.abs(ref.means.data[i]), 'huge cluster means');
      const far = await run(meanShiftStepWasm, matrixOf([[0], [1]]), matrixOf([[1000]]), 1, 'gaussian');
      expect(Array.from(far.means)).toEqual([0, 1]);
      expect(Array.from(far.mass)).toEqual([0, 0]);
    });

    describe('on worker threads', () => {
      // One group of four seeds per chunk: many chunks out of small inputs.
      const chunking = { ...MEAN_SHIFT_STEP_DEFAULTS.chunking, rows: 4 };
      const chunked: Impl = (seeds, blocks, h, kernel) => meanShiftStepWasm(seeds, blocks, h, kernel, { chunking });
      afterAll(async () => {
        await setWasmThreads();
      });

      it('meanShiftStepWasm gives the same bits on 1, 2 and 3 threads and in chunks of any size, and hands chunks to the workers', async () => {
        const rng = new Random(133);
        for (const [n, s, d, h] of [
          [203, 37, 1, 0.3],
          [250, 29, 16, 1.5],
          [61, 13, 300, 9],
        ] as const) {
          const x = uniformMatrix(rng, n, d);
          const seeds = uniformMatrix(rng, s, d);
          const weights = Float32Array.from({ length: n }, () => rng.next());
          for (const kernel of ['flat', 'gaussian'] as const) {
            const got = await sameOnThreadCounts(() => run(chunked, seeds, x, h, kernel, { rowsPerBlock: 100, weights }));
            expect(got, 'the chunking changes no bit').toEqual(await run(meanShiftStepWasm, seeds, x, h, kernel, { rowsPerBlock: 100, weights }));
          }
        }
        await setWasmThreads(2);
        const x = uniformMatrix(rng, 2000, 8);
        const before = wasmThreadStats().workerChunks;
        for (let i = 0; i < 100 && wasmThreadStats().workerChunks === before; i++) await run(chunked, rowsOfMatrix(x, 64), x, 1, 'gaussian');
        expect(wasmThreadStats().workerChunks).toBeGreaterThan(before);
      });
    });

    it('loadKernels(\'wasm\') makes meanShiftStep run the wasm kernel on wasm', async () => {
      await (await import('../../../src/kernels/shared/registry.js')).loadKernels('wasm');
      expect(meanShiftStep.implementationFor('wasm')).toBe('wasm');
    });
  },
  ['wasm'],
);

/** The first `rows` rows of `m`. */
function rowsOfMatrix(m: Matrix, rows: number): Matrix {
  return { data: m.data.slice(0, rows * m.cols), rows, cols: m.cols };
}
