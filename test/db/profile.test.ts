// SPDX-License-Identifier: MIT
/**
 * The profiles of an in-database fit, by SQL over every row, against profileSegments (src/profile/)
 * on the same rows pulled into memory with the same segments (predict's): counts and extremes
 * exact, quartiles, means and deviations within 1e-12 relative, the same
 * distinctive features and names. On DuckDB and on a PostgreSQL server the test starts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/backend.js';
import { KMeans } from '../../src/algorithms/kmeans.js';
import { inferKinds } from '../../src/data/inferKinds.js';
import { Pipeline } from '../../src/data/pipeline.js';
import { fitInDatabase } from '../../src/db/fit.js';
import { openSource } from '../../src/db/open.js';
import { storeFeatures } from '../../src/db/lloyd.js';
import { profileInDatabase, profiledCells, profiledColumns, segmentInDatabase, segmentStored } from '../../src/db/profile.js';
import { pullRows } from '../../src/db/source.js';
import type { MatrixF32 } from '../../src/matrix.js';
import { SegmentationModel } from '../../src/model/model.js';
import { profileSegments, type ProfileResult } from '../../src/profile/profile.js';
import { expectClose } from '../helpers/dbFits.js';
import { testDatabases, type TestDatabase } from '../helpers/testDatabases.js';
import { DATA_DIR } from '../helpers/data.js';

// The byte copies of ../shared/data in the repo (test/helpers/data.ts).
const DATA = DATA_DIR.slice(0, -1);

/**
 * Keys whose numbers are counts or order statistics: equal to the last bit. The quartiles are
 * interpolated between the same order statistics, but DuckDB rounds the interpolation otherwise
 * (1 ulp seen): they are compared within the relative tolerance.
 */
const EXACT = new Set(['count', 'missing', 'size', 'rows', 'distinct', 'unmatched', 'min', 'max', 'id']);

describe.each(testDatabases())('profiles by SQL on $name', (db: TestDatabase) => {
  beforeAll(async () => {
    if (db.skip !== null) return;
    await initBackend('wasm', { strict: true, onWarning: () => {} });
    await db.start();
    await db.loadCsv(`${DATA}/user_profiles_for_ads.csv`, 'ads');
    await db.loadCsv(`${DATA}/tiktok_profilesData.csv`, 'tiktok');
    await db.loadCsv(`${DATA}/Mall_Customers.csv`, 'mall');
    // Missing and blank cells, a numeric column read as a category, a list with a blank and an
    // empty cell, a range with a value outside its levels, a constant column.
    await db.exec('CREATE TABLE edge (id INTEGER, spend DOUBLE PRECISION, visits TEXT, tier INTEGER, plan TEXT, tags TEXT, age TEXT, same DOUBLE PRECISION)');
    const rows: string[] = [];
    for (let i = 0; i < 60; i++) {
      const spend = i % 11 === 0 ? 'NULL' : String(((i * 37) % 50) + (i % 3) * 0.25);
      const visits = i % 13 === 0 ? "'  '" : i % 17 === 0 ? 'NULL' : `'${(i * 7) % 23}'`;
      const tier = i % 9 === 0 ? 'NULL' : String(i % 3);
      const plan = i % 7 === 0 ? "''" : `'${['basic', 'pro', 'team'][i % 3]}'`;
      const tags = i % 10 === 0 ? 'NULL' : i % 10 === 1 ? "' '" : i % 10 === 2 ? "','" : `'${['a, b', 'b ,c', ' a,a', 'c'][i % 4]}'`;
      const age = `'${['18-24', '25-34', '35-44', '45+ ', 'unknown'][i % 5]}'`;
      rows.push(`(${i}, ${spend}, ${visits}, ${tier}, ${plan}, ${tags}, ${age}, 2.5)`);
    }
    await db.exec(`INSERT INTO edge VALUES ${rows.join(', ')}`);
    await db.ready();
  }, 120_000);

  afterAll(async () => {
    await db.stop();
  });

  const spec = it.skipIf(db.skip !== null);

  spec.each([
    ['ads', 4, 3],
    ['tiktok', 3, 7],
    ['mall', 5, 1],
  ])('fitInDatabase profiles %s from every row as profileSegments does in memory with predict’s segments', async (table, k, seed) => {
    const fit = await fitInDatabase(db.address(table), { k, seed, onWarning: () => {} });
    const source = await openSource(db.address(table));
    try {
      const rows = await pullRows(source);
      const labels = (await fit.model.predict(rows)).segments;
      const want = profileSegments(rows, fit.schema, labels);
      expectClose(fit.profiles, want, 1e-12, '', EXACT);
      expect(fit.profiles.segments.map((s) => s.name)).toEqual(want.segments.map((s) => s.name));
      expect(fit.model.segments.map((s) => s.size)).toEqual(want.segments.map((s) => s.size));
      expect(fit.profiles.rows).toBe(rows.numRows);
    } finally {
      await source.close();
    }
  });

  /** The edge table's rows, their schema with the kinds the test gives, and a model fitted in memory on them. */
  async function edgeModel(source: Awaited<ReturnType<typeof openSource>>): Promise<{ rows: Awaited<ReturnType<typeof pullRows>>; schema: ReturnType<typeof inferKinds>; pipeline: Pipeline; model: SegmentationModel; centers: MatrixF32 }> {
    const rows = await pullRows(source);
    const schema = inferKinds(rows);
    const kinds: Record<string, string> = { id: 'id', spend: 'number', visits: 'count', tier: 'category', plan: 'category', tags: 'list', age: 'range', same: 'number' };
    for (const c of schema.columns) {
      c.kind = kinds[c.name] as typeof c.kind;
      c.use = c.kind !== 'id';
      if (c.name === 'tags') c.separator = ',';
      if (c.name === 'age') c.levels = [
          { text: '18-24', low: 18, high: 24 },
          { text: '25-34', low: 25, high: 34 },
          { text: '35-44', low: 35, high: 44 },
          { text: '45+', low: 45, high: Infinity },
        ];
    }
    const pipeline = Pipeline.fit(rows, schema, { onWarning: () => {} });
    const x = pipeline.transform(rows).matrix;
    const km = await new KMeans({ k: 3, seed: 2, nInit: 1 }).fit(x);
    const centers = { data: Float32Array.from(km.centroids.data), rows: km.centroids.rows, cols: km.centroids.cols };
    const model = SegmentationModel.fromState({ pipeline, schema, state: { type: 'kmeans', centroids: centers, inertia: km.inertia }, labels: km.labels, backend: 'cpu', seed: 2 });
    return { rows, schema, pipeline, model, centers };
  }

  spec('counts missing and blank cells, list items and range values outside the levels as profileSegments does', async () => {
    const source = await openSource(db.address('edge'));
    try {
      const { rows, schema, model } = await edgeModel(source);
      const labels = (await model.predict(rows)).segments;
      const segmented = await segmentInDatabase(source, model, profiledColumns(schema, { columns: 'all' }));
      let got: ProfileResult;
      try {
        got = (await profileInDatabase(segmented, schema, { columns: 'all' })).profiles;
      } finally {
        await segmented.drop();
      }
      const want = profileSegments(rows, schema, labels, { columns: 'all' });
      expectClose(got, want, 1e-12, '', EXACT);
      // The figures the edge cases are about, by hand from the rows above.
      const at = (name: string): number => want.columns.findIndex((c) => c.name === name);
      const pop = got.population.columns;
      expect(pop[at('spend')]).toMatchObject({ count: 54, missing: 6 });
      expect(pop[at('visits')]).toMatchObject({ count: 52, missing: 8 });
      expect(pop[at('tier')]).toMatchObject({ count: 53, missing: 7, distinct: 3 });
      expect(pop[at('plan')]).toMatchObject({ count: 51, missing: 9 });
      expect(pop[at('tags')]).toMatchObject({ count: 48, missing: 12 });
      expect(pop[at('age')]).toMatchObject({ count: 48, unmatched: 12, missing: 0 });
      expect(pop[at('same')]).toMatchObject({ mean: 2.5, std: 0, stdDiff: 0 });
    } finally {
      await source.close();
    }
  });

  spec('profiles the cells stored beside the features, labelled by the final centers, as profileSegments does with predict’s segments', async () => {
    const source = await openSource(db.address('edge'));
    try {
      const { rows, schema, pipeline, model, centers } = await edgeModel(source);
      const infos = profiledColumns(schema, { columns: 'all' });
      const features = await storeFeatures(source, pipeline, profiledCells(source, infos));
      let got: ProfileResult;
      let sizes: number[];
      try {
        expect(features.carried).toEqual(infos.map((c) => c.name));
        const segmented = await segmentStored(features, centers);
        try {
          sizes = segmented.sizes;
          got = (await profileInDatabase(segmented, schema, { columns: 'all' })).profiles;
        } finally {
          await segmented.drop();
        }
      } finally {
        await features.drop();
      }
      const labels = (await model.predict(rows)).segments;
      const want = profileSegments(rows, schema, labels, { columns: 'all' });
      expectClose(got, want, 1e-12, '', EXACT);
      expect(sizes).toEqual(want.segments.map((s) => s.size));
    } finally {
      await source.close();
    }
  });
});
