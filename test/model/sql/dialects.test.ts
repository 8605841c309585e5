// SPDX-License-Identifier: MIT
/**
 * The dialects no server of which runs here (ClickHouse, Spark, BigQuery, Snowflake, Trino) are
 * checked by golden files: the query of a committed model (test/fixtures/sql/model.json,
 * covering every kind of step) must be exactly the committed <dialect>.sql, which a person reads
 * when it changes (`npx tsx scripts/make_sql_fixtures.ts` rewrites them). The goldens of Spark and
 * Trino are parsed by the ANTLR grammars of dt-sql-parser (derived from Spark's and Trino's own),
 * BigQuery's and Snowflake's by node-sql-parser (ClickHouse's by no parser: none runs here; Spark's
 * `* EXCEPT`, which is Databricks SQL, is not in the open-source grammar); DuckDB's golden runs on DuckDB against predict.
 */
import { readFileSync } from 'node:fs';
// The two grammars alone: the package's index loads every dialect's parser (seconds of import).
import { SparkSQL } from 'dt-sql-parser/dist/parser/spark';
import { TrinoSQL } from 'dt-sql-parser/dist/parser/trino';
import nodeSqlParser from 'node-sql-parser';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { initBackend } from '../../../src/backend/backend.js';
import { readTable } from '../../../src/data/readTable.js';
import { parseModel } from '../../../src/model/file.js';
import type { SegmentationModel } from '../../../src/model/model.js';
import { DIALECT_NAMES, dialectOf } from '../../../src/model/sql/dialects.js';
import { ALL_COLUMNS_DIALECTS, GOLDEN_KEY, GOLDEN_TABLE, goldenSQL } from '../../../scripts/make_sql_fixtures.js';
import { csvTextCells, loadText, openDuckDB, type TestDb } from '../../helpers/databases.js';

const DIR = new URL('../../fixtures/sql/', import.meta.url);
const golden = (name: string): string => readFileSync(new URL(name, DIR), 'utf8');
let model: SegmentationModel;

beforeAll(() => {
  model = parseModel(golden('model.json'), 'test/fixtures/sql/model.json');
});

describe('the SQL of each dialect', () => {
  it.each(DIALECT_NAMES)('%s: is the committed golden file', (dialect) => {
    expect(goldenSQL(model, dialect)).toBe(golden(`${dialect}.sql`));
  });

  it.each(ALL_COLUMNS_DIALECTS)('%s: without a key, is the committed golden file returning every column', (dialect) => {
    expect(goldenSQL(model, dialect, true)).toBe(golden(`${dialect}.all-columns.sql`));
  });

  it.each([
    ['spark', () => new SparkSQL()],
    ['trino', () => new TrinoSQL()],
  ] as const)('%s: the golden parses with the dialect’s ANTLR grammar (and a broken query does not)', (dialect, parser) => {
    const sql = golden(`${dialect}.sql`);
    expect(parser().validate(sql)).toEqual([]);
    // ANTLR's default listener prints the broken query's errors too: kept off the test output.
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(parser().validate(sql.replace('CASE WHEN', 'CASE WHERE')).length).toBeGreaterThan(0);
    } finally {
      quiet.mockRestore();
    }
  });

  it.each([
    ['bigquery.sql', 'BigQuery'],
    ['bigquery.all-columns.sql', 'BigQuery'],
    ['snowflake.sql', 'Snowflake'],
    ['snowflake.all-columns.sql', 'Snowflake'],
  ] as const)('%s parses with node-sql-parser’s %s grammar (and a broken query does not)', (file, database) => {
    const parser = new nodeSqlParser.Parser();
    const sql = golden(file);
    expect(() => parser.astify(sql, { database })).not.toThrow();
    expect(() => parser.astify(sql.replace('CASE WHEN', 'CASE WHERE'), { database })).toThrow();
  });

  it('quotes a name and a label holding quotes and backslashes per dialect', () => {
    const label = "o'brien \\ co";
    expect(dialectOf('duckdb').text(label)).toBe("'o''brien \\ co'");
    expect(dialectOf('postgres').text(label)).toBe("'o''brien \\ co'");
    expect(dialectOf('trino').text(label)).toBe("'o''brien \\ co'");
    for (const d of ['clickhouse', 'spark', 'bigquery', 'snowflake'] as const) expect(dialectOf(d).text(label)).toBe("'o\\'brien \\\\ co'");
    expect(dialectOf('postgres').ident('a "b"')).toBe('"a ""b"""');
    expect(dialectOf('spark').ident('a `b`')).toBe('`a ``b```');
    expect(dialectOf('bigquery').ident('a `b`')).toBe('`a \\`b\\``');
  });

  it('writes every double exactly: the literal reads back to the same number', () => {
    const d = dialectOf('duckdb');
    for (const x of [0.1, -1 / 3, 1e-300, 123456789.125, Math.fround(0.7)]) expect(Number(/^CAST\((.*) AS DOUBLE\)$/.exec(d.double(x))?.[1])).toBe(x);
    expect(d.double(-0)).toBe('CAST(0 AS DOUBLE)');
    expect(() => d.double(Infinity)).toThrow(/non-finite number \(Infinity\)/);
  });
});

describe('the DuckDB golden', () => {
  let db: TestDb;
  beforeAll(async () => {
    await initBackend('cpu', { strict: true, onWarning: () => {} });
    db = await openDuckDB();
  });
  afterAll(async () => db?.close());

  it(`runs on ${GOLDEN_TABLE} and gives predict's segments of the golden model's training table`, async () => {
    const path = new URL('users.csv', DIR).pathname;
    const { columns, rows } = csvTextCells(path);
    await db.exec('CREATE SCHEMA analytics');
    await loadText(db, GOLDEN_TABLE, columns, rows);
    const got = await db.query(golden('duckdb.sql'));
    const { table } = await readTable(path);
    const predicted = await model.predict(table);
    expect(got.length).toBe(table.numRows);
    for (const r of got) {
      const i = Number(r[GOLDEN_KEY]) - 1;
      expect(Number(r.segment)).toBe(predicted.segments[i]);
      expect(r.segment_name).toBe(predicted.names[i]);
      expect(Number(r.distance)).toBeCloseTo(predicted.distances[i], 12);
    }
  });
});
