// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, expect } from 'vitest';
import { NOISE } from '../../../src/kernels/pairwiseSqDist/index.js';
import { silhouetteTile, type LabeledBlock } from '../../../src/kernels/silhouetteTile/index.js';
import { setWebgpuBindingLimit, webgpuFallbacks } from '../../../src/kernels/webgpu/run.js';
import { silhouetteTileWebgpu, silhouetteTileWebgpuSupport } from '../../../src/kernels/silhouetteTile/webgpu.js';
import type { Matrix } from '../../../src/matrix.js';
import { Random } from '../../../src/random.js';
import { describeEachBackend, it } from '../../helpers/backends.js';
import { matrixOf, silhouetteTileRef, sqDistRef } from '../../helpers/reference.js';
import { U32, blobs, distBound, expectWithin, rowsOf, sqDistBound, sqNorms, tensorOf, uniformLabels, uniformMatrix, upload } from '../support.js';

type Impl = (rows: tf.Tensor2D, columns: readonly LabeledBlock[], k: number) => tf.Tensor2D;

/**
 * Uploads `x` and `labels` as LabeledBlocks of `colRows` rows (default from the device budget),
 * runs `impl` for each block of `blockRows` rows of `rows` (all at once by default), as the
 * metric does, and disposes every tensor.
 */
async function run(impl: Impl, rows: Matrix, x: Matrix, labels: Int32Array, k: number, colRows?: number, blockRows?: number): Promise<Float32Array> {
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
  return out;
}

/**
 * The WGSL kernel against the Float64 reference. Each term is a direct-difference distance: its
 * square is off by at most (d + 2)·u relative, so the distance by (d/2 + 2)·u; the sum is added
 * in float32 runs of at most 256 terms of one cluster, the runs in TwoSum (hi, lo) pairs, then
 * rounded once: (256 + 4)·u of the summed distances. All terms are ≥ 0, so one relative bound.
 */
function checkReference(got: Float32Array, rows: Matrix, x: Matrix, labels: Int32Array, k: number, what: string): Float64Array {
  const ref = silhouetteTileRef(rows, x, labels, k).data as Float64Array;
  expectWithin(got, ref, (i) => (x.cols / 2 + 2 + 260) * U32 * ref[i], `${what} vs reference`);
  return ref;
}

/**
 * The WGSL kernel against the portable one: both within their bounds of the reference. The
 * portable kernel's terms come from the expansion (and its clamp to 0 below NOISE), so they are
 * off by distBound each, and its float32 sums by n·u.
 */
function checkPortable(got: Float32Array, portable: Float32Array, rows: Matrix, x: Matrix, labels: Int32Array, k: number, ref: Float64Array, what: string): void {
  const rr = sqNorms(rows);
  const xx = sqNorms(x);
  const term = new Float64Array(rows.rows * k);
  for (let i = 0; i < rows.rows; i++) {
    for (let j = 0; j < x.rows; j++) {
      const e = Math.max(sqDistBound(x.cols, rr[i], xx[j]), NOISE * (rr[i] + xx[j]));
      term[i * k + labels[j]] += distBound(sqDistRef(rows, i, x, j), e);
    }
  }
  expectWithin(got, portable, (i) => term[i] + (x.rows + x.cols / 2 + 270) * U32 * ref[i], `${what} vs portable`);
}

/**
 * The WGSL kernel against the Float64 reference and, with `portableToo`, against the portable
 * kernel as well. The second oracle adds nothing to what the first proves of the WGSL kernel
 * (checkPortable's slack is the sum of both kernels' bounds of the reference), and on SwiftShader
 * every new shape costs it shader compiles: the sweep compares with it on three of its eight
 * shapes and the blobs. The portable kernel on webgpu stays compared here on those, at k = 1,
 * k = 300 and on the huge cluster, on labels outside 0..k-1, and where the binding limit makes it run.
 */
async function checkBoth(rows: Matrix, x: Matrix, labels: Int32Array, k: number, what: string, colRows?: number, blockRows?: number, portableToo = true): Promise<Float32Array> {
  const got = await run(silhouetteTileWebgpu, rows, x, labels, k, colRows, blockRows);
  const ref = checkReference(got, rows, x, labels, k, what);
  if (!portableToo) return got;
  // The portable oracle in one row block and the budget's column blocks: blocking changes only
  // its rounding, and on SwiftShader every new block shape costs it a shader compile.
  const portable = await run(silhouetteTile.portable, rows, x, labels, k);
  checkPortable(got, portable, rows, x, labels, k, ref, what);
  return got;
}

describeEachBackend(
  'silhouetteTile, WGSL kernel',
  () => {
    afterEach(() => {
      setWebgpuBindingLimit(null);
      webgpuFallbacks(true);
    });

    it('silhouetteTileWebgpu gives the hand-computed sums per cluster, 0 for an empty cluster', async () => {
      const x = matrixOf([
        [0, 0],
        [3, 4],
        [6, 8],
        [0, 4],
      ]);
      const labels = Int32Array.from([0, 1, 1, 0]);
      const got = await run(silhouetteTileWebgpu, rowsOf(x, 0, 2), x, labels, 3);
      expect(Array.from(got)).toEqual([4, 15, 0, 8, 5, 0]);
      expect(webgpuFallbacks(), 'the WGSL program ran').toEqual([]);
    });

    it('silhouetteTileWebgpu streams over hand-made LabeledBlocks of different lengths, and of none', async () => {
      const rows = tf.tensor2d([0, 0], [1, 2]);
      const columns: LabeledBlock[] = [
        { x: tf.tensor2d([3, 4, 0, 1], [2, 2]), labels: tf.tensor1d([1, 0], 'int32') },
        { x: tf.tensor2d([6, 8], [1, 2]), labels: tf.tensor1d([1], 'int32') },
        { x: tf.tensor2d([0, 2, 5, 12, 0, 0], [3, 2]), labels: tf.tensor1d([0, 1, 0], 'int32') },
      ];
      const out = silhouetteTileWebgpu(rows, columns, 2);
      expect(Array.from(await out.data())).toEqual([3, 28]);
      const none = silhouetteTileWebgpu(rows, [], 3);
      expect(Array.from(await none.data())).toEqual([0, 0, 0]);
      tf.dispose([rows, out, none, ...columns.flatMap((c) => [c.x, c.labels])]);
    });

    it('silhouetteTileWebgpu agrees with the reference and the portable kernel for d from 1 to 300, n and b off multiples of 64 and 256', async () => {
      const rng = new Random(501);
      // Every case against the reference; against the portable kernel as well on three (portableToo) and the blobs.
      const cases: Array<[number, number, number, number | undefined, number | undefined, boolean]> = [
        // [n, d, k, colRows, blockRows, portableToo]
        [1, 1, 1, undefined, undefined, false],
        [7, 1, 2, 3, undefined, true],
        [61, 2, 4, 13, 5, false],
        [257, 3, 5, 100, 65, false],
        [400, 16, 8, 257, 130, true],
        [330, 33, 6, 99, 63, false],
        [97, 299, 7, undefined, 20, true],
        [130, 300, 3, 17, undefined, false],
      ];
      for (const [n, d, k, colRows, blockRows, portableToo] of cases) {
        const x = uniformMatrix(rng, n, d, -2, 3);
        const labels = uniformLabels(rng, n, k);
        await checkBoth(x, x, labels, k, `n=${n} d=${d} k=${k}`, colRows, blockRows, portableToo);
      }
      const { x, truth } = blobs(rng, 500, 8, 6);
      await checkBoth(x, x, truth, 6, 'blobs', 300, 128);
      expect(webgpuFallbacks(), 'the WGSL programs ran every time').toEqual([]);
    });

    it('silhouetteTileWebgpu takes k = 1, k = 300 (many labels per tile) and one huge cluster', async () => {
      const rng = new Random(502);
      const x = uniformMatrix(rng, 900, 3, -1, 1);
      await checkBoth(rowsOf(x, 0, 70), x, new Int32Array(900), 1, 'k=1', 450);
      const many = uniformLabels(rng, 900, 300);
      await checkBoth(rowsOf(x, 100, 170), x, many, 300, 'k=300');
      // 95% of the rows in cluster 0, the rest spread over 4 more.
      const huge = Int32Array.from({ length: 900 }, (_, i) => (i % 20 === 0 ? 1 + (i % 4) : 0));
      await checkBoth(rowsOf(x, 200, 264), x, huge, 5, 'one huge cluster', 600);
    });

    it('silhouetteTileWebgpu gives a row exactly 0 distance to itself and its duplicates, at any d', async () => {
      const rng = new Random(503);
      for (const d of [1, 5, 77, 300]) {
        // Values far from the origin: the expansion would cancel to rounding there, direct differences do not.
        const base = uniformMatrix(rng, 3, d, 100, 101);
        const x: Matrix = { data: new Float32Array(300 * d), rows: 300, cols: d };
        for (let i = 0; i < 300; i++) x.data.set(base.data.subarray((i % 3) * d, (i % 3) * d + d), i * d);
        const labels = Int32Array.from({ length: 300 }, (_, i) => i % 3);
        const got = await run(silhouetteTileWebgpu, rowsOf(x, 0, 9), x, labels, 3, 200);
        for (let i = 0; i < 9; i++) expect(got[i * 3 + (i % 3)], `d=${d}: row ${i} to its own copies`).toBe(0);
        checkReference(got, rowsOf(x, 0, 9), x, labels, 3, `duplicates d=${d}`);
      }
    });

    it('silhouetteTileWebgpu keeps long sums accurate: 30,000 columns of one cluster within 262 units of the exact sum', async () => {
      const rng = new Random(504);
      const x = uniformMatrix(rng, 30_000, 2, 0, 1000);
      const rows = uniformMatrix(rng, 3, 2, 0, 1000);
      const labels = new Int32Array(30_000);
      const got = await run(silhouetteTileWebgpu, rows, x, labels, 1);
      // One float32 accumulator over 30,000 terms would be allowed 30,000 units here; ours holds 262.
      checkReference(got, rows, x, labels, 1, 'long sums');
    });

    it('labels outside 0..k-1 count in no cluster, as in the portable kernel', async () => {
      const x = matrixOf([
        [0, 0],
        [3, 4],
        [6, 8],
        [0, 4],
      ]);
      const labels = Int32Array.from([0, 5, -1, 1]);
      const got = await run(silhouetteTileWebgpu, rowsOf(x, 0, 1), x, labels, 2);
      expect(Array.from(got)).toEqual([0, 4]);
      const portable = await run(silhouetteTile.portable, rowsOf(x, 0, 1), x, labels, 2);
      expect(Array.from(portable)).toEqual([0, 4]);
    });

    it('shapes over the binding limit run the portable kernel, with the reason recorded; at the limit the WGSL programs run', async () => {
      const rng = new Random(505);
      const x = uniformMatrix(rng, 300, 4);
      const labels = uniformLabels(rng, 300, 3);
      const rows = rowsOf(x, 0, 20);
      // Largest binding: the 300×4 column block, 4800 bytes (rows 320 bytes, running sums 2·20·3 floats).
      expect(silhouetteTileWebgpuSupport(20, [300], 4, 3, 4800)).toBeNull();
      expect(silhouetteTileWebgpuSupport(20, [300], 4, 3, 4799)).toMatch(/column block of 300×4 floats is over the 4799-byte binding limit/);
      expect(silhouetteTileWebgpuSupport(2000, [10], 4, 300, 2 ** 20)).toMatch(/running sums \(2 × 2000×300 floats\)/);
      expect(silhouetteTileWebgpuSupport(1, [1], 1, 2 ** 24, 2 ** 40)).toMatch(/24-bit labels/);

      setWebgpuBindingLimit(4800);
      const at = await run(silhouetteTileWebgpu, rows, x, labels, 3, 300);
      expect(webgpuFallbacks(true)).toEqual([]);
      checkReference(at, rows, x, labels, 3, 'at the limit');

      setWebgpuBindingLimit(4796);
      const over = await run(silhouetteTileWebgpu, rows, x, labels, 3, 300);
      const fell = webgpuFallbacks(true);
      expect(fell.map((f) => f.kernel)).toEqual(['silhouetteTile']);
      expect(fell[0].reason).toMatch(/over the 4796-byte binding limit/);
      const portable = await run(silhouetteTile.portable, rows, x, labels, 3, 300);
      expect(Array.from(over)).toEqual(Array.from(portable));
    });

    it('initBackend(webgpu) registers the WGSL silhouetteTile', () => {
      expect(silhouetteTile.implementationFor('webgpu')).toBe('webgpu');
    });
  },
  ['webgpu'],
);
