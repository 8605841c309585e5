// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { ParameterError } from '../../src/errors.js';
import { adjustedRandIndex } from '../../src/metrics/adjustedRand.js';
import { Random } from '../../src/random.js';

/**
 * The ARI from the pair confusion matrix, pair by pair (O(n²)): both-same `ss`, same in a only
 * `sd`, in b only `ds`, both-different `dd`; ARI = 2(ss·dd − sd·ds) / ((ss+sd)(sd+dd) + (ss+ds)(ds+dd))
 * (scikit-learn's pair_confusion_matrix form), a formula independent of the contingency one.
 */
function pairReference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ss = 0;
  let sd = 0;
  let ds = 0;
  let dd = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = i + 1; j < a.length; j++) {
      const sa = a[i] === a[j];
      const sb = b[i] === b[j];
      if (sa && sb) ss++;
      else if (sa) sd++;
      else if (sb) ds++;
      else dd++;
    }
  }
  if (sd === 0 && ds === 0) return 1;
  return (2 * (ss * dd - sd * ds)) / ((ss + sd) * (sd + dd) + (ss + ds) * (ds + dd));
}

describe('adjustedRandIndex', () => {
  it('is 4/7 for [0,0,1,2] against [0,0,1,1] (by hand: 1 pair agreeing in 2 and 1 groups, E = 2·1/6)', () => {
    // Contingency [[2,0],[0,1],[0,1]]: index 1, sums 1 and 2, expected 1·2/6, max 1.5: (1 − 1/3)/(1.5 − 1/3) = 4/7.
    expect(adjustedRandIndex([0, 0, 1, 2], [0, 0, 1, 1])).toBeCloseTo(4 / 7, 15);
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 2])).toBeCloseTo(4 / 7, 15);
  });

  it('is 1 for the same partition under other names, and for one group against one group', () => {
    expect(adjustedRandIndex([0, 0, 1, 1, 2], [7, 7, 3, 3, -1])).toBe(1);
    expect(adjustedRandIndex([1, 1, 1], [0, 0, 0])).toBe(1);
    expect(adjustedRandIndex([0, 1, 2], [2, 0, 1])).toBe(1);
  });

  it('is 0 for one group against all singletons, and negative below chance', () => {
    expect(adjustedRandIndex([0, 0, 0, 0], [0, 1, 2, 3])).toBe(0);
    // Pairs (0,1) and (2,3) together in a, split in b and the other way round: −0.5 by the pair formula.
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1])).toBeCloseTo(pairReference([0, 0, 1, 1], [0, 1, 0, 1]), 12);
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1])).toBeLessThan(0);
  });

  it('agrees with the pair-counting reference on random labelings, and is near 0 for independent ones', () => {
    const rng = new Random(5);
    for (let t = 0; t < 20; t++) {
      const n = 2 + Math.floor(rng.next() * 200);
      const ka = 1 + Math.floor(rng.next() * 6);
      const kb = 1 + Math.floor(rng.next() * 6);
      const a = Int32Array.from({ length: n }, () => Math.floor(rng.next() * ka));
      // b: a copy of a with a share of its rows relabelled at random.
      const noise = rng.next();
      const b = Int32Array.from(a, (v) => (rng.next() < noise ? Math.floor(rng.next() * kb) : v));
      expect(adjustedRandIndex(a, b)).toBeCloseTo(pairReference(a, b), 12);
    }
    const a = Int32Array.from({ length: 2000 }, () => Math.floor(rng.next() * 4));
    const b = Int32Array.from({ length: 2000 }, () => Math.floor(rng.next() * 4));
    expect(Math.abs(adjustedRandIndex(a, b))).toBeLessThan(0.01);
  });

  it('refuses labelings of different lengths, naming the argument', () => {
    expect(() => adjustedRandIndex([0, 1], [0])).toThrow(ParameterError);
    expect(() => adjustedRandIndex([0, 1], [0])).toThrow(/2 and 1 rows/);
  });
});
