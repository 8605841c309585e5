// SPDX-License-Identifier: MIT
/**
 * Lloyd's iterations inside DuckDB and PostgreSQL, one GROUP BY each, against KMeans in memory on the same rows
 * (pulled, transformed by the same pipeline) from the same initial centers, refine off: the
 * same iterations, the same centers within 1e-6 (relative to each feature's spread), the same
 * inertia within 1e-6 relative.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/backend.js';
import { kmeans } from '../../src/algorithms/kmeans.js';
import { inferKinds } from '../../src/data/inferKinds.js';
import type { Pipeline } from '../../src/data/pipeline.js';
import type { MatrixF32 } from '../../src/matrix.js';
import { clusterIndicesInDatabase } from '../../src/db/fit.js';
import { fitPipelineInDatabase } from '../../src/db/fitPipeline.js';
import { lloydInDatabase, seedOnSample, storeFeatures, type DbFeatures } from '../../src/db/lloyd.js';
import { openSource } from '../../src/db/open.js';
import { pullRows, type DbSource } from '../../src/db/source.js';
import { ParameterError } from '../../src/errors.js';
import { spreads } from '../helpers/dbFits.js';
import { startWithTables, testDatabases, type TestDatabase } from '../helpers/testDatabases.js';
import { DATA_DIR } from '../helpers/data.js';

// The byte copies of ../shared/data in the repo (test/helpers/data.ts).
const DATA = DATA_DIR.slice(0, -1);

describe.each(testDatabases())('lloydInDatabase on $name', (db: TestDatabase) => {
  let source: DbSource;
  let pipeline: Pipeline;
  let matrix: MatrixF32;
  let features: DbFeatures;

  beforeAll(async () => {
    if (db.skip !== null) return;
    await initBackend('wasm', { strict: true, onWarning: () => {} });
    await startWithTables(db, { ads: `${DATA}/user_profiles_for_ads.csv` });
    source = await openSource(db.address('ads'));
    const rows = await pullRows(source);
    pipeline = await fitPipelineInDatabase(source, inferKinds(rows), { onWarning: () => {} });
    matrix = pipeline.transform(rows).matrix;
    features = await storeFeatures(source, pipeline);
  }, 60_000);

  afterAll(async () => {
    await features?.drop();
    await source?.close();
    await db.stop();
  });

  const spec = it.skipIf(db.skip !== null);
  spec('stores one feature row per table row, with the in-memory features', async () => {
    expect(features.rows).toBe(matrix.rows);
    expect(features.cols).toBe(matrix.cols);
  });

  for (const k of [3, 6]) {
    spec(`reaches the in-memory KMeans centers (k=${k}) in the same iterations from the same k-means++ seeds`, async () => {
      const init = await seedOnSample(matrix, k, 7);
      const memory = await kmeans(matrix, { k, init, refine: false, nInit: 1, maxIter: 100, tol: 1e-4, onWarning: () => {} });
      const db = await lloydInDatabase(features, init, { maxIter: 100, tol: 1e-4 });
      expect(db.nIter).toBe(memory.nIter);
      expect(db.converged).toBe(memory.converged);
      const spread = spreads(matrix);
      for (let c = 0; c < k; c++) {
        for (let j = 0; j < matrix.cols; j++) {
          const got = db.centroids.data[c * matrix.cols + j];
          const want = memory.centroids.data[c * matrix.cols + j];
          expect(Math.abs(got - want) / spread[j], `center ${c} feature ${j}: ${got} vs ${want}`).toBeLessThanOrEqual(1e-6);
        }
      }
      expect(Math.abs(db.inertia - memory.inertia) / memory.inertia).toBeLessThanOrEqual(1e-6);
      const sizes = new Float64Array(k);
      for (const l of memory.labels) sizes[l]++;
      expect(Array.from(db.sizes)).toEqual(Array.from(sizes));
    });
  }

  spec("gives the cluster indices from Lloyd's last sums as from a pass of their own", async () => {
    const db = await lloydInDatabase(features, await seedOnSample(matrix, 4, 2), { maxIter: 100 });
    const own = await clusterIndicesInDatabase(features, db.centroids);
    const reused = await clusterIndicesInDatabase(features, db.centroids, db);
    expect(Math.abs((reused.calinskiHarabasz as number) / (own.calinskiHarabasz as number) - 1)).toBeLessThan(1e-12);
    expect(Math.abs((reused.daviesBouldin as number) / (own.daviesBouldin as number) - 1)).toBeLessThan(1e-12);
  });

  spec('stops at maxIter as KMeans does, unconverged, after as many iterations', async () => {
    const init = await seedOnSample(matrix, 5, 1);
    const memory = await kmeans(matrix, { k: 5, init, refine: false, nInit: 1, maxIter: 2, tol: 0, onWarning: () => {} });
    const db = await lloydInDatabase(features, init, { maxIter: 2, tol: 0 });
    expect([db.nIter, db.converged]).toEqual([memory.nIter, memory.converged]);
    expect(db.iterationSeconds).toHaveLength(2);
  });

  spec('gives an emptied cluster the row farthest from its center, as KMeans does', async () => {
    // Two identical initial centers: the second is empty at the first iteration.
    const one = await seedOnSample(matrix, 3, 3);
    const init = { data: Float32Array.from([...one.data.subarray(0, 2 * matrix.cols), ...one.data.subarray(0, matrix.cols)]), rows: 3, cols: matrix.cols };
    const memory = await kmeans(matrix, { k: 3, init, refine: false, nInit: 1, maxIter: 100, onWarning: () => {} });
    const db = await lloydInDatabase(features, init, { maxIter: 100 });
    expect(db.nIter).toBe(memory.nIter);
    const spread = spreads(matrix);
    for (let i = 0; i < db.centroids.data.length; i++) expect(Math.abs(db.centroids.data[i] - memory.centroids.data[i]) / spread[i % matrix.cols]).toBeLessThanOrEqual(1e-6);
  });

  spec('refuses initial centers of the wrong width and k beyond the rows', async () => {
    await expect(lloydInDatabase(features, { data: new Float32Array(2), rows: 1, cols: 2 })).rejects.toThrow(ParameterError);
    await expect(seedOnSample(matrix, matrix.rows + 1, 0)).rejects.toThrow(/k=1001 must be an integer between 1 and the sample's 1000 rows/);
  });
});
