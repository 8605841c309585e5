// SPDX-License-Identifier: MIT
import { expect } from 'vitest';
import { centerRows, centerRowsPortable } from '../../src/kernels/centerRows/index.js';
import { centerRowsWasm } from '../../src/kernels/centerRows/wasm.js';
import type { MatrixF32 } from '../../src/matrix.js';
import { Random } from '../../src/random.js';
import { describeEachBackend, it } from '../helpers/backends.js';
import { centerRowsRef } from '../helpers/reference.js';

/** Columns far from 0 with a small spread (j·1000 + U[0, 50)): the case centering is for. */
function offsetRows(rng: Random, n: number, d: number): MatrixF32 {
  return { data: Float32Array.from({ length: n * d }, (_, i) => 1000 * (i % d) + 50 * rng.next()), rows: n, cols: d };
}

/** Index of the first value where `a` and `b` differ (or of the end of the shorter), −1 when they are the same values: cheaper than toEqual at 10^5 values. */
function firstDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (!Object.is(a[i], b[i])) return i;
  return a.length === b.length ? -1 : Math.min(a.length, b.length);
}

// Odd and even d (the module pairs columns), n across the module's 2^16-float chunks.
const SHAPES = [
  [1, 1],
  [7, 3],
  [70_001, 1],
  [9_999, 7],
  [20_003, 16],
  [301, 300],
] as const;

describeEachBackend('centerRows', (backend) => {
  it('centerRows gives the hand-computed means, centered rows and mean column variance', () => {
    // Columns (1, 3) and (10, 30): means 2 and 20, variances 1 and 100 (population).
    const c = centerRows({ data: Float32Array.from([1, 10, 3, 30]), rows: 2, cols: 2 });
    expect(Array.from(c.mean)).toEqual([2, 20]);
    expect(Array.from(c.centered.data)).toEqual([-1, -10, 1, 10]);
    expect(c.centered.rows).toBe(2);
    expect(c.centered.cols).toBe(2);
    expect(c.meanVariance).toBe(50.5);
    // A given row is subtracted as it is: (1, 10) − (0.5, 4), (3, 30) − (0.5, 4).
    const g = centerRows({ data: Float32Array.from([1, 10, 3, 30]), rows: 2, cols: 2 }, Float64Array.from([0.5, 4]));
    expect(Array.from(g.centered.data)).toEqual([0.5, 6, 2.5, 26]);
    expect(Array.from(g.mean)).toEqual([0.5, 4]);
  });

  it(`centerRows gives the bits of the float64 reference (means, rows rounded once), its variance within 1e-6, whatever ${backend} runs`, () => {
    const rng = new Random(5);
    for (const [n, d] of SHAPES) {
      const m = offsetRows(rng, n, d);
      const got = centerRows(m);
      const ref = centerRowsRef(m);
      expect(firstDiff(got.mean, ref.means), `means n=${n} d=${d}`).toBe(-1);
      expect(firstDiff(got.centered.data, ref.centered), `centered n=${n} d=${d}`).toBe(-1);
      expect(Math.abs(got.meanVariance - ref.meanVariance), `meanVariance n=${n} d=${d}`).toBeLessThanOrEqual(1e-6 * ref.meanVariance + 1e-12);
      // Another matrix's means, given (as the fits center seeds and inits).
      const other = offsetRows(rng, Math.min(n, 50), d);
      const mean = centerRowsRef(other).means;
      expect(firstDiff(centerRows(m, mean).centered.data, centerRowsRef(m, mean).centered), `given mean n=${n} d=${d}`).toBe(-1);
    }
  });

  it('centerRows runs our wasm module on wasm, webgpu and tensorflow, and the portable form on cpu and webgl', () => {
    expect([...centerRows.backends].sort()).toEqual(['tensorflow', 'wasm', 'webgpu']);
    expect(centerRows.implementationFor()).toBe(backend === 'cpu' || backend === 'webgl' ? 'portable' : backend);
  });

  it('centerRows refuses a data length other than rows*cols, a mean of another width or not finite, and no rows without a mean', () => {
    const x: MatrixF32 = { data: Float32Array.from([1, 2, 3, 4]), rows: 2, cols: 2 };
    expect(() => centerRows({ data: x.data, rows: 3, cols: 2 })).toThrow('centerRows: x.data has 4 values, not rows*cols = 3*2');
    expect(() => centerRows(x, Float64Array.from([1]))).toThrow('centerRows: mean has 1 values, x has 2 columns');
    expect(() => centerRows(x, Float64Array.from([1, Number.NaN]))).toThrow('centerRows: mean[1] = NaN');
    expect(() => centerRows({ data: new Float32Array(0), rows: 0, cols: 2 })).toThrow('centerRows: x has no rows');
    expect(centerRows({ data: new Float32Array(0), rows: 0, cols: 2 }, Float64Array.from([1, 2])).centered.data).toEqual(new Float32Array(0));
  });
});

describeEachBackend(
  'centerRows, wasm implementation',
  () => {
    it('centerRowsWasm gives the bits of the portable form: means, rows, sums and so the variance, odd and even d, across chunk boundaries', () => {
      const rng = new Random(6);
      for (const [n, d] of SHAPES) {
        const m = offsetRows(rng, n, d);
        const fast = centerRowsWasm(m);
        const portable = centerRowsPortable(m);
        expect(firstDiff(fast.mean, portable.mean), `means n=${n} d=${d}`).toBe(-1);
        expect(firstDiff(fast.centered.data, portable.centered.data), `centered n=${n} d=${d}`).toBe(-1);
        expect(fast.meanVariance, `meanVariance n=${n} d=${d}`).toBe(portable.meanVariance);
        const mean = Float64Array.from({ length: d }, (_, j) => 1000 * j + 25.125);
        const fastGiven = centerRowsWasm(m, mean);
        const portableGiven = centerRowsPortable(m, mean);
        expect(firstDiff(fastGiven.centered.data, portableGiven.centered.data), `given mean n=${n} d=${d}`).toBe(-1);
        expect(fastGiven.meanVariance, `given mean, meanVariance n=${n} d=${d}`).toBe(portableGiven.meanVariance);
      }
    });
  },
  ['wasm'],
);
