// SPDX-License-Identifier: MIT
/**
 * The fit inside PostgreSQL, on a real server the test starts (test/helpers/postgres.ts): the
 * pipeline's statistics by SQL equal Pipeline.fit's on the same rows pulled into memory; Lloyd's
 * iterations, one GROUP BY each, reach the in-memory KMeans centers from the same initial
 * centers in the same iterations; the whole fit gives a model that predict and the compiled SQL
 * apply with the sizes the database counted, and metrics equal to the in-memory ones; what is
 * wrong (the address, a refused connection, the table, a column, its type) is named.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/backend.js';
import { kmeans } from '../../src/algorithms/kmeans.js';
import { inferKinds } from '../../src/data/inferKinds.js';
import { Pipeline, type PipelineJSON, type PipelineOptions } from '../../src/data/pipeline.js';
import { sampleTable } from '../../src/data/sampleGenerator.js';
import type { Schema } from '../../src/data/schema.js';
import { writeTable } from '../../src/data/writers.js';
import { fitInDatabase } from '../../src/db/fit.js';
import { fitPipelineInDatabase } from '../../src/db/fitPipeline.js';
import { lloydInDatabase, seedOnSample, storeFeatures } from '../../src/db/lloyd.js';
import { openSource } from '../../src/db/open.js';
import { openPostgres, parsePostgresAddress } from '../../src/db/postgres.js';
import { countRows, pullRows, type DbSource } from '../../src/db/source.js';
import { ParameterError } from '../../src/errors.js';
import type { MatrixF32 } from '../../src/matrix.js';
import { clusterIndices } from '../../src/metrics/clusterIndices.js';
import { inertia } from '../../src/metrics/inertia.js';
import { parseModel, stringifyModel } from '../../src/model/file.js';
import { segment } from '../../src/workflow/segment.js';
import { loadCsvIntoPostgres } from '../helpers/databases.js';
import { findPostgres, startPostgres, type PostgresServer } from '../helpers/postgres.js';

const PG = findPostgres();
if ('missing' in PG) console.warn(`skipping the PostgreSQL tests: ${PG.missing}`);
const skip = 'missing' in PG;

const DATA = '/work/shared/data';
let server: PostgresServer;
let dir: string;
const at = (table: string): string => `postgresql://postgres@127.0.0.1:${server.port}/postgres?table=${table}`;

beforeAll(async () => {
  if (skip) return;
  await initBackend('cpu', { strict: true, onWarning: () => {} });
  server = await startPostgres(PG.bin);
  dir = mkdtempSync(join(tmpdir(), 'segments-pgfit-'));
  const c = server.client;
  await loadCsvIntoPostgres(c, `${DATA}/user_profiles_for_ads.csv`, 'ads');
  await loadCsvIntoPostgres(c, `${DATA}/user_profiles_for_ads.csv`, 'ads_text', { allText: true });
  await loadCsvIntoPostgres(c, `${DATA}/Mall_Customers.csv`, 'mall');
  await writeTable(sampleTable({ rows: 20_000, seed: 9 }).table, join(dir, 'generated.csv'), { format: 'csv' });
  await loadCsvIntoPostgres(c, join(dir, 'generated.csv'), 'generated');
  // Hostile cells: NULLs, words in a numeric column, formatted numbers, ties in a category.
  await c.query(`CREATE TABLE hostile (amount TEXT, visits INTEGER, plan TEXT, tags TEXT, paid BOOLEAN, codes INTEGER[], seen DATE)`);
  await c.query(`INSERT INTO hostile VALUES ('1,200', 3, 'a', 'x, y', true, '{1}', '2024-01-02'), ('15', NULL, 'b', 'y', false, NULL, NULL), (NULL, 0, NULL, NULL, NULL, NULL, NULL),
    ('n/a', 40, 'b', 'x,x, z', true, NULL, NULL), ('7.5', 1, 'a', '', false, NULL, NULL), ('2,000', 2, 'c', 'z', true, NULL, NULL), ('3', 100, 'c', 'y ,w', NULL, NULL, NULL)`);
  await c.query('CREATE SCHEMA crm');
  await c.query('CREATE TABLE crm.people (id BIGINT, spend NUMERIC(10,2), score DOUBLE PRECISION, plan VARCHAR(10), paid BOOLEAN)');
  await c.query("INSERT INTO crm.people VALUES (1, 12.50, 0.1, 'a', true), (2, NULL, 2.5e-300, NULL, false), (3, 3.25, NULL, 'b', NULL)");
}, 120_000);

afterAll(async () => {
  if (skip) return;
  await server?.stop();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('parsePostgresAddress', () => {
  it('reads the host, port, user, password, database and table', () => {
    expect(parsePostgresAddress('postgresql://ana@db.example:6543/crm?table=users')).toEqual({ host: 'db.example', port: 6543, user: 'ana', database: 'crm', table: 'users' });
    expect(parsePostgresAddress('postgres://ana:s%40cret@localhost/crm?table=analytics.users')).toEqual({ host: 'localhost', port: 5432, user: 'ana', password: 's@cret', database: 'crm', table: 'analytics.users' });
    expect(parsePostgresAddress('postgresql://127.0.0.1:5433?table=t')).toEqual({ host: '127.0.0.1', port: 5433, table: 't' });
  });

  it('names what is wrong with an address, never printing its password', () => {
    expect(() => parsePostgresAddress('mysql://a@b/c?table=t')).toThrow(new ParameterError('postgres', 'input', "'mysql://a@b/c?table=t' is not a PostgreSQL address: it must start with 'postgresql://' (e.g. postgresql://user@localhost:5432/db?table=users)"));
    expect(() => parsePostgresAddress('postgresql://ana:secret@h/db')).toThrow("postgres: 'postgresql://ana:***@h/db' names no table: add ?table=NAME (a table, or schema.table)");
    expect(() => parsePostgresAddress('postgresql://h/db?table=t&sslmode=require')).toThrow("unknown option 'sslmode' (the only option is table=NAME)");
    expect(() => parsePostgresAddress('postgresql://h/db?table=a..b')).toThrow(/names no table/);
  });
});

describe.skipIf(skip)('openPostgres and pullRows', () => {
  it('lists the columns with their types and pulls the rows: numbers as Float64, booleans, text; a repeatable sample', async () => {
    const s = await openPostgres(at('crm.people'));
    try {
      expect(s.columns).toEqual([
        { name: 'id', type: 'bigint' },
        { name: 'spend', type: 'numeric' },
        { name: 'score', type: 'double precision' },
        { name: 'plan', type: 'character varying' },
        { name: 'paid', type: 'boolean' },
      ]);
      expect(await countRows(s)).toBe(3);
      const t = await pullRows(s);
      expect(t.schema.fields.map((f) => String(f.type))).toEqual(['Float64', 'Float64', 'Float64', 'Utf8', 'Bool']);
      expect(t.toArray().map((r) => r.toJSON())).toEqual([
        { id: 1, spend: 12.5, score: 0.1, plan: 'a', paid: true },
        { id: 2, spend: null, score: 2.5e-300, plan: null, paid: false },
        { id: 3, spend: 3.25, score: null, plan: 'b', paid: null },
      ]);
      const ids = async (seed: number): Promise<number[]> => Array.from((await pullRows(s, { sample: 2, seed })).getChild('id')!.toArray() as Float64Array);
      const first = await ids(4);
      expect(first).toHaveLength(2);
      expect(await ids(4)).toEqual(first);
      expect((await pullRows(s, { sample: 10, seed: 1 })).numRows).toBe(3);
    } finally {
      await s.close();
    }
  });

  it('names a refused connection by host:port, a missing table with the tables there are, a missing database', async () => {
    // A port nothing listens on: the server's own, once it is stopped, is not at hand; port 1 is privileged and unused here.
    await expect(openPostgres('postgresql://postgres@127.0.0.1:1/postgres?table=ads')).rejects.toMatchObject({
      name: 'DataError',
      message: 'postgres: cannot connect to PostgreSQL at 127.0.0.1:1: connection refused (no server listens there)',
    });
    await expect(openPostgres(at('users'))).rejects.toMatchObject({
      name: 'DataError',
      argument: 'table',
      message: `postgres: the table "users" does not exist in the database at 127.0.0.1:${server.port} (its tables: ads, ads_text, generated, hostile, mall)`,
    });
    await expect(openPostgres(`postgresql://postgres@127.0.0.1:${server.port}/nowhere?table=ads`)).rejects.toThrow(`postgres: cannot connect to PostgreSQL at 127.0.0.1:${server.port}, database "nowhere": database "nowhere" does not exist`);
  });
});

/** The in-memory fit and the in-database fit of `table` with `options`. */
async function bothFits(table: string, options: PipelineOptions, edit?: (s: Schema) => void): Promise<{ memory: PipelineJSON; database: PipelineJSON; warnings: [string[], string[]] }> {
  const source = await openPostgres(at(table));
  try {
    const rows = await pullRows(source);
    const schema = inferKinds(rows);
    edit?.(schema);
    const w1: string[] = [];
    const w2: string[] = [];
    const memory = Pipeline.fit(rows, schema, { ...options, onWarning: (m) => w1.push(m) }).toJSON();
    const database = (await fitPipelineInDatabase(source, schema, { ...options, onWarning: (m) => w2.push(m) })).toJSON();
    return { memory, database, warnings: [w1, w2] };
  } finally {
    await source.close();
  }
}

/** Expects the same JSON, numbers within `rel` relative (exact where rel is 0, and for imputed values and items). */
function expectClose(got: unknown, want: unknown, rel: number, path = ''): void {
  if (typeof want === 'number' && typeof got === 'number') {
    if (rel === 0 || want === 0) expect(got, path).toBe(want);
    else expect(Math.abs(got - want) / Math.abs(want), `${path}: ${got} vs ${want}`).toBeLessThanOrEqual(rel);
    return;
  }
  if (want === null || typeof want !== 'object') {
    expect(got, path).toEqual(want);
    return;
  }
  expect(Object.keys(got as object).sort(), path).toEqual(Object.keys(want).sort());
  for (const [k, v] of Object.entries(want)) expectClose((got as Record<string, unknown>)[k], v, k === 'value' || k === 'items' ? 0 : rel, `${path}.${k}`);
}

describe.skipIf(skip)('fitPipelineInDatabase on PostgreSQL', () => {
  for (const table of ['ads', 'ads_text', 'mall']) {
    for (const scaler of ['standard', 'robust'] as const) {
      it(`gives the in-memory fit's pipeline on ${table} with the ${scaler} scaler (sums within 1e-9, medians exact)`, async () => {
        const { memory, database } = await bothFits(table, { scaler, log1p: true });
        expectClose(database, memory, 1e-9);
      });
    }
  }

  it('gives the in-memory pipeline on 20,000 generated users (ranges, lists, categories, counts, log1p auto, min-max)', async () => {
    const { memory, database } = await bothFits('generated', { scaler: 'minmax' });
    expect(memory.steps.map((s) => s.encoder?.type ?? 'number')).toEqual(expect.arrayContaining(['ordinal', 'multihot', 'onehot', 'number']));
    expectClose(database, memory, 1e-9);
  });

  it('reads formatted numbers, words, NULLs, lists with repeats and booleans as the in-memory fit does, and warns alike', async () => {
    const { memory, database, warnings } = await bothFits('hostile', { scaler: 'robust' }, (s) => {
      for (const c of s.columns) {
        if (c.name === 'plan') Object.assign(c, { kind: 'category', use: true });
        if (c.name === 'tags') Object.assign(c, { kind: 'list', use: true, separator: ',' });
        if (c.name === 'visits') Object.assign(c, { kind: 'count', use: true });
        if (c.name === 'amount') Object.assign(c, { kind: 'number', use: true, numberFormat: { thousands: ',' } });
        if (c.name === 'paid') Object.assign(c, { kind: 'flag', use: true });
        if (c.name === 'codes' || c.name === 'seen') c.use = false;
      }
    });
    expect(memory.steps.map((s) => s.column)).toEqual(['amount', 'visits', 'plan', 'tags', 'paid']);
    expectClose(database, memory, 0);
    expect(warnings[1]).toEqual(warnings[0]);
  });

  it('names a column the table lacks, and a column of a type its kind is not read from', async () => {
    const source = await openPostgres(at('hostile'));
    try {
      const schema = inferKinds(await pullRows(source));
      const kinds = (edits: Record<string, string>): Schema => ({ ...schema, columns: schema.columns.map((c) => (c.name in edits ? { ...c, kind: edits[c.name], use: true } : { ...c, use: c.name === 'plan' })) as Schema['columns'] });
      const missing = kinds({});
      missing.columns.push({ ...schema.columns[0], name: 'nope', use: true, kind: 'number' });
      await expect(fitPipelineInDatabase(source, missing)).rejects.toMatchObject({ name: 'DataError', column: 'nope', message: 'fitInDatabase: the table "hostile" lacks column(s): "nope"' });
      await expect(fitPipelineInDatabase(source, kinds({ codes: 'category' }))).rejects.toMatchObject({
        name: 'DataError',
        column: 'codes',
        message: 'fitInDatabase: column "codes" of the table "hostile" has type ARRAY; as a category column it must be a single value (a number, text or a boolean)',
      });
      await expect(fitPipelineInDatabase(source, kinds({ seen: 'number' }))).rejects.toMatchObject({
        column: 'seen',
        message: 'fitInDatabase: column "seen" of the table "hostile" has type date; as a number column it must be a numeric or text column',
      });
      await expect(fitPipelineInDatabase(source, kinds({ visits: 'list' }))).rejects.toMatchObject({
        column: 'visits',
        message: "fitInDatabase: column \"visits\" of the table \"hostile\" has type integer; as a list column it must be a text column (items separated by ',')",
      });
    } finally {
      await source.close();
    }
  });
});

/** Each feature's standard deviation over the rows: the scale a center's error is measured on. */
function spreads(m: MatrixF32): Float64Array {
  const out = new Float64Array(m.cols);
  for (let j = 0; j < m.cols; j++) {
    let s = 0;
    let q = 0;
    for (let i = 0; i < m.rows; i++) {
      s += m.data[i * m.cols + j];
      q += m.data[i * m.cols + j] ** 2;
    }
    out[j] = Math.sqrt(Math.max(q / m.rows - (s / m.rows) ** 2, 1e-12));
  }
  return out;
}

describe.skipIf(skip)('lloydInDatabase on PostgreSQL', () => {
  let source: DbSource;
  let matrix: MatrixF32;
  let features: Awaited<ReturnType<typeof storeFeatures>>;

  beforeAll(async () => {
    source = await openPostgres(at('ads'));
    const rows = await pullRows(source);
    const pipeline = await fitPipelineInDatabase(source, inferKinds(rows), { onWarning: () => {} });
    matrix = pipeline.transform(rows).matrix;
    features = await storeFeatures(source, pipeline);
  });

  afterAll(async () => {
    await features?.drop();
    await source?.close();
  });

  const expectSameCenters = (got: { data: ArrayLike<number> }, want: { data: ArrayLike<number> }): void => {
    const spread = spreads(matrix);
    for (let i = 0; i < want.data.length; i++) expect(Math.abs(got.data[i] - want.data[i]) / spread[i % matrix.cols], `center ${Math.floor(i / matrix.cols)} feature ${i % matrix.cols}`).toBeLessThanOrEqual(1e-6);
  };

  it('stores one feature row per table row, the in-memory features', async () => {
    expect([features.rows, features.cols]).toEqual([matrix.rows, matrix.cols]);
    const stored = await source.query(`SELECT * FROM "${features.table}" ORDER BY ctid`);
    for (let i = 0; i < matrix.rows; i += 97) for (let j = 0; j < matrix.cols; j++) expect(Number(stored[i][`__segments_f${j}`])).toBe(matrix.data[i * matrix.cols + j]);
  });

  for (const k of [3, 6]) {
    it(`reaches the in-memory KMeans centers (k=${k}) in the same iterations from the same k-means++ seeds`, async () => {
      const init = await seedOnSample(matrix, k, 7);
      const memory = await kmeans(matrix, { k, init, refine: false, nInit: 1, maxIter: 100, tol: 1e-4, onWarning: () => {} });
      const db = await lloydInDatabase(features, init, { maxIter: 100, tol: 1e-4 });
      expect([db.nIter, db.converged]).toEqual([memory.nIter, memory.converged]);
      expectSameCenters(db.centroids, memory.centroids);
      expect(Math.abs(db.inertia - memory.inertia) / memory.inertia).toBeLessThanOrEqual(1e-6);
      const sizes = new Float64Array(k);
      for (const l of memory.labels) sizes[l]++;
      expect(Array.from(db.sizes)).toEqual(Array.from(sizes));
    });
  }

  it('gives an emptied cluster the row farthest from its center, as KMeans does', async () => {
    const one = await seedOnSample(matrix, 3, 3);
    const init = { data: Float32Array.from([...one.data.subarray(0, 2 * matrix.cols), ...one.data.subarray(0, matrix.cols)]), rows: 3, cols: matrix.cols };
    const memory = await kmeans(matrix, { k: 3, init, refine: false, nInit: 1, maxIter: 100, onWarning: () => {} });
    const db = await lloydInDatabase(features, init, { maxIter: 100 });
    expect(db.nIter).toBe(memory.nIter);
    expectSameCenters(db.centroids, memory.centroids);
  });
});

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

describe.skipIf(skip)('fitInDatabase on PostgreSQL', () => {
  it('writes a model that predict and the compiled SQL apply with the sizes the database counted, and metrics equal to the in-memory ones', async () => {
    const fit = await fitInDatabase(at('ads'), { k: 4, seed: 3, onWarning: () => {} });
    expect(fit.rows).toBe(1000);
    const model = parseModel(stringifyModel(fit.model));
    expect(model.training.backend).toBe('postgres');
    const source = await openSource(at('ads'));
    try {
      const rows = await pullRows(source);
      const predicted = (await model.predict(rows)).segments;
      const sizes = [0, 0, 0, 0];
      for (const s of predicted) sizes[s]++;
      expect(sizes).toEqual(Array.from(fit.lloyd.sizes));
      expect(model.segments.map((s) => s.size)).toEqual(sizes);
      const bySql = await source.query(`SELECT "User ID" AS id, segment FROM (${model.toSQL({ dialect: 'postgres', table: 'ads', key: 'User ID' })}) AS s ORDER BY id`);
      const ids = rows.getChild('User ID')!.toArray() as Float64Array;
      const segmentOfId = new Map(Array.from(ids, (id, i) => [id, predicted[i]]));
      expect(bySql).toHaveLength(1000);
      expect(bySql.map((r) => Number(r.segment))).toEqual(bySql.map((r) => segmentOfId.get(Number(r.id))));
      const x = model.pipeline.transform(rows).matrix;
      const want = await clusterIndices(x, predicted);
      expect(rel(fit.metrics.calinskiHarabasz as number, want.calinskiHarabasz)).toBeLessThan(1e-6);
      expect(rel(fit.metrics.daviesBouldin as number, want.daviesBouldin)).toBeLessThan(1e-6);
      expect(rel(fit.metrics.inertia, await inertia(x, predicted))).toBeLessThan(1e-6);
    } finally {
      await source.close();
    }
  });

  it('chooses k on a sample when k is not given', async () => {
    const fit = await fitInDatabase(at('ads'), { kMin: 2, kMax: 3, sampleRows: 300, seed: 5, onWarning: () => {} });
    expect(fit.sampleRows).toBe(300);
    expect(fit.kReason).toMatch(/\(chosen on a sample of 300 of 1000 rows; its centers seed the fit of every row\)$/);
    expect(fit.model.segments.reduce((a, s) => a + s.size, 0)).toBe(1000);
  });

  it('segment() pulls the rows of a PostgreSQL table into memory', async () => {
    const result = await segment(at('mall'), { k: 3, backend: 'cpu' });
    expect(result.model.segments.reduce((a, s) => a + s.size, 0)).toBe(200);
  });

  it('names a refused connection, a missing table and a missing column', async () => {
    await expect(fitInDatabase('postgresql://postgres@127.0.0.1:1/postgres?table=ads', { k: 2 })).rejects.toThrow('cannot connect to PostgreSQL at 127.0.0.1:1: connection refused');
    await expect(fitInDatabase(at('nope'), { k: 2 })).rejects.toMatchObject({ name: 'DataError', argument: 'table' });
    await expect(fitInDatabase(at('ads'), { k: 2, onWarning: () => {}, editSchema: (s) => s.columns.push({ ...s.columns[1], name: 'Height' }) })).rejects.toMatchObject({ name: 'DataError', column: 'Height' });
  });
});
