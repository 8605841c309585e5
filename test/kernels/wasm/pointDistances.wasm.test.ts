// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, expect } from 'vitest';
import { pointDistances } from '../../../src/kernels/pointDistances/index.js';
import { clearWasmData } from '../../../src/kernels/wasm/kernelModule.js';
import type { LloydWasmOptions } from '../../../src/kernels/lloydStep/options.js';
import { pointDistancesWasm } from '../../../src/kernels/pointDistances/wasm.js';
import { setWasmThreads } from '../../../src/kernels/wasm/threads.js';
import type { Matrix } from '../../../src/matrix.js';
import { Random } from '../../../src/random.js';
import { describeEachBackend, it } from '../../helpers/backends.js';
import { pairwiseSqDistRef } from '../../helpers/reference.js';
import { U32, blobs, expectWithin, tensorOf, uniformMatrix } from '../support.js';
import { sameOnThreadCounts } from './threadCounts.js';

async function run(x: Matrix, points: Matrix, options?: LloydWasmOptions): Promise<Float32Array> {
  const xt = tensorOf(x);
  const pt = tensorOf(points);
  const out = pointDistancesWasm(xt, pt, options);
  expect(out.shape).toEqual([x.rows, points.rows]);
  const got = (await out.data()) as Float32Array;
  tf.dispose([xt, pt, out]);
  return got;
}

describeEachBackend(
  'pointDistances, wasm kernel',
  () => {
    afterAll(async () => {
      clearWasmData();
      await setWasmThreads();
    });

    it('pointDistancesWasm: direct differences within (d + 4)·u of the float64 reference, for d from 1 to 300 and t off multiples of 4', async () => {
      const rng = new Random(42);
      for (const [n, d, p] of [
        [1, 1, 1],
        [3, 2, 4],
        [1001, 5, 3],
        [600, 16, 8],
        [97, 299, 2],
        [130, 300, 5],
      ]) {
        const { x, centers } = blobs(rng, n, d, p);
        const got = await run(x, centers);
        const ref = pairwiseSqDistRef(x, centers).data;
        expectWithin(got, ref, (i) => (d + 4) * U32 * ref[i], `n=${n} d=${d} p=${p}`);
      }
    });

    it('pointDistancesWasm gives exactly 0 between equal rows, also far from the origin', async () => {
      const rng = new Random(43);
      const pts = uniformMatrix(rng, 3, 6, 1000, 1001);
      const x: Matrix = { data: Float32Array.from({ length: 11 * 6 }, (_, i) => pts.data[(Math.floor(i / 6) % 3) * 6 + (i % 6)]), rows: 11, cols: 6 };
      const got = await run(x, pts);
      for (let i = 0; i < 11; i++) expect(got[i * 3 + (i % 3)], `row ${i}`).toBe(0);
    });

    it('pointDistancesWasm gives the same bits on 1, 2 and 3 threads, and is what pointDistances runs on wasm', async () => {
      const rng = new Random(44);
      const { x, centers } = blobs(rng, 5003, 9, 4);
      // Chunks of a few dozen rows, shared by the threads.
      await sameOnThreadCounts(() => run(x, centers, { chunking: { work: 2 ** 11, maxChunks: 1000 } }));
      await (await import('../../../src/kernels/shared/registry.js')).loadKernels('wasm');
      expect(pointDistances.implementationFor('wasm')).toBe('wasm');
    });

    it('pointDistancesWasm refuses points of another width and non-float32 rows', () => {
      const x = tf.tensor2d([1, 2, 3, 4], [2, 2]);
      const p = tf.tensor2d([1, 2, 3], [1, 3]);
      const xi = tf.tensor2d([1, 2], [1, 2], 'int32');
      const p2 = tf.tensor2d([1, 2], [1, 2]);
      expect(() => pointDistancesWasm(x, p)).toThrow('points have 3 columns, x has 2');
      expect(() => pointDistancesWasm(xi, p2)).toThrow('x must be float32');
      tf.dispose([x, p, xi, p2]);
    });
  },
  ['wasm'],
);
