// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect } from 'vitest';
import { radiusCounts } from '../../../src/kernels/radiusCounts/index.js';
import { RADIUS_DEFAULTS } from '../../../src/kernels/radiusCounts/options.js';
import { radiusCountsWasm } from '../../../src/kernels/radiusCounts/wasm.js';
import { setWasmThreads, wasmThreadStats } from '../../../src/kernels/wasm/threads.js';
import type { Matrix } from '../../../src/matrix.js';
import { Random } from '../../../src/random.js';
import { describeEachBackend, it } from '../../helpers/backends.js';
import { matrixOf, radiusCountsRef, sqDistRef } from '../../helpers/reference.js';
import { readFloat32, sqDistBound, sqNorms, tensorOf, uniformMatrix, upload } from '../support.js';
import { sameOnThreadCounts } from './threadCounts.js';

type Impl = (rows: tf.Tensor2D, columns: readonly tf.Tensor2D[], radius: number) => tf.Tensor1D;

/** Uploads `cols` in blocks of `colRows` rows, runs `impl` for `rows`, disposes everything; checks none leaks. */
async function run(impl: Impl, rows: Matrix, cols: Matrix, radius: number, colRows?: number): Promise<Float32Array> {
  const before = tf.memory().numTensors;
  const up = upload(cols, { rowsPerBlock: colRows });
  const rt = tensorOf(rows);
  try {
    return await readFloat32(impl(rt, up.blocks.map((b) => b.x), radius), [rows.rows]);
  } finally {
    rt.dispose();
    up.dispose();
    expect(tf.memory().numTensors, 'no tensor leaks').toBe(before);
  }
}

/**
 * Counts of the Float64 reference that hold whatever the float32 rounding: `lo` counts the pairs
 * certainly within (‖x − c‖² ≤ r² − e), `hi` those not certainly outside (≤ r² + e), with e the
 * expansion's error bound for the pair (and the float32 rounding of r²).
 */
function certainCounts(rows: Matrix, cols: Matrix, radius: number): { lo: Float64Array; hi: Float64Array } {
  const rr = sqNorms(rows);
  const cc = sqNorms(cols);
  const r2 = radius * radius;
  const lo = new Float64Array(rows.rows);
  const hi = new Float64Array(rows.rows);
  for (let i = 0; i < rows.rows; i++) {
    for (let j = 0; j < cols.rows; j++) {
      const e = sqDistBound(rows.cols + 2, rr[i], cc[j] + r2);
      const s = sqDistRef(rows, i, cols, j);
      if (s <= r2 - e) lo[i]++;
      if (s <= r2 + e) hi[i]++;
    }
  }
  return { lo, hi };
}

/** The wasm kernel equals the portable kernel on this backend, and lies within the reference's certain counts. */
async function checkBoth(rows: Matrix, cols: Matrix, radius: number, colRows: number | undefined, what: string): Promise<Float32Array> {
  const got = await run(radiusCountsWasm, rows, cols, radius, colRows);
  const portable = await run(radiusCounts.portable, rows, cols, radius, colRows);
  expect(Array.from(got), `${what}: wasm against portable`).toEqual(Array.from(portable));
  const { lo, hi } = certainCounts(rows, cols, radius);
  for (let i = 0; i < rows.rows; i++) {
    expect(got[i], `${what}: row ${i} at least the pairs certainly within`).toBeGreaterThanOrEqual(lo[i]);
    expect(got[i], `${what}: row ${i} at most the pairs not certainly outside`).toBeLessThanOrEqual(hi[i]);
  }
  return got;
}

describeEachBackend(
  'radiusCounts, wasm SIMD kernel',
  () => {
    it('radiusCountsWasm counts the row itself and a neighbour exactly at the radius, not one just beyond', async () => {
      const x = matrixOf([
        [0, 0],
        [3, 4],
        [3, 4.5],
        [-1, 0],
      ]);
      expect(Array.from(await run(radiusCountsWasm, x, x, 5))).toEqual([3, 3, 2, 2]);
      // The float32 just below 5: (3, 4) is then outside (25 > fround(below²)), as on the portable kernel.
      const below = 5 - 2 ** -21;
      const got = await run(radiusCountsWasm, x, x, below);
      expect(Array.from(got)).toEqual(Array.from(await run(radiusCounts.portable, x, x, below)));
      expect(Array.from(got)).toEqual([2, 2, 2, 2]);
    });

    it('radiusCountsWasm equals the Float64 reference exactly on integer data with ties and duplicates, points exactly at eps', async () => {
      const rng = new Random(111);
      for (const d of [1, 2, 3, 5, 8]) {
        const n = 151;
        const data = Float32Array.from({ length: n * d }, () => rng.int(7) - 3);
        const x: Matrix = { data, rows: n, cols: d };
        // Integer squared distances: radii whose square is an integer put many pairs exactly at eps.
        for (const r2 of [0, 1, 2, 4, 9]) {
          const r = Math.sqrt(r2);
          const got = await run(radiusCountsWasm, x, x, r, 16);
          expect(Array.from(got), `d=${d} r²=${r2}`).toEqual(Array.from(radiusCountsRef(x, x, r)));
          expect(Array.from(got)).toEqual(Array.from(await run(radiusCounts.portable, x, x, r, 16)));
        }
      }
    });

    it('radiusCountsWasm equals the portable kernel on uniform data for d from 1 to 300, n off multiples of 4', async () => {
      const rng = new Random(112);
      const cases: Array<[number, number, number, number, number | undefined]> = [
        // [rows, cols, d, radius, colRows]
        [1, 1, 1, 0.5, undefined],
        [7, 9, 1, 0.3, 4],
        [33, 121, 2, 1, 50],
        [61, 257, 3, 1.5, 100],
        [64, 300, 8, 3, 97],
        [50, 203, 16, 4.5, undefined],
        [21, 130, 33, 7, 64],
        [13, 61, 300, 20, 17],
      ];
      for (const [b, t, d, radius, colRows] of cases) {
        const cols = uniformMatrix(rng, t, d, -2, 3);
        const rows = uniformMatrix(rng, b, d, -2, 3);
        await checkBoth(rows, cols, radius, colRows, `b=${b} t=${t} d=${d}`);
        await checkBoth(cols, cols, radius, colRows, `self t=${t} d=${d}`);
      }
    });

    it('radiusCountsWasm with one huge cluster of duplicates, no columns, and radius 0', async () => {
      const x: Matrix = { data: new Float32Array(3001 * 4).fill(0.25), rows: 3001, cols: 4 };
      x.data.fill(9, 3000 * 4);
      const got = await run(radiusCountsWasm, x, x, 0, 1000);
      expect(got[0]).toBe(3000);
      expect(got[3000]).toBe(1);
      const rows = uniformMatrix(new Random(113), 5, 4);
      const rt = tensorOf(rows);
      const none = radiusCountsWasm(rt, [], 1);
      expect(Array.from(await none.data())).toEqual([0, 0, 0, 0, 0]);
      tf.dispose([rt, none]);
    });

    describe('on worker threads', () => {
      // Chunks of 8 rows: many chunks out of small inputs.
      const chunking = { ...RADIUS_DEFAULTS.chunking, rows: 8 };
      const chunked: Impl = (rows, cols, radius) => radiusCountsWasm(rows, cols, radius, { chunking });
      afterAll(async () => {
        await setWasmThreads();
      });

      it('radiusCountsWasm gives the same counts on 1, 2 and 3 threads, and hands chunks to the workers', async () => {
        const rng = new Random(114);
        for (const [b, t, d] of [
          [203, 301, 1],
          [130, 250, 16],
          [61, 90, 300],
        ]) {
          const cols = uniformMatrix(rng, t, d, -2, 3);
          const rows = uniformMatrix(rng, b, d, -2, 3);
          const radius = Math.sqrt(d) * 1.2;
          const counts = await sameOnThreadCounts(() => run(chunked, rows, cols, radius, 100));
          expect(Array.from(counts)).toEqual(Array.from(await run(radiusCounts.portable, rows, cols, radius, 100)));
        }
        await setWasmThreads(2);
        const x = uniformMatrix(rng, 2000, 8);
        const before = wasmThreadStats().workerChunks;
        for (let i = 0; i < 100 && wasmThreadStats().workerChunks === before; i++) await run(chunked, x, x, 1);
        expect(wasmThreadStats().workerChunks).toBeGreaterThan(before);
      });
    });

    it('loadKernels(\'wasm\') makes radiusCounts run the wasm kernel on wasm', async () => {
      await (await import('../../../src/kernels/shared/registry.js')).loadKernels('wasm');
      expect(radiusCounts.implementationFor('wasm')).toBe('wasm');
    });
  },
  ['wasm'],
);
