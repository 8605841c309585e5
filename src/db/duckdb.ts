// SPDX-License-Identifier: MIT
/**
 * A table in DuckDB as a source for the workflow: `duckdb:path/to/file.db?table=users`
 * (`duckdb::memory:?table=…` for an in-memory database, `duckdb:data.parquet` or
 * `duckdb:data.csv` for a file that DuckDB reads itself, as a view named by `table` or `data`).
 * DuckDB runs embedded (@duckdb/node-api, loaded when a source is opened): no server.
 *
 * The connection is behind {@link DbSource} (source.ts), which the in-database fit
 * (fitPipeline.ts, lloyd.ts, fit.ts) uses.
 */
import { DataError, ParameterError } from '../errors.js';
import { engineOf } from './engines.js';
import { openTable, type DbSource } from './source.js';

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

/** DuckDB's buffer pool, unless told otherwise: see {@link DuckDBOptions.memoryLimit}. */
export const DEFAULT_DUCKDB_MEMORY_LIMIT = '512MB';

/** How DuckDB runs inside this process. */
export interface DuckDBOptions {
  /**
   * The most memory DuckDB's buffer pool holds (its `memory_limit`: `512MB`, `2GB`, …); beyond
   * it DuckDB writes blocks to a temporary folder (its `temp_directory`, made for this connection
   * under the system's temporary folder and removed on close). DuckDB runs in our process, so
   * this bounds how far our memory grows with the table (the stored features of 10^6 rows × 51
   * are ~200 MB). Default {@link DEFAULT_DUCKDB_MEMORY_LIMIT}. https://duckdb.org/docs/stable/configuration/overview
   */
  memoryLimit?: string;
}

const MEMORY = /^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i;

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;
const literal = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/**
 * Opens the DuckDB source at `input` and checks that its table exists.
 * @throws ParameterError for a bad address; DataError naming the file when DuckDB cannot open it,
 *   or naming the table when it does not exist (with the tables that do).
 */
export async function openDuckDB(input: string, options: DuckDBOptions = {}): Promise<DbSource> {
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
  const memoryLimit = options.memoryLimit ?? DEFAULT_DUCKDB_MEMORY_LIMIT;
  if (!MEMORY.test(memoryLimit.trim())) throw new ParameterError(FN, 'memoryLimit', `memoryLimit='${memoryLimit}' is not an amount of memory such as 512MB or 2GB`);
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const spill = mkdtempSync(join(tmpdir(), 'segments-duckdb-spill-'));
  let instance: Awaited<ReturnType<typeof api.DuckDBInstance.create>>;
  try {
    instance = await api.DuckDBInstance.create(address.file !== null ? ':memory:' : address.path, { memory_limit: memoryLimit.trim(), temp_directory: spill });
  } catch (err) {
    rmSync(spill, { recursive: true, force: true });
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
    rmSync(spill, { recursive: true, force: true });
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
  } catch (err) {
    await close();
    throw err;
  }
  return openTable({ query, queryColumns, exec, close }, engineOf('duckdb'), address.table, `'${address.path}'`);
}
