// SPDX-License-Identifier: MIT
/**
 * modelFromResult on a small real table (Mall_Customers.csv, 200 rows): for each algorithm, the
 * model's predict on the training rows is checked against a plain float64 computation of the
 * model's rule, and against the fit's labels: equal for k-means and mean shift; for DBSCAN and
 * the nearest-mean algorithms (agglomerative, spectral) the rows that move are exactly those the
 * float64 rule moves, and for DBSCAN only border rows move.
 *
 * Runs on cpu only: building a model is host code, and the predict kernel is checked on every
 * backend in assign.test.ts and predict.test.ts.
 */
import type * as arrow from 'apache-arrow';
import { beforeAll, expect } from 'vitest';
import { Agglomerative } from '../../src/algorithms/agglomerative.js';
import { DBSCAN } from '../../src/algorithms/dbscan.js';
import { KMeans } from '../../src/algorithms/kmeans.js';
import { MeanShift } from '../../src/algorithms/meanShift.js';
import { SpectralClustering } from '../../src/algorithms/spectral.js';
import { initBackend } from '../../src/backend/backend.js';
import { inferKinds } from '../../src/data/inferKinds.js';
import { Pipeline } from '../../src/data/pipeline.js';
import { readTable } from '../../src/data/readTable.js';
import type { Schema } from '../../src/data/schema.js';
import { DataError } from '../../src/errors.js';
import type { Matrix, MatrixF32 } from '../../src/matrix.js';
import { parseModel, stringifyModel } from '../../src/model/file.js';
import { PREDICT_NOTES, modelFromResult, segmentMeans, type AlgorithmFit } from '../../src/model/fromResult.js';
import type { SegmentationModel } from '../../src/model/model.js';
import { describeEachBackend, it } from '../helpers/backends.js';
import { dataPath } from '../helpers/data.js';
import { distRef, nearestRef } from './support.js';

let table: arrow.Table;
let schema: Schema;
let pipeline: Pipeline;
let x: MatrixF32;

beforeAll(async () => {
  await initBackend('cpu', { strict: true, onWarning: () => {} });
  ({ table } = await readTable(dataPath('Mall_Customers.csv')));
  schema = inferKinds(table);
  pipeline = Pipeline.fit(table, schema, { onWarning: () => {} });
  x = pipeline.transform(table).matrix;
});

const quiet = { onWarning: (): void => {} };

/** Rows whose segment in `a` is not the one in `b`. */
function mismatches(a: ArrayLike<number>, b: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) out.push(i);
  return out;
}

/** Float64 segment means of the rows of x by label 0..k−1, written out plainly. */
function meansRef(m: Matrix, labels: ArrayLike<number>, k: number): Matrix {
  const data = new Float64Array(k * m.cols);
  const counts = new Float64Array(k);
  for (let i = 0; i < m.rows; i++) {
    counts[labels[i]]++;
    for (let j = 0; j < m.cols; j++) data[labels[i] * m.cols + j] += m.data[i * m.cols + j];
  }
  for (let c = 0; c < k; c++) for (let j = 0; j < m.cols; j++) data[c * m.cols + j] /= counts[c];
  return { data, rows: k, cols: m.cols };
}

/** Predicts the training table with the model and with its JSON reloaded; both must agree. */
async function predictBoth(model: SegmentationModel): Promise<Int32Array> {
  const p = await model.predict(table, quiet);
  const again = await parseModel(stringifyModel(model)).predict(table, quiet);
  expect(Array.from(again.segments)).toEqual(Array.from(p.segments));
  return p.segments;
}

/** The model of a nearest-mean fit, with its note and seed checked. */
function checkedModel(fit: Extract<AlgorithmFit, { algorithm: 'agglomerative' | 'spectral' }>, seed: number | null): SegmentationModel {
  const { model, predictNote } = modelFromResult({ fit, pipeline, schema });
  expect(predictNote).toBe(PREDICT_NOTES[fit.algorithm]);
  expect(model.algorithm).toBe('kmeans');
  expect(model.training.seed).toBe(seed);
  return model;
}

/** Checks a nearest-mean model against float64 means and the float64 nearest-mean rule. */
async function checkNearestMean(model: SegmentationModel, labels: Int32Array, algorithm: string): Promise<void> {
  const k = Math.max(...labels) + 1;
  expect(model.segments.map((s) => s.size)).toEqual(Array.from({ length: k }, (_, c) => labels.filter((l) => l === c).length));
  const means = meansRef(x, labels, k);
  if (model.state.type !== 'kmeans') throw new Error(`a ${model.state.type} state, not k-means`);
  const stored = model.state.centroids;
  for (let t = 0; t < means.data.length; t++) expect(stored.data[t]).toBe(Math.fround(means.data[t]));
  // The saved means are float32: the hand rule measures to them, as predict does.
  const hand = nearestRef(x, stored).index;
  const got = await predictBoth(model);
  expect(Array.from(got)).toEqual(Array.from(hand));
  const moved = mismatches(got, labels);
  expect(moved).toEqual(mismatches(hand, labels));
  for (const i of moved) expect(distRef(x, i, stored, got[i])).toBeLessThan(distRef(x, i, stored, labels[i]));
  console.info(`${algorithm}: ${moved.length} of ${x.rows} rows move to a nearer segment mean under predict`);
}

describeEachBackend(
  'modelFromResult',
  () => {
    it('k-means: the centroids are the fit’s, and predict gives the fit’s labels (the float64 nearest centroid)', async () => {
      const result = await new KMeans({ k: 5, seed: 3, nInit: 2, ...quiet }).fit(x);
      const { model, predictNote } = modelFromResult({ fit: { algorithm: 'kmeans', result }, pipeline, schema });
      expect(predictNote).toBeNull();
      expect(model.algorithm).toBe('kmeans');
      expect(model.training.seed).toBe(3);
      expect(model.state.type === 'kmeans' && Array.from(model.state.centroids.data)).toEqual(Array.from(result.centroids.data));
      const ref = nearestRef(x, result.centroids).index;
      expect(mismatches(ref, result.labels)).toEqual([]);
      expect(Array.from(await predictBoth(model))).toEqual(Array.from(result.labels));
    });

    it('mean shift: predict gives the fit’s labels (the float64 nearest center); the seed is kept only when given', async () => {
      const result = await new MeanShift({ bandwidth: 0.8, ...quiet }).fit(x);
      expect(result.centroids.rows).toBeGreaterThan(1);
      const { model, predictNote } = modelFromResult({ fit: { algorithm: 'meanshift', result }, pipeline, schema, seed: 4 });
      expect(predictNote).toBeNull();
      expect(model.algorithm).toBe('meanShift');
      expect(model.training.seed).toBe(4);
      expect(modelFromResult({ fit: { algorithm: 'meanshift', result }, pipeline, schema }).model.training.seed).toBeNull();
      expect(mismatches(nearestRef(x, result.centroids).index, result.labels)).toEqual([]);
      expect(Array.from(await predictBoth(model))).toEqual(Array.from(result.labels));
    });

    it('DBSCAN: predict follows the nearest core row within eps (float64), so only border rows may move', async () => {
      const result = await new DBSCAN({ eps: 0.5, minSamples: 5, ...quiet }).fit(x);
      expect(result.k).toBeGreaterThan(1);
      const { model, predictNote } = modelFromResult({ fit: { algorithm: 'dbscan', result }, pipeline, schema, names: { [-1]: 'Outliers' } });
      expect(predictNote).toBe(PREDICT_NOTES.dbscan);
      expect(model.segmentName(-1)).toBe('Outliers');
      expect(model.training.seed).toBeNull();
      // The rule by hand: the nearest core row (first on a tie), its cluster when within eps, else noise.
      const core = nearestRef(x, result.coreSamples);
      const hand = Int32Array.from(core.index, (c, i) => (core.distance[i] <= result.eps ? result.labels[result.coreSampleIndices[c]] : -1));
      const got = await predictBoth(model);
      expect(Array.from(got)).toEqual(Array.from(hand));
      const moved = mismatches(got, result.labels);
      expect(moved).toEqual(mismatches(hand, result.labels));
      const isCore = new Set(result.coreSampleIndices);
      for (const i of moved) {
        expect(isCore.has(i), `row ${i} is a core row`).toBe(false);
        expect(result.labels[i], `row ${i} is noise in the fit`).not.toBe(-1);
      }
      console.info(`DBSCAN: ${moved.length} of ${x.rows - isCore.size} non-core rows move under predict`);
    });

    it('DBSCAN that found no cluster gives no model', async () => {
      const result = await new DBSCAN({ eps: 1e-6, minSamples: 5, ...quiet }).fit(x);
      expect(result.k).toBe(0);
      expect(() => modelFromResult({ fit: { algorithm: 'dbscan', result }, pipeline, schema })).toThrow(DataError);
    });

    it('agglomerative: the model holds the segment means, and predict moves exactly the rows nearer another mean (float64)', async () => {
      const result = await new Agglomerative({ k: 6, linkage: 'average', ...quiet }).fit(x);
      const model = checkedModel({ algorithm: 'agglomerative', result, x }, null);
      await checkNearestMean(model, result.labels, 'agglomerative');
    });

    it('spectral: the model holds the segment means, and predict moves exactly the rows nearer another mean (float64)', async () => {
      const result = await new SpectralClustering({ k: 5, affinity: 'nearest_neighbors', nNeighbors: 10, nInit: 2, seed: 5, ...quiet }).fit(x);
      const model = checkedModel({ algorithm: 'spectral', result, x }, 5);
      await checkNearestMean(model, result.labels, 'spectral');
    });
  },
  ['cpu'],
);

describeEachBackend(
  'segmentMeans',
  () => {
    it('means and inertia by hand on four rows', () => {
      const m: MatrixF32 = { data: Float32Array.from([0, 0, 2, 0, 10, 10, 10, 12]), rows: 4, cols: 2 };
      const { centroids, inertia } = segmentMeans(m, [0, 0, 1, 1], 2);
      expect(Array.from(centroids.data)).toEqual([1, 0, 10, 11]);
      expect(inertia).toBe(1 + 1 + 1 + 1);
    });
  },
  ['cpu'],
);
