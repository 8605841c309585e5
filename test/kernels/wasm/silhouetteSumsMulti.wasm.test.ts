// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect } from 'vitest';
import { ParameterError } from '../../../src/errors.js';
import { silhouetteSumsMulti, type MultiLabeledBlock } from '../../../src/kernels/silhouetteSumsMulti/index.js';
import { silhouetteSumsMultiWasm } from '../../../src/kernels/silhouetteSumsMulti/wasm.js';
import { SILHOUETTE_SUMS_DEFAULTS } from '../../../src/kernels/silhouetteSums/options.js';
import { wasmKernels } from '../../../src/kernels/wasm/kernelModule.js';
import { setWasmThreads, wasmThreadStats } from '../../../src/kernels/wasm/threads.js';
import type { Matrix } from '../../../src/matrix.js';
import { Random } from '../../../src/random.js';
import { describeEachBackend, it } from '../../helpers/backends.js';
import { blobs, expectWithin, uniformLabels, uniformMatrix } from '../support.js';
import { multiBounds, runMulti } from '../silhouetteSumsMultiSupport.js';
import { sameOnThreadCounts } from './threadCounts.js';

type Impl = (blocks: readonly MultiLabeledBlock[], ks: readonly number[]) => tf.Tensor2D;

/** silhouetteSumsMultiWasm with tiles of at most `groups` groups of four rows (many tiles out of small inputs). */
const tiled =
  (groups: number): Impl =>
  (blocks, ks) =>
    silhouetteSumsMultiWasm(blocks, ks, { tiling: { groups, bytes: SILHOUETTE_SUMS_DEFAULTS.tiling.bytes } });

/** The wasm kernel against the Float64 reference (its sums are f64: 3 units of float32 rounding) and against the portable kernel. */
async function checkBoth(x: Matrix, labelings: Int32Array[], ks: number[], blockRows: number | undefined, what: string, impl: Impl): Promise<Float32Array> {
  const got = await runMulti(impl, x, labelings, ks, blockRows);
  const { ref, slack } = multiBounds(x, labelings, ks, 3);
  expectWithin(got, ref, slack, `${what} vs reference`);
  const portable = await runMulti(silhouetteSumsMulti.portable, x, labelings, ks, blockRows);
  const both = multiBounds(x, labelings, ks);
  expectWithin(got, portable, (i) => 2 * both.slack(i), `${what} vs portable`);
  return got;
}

describeEachBackend(
  'silhouetteSumsMulti, symmetric wasm kernel',
  () => {
    it('silhouetteSumsMultiWasm agrees with the reference and the portable kernel for d from 1 to 300, n off multiples of 4 and of the tile', async () => {
      const rng = new Random(191);
      const cases: Array<[number, number, number[], number | undefined, number]> = [
        // [n, d, ks, blockRows, tile groups]
        [1, 1, [1], undefined, 64],
        [2, 1, [2, 1], undefined, 1],
        [7, 1, [2, 3], 3, 1],
        [61, 2, [4], 13, 2],
        [257, 3, [2, 3, 4, 5, 6, 7, 8], 100, 3],
        [301, 16, [8, 2], 256, 64],
        [130, 51, [2, 3, 4, 5, 6, 7, 8], 64, 5],
        [97, 299, [7, 3], undefined, 4],
      ];
      for (const [n, d, ks, blockRows, groups] of cases) {
        const x = uniformMatrix(rng, n, d, -2, 3);
        await checkBoth(x, ks.map((k) => uniformLabels(rng, n, k)), ks, blockRows, `n=${n} d=${d} ks=${ks} tile=${groups}`, tiled(groups));
      }
      const { x, truth } = blobs(rng, 600, 8, 6);
      await checkBoth(x, [truth, uniformLabels(rng, 600, 3)], [6, 3], 300, 'blobs', tiled(3));
      // Far from the origin: the kernel's centering keeps the float32 expansion accurate.
      const far = uniformMatrix(rng, 150, 4, 1000, 1001);
      await checkBoth(far, [uniformLabels(rng, 150, 3)], [3], 64, 'far from the origin', tiled(3));
    });

    it('silhouetteSumsMultiWasm gives exactly 0 between duplicates, and equal sums to equal rows, at any d', async () => {
      const rng = new Random(192);
      for (const d of [1, 5, 16, 77, 300]) {
        const base = uniformMatrix(rng, 3, d, 100, 101);
        const x: Matrix = { data: new Float32Array(31 * d), rows: 31, cols: d };
        for (let i = 0; i < 31; i++) x.data.set(base.data.subarray((i % 3) * d, (i % 3) * d + d), i * d);
        const copies = Int32Array.from({ length: 31 }, (_, i) => i % 3);
        const got = await runMulti(tiled(2), x, [copies, new Int32Array(31)], [3, 1], 7);
        for (let i = 0; i < 31; i++) expect(got[i * 4 + (i % 3)], `d=${d}: row ${i} to its own copies`).toBe(0);
        for (let i = 3; i < 31; i++) for (let c = 0; c < 4; c++) expect(got[i * 4 + c]).toBe(got[(i % 3) * 4 + c]);
      }
    });

    it('silhouetteSumsMultiWasm keeps float64 sums over one cluster of 20,003 rows', async () => {
      // Row 0 at the center of a sphere of 20,002 rows: nearly equal terms, whose running float32
      // sum would drift by about n·u/4 (~5,000 u); the f64 sums must stay within 3 u.
      const rng = new Random(194);
      const n = 20_003;
      const sphere: Matrix = { data: new Float32Array(n * 3), rows: n, cols: 3 };
      for (let i = 1; i < n; i++) {
        const v = [rng.next() - 0.5, rng.next() - 0.5, rng.next() - 0.5];
        const len = Math.hypot(...v);
        sphere.data.set(v.map((c) => (0.3 * c) / len), i * 3);
      }
      const split = new Int32Array(n);
      split[n - 1] = 1;
      const got = await runMulti(silhouetteSumsMultiWasm, sphere, [new Int32Array(n), split], [1, 2]);
      // The reference of row 0 alone (the full reference is n² work): Σ_j ‖x_0 − x_j‖.
      let own = 0;
      for (let j = 1; j < n; j++) own += Math.hypot(sphere.data[3 * j], sphere.data[3 * j + 1], sphere.data[3 * j + 2]);
      const last = Math.hypot(sphere.data[3 * (n - 1)], sphere.data[3 * (n - 1) + 1], sphere.data[3 * (n - 1) + 2]);
      // Each term's error: the float32 expansion of a distance of 0.3 at d = 3 (centered rows), well under 1e-6 of it.
      expect(Math.abs(got[0] - own) / own).toBeLessThan(3 * 2 ** -24 + 1e-6);
      expect(Math.abs(got[1] - (own - last)) / own).toBeLessThan(3 * 2 ** -24 + 1e-6);
      expect(Math.abs(got[2] - last) / last).toBeLessThan(3 * 2 ** -24 + 1e-6);
    });

    it('silhouetteSumsMultiWasm rejects labels outside 0..k-1, naming the labeling, and frees its memory after each call', async () => {
      const x = tf.tensor2d([0, 0, 3, 4], [2, 2]);
      const bad = tf.tensor2d([0, 0, 1, 2], [2, 2], 'int32');
      try {
        expect(() => silhouetteSumsMultiWasm([{ x, labels: bad }], [2, 2])).toThrow(ParameterError);
        expect(() => silhouetteSumsMultiWasm([{ x, labels: bad }], [2, 2])).toThrow(/row 1 has label 2 in labeling 1, outside 0..1/);
      } finally {
        tf.dispose([x, bad]);
      }
      const rng = new Random(195);
      const m = uniformMatrix(rng, 500, 9);
      const labelings = [uniformLabels(rng, 500, 4), uniformLabels(rng, 500, 7)];
      await runMulti(silhouetteSumsMultiWasm, m, labelings, [4, 7]);
      const memory = wasmKernels().memory.buffer.byteLength;
      for (let i = 0; i < 3; i++) await runMulti(silhouetteSumsMultiWasm, m, labelings, [4, 7]);
      expect(wasmKernels().memory.buffer.byteLength, 'freed scratch is reused: the module memory does not grow').toBe(memory);
    });

    it("loadKernels('wasm') registers the symmetric kernel for silhouetteSumsMulti", async () => {
      await (await import('../../../src/kernels/shared/registry.js')).loadKernels('wasm');
      expect(silhouetteSumsMulti.implementationFor('wasm')).toBe('wasm');
    });

    describe('on worker threads', () => {
      afterAll(async () => {
        await setWasmThreads();
      });

      it('silhouetteSumsMultiWasm gives the same bits on 1, 2 and 3 threads, and the reference sums, for odd and even tile counts', async () => {
        const rng = new Random(196);
        const cases: Array<[number, number, number[], number | undefined]> = [
          [3, 1, [2], undefined],
          [203, 1, [3, 2], 50],
          [250, 16, [2, 3, 4, 5, 6, 7, 8], 97],
          [61, 300, [3], 17],
        ];
        for (const [n, d, ks, blockRows] of cases) {
          const x = uniformMatrix(rng, n, d, -2, 3);
          const labelings = ks.map((k) => uniformLabels(rng, n, k));
          const got = await sameOnThreadCounts(() => runMulti(tiled(2), x, labelings, ks, blockRows), `n=${n} d=${d}`);
          const { ref, slack } = multiBounds(x, labelings, ks, 3);
          expectWithin(got, ref, slack, `n=${n} d=${d} ks=${ks} vs reference`);
        }
      });

      it('silhouetteSumsMultiWasm really hands chunks to the workers', async () => {
        const rng = new Random(198);
        const x = uniformMatrix(rng, 1000, 16);
        const labelings = [uniformLabels(rng, 1000, 4), uniformLabels(rng, 1000, 5)];
        await setWasmThreads(2);
        const before = wasmThreadStats().workerChunks;
        for (let i = 0; i < 100 && wasmThreadStats().workerChunks === before; i++) await runMulti(tiled(2), x, labelings, [4, 5]);
        expect(wasmThreadStats().workerChunks).toBeGreaterThan(before);
      });
    });
  },
  ['wasm'],
);
