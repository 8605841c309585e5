// SPDX-License-Identifier: MIT
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { SpectralClustering, spectralClustering, type SpectralAffinity, type SpectralClusteringResult } from '../../src/algorithms/spectral.js';
import { DataError, ParameterError } from '../../src/errors.js';
import type { MatrixF32 } from '../../src/matrix.js';
import { describeEachBackend, it } from '../helpers/backends.js';

interface SpectralCase {
  affinity: SpectralAffinity;
  gamma: number;
  n_neighbors: number;
  k: number;
  labels: number[];
  min_seed_ari: number;
  eigenvalues: number[];
  embedding: number[][];
  components: number;
}

interface SpectralFixture {
  name: string;
  n: number;
  d: number;
  X: number[][];
  cases: SpectralCase[];
}

function loadSpectral(name: string): SpectralFixture {
  const url = new URL(`../fixtures/sklearn/spectral_${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(fileURLToPath(url), 'utf8')) as SpectralFixture;
}

function matrixOfRows(rows: number[][]): MatrixF32 {
  const d = rows[0].length;
  const data = new Float32Array(rows.length * d);
  rows.forEach((r, i) => data.set(r, i * d));
  return { data, rows: rows.length, cols: d };
}

/**
 * Adjusted Rand index from its definition (Hubert & Arabie 1985): the Rand index over pairs,
 * corrected for chance with the contingency table's row and column sums.
 */
function adjustedRandIndex(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  const table = new Map<string, number>();
  const rowsA = new Map<number, number>();
  const colsB = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    table.set(`${a[i]},${b[i]}`, (table.get(`${a[i]},${b[i]}`) ?? 0) + 1);
    rowsA.set(a[i], (rowsA.get(a[i]) ?? 0) + 1);
    colsB.set(b[i], (colsB.get(b[i]) ?? 0) + 1);
  }
  const pairs = (x: number): number => (x * (x - 1)) / 2;
  let index = 0;
  for (const v of table.values()) index += pairs(v);
  let sumA = 0;
  for (const v of rowsA.values()) sumA += pairs(v);
  let sumB = 0;
  for (const v of colsB.values()) sumB += pairs(v);
  const expected = (sumA * sumB) / pairs(n);
  const max = 0.5 * (sumA + sumB);
  if (max === expected) return 1; // both labelings trivial (one cluster, or all singletons)
  return (index - expected) / (max - expected);
}

const FIXTURES = ['blobs', 'mall', 'moons', 'circles'] as const;
const quiet = { onWarning: () => {} };

describeEachBackend('SpectralClustering', (backend) => {
  // SwiftShader runs WebGPU on the CPU: one fixture there keeps the file fast.
  const names = backend === 'webgpu' ? (['moons'] as const) : FIXTURES;
  for (const name of names) {
    const f = loadSpectral(name);
    for (const c of f.cases) {
      it(`spectral clustering agrees with scikit-learn on ${name}, affinity ${c.affinity}`, async () => {
        const model = await new SpectralClustering({
          k: c.k,
          affinity: c.affinity,
          gamma: c.gamma,
          nNeighbors: c.n_neighbors,
          seed: 0,
          ...quiet,
        }).fit(matrixOfRows(f.X));
        expect(model.backend).toBe(backend);
        expect(model.affinity).toBe(c.affinity);
        expect(model.labels.length).toBe(f.n);
        expect(model.embedding.rows).toBe(f.n);
        expect(model.embedding.cols).toBe(c.k);
        if (c.affinity === 'nearest_neighbors') expect(model.graphComponents).toBe(c.components);
        // Eigenvalues of the normalised Laplacian: float32 affinities, so 1e-5.
        for (let j = 0; j < c.k; j++) expect(Math.abs(model.eigenvalues[j] - c.eigenvalues[j])).toBeLessThan(1e-5);
        // Embedding columns whose eigenvalue is simple (a gap to both neighbours) are unique up to
        // sign, and the sign rule fixes the sign: compare them entry by entry.
        for (let j = 0; j < c.k; j++) {
          const gapBelow = j === 0 ? Infinity : c.eigenvalues[j] - c.eigenvalues[j - 1];
          const gapAbove = c.eigenvalues[j + 1] - c.eigenvalues[j];
          if (Math.min(gapBelow, gapAbove) < 1e-3) continue;
          let scale = 0;
          for (let i = 0; i < f.n; i++) scale = Math.max(scale, Math.abs(c.embedding[i][j]));
          for (let i = 0; i < f.n; i++) {
            expect(Math.abs(model.embedding.data[i * c.k + j] - c.embedding[i][j])).toBeLessThan(2e-3 * scale);
          }
        }
        if (c.min_seed_ari >= 0.95) expect(adjustedRandIndex(model.labels, c.labels)).toBeGreaterThanOrEqual(0.95);
      });
    }
  }

  it('spectral clustering with k = 1 puts every row in one cluster on the constant embedding', async () => {
    const f = loadSpectral('moons');
    const x = matrixOfRows(f.X.slice(0, 60));
    const model = await spectralClustering(x, { k: 1, affinity: 'nearest_neighbors', nNeighbors: 8, seed: 1, ...quiet });
    expect(Array.from(new Set(model.labels))).toEqual([0]);
    expect(model.nIter).toBe(0); // D^1/2·1 is known exactly: no solver run
    // u = D^-1/2·x with x = D^1/2·1/√vol: every entry 1/√vol, positive.
    const first = model.embedding.data[0];
    expect(first).toBeGreaterThan(0);
    for (let i = 0; i < 60; i++) expect(model.embedding.data[i]).toBeCloseTo(first, 12);
    expect(model.eigenvalues[0]).toBe(0);
  });

  it('keeps the RBF affinity on the device within memoryBudgetBytes and recomputes it beyond, to the same labels', async () => {
    const rows: number[][] = [];
    for (let i = 0; i < 10; i++) rows.push([Math.cos(i) * 0.5, Math.sin(i) * 0.5]);
    for (let i = 0; i < 10; i++) rows.push([3 + Math.cos(i) * 0.5, Math.sin(i) * 0.5]);
    const options = { k: 2, gamma: 1, seed: 4, onWarning: () => {} };
    // 20 rows are small enough for the host on a GPU backend (placement 'auto'): the device path
    // is asked for explicitly, so that it is tested on every backend.
    const fit = (o: object): Promise<SpectralClusteringResult> => new SpectralClustering({ ...options, ...o, placement: 'device' }).fit(rows);
    const dense = await fit({});
    const tiled = await fit({ memoryBudgetBytes: 20 * 20 * 4 - 1 });
    const old = await fit({ denseBudgetBytes: 20 * 20 * 4 - 1 }); // the deprecated name
    expect(dense.affinityStorage).toBe('dense');
    expect(tiled.affinityStorage).toBe('tiled');
    expect(old.affinityStorage).toBe('tiled');
    expect(Array.from(tiled.labels)).toEqual(Array.from(dense.labels));
    // By default the affinity is placed by the rule: on the host on a GPU backend, to the same labels.
    const auto = await new SpectralClustering(options).fit(rows);
    expect(auto.affinityStorage).toBe(backend === 'webgpu' || backend === 'webgl' ? 'host' : 'dense');
    expect(Array.from(auto.labels)).toEqual(Array.from(dense.labels));
    expect(() => new SpectralClustering({ k: 2, memoryBudgetBytes: 1, denseBudgetBytes: 1 })).toThrow(ParameterError);
  });

  it('spectral clustering with the RBF affinity on the host repeats itself and agrees with scikit-learn', async () => {
    const f = loadSpectral('moons');
    const c = f.cases.find((x) => x.affinity === 'rbf');
    if (c === undefined) throw new Error('the moons fixture has no rbf case');
    const x = matrixOfRows(f.X);
    const options = { k: c.k, gamma: c.gamma, nInit: 2, seed: 0, ...quiet };
    const [a, b] = [await spectralClustering(x, { ...options, placement: 'host' }), await spectralClustering(x, { ...options, placement: 'host' })];
    expect(a.affinityStorage).toBe('host');
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
    expect(Array.from(a.embedding.data)).toEqual(Array.from(b.embedding.data));
    expect(a.nIter).toBe(b.nIter);
    // Float64 products: the eigenvalues within 1e-5 of scikit-learn's, as the device's are.
    for (let j = 0; j < c.k; j++) expect(Math.abs(a.eigenvalues[j] - c.eigenvalues[j])).toBeLessThan(1e-5);
    expect(adjustedRandIndex(a.labels, c.labels)).toBeGreaterThanOrEqual(0.95);
  });

  it('spectral clustering of a disconnected k-NN graph warns and separates the components', async () => {
    // Two tight groups far apart: with 3 neighbours no edge crosses between them.
    const rows: number[][] = [];
    for (let i = 0; i < 12; i++) rows.push([Math.cos(i), Math.sin(i)]);
    for (let i = 0; i < 9; i++) rows.push([100 + Math.cos(i), Math.sin(i)]);
    const warnings: string[] = [];
    const model = await new SpectralClustering({ k: 2, affinity: 'nearest_neighbors', nNeighbors: 3, seed: 2, onWarning: (m) => warnings.push(m) }).fit(rows);
    expect(model.graphComponents).toBe(2);
    expect(warnings.some((w) => w.includes('2 connected components'))).toBe(true);
    const truth = rows.map((_, i) => (i < 12 ? 0 : 1));
    expect(adjustedRandIndex(model.labels, truth)).toBe(1);
    expect(Array.from(model.eigenvalues)).toEqual([0, 0]);
  });

  it('spectral clustering rejects bad parameters naming the argument', async () => {
    const x = [[0, 0], [1, 1], [2, 2], [3, 3]];
    const argumentOf = async (p: Promise<unknown>): Promise<string> => {
      const err = await p.then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(ParameterError);
      return (err as ParameterError).argument;
    };
    expect(await argumentOf(spectralClustering(x, { k: 5, ...quiet }))).toBe('k');
    expect(await argumentOf(spectralClustering(x, { k: 2, affinity: 'nearest_neighbors', nNeighbors: 4, ...quiet }))).toBe('nNeighbors');
    expect(await argumentOf(Promise.resolve().then(() => new SpectralClustering({ k: 2, gamma: 0 })))).toBe('gamma');
    expect(await argumentOf(Promise.resolve().then(() => new SpectralClustering({ k: 2, gamma: -1 })))).toBe('gamma');
    expect(await argumentOf(Promise.resolve().then(() => new SpectralClustering({ k: 0 })))).toBe('k');
    await expect(spectralClustering([[1, 2]], { k: 1, ...quiet })).rejects.toThrow(DataError);
  });
});
