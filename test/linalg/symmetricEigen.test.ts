// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/errors.js';
import { symmetricEigen } from '../../src/linalg/symmetricEigen.js';
import { Random } from '../../src/random.js';

const EPS = 2 ** -52;

/** Row i of the eigenvector matrix. */
function vec(r: { vectors: Float64Array }, d: number, i: number): number[] {
  return Array.from(r.vectors.subarray(i * d, (i + 1) * d));
}

/** The vector with the sign that makes its largest-magnitude entry positive (to compare up to sign). */
function canonical(v: number[]): number[] {
  let best = 0;
  v.forEach((x, i) => Math.abs(x) > Math.abs(v[best]) && (best = i));
  return v[best] < 0 ? v.map((x) => -x) : v;
}

/** A random symmetric [d, d] matrix with entries uniform in [-1, 1). */
function randomSymmetric(rng: Random, d: number): Float64Array {
  const a = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      const v = 2 * rng.next() - 1;
      a[i * d + j] = v;
      a[j * d + i] = v;
    }
  }
  return a;
}

/** max_i ‖A·v_i − λ_i·v_i‖ and max_{i,j} |v_i·v_j − δ_ij|, by direct float64 sums. */
function residuals(a: Float64Array, d: number, r: { values: Float64Array; vectors: Float64Array }): { eig: number; orth: number } {
  let eig = 0;
  let orth = 0;
  for (let i = 0; i < d; i++) {
    let norm2 = 0;
    for (let row = 0; row < d; row++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += a[row * d + j] * r.vectors[i * d + j];
      norm2 += (s - r.values[i] * r.vectors[i * d + row]) ** 2;
    }
    eig = Math.max(eig, Math.sqrt(norm2));
    for (let j = 0; j < d; j++) {
      let dot = 0;
      for (let f = 0; f < d; f++) dot += r.vectors[i * d + f] * r.vectors[j * d + f];
      orth = Math.max(orth, Math.abs(dot - (i === j ? 1 : 0)));
    }
  }
  return { eig, orth };
}

/** Frobenius norm. */
function frobenius(a: Float64Array): number {
  let s = 0;
  for (const v of a) s += v * v;
  return Math.sqrt(s);
}

describe('symmetricEigen', () => {
  it('solves [[2, 1], [1, 2]]: eigenvalues 3 and 1, eigenvectors (1, 1)/√2 and (1, −1)/√2 (by hand)', () => {
    const r = symmetricEigen(Float64Array.of(2, 1, 1, 2), 2);
    expect(r.values[0]).toBeCloseTo(3, 14);
    expect(r.values[1]).toBeCloseTo(1, 14);
    const h = Math.SQRT1_2;
    canonical(vec(r, 2, 0)).forEach((v, i) => expect(v).toBeCloseTo([h, h][i], 14));
    const v1 = canonical(vec(r, 2, 1));
    expect(Math.abs(v1[0])).toBeCloseTo(h, 14);
    expect(v1[0] * v1[1]).toBeCloseTo(-0.5, 14);
  });

  it('solves [[4, 1], [1, 3]]: eigenvalues (7 ± √5)/2 (by hand, from the characteristic polynomial)', () => {
    // λ² − 7λ + 11 = 0; eigenvector of λ: (1, λ − 4).
    const r = symmetricEigen(Float64Array.of(4, 1, 1, 3), 2);
    const l0 = (7 + Math.sqrt(5)) / 2;
    const l1 = (7 - Math.sqrt(5)) / 2;
    expect(r.values[0]).toBeCloseTo(l0, 14);
    expect(r.values[1]).toBeCloseTo(l1, 14);
    const n0 = Math.hypot(1, l0 - 4);
    canonical(vec(r, 2, 0)).forEach((v, i) => expect(v).toBeCloseTo([1 / n0, (l0 - 4) / n0][i], 14));
  });

  it('solves the 3×3 [[2, −1, 0], [−1, 2, −1], [0, −1, 2]]: eigenvalues 2 + √2, 2, 2 − √2 (by hand)', () => {
    // The second-difference matrix: eigenvalues 2 − 2cos(jπ/4), eigenvectors sin(ijπ/4).
    const r = symmetricEigen(Float64Array.of(2, -1, 0, -1, 2, -1, 0, -1, 2), 3);
    const s = Math.SQRT2;
    [2 + s, 2, 2 - s].forEach((l, i) => expect(r.values[i]).toBeCloseTo(l, 14));
    canonical(vec(r, 3, 0)).forEach((v, i) => expect(v).toBeCloseTo([-0.5, s / 2, -0.5][i], 14));
    canonical(vec(r, 3, 1)).forEach((v, i) => expect(Math.abs(v)).toBeCloseTo([s / 2, 0, s / 2][i], 14));
    canonical(vec(r, 3, 2)).forEach((v, i) => expect(v).toBeCloseTo([0.5, s / 2, 0.5][i], 14));
  });

  it('returns a diagonal matrix sorted, with unit vectors, and handles d = 1 and d = 0', () => {
    const r = symmetricEigen(Float64Array.of(1, 0, 0, 0, 5, 0, 0, 0, -2), 3);
    expect(Array.from(r.values)).toEqual([5, 1, -2]);
    expect(canonical(vec(r, 3, 0))).toEqual([0, 1, 0]);
    expect(canonical(vec(r, 3, 2))).toEqual([0, 0, 1]);
    const one = symmetricEigen([7], 1);
    expect(Array.from(one.values)).toEqual([7]);
    expect(Array.from(one.vectors)).toEqual([1]);
    expect(symmetricEigen([], 0).values.length).toBe(0);
  });

  it('gives a zero eigenvalue for a rank-deficient matrix and orthonormal vectors for a repeated one', () => {
    // v·vᵀ with v = (1, 2, 2): eigenvalues 9, 0, 0.
    const v = [1, 2, 2];
    const a = Float64Array.from({ length: 9 }, (_, i) => v[Math.floor(i / 3)] * v[i % 3]);
    const r = symmetricEigen(a, 3);
    expect(r.values[0]).toBeCloseTo(9, 13);
    expect(Math.abs(r.values[1])).toBeLessThan(1e-14);
    expect(Math.abs(r.values[2])).toBeLessThan(1e-14);
    const res = residuals(a, 3, r);
    expect(res.eig).toBeLessThan(1e-13);
    expect(res.orth).toBeLessThan(1e-14);
  });

  it.each([4, 17, 64, 150, 300])('satisfies A·v = λ·v with orthonormal v on a random symmetric matrix of order %i', (d) => {
    const rng = new Random(1000 + d);
    const a = randomSymmetric(rng, d);
    const r = symmetricEigen(a, d);
    const res = residuals(a, d, r);
    const scale = frobenius(a);
    // Backward stable: residuals of a few ε·d·‖A‖ (generous: 10·d·ε·‖A‖_F).
    expect(res.eig).toBeLessThan(10 * d * EPS * scale);
    expect(res.orth).toBeLessThan(10 * d * EPS);
    for (let i = 1; i < d; i++) expect(r.values[i]).toBeLessThanOrEqual(r.values[i - 1]);
    // The eigenvalues sum to the trace and their squares to ‖A‖_F².
    let trace = 0;
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < d; i++) {
      trace += a[i * d + i];
      sum += r.values[i];
      sumSq += r.values[i] ** 2;
    }
    expect(Math.abs(sum - trace)).toBeLessThan(10 * d * EPS * scale);
    expect(Math.abs(sumSq - scale * scale)).toBeLessThan(10 * d * EPS * scale * scale);
  });

  it('recovers planted eigenvalues of Q·diag(λ)·Qᵀ with clustered and wide-ranging values', () => {
    // Q from the eigenvectors of an unrelated random matrix; λ spans 1e-8..1e4 with a near-tie.
    const d = 40;
    const rng = new Random(7);
    const qBasis = symmetricEigen(randomSymmetric(rng, d), d).vectors;
    const planted = Float64Array.from({ length: d }, (_, i) => 1e4 * 10 ** (-12 * (i / (d - 1))));
    planted[1] = planted[0] * (1 - 1e-9);
    const a = new Float64Array(d * d);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        let s = 0;
        for (let c = 0; c < d; c++) s += qBasis[c * d + i] * planted[c] * qBasis[c * d + j];
        a[i * d + j] = s;
      }
    }
    for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) a[j * d + i] = a[i * d + j];
    const r = symmetricEigen(a, d);
    const sortedPlanted = Array.from(planted).sort((x, y) => y - x);
    // Absolute accuracy of order d·ε·‖A‖ (the small ones are not resolved relatively: nor should they be).
    sortedPlanted.forEach((l, i) => expect(Math.abs(r.values[i] - l)).toBeLessThan(100 * d * EPS * 1e4));
    expect(residuals(a, d, r).orth).toBeLessThan(10 * d * EPS);
  });

  it('rejects a wrong length and non-finite values with DataError', () => {
    expect(() => symmetricEigen([1, 2, 3], 2)).toThrow(DataError);
    expect(() => symmetricEigen([1, Number.NaN, Number.NaN, 1], 2)).toThrow(/non-finite/);
  });
});
