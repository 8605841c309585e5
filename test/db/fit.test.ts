// SPDX-License-Identifier: MIT
/**
 * The whole fit inside DuckDB: its model.json is a model as any other (predict and the compiled
 * SQL take it and agree with the database's segment sizes), and its metrics by SQL equal the
 * library's metrics on the same rows in memory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/backend.js';
import { clusterIndices } from '../../src/metrics/clusterIndices.js';
import { inertia } from '../../src/metrics/inertia.js';
import { silhouetteScore } from '../../src/metrics/silhouette.js';
import { parseModel, stringifyModel } from '../../src/model/file.js';
import { openDuckDB } from '../../src/db/duckdb.js';
import { pullRows } from '../../src/db/source.js';
import { fitInDatabase } from '../../src/db/fit.js';

const DATA = '/work/shared/data';
let dir: string;
let path: string;

beforeAll(async () => {
  await initBackend('cpu', { strict: true, onWarning: () => {} });
  dir = mkdtempSync(join(tmpdir(), 'segments-dbfit-'));
  path = join(dir, 'users.db');
  const instance = await DuckDBInstance.create(path);
  const c = await instance.connect();
  await c.run(`CREATE TABLE ads AS SELECT * FROM read_csv('${DATA}/user_profiles_for_ads.csv')`);
  c.closeSync();
  instance.closeSync();
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

describe('fitInDatabase', () => {
  it('writes a model that predict and the compiled SQL apply with the sizes the database counted, and metrics equal to the in-memory ones', async () => {
    const fit = await fitInDatabase(`duckdb:${path}?table=ads`, { k: 4, seed: 3, onWarning: () => {} });
    expect(fit.rows).toBe(1000);
    expect(fit.kReason).toBe('k = 4 as given (k-means++ seeds drawn from a sample of 1000 rows)');
    const model = parseModel(stringifyModel(fit.model));
    expect(model.training.backend).toBe('duckdb');
    const source = await openDuckDB(`duckdb:${path}?table=ads`);
    try {
      const rows = await pullRows(source);
      const predicted = (await model.predict(rows)).segments;
      const sizes = [0, 0, 0, 0];
      for (const s of predicted) sizes[s]++;
      expect(sizes).toEqual(Array.from(fit.lloyd.sizes));
      expect(model.segments.map((s) => s.size)).toEqual(sizes);
      const bySql = await source.query(`SELECT "User ID" AS id, segment FROM (${model.toSQL({ dialect: 'duckdb', table: 'ads', key: 'User ID' })}) ORDER BY id`);
      const ids = rows.getChild('User ID')!.toArray() as Float64Array;
      const segmentOfId = new Map(Array.from(ids, (id, i) => [id, predicted[i]]));
      expect(bySql.map((r) => Number(r.segment))).toEqual(bySql.map((r) => segmentOfId.get(Number(r.id))));
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

  it('chooses k on the sample when k is not given, and says so', async () => {
    const fit = await fitInDatabase(`duckdb:${path}?table=ads`, { kMin: 2, kMax: 3, sampleRows: 300, seed: 5, onWarning: () => {} });
    expect(fit.sampleRows).toBe(300);
    expect(fit.kReason).toMatch(/\(chosen on a sample of 300 of 1000 rows; its centers seed the fit of every row\)$/);
    expect(fit.model.segments.reduce((a, s) => a + s.size, 0)).toBe(1000);
  });

  it('names what is wrong: the address, the file, the table', async () => {
    await expect(fitInDatabase('duckdb:')).rejects.toThrow("duckdb: 'duckdb:' names no database file");
    await expect(fitInDatabase(`duckdb:${path}`)).rejects.toThrow('names no table: add ?table=NAME');
    await expect(fitInDatabase(`duckdb:${path}?tabel=ads`)).rejects.toThrow("unknown option 'tabel'");
    await expect(fitInDatabase(`duckdb:${dir}/nope.db?table=ads`)).rejects.toMatchObject({ name: 'DataError', message: `duckdb: 'duckdb:${dir}/nope.db?table=ads': there is no file '${dir}/nope.db'` });
    await expect(fitInDatabase(`duckdb:${path}?table=users`)).rejects.toMatchObject({ name: 'DataError', argument: 'table', message: `duckdb: the table "users" does not exist in '${path}' (its tables: ads)` });
    await expect(fitInDatabase(`duckdb:${path}?table=ads`, { exclude: [], editSchema: (s) => s.columns.push({ ...s.columns[1], name: 'Height' }) })).rejects.toMatchObject({
      name: 'DataError',
      column: 'Height',
    });
    await expect(fitInDatabase(`duckdb:${path}?table=ads`, { k: 0 })).rejects.toThrow("fitInDatabase: k=0 must be an integer >= 1 or 'auto'");
  });
});
