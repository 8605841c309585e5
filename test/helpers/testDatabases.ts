// SPDX-License-Identifier: MIT
/**
 * The databases the fit-inside-a-database specs run on, each the same way: a DuckDB file in a
 * temporary folder, and a database of the file's own on the run's PostgreSQL server (postgres.ts;
 * skipped with the reason where its binaries are missing). Tables are loaded from CSV files (DuckDB's read_csv types,
 * mapped to PostgreSQL's) or by plain SQL both databases run; then `address(table)` names a
 * table as `segments fit` takes it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { loadCsvIntoPostgres } from './databases.js';
import { openTestDatabase, runPostgres, type PostgresDatabase } from './postgres.js';

export interface TestDatabase {
  name: 'DuckDB' | 'PostgreSQL';
  /** Why its specs are skipped here, or null. */
  skip: string | null;
  /** Starts it (a new file, or a new database on the run's server). */
  start(): Promise<void>;
  /** (Re)creates `table` from a CSV file; with `allText`, every column as text. */
  loadCsv(csv: string, table: string, options?: { allText?: boolean }): Promise<void>;
  /** Runs SQL that both databases read alike (CREATE TABLE, INSERT). */
  exec(sql: string): Promise<void>;
  /** Done loading: the tables are there for a source to open. */
  ready(): Promise<void>;
  /** The address of `table`. */
  address(table: string): string;
  /** Stops it and removes what it wrote (the file, or the database). */
  stop(): Promise<void>;
}

const literal = (text: string): string => `'${text.replaceAll("'", "''")}'`;

function duckdb(): TestDatabase {
  let dir = '';
  let instance: DuckDBInstance | null = null;
  let connection: DuckDBConnection | null = null;
  const close = (): void => {
    connection?.closeSync();
    instance?.closeSync();
    connection = null;
    instance = null;
  };
  const path = (): string => join(dir, 'users.db');
  return {
    name: 'DuckDB',
    skip: null,
    start: async () => {
      dir = mkdtempSync(join(tmpdir(), 'segments-testdb-'));
      instance = await DuckDBInstance.create(path());
      connection = await instance.connect();
    },
    loadCsv: async (csv, table, options = {}) => {
      await connection!.run(`CREATE OR REPLACE TABLE "${table}" AS SELECT * FROM read_csv(${literal(csv)}${options.allText === true ? ', all_varchar = true' : ''})`);
    },
    exec: async (sql) => {
      await connection!.run(sql);
    },
    // One process opens a DuckDB file once at a time: the loading connection is closed first.
    ready: async () => close(),
    address: (table) => `duckdb:${path()}?table=${table}`,
    stop: async () => {
      close();
      if (dir !== '') rmSync(dir, { recursive: true, force: true });
    },
  };
}

function postgres(): TestDatabase {
  const run = runPostgres();
  let db: PostgresDatabase | null = null;
  return {
    name: 'PostgreSQL',
    skip: 'missing' in run ? run.missing : null,
    start: async () => {
      db = await openTestDatabase((run as { port: number }).port);
    },
    loadCsv: (csv, table, options) => loadCsvIntoPostgres(db!.client, csv, table, options),
    exec: async (sql) => {
      await db!.client.query(sql);
    },
    ready: async () => {},
    address: (table) => db!.address(table),
    stop: async () => {
      await db?.close();
    },
  };
}

/** A new DuckDB and PostgreSQL, for `describe.each`; print the reason of any skipped. */
export function testDatabases(): TestDatabase[] {
  const all = [duckdb(), postgres()];
  for (const db of all) if (db.skip !== null) console.warn(`skipping the ${db.name} specs: ${db.skip}`);
  return all;
}

/** Starts `db` with a table per CSV file (`table name → file`), ready to be opened. */
export async function startWithTables(db: TestDatabase, tables: Readonly<Record<string, string>>): Promise<void> {
  await db.start();
  for (const [table, csv] of Object.entries(tables)) await db.loadCsv(csv, table);
  await db.ready();
}
