// SPDX-License-Identifier: MIT
/**
 * A database table by its address: `duckdb:users.db?table=users` (DuckDB embedded, duckdb.ts) or
 * `postgresql://user@host:port/db?table=users` (a PostgreSQL server, postgres.ts).
 */
import { ParameterError } from '../errors.js';
import { isDuckDBAddress, openDuckDB, parseDuckDBAddress, type DuckDBOptions } from './duckdb.js';
import { isPostgresAddress, openPostgres, parsePostgresAddress } from './postgres.js';
import type { DbSource } from './source.js';

/** Whether `input` names a table in a database (`duckdb:…`, `postgresql://…`, `postgres://…`). */
export function isDatabaseAddress(input: string): boolean {
  return isDuckDBAddress(input) || isPostgresAddress(input);
}

/**
 * The table an address names and the dialect of its database.
 * @throws ParameterError for an address of neither kind or a bad one.
 */
export function describeAddress(input: string): { dialect: 'duckdb' | 'postgres'; table: string } {
  if (isDuckDBAddress(input)) return { dialect: 'duckdb', table: parseDuckDBAddress(input).table };
  if (isPostgresAddress(input)) return { dialect: 'postgres', table: parsePostgresAddress(input).table };
  throw new ParameterError('openSource', 'input', `'${input}' is not a database address (duckdb:FILE?table=NAME or postgresql://user@host:port/db?table=NAME)`);
}

/**
 * Opens the table at `input`; `duckdb` options apply to a DuckDB address.
 * @throws as openDuckDB or openPostgres; ParameterError for an address of neither kind.
 */
export async function openSource(input: string, options: { duckdb?: DuckDBOptions } = {}): Promise<DbSource> {
  return describeAddress(input).dialect === 'duckdb' ? openDuckDB(input, options.duckdb) : openPostgres(input);
}
