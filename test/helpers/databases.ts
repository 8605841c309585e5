// SPDX-License-Identifier: MIT
/**
 * The databases the SQL tests run on, behind one small interface: DuckDB embedded
 * (@duckdb/node-api, in memory) and a PostgreSQL server started by the test (postgres.ts).
 * Tables are loaded from text cells (NULL for a missing cell), as a CSV is loaded into a
 * database with every column as text.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import type pg from 'pg';
import { DEFAULT_NULL_VALUES } from '../../src/data/csv.js';
import type { DialectName } from '../../src/model/sql/dialects.js';
import { readCsvRecords } from './data.js';

export interface TestDb {
  dialect: Extract<DialectName, 'duckdb' | 'postgres'>;
  /** Runs a statement that returns no rows. */
  exec(sql: string): Promise<void>;
  /** Runs a query; each row as an object by column name. */
  query(sql: string): Promise<Array<Record<string, unknown>>>;
  close(): Promise<void>;
}

/** An in-memory DuckDB. */
export async function openDuckDB(): Promise<TestDb> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  return {
    dialect: 'duckdb',
    exec: async (sql) => {
      await connection.run(sql);
    },
    query: async (sql) => (await connection.runAndReadAll(sql)).getRowObjects() as Array<Record<string, unknown>>,
    close: async () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** A connected PostgreSQL client as a TestDb (closing is the server's stop()). */
export function postgresDb(client: pg.Client): TestDb {
  return {
    dialect: 'postgres',
    exec: async (sql) => {
      await client.query(sql);
    },
    query: async (sql) => (await client.query(sql)).rows as Array<Record<string, unknown>>,
    close: async () => {},
  };
}

const ident = (name: string): string => `"${name.replaceAll('"', '""')}"`;
/** `schema.table` quoted part by part. */
const qualified = (name: string): string => name.split('.').map(ident).join('.');
const literal = (text: string | null): string => (text === null ? 'NULL' : `'${text.replaceAll("'", "''")}'`);

/**
 * (Re)creates `table` (`schema.table` allowed) with an integer column `__row` (0, 1, …) and one TEXT column per name, and
 * inserts the rows (a null cell is NULL).
 */
export async function loadText(db: TestDb, table: string, columns: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | null>>): Promise<void> {
  await db.exec(`DROP TABLE IF EXISTS ${qualified(table)}`);
  await db.exec(`CREATE TABLE ${qualified(table)} ("__row" INTEGER, ${columns.map((c) => `${ident(c)} TEXT`).join(', ')})`);
  for (let start = 0; start < rows.length; start += 500) {
    const values = rows.slice(start, start + 500).map((r, i) => `(${start + i}, ${columns.map((_, j) => literal(r[j] ?? null)).join(', ')})`);
    await db.exec(`INSERT INTO ${qualified(table)} VALUES ${values.join(', ')}`);
  }
}

const NULLS: ReadonlySet<string> = new Set(DEFAULT_NULL_VALUES);

/**
 * A CSV's header and its rows' cells as text, read by the tests' own CSV reader: NULL where
 * src/data/csv.ts sees a missing value (its null markers), and rows of another width left out,
 * as that reader leaves them out.
 */
export function csvTextCells(path: string): { columns: string[]; rows: Array<Array<string | null>> } {
  const records = readCsvRecords(path);
  const columns = Object.keys(records[0]);
  const rows = records
    .filter((r) => columns.every((c) => r[c] !== undefined))
    .map((r) => columns.map((c) => (NULLS.has(r[c]) ? null : r[c])));
  return { columns, rows };
}

/** PostgreSQL's type for a column DuckDB's read_csv gave a type; text for any other. */
const PG_TYPE: Readonly<Record<string, string>> = { BIGINT: 'bigint', INTEGER: 'integer', SMALLINT: 'smallint', DOUBLE: 'double precision', FLOAT: 'real', BOOLEAN: 'boolean', DATE: 'date', VARCHAR: 'text' };

/**
 * (Re)creates `table` in PostgreSQL with the rows of a CSV file as DuckDB's read_csv reads it
 * (its column types, mapped to PostgreSQL's; every column as text with `allText`), the rows in
 * the file's order. With `copy`, the server reads the file itself (COPY … FROM, for large files:
 * the server's user must be able to read it; empty cells are NULL, as DuckDB reads them).
 */
export async function loadCsvIntoPostgres(client: pg.Client, csv: string, table: string, options: { allText?: boolean; copy?: boolean } = {}): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  try {
    const reader = `read_csv(${literal(csv)}${options.allText === true ? ', all_varchar = true' : ''})`;
    const types = (await c.runAndReadAll(`DESCRIBE SELECT * FROM ${reader}`)).getRowObjects().map((r) => ({ name: String(r.column_name), type: PG_TYPE[String(r.column_type)] ?? 'text' }));
    await client.query(`DROP TABLE IF EXISTS ${qualified(table)}`);
    await client.query(`CREATE TABLE ${qualified(table)} (${types.map((t) => `${ident(t.name)} ${t.type}`).join(', ')})`);
    if (options.copy === true) {
      // https://www.postgresql.org/docs/15/sql-copy.html
      await client.query(`COPY ${qualified(table)} FROM ${literal(csv)} WITH (FORMAT csv, HEADER true)`);
      return;
    }
    const cells = (await c.runAndReadAll(`SELECT ${types.map((t) => `CAST(${ident(t.name)} AS VARCHAR)`).join(', ')} FROM ${reader}`)).getRows() as Array<Array<string | null>>;
    for (let start = 0; start < cells.length; start += 500) {
      const values = cells.slice(start, start + 500).map((r) => `(${r.map((v) => literal(v)).join(', ')})`);
      await client.query(`INSERT INTO ${qualified(table)} VALUES ${values.join(', ')}`);
    }
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

/**
 * The rows of a compiled model's query (`rows`, each with the row number `key`, `segment`,
 * `segment_name` and `distance`, column names in any case) whose segment or name differs from
 * predict's, or whose distance differs by more than 1e-6 relative; the rows predict refused
 * (its badRows) are not compared.
 */
export function predictDisagreements(
  rows: ReadonlyArray<Record<string, unknown>>,
  predicted: { segments: ArrayLike<number>; names: ArrayLike<string | null>; distances: ArrayLike<number>; badRows: ReadonlyArray<{ row: number }> },
  key = '__row',
): string[] {
  const refused = new Set(predicted.badRows.map((b) => b.row));
  const bad: string[] = [];
  for (const raw of rows) {
    const r = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k.toLowerCase(), v]));
    const i = Number(r[key.toLowerCase()]);
    if (refused.has(i)) continue;
    const distance = Number(r.distance);
    const want = predicted.distances[i];
    const rel = Math.abs(distance - want) / Math.max(want, 1e-300);
    if (Number(r.segment) !== predicted.segments[i] || r.segment_name !== predicted.names[i] || !(rel <= 1e-6)) {
      bad.push(`row ${i}: sql ${String(r.segment)} ${String(r.segment_name)} ${distance}, predict ${predicted.segments[i]} ${predicted.names[i]} ${want}`);
    }
  }
  return bad;
}
