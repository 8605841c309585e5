// SPDX-License-Identifier: MIT
/** quantileSorted: numpy's linear interpolation, checked by hand. */
import { describe, expect, it } from 'vitest';
import { quantileSorted, quantilesInPlace } from '../../src/profile/quantile.js';

describe('quantileSorted', () => {
  it('interpolates between order statistics at h = (m − 1)p', () => {
    const x = Float64Array.of(1, 2, 4, 8);
    // h = 0.75 → 1 + 0.75·1; h = 1.5 → 2 + 0.5·2; h = 2.25 → 4 + 0.25·4
    expect([0, 0.25, 0.5, 0.75, 1].map((p) => quantileSorted(x, p))).toEqual([1, 1.75, 3, 5, 8]);
  });

  it('gives the value of a single element and NaN for none', () => {
    expect(quantileSorted([7], 0.3)).toBe(7);
    expect(quantileSorted([], 0.5)).toBeNaN();
  });
});

describe('quantilesInPlace', () => {
  const PS = [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1];
  // A small deterministic generator (LCG), so the cases are the same on every run.
  function lcg(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 2 ** 32;
    };
  }

  it('agrees with sorting then quantileSorted on random, tied, sorted and constant input', () => {
    const rnd = lcg(7);
    const cases: Float64Array[] = [
      Float64Array.from({ length: 1001 }, () => rnd()),
      Float64Array.from({ length: 1000 }, () => Math.floor(rnd() * 5)), // many ties
      Float64Array.from({ length: 777 }, (_, i) => i), // sorted
      Float64Array.from({ length: 778 }, (_, i) => -i), // reversed
      new Float64Array(50).fill(3), // constant
      Float64Array.of(2, 1), // two
      Float64Array.from({ length: 4096 }, (_, i) => (i % 2 === 0 ? i : 4096 - i)), // organ pipe
    ];
    for (const x of cases) {
      const sorted = x.slice().sort();
      const want = PS.map((p) => quantileSorted(sorted, p));
      expect(quantilesInPlace(x.slice(), PS)).toEqual(want);
    }
  });

  it('gives NaN for no values', () => {
    expect(quantilesInPlace(new Float64Array(0), [0.5])).toEqual([NaN]);
  });
});
