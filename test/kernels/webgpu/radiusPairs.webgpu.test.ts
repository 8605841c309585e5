// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, expect } from 'vitest';
import { PAIR_BITS, forEachPair, radiusPairs } from '../../../src/kernels/radiusPairs/index.js';
import { radiusPairsWebgpu } from '../../../src/kernels/radiusPairs/webgpu.js';
import { setWebgpuBindingLimit, webgpuFallbacks } from '../../../src/kernels/webgpu/run.js';
import type { Matrix } from '../../../src/matrix.js';
import { Random } from '../../../src/random.js';
import { describeEachBackend, it } from '../../helpers/backends.js';
import { matrixOf, radiusPairsRef, sqDistRef } from '../../helpers/reference.js';
import { sqDistBound, sqNorms, tensorOf, uniformMatrix } from '../support.js';

type Impl = (rows: tf.Tensor2D, cols: tf.Tensor2D, radius: number) => tf.Tensor2D;

/** Runs `impl`, checks the packed shape and dtype, returns the raw words; disposes every tensor. */
async function runWords(impl: Impl, rows: Matrix, cols: Matrix, radius: number): Promise<Int32Array> {
  const rt = tensorOf(rows);
  const ct = tensorOf(cols);
  try {
    const out = impl(rt, ct, radius);
    try {
      expect(out.shape).toEqual([rows.rows, Math.ceil(cols.rows / PAIR_BITS)]);
      expect(out.dtype).toBe('int32');
      return (await out.data()) as Int32Array;
    } finally {
      out.dispose();
    }
  } finally {
    tf.dispose([rt, ct]);
  }
}

function decode(words: Int32Array, b: number, t: number): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  forEachPair(words, b, t, (i, j) => pairs.push([i, j]));
  return pairs;
}

function lattice(rng: Random, n: number, d: number, span: number): Matrix {
  return { data: Float32Array.from({ length: n * d }, () => rng.int(span) - (span >> 1)), rows: n, cols: d };
}

/** A radius whose square is r2 in float64 (at least) and in float32 (exactly): pairs at r2 are inside. */
function radiusOf(r2: number): number {
  let r = Math.sqrt(r2);
  while (r * r < r2) r += r * 2 ** -52;
  return r;
}

describeEachBackend(
  'radiusPairs, WGSL kernel',
  () => {
    afterEach(() => {
      setWebgpuBindingLimit(null);
      void webgpuFallbacks(true);
    });

    it('is the kernel registered for webgpu', () => {
      expect(radiusPairs.implementationFor('webgpu')).toBe('webgpu');
    });

    it('radiusPairsWebgpu lists the hand-computed pairs, the radius included', async () => {
      const x = matrixOf([[0, 0], [3, 4], [3, 4.5], [-1, 0]]);
      const words = await runWords(radiusPairsWebgpu, x, x, 5);
      expect(decode(words, 4, 4)).toEqual([[0, 0], [0, 1], [0, 3], [1, 0], [1, 1], [1, 2], [2, 1], [2, 2], [3, 0], [3, 3]]);
      expect(webgpuFallbacks()).toEqual([]);
    });

    for (const [b, t, d] of [
      [300, 1, 2],
      [37, 23, 1],
      [37, 24, 3],
      [261, 25, 7],
      [40, 100, 65],
      [20, 49, 300],
    ]) {
      it(`radiusPairsWebgpu gives the portable kernel's words and the reference's pairs on integer data, pairs at exactly eps included (b=${b}, t=${t}, d=${d})`, async () => {
        const rng = new Random(b * 1000 + t + d);
        const rows = lattice(rng, b, d, 4);
        const cols = lattice(rng, t, d, 4);
        const dists: number[] = [];
        for (let i = 0; i < b; i++) for (let j = 0; j < t; j++) dists.push(sqDistRef(rows, i, cols, j));
        dists.sort((p, q) => p - q);
        for (const r2 of [0, dists[Math.floor(0.2 * (dists.length - 1))], dists[Math.floor(0.7 * (dists.length - 1))]]) {
          const r = radiusOf(r2);
          const words = await runWords(radiusPairsWebgpu, rows, cols, r);
          expect(Array.from(words), `r²=${r2}: words as portable`).toEqual(Array.from(await runWords(radiusPairs.portable, rows, cols, r)));
          expect(decode(words, b, t), `r²=${r2}: pairs as reference`).toEqual(radiusPairsRef(rows, cols, r));
        }
        expect(webgpuFallbacks()).toEqual([]);
      });
    }

    it('radiusPairsWebgpu agrees with the reference on uniform data, up to pairs within rounding of the radius', async () => {
      const rng = new Random(5);
      const d = 33;
      const rows = uniformMatrix(rng, 70, d, -1, 2);
      const cols = uniformMatrix(rng, 130, d, -1, 2);
      const radius = 7; // about the median distance (E‖x − c‖² = 33 · 1.5)
      const got = new Set(decode(await runWords(radiusPairsWebgpu, rows, cols, radius), rows.rows, cols.rows).map(([i, j]) => i * cols.rows + j));
      const rr = sqNorms(rows);
      const cc = sqNorms(cols);
      let inside = 0;
      for (let i = 0; i < rows.rows; i++) {
        for (let j = 0; j < cols.rows; j++) {
          const gap = sqDistRef(rows, i, cols, j) - radius * radius;
          if (Math.abs(gap) <= sqDistBound(d, rr[i], cc[j]) + 4 * 2 ** -24 * radius * radius) continue;
          expect(got.has(i * cols.rows + j), `pair (${i}, ${j}) at gap ${gap}`).toBe(gap < 0);
          if (gap < 0) inside++;
        }
      }
      expect(inside, 'the test has pairs on both sides').toBeGreaterThan(100);
      expect(inside).toBeLessThan(rows.rows * cols.rows - 100);
    });

    it('radiusPairsWebgpu runs the portable kernel beyond the binding limit and records why', async () => {
      const rng = new Random(9);
      const rows = lattice(rng, 30, 3, 5);
      const cols = lattice(rng, 50, 3, 5);
      setWebgpuBindingLimit(4 * 50 * 3 - 4);
      const words = await runWords(radiusPairsWebgpu, rows, cols, 2);
      expect(decode(words, 30, 50)).toEqual(radiusPairsRef(rows, cols, 2));
      const fell = webgpuFallbacks(true);
      expect(fell.map((f) => f.kernel)).toEqual(['radiusPairs']);
      expect(fell[0].reason).toMatch(/column block of 50×3 floats is over the 596-byte binding limit/);
    });
  },
  ['webgpu'],
);
