// SPDX-License-Identifier: MIT
/**
 * A table in PostgreSQL as a source for the workflow:
 * `postgresql://user[:password]@host[:port]/database?table=users` (or `postgres://…`;
 * `table=schema.users` for another schema). A server reached through the `pg` client (loaded
 * when a source is opened), behind {@link DbSource} as DuckDB's (duckdb.ts); the fit inside the
 * database writes PostgreSQL's SQL through the dialect (src/model/sql/dialects.ts) and the
 * training primitives (engines.ts).
 */
import { DataError, ParameterError } from '../errors.js';
import { engineOf } from './engines.js';
import { openTable, type DbSource } from './source.js';

const FN = 'postgres';

/** A parsed `postgresql://` address. */
export interface PostgresAddress {
  host: string;
  port: number;
  /** Absent: the client's default (PGUSER, else the system user). */
  user?: string;
  password?: string;
  /** Absent: the client's default (PGDATABASE, else the user's name). */
  database?: string;
  /** The table to read, `table` or `schema.table`. */
  table: string;
}

/** Whether `input` names a PostgreSQL table (`postgresql://…` or `postgres://…`). */
export function isPostgresAddress(input: string): boolean {
  return /^postgres(ql)?:\/\//i.test(input);
}

/** The address with its password (if any) hidden, for messages and files. */
export function hidePassword(input: string): string {
  return input.replace(/^(postgres(?:ql)?:\/\/[^:/@?]*):[^@/?]*@/i, '$1:***@');
}

/**
 * Reads a `postgresql://` address.
 * @throws ParameterError naming the address when it is not a PostgreSQL URL, has a bad port,
 *   no table, or an option other than `table`.
 */
export function parsePostgresAddress(input: string): PostgresAddress {
  const where = hidePassword(input);
  if (!isPostgresAddress(input)) throw new ParameterError(FN, 'input', `'${where}' is not a PostgreSQL address: it must start with 'postgresql://' (e.g. postgresql://user@localhost:5432/db?table=users)`);
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new ParameterError(FN, 'input', `'${where}' is not a URL (postgresql://user@host:port/database?table=NAME)`);
  }
  for (const key of url.searchParams.keys()) {
    if (key !== 'table') throw new ParameterError(FN, 'input', `'${where}': unknown option '${key}' (the only option is table=NAME)`);
  }
  const table = url.searchParams.get('table');
  if (table === null || table.trim() === '' || table.split('.').some((p) => p === '')) {
    throw new ParameterError(FN, 'table', `'${where}' names no table: add ?table=NAME (a table, or schema.table)`);
  }
  const port = url.port === '' ? 5432 : Number(url.port);
  if (!(Number.isInteger(port) && port > 0 && port < 65536)) throw new ParameterError(FN, 'input', `'${where}': port '${url.port}' is not a port number`);
  const host = decodeURIComponent(url.hostname).replace(/^\[(.*)\]$/, '$1') || 'localhost';
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  return {
    host,
    port,
    ...(url.username === '' ? {} : { user: decodeURIComponent(url.username) }),
    ...(url.password === '' ? {} : { password: decodeURIComponent(url.password) }),
    ...(database === '' ? {} : { database }),
    table,
  };
}

/**
 * Connects to the PostgreSQL server of `input` and checks that its table exists.
 * @throws ParameterError for a bad address or when the `pg` package is missing; DataError naming
 *   host:port when the connection is refused or fails (with the server's reason), or naming the
 *   table when it does not exist (with the tables that do).
 */
export async function openPostgres(input: string): Promise<DbSource> {
  const address = parsePostgresAddress(input);
  const where = `${address.host}:${address.port}`;
  let pg: typeof import('pg');
  try {
    // A name in a variable: bundlers (the browser app's) leave the Node-only package out.
    const name = 'pg';
    const mod = (await import(/* @vite-ignore */ name)) as typeof import('pg') & { default?: typeof import('pg') };
    pg = mod.default ?? mod;
  } catch (err) {
    throw new ParameterError(FN, 'input', `reading '${hidePassword(input)}' needs the package pg, which cannot be loaded here (${(err as Error).message}); install it with npm install pg`);
  }
  const client = new pg.Client({ host: address.host, port: address.port, user: address.user, password: address.password, database: address.database, connectionTimeoutMillis: 30_000 });
  // An error after connecting (the server shut down) would otherwise be thrown unhandled.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => {});
    const e = err as Error & { code?: string };
    if (e.code === 'ECONNREFUSED') throw new DataError(FN, 'input', `cannot connect to PostgreSQL at ${where}: connection refused (no server listens there)`);
    throw new DataError(FN, 'input', `cannot connect to PostgreSQL at ${where}${address.database === undefined ? '' : `, database "${address.database}"`}: ${e.message}`);
  }
  const query = async (sql: string): Promise<Array<Record<string, unknown>>> => (await client.query(sql)).rows as Array<Record<string, unknown>>;
  const queryColumns = async (sql: string): Promise<unknown[][]> => {
    const result = await client.query({ text: sql, rowMode: 'array' });
    const rows = result.rows as unknown[][];
    return result.fields.map((_, j) => rows.map((r) => r[j]));
  };
  const exec = async (sql: string): Promise<void> => {
    await client.query(sql);
  };
  const close = async (): Promise<void> => {
    await client.end().catch(() => {});
  };
  return openTable({ query, queryColumns, exec, close }, engineOf('postgres'), address.table, `the database at ${where}`);
}
