// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { ParameterError } from '../../src/errors.js';
import { radarValues } from '../../src/report/radarValues.js';

describe('radarValues', () => {
  it('radarValues gives each segment mean in population standard deviations from the mean', () => {
    // Column a: [0, 0, 2, 2], mean 1, sd 1. Column b: [1, 2, 3, 6], mean 3, sd sqrt(3.5).
    // Column c is constant: 0 for every segment.
    const x = { data: new Float32Array([0, 1, 7, 0, 2, 7, 2, 3, 7, 2, 6, 7]), rows: 4, cols: 3 };
    const r = radarValues(x, [0, 0, 1, 1], { features: ['a', 'b', 'c'] });
    expect(r.features).toEqual(['a', 'b', 'c']);
    expect(r.series.map((s) => s.segment)).toEqual([0, 1]);
    expect(r.series[0].values[0]).toBeCloseTo(-1, 12);
    expect(r.series[1].values[0]).toBeCloseTo(1, 12);
    expect(r.series[0].values[1]).toBeCloseTo((1.5 - 3) / Math.sqrt(3.5), 12);
    expect(r.series[1].values[1]).toBeCloseTo((4.5 - 3) / Math.sqrt(3.5), 12);
    expect(r.series[0].values[2]).toBe(0);
  });

  it('radarValues keeps the features that differ most, in column order', () => {
    // Differences: a ±1, b ±0.80, c 0: the two kept are a and b, in that order.
    const x = { data: new Float32Array([7, 0, 1, 7, 0, 2, 7, 2, 3, 7, 2, 6]), rows: 4, cols: 3 };
    const r = radarValues(x, [0, 0, 1, 1], { features: ['c', 'a', 'b'], maxFeatures: 2, segments: [1, 0] });
    expect(r.features).toEqual(['a', 'b']);
    expect(r.series.map((s) => s.segment)).toEqual([1, 0]);
    expect(r.series[0].values[0]).toBeCloseTo(1, 12);
  });

  it('radarValues refuses a wrong number of feature names', () => {
    expect(() => radarValues({ data: new Float32Array(4), rows: 2, cols: 2 }, [0, 1], { features: ['a'] })).toThrow(ParameterError);
    expect(() => radarValues({ data: new Float32Array(4), rows: 2, cols: 2 }, [0, 1], { features: ['a'] })).toThrow('radarValues: features has 1 names for 2 columns');
  });
});
