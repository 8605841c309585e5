// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { ParameterError } from '../../src/errors.js';
import { jacobiEigen, lanczosLargest, type SymmetricOperator } from '../../src/linalg/lanczos.js';
import { Random } from '../../src/random.js';

/** Dense row-major n×n matrix as an operator (the oracle for small cases). */
function denseOperator(a: Float64Array, n: number): SymmetricOperator {
  return {
    n,
    apply: (cols) =>
      cols.map((v) => {
        const y = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let j = 0; j < n; j++) s += a[i * n + j] * v[j];
          y[i] = s;
        }
        return y;
      }),
  };
}

/** D^-1/2·A·D^-1/2 of the path graph 0-1-…-(n−1), or of the cycle when `cycle`. */
function normalizedGraph(n: number, cycle: boolean): Float64Array {
  const a = new Float64Array(n * n);
  const edges: Array<[number, number]> = [];
  for (let i = 0; i + 1 < n; i++) edges.push([i, i + 1]);
  if (cycle) edges.push([n - 1, 0]);
  const deg = new Float64Array(n);
  for (const [i, j] of edges) {
    deg[i]++;
    deg[j]++;
  }
  for (const [i, j] of edges) {
    const v = 1 / Math.sqrt(deg[i] * deg[j]);
    a[i * n + j] = v;
    a[j * n + i] = v;
  }
  return a;
}

/**
 * Reference eigendecomposition by classical Jacobi (largest off-diagonal pivot), written here
 * independently of the solver: values descending, vectors as rows.
 */
function referenceEigen(a0: Float64Array, n: number): { values: number[]; vectors: number[][] } {
  const a = Float64Array.from(a0);
  const v: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  for (let iter = 0; iter < 50 * n * n; iter++) {
    let p = 0;
    let q = 1;
    let big = 0;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        if (Math.abs(a[i * n + j]) > big) {
          big = Math.abs(a[i * n + j]);
          p = i;
          q = j;
        }
      }
    }
    if (big < 1e-15) break;
    const theta = 0.5 * Math.atan2(2 * a[p * n + q], a[q * n + q] - a[p * n + p]);
    const c = Math.cos(theta);
    const s = Math.sin(theta);
    for (let r = 0; r < n; r++) {
      const x = a[r * n + p];
      const y = a[r * n + q];
      a[r * n + p] = c * x - s * y;
      a[r * n + q] = s * x + c * y;
    }
    for (let r = 0; r < n; r++) {
      const x = a[p * n + r];
      const y = a[q * n + r];
      a[p * n + r] = c * x - s * y;
      a[q * n + r] = s * x + c * y;
    }
    for (let r = 0; r < n; r++) {
      const x = v[r][p];
      const y = v[r][q];
      v[r][p] = c * x - s * y;
      v[r][q] = s * x + c * y;
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => a[y * n + y] - a[x * n + x]);
  return { values: order.map((i) => a[i * n + i]), vectors: order.map((i) => v.map((row) => row[i])) };
}

function randomSymmetric(rng: Random, n: number): Float64Array {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const x = 2 * rng.next() - 1;
      a[i * n + j] = x;
      a[j * n + i] = x;
    }
  }
  return a;
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

describe('lanczosLargest', () => {
  it('finds the top eigenpairs of a random symmetric matrix as a dense Jacobi reference does', async () => {
    const n = 60;
    const a = randomSymmetric(new Random(3), n);
    const ref = referenceEigen(a, n);
    const r = await lanczosLargest(denseOperator(a, n), { nev: 5, tol: 1e-10, maxBasis: 24, seed: 1 });
    expect(r.converged).toBe(true);
    expect(r.restarts).toBeGreaterThan(0); // the basis (24) is smaller than n: restarts were exercised
    for (let i = 0; i < 5; i++) {
      expect(r.values[i]).toBeCloseTo(ref.values[i], 8);
      // Unit eigenvectors agree up to sign.
      expect(Math.abs(dot(r.vectors[i], ref.vectors[i]))).toBeCloseTo(1, 8);
    }
    for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) expect(dot(r.vectors[i], r.vectors[j])).toBeCloseTo(i === j ? 1 : 0, 10);
  });

  it('gives the normalised-Laplacian spectrum of a path graph: 1 − cos(πj/(n−1))', async () => {
    // Chung, Spectral Graph Theory (1997), §1.5: the path P_n has Laplacian eigenvalues
    // 1 − cos(πj/(n−1)), j = 0..n−1; the largest of I − L are cos(πj/(n−1)).
    const n = 80;
    const r = await lanczosLargest(denseOperator(normalizedGraph(n, false), n), { nev: 4, tol: 1e-10, seed: 2 });
    expect(r.converged).toBe(true);
    for (let j = 0; j < 4; j++) expect(1 - r.values[j]).toBeCloseTo(1 - Math.cos((Math.PI * j) / (n - 1)), 9);
  });

  it('finds both copies of the double eigenvalues of a cycle graph: 1 − cos(2πj/n)', async () => {
    // The cycle C_n: 1 − cos(2πj/n), j = 0..n−1, so every value but j = 0 (and n/2) is double.
    const n = 50;
    const r = await lanczosLargest(denseOperator(normalizedGraph(n, true), n), { nev: 5, tol: 1e-10, maxBasis: 30, seed: 4 });
    expect(r.converged).toBe(true);
    const expected = [0, 1, 1, 2, 2].map((j) => 1 - Math.cos((2 * Math.PI * j) / n));
    for (let i = 0; i < 5; i++) expect(1 - r.values[i]).toBeCloseTo(expected[i], 9);
  });

  it('searches the complement of locked vectors', async () => {
    const n = 30;
    const a = normalizedGraph(n, false);
    // The top eigenvector of D^-1/2·A·D^-1/2 is D^1/2·1: degrees 1, 2, ..., 2, 1.
    const top = Float64Array.from({ length: n }, (_, i) => Math.sqrt(i === 0 || i === n - 1 ? 1 : 2));
    const norm = Math.sqrt(dot(top, top));
    top.forEach((x, i) => (top[i] = x / norm));
    const r = await lanczosLargest(denseOperator(a, n), { nev: 2, locked: [top], tol: 1e-10, seed: 5 });
    expect(r.values[0]).toBeCloseTo(Math.cos(Math.PI / (n - 1)), 9);
    expect(r.values[1]).toBeCloseTo(Math.cos((2 * Math.PI) / (n - 1)), 9);
    expect(Math.abs(dot(r.vectors[0], top))).toBeLessThan(1e-10);
  });

  it('is exact when the basis spans the whole space (n = 3, hand case)', async () => {
    // The path 0-1-2 adjacency: eigenvalues √2, 0, −√2.
    const op: SymmetricOperator = { n: 3, apply: (vs) => vs.map((v) => Float64Array.of(v[1], v[0] + v[2], v[1])) };
    const r = await lanczosLargest(op, { nev: 3 });
    expect(Array.from(r.values)).toEqual([expect.closeTo(Math.SQRT2, 12), expect.closeTo(0, 12), expect.closeTo(-Math.SQRT2, 12)]);
  });

  it('rejects nev outside [1, n − locked] naming the argument', async () => {
    const op = denseOperator(normalizedGraph(4, false), 4);
    await expect(lanczosLargest(op, { nev: 5 })).rejects.toThrow(ParameterError);
    await expect(lanczosLargest(op, { nev: 0 })).rejects.toMatchObject({ argument: 'nev' });
  });

  it('rejects a blockSize or maxProducts that is not an integer >= 1, in the constraint table\'s words', async () => {
    const op = denseOperator(normalizedGraph(4, false), 4);
    await expect(lanczosLargest(op, { nev: 1, blockSize: 0 })).rejects.toThrow(new ParameterError('lanczos', 'blockSize', 'blockSize=0 must be an integer >= 1'));
    await expect(lanczosLargest(op, { nev: 1, blockSize: 1.5 })).rejects.toThrow(new ParameterError('lanczos', 'blockSize', 'blockSize=1.5 must be an integer >= 1'));
    await expect(lanczosLargest(op, { nev: 1, maxProducts: 0 })).rejects.toMatchObject({ argument: 'maxProducts', message: 'lanczos: maxProducts=0 must be an integer >= 1' });
  });

  it('jacobiEigen solves a 2×2 hand case', () => {
    const { values, vectors } = jacobiEigen([2, 1, 1, 2], 2);
    expect(values[0]).toBeCloseTo(3, 14);
    expect(values[1]).toBeCloseTo(1, 14);
    expect(Math.abs(vectors[0])).toBeCloseTo(Math.SQRT1_2, 14); // column 0 is ±[1, 1]/√2
    expect(vectors[0] * vectors[2]).toBeGreaterThan(0);
  });
});
