// SPDX-License-Identifier: MIT
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { PCA, pca, type PCAResult } from '../../src/algorithms/pca.js';
import { DataError, ParameterError } from '../../src/errors.js';
import type { Matrix } from '../../src/matrix.js';
import { describeEachBackend, it } from '../helpers/backends.js';
import { fixtureMatrix, loadFixture } from '../helpers/fixtures.js';

/** One scikit-learn PCA(svd_solver='full') fit, as scripts/make_pca_fixtures.py writes it. */
interface SklearnPCA {
  params: { n_components?: number; whiten?: boolean };
  n_components: number;
  components: number[][];
  explained_variance: number[];
  explained_variance_ratio: number[];
  singular_values: number[];
  mean: number[];
  noise_variance: number;
  rows: number[];
  transform: number[][];
  inverse_transform: number[][];
  X?: number[][];
}

interface PCAFixture {
  name: string;
  n: number;
  d: number;
  fits: { full: SklearnPCA; whiten2: SklearnPCA; fraction: SklearnPCA };
}

function loadJson<T>(name: string): T {
  const url = new URL(`../fixtures/sklearn/${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(fileURLToPath(url), 'utf8')) as T;
}

/** The float32 device results are held to 1e-4 relative. */
const REL = 1e-4;

/** Rows `rows` of m as rows of numbers. */
function pick(m: Matrix, rows: number[]): number[][] {
  return rows.map((r) => Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols)));
}

/**
 * Components whose eigenvalue is apart from its neighbours by at least 1% of the largest: only
 * these are determined well enough to compare (within a near-tie, any rotation of the pair is as
 * right, and float32 picks a different one than float64).
 */
function conditioned(variance: number[]): boolean[] {
  const top = variance[0];
  return variance.map((v, i) => {
    const gaps = [i > 0 ? variance[i - 1] - v : Infinity, i + 1 < variance.length ? v - variance[i + 1] : Infinity];
    return Math.min(...gaps) >= 0.01 * top;
  });
}

/** Checks a fitted model against a scikit-learn fit of the same data and options. */
async function expectLikeSklearn(model: PCAResult, sk: SklearnPCA, x: Matrix, full: SklearnPCA, what: string): Promise<void> {
  const d = x.cols;
  const c = sk.n_components;
  expect(model.nComponents, `${what}: nComponents`).toBe(c);
  expect(model.components.rows).toBe(c);
  expect(model.nSamplesSeen).toBe(x.rows);
  const top = full.explained_variance[0];
  const good = conditioned(full.explained_variance);
  // Variances: relative, plus the Gram route's absolute floor of ~1e-6 of the largest.
  const near = (a: number, b: number, scale: number, label: string): void =>
    expect(Math.abs(a - b), `${what}: ${label}: ${a} against ${b}`).toBeLessThanOrEqual(REL * Math.abs(b) + 1e-6 * scale);
  sk.explained_variance.forEach((v, i) => near(model.explainedVariance[i], v, top, `explainedVariance[${i}]`));
  sk.explained_variance_ratio.forEach((v, i) => near(model.explainedVarianceRatio[i], v, 1, `explainedVarianceRatio[${i}]`));
  sk.singular_values.forEach((v, i) => near(model.singularValues[i], v, full.singular_values[0], `singularValues[${i}]`));
  near(model.noiseVariance, sk.noise_variance, top, 'noiseVariance');
  sk.mean.forEach((v, j) => expect(Math.abs(model.mean[j] - v), `${what}: mean[${j}]`).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(v))));
  let compared = 0;
  for (let i = 0; i < c; i++) {
    if (!good[i]) continue;
    compared++;
    for (let j = 0; j < d; j++) {
      const got = model.components.data[i * d + j];
      expect(Math.abs(got - sk.components[i][j]), `${what}: components[${i}][${j}] = ${got}, sklearn ${sk.components[i][j]}`).toBeLessThanOrEqual(REL);
    }
  }
  expect(compared, `${what}: compared no component`).toBeGreaterThan(0);
  // Scores of a few rows: relative to the row's distance from the mean (÷ sd when whitened).
  const z = await model.transform(pick(x, sk.rows));
  sk.rows.forEach((r, k) => {
    let norm = 0;
    for (let j = 0; j < d; j++) norm += (x.data[r * d + j] - sk.mean[j]) ** 2;
    for (let i = 0; i < c; i++) {
      if (!good[i]) continue;
      const scale = Math.sqrt(norm) / (sk.params.whiten ? Math.sqrt(sk.explained_variance[i]) : 1);
      const got = z.data[k * c + i];
      expect(Math.abs(got - sk.transform[k][i]), `${what}: transform row ${r}, component ${i}: ${got} against ${sk.transform[k][i]}`).toBeLessThanOrEqual(REL * scale + 1e-6);
    }
  });
  // Reconstruction from our own scores: the same projection onto the kept subspace.
  const back = await model.inverseTransform(z);
  sk.rows.forEach((r, k) => {
    let norm = 0;
    for (let j = 0; j < d; j++) norm = Math.max(norm, Math.abs(x.data[r * d + j]));
    for (let j = 0; j < d; j++) {
      const got = back.data[k * d + j];
      expect(Math.abs(got - sk.inverse_transform[k][j]), `${what}: inverse row ${r}, column ${j}`).toBeLessThanOrEqual(REL * (norm + 1));
    }
  });
}

/** webgpu here is SwiftShader, a CPU emulation: keep its share small. */
function datasetsFor(backend: string): string[] {
  return backend === 'webgpu' ? ['mall', 'tiktok'] : ['mall', 'ads', 'tiktok', 'wellbeing', 'blobs8', 'blobs_overlap'];
}

const quiet = { onWarning: () => {} };

describeEachBackend('pca', (backend) => {
  it('runs the documented example: [[0,0],[1,1],[2,2],[4,4]] (by hand)', async () => {
    // Centered rows lie on (1, 1): scores (−1.75, −0.75, 0.25, 2.25)·√2, variance 2·8.75/3 = 35/6;
    // the largest |score| (row 3) is positive, so the component is +(1, 1)/√2.
    const model = await new PCA({ nComponents: 1 }).fit([[0, 0], [1, 1], [2, 2], [4, 4]]);
    expect(model.components.data[0]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(model.components.data[1]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(model.explainedVariance[0]).toBeCloseTo(35 / 6, 5);
    expect(model.explainedVarianceRatio[0]).toBeCloseTo(1, 6);
    expect((await model.transform([[4, 4]])).data[0]).toBeCloseTo(2.25 * Math.SQRT2, 5);
    expect(model.backend).toBe(backend);
  });

  for (const name of datasetsFor(backend)) {
    it(`agrees with scikit-learn 1.2.1 on ${name}: all components, whiten with 2, and a variance fraction`, async () => {
      const f = loadJson<PCAFixture>(`pca_${name}`);
      const x = fixtureMatrix(loadFixture(name));
      const { full, whiten2, fraction } = f.fits;
      await expectLikeSklearn(await new PCA().fit(x), full, x, full, `${name} full`);
      await expectLikeSklearn(await pca(x, { nComponents: whiten2.params.n_components, whiten: true }), whiten2, x, full, `${name} whiten2`);
      await expectLikeSklearn(await pca(x, { nComponents: fraction.params.n_components }), fraction, x, full, `${name} fraction`);
    });
  }

  it('whitened scores have unit variance and inverseTransform undoes transform', async () => {
    const x = fixtureMatrix(loadFixture('mall'));
    const model = await pca(x, { whiten: true });
    const z = await model.transform(x);
    const c = model.nComponents;
    for (let i = 0; i < c; i++) {
      let s = 0;
      for (let r = 0; r < x.rows; r++) s += z.data[r * c + i] ** 2;
      expect(s / (x.rows - 1)).toBeCloseTo(1, 4); // scores are centered: the mean is 0
    }
    const back = await model.inverseTransform(z);
    for (let i = 0; i < x.data.length; i++) expect(Math.abs(back.data[i] - x.data[i])).toBeLessThan(1e-4 * (1 + Math.abs(x.data[i])));
  });

  it('agrees with scikit-learn on one column, two rows, and a constant column (signs decided by rounding: up to sign)', async () => {
    const edges = loadJson<{ cases: Record<string, SklearnPCA> }>('pca_edges').cases;
    for (const [name, sk] of Object.entries(edges)) {
      const rows = sk.X as number[][];
      const model = await pca(rows);
      const d = rows[0].length;
      const top = sk.explained_variance[0];
      expect(model.nComponents, name).toBe(sk.n_components);
      sk.explained_variance.forEach((v, i) => expect(Math.abs(model.explainedVariance[i] - v), `${name} variance ${i}`).toBeLessThanOrEqual(REL * v + 1e-6 * top));
      for (let i = 0; i < sk.n_components; i++) {
        // scikit-learn's sign of a zero-variance component comes from an arbitrary left singular
        // vector; with two rows, the centered rows are exact opposites, so the largest |score| is
        // a tie that LAPACK's rounding decides. Compare those up to sign.
        const arbitrary = sk.explained_variance[i] <= 1e-12 * top || name === 'two_rows';
        let dot = 0;
        for (let j = 0; j < d; j++) dot += model.components.data[i * d + j] * sk.components[i][j];
        const flip = arbitrary && dot < 0 ? -1 : 1;
        for (let j = 0; j < d; j++) {
          expect(Math.abs(flip * model.components.data[i * d + j] - sk.components[i][j]), `${name} components[${i}][${j}]`).toBeLessThanOrEqual(REL);
        }
      }
    }
  });

  it('gives zero-variance components zero whitened scores rather than NaN', async () => {
    const rows = Array.from({ length: 20 }, (_, i) => [i % 7, 3.5, (i * i) % 5]);
    const model = await pca(rows, { whiten: true });
    expect(model.explainedVariance[2]).toBeLessThan(1e-6);
    const z = await model.transform(rows);
    for (let r = 0; r < rows.length; r++) expect(z.data[r * 3 + 2]).toBe(0);
  });

  it('finds planted components exactly despite a large offset over many rows (centering before the Gram)', async () => {
    // Rows μ ± p ± q in a balanced design: the centered rows are exactly ±p ± q, so X_cᵀX_c =
    // n(ppᵀ + qqᵀ) with p ⟂ q: variances n|p|²/(n−1) = n·6.25/(n−1) and n|q|²/(n−1) = n/(n−1).
    // Forming XᵀX − nμμᵀ in float32 would cancel every digit: |μ|² n ≈ 10^6 · 2^18.
    const n = backend === 'webgpu' ? 2 ** 12 : 2 ** 18;
    const mu = [1000, -500, 250];
    const p = [1.5, 2, 0]; // |p| = 2.5
    const q = [0, 0, 1]; // |q| = 1
    const data = new Float32Array(n * 3);
    for (let i = 0; i < n; i++) {
      const a = i % 2 === 0 ? 1 : -1;
      const b = i % 4 < 2 ? 1 : -1;
      for (let j = 0; j < 3; j++) data[i * 3 + j] = mu[j] + a * p[j] + b * q[j];
    }
    const model = await pca({ data, rows: n, cols: 3 });
    expect(model.explainedVariance[0] / ((n * 6.25) / (n - 1)) - 1).toBeLessThan(1e-6);
    expect(Math.abs(model.explainedVariance[1] / (n / (n - 1)) - 1)).toBeLessThan(1e-6);
    expect(model.explainedVariance[2]).toBeLessThan(1e-6);
    Array.from(model.mean).forEach((m, j) => expect(m).toBe(mu[j]));
    const v0 = Array.from(model.components.data.subarray(0, 3));
    const s0 = Math.sign(v0[1]);
    [0.6, 0.8, 0].forEach((e, j) => expect(Math.abs(s0 * v0[j] - e)).toBeLessThan(1e-6));
    const v1 = Array.from(model.components.data.subarray(3, 6));
    expect(Math.abs(Math.abs(v1[2]) - 1)).toBeLessThan(1e-6);
  });

  it('rejects nComponents above min(n, d) with a ParameterError naming the argument', async () => {
    const err = await pca([[0, 1], [2, 3], [4, 7]], { nComponents: 3 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ParameterError);
    expect((err as ParameterError).argument).toBe('nComponents');
    expect((err as Error).message).toMatch(/^pca: nComponents=3 is more than min\(n, d\)/);
    // n = 2 < d = 3: at most 2.
    await expect(pca([[0, 1, 2], [3, 4, 6]], { nComponents: 3 })).rejects.toThrow(ParameterError);
  });

  it('rejects bad options when constructed, one row, wrong widths, and a fraction of zero variance', async () => {
    for (const nComponents of [0, -1, 1.5, Number.NaN, 1]) {
      if (nComponents === 1) expect(() => new PCA({ nComponents })).not.toThrow();
      else expect(() => new PCA({ nComponents }), `nComponents=${nComponents}`).toThrow(ParameterError);
    }
    expect(() => new PCA({ tileRows: 0 })).toThrow(/tileRows/);
    await expect(pca([[1, 2]])).rejects.toThrow(DataError);
    const model = await pca([[0, 1], [2, 3], [4, 7]], quiet);
    await expect(model.transform([[1, 2, 3]])).rejects.toThrow(/X has 3 columns, the model was fitted on 2/);
    await expect(model.inverseTransform([[1, 2, 3]])).rejects.toThrow(/Z has 3 columns, the model has 2 components/);
    await expect(pca([[1, 1], [1, 1], [1, 1]], { nComponents: 0.5 })).rejects.toThrow(/zero total variance/);
    const flat = await pca([[1, 1], [1, 1], [1, 1]]);
    expect(Array.from(flat.explainedVarianceRatio)).toEqual([0, 0]);
  });

  it('gives the same model whatever the block size', async () => {
    const x = fixtureMatrix(loadFixture('tiktok'));
    const one = await pca(x, { nComponents: 2 });
    const many = await pca(x, { nComponents: 2, tileRows: 100 });
    one.components.data.forEach((v, i) => expect(Math.abs(v - many.components.data[i])).toBeLessThan(1e-5));
    one.explainedVariance.forEach((v, i) => expect(Math.abs(v - many.explainedVariance[i])).toBeLessThan(1e-5 * v));
    const z1 = await one.transform(x);
    const z2 = await many.transform(x);
    z1.data.forEach((v, i) => expect(Math.abs(v - z2.data[i])).toBeLessThan(1e-4));
  });
});
