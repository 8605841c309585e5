// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, expect } from 'vitest';
import { radiusCounts } from '../../../src/kernels/radiusCounts/index.js';
import { radiusCountsWebgpu } from '../../../src/kernels/radiusCounts/webgpu.js';
import { setWebgpuBindingLimit, webgpuFallbacks } from '../../../src/kernels/webgpu/run.js';
import type { Matrix } from '../../../src/matrix.js';
import { Random } from '../../../src/random.js';
import { describeEachBackend, it } from '../../helpers/backends.js';
import { matrixOf, radiusCountsRef, sqDistRef } from '../../helpers/reference.js';
import { readFloat32, sqDistBound, sqNorms, tensorOf, uniformMatrix, upload } from '../support.js';

type Impl = (rows: tf.Tensor2D, columns: readonly tf.Tensor2D[], radius: number) => tf.Tensor1D;

/** Runs `impl` with `cols` uploaded in blocks of `rowsPerBlock` rows; checks shape and dtype; disposes every tensor. */
async function run(impl: Impl, rows: Matrix, cols: Matrix, radius: number, rowsPerBlock?: number): Promise<Float32Array> {
  const up = upload(cols, { rowsPerBlock });
  const rt = tensorOf(rows);
  try {
    return await readFloat32(impl(rt, up.blocks.map((b) => b.x), radius), [rows.rows]);
  } finally {
    rt.dispose();
    up.dispose();
  }
}

/** Small integers: every float32 sum of the expansion is exact, so the radius test is exact on every path. */
function lattice(rng: Random, n: number, d: number, span: number): Matrix {
  return { data: Float32Array.from({ length: n * d }, () => rng.int(span) - (span >> 1)), rows: n, cols: d };
}

describeEachBackend(
  'radiusCounts, WGSL kernel',
  () => {
    afterEach(() => {
      setWebgpuBindingLimit(null);
      void webgpuFallbacks(true);
    });

    it('is the kernel registered for webgpu', () => {
      expect(radiusCounts.implementationFor('webgpu')).toBe('webgpu');
    });

    it('radiusCountsWebgpu counts the row itself and a neighbour at exactly the radius', async () => {
      const x = matrixOf([[0, 0], [3, 4], [3, 4.5], [-1, 0]]);
      expect(Array.from(await run(radiusCountsWebgpu, x, x, 5))).toEqual([3, 3, 2, 2]);
      expect(webgpuFallbacks()).toEqual([]);
    });

    for (const d of [1, 2, 5, 64, 65, 130, 300]) {
      it(`radiusCountsWebgpu equals the portable kernel and the Float64 reference exactly on integer data with pairs at exactly eps (d=${d})`, async () => {
        const rng = new Random(100 + d);
        const b = d > 64 ? 70 : 300; // 300: rows past one workgroup of 256
        const rows = lattice(rng, b, d, 5);
        const cols = lattice(rng, 131, d, 5); // not a multiple of 24; blocks of 50 and 31
        // r² an integer that occurs (sqrt then square rounds back to it in float32): pairs sit at exactly r.
        for (const r2 of [0, ...observedSqDists(rows, cols, [0.05, 0.3, 0.6])]) {
          const r = radiusOf(r2);
          const atEps = countAt(rows, cols, r2);
          if (r2 > 0) expect(atEps, `some pairs lie at exactly r² = ${r2}`).toBeGreaterThan(0);
          const want = Array.from(radiusCountsRef(rows, cols, r));
          expect(Array.from(await run(radiusCountsWebgpu, rows, cols, r, 50)), `r²=${r2} vs reference`).toEqual(want);
          expect(Array.from(await run(radiusCounts.portable, rows, cols, r, 50)), `r²=${r2} portable vs reference`).toEqual(want);
        }
        expect(webgpuFallbacks()).toEqual([]);
      });
    }

    it('radiusCountsWebgpu counts duplicates, ties and one huge cluster exactly', async () => {
      const rng = new Random(7);
      const n = 517;
      const d = 3;
      const data = new Float32Array(n * d);
      // 480 copies of one point, the rest on a small lattice around it at distances 1, √2, 2 ...
      for (let i = 480; i < n; i++) for (let j = 0; j < d; j++) data[i * d + j] = rng.int(5) - 2;
      const x: Matrix = { data, rows: n, cols: d };
      for (const r2 of [0, 1, 2, 4]) {
        const r = Math.sqrt(r2);
        const got = await run(radiusCountsWebgpu, x, x, r, 256);
        expect(Array.from(got)).toEqual(Array.from(radiusCountsRef(x, x, r)));
        expect(got[0]).toBeGreaterThanOrEqual(480);
      }
    });

    it('radiusCountsWebgpu agrees with the reference and the portable kernel on uniform data, up to pairs within rounding of the radius', async () => {
      const rng = new Random(12);
      for (const d of [3, 40, 257]) {
        const x = uniformMatrix(rng, 260, d, -2, 3);
        const rows = uniformMatrix(rng, 37, d, -2, 3);
        const radius = Math.sqrt(d) * 1.1;
        const got = await run(radiusCountsWebgpu, rows, x, radius, 100);
        const portable = await run(radiusCounts.portable, rows, x, radius, 100);
        const rr = sqNorms(rows);
        const xx = sqNorms(x);
        for (let i = 0; i < rows.rows; i++) {
          // Within the expansion's error bound of r², a pair may go either way on either path.
          let sure = 0;
          let maybe = 0;
          for (let j = 0; j < x.rows; j++) {
            const gap = sqDistRef(rows, i, x, j) - radius * radius;
            const bound = sqDistBound(d, rr[i], xx[j]) + 4 * 2 ** -24 * radius * radius;
            if (gap <= -bound) sure++;
            else if (gap <= bound) maybe++;
          }
          expect(got[i], `d=${d} row ${i}`).toBeGreaterThanOrEqual(sure);
          expect(got[i], `d=${d} row ${i}`).toBeLessThanOrEqual(sure + maybe);
          if (maybe === 0) expect(got[i], `d=${d} row ${i} as portable`).toBe(portable[i]);
        }
      }
    });

    it('radiusCountsWebgpu takes empty column blocks and a single row', async () => {
      const x = matrixOf([[1, 2]]);
      const rt = tensorOf(x);
      const empty = tf.zeros([0, 2]) as tf.Tensor2D;
      const out = radiusCountsWebgpu(rt, [empty, rt, empty], 0);
      expect(Array.from(await out.data())).toEqual([1]);
      tf.dispose([rt, empty, out]);
    });

    it('radiusCountsWebgpu runs the portable kernel beyond the binding limit and records why', async () => {
      const rng = new Random(3);
      const rows = lattice(rng, 40, 4, 5);
      const cols = lattice(rng, 90, 4, 5);
      setWebgpuBindingLimit(4 * 40 * 4 - 4);
      const got = await run(radiusCountsWebgpu, rows, cols, 2);
      expect(Array.from(got)).toEqual(Array.from(radiusCountsRef(rows, cols, 2)));
      const fell = webgpuFallbacks(true);
      expect(fell.length).toBe(1);
      expect(fell[0].kernel).toBe('radiusCounts');
      expect(fell[0].reason).toMatch(/rows are over the 636-byte binding limit/);
    });
  },
  ['webgpu'],
);

/** How many (row, column) pairs are at squared distance exactly r2. */
function countAt(rows: Matrix, cols: Matrix, r2: number): number {
  let n = 0;
  for (let i = 0; i < rows.rows; i++) for (let j = 0; j < cols.rows; j++) if (sqDistRef(rows, i, cols, j) === r2) n++;
  return n;
}

/** The squared distances at the given quantiles of all (row, column) pairs. */
function observedSqDists(rows: Matrix, cols: Matrix, quantiles: number[]): number[] {
  const all: number[] = [];
  for (let i = 0; i < rows.rows; i++) for (let j = 0; j < cols.rows; j++) all.push(sqDistRef(rows, i, cols, j));
  all.sort((a, b) => a - b);
  return quantiles.map((q) => all[Math.floor(q * (all.length - 1))]);
}

/**
 * A radius whose square is r2 both in float64 (as the reference squares it, at least r2) and
 * rounded to float32 (as the kernels take r²), so that pairs at exactly r2 are inside everywhere.
 */
function radiusOf(r2: number): number {
  let r = Math.sqrt(r2);
  while (r * r < r2) r += r * 2 ** -52;
  return r;
}
