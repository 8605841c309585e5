// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, expect } from 'vitest';
import { assignNearest } from '../../../src/kernels/assignNearest/index.js';
import { assignNearestWebgpu } from '../../../src/kernels/assignNearest/webgpu.js';
import { webgpuFallbacks } from '../../../src/kernels/webgpu/run.js';
import type { Matrix } from '../../../src/matrix.js';
import { Random } from '../../../src/random.js';
import { describeEachBackend, it } from '../../helpers/backends.js';
import { assignNearestRef, matrixOf } from '../../helpers/reference.js';
import { U32, blobs, expectWithin, sqDistBound, sqNorms, tensorOf, uniformMatrix, upload } from '../support.js';

type Impl = (x: tf.Tensor2D, c: tf.Tensor2D) => { labels: tf.Tensor1D; distances: tf.Tensor1D };

/** Runs `impl` over `x` in row blocks, checks shapes and dtypes, gathers the results, disposes every tensor. */
async function run(impl: Impl, x: Matrix, centers: Matrix, rowsPerBlock?: number): Promise<{ labels: Int32Array; distances: Float32Array }> {
  const up = upload(x, { floatsPerRow: 3 * centers.rows + x.cols, rowsPerBlock });
  const ct = tensorOf(centers);
  const labels = new Int32Array(x.rows);
  const distances = new Float32Array(x.rows);
  try {
    for (const b of up.blocks) {
      const out = impl(b.x, ct);
      try {
        expect(out.labels.dtype).toBe('int32');
        expect(out.labels.shape).toEqual([b.x.shape[0]]);
        expect(out.distances.dtype).toBe('float32');
        expect(out.distances.shape).toEqual([b.x.shape[0]]);
        labels.set(await out.labels.data(), b.start);
        distances.set(await out.distances.data(), b.start);
      } finally {
        tf.dispose([out.labels, out.distances]);
      }
    }
  } finally {
    up.dispose();
    ct.dispose();
  }
  return { labels, distances };
}

/**
 * Labels exactly as the Float64 reference (clear margins or exact ties) and the portable kernel;
 * distances by direct differences within (d + 4)·u of the exact value, and within the portable
 * kernel's expansion bound plus ours of its distances.
 */
async function checkBoth(x: Matrix, centers: Matrix, what: string, rowsPerBlock?: number): Promise<void> {
  const d = x.cols;
  const got = await run(assignNearestWebgpu, x, centers, rowsPerBlock);
  const ref = assignNearestRef(x, centers);
  expect(Array.from(got.labels), `${what}: labels`).toEqual(Array.from(ref.labels));
  expectWithin(got.distances, ref.distances, (i) => (d + 4) * U32 * ref.distances[i], `${what}: distances`);
  const portable = await run(assignNearest.portable, x, centers, rowsPerBlock);
  expect(Array.from(got.labels), `${what}: labels as portable`).toEqual(Array.from(portable.labels));
  const xx = sqNorms(x);
  const cc = sqNorms(centers);
  expectWithin(got.distances, portable.distances, (i) => sqDistBound(d, xx[i], cc[got.labels[i]]) + (d + 4) * U32 * ref.distances[i], `${what}: distances as portable`);
}

describeEachBackend(
  'assignNearest, WGSL kernel',
  () => {
    afterEach(() => void webgpuFallbacks(true));

    it('assignNearestWebgpu gives the hand-computed labels and distances', async () => {
      const x = matrixOf([
        [0, 0],
        [0, 1],
        [10, 10],
        [10, 12],
      ]);
      const centers = matrixOf([
        [0, 0],
        [10, 10],
      ]);
      const got = await run(assignNearestWebgpu, x, centers);
      expect(Array.from(got.labels)).toEqual([0, 0, 1, 1]);
      expect(Array.from(got.distances)).toEqual([0, 1, 0, 4]);
    });

    it('assignNearestWebgpu agrees with the reference and the portable kernel for d from 1 to 300, k from 1 to 40, t off multiples of 256', async () => {
      const rng = new Random(401);
      for (const [n, d, k, rows] of [
        [1, 1, 1, undefined],
        [257, 2, 3, undefined],
        [1001, 16, 8, 512],
        [300, 300, 5, 299],
        [600, 7, 40, undefined],
      ] as Array<[number, number, number, number | undefined]>) {
        const { x, centers } = blobs(rng, n, d, k);
        await checkBoth(x, centers, `n=${n} d=${d} k=${k}`, rows);
      }
      // Random rows with no planted structure: nearest centers decided by small margins too.
      const x = uniformMatrix(new Random(402), 700, 3);
      const centers = uniformMatrix(new Random(403), 11, 3);
      const got = await run(assignNearestWebgpu, x, centers);
      const ref = assignNearestRef(x, centers);
      for (let i = 0; i < x.rows; i++) {
        // Where float32 rounding could flip the choice, either center is right; elsewhere the reference's.
        const mine = got.labels[i];
        const exact = (c: number): number => {
          let s = 0;
          for (let f = 0; f < 3; f++) s += (x.data[i * 3 + f] - centers.data[c * 3 + f]) ** 2;
          return s;
        };
        expect(exact(mine) - ref.distances[i], `row ${i}`).toBeLessThanOrEqual(7 * U32 * ref.distances[i]);
      }
      expect(webgpuFallbacks()).toEqual([]);
    });

    it('assignNearestWebgpu gives duplicate rows the same label and a row on a center distance 0', async () => {
      const rng = new Random(404);
      const centers = uniformMatrix(rng, 5, 9, -3, 3);
      const x: Matrix = { data: new Float32Array(513 * 9), rows: 513, cols: 9 };
      for (let i = 0; i < 513; i++) x.data.set(centers.data.subarray((i % 5) * 9, (i % 5) * 9 + 9), i * 9);
      const got = await run(assignNearestWebgpu, x, centers);
      expect(Array.from(got.labels)).toEqual(Array.from({ length: 513 }, (_, i) => i % 5));
      expect(Array.from(got.distances)).toEqual(new Array(513).fill(0));
    });
  },
  ['webgpu'],
);
