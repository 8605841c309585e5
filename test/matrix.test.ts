// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { DataError } from '../src/errors.js';
import { toLabels, toMatrix, toWeights } from '../src/matrix.js';

describe('toMatrix', () => {
  it('accepts rows of numbers, a Matrix and a 2-D tensor alike', async () => {
    await tf.setBackend('cpu');
    const rows = [[1, 2], [3, 4], [5, 6]];
    const a = toMatrix(rows, 'f');
    const b = toMatrix({ data: Float64Array.from([1, 2, 3, 4, 5, 6]), rows: 3, cols: 2 }, 'f');
    const t = tf.tensor2d(rows);
    const c = toMatrix(t, 'f');
    t.dispose();
    for (const m of [a, b, c]) {
      expect(m.rows).toBe(3);
      expect(m.cols).toBe(2);
      expect(Array.from(m.data)).toEqual([1, 2, 3, 4, 5, 6]);
    }
  });

  it('names the row and column of the first non-finite value', () => {
    expect(() => toMatrix([[1, 2], [3, Number.POSITIVE_INFINITY]], 'fit', 'X')).toThrow('fit: X has a non-finite value (Infinity) at row 1, column 1');
    try {
      toMatrix([[Number.NaN]], 'fit');
    } catch (e) {
      expect(e).toBeInstanceOf(DataError);
      expect((e as DataError).row).toBe(0);
      expect((e as DataError).column).toBe(0);
    }
  });

  it('catches a float64 value that overflows float32', () => {
    expect(() => toMatrix({ data: Float64Array.from([1e39]), rows: 1, cols: 1 }, 'fit')).toThrow('fit: X has a value (1e+39) too large for float32 at row 0, column 0');
  });

  it('rejects empty input, zero columns, ragged rows and a wrong data length', () => {
    expect(() => toMatrix([], 'fit')).toThrow('fit: X is empty: it has no rows');
    expect(() => toMatrix([[]], 'fit')).toThrow('fit: X has 1 rows but zero columns');
    expect(() => toMatrix([[1, 2], [3]], 'fit')).toThrow('fit: row 1 of X has 1 values, row 0 has 2');
    expect(() => toMatrix({ data: new Float32Array(5), rows: 2, cols: 3 }, 'fit')).toThrow(/5 values, not rows\*cols = 2\*3/);
  });
});

describe('toMatrix without a copy', () => {
  it('returns float32 data as it is, validated; other data is still copied', () => {
    const data = Float32Array.from([1, 2, 3, 4]);
    expect(toMatrix({ data, rows: 2, cols: 2 }, 'f', 'X', { copy: false }).data).toBe(data);
    expect(toMatrix({ data, rows: 2, cols: 2 }, 'f').data).not.toBe(data);
    expect(() => toMatrix({ data: Float32Array.from([1, Number.NaN]), rows: 1, cols: 2 }, 'f', 'X', { copy: false })).toThrow('f: X has a non-finite value (NaN) at row 0, column 1');
  });
});

describe('toWeights and toLabels', () => {
  it('checks weights: length, finite, non-negative, not all zero', () => {
    expect(toWeights(undefined, 3, 'f')).toBeNull();
    expect(Array.from(toWeights([1, 0, 2], 3, 'f')!)).toEqual([1, 0, 2]);
    expect(() => toWeights([0, 0], 2, 'f')).toThrow(/sums to zero/);
    expect(() => toWeights([1, Number.NaN], 2, 'f')).toThrow(/sampleWeight\[1\] = NaN/);
  });

  it('encodes labels densely in sorted order of the distinct values', () => {
    const { codes, k, values } = toLabels([7, -1, 7, 3], 4, 'f');
    expect(Array.from(codes)).toEqual([2, 0, 2, 1]);
    expect(k).toBe(3);
    expect(values).toEqual([-1, 3, 7]);
    expect(() => toLabels([0, 1.5], 2, 'f')).toThrow('f: labels[1] = 1.5: labels must be integers');
  });
});
