// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { DataError, ParameterError } from '../../src/errors.js';
import { correlationMatrix } from '../../src/report/correlation.js';

describe('correlationMatrix', () => {
  it('correlationMatrix matches correlations computed by hand', () => {
    // a = [1, 2, 3], b = [2, 4, 7], c = [0, 5, 5]; centred sums of products by hand:
    // aa = 2, bb = 38/3, cc = 50/3, ab = 5, ac = 5, bc = 35/3.
    const x = { data: new Float32Array([1, 2, 0, 2, 4, 5, 3, 7, 5]), rows: 3, cols: 3 };
    const { features, matrix } = correlationMatrix(x, ['a', 'b', 'c']);
    expect(features).toEqual(['a', 'b', 'c']);
    const ab = Math.sqrt(75 / 76);
    const ac = Math.sqrt(3) / 2;
    const bc = 3.5 / Math.sqrt(19);
    const want = [1, ab, ac, ab, 1, bc, ac, bc, 1];
    want.forEach((w, i) => expect(matrix[i]).toBeCloseTo(w, 12));
  });

  it('correlationMatrix gives -1 for a column and its negation, and NaN for a constant column', () => {
    const x = { data: new Float64Array([1, -1, 4, 2, -2, 4, 5, -5, 4]), rows: 3, cols: 3 };
    const { features, matrix } = correlationMatrix(x);
    expect(features).toEqual(['f0', 'f1', 'f2']);
    expect(matrix[1]).toBe(-1);
    expect(matrix[3]).toBe(-1);
    for (const i of [2, 5, 6, 7, 8]) expect(matrix[i]).toBeNaN();
  });

  it('correlationMatrix keeps its digits on large float32 data far from zero', () => {
    // b is an exact linear function of a, which sits near 1e6: a one-pass formula in float32
    // (or even float64 sums of squares) loses r here; centring first does not.
    const n = 200_000;
    const data = new Float32Array(n * 2);
    for (let i = 0; i < n; i++) {
      data[i * 2] = 1e6 + (i % 7);
      data[i * 2 + 1] = 3 - 2 * (i % 7);
    }
    const { matrix } = correlationMatrix({ data, rows: n, cols: 2 });
    expect(matrix[1]).toBeCloseTo(-1, 12);
  });

  it('correlationMatrix refuses non-finite values, one row, and a wrong number of names', () => {
    expect(() => correlationMatrix({ data: new Float32Array([1, NaN, 2, 3]), rows: 2, cols: 2 })).toThrow(DataError);
    expect(() => correlationMatrix({ data: new Float32Array([1, NaN, 2, 3]), rows: 2, cols: 2 })).toThrow('correlationMatrix: x has a non-finite value NaN at row 0, column 1');
    expect(() => correlationMatrix({ data: new Float32Array([1, 2]), rows: 1, cols: 2 })).toThrow('x has 1 rows; a correlation needs at least 2');
    expect(() => correlationMatrix({ data: new Float32Array([1, 2, 3, 4]), rows: 2, cols: 2 }, ['a'])).toThrow(ParameterError);
  });
});
