// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/errors.js';
import { sampleScatter } from '../../src/report/sampleScatter.js';

function coords(n: number): { data: Float32Array; rows: number; cols: number } {
  const data = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) data.set([i, -i, 99], i * 3);
  return { data, rows: n, cols: 3 };
}

describe('sampleScatter', () => {
  it('sampleScatter keeps every row, in order, when there are no more than size', () => {
    const s = sampleScatter(coords(5), [0, 1, 2, 0, 1], { size: 5, xLabel: 'PC1' });
    expect(Array.from(s.x)).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(s.y)).toEqual([-0, -1, -2, -3, -4]);
    expect(Array.from(s.segment)).toEqual([0, 1, 2, 0, 1]);
    expect(s.totalRows).toBe(5);
    expect(s.xLabel).toBe('PC1');
    expect(s.yLabel).toBeUndefined();
  });

  it('sampleScatter draws size distinct rows in row order, the same for the same seed', () => {
    const labels = Int32Array.from({ length: 1000 }, (_, i) => i % 3);
    const a = sampleScatter(coords(1000), labels, { size: 100, seed: 5 });
    const b = sampleScatter(coords(1000), labels, { size: 100, seed: 5 });
    const c = sampleScatter(coords(1000), labels, { size: 100, seed: 6 });
    expect(a.x.length).toBe(100);
    expect(new Set(a.x).size).toBe(100);
    for (let i = 1; i < 100; i++) expect(a.x[i]).toBeGreaterThan(a.x[i - 1]);
    // Each point keeps its own row's y and segment.
    for (let i = 0; i < 100; i++) {
      expect(a.y[i]).toBe(-a.x[i]);
      expect(a.segment[i]).toBe(a.x[i] % 3);
    }
    expect(Array.from(b.x)).toEqual(Array.from(a.x));
    expect(Array.from(c.x)).not.toEqual(Array.from(a.x));
    expect(a.totalRows).toBe(1000);
  });

  it('sampleScatter refuses one column and labels of the wrong length', () => {
    expect(() => sampleScatter({ data: new Float32Array(3), rows: 3, cols: 1 }, [0, 0, 0])).toThrow('sampleScatter: coords has 1 column(s); a scatter needs 2');
    expect(() => sampleScatter(coords(3), [0, 0])).toThrow(DataError);
  });
});
