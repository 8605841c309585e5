// SPDX-License-Identifier: MIT
/**
 * A table in DuckDB as a source for the workflow: `duckdb:path/to/file.db?table=users`
 * (`duckdb::memory:?table=…` for an in-memory database, `duckdb:data.parquet` or
 * `duckdb:data.csv` for a file that DuckDB reads itself, as a view named by `table` or `data`).
 * DuckDB runs embedded (@duckdb/node-api, loaded when a source is opened): no server.
 *
 * The connection is behind {@link DbSource}, which the in-database fit (fitPipeline.ts,
 * lloyd.ts) uses: the table's columns and types from the catalogue, queries returning rows as
 * objects, and rows pulled into an Arrow table (a sample, or every row for `--pull`).
 */
import * as arrow from 'apache-arrow';
import { DataError, ParameterError } from '../errors.js';
import { dialectOf, type Dialect } from '../model/sql/dialects.js';

const FN = 'duckdb';

/** A parsed `duckdb:` address. */
export interface DuckDBAddress {
  /** The database file, `:memory:`, or a Parquet/CSV file read by DuckDB. */
  path: string;
  /** The table to read (for a Parquet/CSV file: the name of the view over it; default `data`). */
  table: string;
  /** Whether `path` is a Parquet or CSV file rather than a database. */
  file: 'parquet' | 'csv' | null;
}

/** Whether `input` names a DuckDB source (`duckdb:…`). */
export function isDuckDBAddress(input: string): boolean {
  return input.startsWith('duckdb:');
}

/**
 * Reads a `duckdb:` address.
 * @throws ParameterError naming the address when it has no path, no table for a database, or
 *   an option other than `table`.
 */
export function parseDuckDBAddress(input: string): DuckDBAddress {
  if (!isDuckDBAddress(input)) throw new ParameterError(FN, 'input', `'${input}' is not a DuckDB address: it must start with 'duckdb:' (e.g. duckdb:users.db?table=users)`);
  const rest = input.slice('duckdb:'.length);
  const q = rest.indexOf('?');
  const path = q < 0 ? rest : rest.slice(0, q);
  const params = new URLSearchParams(q < 0 ? '' : rest.slice(q + 1));
  for (const key of params.keys()) {
    if (key !== 'table') throw new ParameterError(FN, 'input', `'${input}': unknown option '${key}' (the only option is table=NAME)`);
  }
  if (path === '') throw new ParameterError(FN, 'input', `'${input}' names no database file: write duckdb:path/to/file.db?table=NAME or duckdb::memory:?table=NAME`);
  const lower = path.toLowerCase();
  const file = lower.endsWith('.parquet') ? 'parquet' : lower.endsWith('.csv') ? 'csv' : null;
  const table = params.get('table') ?? (file !== null ? 'data' : null);
  if (table === null || table.trim() === '' || table.split('.').some((p) => p === '')) {
    throw new ParameterError(FN, 'table', `'${input}' names no table: add ?table=NAME (a table, or schema.table)`);
  }
  return { path, table, file };
}

/** One column of a table, as the catalogue describes it. */
export interface DbColumn {
  name: string;
  /** The database's type name, e.g. `DOUBLE`, `VARCHAR`, `BOOLEAN`, `DECIMAL(10,2)`. */
  type: string;
}

/** A table in a database, and a way to query it. */
export interface DbSource {
  dialect: Dialect;
  /** The table's name as given (`schema.table` allowed). */
  table: string;
  /** The table quoted for SQL. */
  tableSql: string;
  /** Its columns, in order. */
  columns: DbColumn[];
  /** Runs a query; each row as an object by column name (numbers as JS numbers, BIGINTs as bigint). */
  query(sql: string): Promise<Array<Record<string, unknown>>>;
  /** Runs a query; its columns, each an array of values (faster than rows for many rows). */
  queryColumns(sql: string): Promise<unknown[][]>;
  /** Runs a statement that returns no rows. */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

/** Numeric types read as float64 when rows are pulled. */
const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|REAL|DECIMAL.*|NUMERIC.*|INT\d*)$/i;

/** Whether a column of this database type is pulled as numbers (Float64) rather than text. */
export function isNumericType(type: string): boolean {
  return NUMERIC.test(type.trim());
}

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;
const literal = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/**
 * Opens the DuckDB source at `input` and checks that its table exists.
 * @throws ParameterError for a bad address; DataError naming the file when DuckDB cannot open it,
 *   or naming the table when it does not exist (with the tables that do).
 */
export async function openDuckDB(input: string): Promise<DbSource> {
  const address = parseDuckDBAddress(input);
  const { existsSync } = await import('node:fs');
  if (address.path !== ':memory:' && !existsSync(address.path)) {
    throw new DataError(FN, 'input', `'${input}': there is no file '${address.path}'`);
  }
  let api: typeof import('@duckdb/node-api');
  try {
    // A name in a variable: bundlers (the browser app's) leave the Node-only package out.
    const name = '@duckdb/node-api';
    api = (await import(/* @vite-ignore */ name)) as typeof import('@duckdb/node-api');
  } catch (err) {
    throw new ParameterError(FN, 'input', `reading '${input}' needs the package @duckdb/node-api, which cannot be loaded here (${(err as Error).message}); install it with npm install @duckdb/node-api`);
  }
  let instance: Awaited<ReturnType<typeof api.DuckDBInstance.create>>;
  try {
    instance = await api.DuckDBInstance.create(address.file !== null ? ':memory:' : address.path);
  } catch (err) {
    throw new DataError(FN, 'input', `cannot open the DuckDB database '${address.path}': ${(err as Error).message}`);
  }
  const connection = await instance.connect();
  const query = async (sql: string): Promise<Array<Record<string, unknown>>> => (await connection.runAndReadAll(sql)).getRowObjects() as Array<Record<string, unknown>>;
  const queryColumns = async (sql: string): Promise<unknown[][]> => (await connection.runAndReadAll(sql)).getColumns() as unknown[][];
  const exec = async (sql: string): Promise<void> => {
    await connection.run(sql);
  };
  const close = async (): Promise<void> => {
    connection.closeSync();
    instance.closeSync();
  };
  try {
    if (address.file !== null) {
      const reader = address.file === 'parquet' ? 'read_parquet' : 'read_csv';
      try {
        await exec(`CREATE VIEW ${quote(address.table)} AS SELECT * FROM ${reader}(${literal(address.path)})`);
      } catch (err) {
        throw new DataError(FN, 'input', `DuckDB cannot read the ${address.file} file '${address.path}': ${(err as Error).message}`);
      }
    }
    const parts = address.table.split('.');
    const name = parts[parts.length - 1];
    const schema = parts.length > 1 ? literal(parts[parts.length - 2]) : 'current_schema()';
    const rows = await query(
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ${literal(name)} AND table_schema = ${schema} ORDER BY ordinal_position`,
    );
    if (rows.length === 0) {
      const tables = await query(`SELECT DISTINCT table_name FROM information_schema.columns WHERE table_schema = ${schema} ORDER BY table_name`);
      const list = tables.map((r) => String(r.table_name));
      throw new DataError(
        FN,
        'table',
        `the table "${address.table}" does not exist in '${address.path}' (${list.length === 0 ? 'it has no tables' : `its tables: ${list.slice(0, 20).join(', ')}`})`,
        undefined,
        undefined,
      );
    }
    return {
      dialect: dialectOf('duckdb', FN),
      table: address.table,
      tableSql: parts.map(quote).join('.'),
      columns: rows.map((r) => ({ name: String(r.column_name), type: String(r.data_type) })),
      query,
      queryColumns,
      exec,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * Checks that the source's table has every column of `names`.
 * @throws DataError naming the table and the columns it lacks.
 */
export function checkSourceColumns(source: DbSource, names: readonly string[], fn: string): void {
  const present = new Set(source.columns.map((c) => c.name));
  const absent = names.filter((n) => !present.has(n));
  if (absent.length > 0) {
    throw new DataError(fn, 'table', `the table "${source.table}" lacks column(s): ${absent.map((c) => JSON.stringify(c)).join(', ')}`, undefined, absent[0]);
  }
}

/**
 * Rows of the source as an Arrow table: numeric columns as Float64, BOOLEAN as Bool, every other
 * column as its text (Utf8); NULL stays null. `sample` rows drawn by DuckDB's reservoir sample
 * (repeatable with `seed`), or every row (the first `limit` rows) when `sample` is undefined.
 */
export async function pullRows(source: DbSource, options: { sample?: number; seed?: number; limit?: number; columns?: readonly string[] } = {}): Promise<arrow.Table> {
  const wanted = options.columns ?? source.columns.map((c) => c.name);
  checkSourceColumns(source, wanted, FN);
  const byName = new Map(source.columns.map((c) => [c.name, c]));
  const cols = wanted.map((n) => byName.get(n) as DbColumn);
  const kind = (c: DbColumn): 'number' | 'bool' | 'text' => (isNumericType(c.type) ? 'number' : /^BOOL(EAN)?$/i.test(c.type) ? 'bool' : 'text');
  const select = cols.map((c, j) => {
    const k = kind(c);
    const cast = k === 'number' ? 'DOUBLE' : k === 'bool' ? 'BOOLEAN' : 'VARCHAR';
    return `CAST(${quote(c.name)} AS ${cast}) AS "c${j}"`;
  });
  const sample = options.sample;
  if (sample !== undefined && !(Number.isInteger(sample) && sample > 0)) throw new ParameterError(FN, 'sample', `sample=${sample} must be a positive integer`);
  const from = sample === undefined ? source.tableSql : `(SELECT * FROM ${source.tableSql} USING SAMPLE reservoir(${sample} ROWS) REPEATABLE (${options.seed ?? 0}))`;
  const limit = options.limit === undefined ? '' : ` LIMIT ${Math.max(0, Math.floor(options.limit))}`;
  const columns = await source.queryColumns(`SELECT ${select.join(', ')} FROM ${from}${limit}`);
  const vectors: Record<string, arrow.Vector> = {};
  cols.forEach((c, j) => {
    const values = columns[j];
    const k = kind(c);
    if (k === 'number') vectors[c.name] = arrow.vectorFromArray(values.map((v) => (v === null ? null : Number(v))), new arrow.Float64());
    else if (k === 'bool') vectors[c.name] = arrow.vectorFromArray(values as Array<boolean | null>, new arrow.Bool());
    else vectors[c.name] = arrow.vectorFromArray(values.map((v) => (v === null ? null : String(v))), new arrow.Utf8());
  });
  return new arrow.Table(vectors);
}

/** The number of rows of the source's table. */
export async function countRows(source: DbSource): Promise<number> {
  const rows = await source.query(`SELECT count(*) AS n FROM ${source.tableSql}`);
  return Number(rows[0].n);
}
