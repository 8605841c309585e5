// SPDX-License-Identifier: MIT
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { DBSCAN, dbscan } from '../../src/algorithms/dbscan.js';
import { DataError, ParameterError } from '../../src/errors.js';
import type { Matrix, MatrixF32 } from '../../src/matrix.js';
import { Random } from '../../src/random.js';
import { describeEachBackend, it } from '../helpers/backends.js';
import { fixtureMatrix, loadFixture } from '../helpers/fixtures.js';
import { dbscanRef, sqDistRef } from '../helpers/reference.js';

interface DbscanFit {
  dataset: string;
  eps: number;
  min_samples: number;
  margin: number;
  labels: number[];
  core_sample_indices: number[];
}

function json<T>(name: string): T {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`../fixtures/sklearn/${name}.json`, import.meta.url)), 'utf8')) as T;
}

/** A fixture dataset as float32: one of the k-means fixtures, or one of density_data.json. */
function dataset(name: string): MatrixF32 {
  const extra = json<Record<string, { n: number; d: number; X: number[][] }>>('density_data')[name];
  if (extra === undefined) return fixtureMatrix(loadFixture(name));
  const data = new Float32Array(extra.n * extra.d);
  extra.X.forEach((row, i) => data.set(row, i * extra.d));
  return { data, rows: extra.n, cols: extra.d };
}

/**
 * scikit-learn's border rule, checked independently of ids: every non-core row labelled c is
 * within eps of a core row of c, and every non-core row labelled -1 is within eps of no core row.
 */
function checkBorders(x: Matrix, labels: Int32Array, core: Set<number>, eps: number): void {
  const cores = [...core];
  for (let i = 0; i < x.rows; i++) {
    if (core.has(i)) continue;
    const near = cores.filter((c) => sqDistRef(x, i, x, c) <= eps * eps).map((c) => labels[c]);
    if (labels[i] === -1) expect(near, `row ${i} is noise`).toEqual([]);
    else expect(near, `border row ${i}`).toContain(labels[i]);
  }
}

const fits = json<{ fits: DbscanFit[] }>('dbscan').fits;

describeEachBackend('dbscan', (backend) => {
  it("gives scikit-learn's docstring example", async () => {
    const r = await new DBSCAN({ eps: 3, minSamples: 2 }).fit([[1, 2], [2, 2], [2, 3], [8, 7], [8, 8], [25, 80]]);
    expect(Array.from(r.labels)).toEqual([0, 0, 0, 1, 1, -1]);
    expect(Array.from(r.coreSampleIndices)).toEqual([0, 1, 2, 3, 4]);
    expect(r.k).toBe(2);
    expect(r.nIter).toBe(0); // no iterative loop
    expect(r.converged).toBe(true);
    expect(r.backend).toBe(backend);
    expect(Array.from(r.coreSamples.data)).toEqual([1, 2, 2, 2, 2, 3, 8, 7, 8, 8]);
  });

  it('gives a border row within eps of two clusters to the one scikit-learn expands first', async () => {
    // eps = 1.05 (no distance is near it): cores 0..3 (cluster 0) and 5..8 (cluster 1), each with
    // 4 or 5 rows within eps; row 4 (at 2) has only 3 (1, 2, 3), so it is a border of both;
    // scikit-learn expands cluster 0 first.
    const x = [[0], [0.3], [0.6], [1], [2], [3], [3.4], [3.7], [4]];
    const r = await dbscan(x, { eps: 1.05, minSamples: 4 });
    expect(Array.from(r.labels)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1]);
    expect(Array.from(r.coreSampleIndices)).toEqual([0, 1, 2, 3, 5, 6, 7, 8]);
    // Reversed, the other cluster is expanded first and takes the border row.
    const back = await dbscan([...x].reverse(), { eps: 1.05, minSamples: 4 });
    expect(Array.from(back.labels)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1]);
  });

  const cases = backend === 'webgpu' ? fits.filter((f) => f.dataset === 'mall' || f.dataset === 'moons') : fits;
  for (const f of cases) {
    it(`gives scikit-learn's labels and core samples on ${f.dataset} (eps=${f.eps.toPrecision(4)}, minSamples=${f.min_samples})`, async () => {
      const x = dataset(f.dataset);
      const r = await new DBSCAN({ eps: f.eps, minSamples: f.min_samples }).fit(x);
      expect(Array.from(r.coreSampleIndices)).toEqual(f.core_sample_indices);
      // Same clusters, same ids (scikit-learn's order), same border choices and noise.
      expect(Array.from(r.labels)).toEqual(f.labels);
      checkBorders(x, r.labels, new Set(f.core_sample_indices), f.eps);
    });
  }

  it('agrees with the brute-force reference on clustered data, also with small tiles (several chunks and strips)', async () => {
    const rng = new Random(4);
    const n = backend === 'webgpu' ? 300 : 1200;
    const d = 3;
    const data = new Float32Array(n * d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) data[i * d + j] = (i % 4) * 3 * (j === i % 3 ? 1 : 0.3) + 1.2 * (rng.next() - 0.5) * (i % 5 === 0 ? 4 : 1);
    const x = { data, rows: n, cols: d };
    const eps = 0.31;
    const ref = dbscanRef(x, eps, 6);
    // chunkRows is tileRows's deprecated name.
    for (const tiles of [{}, { tileRows: 37 }, { chunkRows: 37 }]) {
      const r = await dbscan(x, { eps, minSamples: 6, ...tiles });
      expect(Array.from(r.labels)).toEqual(Array.from(ref.labels));
      expect(Array.from(r.coreSampleIndices)).toEqual(Array.from(ref.core).flatMap((c, i) => (c ? [i] : [])));
    }
  });

  it('predicts the cluster of the nearest core sample within eps, else -1', async () => {
    const x = [[0, 0], [0, 1], [1, 0], [10, 10], [10, 11], [11, 10], [5, 5]];
    const r = await dbscan(x, { eps: 1.5, minSamples: 3 });
    expect(Array.from(r.labels)).toEqual([0, 0, 0, 1, 1, 1, -1]);
    const p = await r.predict([[0.2, 0.2], [10.5, 10.4], [5, 5], [1.9, 0]]);
    expect(Array.from(p.labels)).toEqual([0, 1, -1, 0]);
    // Euclidean, in float64, from the float32 row: (1.9, 0) is fround(1.9) - 1 from the core (1, 0);
    // the noise row (5, 5) is √41 from its nearest core samples (0, 1) and (1, 0).
    expect(p.distances[3]).toBe(Math.fround(1.9) - 1);
    expect(p.distances[2]).toBe(Math.sqrt(41));
    await expect(r.predict([[1, 2, 3]])).rejects.toThrow('dbscan.predict: X has 3 columns, the model was fitted on 2');
  });

  it('handles one row, identical rows and all noise with a defined result', async () => {
    expect(Array.from((await dbscan([[1, 2]], { eps: 1, minSamples: 1 })).labels)).toEqual([0]);
    expect(Array.from((await dbscan([[1, 2]], { eps: 1, minSamples: 2 })).labels)).toEqual([-1]);
    const same = await dbscan([[3, 3], [3, 3], [3, 3], [3, 3]], { eps: 0.1, minSamples: 4 });
    expect(Array.from(same.labels)).toEqual([0, 0, 0, 0]);
    const sparse = await dbscan([[0], [10], [20]], { eps: 1, minSamples: 2 });
    expect(Array.from(sparse.labels)).toEqual([-1, -1, -1]);
    expect(sparse.k).toBe(0);
    const none = await sparse.predict([[0]]);
    expect(Array.from(none.labels)).toEqual([-1]);
    expect(Array.from(none.distances)).toEqual([Number.POSITIVE_INFINITY]);
  });

  it('rejects bad arguments with typed errors naming the function and the argument', async () => {
    expect(() => new DBSCAN({ eps: 0 })).toThrow(ParameterError);
    expect(() => new DBSCAN({ eps: -1 })).toThrow('dbscan: eps=-1 must be finite and > 0');
    expect(() => new DBSCAN({ eps: Number.NaN })).toThrow(/eps=NaN/);
    expect(() => new DBSCAN({ minSamples: 0 })).toThrow('dbscan: minSamples=0 must be an integer >= 1');
    expect(() => new DBSCAN({ minSamples: 2.5 })).toThrow(ParameterError);
    await expect(dbscan([[0, 1], [Number.NaN, 2]])).rejects.toThrow(DataError);
    await expect(dbscan([])).rejects.toThrow(/X is empty/);
  });
});
