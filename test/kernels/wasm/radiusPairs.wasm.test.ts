// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect } from 'vitest';
import { PAIR_BITS, forEachPair, radiusPairs } from '../../../src/kernels/radiusPairs/index.js';
import { RADIUS_DEFAULTS } from '../../../src/kernels/radiusCounts/options.js';
import { radiusPairsWasm } from '../../../src/kernels/radiusPairs/wasm.js';
import { setWasmThreads } from '../../../src/kernels/wasm/threads.js';
import type { Matrix } from '../../../src/matrix.js';
import { Random } from '../../../src/random.js';
import { describeEachBackend, it } from '../../helpers/backends.js';
import { matrixOf, radiusPairsRef, sqDistRef } from '../../helpers/reference.js';
import { sqDistBound, sqNorms, tensorOf, uniformMatrix } from '../support.js';
import { sameOnThreadCounts } from './threadCounts.js';

type Impl = (rows: tf.Tensor2D, cols: tf.Tensor2D, radius: number) => tf.Tensor2D;

/** Runs `impl` on one tile, reads the packed words back, disposes everything; checks none leaks. */
async function run(impl: Impl, rows: Matrix, cols: Matrix, radius: number): Promise<Int32Array> {
  const before = tf.memory().numTensors;
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
    expect(tf.memory().numTensors, 'no tensor leaks').toBe(before);
  }
}

function decode(packed: Int32Array, b: number, t: number): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  forEachPair(packed, b, t, (i, j) => pairs.push([i, j]));
  return pairs;
}

/** The wasm words equal the portable kernel's; the pairs include those certainly within and none certainly outside. */
async function checkBoth(rows: Matrix, cols: Matrix, radius: number, what: string): Promise<Int32Array> {
  const got = await run(radiusPairsWasm, rows, cols, radius);
  expect(Array.from(got), `${what}: wasm against portable`).toEqual(Array.from(await run(radiusPairs.portable, rows, cols, radius)));
  const found = new Set(decode(got, rows.rows, cols.rows).map(([i, j]) => i * cols.rows + j));
  const rr = sqNorms(rows);
  const cc = sqNorms(cols);
  const r2 = radius * radius;
  for (let i = 0; i < rows.rows; i++) {
    for (let j = 0; j < cols.rows; j++) {
      const e = sqDistBound(rows.cols + 2, rr[i], cc[j] + r2);
      const s = sqDistRef(rows, i, cols, j);
      if (s <= r2 - e) expect(found.has(i * cols.rows + j), `${what}: (${i}, ${j}) certainly within`).toBe(true);
      if (s > r2 + e) expect(found.has(i * cols.rows + j), `${what}: (${i}, ${j}) certainly outside`).toBe(false);
    }
  }
  return got;
}

describeEachBackend(
  'radiusPairs, wasm SIMD kernel',
  () => {
    it('radiusPairsWasm packs the pairs within the radius, one exactly at it included', async () => {
      const x = matrixOf([
        [0, 0],
        [3, 4],
        [3, 4.5],
        [-1, 0],
      ]);
      const got = await run(radiusPairsWasm, x, x, 5);
      // Row 0: columns 0, 1, 3; row 1: 0, 1, 2; row 2: 1, 2; row 3: 0, 3.
      expect(Array.from(got)).toEqual([0b1011, 0b0111, 0b0110, 0b1001]);
      expect(Array.from(await run(radiusPairsWasm, x, x, 5 - 2 ** -21))).toEqual([0b1001, 0b0110, 0b0110, 0b1001]);
    });

    it('radiusPairsWasm equals the Float64 reference exactly on integer data with ties, duplicates and pairs exactly at eps', async () => {
      const rng = new Random(121);
      for (const d of [1, 2, 3, 8]) {
        for (const t of [1, 4, 23, 24, 25, 49, 97]) {
          const cols: Matrix = { data: Float32Array.from({ length: t * d }, () => rng.int(5) - 2), rows: t, cols: d };
          const rows: Matrix = { data: Float32Array.from({ length: 11 * d }, () => rng.int(5) - 2), rows: 11, cols: d };
          for (const r2 of [0, 1, 2, 4]) {
            const got = await run(radiusPairsWasm, rows, cols, Math.sqrt(r2));
            expect(decode(got, 11, t), `d=${d} t=${t} r²=${r2}`).toEqual(radiusPairsRef(rows, cols, Math.sqrt(r2)));
            expect(Array.from(got)).toEqual(Array.from(await run(radiusPairs.portable, rows, cols, Math.sqrt(r2))));
          }
        }
      }
    });

    it('radiusPairsWasm equals the portable kernel on uniform data for d from 1 to 300, t off multiples of 4 and 24', async () => {
      const rng = new Random(122);
      const cases: Array<[number, number, number, number]> = [
        // [rows, cols, d, radius]
        [1, 1, 1, 0.5],
        [7, 9, 1, 0.3],
        [33, 121, 2, 1],
        [61, 257, 3, 1.5],
        [64, 300, 8, 3],
        [50, 203, 16, 4.5],
        [21, 130, 33, 7],
        [13, 61, 300, 20],
      ];
      for (const [b, t, d, radius] of cases) {
        const cols = uniformMatrix(rng, t, d, -2, 3);
        await checkBoth(uniformMatrix(rng, b, d, -2, 3), cols, radius, `b=${b} t=${t} d=${d}`);
        await checkBoth(cols, cols, radius, `self t=${t} d=${d}`);
      }
    });

    describe('on worker threads', () => {
      // Chunks of 8 rows: many chunks out of small inputs.
      const chunking = { ...RADIUS_DEFAULTS.chunking, rows: 8 };
      const chunked: Impl = (rows, cols, radius) => radiusPairsWasm(rows, cols, radius, { chunking });
      afterAll(async () => {
        await setWasmThreads();
      });

      it('radiusPairsWasm gives the same words on 1, 2 and 3 threads', async () => {
        const rng = new Random(123);
        for (const [b, t, d] of [
          [203, 301, 1],
          [130, 250, 16],
          [61, 90, 300],
        ]) {
          const cols = uniformMatrix(rng, t, d, -2, 3);
          const rows = uniformMatrix(rng, b, d, -2, 3);
          const radius = Math.sqrt(d) * 1.2;
          const words = await sameOnThreadCounts(() => run(chunked, rows, cols, radius));
          expect(Array.from(words)).toEqual(Array.from(await run(radiusPairs.portable, rows, cols, radius)));
        }
      });
    });

    it('loadKernels(\'wasm\') makes radiusPairs run the wasm kernel on wasm', async () => {
      await (await import('../../../src/kernels/shared/registry.js')).loadKernels('wasm');
      expect(radiusPairs.implementationFor('wasm')).toBe('wasm');
    });
  },
  ['wasm'],
);
