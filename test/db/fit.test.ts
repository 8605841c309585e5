// SPDX-License-Identifier: MIT
/**
 * The whole fit inside DuckDB and PostgreSQL: its model.json is a model as any other (predict and the compiled
 * SQL take it and agree with the database's segment sizes), and its metrics by SQL equal the
 * library's metrics on the same rows in memory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/backend.js';
import { clusterIndices } from '../../src/metrics/clusterIndices.js';
import { inertia } from '../../src/metrics/inertia.js';
import { silhouetteScore } from '../../src/metrics/silhouette.js';
import { parseModel, stringifyModel } from '../../src/model/file.js';
import { fitInDatabase } from '../../src/db/fit.js';
import { openSource } from '../../src/db/open.js';
import { expectPredictMatchesSql } from '../helpers/dbFits.js';
import { startWithTables, testDatabases, type TestDatabase } from '../helpers/testDatabases.js';
import { DATA_DIR } from '../helpers/data.js';

// The byte copies of ../shared/data in the repo (test/helpers/data.ts).
const DATA = DATA_DIR.slice(0, -1);

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

describe.each(testDatabases())('fitInDatabase on $name', (db: TestDatabase) => {
  beforeAll(async () => {
    if (db.skip !== null) return;
    await initBackend('wasm', { strict: true, onWarning: () => {} });
    await startWithTables(db, { ads: `${DATA}/user_profiles_for_ads.csv` });
  }, 60_000);

  afterAll(async () => {
    await db.stop();
  });

  const spec = it.skipIf(db.skip !== null);
  spec('writes a model that predict and the compiled SQL apply with the sizes the database counted, and metrics equal to the in-memory ones', async () => {
    const fit = await fitInDatabase(db.address('ads'), { k: 4, seed: 3, onWarning: () => {} });
    expect(fit.rows).toBe(1000);
    expect(fit.kReason).toBe('k = 4 as given (k-means++ seeds drawn from a sample of 1000 rows)');
    const model = parseModel(stringifyModel(fit.model));
    expect(model.training.backend).toBe(db.name === 'DuckDB' ? 'duckdb' : 'postgres');
    const source = await openSource(db.address('ads'));
    try {
      const { rows, predicted } = await expectPredictMatchesSql(model, source, 'User ID', fit.lloyd.sizes);
      // Metrics: the library's, on the rows in memory labelled by predict.
      const x = model.pipeline.transform(rows).matrix;
      const want = await clusterIndices(x, predicted);
      expect(rel(fit.metrics.calinskiHarabasz as number, want.calinskiHarabasz)).toBeLessThan(1e-6);
      expect(rel(fit.metrics.daviesBouldin as number, want.daviesBouldin)).toBeLessThan(1e-6);
      expect(rel(fit.metrics.inertia, await inertia(x, predicted))).toBeLessThan(1e-6);
      // The sample is the whole table here (1000 < 10,000 rows): the silhouette on it is the table's.
      expect(fit.sampleRows).toBe(1000);
      expect(rel(fit.metrics.silhouetteOnSample as number, await silhouetteScore(x, predicted))).toBeLessThan(1e-6);
    } finally {
      await source.close();
    }
  });

  spec('chooses k on the sample when k is not given, and says so', async () => {
    const fit = await fitInDatabase(db.address('ads'), { kMin: 2, kMax: 3, sampleRows: 300, seed: 5, onWarning: () => {} });
    expect(fit.sampleRows).toBe(300);
    expect(fit.kReason).toMatch(/\(chosen on a sample of 300 of 1000 rows; its centers seed the fit of every row\)$/);
    expect(fit.model.segments.reduce((a, s) => a + s.size, 0)).toBe(1000);
  });

  spec('names a missing table and a missing column', async () => {
    await expect(fitInDatabase(db.address('users'))).rejects.toMatchObject({ name: 'DataError', argument: 'table', message: expect.stringContaining('the table "users" does not exist in') });
    await expect(fitInDatabase(db.address('ads'), { exclude: [], editSchema: (s) => s.columns.push({ ...s.columns[1], name: 'Height' }) })).rejects.toMatchObject({
      name: 'DataError',
      column: 'Height',
    });
    await expect(fitInDatabase(db.address('ads'), { k: 0 })).rejects.toThrow("fitInDatabase: k=0 must be an integer >= 1 or 'auto'");
    await expect(fitInDatabase(db.address('ads'), { k: 'many' as never })).rejects.toThrow("fitInDatabase: k='many' must be an integer >= 1 or 'auto'");
    await expect(fitInDatabase(db.address('ads'), { sampleRows: 1 })).rejects.toMatchObject({ argument: 'sampleRows', message: 'fitInDatabase: sampleRows=1 must be an integer >= 2' });
  });

  it.skipIf(db.name !== 'DuckDB')('names what is wrong with a DuckDB address: no file, no table', async () => {
    const path = db.address('ads').slice('duckdb:'.length, -'?table=ads'.length);
    const dir = path.slice(0, path.lastIndexOf('/'));
    await expect(fitInDatabase('duckdb:')).rejects.toThrow("duckdb: 'duckdb:' names no database file");
    await expect(fitInDatabase(`duckdb:${path}`)).rejects.toThrow('names no table: add ?table=NAME');
    await expect(fitInDatabase(`duckdb:${path}?tabel=ads`)).rejects.toThrow("unknown option 'tabel'");
    await expect(fitInDatabase(`duckdb:${dir}/nope.db?table=ads`)).rejects.toMatchObject({ name: 'DataError', message: `duckdb: 'duckdb:${dir}/nope.db?table=ads': there is no file '${dir}/nope.db'` });
    await expect(fitInDatabase(`duckdb:${path}?table=users`)).rejects.toMatchObject({ name: 'DataError', argument: 'table', message: `duckdb: the table "users" does not exist in '${path}' (its tables: ads)` });
  });
});
