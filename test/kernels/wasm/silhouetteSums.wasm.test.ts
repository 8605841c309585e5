// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect } from 'vitest';
import { ParameterError } from '../../../src/errors.js';
import { NOISE } from '../../../src/kernels/pairwiseSqDist/index.js';
import { silhouetteSums } from '../../../src/kernels/silhouetteSums/index.js';
import { silhouetteTile, type LabeledBlock } from '../../../src/kernels/silhouetteTile/index.js';
import { wasmKernels } from '../../../src/kernels/wasm/kernelModule.js';
import { SILHOUETTE_SUMS_DEFAULTS } from '../../../src/kernels/silhouetteSums/options.js';
import { silhouetteSumsWasm, tileRounds } from '../../../src/kernels/silhouetteSums/wasm.js';
import { setWasmThreads, wasmThreadStats } from '../../../src/kernels/wasm/threads.js';
import type { Matrix } from '../../../src/matrix.js';
import { silhouette } from '../../../src/metrics/silhouette.js';
import { Random } from '../../../src/random.js';
import { describeEachBackend, it } from '../../helpers/backends.js';
import { matrixOf, silhouetteScoreRef, silhouetteTileRef, sqDistRef } from '../../helpers/reference.js';
import { U32, blobs, centeredSqNorms, distBound, expectWithin, readFloat32, rowsOf, sqDistBound, sqNorms, uniformLabels, uniformMatrix, upload } from '../support.js';
import { sameOnThreadCounts } from './threadCounts.js';

type Impl = (blocks: readonly LabeledBlock[], k: number) => tf.Tensor2D;

/** silhouetteSumsWasm with tiles of at most `groups` groups of four rows (many tiles out of small inputs). */
function tiled(groups: number, bytes = SILHOUETTE_SUMS_DEFAULTS.tiling.bytes): Impl {
  return (blocks, k) => silhouetteSumsWasm(blocks, k, { tiling: { groups, bytes } });
}

/** Terms summed in float32 in the kernel before float64 takes over (4 lanes × 64 groups), plus the lane sums. */
const F32_RUN = 256 + 4;

/** Uploads `x` and `labels` as LabeledBlocks of `blockRows` rows, runs `impl`, disposes every tensor; checks none leaks. */
async function run(impl: Impl, x: Matrix, labels: Int32Array, k: number, blockRows?: number): Promise<Float32Array> {
  const before = tf.memory().numTensors;
  const up = upload(x, { floatsPerRow: 3 * (blockRows ?? x.rows) + k, rowsPerBlock: blockRows, labels });
  const blocks: LabeledBlock[] = up.blocks.map((b, i) => ({ x: b.x, labels: up.labels[i] }));
  try {
    return await readFloat32(impl(blocks, k), [x.rows, k]);
  } finally {
    up.dispose();
    expect(tf.memory().numTensors, 'no tensor leaks').toBe(before);
  }
}

/**
 * Per-entry bound on |kernel − Float64 reference| for the rows `rows` of the output. Each term's
 * squared distance is off by at most the float32 expansion's bound (with 4 u more for rounding
 * the centered coordinates) or the NOISE clamp, both taken with the larger of the raw and the
 * centered norms (the kernel centers; the portable kernel does not); plus `sumUnits` units of
 * float32 rounding of the summed distances.
 */
function bounds(x: Matrix, labels: Int32Array, k: number, sumUnits: number, rows = x.rows): { ref: Float64Array; slack: (i: number) => number } {
  const block = rowsOf(x, 0, rows);
  const ref = silhouetteTileRef(block, x, labels, k).data as Float64Array;
  const raw = sqNorms(x);
  const cen = centeredSqNorms(x);
  const nn = raw.map((v, i) => Math.max(v, cen[i]));
  const d = x.cols;
  const term = new Float64Array(rows * k);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < x.rows; j++) {
      const e = Math.max(sqDistBound(d + 2, nn[i], nn[j]), NOISE * (1 + 1e-5) * (nn[i] + nn[j]));
      term[i * k + labels[j]] += distBound(sqDistRef(x, i, x, j), e);
    }
  }
  return { ref, slack: (i) => term[i] + sumUnits * U32 * ref[i] };
}

/** The wasm kernel (`impl`: with some tiling) against the reference and against the portable kernel (silhouetteTile over the blocks). */
async function checkBoth(x: Matrix, labels: Int32Array, k: number, blockRows: number | undefined, what: string, impl: Impl = silhouetteSumsWasm): Promise<Float32Array> {
  const got = await run(impl, x, labels, k, blockRows);
  const { ref, slack } = bounds(x, labels, k, F32_RUN + 3);
  expectWithin(got, ref, slack, `${what} vs reference`);
  const portable = await run(silhouetteSums.portable, x, labels, k, blockRows);
  const both = bounds(x, labels, k, F32_RUN + x.rows + 6);
  expectWithin(got, portable, (i) => 2 * both.slack(i), `${what} vs portable`);
  return got;
}

describeEachBackend(
  'silhouetteSums, symmetric wasm kernel',
  () => {
    it('tileRounds pairs every tile with every other exactly once, no tile twice in a round', () => {
      for (const m of [1, 2, 3, 4, 7, 10]) {
        const rounds = tileRounds(m);
        expect(rounds[0]).toEqual(Array.from({ length: m }, (_, t) => [t, t]));
        const seen = new Set<string>();
        for (const round of rounds.slice(1)) {
          const tiles = round.flat();
          expect(new Set(tiles).size, `m=${m}: a tile twice in one round`).toBe(tiles.length);
          for (const [a, b] of round) {
            expect(a).toBeLessThan(b);
            expect(b).toBeLessThan(m);
            seen.add(`${a},${b}`);
          }
        }
        expect(seen.size).toBe((m * (m - 1)) / 2);
        expect(rounds.slice(1).reduce((s, r) => s + r.length, 0), `m=${m}: a pair twice`).toBe((m * (m - 1)) / 2);
      }
    });

    it('silhouetteSumsWasm gives the hand-computed sums, 0 for an empty cluster, over blocks of any length', async () => {
      const x = matrixOf([
        [0, 0],
        [3, 4],
        [6, 8],
        [0, 8],
      ]);
      const labels = Int32Array.from([0, 1, 1, 0]);
      for (const blockRows of [1, 3, 4]) {
        const got = await run(silhouetteSumsWasm, x, labels, 3, blockRows);
        expect(Array.from(got)).toEqual([8, 15, 0, 10, 5, 0, 16, 5, 0, 8, 11, 0]);
      }
      const none = silhouetteSumsWasm([], 2);
      expect(none.shape).toEqual([0, 2]);
      none.dispose();
    });

    it('silhouetteSumsWasm agrees with the reference and the portable kernel for d from 1 to 300, n off multiples of 4 and of the tile', async () => {
      const rng = new Random(91);
      const cases: Array<[number, number, number, number | undefined, number]> = [
        // [n, d, k, blockRows, tile groups]
        [1, 1, 1, undefined, 64],
        [2, 1, 2, undefined, 1],
        [7, 1, 2, 3, 1],
        [61, 2, 4, 13, 2],
        [257, 3, 5, 100, 3],
        [301, 5, 8, 256, 5],
        [600, 16, 8, 257, 64],
        [1203, 3, 2, undefined, 256], // clusters of > 64 groups: the f32 runs restart inside a tile
        [330, 33, 6, 99, 7],
        [97, 299, 7, undefined, 4],
        [60, 300, 3, 17, 2],
      ];
      for (const [n, d, k, blockRows, groups] of cases) {
        const x = uniformMatrix(rng, n, d, -2, 3);
        const labels = uniformLabels(rng, n, k);
        await checkBoth(x, labels, k, blockRows, `n=${n} d=${d} k=${k} tile=${groups}`, tiled(groups));
      }
      const { x, truth } = blobs(rng, 600, 8, 6);
      await checkBoth(x, truth, 6, 300, 'blobs', tiled(3));
      // Far from the origin: the kernel's centering keeps the float32 expansion accurate.
      const far = uniformMatrix(rng, 150, 4, 1000, 1001);
      await checkBoth(far, uniformLabels(rng, 150, 3), 3, 64, 'far from the origin', tiled(3));
    });

    it('silhouetteSumsWasm gives exactly 0 between duplicates and ties at any d', async () => {
      const rng = new Random(92);
      for (const d of [1, 5, 16, 77, 300]) {
        const base = uniformMatrix(rng, 3, d, 100, 101);
        const x: Matrix = { data: new Float32Array(31 * d), rows: 31, cols: d };
        for (let i = 0; i < 31; i++) x.data.set(base.data.subarray((i % 3) * d, (i % 3) * d + d), i * d);
        const labels = Int32Array.from({ length: 31 }, (_, i) => i % 3);
        const got = await run(tiled(2), x, labels, 3, 7);
        for (let i = 0; i < 31; i++) expect(got[i * 3 + (i % 3)], `d=${d}: row ${i} to its own copies`).toBe(0);
        // Duplicates give equal sums (ties) whatever tile or lane they sit in.
        for (let i = 3; i < 31; i++) for (let c = 0; c < 3; c++) expect(got[i * 3 + c]).toBe(got[(i % 3) * 3 + c]);
        const { ref, slack } = bounds(x, labels, 3, F32_RUN + 3);
        expectWithin(got, ref, slack, `duplicates d=${d}`);
      }
    });

    it('silhouetteSumsWasm with k = 1, and with k above the labels present', async () => {
      const rng = new Random(93);
      const x = uniformMatrix(rng, 30, 3);
      await checkBoth(x, new Int32Array(30), 1, 7, 'k=1');
      const got = await checkBoth(x, uniformLabels(rng, 30, 2), 6, 7, 'k=6, labels 0..1');
      for (let i = 0; i < 30; i++) for (let c = 2; c < 6; c++) expect(got[i * 6 + c]).toBe(0);
    });

    it('silhouetteSumsWasm keeps float64 sums over one huge cluster of 40,003 rows', async () => {
      const rng = new Random(94);
      const n = 40_003;
      const x = uniformMatrix(rng, n, 3, 0, 1);
      const labels = new Int32Array(n);
      labels[0] = 1;
      labels[1] = 2;
      const got = await run(silhouetteSumsWasm, x, labels, 3);
      // The two singletons and five rows of the huge cluster against the reference. A float32
      // sum of 40,000 terms would be allowed n·u (0.24%); this asks for the terms' error and 263·u.
      const { ref, slack } = bounds(x, labels, 3, F32_RUN + 3, 7);
      expectWithin(got.subarray(0, 21), ref, slack, 'one huge cluster');
      // Row 0 at the center of a sphere of 40,000 rows: 40,000 nearly equal terms, whose running
      // float32 sum would drift by about n·u/4 of it (~2,500 u); the kernel must stay within 263 u.
      const sphere: Matrix = { data: new Float32Array(n * 3), rows: n, cols: 3 };
      for (let i = 1; i < n; i++) {
        const v = [rng.next() - 0.5, rng.next() - 0.5, rng.next() - 0.5];
        const len = Math.hypot(...v);
        sphere.data.set(v.map((c) => (0.3 * c) / len), i * 3);
      }
      const one = new Int32Array(n);
      // One tile for all rows: only the kernel's runs of 64 groups bound the float32 sums.
      const center = await run(tiled(2 ** 20, 2 ** 30), sphere, one, 1);
      const near = bounds(sphere, one, 1, F32_RUN + 3, 1);
      expectWithin(center.subarray(0, 1), near.ref, near.slack, 'the center of a sphere');
    });

    it('silhouetteSumsWasm rejects labels outside 0..k-1 and frees its memory after each call', async () => {
      const x = tf.tensor2d([0, 0, 3, 4], [2, 2]);
      const bad = tf.tensor1d([0, 2], 'int32');
      try {
        expect(() => silhouetteSumsWasm([{ x, labels: bad }], 2)).toThrow(ParameterError);
      } finally {
        tf.dispose([x, bad]);
      }
      const rng = new Random(95);
      const m = uniformMatrix(rng, 500, 9);
      const labels = uniformLabels(rng, 500, 4);
      await run(silhouetteSumsWasm, m, labels, 4);
      const memory = wasmKernels().memory.buffer.byteLength;
      for (let i = 0; i < 3; i++) await run(silhouetteSumsWasm, m, labels, 4);
      expect(wasmKernels().memory.buffer.byteLength, 'freed scratch is reused: the module memory does not grow').toBe(memory);
    });

    describe('on worker threads', () => {
      afterAll(async () => {
        await setWasmThreads();
      });

      /** Runs with tiles of `groups` groups (default 2: many tiles and rounds out of small inputs) on 1, 2 and 3 threads; all must give the same bits; returns the 1-thread result. */
      function onThreads(x: Matrix, labels: Int32Array, k: number, blockRows?: number, groups = 2): Promise<Float32Array> {
        return sameOnThreadCounts(() => run(tiled(groups), x, labels, k, blockRows));
      }

      it('silhouetteSumsWasm gives the same sums on 1, 2 and 3 threads, as the reference and the portable kernel do, for d from 1 to 300', async () => {
        const rng = new Random(96);
        const cases: Array<[number, number, number, number | undefined]> = [
          // [n, d, k, blockRows]: an odd and an even number of tiles, n off multiples of 4
          [3, 1, 2, undefined],
          [203, 1, 3, 50],
          [301, 5, 8, 256],
          [250, 16, 8, 97],
          [130, 33, 6, 64],
          [61, 300, 3, 17],
        ];
        for (const [n, d, k, blockRows] of cases) {
          const x = uniformMatrix(rng, n, d, -2, 3);
          const labels = uniformLabels(rng, n, k);
          const got = await onThreads(x, labels, k, blockRows);
          const { ref, slack } = bounds(x, labels, k, F32_RUN + 3);
          expectWithin(got, ref, slack, `n=${n} d=${d} k=${k} vs reference`);
          const portable = await run(silhouetteSums.portable, x, labels, k, blockRows);
          const both = bounds(x, labels, k, F32_RUN + x.rows + 6);
          expectWithin(got, portable, (i) => 2 * both.slack(i), `n=${n} d=${d} k=${k} vs portable`);
        }
      });

      it('silhouetteSumsWasm on threads gives duplicates exactly 0 and one huge cluster the same bits', async () => {
        const rng = new Random(97);
        const d = 7;
        const base = uniformMatrix(rng, 3, d, 100, 101);
        const dup: Matrix = { data: new Float32Array(90 * d), rows: 90, cols: d };
        for (let i = 0; i < 90; i++) dup.data.set(base.data.subarray((i % 3) * d, (i % 3) * d + d), i * d);
        const got = await onThreads(dup, Int32Array.from({ length: 90 }, (_, i) => i % 3), 3, 31);
        for (let i = 0; i < 90; i++) expect(got[i * 3 + (i % 3)]).toBe(0);
        const x = uniformMatrix(rng, 3001, 3, 0, 1);
        const labels = new Int32Array(3001);
        labels[3000] = 1;
        const huge = await onThreads(x, labels, 2, undefined, 16);
        const { ref, slack } = bounds(x, labels, 2, F32_RUN + 3, 20);
        expectWithin(huge.subarray(0, 40), ref, slack, 'one huge cluster');
      });

      it('silhouetteSumsWasm really hands chunks to the workers', async () => {
        const rng = new Random(98);
        const x = uniformMatrix(rng, 1000, 16);
        const labels = uniformLabels(rng, 1000, 4);
        await setWasmThreads(2);
        const before = wasmThreadStats().workerChunks;
        for (let i = 0; i < 100 && wasmThreadStats().workerChunks === before; i++) await run(tiled(2), x, labels, 4);
        expect(wasmThreadStats().workerChunks).toBeGreaterThan(before);
      });
    });

    it('loadKernels(\'wasm\') makes silhouette() take the symmetric kernel on wasm, for an exact score and for a sample', async () => {
      await (await import('../../../src/kernels/shared/registry.js')).loadKernels('wasm');
      expect(silhouetteSums.implementationFor('wasm')).toBe('wasm');
      let sumsCalls = 0;
      let tileCalls = 0;
      silhouetteSums.register('wasm', (blocks, k) => (sumsCalls++, silhouetteSumsWasm(blocks, k)));
      const tileWasm = (await import('../../../src/kernels/silhouetteTile/wasm.js')).silhouetteTileWasm;
      silhouetteTile.register('wasm', (rows, columns, k) => (tileCalls++, tileWasm(rows, columns, k)));
      try {
        const rng = new Random(99);
        const { x, truth } = blobs(rng, 700, 6, 5);
        const before = tf.memory().numTensors;
        const r = await silhouette(x, truth, { colTile: 300 });
        expect(r.backend).toBe('wasm');
        expect([sumsCalls, tileCalls]).toEqual([1, 0]);
        expect(tf.memory().numTensors).toBe(before);
        expect(Math.abs(r.score - silhouetteScoreRef(x, truth))).toBeLessThan(1e-5);
        // A sample is scored as a table of its own: the symmetric kernel too, and the exact
        // silhouette of the sampled rows among themselves.
        const sample = await silhouette(x, truth, { sampleSize: 300, seed: 1 });
        expect([sumsCalls, tileCalls]).toEqual([2, 0]);
        const d = x.cols;
        const sub = { data: new Float32Array(300 * d), rows: 300, cols: d };
        sample.rows.forEach((r, i) => sub.data.set(x.data.subarray(r * d, (r + 1) * d), i * d));
        expect(Math.abs(sample.score - silhouetteScoreRef(sub, Array.from(sample.rows, (r) => truth[r])))).toBeLessThan(1e-5);
      } finally {
        silhouetteSums.register('wasm', silhouetteSumsWasm);
        silhouetteTile.register('wasm', tileWasm);
      }
    });
  },
  ['wasm'],
);
