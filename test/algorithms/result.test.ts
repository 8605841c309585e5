// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { Agglomerative } from '../../src/algorithms/agglomerative.js';
import { DBSCAN } from '../../src/algorithms/dbscan.js';
import { KMeans } from '../../src/algorithms/kmeans.js';
import { MeanShift } from '../../src/algorithms/meanShift.js';
import type { ClusteringResult } from '../../src/algorithms/result.js';
import { SpectralClustering } from '../../src/algorithms/spectral.js';
import { describeEachBackend, it } from '../helpers/backends.js';

// Two tight groups of three rows, 10 apart: every estimator finds them.
const X = [[0, 0], [0, 1], [1, 0], [10, 10], [10, 11], [11, 10]];
const quiet = { onWarning: () => {} };

/** The groups as a partition: rows 0-2 together, 3-5 together, apart from each other. */
function expectTwoGroups(labels: Int32Array): void {
  expect(labels[0]).toBe(labels[1]);
  expect(labels[0]).toBe(labels[2]);
  expect(labels[3]).toBe(labels[4]);
  expect(labels[3]).toBe(labels[5]);
  expect(labels[0]).not.toBe(labels[3]);
}

describeEachBackend('ClusteringResult', (backend) => {
  const fits: Array<[string, () => Promise<ClusteringResult>, { seed: number | null; nIter: 'positive' | 0 }]> = [
    ['KMeans', () => new KMeans({ k: 2, seed: 3, ...quiet }).fit(X), { seed: 3, nIter: 'positive' }],
    ['MeanShift', () => new MeanShift({ bandwidth: 2, ...quiet }).fit(X), { seed: null, nIter: 'positive' }],
    ['DBSCAN', () => new DBSCAN({ eps: 1.5, minSamples: 3, ...quiet }).fit(X), { seed: null, nIter: 0 }],
    ['Agglomerative', () => new Agglomerative({ k: 2, ...quiet }).fit(X), { seed: null, nIter: 0 }],
    ['SpectralClustering', () => new SpectralClustering({ k: 2, affinity: 'nearest_neighbors', nNeighbors: 3, seed: 5, ...quiet }).fit(X), { seed: 5, nIter: 0 }],
  ];
  for (const [name, fit, want] of fits) {
    it(`${name} gives labels, k, backend, seed, nIter, converged and timeMs with their one meaning`, async () => {
      const before = tf.memory().numTensors;
      const r = await fit();
      expectTwoGroups(r.labels);
      expect(r.k).toBe(2);
      expect(Math.max(...r.labels) + 1).toBe(r.k);
      expect(r.backend).toBe(backend);
      expect(r.seed).toBe(want.seed);
      if (want.nIter === 0) expect(r.nIter).toBe(0);
      else expect(r.nIter).toBeGreaterThan(0);
      expect(r.converged).toBe(true);
      expect(r.timeMs).toBeGreaterThanOrEqual(0);
      expect(Object.isFrozen(r)).toBe(true);
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('SpectralClustering counts the block products of its eigensolver (0 here: two components are known exactly)', async () => {
    // The k-NN graph of two far groups has two components, whose indicator vectors are the two
    // eigenvectors wanted: the solver has nothing to do.
    const r = await new SpectralClustering({ k: 2, affinity: 'nearest_neighbors', nNeighbors: 3, seed: 5, ...quiet }).fit(X);
    expect(r.graphComponents).toBe(2);
    expect(r.nIter).toBe(0);
  });

  it('MeanShift records the seed of its bandwidth sample only when it drew one', async () => {
    const sampled = await new MeanShift({ nSamples: 4, quantile: 0.5, seed: 9, ...quiet }).fit(X);
    expect(sampled.seed).toBe(9);
    const all = await new MeanShift({ nSamples: 6, quantile: 0.5, seed: 9, ...quiet }).fit(X);
    expect(all.seed).toBe(null);
  });

  it('KMeans, MeanShift and DBSCAN predict the same float64 Euclidean distance to the point that decided the label', async () => {
    const rows = [[0.5, 0.25], [10, 12]];
    const km = await new KMeans({ k: 2, seed: 3, ...quiet }).fit(X);
    const ms = await new MeanShift({ bandwidth: 2, ...quiet }).fit(X);
    const db = await new DBSCAN({ eps: 1.5, minSamples: 3, ...quiet }).fit(X);
    for (const [r, points] of [
      [km, km.centroids],
      [ms, ms.centroids],
      [db, db.coreSamples],
    ] as const) {
      const p = await r.predict(rows);
      expect(p.distances).toBeInstanceOf(Float64Array);
      rows.forEach((row, i) => {
        // The nearest point, by a plain float64 loop over the float32 values.
        let best = Infinity;
        for (let c = 0; c < points.rows; c++) {
          let s = 0;
          for (let j = 0; j < 2; j++) s += (Math.fround(row[j]) - points.data[c * 2 + j]) ** 2;
          best = Math.min(best, s);
        }
        expect(p.distances[i]).toBe(Math.sqrt(best));
      });
    }
  });
});
