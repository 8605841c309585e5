// SPDX-License-Identifier: MIT
/** The selection routines shared by the Pipeline (medians) and the profiles (quantiles): by hand, and against sorting. */
import { describe, expect, it } from 'vitest';
import { medianInPlace, quantileSorted, quantilesInPlace, selectInPlace } from '../../src/data/select.js';

/** A small deterministic generator (LCG), so the cases are the same on every run. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

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

describe('selectInPlace and medianInPlace', () => {
  it('medianInPlace gives the hand-computed medians: the middle value, the mean of the two middle ones, NaN for none', () => {
    expect(medianInPlace(Float64Array.of(5, 1, 3))).toBe(3);
    expect(medianInPlace(Float64Array.of(8, 1, 4, 2))).toBe(3); // (2 + 4) / 2
    expect(medianInPlace(Float64Array.of(-7))).toBe(-7);
    expect(medianInPlace(Float64Array.of(1, 1, 1, 9))).toBe(1);
    expect(medianInPlace(new Float64Array(0))).toBeNaN();
  });

  it('selectInPlace puts the k-th smallest at k with nothing greater before and nothing smaller after; medianInPlace is numpy’s median of the sorted values', () => {
    const rnd = lcg(11);
    const cases: Float64Array[] = [
      Float64Array.from({ length: 1001 }, () => rnd() - 0.5),
      Float64Array.from({ length: 1000 }, () => Math.floor(rnd() * 5)), // many ties
      Float64Array.from({ length: 600 }, (_, i) => i), // sorted
      Float64Array.from({ length: 601 }, (_, i) => -i), // reversed
      new Float64Array(64).fill(2.5), // constant
      Float64Array.from({ length: 4096 }, (_, i) => (i % 2 === 0 ? i : 4096 - i)), // organ pipe
    ];
    for (const x of cases) {
      const sorted = x.slice().sort();
      const m = x.length;
      // numpy: the mean of the two middle values of the sorted array for an even count.
      const want = m % 2 === 1 ? sorted[m >> 1] : (sorted[m / 2 - 1] + sorted[m / 2]) / 2;
      expect(medianInPlace(x.slice()), `median of ${m}`).toBe(want);
      for (const k of [0, 1, m >> 2, m >> 1, m - 2, m - 1]) {
        const a = x.slice();
        selectInPlace(a, k);
        expect(a[k], `k=${k} of ${m}`).toBe(sorted[k]);
        let before = -Infinity;
        for (let i = 0; i < k; i++) before = Math.max(before, a[i]);
        let after = Infinity;
        for (let i = k + 1; i < m; i++) after = Math.min(after, a[i]);
        expect(before <= a[k] && a[k] <= after, `partition at k=${k} of ${m}`).toBe(true);
      }
    }
  });
});
