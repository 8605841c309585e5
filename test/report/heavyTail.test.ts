// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { isHeavyTailed, skewness, symexp, symlog } from '../../src/report/heavyTail.js';

describe('heavy tails', () => {
  it('skewness is m3 / m2^1.5 over the finite values, computed by hand', () => {
    // [0, 0, 3]: mean 1, deviations -1, -1, 2: m2 = 6/3 = 2, m3 = 6/3 = 2, skew = 2 / 2^1.5.
    expect(skewness([0, 0, 3, NaN]).skew).toBeCloseTo(2 / 2 ** 1.5, 12);
    // [0, 0, 0, 4]: mean 1: m2 = 12/4 = 3, m3 = 24/4 = 6, skew = 6 / 3^1.5 = 1.1547.
    expect(skewness([0, 0, 0, 4]).skew).toBeCloseTo(6 / 3 ** 1.5, 12);
    expect(skewness([5, 5, 5]).skew).toBeNaN();
  });

  it('isHeavyTailed: non-negative with skewness above 1, or taken log1p of by the pipeline', () => {
    expect(isHeavyTailed([0, 0, 0, 4])).toBe(true);
    expect(isHeavyTailed([0, 0, 3])).toBe(false);
    // Skewed but with a negative value: not a log scale.
    expect(isHeavyTailed([-1, 0, 0, 0, 0, 0, 9])).toBe(false);
    expect(isHeavyTailed([1, 2, 3], true)).toBe(true);
  });

  it('symlog is sign(x)·log1p(|x|), and symexp its inverse', () => {
    expect(symlog(Math.E - 1)).toBeCloseTo(1, 12);
    expect(symlog(-(Math.E - 1))).toBeCloseTo(-1, 12);
    for (const v of [-50, -0.5, 0, 0.5, 3, 1e6]) expect(symexp(symlog(v))).toBeCloseTo(v, 6);
  });
});
