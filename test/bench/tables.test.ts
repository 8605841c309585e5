// SPDX-License-Identifier: MIT
/**
 * The tables bench (bench/tables.ts) on its own code: the pipelines of TABLES.md build the same
 * matrices as scikit-learn (against the committed fixture bench/tables_sklearn.json), our k-means
 * with nInit = 10 is no worse on A to C than the best inertia TABLES.md gives, and on D mean shift
 * and DBSCAN give what TABLES.md says scikit-learn gives.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { D_ALGORITHMS, FEATURES, KMEANS_K, fitKMeans, type Features, type TableId } from '../../bench/tablesPipelines.js';
import { BEST_INERTIA } from '../../bench/tablesPublished.js';
import { compareMatrix, type SklearnRun } from '../../bench/tablesReport.js';
import { describeEachBackend, it } from '../helpers/backends.js';

const sklearn = JSON.parse(readFileSync(fileURLToPath(new URL('../../bench/tables_sklearn.json', import.meta.url)), 'utf8')) as SklearnRun;

const features = new Map<TableId, Promise<Features>>();
function featuresOf(id: TableId): Promise<Features> {
  let f = features.get(id);
  if (f === undefined) {
    f = FEATURES[id]();
    features.set(id, f);
  }
  return f;
}

/** Sum of squared distances of the rows to their label's mean, in float64 on the host. */
function inertiaOf(f: Features, labels: Int32Array, k: number): number {
  const { rows, cols, data } = f.matrix;
  const sums = new Float64Array(k * cols);
  const counts = new Float64Array(k);
  for (let i = 0; i < rows; i++) {
    counts[labels[i]]++;
    for (let j = 0; j < cols; j++) sums[labels[i] * cols + j] += data[i * cols + j];
  }
  let total = 0;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) total += (data[i * cols + j] - sums[labels[i] * cols + j] / counts[labels[i]]) ** 2;
  }
  return total;
}

describeEachBackend(
  'tables bench',
  () => {
    it.each([
      ['A', 1000, 5],
      ['B', 1000, 18],
      ['C', 1000, 8],
      ['D', 103, 21],
    ] as const)('table %s builds the same %i × %i feature matrix as scikit-learn', async (id, rows, cols) => {
      const f = await featuresOf(id);
      expect([f.matrix.rows, f.matrix.cols]).toEqual([rows, cols]);
      const check = compareMatrix(f, sklearn.tables[id].matrix);
      expect(check.unmatched).toEqual([]);
      expect(check.maxDifference).toBeLessThan(1e-5);
    });

    it.each(['A', 'B', 'C'] as const)("table %s: k-means with nInit = 10 is no worse than TABLES.md's best inertia", async (id) => {
      const f = await featuresOf(id);
      const k = KMEANS_K[id];
      const { model, figures } = await fitKMeans(f, { k, nInit: 10, refine: true, seed: 42 });
      // The reported inertia is the labels' own, recomputed here in float64.
      expect(Math.abs(figures.inertia! - inertiaOf(f, model.labels, k)) / figures.inertia!).toBeLessThan(1e-5);
      expect(figures.inertia!).toBeLessThanOrEqual(BEST_INERTIA[id] * (1 + 1e-6));
      expect(figures.sizes).toHaveLength(k);
      expect(figures.sizes.reduce((a, b) => a + b, 0)).toBe(f.matrix.rows);
    });

    it('table D: mean shift gives 2 clusters of 102 and 1, DBSCAN all noise, Ward 87/16, spectral 102/1, as scikit-learn does', async () => {
      const f = await featuresOf('D');
      const run = (key: string) => {
        const entry = D_ALGORITHMS.find((e) => e.key === key);
        if (entry?.run == null) throw new Error(`no ${key} in D_ALGORITHMS`);
        return entry.run(f, 42);
      };
      const ms = (await run('meanShift')).main;
      expect(ms.sizes).toEqual([102, 1]);
      expect(ms.noise).toBe(0);
      const db = (await run('dbscan')).main;
      expect(db.nClusters).toBe(0);
      expect(db.noise).toBe(103);
      expect(db.silhouette).toBeNull();
      // TABLES.md: scikit-learn's Ward with k = 2 has silhouette 0.3174 (sizes 87/16 in the fixture).
      const ward = (await run('agglomerative')).main;
      expect(ward.sizes).toEqual([87, 16]);
      expect(Math.abs(ward.silhouette! - 0.3174)).toBeLessThan(1e-4);
      // TABLES.md: scikit-learn's spectral (RBF, k = 2) gives 102/1 with silhouette 0.4912.
      const spectral = (await run('spectral')).main;
      expect(spectral.sizes).toEqual([102, 1]);
      expect(Math.abs(spectral.silhouette! - 0.4912)).toBeLessThan(1e-4);
    });
  },
  ['cpu', 'wasm'],
);
