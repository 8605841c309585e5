// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { kneedle } from '../../src/algorithms/kneedle.js';
import { DataError, ParameterError } from '../../src/errors.js';

const ks = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

describe('kneedle', () => {
  it('finds k = 3 on y = 1/k, k = 1..10 (difference curve computed by hand)', () => {
    // x' = (k−1)/9, y' = 1 − (1/k − 0.1)/0.9; D = y' − x' = 0, .4444, .5185, .5, .4444, .3704, ...
    // The local maximum is k = 3; T = .5185 − 1/9 = .4074; D falls below it at k = 6: knee k = 3.
    const r = kneedle(ks, ks.map((k) => 1 / k));
    expect(r.knee).toBe(3);
    expect(r.kneeIndex).toBe(2);
    expect(r.kneeY).toBeCloseTo(1 / 3, 15);
    [0, 4 / 9, 14 / 27, 0.5, 4 / 9, 10 / 27].forEach((v, i) => expect(r.difference[i]).toBeCloseTo(v, 12));
    expect(r.candidates).toEqual([2]);
  });

  it('finds the elbow of a piecewise-linear curve: 100, 50, 10, 9, 8, 7, 6 → k = 3 (by hand)', () => {
    // D = 0, .3652, .6241, .4681, .3121, .1560, 0; T = .6241 − 1/6 = .4574; D(5) = .3121 < T.
    const r = kneedle([1, 2, 3, 4, 5, 6, 7], [100, 50, 10, 9, 8, 7, 6]);
    expect(r.knee).toBe(3);
    expect(r.difference[2]).toBeCloseTo(90 / 94 - 2 / 6, 12);
  });

  it("reproduces the paper's Figure 2 as kneed's documentation gives it: knee 0.222, y 1.897", () => {
    // x = 0, 1/9, ..., 1 and y = 5 − 1/(x + 0.1), concave increasing (kneed: knee 0.2222, knee_y 1.8966).
    const x = Array.from({ length: 10 }, (_, i) => i / 9);
    const y = x.map((v) => 5 - 1 / (v + 0.1));
    const r = kneedle(x, y, { curve: 'concave', direction: 'increasing' });
    expect(r.knee).toBeCloseTo(0.2222222222222222, 12);
    expect(r.kneeY).toBeCloseTo(1.8965517241379306, 12);
  });

  it('reports the first knee, not the largest difference', () => {
    // y = 100, 60, 58, 56, 20, 18, 16, 14: D = 0, .3223, .2027, .0831, .3588, .2392, .1196, 0 (by
    // hand). The largest D is at k = 5, but D falls below .3223 − 1/7 at k = 4 first: knee k = 2.
    const r = kneedle([1, 2, 3, 4, 5, 6, 7, 8], [100, 60, 58, 56, 20, 18, 16, 14]);
    expect(r.candidates).toEqual([1, 4]);
    expect(r.knee).toBe(2);
    expect(r.difference[4]).toBeGreaterThan(r.difference[1]);
  });

  it('treats the four orientations alike: mirrored curves have mirrored knees', () => {
    const dec = ks.map((k) => 1 / k); // convex decreasing, knee 3
    const convexInc = ks.map((k) => 1 / (11 - k)); // the mirror image in x: knee 11 − 3 = 8
    const concaveInc = ks.map((k) => 1 - 1 / k); // 1 − y: knee 3
    const concaveDec = ks.map((k) => 1 - 1 / (11 - k)); // knee 8
    expect(kneedle(ks, dec).knee).toBe(3);
    expect(kneedle(ks, convexInc, { curve: 'convex', direction: 'increasing' }).knee).toBe(8);
    expect(kneedle(ks, concaveInc, { curve: 'concave', direction: 'increasing' }).knee).toBe(3);
    expect(kneedle(ks, concaveDec, { curve: 'concave', direction: 'decreasing' }).knee).toBe(8);
  });

  it('needs a more pronounced knee as the sensitivity grows', () => {
    const y = ks.map((k) => 1 / k);
    // S = 0.5: T = .5185 − .0556 = .4630, crossed at k = 5; S = 4: T = .5185 − .4444 = .0741,
    // first crossed by D(10) = 0 (D(9) = .0988): still k = 3; S = 10: T < 0 is never crossed.
    expect(kneedle(ks, y, { sensitivity: 0.5 }).knee).toBe(3);
    expect(kneedle(ks, y, { sensitivity: 4 }).knee).toBe(3);
    expect(kneedle(ks, y, { sensitivity: 10 }).knee).toBeNull();
  });

  it('finds no knee on a straight line, a flat line, or fewer than three points', () => {
    expect(kneedle(ks, ks.map((k) => 10 - k)).knee).toBeNull();
    expect(kneedle(ks, ks.map(() => 4)).knee).toBeNull();
    expect(kneedle([1, 2], [5, 1]).knee).toBeNull();
  });

  it('rejects unsorted x, mismatched lengths, non-finite values and bad options', () => {
    expect(() => kneedle([1, 3, 2], [3, 2, 1])).toThrow(DataError);
    expect(() => kneedle([1, 2, 3], [3, 2])).toThrow(/y has 2 values for 3/);
    expect(() => kneedle([1, 2, 3], [3, Number.NaN, 1])).toThrow(DataError);
    expect(() => kneedle([1, 2, 3], [3, 2, 1], { sensitivity: -1 })).toThrow(ParameterError);
    expect(() => kneedle([1, 2, 3], [3, 2, 1], { curve: 'wavy' as never })).toThrow(/curve/);
  });
});
