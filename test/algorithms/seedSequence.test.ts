// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { kmeansPlusPlusSequence } from '../../src/algorithms/seedSequence.js';
import { ParameterError } from '../../src/errors.js';
import type { Matrix } from '../../src/matrix.js';
import { Random } from '../../src/random.js';
import { fixtureMatrix, loadFixture } from '../helpers/fixtures.js';
import { sqDistRef } from '../helpers/reference.js';

/**
 * Greedy k-means++ written from its definition: at every step the distance of each row to its
 * nearest chosen center is recomputed from all chosen centers, candidates are found by a linear
 * scan of the cumulative distances (the first row whose running sum reaches the draw), and each
 * candidate's potential is summed afresh. The same draws in the same order as the code under test.
 */
function greedyKMeansPlusPlusRef(x: Matrix, kMax: number, rng: Random, trials: number): number[] {
  const n = x.rows;
  const chosen = [Math.min(n - 1, Math.floor(rng.next() * n))];
  const nearest = (i: number, centers: number[]): number => Math.min(...centers.map((c) => sqDistRef(x, i, x, c)));
  const firstReaching = (weights: number[], v: number): number => {
    let run = 0;
    for (let i = 0; i < n; i++) if ((run += weights[i]) >= v) return i;
    return n - 1;
  };
  while (chosen.length < kMax) {
    const closest = Array.from({ length: n }, (_, i) => nearest(i, chosen));
    const pot = closest.reduce((a, b) => a + b, 0);
    const candidates = Array.from({ length: trials }, () => firstReaching(closest, rng.next() * pot));
    const pots = candidates.map((c) => {
      let p = 0;
      for (let i = 0; i < n; i++) p += Math.min(closest[i], sqDistRef(x, i, x, c));
      return p;
    });
    chosen.push(candidates[pots.indexOf(Math.min(...pots))]);
  }
  return chosen;
}

describe('kmeansPlusPlusSequence', () => {
  it('draws the rows of greedy k-means++ as written from its definition, on mall and blobs8', () => {
    for (const [name, kMax, seed] of [['mall', 10, 3], ['blobs8', 12, 8]] as const) {
      const x = fixtureMatrix(loadFixture(name));
      const trials = 2 + Math.floor(Math.log(kMax));
      const seq = kmeansPlusPlusSequence(x, kMax, new Random(seed));
      expect(Array.from(seq.rows), name).toEqual(greedyKMeansPlusPlusRef(x, kMax, new Random(seed), trials));
      for (let c = 0; c < kMax; c++) {
        expect(Array.from(seq.centers.subarray(c * x.cols, (c + 1) * x.cols))).toEqual(Array.from(x.data.subarray(seq.rows[c] * x.cols, (seq.rows[c] + 1) * x.cols)));
      }
    }
  });

  it('gives every prefix a center in a different blob when the blobs are far apart', () => {
    // Five tight blobs of 40 rows, 100 apart: after j centers, the unchosen blobs hold nearly all
    // of the potential, so the next center lands in one of them.
    const rng = new Random(4);
    const blob = (i: number): number => Math.floor(i / 40);
    const data = new Float32Array(200 * 2);
    for (let i = 0; i < 200; i++) {
      data[2 * i] = 100 * blob(i) + 0.1 * rng.next();
      data[2 * i + 1] = -50 * blob(i) + 0.1 * rng.next();
    }
    for (const seed of [1, 2, 3, 4, 5]) {
      const seq = kmeansPlusPlusSequence({ data, rows: 200, cols: 2 }, 5, new Random(seed));
      expect(new Set(Array.from(seq.rows, blob)).size, `seed ${seed}`).toBe(5);
    }
  });

  it('takes every distinct row, then row 0, when rows repeat', () => {
    // Three distinct rows, each four times: the potential is 0 after three centers.
    const values = [0, 5, 9];
    const data = Float32Array.from({ length: 12 }, (_, i) => values[i % 3]);
    const seq = kmeansPlusPlusSequence({ data, rows: 12, cols: 1 }, 5, new Random(7));
    expect(new Set(Array.from(seq.centers.subarray(0, 3)))).toEqual(new Set(values));
    expect(Array.from(seq.rows.subarray(3))).toEqual([0, 0]);
  });

  it('rejects kMax above the rows, or below 1, and a bad number of trials, naming the argument', () => {
    const x = { data: new Float32Array([0, 1, 2]), rows: 3, cols: 1 };
    const argumentOf = (f: () => unknown): string | null => {
      try {
        f();
        return null;
      } catch (e) {
        return e instanceof ParameterError ? e.argument : String(e);
      }
    };
    expect(argumentOf(() => kmeansPlusPlusSequence(x, 4, new Random(1)))).toBe('kMax');
    expect(argumentOf(() => kmeansPlusPlusSequence(x, 0, new Random(1)))).toBe('kMax');
    expect(argumentOf(() => kmeansPlusPlusSequence(x, 2, new Random(1), 0))).toBe('trials');
    expect(() => kmeansPlusPlusSequence(x, 4, new Random(1))).toThrow(/^kmeansPlusPlusSequence: kMax=4 is more than the 3 rows given/);
  });
});
