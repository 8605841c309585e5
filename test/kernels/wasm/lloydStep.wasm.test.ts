// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, expect } from 'vitest';
import { lloydStep } from '../../../src/kernels/lloydStep/index.js';
import { REDUCTION_RUN } from '../../../src/kernels/shared/tiling.js';
import {
  clearWasmData,
  releaseDisposedWasmData,
  setWasmDataLimit,
  wasmKernels,
} from '../../../src/kernels/wasm/kernelModule.js';
import { lloydChunkRows, lloydStepWasm } from '../../../src/kernels/lloydStep/wasm.js';
import type { LloydChunking } from '../../../src/kernels/lloydStep/options.js';
import { setWasmThreads, wasmThreadStats } from '../../../src/kernels/wasm/threads.js';
import type { Matrix } from '../../../src/matrix.js';
import { Random } from '../../../src/random.js';
import { describe } from 'vitest';
import { describeEachBackend, it } from '../../helpers/backends.js';
import { lloydStepRef, matrixOf } from '../../helpers/reference.js';
import { U32, blobs, expectWithin, sqDistBound, sqNorms, tensorOf, uniformMatrix, upload, runLloydBlocks, type LloydBlocksResult } from '../support.js';
import { sameOnThreadCounts } from './threadCounts.js';

/** Runs `impl` over `x` in row blocks (see runLloydBlocks in ../support.ts). */
const run = (impl: Parameters<typeof runLloydBlocks>[0], x: Matrix, centers: Matrix, weights: ArrayLike<number> | null, rowsPerBlock?: number) =>
  runLloydBlocks(impl, x, centers, weights, rowsPerBlock);

/** Σ|w·x| and Σ|w| per cluster of the reference labels: the scale of the sums' rounding. */
function magnitudes(x: Matrix, k: number, labels: Int32Array, weights: ArrayLike<number> | null): { sums: Float64Array; counts: Float64Array } {
  const d = x.cols;
  const sums = new Float64Array(k * d);
  const counts = new Float64Array(k);
  for (let i = 0; i < x.rows; i++) {
    const w = weights ? weights[i] : 1;
    counts[labels[i]] += Math.abs(w);
    for (let j = 0; j < d; j++) sums[labels[i] * d + j] += Math.abs(w * x.data[i * d + j]);
  }
  return { sums, counts };
}

/**
 * The fused kernel against the Float64 reference: labels exact (clear margins or exact ties);
 * distances by direct differences, relatively accurate: within (d + 4)·u of the exact value
 * (each difference and square rounds once, the d-term sum adds (d − 1)·u); counts and sums
 * accumulated in float64 from exact products: within (t·2^-53 + 2^-47) of Σ|w·x| (the last term
 * for the hi/lo float32 split of the total).
 */
function checkAgainstReference(got: LloydBlocksResult, x: Matrix, centers: Matrix, weights: ArrayLike<number> | null): void {
  const ref = lloydStepRef(x, centers, weights);
  expect(Array.from(got.labels), 'labels').toEqual(Array.from(ref.labels));
  expectWithin(got.distances, ref.distances, (i) => (x.cols + 4) * U32 * ref.distances[i], 'distances');
  const mag = magnitudes(x, centers.rows, ref.labels, weights);
  const rel = Math.max(...got.blockRows) * 2 ** -53 + 2 ** -47;
  if (weights) expectWithin(got.counts, ref.counts, (c) => rel * mag.counts[c], 'counts');
  else expect(Array.from(got.counts), 'counts').toEqual(Array.from(ref.counts));
  expectWithin(got.sums, ref.sums, (i) => rel * mag.sums[i], 'sums');
}

/** The fused kernel against the portable one: the same labels, the rest within the portable kernel's float32 bounds. */
function checkAgainstPortable(got: LloydBlocksResult, portable: LloydBlocksResult, x: Matrix, centers: Matrix, weights: ArrayLike<number> | null): void {
  expect(Array.from(got.labels), 'labels as portable').toEqual(Array.from(portable.labels));
  const xx = sqNorms(x);
  const cc = sqNorms(centers);
  expectWithin(got.distances, portable.distances, (i) => sqDistBound(x.cols, xx[i], cc[got.labels[i]]), 'distances as portable');
  const mag = magnitudes(x, centers.rows, got.labels, weights);
  const slack = (Math.min(REDUCTION_RUN, Math.max(...portable.blockRows)) + 3) * U32;
  if (weights) expectWithin(got.counts, portable.counts, (c) => slack * mag.counts[c], 'counts as portable');
  else expect(Array.from(got.counts), 'counts as portable').toEqual(Array.from(portable.counts));
  expectWithin(got.sums, portable.sums, (i) => slack * mag.sums[i], 'sums as portable');
}

async function checkBoth(x: Matrix, centers: Matrix, weights: ArrayLike<number> | null, rowsPerBlock?: number): Promise<void> {
  const got = await run(lloydStepWasm, x, centers, weights, rowsPerBlock);
  checkAgainstReference(got, x, centers, weights);
  checkAgainstPortable(got, await run(lloydStep.portable, x, centers, weights, rowsPerBlock), x, centers, weights);
}

describeEachBackend(
  'lloydStep, fused wasm kernel',
  () => {
    afterAll(() => clearWasmData());

    it('lloydStepWasm gives the hand-computed labels, distances, counts and sums, totals as two float32 runs', async () => {
      const x = matrixOf([
        [0, 0],
        [0, 1],
        [10, 10],
        [10, 11],
      ]);
      const centers = matrixOf([
        [0, 0],
        [10, 10],
      ]);
      const got = await run(lloydStepWasm, x, centers, [1, 2, 3, 0]);
      expect(Array.from(got.labels)).toEqual([0, 0, 1, 1]);
      expect(Array.from(got.distances)).toEqual([0, 1, 0, 1]);
      expect(Array.from(got.counts)).toEqual([3, 3]);
      expect(Array.from(got.sums)).toEqual([0, 2, 30, 30]);
      const xt = tensorOf(x);
      const ct = tensorOf(centers);
      const out = lloydStepWasm(xt, ct, null);
      expect(out.counts.shape).toEqual([2, 2]);
      expect(out.sums.shape).toEqual([2, 2, 2]);
      tf.dispose([xt, ct, out.labels, out.distances, out.counts, out.sums]);
    });

    it('lloydStepWasm agrees with the reference and the portable kernel for d from 1 to 300, t off multiples of 4 and 256', async () => {
      const rng = new Random(7);
      const cases: Array<[number, number, number, number | undefined]> = [
        // [n, d, k, rowsPerBlock]
        [1, 1, 1, undefined],
        [3, 1, 3, undefined],
        [257, 2, 4, undefined],
        [255, 3, 5, 100],
        [1001, 5, 8, 256],
        [1001, 7, 9, undefined],
        [600, 16, 8, 256],
        [777, 33, 6, 300],
        [130, 300, 3, 50],
        [97, 299, 7, undefined],
      ];
      for (const [n, d, k, rowsPerBlock] of cases) {
        const { x, centers } = blobs(rng, n, d, k);
        const weights = Float32Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 0 : 0.25 + 4 * rng.next()));
        for (const w of [null, weights]) await checkBoth(x, centers, w, rowsPerBlock);
      }
    });

    it('lloydStepWasm breaks exact ties by the lowest index, across SIMD lanes and groups of four centers', async () => {
      const k = 9;
      for (let a = 0; a < k; a++) {
        for (let b = a + 1; b < k; b++) {
          // Every value exact in float32: the row at the origin is exactly 1 from a and b, farther from the rest.
          const centers = matrixOf(Array.from({ length: k }, (_, j) => (j === a ? [1, 0, 0] : j === b ? [-1, 0, 0] : [0, 2 + j, 0])));
          const x = matrixOf([
            [0, 0, 0],
            [0, 0, 0],
          ]);
          const got = await run(lloydStepWasm, x, centers, null);
          expect(Array.from(got.labels), `tie between ${a} and ${b}`).toEqual([a, a]);
          expect(Array.from(got.distances)).toEqual([1, 1]);
          const portable = await run(lloydStep.portable, x, centers, null);
          expect(Array.from(portable.labels)).toEqual([a, a]);
        }
      }
    });

    it('lloydStepWasm gives duplicate centers the lowest index and rows on a center distance 0', async () => {
      const rng = new Random(8);
      const c = uniformMatrix(rng, 3, 6);
      const centers: Matrix = { data: Float32Array.from([...c.data, ...c.data.subarray(0, 6)]), rows: 4, cols: 6 }; // center 3 = center 0
      const x: Matrix = { data: Float32Array.from({ length: 50 * 6 }, (_, i) => c.data[(Math.floor(i / 6) % 3) * 6 + (i % 6)]), rows: 50, cols: 6 };
      const got = await run(lloydStepWasm, x, centers, null);
      expect(Array.from(got.labels)).toEqual(Array.from({ length: 50 }, (_, i) => i % 3));
      expect(Array.from(got.distances)).toEqual(new Array(50).fill(0));
      expect(got.counts[3]).toBe(0);
      checkAgainstReference(got, x, centers, null);
    });

    it('lloydStepWasm with k = 1 and with one huge cluster far from the origin keeps float64 sums', async () => {
      const rng = new Random(9);
      const k1 = uniformMatrix(rng, 1, 4);
      const x1 = uniformMatrix(rng, 1003, 4);
      const got1 = await run(lloydStepWasm, x1, k1, null);
      expect(Array.from(got1.counts)).toEqual([1003]);
      checkAgainstReference(got1, x1, k1, null);
      // 200,003 rows near (1000, ..., 1000) in one cluster, 3 rows elsewhere: float32 runs would lose digits here.
      const n = 200_003;
      const d = 5;
      const x = new Float32Array(n * d);
      for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) x[i * d + j] = i < 3 ? -1000 * (j + 1) * (i + 1) : 1000 + rng.next();
      const centers = matrixOf([
        [-1000, -2000, -3000, -4000, -5000],
        [1000, 1000, 1000, 1000, 1000],
        [-3000, -6000, -9000, -12000, -15000],
      ]);
      const m: Matrix = { data: x, rows: n, cols: d };
      const got = await run(lloydStepWasm, m, centers, null);
      expect(got.counts[1]).toBe(n - 3);
      checkAgainstReference(got, m, centers, null);
    });

    it('lloydStepWasm keeps each block in its memory across calls and frees it once the block is disposed', async () => {
      clearWasmData();
      const rng = new Random(10);
      const { x, centers } = blobs(rng, 5000, 12, 4);
      const ct = tensorOf(centers);
      const cycle = async (): Promise<number> => {
        const up = upload(x, { rowsPerBlock: 1024 });
        const iterate = async (): Promise<void> => {
          for (let iter = 0; iter < 3; iter++) {
            for (const b of up.blocks) {
              const out = lloydStepWasm(b.x, ct, null);
              await out.counts.data();
              tf.dispose([out.labels, out.distances, out.counts, out.sums]);
            }
          }
        };
        await iterate();
        // One copy per block in groups of four rows, [ceil(t/4), 12, 4] float32 (d = 12 needs no padding).
        const copies = up.blocks.reduce((sum, b) => sum + Math.ceil(b.x.shape[0] / 4) * 12 * 4 * 4, 0);
        expect(clearWasmData(), 'one copy per block, kept across calls').toBe(copies);
        await iterate(); // copies made again
        up.dispose(); // disposeBlocks tells the registry's listener to free the copies at once
        expect(releaseDisposedWasmData(), 'nothing left to free after disposeBlocks').toBe(0);
        expect(clearWasmData(), 'nothing left in the cache').toBe(0);
        return wasmKernels().memory.buffer.byteLength;
      };
      const first = await cycle();
      expect(await cycle(), 'freed blocks are reused: the module memory does not grow').toBe(first);
      ct.dispose();
    });

    it('lloydStepWasm sees new data after a tf.Variable block is assigned', async () => {
      const init = tf.tensor2d([0, 0, 10, 10], [2, 2]);
      const v = tf.variable(init);
      const c = tf.tensor2d([0, 0, 10, 10], [2, 2]);
      const first = lloydStepWasm(v, c, null);
      expect(Array.from(await first.labels.data())).toEqual([0, 1]);
      const next = tf.tensor2d([10, 10, 0, 1], [2, 2]);
      v.assign(next);
      const second = lloydStepWasm(v, c, null);
      expect(Array.from(await second.labels.data())).toEqual([1, 0]);
      expect(Array.from(await second.distances.data())).toEqual([0, 1]);
      tf.dispose([init, v, c, next, first.labels, first.distances, first.counts, first.sums]);
      tf.dispose([second.labels, second.distances, second.counts, second.sums]);
      releaseDisposedWasmData();
    });

    it('lloydStepWasm past its cache limit evicts the least recently used copies and stays correct', async () => {
      clearWasmData();
      const rng = new Random(11);
      const { x, centers } = blobs(rng, 3000, 8, 3);
      // Room for two of the three blocks' copies, [250, 8, 4] float32 each.
      const copy = 250 * 8 * 4 * 4;
      setWasmDataLimit(2 * copy);
      try {
        const got = await run(lloydStepWasm, x, centers, null, 1000);
        checkAgainstReference(got, x, centers, null);
        const up = upload(x, { rowsPerBlock: 1000 });
        const ct = tensorOf(centers);
        try {
          for (const b of up.blocks) {
            const out = lloydStepWasm(b.x, ct, null);
            tf.dispose([out.labels, out.distances, out.counts, out.sums]);
          }
          expect(clearWasmData(), 'the third copy evicted the first: two held').toBe(2 * copy);
        } finally {
          ct.dispose();
          up.dispose();
        }
      } finally {
        setWasmDataLimit(1024 * 1024 * 1024);
        clearWasmData();
      }
    });

    describe('on worker threads', () => {
      // Chunks of a few dozen rows, so that small inputs are cut into many chunks that the threads share.
      const chunking: LloydChunking = { work: 2 ** 11, maxChunks: 1000 };
      const chunked = (x: tf.Tensor2D, c: tf.Tensor2D, w: tf.Tensor1D | null) => lloydStepWasm(x, c, w, { chunking });
      afterAll(async () => {
        await setWasmThreads();
      });

      /** Runs `x` on 1, 2 and 3 threads; all must give the same bits; returns the 1-thread result. */
      function onThreads(x: Matrix, centers: Matrix, weights: ArrayLike<number> | null, rowsPerBlock?: number): Promise<LloydBlocksResult> {
        return sameOnThreadCounts(() => run(chunked, x, centers, weights, rowsPerBlock), 'labels, distances, counts and sums');
      }

      it('lloydStepWasm gives the same labels and float64 sums on 1, 2 and 3 threads, as the reference and the portable kernel do, for d from 1 to 300', async () => {
        const rng = new Random(21);
        const cases: Array<[number, number, number, number | undefined]> = [
          // [n, d, k, rowsPerBlock]: n off multiples of 4 and of the chunk, one chunk and many
          [3, 1, 2, undefined],
          [2001, 1, 3, undefined],
          [1999, 3, 5, 700],
          [3001, 16, 8, undefined],
          [1003, 33, 6, 256],
          [257, 300, 3, undefined],
        ];
        for (const [n, d, k, rowsPerBlock] of cases) {
          const { x, centers } = blobs(rng, n, d, k);
          const chunks = Math.ceil(n / lloydChunkRows(n, k, (d + 3) & ~3, chunking));
          if (n > 100) expect(chunks, `n=${n} d=${d} k=${k} is cut into several chunks`).toBeGreaterThan(2);
          const weights = Float32Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 0 : 0.25 + 4 * rng.next()));
          for (const w of [null, weights]) {
            const got = await onThreads(x, centers, w, rowsPerBlock);
            checkAgainstReference(got, x, centers, w);
            checkAgainstPortable(got, await run(lloydStep.portable, x, centers, w, rowsPerBlock), x, centers, w);
          }
        }
      });

      it('lloydStepWasm on threads keeps exact ties at the lowest index, duplicates at distance 0, and one huge cluster in float64', async () => {
        const rng = new Random(22);
        // 4001 rows at the origin, exactly 1 from centers 2 and 5, farther from the rest.
        const centers = matrixOf(Array.from({ length: 7 }, (_, j) => (j === 2 ? [1, 0, 0] : j === 5 ? [-1, 0, 0] : [0, 2 + j, 0])));
        const ties = await onThreads({ data: new Float32Array(4001 * 3), rows: 4001, cols: 3 }, centers, null);
        expect(ties.labels.every((l) => l === 2)).toBe(true);
        expect(ties.counts[2]).toBe(4001);
        // Duplicate rows and a duplicate center.
        const c = uniformMatrix(rng, 3, 6);
        const dupCenters: Matrix = { data: Float32Array.from([...c.data, ...c.data.subarray(0, 6)]), rows: 4, cols: 6 };
        const dup: Matrix = { data: Float32Array.from({ length: 3001 * 6 }, (_, i) => c.data[(Math.floor(i / 6) % 3) * 6 + (i % 6)]), rows: 3001, cols: 6 };
        const got = await onThreads(dup, dupCenters, null);
        expect(Array.from(got.distances).every((v) => v === 0)).toBe(true);
        expect(got.counts[3]).toBe(0);
        checkAgainstReference(got, dup, dupCenters, null);
        // One huge cluster far from the origin and three outliers.
        const n = 60_003;
        const d = 5;
        const x = new Float32Array(n * d);
        for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) x[i * d + j] = i % 20_000 === 7 ? -1000 * (j + 1) : 1000 + rng.next();
        const huge: Matrix = { data: x, rows: n, cols: d };
        const hc = matrixOf([
          [-1000, -2000, -3000, -4000, -5000],
          [1000, 1000, 1000, 1000, 1000],
        ]);
        const h = await onThreads(huge, hc, null);
        expect(h.counts[1]).toBe(n - 3);
        checkAgainstReference(h, huge, hc, null);
      });

      it('lloydStepWasm really hands chunks to the workers', async () => {
        const rng = new Random(23);
        const { x, centers } = blobs(rng, 20_000, 16, 8);
        await setWasmThreads(2);
        // A worker that wakes late finds every chunk taken; over many calls it takes some.
        for (let i = 0; i < 200 && wasmThreadStats().workerChunks === 0; i++) await run(chunked, x, centers, null);
        expect(wasmThreadStats().workerChunks).toBeGreaterThan(0);
      });
    });

    it('loadKernels(\'wasm\') makes lloydStep run the fused kernel on wasm', async () => {
      await (await import('../../../src/kernels/shared/registry.js')).loadKernels('wasm');
      try {
        expect(lloydStep.implementationFor('wasm')).toBe('wasm');
        const x = tf.tensor2d([0, 0, 10, 10], [2, 2]);
        const c = tf.tensor2d([0, 0, 10, 10], [2, 2]);
        const out = lloydStep(x, c, null);
        expect(out.counts.shape).toEqual([2, 2]);
        expect(Array.from(await out.labels.data())).toEqual([0, 1]);
        tf.dispose([x, c, out.labels, out.distances, out.counts, out.sums]);
      } finally {
        lloydStep.unregister('wasm');
        clearWasmData();
      }
    });
  },
  ['wasm'],
);
