// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { plantedSample } from '../../src/data/plantedSample.js';
import { ParameterError } from '../../src/errors.js';

describe('plantedSample', () => {
  it('is deterministic for a seed, standardised, with the planted shares', () => {
    const a = plantedSample({ rows: 20_000, segments: 5, seed: 1 });
    const b = plantedSample({ rows: 20_000, segments: 5, seed: 1 });
    expect(Array.from(a.x.data.subarray(0, 50))).toEqual(Array.from(b.x.data.subarray(0, 50)));
    expect(a.x.cols).toBe(a.features.length);
    for (let j = 0; j < a.x.cols; j++) {
      let mean = 0;
      let sq = 0;
      for (let i = 0; i < a.x.rows; i++) mean += a.x.data[i * a.x.cols + j] / a.x.rows;
      for (let i = 0; i < a.x.rows; i++) sq += (a.x.data[i * a.x.cols + j] - mean) ** 2 / a.x.rows;
      expect(Math.abs(mean)).toBeLessThan(1e-5);
      expect(sq).toBeCloseTo(1, 4);
    }
    // Shares 35/25/10/15/10 % renormalised over their sum 95 %; binomial standard error at
    // n = 20k is at most 0.35 %: allow 1.5 %.
    const counts = new Array(5).fill(0);
    a.truth.forEach((t) => counts[t]++);
    [0.35, 0.25, 0.1, 0.15, 0.1].forEach((share, s) => expect(Math.abs(counts[s] / 20_000 - share / 0.95)).toBeLessThan(0.015));
  });

  it('rejects bad sizes', () => {
    expect(() => plantedSample({ rows: 0 })).toThrow(ParameterError);
    expect(() => plantedSample({ segments: 7 })).toThrow(/segments=7/);
  });
});
