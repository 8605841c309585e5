// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { DataError, ParameterError } from '../../src/errors.js';
import { MAX_OUTLIERS, boxBySegment, categoryCountsByIds, categoryCountsBySegment, histogramBySegment } from '../../src/report/histogram.js';
import { Random } from '../../src/random.js';

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

describe('histogramBySegment on a log scale', () => {
  it("bins equally wide in log(1 + x), edges back in the values' units, zeros in the first bin", () => {
    // log1p of 0, 0, 1, 2, 7, 20, 63: 0, 0, 0.69, 1.10, 2.08, 3.04, 4.16; three bins of width log(64)/3
    // end at log(4), log(16), log(64): edges 0, 3, 15, 63.
    const h = histogramBySegment('spend', [0, 0, 1, 2, 7, 20, 63], [0, 0, 0, 0, 0, 1, 1], { bins: 3, scale: 'log' });
    expect(h.scale).toBe('log');
    [0, 3, 15, 63].forEach((e, i) => expect(h.edges[i]).toBeCloseTo(e, 9));
    expect(Array.from(h.counts[0].counts)).toEqual([4, 1, 0]);
    expect(Array.from(h.counts[1].counts)).toEqual([0, 0, 2]);
  });
});

describe('boxBySegment', () => {
  it("Tukey's box by hand: quartiles by linear interpolation, whiskers within 1.5 IQR, the rest outliers", () => {
    // Segment 0: 1 2 3 4 100: Q1 = 2, median 3, Q3 = 4, IQR 2, fences -1 and 7: whiskers 1 and 4, 100 an outlier.
    // Segment 1: all 10: no spread, no outlier.
    const boxes = boxBySegment([1, 2, 3, 4, 100, 10, 10, 10, NaN], [0, 0, 0, 0, 0, 1, 1, 1, 1]);
    expect(boxes).toEqual([
      { segment: 0, count: 5, q1: 2, median: 3, q3: 4, low: 1, high: 4, outlierCount: 1, outliers: [100] },
      { segment: 1, count: 3, q1: 10, median: 10, q3: 10, low: 10, high: 10, outlierCount: 0, outliers: [] },
    ]);
  });

  it('lists at most MAX_OUTLIERS outliers, the most extreme first, and counts them all', () => {
    const values = [...Array.from({ length: 200 }, () => 0), ...Array.from({ length: 50 }, (_, i) => 1000 + i)];
    const [box] = boxBySegment(values, values.map(() => 0));
    expect(box.outlierCount).toBe(50);
    expect(box.outliers).toHaveLength(MAX_OUTLIERS);
    expect(box.outliers[0]).toBe(1049);
    expect(box.high).toBe(0);
  });

  it('equals a box read off the sorted values (Float64 reference) on heavy-tailed random segments, outliers at both ends', () => {
    const rng = new Random(11);
    const n = 5000;
    const values = Float64Array.from({ length: n }, () => (rng.next() < 0.05 ? (rng.next() < 0.5 ? -1 : 1) * 50 * rng.next() ** -1 : rng.next() * 10));
    const labels = Int32Array.from({ length: n }, () => Math.floor(rng.next() * 4));
    const reference = (segment: number) => {
      const sorted = Float64Array.from(values.filter((_, i) => labels[i] === segment)).sort();
      const q = (p: number): number => {
        const h = (sorted.length - 1) * p;
        const lo = Math.floor(h);
        return lo >= sorted.length - 1 ? sorted[sorted.length - 1] : sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
      };
      const [q1, median, q3] = [q(0.25), q(0.5), q(0.75)];
      const inside = sorted.filter((v) => v >= q1 - 1.5 * (q3 - q1) && v <= q3 + 1.5 * (q3 - q1));
      const lows = sorted.filter((v) => v < q1 - 1.5 * (q3 - q1));
      const highs = sorted.filter((v) => v > q3 + 1.5 * (q3 - q1)).reverse();
      const outliers: number[] = [];
      for (let i = 0; outliers.length < MAX_OUTLIERS && (i < lows.length || i < highs.length); i++) {
        if (i < highs.length) outliers.push(highs[i]);
        if (i < lows.length && outliers.length < MAX_OUTLIERS) outliers.push(lows[i]);
      }
      return { segment, count: sorted.length, q1, median, q3, low: inside[0], high: inside[inside.length - 1], outlierCount: lows.length + highs.length, outliers };
    };
    const boxes = boxBySegment(values, labels);
    expect(boxes).toEqual([0, 1, 2, 3].map(reference));
    expect(boxes.every((b) => b.outlierCount > MAX_OUTLIERS)).toBe(true); // both ends listed, the list cut
  });
});

describe('counts read through segment slots and label ids', () => {
  it('categoryCountsByIds counts as categoryCountsBySegment does from the texts, ids sharing a text merged, noise and unlisted segments skipped', () => {
    const rng = new Random(5);
    const texts = ['a', 'b', 'c', 'b', 'd', 'e', 'f', 'g', 'h', 'i'];
    const n = 3000;
    const ids = Int32Array.from({ length: n }, () => (rng.next() < 0.1 ? -1 : Math.floor(rng.next() ** 2 * texts.length)));
    const labels = Int32Array.from({ length: n }, () => Math.floor(rng.next() * 5) - 1);
    const cellsAsText = Array.from(ids, (id) => (id < 0 ? null : texts[id]));
    for (const options of [{}, { segments: [3, 0, 1] }, { top: 3, order: ['c', 'a'] }, { segments: [-1, 2], top: 20 }]) {
      const byIds = categoryCountsByIds('x', { ids, texts }, labels, options);
      const byTexts = categoryCountsBySegment('x', cellsAsText, labels, options);
      expect(byIds.categories).toEqual(byTexts.categories);
      expect(byIds.counts).toEqual(byTexts.counts);
    }
    // By hand: 'b' is ids 1 and 3.
    const small = categoryCountsByIds('y', { ids: Int32Array.of(1, 3, 0, -1, 3), texts: ['a', 'b', 'c', 'b'] }, [0, 0, 1, 0, 1]);
    expect(small.categories).toEqual(['b', 'a']);
    expect(small.counts).toEqual([
      { segment: 0, counts: Int32Array.of(2, 0) },
      { segment: 1, counts: Int32Array.of(1, 1) },
    ]);
  });

  it('histograms and box plots take labels that are not small integers too', () => {
    const values = [1, 2, 3, 4, 5, 6];
    const labels = [0.5, 0.5, 2e9, 2e9, 0.5, 2e9];
    const h = histogramBySegment('v', values, labels, { bins: 2 });
    expect(h.counts.map((c) => c.segment)).toEqual([0.5, 2e9]);
    expect(h.counts.map((c) => Array.from(c.counts))).toEqual([
      [2, 1],
      [1, 2],
    ]);
    expect(boxBySegment(values, labels).map((b) => b.median)).toEqual([2, 4]);
  });
});
