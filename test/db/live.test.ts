// SPDX-License-Identifier: MIT
/**
 * Opt-in live checks of the SQL a model compiles to on the databases that cannot run here:
 * ClickHouse, Spark SQL (Databricks), BigQuery, Snowflake and Trino. Each runs when its
 * connection is given in the environment (README, "Data in a database"), else it is skipped with
 * the reason printed once. For each shared dataset (Mall_Customers, user_profiles_for_ads) a
 * model is fitted here with the library, the CSV's cells are loaded into a new table (every
 * column as text, NULL where the CSV reader sees a missing value, and the row number `__row`),
 * and `model.toSQL({ dialect, table, key: '__row' })` run there must give predict's segment and
 * name on every row, its distance within 1e-6 relative, as test/model/sql/compile.test.ts checks
 * on DuckDB and PostgreSQL. The table is dropped afterwards (Spark: a temporary view).
 *
 * ClickHouse is reached through its HTTP interface with fetch (no client package); the others
 * through their vendors' Node clients, which are not dependencies of this project: install the
 * one named (npm install --no-save NAME) to run its check.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KMeans } from '../../src/algorithms/kmeans.js';
import { initBackend } from '../../src/backend/backend.js';
import { inferKinds } from '../../src/data/inferKinds.js';
import { Pipeline } from '../../src/data/pipeline.js';
import { readTable } from '../../src/data/readTable.js';
import { SegmentationModel } from '../../src/model/model.js';
import { dialectOf, type DialectName } from '../../src/model/sql/dialects.js';
import { dataPath } from '../helpers/data.js';
import { csvTextCells, predictDisagreements } from '../helpers/databases.js';

/** A connection to a live database: statements, queries (rows as objects by column name), close. */
interface LiveConnection {
  exec(sql: string): Promise<void>;
  query(sql: string): Promise<Array<Record<string, unknown>>>;
  close(): Promise<void>;
}

/** One live database: how it is reached and how a table of text cells is made there. */
interface LiveDatabase {
  name: string;
  dialect: DialectName;
  /** The environment variable holding the connection, and its form. */
  env: string;
  form: string;
  /** The Node client it needs, or null (fetch). */
  client: string | null;
  open(address: string, client: unknown): Promise<LiveConnection>;
  /** The table's name as toSQL takes it (parts joined by dots), from a bare name. */
  qualify(address: string, name: string): string;
  /** Makes the table `name` of the rows (every value a SQL literal), `__row` an integer and the other columns text. */
  load(c: LiveConnection, name: string, columns: readonly string[], rows: readonly string[][]): Promise<void>;
  drop(c: LiveConnection, name: string): Promise<void>;
}

/** A connection from a function that runs SQL and gives rows back. */
function connectionOf(run: (sql: string) => Promise<Array<Record<string, unknown>>>, close: () => Promise<void> = async () => {}): LiveConnection {
  return {
    exec: async (sql) => {
      await run(sql);
    },
    query: run,
    close,
  };
}

const rand = Math.random().toString(36).slice(2, 8);
const qualified = (dialect: DialectName, name: string): string =>
  name
    .split('.')
    .map((p) => dialectOf(dialect).ident(p))
    .join('.');

/** CREATE TABLE then INSERT … VALUES in batches of 200 rows. */
async function createAndInsert(c: LiveConnection, dialect: DialectName, name: string, columns: readonly string[], rows: readonly string[][], types: { int: string; text: string; suffix?: string }): Promise<void> {
  const d = dialectOf(dialect);
  await c.exec(`CREATE TABLE ${qualified(dialect, name)} (${columns.map((col, j) => `${d.ident(col)} ${j === 0 ? types.int : types.text}`).join(', ')})${types.suffix ?? ''}`);
  for (let start = 0; start < rows.length; start += 200) {
    await c.exec(`INSERT INTO ${qualified(dialect, name)} VALUES ${rows.slice(start, start + 200).map((r) => `(${r.join(', ')})`).join(', ')}`);
  }
}

const dropTable = (dialect: DialectName) => async (c: LiveConnection, name: string) => c.exec(`DROP TABLE IF EXISTS ${qualified(dialect, name)}`);

const DATABASES: LiveDatabase[] = [
  {
    name: 'ClickHouse',
    dialect: 'clickhouse',
    env: 'SEGMENTS_TEST_CLICKHOUSE_URL',
    form: 'http://USER:PASSWORD@HOST:8123/?database=DB',
    client: null,
    // The HTTP interface: the query as the POST body, credentials in X-ClickHouse-User/-Key,
    // rows back as FORMAT JSON's `data` (https://clickhouse.com/docs/interfaces/http).
    open: async (address) => {
      const url = new URL(address);
      const headers: Record<string, string> = {};
      if (url.username !== '') headers['X-ClickHouse-User'] = decodeURIComponent(url.username);
      if (url.password !== '') headers['X-ClickHouse-Key'] = decodeURIComponent(url.password);
      url.username = '';
      url.password = '';
      const post = async (sql: string): Promise<string> => {
        const response = await fetch(url, { method: 'POST', headers, body: sql });
        const text = await response.text();
        if (!response.ok) throw new Error(`ClickHouse ${response.status}: ${text.slice(0, 500)}`);
        return text;
      };
      // A statement's reply is empty; a query's is FORMAT JSON.
      return connectionOf(async (sql) => {
        const text = await post(/^\s*(CREATE|INSERT|DROP)\b/i.test(sql) ? sql : `${sql}\nFORMAT JSON`);
        return text.trim() === '' ? [] : (JSON.parse(text) as { data: Array<Record<string, unknown>> }).data;
      });
    },
    qualify: (_address, name) => name,
    load: (c, name, columns, rows) => createAndInsert(c, 'clickhouse', name, columns, rows, { int: 'Int64', text: 'Nullable(String)', suffix: ' ENGINE = Memory' }),
    drop: dropTable('clickhouse'),
  },
  {
    name: 'Spark SQL (Databricks)',
    dialect: 'spark',
    env: 'SEGMENTS_TEST_DATABRICKS_URL',
    form: 'databricks://token:TOKEN@HOST/sql/1.0/warehouses/ID',
    client: '@databricks/sql',
    // DBSQLClient → session → executeStatement → fetchAll (the package's README).
    open: async (address, client) => {
      const url = new URL(address);
      const { DBSQLClient } = client as { DBSQLClient: new () => DatabricksClient };
      const c = new DBSQLClient();
      await c.connect({ host: url.hostname, path: url.pathname, token: decodeURIComponent(url.password) });
      const session = await c.openSession();
      const run = async (sql: string): Promise<Array<Record<string, unknown>>> => {
        const op = await session.executeStatement(sql, { runAsync: true });
        try {
          return await op.fetchAll();
        } finally {
          await op.close();
        }
      };
      return connectionOf(run, async () => {
        await session.close();
        await c.close();
      });
    },
    qualify: (_address, name) => name,
    // A temporary view of the rows (no table to write: https://docs.databricks.com/en/sql/language-manual/sql-ref-syntax-qry-select-values.html).
    load: async (c, name, columns, rows) => {
      const d = dialectOf('spark');
      await c.exec(`CREATE OR REPLACE TEMPORARY VIEW ${d.ident(name)} AS SELECT * FROM VALUES ${rows.map((r) => `(${r.join(', ')})`).join(', ')} AS __segments_t(${columns.map((col) => d.ident(col)).join(', ')})`);
    },
    drop: async (c, name) => c.exec(`DROP VIEW IF EXISTS ${dialectOf('spark').ident(name)}`),
  },
  {
    name: 'BigQuery',
    dialect: 'bigquery',
    env: 'SEGMENTS_TEST_BIGQUERY_DATASET',
    form: 'PROJECT.DATASET (credentials as the client finds them: GOOGLE_APPLICATION_CREDENTIALS)',
    client: '@google-cloud/bigquery',
    // new BigQuery({ projectId }).query({ query }) gives [rows] (the package's README).
    open: async (address, client) => {
      const { BigQuery } = client as { BigQuery: new (o: { projectId: string }) => { query(o: { query: string }): Promise<[Array<Record<string, unknown>>]> } };
      const bq = new BigQuery({ projectId: address.split('.')[0] });
      return connectionOf(async (sql) => (await bq.query({ query: sql }))[0]);
    },
    qualify: (address, name) => `${address}.${name}`,
    load: (c, name, columns, rows) => createAndInsert(c, 'bigquery', name, columns, rows, { int: 'INT64', text: 'STRING', suffix: ' OPTIONS (expiration_timestamp = TIMESTAMP_ADD(CURRENT_TIMESTAMP(), INTERVAL 1 HOUR))' }),
    drop: dropTable('bigquery'),
  },
  {
    name: 'Snowflake',
    dialect: 'snowflake',
    env: 'SEGMENTS_TEST_SNOWFLAKE_URL',
    form: 'snowflake://USER:PASSWORD@ACCOUNT/DATABASE/SCHEMA?warehouse=WH',
    client: 'snowflake-sdk',
    // createConnection → connect → execute({ sqlText, complete(err, stmt, rows) }) (the package's README).
    open: async (address, client) => {
      const url = new URL(address);
      const [database, schema] = url.pathname.slice(1).split('/');
      const sdk = ((client as { default?: unknown }).default ?? client) as SnowflakeSdk;
      const connection = sdk.createConnection({
        account: url.hostname,
        username: decodeURIComponent(url.username),
        password: decodeURIComponent(url.password),
        database,
        schema,
        warehouse: url.searchParams.get('warehouse') ?? undefined,
      });
      await new Promise<void>((resolve, reject) => connection.connect((err) => (err ? reject(err) : resolve())));
      const run = (sql: string): Promise<Array<Record<string, unknown>>> =>
        new Promise((resolve, reject) => connection.execute({ sqlText: sql, complete: (err, _stmt, rows) => (err ? reject(err) : resolve(rows ?? [])) }));
      return connectionOf(run, () => new Promise<void>((resolve) => connection.destroy(() => resolve())));
    },
    qualify: (_address, name) => name,
    load: (c, name, columns, rows) => createAndInsert(c, 'snowflake', name, columns, rows, { int: 'INTEGER', text: 'VARCHAR' }),
    drop: dropTable('snowflake'),
  },
  {
    name: 'Trino',
    dialect: 'trino',
    env: 'SEGMENTS_TEST_TRINO_URL',
    form: 'http://USER@HOST:8080/CATALOG/SCHEMA (a catalog whose tables can be written, e.g. memory)',
    client: 'trino-client',
    // Trino.create({ server, catalog, schema, auth }) → query → for await over { columns, data, error } (the package's README).
    open: async (address, client) => {
      const url = new URL(address);
      const [catalog, schema] = url.pathname.slice(1).split('/');
      const { Trino, BasicAuth } = client as { Trino: { create(o: object): TrinoClient }; BasicAuth: new (user: string, password?: string) => object };
      const trino = Trino.create({ server: `${url.protocol}//${url.host}`, catalog, schema, auth: new BasicAuth(decodeURIComponent(url.username) || 'segments', url.password === '' ? undefined : decodeURIComponent(url.password)) });
      const run = async (sql: string): Promise<Array<Record<string, unknown>>> => {
        const out: Array<Record<string, unknown>> = [];
        let columns: string[] = [];
        for await (const r of await trino.query(sql)) {
          if (r.error) throw new Error(`Trino: ${r.error.message}`);
          if (r.columns) columns = r.columns.map((col) => col.name);
          for (const row of r.data ?? []) out.push(Object.fromEntries(columns.map((name, j) => [name, row[j]])));
        }
        return out;
      };
      return connectionOf(run);
    },
    qualify: (_address, name) => name,
    load: (c, name, columns, rows) => createAndInsert(c, 'trino', name, columns, rows, { int: 'BIGINT', text: 'VARCHAR' }),
    drop: dropTable('trino'),
  },
];

interface DatabricksClient {
  connect(o: { host: string; path: string; token: string }): Promise<unknown>;
  openSession(): Promise<{ executeStatement(sql: string, o: object): Promise<{ fetchAll(): Promise<Array<Record<string, unknown>>>; close(): Promise<unknown> }>; close(): Promise<unknown> }>;
  close(): Promise<unknown>;
}
interface SnowflakeSdk {
  createConnection(o: object): {
    connect(cb: (err: Error | undefined) => void): void;
    execute(o: { sqlText: string; complete: (err: Error | undefined, stmt: unknown, rows: Array<Record<string, unknown>> | undefined) => void }): void;
    destroy(cb: () => void): void;
  };
}
interface TrinoClient {
  query(sql: string): Promise<AsyncIterable<{ columns?: Array<{ name: string }>; data?: unknown[][]; error?: { message: string } }>>;
}

/** The client package, or why the check cannot run. */
async function prepare(db: LiveDatabase): Promise<{ address: string; client: unknown } | { skip: string }> {
  const address = process.env[db.env];
  if (address === undefined || address === '') return { skip: `${db.env} is not set (${db.form})` };
  if (db.client === null) return { address, client: null };
  try {
    const name = db.client;
    return { address, client: await import(/* @vite-ignore */ name) };
  } catch {
    return { skip: `${db.env} is set but the client package ${db.client} is not installed (npm install --no-save ${db.client})` };
  }
}

const prepared = await Promise.all(DATABASES.map(async (db) => ({ db, ready: await prepare(db) })));
for (const { db, ready } of prepared) if ('skip' in ready) console.warn(`skipping the live ${db.name} check: ${ready.skip}`);

const DATASETS = ['Mall_Customers.csv', 'user_profiles_for_ads.csv'] as const;

/** A model fitted here on the file: inferred kinds, the default pipeline, seeded k-means (k = 4). */
async function fitModel(path: string): Promise<SegmentationModel> {
  const { table } = await readTable(path, { onBadRows: 'null' });
  const schema = inferKinds(table);
  const pipeline = Pipeline.fit(table, schema, { onWarning: () => {} });
  const result = await new KMeans({ k: 4, seed: 3, nInit: 1 }).fit(pipeline.transform(table).matrix);
  return SegmentationModel.fromFit({ pipeline, schema, result });
}

describe.each(prepared)('model.toSQL live on $db.name', ({ db, ready }) => {
  const skip = 'skip' in ready;
  let connection: LiveConnection | null = null;
  const made: string[] = [];

  beforeAll(async () => {
    if (skip) return;
    await initBackend('cpu', { strict: true, onWarning: () => {} });
    connection = await db.open(ready.address, ready.client);
  }, 120_000);

  afterAll(async () => {
    if (connection === null) return;
    for (const name of made) await db.drop(connection, name).catch(() => {});
    await connection.close();
  });

  it.skipIf(skip).each(DATASETS)('gives predict’s segment, name and distance on every row of %s', async (file) => {
    if (skip) return;
    const c = connection as LiveConnection;
    const path = dataPath(file);
    const model = await fitModel(path);
    const d = dialectOf(db.dialect);
    const { columns, rows } = csvTextCells(path);
    const name = `segments_live_${rand}_${file.replace(/\W/g, '_').toLowerCase()}`;
    made.push(name);
    await db.load(
      c,
      name,
      ['__row', ...columns],
      rows.map((r, i) => [String(i), ...r.map((v) => (v === null ? (db.dialect === 'spark' ? 'CAST(NULL AS STRING)' : 'NULL') : d.text(v)))]),
    );
    const { table } = await readTable(path, { onBadRows: 'null' });
    const predicted = await model.predict(table, { onBadRows: 'null' });
    const got = await c.query(model.toSQL({ dialect: db.dialect, table: db.qualify(ready.address, name), key: '__row' }));
    expect(got).toHaveLength(rows.length);
    // Column names as the database gives them back, in any case (they are quoted, so kept).
    const bad = predictDisagreements(got, predicted);
    expect(bad.slice(0, 5)).toEqual([]);
  }, 300_000);
});
