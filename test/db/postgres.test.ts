// SPDX-License-Identifier: MIT
/**
 * What is PostgreSQL's own in the fit inside a database, on a database of this file's own on the
 * run's PostgreSQL server (test/helpers/postgres.ts): its addresses, its column types pulled as numbers, booleans and
 * text, its repeatable sample, and what is wrong named (the address, a refused connection by
 * host:port, a missing database or table, a column of a type its kind is not read from);
 * segment() pulling a table's rows. The specs both databases share run on each in
 * fitPipeline.test.ts, lloyd.test.ts and fit.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/backend.js';
import { inferKinds } from '../../src/data/inferKinds.js';
import type { Schema } from '../../src/data/schema.js';
import { fitInDatabase } from '../../src/db/fit.js';
import { fitPipelineInDatabase } from '../../src/db/fitPipeline.js';
import { openPostgres, parsePostgresAddress } from '../../src/db/postgres.js';
import { countRows, pullRows } from '../../src/db/source.js';
import { ParameterError } from '../../src/errors.js';
import { segment } from '../../src/workflow/segment.js';
import { loadCsvIntoPostgres } from '../helpers/databases.js';
import { openTestDatabase, runPostgres, type PostgresDatabase } from '../helpers/postgres.js';
import { DATA_DIR } from '../helpers/data.js';

const PG = runPostgres();
if ('missing' in PG) console.warn(`skipping the PostgreSQL tests: ${PG.missing}`);
const skip = 'missing' in PG;

// The byte copies of ../shared/data in the repo (test/helpers/data.ts).
const DATA = DATA_DIR.slice(0, -1);
let server: PostgresDatabase;
const at = (table: string): string => server.address(table);

beforeAll(async () => {
  if (skip) return;
  await initBackend('cpu', { strict: true, onWarning: () => {} });
  server = await openTestDatabase(PG.port);
  const c = server.client;
  await loadCsvIntoPostgres(c, `${DATA}/Mall_Customers.csv`, 'mall');
  // Columns of types a kind is not read from.
  await c.query(`CREATE TABLE hostile (visits INTEGER, plan TEXT, codes INTEGER[], seen DATE)`);
  await c.query(`INSERT INTO hostile VALUES (3, 'a', '{1}', '2024-01-02'), (NULL, 'b', NULL, NULL), (40, NULL, '{2,3}', '2024-02-03')`);
  await c.query('CREATE SCHEMA crm');
  await c.query('CREATE TABLE crm.people (id BIGINT, spend NUMERIC(10,2), score DOUBLE PRECISION, plan VARCHAR(10), paid BOOLEAN)');
  await c.query("INSERT INTO crm.people VALUES (1, 12.50, 0.1, 'a', true), (2, NULL, 2.5e-300, NULL, false), (3, 3.25, NULL, 'b', NULL)");
}, 120_000);

afterAll(async () => {
  if (!skip) await server?.close();
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
      // The same rows stored in another order give the same sample.
      await server.client.query('CREATE TABLE crm.people_reversed AS SELECT * FROM crm.people ORDER BY id DESC');
      const reversed = await openPostgres(at('crm.people_reversed'));
      try {
        const again = Array.from((await pullRows(reversed, { sample: 2, seed: 4 })).getChild('id')!.toArray() as Float64Array);
        expect(again.sort()).toEqual([...first].sort());
      } finally {
        await reversed.close();
      }
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
      message: `postgres: the table "users" does not exist in the database at 127.0.0.1:${server.port} (its tables: hostile, mall)`,
    });
    await expect(openPostgres(`postgresql://postgres@127.0.0.1:${server.port}/nowhere?table=ads`)).rejects.toThrow(`postgres: cannot connect to PostgreSQL at 127.0.0.1:${server.port}, database "nowhere": database "nowhere" does not exist`);
  });
});

describe.skipIf(skip)('fitPipelineInDatabase on PostgreSQL', () => {
  it('names a column of a type its kind is not read from', async () => {
    const source = await openPostgres(at('hostile'));
    try {
      const schema = inferKinds(await pullRows(source));
      const kinds = (edits: Record<string, string>): Schema => ({ ...schema, columns: schema.columns.map((c) => (c.name in edits ? { ...c, kind: edits[c.name], use: true } : { ...c, use: c.name === 'plan' })) as Schema['columns'] });
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

describe.skipIf(skip)('fitInDatabase on PostgreSQL', () => {
  it('segment() pulls the rows of a PostgreSQL table into memory', async () => {
    const result = await segment(at('mall'), { k: 3, backend: 'cpu' });
    expect(result.model.segments.reduce((a, s) => a + s.size, 0)).toBe(200);
  });

  it('names a refused connection', async () => {
    await expect(fitInDatabase('postgresql://postgres@127.0.0.1:1/postgres?table=ads', { k: 2 })).rejects.toThrow('cannot connect to PostgreSQL at 127.0.0.1:1: connection refused');
  });
});
