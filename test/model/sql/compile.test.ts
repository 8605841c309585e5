// SPDX-License-Identifier: MIT
/**
 * model.toSQL against model.predict on real databases: DuckDB embedded and a database of this
 * file's own on the run's PostgreSQL server. For each shared dataset a model is fitted here with the library, the
 * CSV's cells are loaded into the database as text (NULL where the reader sees a missing value),
 * and the query's segment must equal predict's on every row, its distance within 1e-6 relative.
 * The same for hostile rows (NULLs, unseen categories and items, numbers out of range or
 * written oddly), read through the CSV reader as a user's file is.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KMeans } from '../../../src/algorithms/kmeans.js';
import { initBackend } from '../../../src/backend/backend.js';
import { inferKinds } from '../../../src/data/inferKinds.js';
import { Pipeline, type PipelineOptions } from '../../../src/data/pipeline.js';
import { readTable } from '../../../src/data/readTable.js';
import type { Schema } from '../../../src/data/schema.js';
import { DataError, ParameterError } from '../../../src/errors.js';
import { parseModel } from '../../../src/model/file.js';
import { SegmentationModel } from '../../../src/model/model.js';
import { checkColumns, columnsSQL } from '../../../src/model/sql/columns.js';
import { DIALECT_NAMES } from '../../../src/model/sql/dialects.js';
import type { KMeansState } from '../../../src/model/state.js';
import { DATA_FILES, dataPath } from '../../helpers/data.js';
import { csvTextCells, loadText, openDuckDB, postgresDb, predictDisagreements, type TestDb } from '../../helpers/databases.js';
import { openTestDatabase, runPostgres, type PostgresDatabase } from '../../helpers/postgres.js';

const PG = runPostgres();
if ('missing' in PG) console.warn(`skipping the PostgreSQL tests: ${PG.missing}`);

let dir: string;
let duck: TestDb;
let server: PostgresDatabase | null = null;
const databases: Array<{ name: string; db: () => TestDb; skip: string | null }> = [
  { name: 'DuckDB', db: () => duck, skip: null },
  { name: 'PostgreSQL', db: () => postgresDb((server as PostgresDatabase).client), skip: 'missing' in PG ? PG.missing : null },
];

beforeAll(async () => {
  await initBackend('wasm', { strict: true, onWarning: () => {} });
  dir = mkdtempSync(join(tmpdir(), 'segments-sql-'));
  duck = await openDuckDB();
  if ('port' in PG) server = await openTestDatabase(PG.port);
}, 60_000);

afterAll(async () => {
  await duck?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const fitted = new Map<string, Promise<{ model: SegmentationModel; schema: Schema }>>();

/** A model fitted here (once per file and options): inferred kinds, the pipeline with `options`, seeded k-means. */
function fitModel(path: string, options: PipelineOptions, k = 4): Promise<{ model: SegmentationModel; schema: Schema }> {
  const key = JSON.stringify([path, options, k]);
  if (!fitted.has(key)) fitted.set(key, fitNew(path, options, k));
  return fitted.get(key) as Promise<{ model: SegmentationModel; schema: Schema }>;
}

async function fitNew(path: string, options: PipelineOptions, k: number): Promise<{ model: SegmentationModel; schema: Schema }> {
  const { table } = await readTable(path, { onBadRows: 'null' });
  const schema = inferKinds(table);
  const pipeline = Pipeline.fit(table, schema, { onWarning: () => {}, ...options });
  const result = await new KMeans({ k, seed: 3, nInit: 1 }).fit(pipeline.transform(table).matrix);
  return { model: SegmentationModel.fromFit({ pipeline, schema, result }), schema };
}

/** Loads the CSV at `path` into `db` as `table`, runs the model's query and predict on the same file, and returns the rows that disagree. */
async function disagreements(db: TestDb, model: SegmentationModel, path: string, table: string): Promise<{ rows: number; bad: string[]; refused: string[] }> {
  const { columns, rows } = csvTextCells(path);
  const { table: arrowTable } = await readTable(path, { onBadRows: 'null' });
  expect(rows.length, `${path}: rows loaded into the database and rows read`).toBe(arrowTable.numRows);
  await loadText(db, table, columns, rows);
  // predict gives no segment to a row with a number it cannot read; SQL fills the median there
  // (README: where the SQL and predict can differ). Those rows are returned, not compared.
  const predicted = await model.predict(arrowTable, { onBadRows: 'null' });
  const got = await db.query(model.toSQL({ dialect: db.dialect, table, key: '__row' }));
  expect(got.length).toBe(rows.length);
  return { rows: got.length, bad: predictDisagreements(got, predicted), refused: predicted.badRows.map((b) => b.reason) };
}

/** Writes rows of text cells (null: an empty field) as a CSV, every other field quoted. */
function writeCsv(path: string, columns: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | null>>): void {
  const field = (v: string | null): string => (v === null ? '' : `"${v.replaceAll('"', '""')}"`);
  writeFileSync(path, [columns.map(field), ...rows.map((r) => r.map(field))].map((r) => r.join(',')).join('\n') + '\n');
}

/** Odd cells by kind of column. */
const HOSTILE: Record<string, Array<string | null>> = {
  number: [null, 'abc', ' 12.5 ', '.5', '5.', '-5', '1e3', '123456789012', '0x1A', '-0'],
  count: [null, 'many', '0', '-100', '1e9', ' 7 ', '3.5'],
  range: [null, '200+', '18-24 ', 'unknown'],
  category: [null, 'Martian', ' Male', 'male', 'TRUE'],
  // Spellings the CSV reader keeps a column of booleans for; a word that is neither ('maybe')
  // turns the whole column into text, where predict reads 'TRUE' as not a value and SQL as true.
  flag: [null, 'TRUE', 'False', ' true '],
  list: [null, '  ', 'Knitting, Knitting,  Travel ,,', 'Travel', 'Travel;Gaming', '\tTravel\t,\nGaming, Gaming'],
};

/** Rows of the dataset, each with one cell of one used column replaced by an odd value, and one row of NULLs only. */
function hostileRows(model: SegmentationModel, columns: readonly string[], base: ReadonlyArray<ReadonlyArray<string | null>>): Array<Array<string | null>> {
  const out: Array<Array<string | null>> = [columns.map(() => null)];
  for (const step of model.pipeline.steps) {
    const j = columns.indexOf(step.column);
    for (const value of HOSTILE[step.kind] ?? []) {
      const row = [...base[out.length % base.length]];
      row[j] = value;
      out.push(row);
    }
  }
  return out;
}

/** Models: every shared dataset, every scaler, ranges ordinal and one-hot, log1p on and off. */
const CASES: Array<{ file: (typeof DATA_FILES)[number]; options: PipelineOptions }> = [
  { file: 'Mall_Customers.csv', options: { scaler: 'standard' } },
  { file: 'social_media_wellbeing_test.csv', options: { scaler: 'robust', log1p: true } },
  { file: 'social_media_wellbeing_train.csv', options: { scaler: 'minmax', log1p: 'auto' } },
  { file: 'tiktok_profilesData.csv', options: { scaler: 'robust', log1p: 'auto' } },
  { file: 'user_profiles_for_ads.csv', options: { scaler: 'standard', rangeEncoding: 'ordinal' } },
  { file: 'user_profiles_for_ads.csv', options: { scaler: 'none', rangeEncoding: 'onehot', log1p: false } },
];

describe.each(databases)('model.toSQL on $name', ({ db, skip }) => {
  it.skipIf(skip !== null).each(CASES)('gives predict’s segment and distance on every row of $file ($options.scaler scaler)', async ({ file, options }) => {
    const { model } = await fitModel(dataPath(file), options);
    const { rows, bad } = await disagreements(db(), model, dataPath(file), 'users');
    expect(rows).toBeGreaterThan(100);
    expect(bad).toEqual([]);
  }, 60_000);

  it.skipIf(skip !== null).each(CASES)('gives predict’s segment and distance on hostile rows for a model of $file ($options.scaler scaler)', async ({ file, options }) => {
    const { model } = await fitModel(dataPath(file), options);
    const { columns, rows } = csvTextCells(dataPath(file));
    const path = join(dir, `hostile-${file}`);
    writeCsv(path, columns, hostileRows(model, columns, rows.slice(0, 50)));
    const { rows: n, bad } = await disagreements(db(), model, path, 'hostile');
    expect(n).toBeGreaterThan(10);
    expect(bad).toEqual([]);
  }, 60_000);

  it.skipIf(skip !== null)('reads numbers written with a currency sign, thousands separators and percent signs as predict does', async () => {
    // A table written here: spend as `$1,234.50`, share as `12.5%`, with a plan category.
    const plans = ['basic', 'plus', 'pro'];
    const rows: Array<Array<string | null>> = [];
    for (let i = 0; i < 300; i++) {
      const spend = ((i * 7919) % 250000) / 100 + (i % 3) * 1000;
      const whole = Math.floor(spend).toLocaleString('en-US');
      rows.push([String(i), `$${whole}.${String(Math.round((spend % 1) * 100)).padStart(2, '0')}`, `${((i * 37) % 1000) / 10}%`, plans[i % 3]]);
    }
    const columns = ['id', 'spend', 'share', 'plan'];
    const path = join(dir, 'formatted.csv');
    writeCsv(path, columns, rows);
    const { model, schema } = await fitModel(path, { scaler: 'standard' }, 3);
    expect(schema.columns.find((c) => c.name === 'spend')?.numberFormat).toEqual({ thousands: ',', currency: '$' });
    expect(schema.columns.find((c) => c.name === 'share')?.numberFormat).toEqual({ percent: true });
    const fitted = await disagreements(db(), model, path, 'formatted');
    expect(fitted.bad).toEqual([]);
    const odd: Array<Array<string | null>> = [
      ['a', '$ 1,234', '12 %', 'basic'],
      ['b', '-$5', '-3%', 'plus'],
      ['c', '1,23', '5', 'pro'],
      ['d', '1234', '%', 'pro'],
      ['e', '$1234.5', '1,000%', 'basic'],
      ['f', 'USD 5', '12.5 % ', 'plus'],
      ['g', '1,234,567.89', null, null],
      ['h', null, '0.5%', 'gold'],
      ['i', '$1,2345', '50%%', 'basic'],
    ];
    const oddPath = join(dir, 'formatted-odd.csv');
    writeCsv(oddPath, columns, [...rows.slice(0, 3), ...odd]);
    const hostile = await disagreements(db(), model, oddPath, 'formatted_odd');
    expect(hostile.bad).toEqual([]);
    // the cells that are not numbers in their column's format, which predict refuses
    expect(hostile.refused).toEqual([
      "column 'spend': '1,23' is not a number",
      "column 'share': '%' is not a number",
      "column 'share': '1,000%' is not a number",
      "column 'spend': 'USD 5' is not a number",
      "column 'spend': '$1,2345' is not a number",
    ]);
  }, 60_000);

  it.skipIf(skip !== null)('reads numbers written with decimal commas, a currency sign after them and parentheses for negatives as predict does', async () => {
    // A table written here: balance as `1.234,50 €` or `(1.234,50 €)`, rate as `12,5 %`.
    const rows: Array<Array<string | null>> = [];
    const euro = (x: number): string => {
      const [whole, cents] = Math.abs(x).toFixed(2).split('.');
      const text = `${whole.replace(/\B(?=(\d{3})+$)/g, '.')},${cents} €`;
      return x < 0 ? `(${text})` : text;
    };
    for (let i = 0; i < 300; i++) {
      const balance = (((i * 7919) % 500000) - 150000) / 100 + (i % 4) * 2000;
      rows.push([String(i), euro(balance), `${String(((i * 37) % 1000) / 10).replace('.', ',')} %`]);
    }
    const columns = ['id', 'balance', 'rate'];
    const path = join(dir, 'european.csv');
    writeCsv(path, columns, rows);
    const { model, schema } = await fitModel(path, { scaler: 'standard' }, 3);
    expect(schema.columns.find((c) => c.name === 'balance')?.numberFormat).toEqual({ decimal: ',', thousands: '.', currency: '€', parentheses: true });
    expect(schema.columns.find((c) => c.name === 'rate')?.numberFormat).toEqual({ decimal: ',', percent: true });
    const fitted = await disagreements(db(), model, path, 'european');
    expect(fitted.bad).toEqual([]);
    expect(fitted.refused).toEqual([]);
    const odd: Array<Array<string | null>> = [
      ['a', '€ 1.234,5', '12,5%', 'basic'],
      ['b', '-1.234,50 €', '−3 %', 'plus'],
      ['c', '(€ 5)', ',5 %', 'pro'],
      ['d', '1234,5', '5,', 'pro'],
      ['e', ' 1.234.567,891 ', '+7', 'basic'],
      ['f', '1,234.50', '5', 'plus'],
      ['g', '(-5)', null, null],
      ['h', '7', '5.5', null],
    ];
    const oddPath = join(dir, 'european-odd.csv');
    writeCsv(oddPath, columns, [...rows.slice(0, 3), ...odd.map((r) => r.slice(0, 3))]);
    const hostile = await disagreements(db(), model, oddPath, 'european_odd');
    expect(hostile.bad).toEqual([]);
    expect(hostile.refused).toEqual(["column 'balance': '1,234.50' is not a number", "column 'balance': '(-5)' is not a number", "column 'rate': '5.5' is not a number"]);
  }, 60_000);

  it.skipIf(skip !== null)('returns every column of the table with the segment when no key is given', async () => {
    const { model } = await fitModel(dataPath('Mall_Customers.csv'), {});
    const { columns, rows } = csvTextCells(dataPath('Mall_Customers.csv'));
    await loadText(db(), 'mall', columns, rows);
    const got = await db().query(`${model.toSQL({ dialect: db().dialect, table: 'mall' }).trimEnd()} ORDER BY "__row"`);
    expect(Object.keys(got[0])).toEqual(['__row', ...columns, 'segment', 'segment_name', 'distance']);
    expect(got.map((r) => r.CustomerID)).toEqual(rows.map((r) => r[0]));
  }, 60_000);

  it.skipIf(skip !== null)('gives the same for a mean shift model with the same centers', async () => {
    const { model } = await fitModel(dataPath('Mall_Customers.csv'), {});
    const { table } = await readTable(dataPath('Mall_Customers.csv'));
    const predicted = await model.predict(table);
    const shift = SegmentationModel.fromState({
      pipeline: model.pipeline,
      schema: model.schema,
      state: { type: 'meanShift', centers: (model.state as KMeansState).centroids, bandwidth: 1 },
      labels: predicted.segments,
      backend: 'cpu',
    });
    const { bad } = await disagreements(db(), shift, dataPath('Mall_Customers.csv'), 'mall');
    expect(bad).toEqual([]);
  }, 60_000);

  it.skipIf(skip !== null)('breaks a tie toward the lower segment as predict does, and serves a model of one segment', async () => {
    const { model } = await fitModel(dataPath('Mall_Customers.csv'), {});
    const { table } = await readTable(dataPath('Mall_Customers.csv'));
    const c = (model.state as KMeansState).centroids;
    const row = (i: number): Float32Array => c.data.slice(i * c.cols, (i + 1) * c.cols);
    // Centers 0 and 1 are the same point: predict and SQL must both give 0, never 1.
    const twin = { data: Float32Array.from([...row(2), ...row(2), ...row(0)]), rows: 3, cols: c.cols };
    const tied = SegmentationModel.fromState({ pipeline: model.pipeline, schema: model.schema, state: { type: 'kmeans', centroids: twin, inertia: 0 }, labels: new Int32Array(table.numRows), backend: 'cpu' });
    const predicted = await tied.predict(table);
    expect(predicted.segments).toContain(0);
    expect(predicted.segments).not.toContain(1);
    expect((await disagreements(db(), tied, dataPath('Mall_Customers.csv'), 'mall')).bad).toEqual([]);
    const one = { data: row(1), rows: 1, cols: c.cols };
    const single = SegmentationModel.fromState({ pipeline: model.pipeline, schema: model.schema, state: { type: 'kmeans', centroids: one, inertia: 0 }, labels: new Int32Array(table.numRows), backend: 'cpu' });
    expect((await disagreements(db(), single, dataPath('Mall_Customers.csv'), 'mall')).bad).toEqual([]);
  }, 60_000);

  it.skipIf(skip !== null)('names a missing table or column from the catalogue, with a DataError', async () => {
    const { model } = await fitModel(dataPath('Mall_Customers.csv'), {});
    const { columns, rows } = csvTextCells(dataPath('Mall_Customers.csv'));
    await loadText(db(), 'mall_full', columns, rows);
    const listed = (await db().query(columnsSQL(db().dialect, 'mall_full'))).map((r) => String(r.column_name));
    expect(listed).toEqual(['__row', ...columns]);
    expect(() => checkColumns(model, 'mall_full', listed)).not.toThrow();

    const without = columns.filter((c) => c !== 'Age');
    await loadText(db(), 'mall_no_age', without, rows.map((r) => r.filter((_, j) => columns[j] !== 'Age')));
    const short = (await db().query(columnsSQL(db().dialect, 'mall_no_age'))).map((r) => String(r.column_name));
    let error: unknown;
    try {
      checkColumns(model, 'mall_no_age', short);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).column).toBe('Age');
    expect((error as Error).message).toBe('toSQL: the table "mall_no_age" lacks column(s) the model reads: "Age"');
    // The database's own refusal of the query, for comparison, names the column too.
    await expect(db().query(model.toSQL({ dialect: db().dialect, table: 'mall_no_age', key: '__row' }))).rejects.toThrow(/Age/);

    const none = (await db().query(columnsSQL(db().dialect, 'no_such_table'))).map((r) => String(r.column_name));
    expect(() => checkColumns(model, 'no_such_table', none)).toThrow(new DataError('toSQL', 'table', 'the table "no_such_table" does not exist (the database lists no columns for it)'));
  }, 60_000);
});

describe('model.toSQL refuses', () => {
  it('a model without centers (DBSCAN), saying why', async () => {
    const { model } = await fitModel(dataPath('Mall_Customers.csv'), {});
    const { table } = await readTable(dataPath('Mall_Customers.csv'));
    const labels = (await model.predict(table)).segments;
    const centroids = (model.state as KMeansState).centroids;
    const dbscan = SegmentationModel.fromState({
      pipeline: model.pipeline,
      schema: model.schema,
      state: { type: 'dbscan', corePoints: centroids, coreLabels: Int32Array.from({ length: centroids.rows }, (_, i) => i), eps: 0.5, minSamples: 5 },
      labels,
      backend: 'cpu',
    });
    for (const dialect of DIALECT_NAMES) {
      expect(() => dbscan.toSQL({ dialect })).toThrow(ParameterError);
      expect(() => dbscan.toSQL({ dialect })).toThrow(/^toSQL: a dbscan model has no centers: its rows go to the cluster of the nearest of 4 core points within eps, else to noise/);
    }
  });

  it('a number format field it does not compile, naming the column and the field', () => {
    const json = JSON.parse(readFileSync(new URL('../../fixtures/sql/model.json', import.meta.url), 'utf8'));
    const step = json.pipeline.steps.find((s: { column: string }) => s.column === 'spend');
    step.numberFormat = { ...step.numberFormat, decimal: ',', parentheses: true };
    expect(() => parseModel(JSON.stringify(json)).toSQL({ dialect: 'duckdb' })).not.toThrow();
    step.numberFormat = { ...step.numberFormat, grouping: 'indian' };
    expect(() => parseModel(JSON.stringify(json)).toSQL({ dialect: 'duckdb' })).toThrow(
      new ParameterError('toSQL', 'model', 'column "spend": numberFormat.grouping is not compiled to SQL yet (src/model/sql/numbers.ts reads thousands, percent, currency, decimal, parentheses)'),
    );
  });

  it('an unknown dialect, naming those there are', async () => {
    const { model } = await fitModel(dataPath('Mall_Customers.csv'), {});
    expect(() => model.toSQL({ dialect: 'oracle' as never })).toThrow(
      new ParameterError('toSQL', 'dialect', "dialect='oracle' is not one of duckdb, postgres, clickhouse, spark, bigquery, snowflake, trino"),
    );
  });

  it('an empty table name or key, and no key on Trino (no SELECT * EXCEPT there)', async () => {
    const { model } = await fitModel(dataPath('Mall_Customers.csv'), {});
    expect(() => model.toSQL({ dialect: 'duckdb', table: '' })).toThrow(/table='' must be a name/);
    expect(() => model.toSQL({ dialect: 'duckdb', table: 'a..b' })).toThrow(/table='a..b' must be a name/);
    expect(() => model.toSQL({ dialect: 'duckdb', key: '' })).toThrow(/key must be a column name/);
    expect(() => model.toSQL({ dialect: 'trino' })).toThrow(/trino has no SELECT \* EXCEPT .*--key/);
    expect(model.toSQL({ dialect: 'trino', key: 'CustomerID' })).toContain('"CustomerID"');
  });
});
