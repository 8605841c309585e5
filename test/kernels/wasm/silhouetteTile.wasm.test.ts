// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect } from 'vitest';
import { silhouetteTile, type LabeledBlock } from '../../../src/kernels/silhouetteTile/index.js';
import { clearWasmData, releaseDisposedWasmData, wasmKernels } from '../../../src/kernels/wasm/kernelModule.js';
import { SILHOUETTE_TILE_DEFAULTS } from '../../../src/kernels/silhouetteTile/options.js';
import { silhouetteTileWasm } from '../../../src/kernels/silhouetteTile/wasm.js';
import { setWasmThreads, wasmThreadStats } from '../../../src/kernels/wasm/threads.js';
import type { Matrix } from '../../../src/matrix.js';
import { silhouette } from '../../../src/metrics/silhouette.js';
import { Random } from '../../../src/random.js';
import { describeEachBackend, it } from '../../helpers/backends.js';
import { matrixOf, silhouetteScoreRef, silhouetteTileRef } from '../../helpers/reference.js';
import { U32, blobs, expectWithin, rowsOf, tensorOf, uniformLabels, uniformMatrix, upload } from '../support.js';
import { silhouetteTermBounds } from '../../helpers/bounds.js';
import { sameOnThreadCounts } from './threadCounts.js';

type Impl = (rows: tf.Tensor2D, columns: readonly LabeledBlock[], k: number) => tf.Tensor2D;

/**
 * Bytes of a column block's copy in our memory in the 'labelGroups4' layout (kernelModule.ts):
 * each label's rows in groups of four, [groups, dp, 4] float32, their norms [groups, 4] float32,
 * and k + 1 int32 group starts rounded up to 16 bytes.
 */
function labeledCopyBytes(labels: Int32Array, d: number, k: number): number {
  const counts = new Array<number>(k).fill(0);
  for (const c of labels) counts[c]++;
  const groups = counts.reduce((sum, c) => sum + Math.ceil(c / 4), 0);
  const dp = (d + 3) & ~3;
  return groups * dp * 16 + groups * 16 + Math.ceil(((k + 1) * 4) / 16) * 16;
}

/** Columns of one cluster summed in float32 in the fused kernel before float64 takes over. */
const F32_RUN = 256;

/**
 * Uploads `x` and `labels` as LabeledBlocks of `colRows` rows (default from the device budget),
 * runs `impl` for each block of `blockRows` rows of `rows` (all at once by default), as the
 * metric does, and disposes every tensor; checks that none leaks.
 */
async function run(impl: Impl, rows: Matrix, x: Matrix, labels: Int32Array, k: number, colRows?: number, blockRows?: number): Promise<Float32Array> {
  const before = tf.memory().numTensors;
  const up = upload(x, { floatsPerRow: 3 * rows.rows + k, rowsPerBlock: colRows, labels });
  const columns: LabeledBlock[] = up.blocks.map((b, i) => ({ x: b.x, labels: up.labels[i] }));
  const out = new Float32Array(rows.rows * k);
  const step = blockRows ?? Math.max(1, rows.rows);
  try {
    for (let s = 0; s < rows.rows; s += step) {
      const e = Math.min(rows.rows, s + step);
      const bt = tensorOf(rowsOf(rows, s, e));
      const got = impl(bt, columns, k);
      try {
        expect(got.shape).toEqual([e - s, k]);
        expect(got.dtype).toBe('float32');
        out.set((await got.data()) as Float32Array, s * k);
      } finally {
        tf.dispose([bt, got]);
      }
    }
  } finally {
    up.dispose();
  }
  expect(tf.memory().numTensors, 'no tensor leaks').toBe(before);
  return out;
}

/**
 * Per-entry bound on |kernel − Float64 reference|: each term's squared distance is off by at
 * most max(sqDistBound, NOISE·(‖r‖² + ‖x‖²)) (float32 expansion, or the deliberate clamp to 0),
 * which moves the distance by distBound; plus the summation (`sumUnits` units of float32
 * rounding of the summed distances).
 */
function bounds(rows: Matrix, x: Matrix, labels: Int32Array, k: number, sumUnits: number): { ref: Float64Array; slack: (i: number) => number } {
  const ref = silhouetteTileRef(rows, x, labels, k).data as Float64Array;
  const term = silhouetteTermBounds(rows, x, labels, k);
  return { ref, slack: (i) => term[i] + sumUnits * U32 * ref[i] };
}

/** The fused kernel against the reference (float32 runs of ≤ 256 columns, then float64) and the portable kernel. */
async function checkBoth(rows: Matrix, x: Matrix, labels: Int32Array, k: number, colRows?: number, blockRows?: number, what = ''): Promise<Float32Array> {
  const got = await run(silhouetteTileWasm, rows, x, labels, k, colRows, blockRows);
  const { ref, slack } = bounds(rows, x, labels, k, F32_RUN + 3);
  expectWithin(got, ref, slack, `${what} vs reference`);
  const portable = await run(silhouetteTile.portable, rows, x, labels, k, colRows, blockRows);
  const both = bounds(rows, x, labels, k, F32_RUN + x.rows + 6);
  expectWithin(got, portable, (i) => 2 * both.slack(i), `${what} vs portable`);
  return got;
}

describeEachBackend(
  'silhouetteTile, fused wasm kernel',
  () => {
    afterAll(() => clearWasmData());

    it('silhouetteTileWasm gives the hand-computed sums per cluster, 0 for an empty cluster', async () => {
      const x = matrixOf([
        [0, 0],
        [3, 4],
        [6, 8],
        [0, 4],
      ]);
      const labels = Int32Array.from([0, 1, 1, 0]);
      const got = await run(silhouetteTileWasm, rowsOf(x, 0, 2), x, labels, 3);
      expect(Array.from(got)).toEqual([4, 15, 0, 8, 5, 0]);
    });

    it('silhouetteTileWasm streams over hand-made LabeledBlocks of different lengths, and of none', async () => {
      const rows = tf.tensor2d([0, 0], [1, 2]);
      const columns: LabeledBlock[] = [
        { x: tf.tensor2d([3, 4, 0, 1], [2, 2]), labels: tf.tensor1d([1, 0], 'int32') },
        { x: tf.tensor2d([6, 8], [1, 2]), labels: tf.tensor1d([1], 'int32') },
        { x: tf.tensor2d([0, 2, 5, 12, 0, 0], [3, 2]), labels: tf.tensor1d([0, 1, 0], 'int32') },
      ];
      const out = silhouetteTileWasm(rows, columns, 2);
      expect(Array.from(await out.data())).toEqual([3, 28]);
      const none = silhouetteTileWasm(rows, [], 3);
      expect(Array.from(await none.data())).toEqual([0, 0, 0]);
      tf.dispose([rows, out, none, ...columns.flatMap((c) => [c.x, c.labels])]);
      releaseDisposedWasmData();
    });

    it('silhouetteTileWasm agrees with the reference and the portable kernel for d from 1 to 300, t off multiples of 4', async () => {
      const rng = new Random(61);
      const cases: Array<[number, number, number, number | undefined, number | undefined]> = [
        // [n, d, k, colRows, blockRows]
        [1, 1, 1, undefined, undefined],
        [7, 1, 2, 3, undefined],
        [61, 2, 4, 13, 5],
        [257, 3, 5, 100, 64],
        [301, 5, 8, 256, 100],
        [600, 16, 8, 257, undefined],
        [330, 33, 6, 99, 50],
        [97, 299, 7, undefined, 20],
        [60, 300, 3, 17, undefined],
      ];
      for (const [n, d, k, colRows, blockRows] of cases) {
        const x = uniformMatrix(rng, n, d, -2, 3);
        const labels = uniformLabels(rng, n, k);
        await checkBoth(x, x, labels, k, colRows, blockRows, `n=${n} d=${d} k=${k}`);
        const other = uniformMatrix(rng, 9, d, -2, 3);
        await checkBoth(other, x, labels, k, colRows, 4, `other rows n=${n} d=${d} k=${k}`);
      }
      const { x, truth } = blobs(rng, 600, 8, 6);
      await checkBoth(x, x, truth, 6, 300, 128, 'blobs');
    });

    it('silhouetteTileWasm gives a row exactly 0 distance to itself and its duplicates, at any d', async () => {
      const rng = new Random(62);
      for (const d of [1, 5, 16, 77, 300]) {
        // Values far from the origin, not exact in few bits: the expansion cancels to rounding there.
        const base = uniformMatrix(rng, 3, d, 100, 101);
        const x: Matrix = { data: new Float32Array(30 * d), rows: 30, cols: d };
        for (let i = 0; i < 30; i++) x.data.set(base.data.subarray((i % 3) * d, (i % 3) * d + d), i * d);
        const labels = Int32Array.from({ length: 30 }, (_, i) => i % 3);
        const got = await run(silhouetteTileWasm, x, x, labels, 3, 7, 8);
        for (let i = 0; i < 30; i++) expect(got[i * 3 + (i % 3)], `d=${d}: row ${i} to its own copies`).toBe(0);
        const { ref, slack } = bounds(x, x, labels, 3, F32_RUN + 3);
        expectWithin(got, ref, slack, `duplicates d=${d}`);
      }
    });

    it('silhouetteTileWasm with k = 1, and with k above the labels present', async () => {
      const rng = new Random(63);
      const x = uniformMatrix(rng, 30, 3);
      await checkBoth(x, x, new Int32Array(30), 1, 7, undefined, 'k=1');
      const labels = uniformLabels(rng, 30, 2);
      const got = await checkBoth(x, x, labels, 6, 7, undefined, 'k=6, labels 0..1');
      for (let i = 0; i < 30; i++) for (let c = 2; c < 6; c++) expect(got[i * 6 + c]).toBe(0);
    });

    it('silhouetteTileWasm keeps float64 sums over one huge cluster of 200,000 rows', async () => {
      const rng = new Random(64);
      const n = 200_003;
      const x = uniformMatrix(rng, n, 3, 0, 1);
      const labels = new Int32Array(n);
      labels[n - 1] = 1;
      labels[n - 2] = 2;
      const rows = rowsOf(x, 0, 4);
      const got = await run(silhouetteTileWasm, rows, x, labels, 3);
      const { ref, slack } = bounds(rows, x, labels, 3, F32_RUN + 3);
      // A float32 sum of 200,000 terms would be allowed n·u (1.2%) here; this asks for 256·u.
      expectWithin(got, ref, slack, 'one huge cluster');
    });

    it('silhouetteTileWasm copies each column block once for all row blocks and frees it once the block is disposed', async () => {
      clearWasmData();
      const rng = new Random(65);
      const { x, truth } = blobs(rng, 3000, 12, 4);
      const cycle = async (): Promise<number> => {
        const up = upload(x, { rowsPerBlock: 1024, labels: truth });
        const columns: LabeledBlock[] = up.blocks.map((b, i) => ({ x: b.x, labels: up.labels[i] }));
        const stream = async (): Promise<void> => {
          for (let s = 0; s < 3000; s += 500) {
            const bt = tensorOf(rowsOf(x, s, s + 500));
            const out = silhouetteTileWasm(bt, columns, 4);
            await out.data();
            tf.dispose([bt, out]);
          }
        };
        await stream();
        let at = 0;
        const copies = up.blocks.reduce((sum, b) => {
          const t = b.x.shape[0];
          at += t;
          return sum + labeledCopyBytes(truth.subarray(at - t, at), 12, 4);
        }, 0);
        expect(clearWasmData(), 'one copy per column block, kept for all row blocks').toBe(copies);
        await stream(); // copies made again
        up.dispose();
        expect(clearWasmData(), 'the copies were freed with the blocks').toBe(0);
        return wasmKernels().memory.buffer.byteLength;
      };
      const first = await cycle();
      expect(await cycle(), 'freed copies are reused: the module memory does not grow').toBe(first);
    });

    it('silhouetteTileWasm sees new labels for the same column block', async () => {
      const x = tf.tensor2d([0, 0, 3, 4], [2, 2]);
      const rows = tf.tensor2d([0, 0], [1, 2]);
      const l1 = tf.tensor1d([0, 1], 'int32');
      const l2 = tf.tensor1d([1, 1], 'int32');
      const a = silhouetteTileWasm(rows, [{ x, labels: l1 }], 2);
      const b = silhouetteTileWasm(rows, [{ x, labels: l2 }], 2);
      expect(Array.from(await a.data())).toEqual([0, 5]);
      expect(Array.from(await b.data())).toEqual([0, 5]);
      const c = silhouetteTileWasm(rows, [{ x, labels: l2 }], 3);
      expect(Array.from(await c.data())).toEqual([0, 5, 0]);
      tf.dispose([x, rows, l1, l2, a, b, c]);
      releaseDisposedWasmData();
    });

    describe('on worker threads', () => {
      const chunking = { ...SILHOUETTE_TILE_DEFAULTS.chunking, rows: 8 }; // many chunks out of small inputs
      const chunked: Impl = (rows, columns, k) => silhouetteTileWasm(rows, columns, k, { chunking });
      afterAll(async () => {
        await setWasmThreads();
      });

      /**
       * Runs in chunks of 8 rows on 1, 2 and 3 threads; all must give the same bits, and the same
       * as one thread with the default chunking; returns the 1-thread result.
       */
      async function onThreads(rows: Matrix, x: Matrix, labels: Int32Array, k: number, colRows?: number, blockRows?: number): Promise<Float32Array> {
        const got = await sameOnThreadCounts(() => run(chunked, rows, x, labels, k, colRows, blockRows));
        await setWasmThreads(1);
        expect(got, 'the chunking changes no bit').toEqual(await run(silhouetteTileWasm, rows, x, labels, k, colRows, blockRows));
        return got;
      }

      it('silhouetteTileWasm gives the same sums on 1, 2 and 3 threads, as the reference and the portable kernel do, for d from 1 to 300', async () => {
        const rng = new Random(71);
        const cases: Array<[number, number, number, number | undefined, number | undefined]> = [
          // [n, d, k, colRows, blockRows]: row blocks off multiples of 4 and of the chunk
          [3, 1, 2, undefined, undefined],
          [203, 1, 3, 50, 101],
          [301, 5, 8, 256, undefined],
          [250, 16, 8, 97, 250],
          [130, 33, 6, 64, 67],
          [61, 300, 3, 17, 61],
        ];
        for (const [n, d, k, colRows, blockRows] of cases) {
          const x = uniformMatrix(rng, n, d, -2, 3);
          const labels = uniformLabels(rng, n, k);
          const got = await onThreads(x, x, labels, k, colRows, blockRows);
          const { ref, slack } = bounds(x, x, labels, k, F32_RUN + 3);
          expectWithin(got, ref, slack, `n=${n} d=${d} k=${k} vs reference`);
          const portable = await run(silhouetteTile.portable, x, x, labels, k, colRows, blockRows);
          const both = bounds(x, x, labels, k, F32_RUN + x.rows + 6);
          expectWithin(got, portable, (i) => 2 * both.slack(i), `n=${n} d=${d} k=${k} vs portable`);
        }
      });

      it('silhouetteTileWasm on threads gives duplicates exactly 0 and keeps one huge cluster in float64', async () => {
        const rng = new Random(72);
        const d = 7;
        const base = uniformMatrix(rng, 3, d, 100, 101);
        const dup: Matrix = { data: new Float32Array(90 * d), rows: 90, cols: d };
        for (let i = 0; i < 90; i++) dup.data.set(base.data.subarray((i % 3) * d, (i % 3) * d + d), i * d);
        const dupLabels = Int32Array.from({ length: 90 }, (_, i) => i % 3);
        const got = await onThreads(dup, dup, dupLabels, 3, 31, 90);
        for (let i = 0; i < 90; i++) expect(got[i * 3 + (i % 3)]).toBe(0);
        const n = 30_003;
        const x = uniformMatrix(rng, n, 3, 0, 1);
        const labels = new Int32Array(n);
        labels[n - 1] = 1;
        const rows = rowsOf(x, 0, 37);
        const huge = await onThreads(rows, x, labels, 2);
        const { ref, slack } = bounds(rows, x, labels, 2, F32_RUN + 3);
        expectWithin(huge, ref, slack, 'one huge cluster');
      });

      it('silhouetteTileWasm really hands chunks to the workers', async () => {
        const rng = new Random(73);
        const x = uniformMatrix(rng, 2000, 16);
        const labels = uniformLabels(rng, 2000, 4);
        await setWasmThreads(2);
        for (let i = 0; i < 100 && wasmThreadStats().workerChunks === 0; i++) await run(chunked, rowsOf(x, 0, 256), x, labels, 4);
        expect(wasmThreadStats().workerChunks).toBeGreaterThan(0);
      });
    });

    it('loadKernels(\'wasm\') makes silhouetteTile, and so silhouette(), run the fused kernel on wasm', async () => {
      await (await import('../../../src/kernels/shared/registry.js')).loadKernels('wasm');
      try {
        expect(silhouetteTile.implementationFor('wasm')).toBe('wasm');
        const rng = new Random(66);
        const { x, truth } = blobs(rng, 700, 6, 5);
        const before = tf.memory().numTensors;
        const r = await silhouette(x, truth, { blockRows: 128, colTile: 300 });
        expect(r.backend).toBe('wasm');
        expect(tf.memory().numTensors).toBe(before);
        expect(Math.abs(r.score - silhouetteScoreRef(x, truth))).toBeLessThan(1e-5);
        expect(clearWasmData(), 'column copies freed with the blocks').toBe(0);
      } finally {
        silhouetteTile.unregister('wasm');
        clearWasmData();
      }
    });
  },
  ['wasm'],
);
