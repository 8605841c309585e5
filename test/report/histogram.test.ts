// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { DataError, ParameterError } from '../../src/errors.js';
import { categoryCountsBySegment, histogramBySegment } from '../../src/report/histogram.js';

describe('histogramBySegment', () => {
  it('histogramBySegment counts each segment on shared equal-width bins, the last bin closed', () => {
    const h = histogramBySegment('v', [0, 1, 2, 3, 4, NaN], [0, 0, 1, 1, 1, 1], { bins: 4 });
    expect(h.kind).toBe('numeric');
    expect(Array.from(h.edges)).toEqual([0, 1, 2, 3, 4]);
    expect(h.counts.map((c) => c.segment)).toEqual([0, 1]);
    expect(Array.from(h.counts[0].counts)).toEqual([1, 1, 0, 0]);
    expect(Array.from(h.counts[1].counts)).toEqual([0, 0, 1, 2]);
  });

  it('histogramBySegment puts a value equal to an edge into the bin that starts there', () => {
    const h = histogramBySegment('v', [0, 0.1, 0.2, 0.3], [0, 0, 0, 0], { bins: 3, range: [0, 0.3] });
    const edges = Array.from(h.edges);
    const atEdges = histogramBySegment('v', edges, edges.map(() => 0), { bins: 3, range: [0, 0.3] });
    expect(Array.from(atEdges.counts[0].counts)).toEqual([1, 1, 2]);
    expect(h.counts[0].counts.reduce((a, b) => a + b, 0)).toBe(4);
  });

  it('histogramBySegment honours a range, the segments asked for, and a constant column', () => {
    const h = histogramBySegment('v', [-5, 1, 2, 9], [0, 1, 2, 1], { bins: 2, range: [0, 4], segments: [1, 0] });
    expect(Array.from(h.edges)).toEqual([0, 2, 4]);
    expect(h.counts.map((c) => c.segment)).toEqual([1, 0]);
    expect(Array.from(h.counts[0].counts)).toEqual([1, 0]);
    expect(Array.from(h.counts[1].counts)).toEqual([0, 0]);
    const c = histogramBySegment('c', [3, 3, 3], [0, 0, 1]);
    expect(Array.from(c.edges)).toEqual([2.5, 3.5]);
    expect(c.counts.map((s) => Array.from(s.counts))).toEqual([[2], [1]]);
  });

  it('histogramBySegment refuses bad options and data with nothing to bin', () => {
    expect(() => histogramBySegment('v', [1, 2], [0, 0], { bins: 0 })).toThrow(ParameterError);
    expect(() => histogramBySegment('v', [1, 2], [0, 0], { range: [2, 2] })).toThrow('histogramBySegment: range=[2, 2] must be finite with low < high');
    expect(() => histogramBySegment('v', [NaN], [0])).toThrow(DataError);
    expect(() => histogramBySegment('v', [1, 2], [0])).toThrow('labels has 1 values for 2 rows');
  });
});

describe('categoryCountsBySegment', () => {
  const values = ['a', 'b', 'a', null, 'c', 'c', 'c'];
  const labels = [0, 0, 1, 1, 0, 1, 1];

  it('categoryCountsBySegment keeps the most frequent values and counts the rest as other', () => {
    const c = categoryCountsBySegment('x', values, labels, { top: 2 });
    expect(c.categories).toEqual(['c', 'a', '(other)']);
    expect(c.counts.map((s) => [s.segment, Array.from(s.counts)])).toEqual([
      [0, [1, 1, 1]],
      [1, [2, 1, 0]],
    ]);
  });

  it('categoryCountsBySegment has no other bucket when every value is kept, and follows a given order', () => {
    expect(categoryCountsBySegment('x', values, labels).categories).toEqual(['c', 'a', 'b']);
    const ordered = categoryCountsBySegment('x', values, labels, { order: ['a', 'b', 'c'] });
    expect(ordered.categories).toEqual(['a', 'b', 'c']);
    expect(Array.from(ordered.counts[1].counts)).toEqual([1, 0, 2]);
  });

  it('categoryCountsBySegment refuses top < 1', () => {
    expect(() => categoryCountsBySegment('x', values, labels, { top: 0 })).toThrow('categoryCountsBySegment: top=0 must be an integer >= 1');
  });
});
