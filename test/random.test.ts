// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { Random } from '../src/random.js';

describe('Random', () => {
  it('repeats its stream for a seed and differs between seeds', () => {
    const a = new Random(1);
    const b = new Random(1);
    const c = new Random(2);
    const sa = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(sa);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(sa);
  });

  it('draws uniform floats in [0, 1): mean 1/2 and variance 1/12 within sampling error', () => {
    const r = new Random(9);
    const n = 200_000;
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const v = r.next();
      expect(v >= 0 && v < 1).toBe(true);
      sum += v;
      sq += v * v;
    }
    const mean = sum / n;
    // Standard error of the mean is sqrt(1/12/n) ≈ 6.5e-4: allow 5 of them.
    expect(Math.abs(mean - 0.5)).toBeLessThan(3.3e-3);
    expect(Math.abs(sq / n - mean * mean - 1 / 12)).toBeLessThan(2e-3);
  });

  it('samples distinct indices, all of them when size >= n', () => {
    const r = new Random(3);
    const s = r.sample(1000, 100);
    expect(new Set(s).size).toBe(100);
    expect(Math.max(...s)).toBeLessThan(1000);
    expect(Array.from(r.sample(5, 9)).sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('int(n) covers 0..n-1 evenly', () => {
    const r = new Random(4);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 40_000; i++) counts[r.int(4)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
  });
});
