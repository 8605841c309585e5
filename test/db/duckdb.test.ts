// SPDX-License-Identifier: MIT
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import * as arrow from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParameterError } from '../../src/errors.js';
import { openDuckDB, parseDuckDBAddress } from '../../src/db/duckdb.js';
import { checkColumnTypes, countRows, isNumericType, pullRows } from '../../src/db/source.js';

let dir: string;
let dbPath: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'segments-duckdb-'));
  dbPath = join(dir, 'x.db');
  const instance = await DuckDBInstance.create(dbPath);
  const c = await instance.connect();
  await c.run('CREATE SCHEMA crm');
  await c.run('CREATE TABLE crm.people (id BIGINT, age INTEGER, spend DECIMAL(10,2), plan VARCHAR, paid BOOLEAN, seen DATE)');
  await c.run("INSERT INTO crm.people VALUES (1, 30, 12.50, 'a', true, DATE '2024-01-02'), (2, NULL, 3.25, NULL, false, NULL), (3, 41, NULL, 'b', NULL, DATE '2024-03-04')");
  c.closeSync();
  instance.closeSync();
  writeFileSync(join(dir, 'small.csv'), 'a,b\n1,x\n2,y\n');
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('parseDuckDBAddress', () => {
  it('reads the path and the table, a schema-qualified table, in-memory databases and files', () => {
    expect(parseDuckDBAddress('duckdb:users.db?table=users')).toEqual({ path: 'users.db', table: 'users', file: null });
    expect(parseDuckDBAddress('duckdb:/a/b.duckdb?table=crm.people')).toEqual({ path: '/a/b.duckdb', table: 'crm.people', file: null });
    expect(parseDuckDBAddress('duckdb::memory:?table=t')).toEqual({ path: ':memory:', table: 't', file: null });
    expect(parseDuckDBAddress('duckdb:data/users.parquet')).toEqual({ path: 'data/users.parquet', table: 'data', file: 'parquet' });
    expect(parseDuckDBAddress('duckdb:users.CSV?table=u')).toEqual({ path: 'users.CSV', table: 'u', file: 'csv' });
  });

  it('names what is wrong with an address', () => {
    expect(() => parseDuckDBAddress('users.db')).toThrow(new ParameterError('duckdb', 'input', "'users.db' is not a DuckDB address: it must start with 'duckdb:' (e.g. duckdb:users.db?table=users)"));
    expect(() => parseDuckDBAddress('duckdb:?table=t')).toThrow(/names no database file/);
    expect(() => parseDuckDBAddress('duckdb:x.db')).toThrow(/names no table: add \?table=NAME/);
    expect(() => parseDuckDBAddress('duckdb:x.db?table=a..b')).toThrow(/names no table/);
    expect(() => parseDuckDBAddress('duckdb:x.db?table=t&limit=3')).toThrow("duckdb: 'duckdb:x.db?table=t&limit=3': unknown option 'limit' (the only option is table=NAME)");
  });

  it('tells numeric column types from the others', () => {
    expect(['INTEGER', 'BIGINT', 'DOUBLE', 'FLOAT', 'DECIMAL(10,2)', 'HUGEINT', 'UBIGINT'].every(isNumericType)).toBe(true);
    expect(['VARCHAR', 'BOOLEAN', 'DATE', 'TIMESTAMP', 'INTEGER[]'].some(isNumericType)).toBe(false);
  });
});

describe('openDuckDB and pullRows', () => {
  it('lists the columns with their types and pulls the rows: numbers as Float64, booleans, everything else as text', async () => {
    const s = await openDuckDB(`duckdb:${dbPath}?table=crm.people`);
    try {
      expect(s.columns).toEqual([
        { name: 'id', type: 'BIGINT' },
        { name: 'age', type: 'INTEGER' },
        { name: 'spend', type: 'DECIMAL(10,2)' },
        { name: 'plan', type: 'VARCHAR' },
        { name: 'paid', type: 'BOOLEAN' },
        { name: 'seen', type: 'DATE' },
      ]);
      expect(await countRows(s)).toBe(3);
      const t = await pullRows(s);
      expect(t.schema.fields.map((f) => String(f.type))).toEqual(['Float64', 'Float64', 'Float64', 'Utf8', 'Bool', 'Utf8']);
      expect(t.toArray().map((r) => r.toJSON())).toEqual([
        { id: 1, age: 30, spend: 12.5, plan: 'a', paid: true, seen: '2024-01-02' },
        { id: 2, age: null, spend: 3.25, plan: null, paid: false, seen: null },
        { id: 3, age: 41, spend: null, plan: 'b', paid: null, seen: '2024-03-04' },
      ]);
      expect((await pullRows(s, { limit: 2 })).numRows).toBe(2);
      expect((await pullRows(s, { sample: 2, seed: 1, columns: ['plan'] })).schema.fields.map((f) => f.name)).toEqual(['plan']);
      expect((await pullRows(s, { sample: 2, seed: 1 })).numRows).toBe(2);
      await expect(pullRows(s, { sample: 0 })).rejects.toMatchObject({ name: 'ParameterError', argument: 'sample', message: 'duckdb: sample=0 must be an integer >= 1' });
      await expect(pullRows(s, { sample: 1.5 })).rejects.toMatchObject({ name: 'ParameterError', argument: 'sample', message: 'duckdb: sample=1.5 must be an integer >= 1' });
      await expect(pullRows(s, { columns: ['nope'] })).rejects.toMatchObject({ name: 'DataError', column: 'nope', message: 'duckdb: the table "crm.people" lacks column(s): "nope"' });
    } finally {
      await s.close();
    }
  });

  it('reads a CSV file through DuckDB as the table data, and an in-memory database has no tables', async () => {
    const s = await openDuckDB(`duckdb:${join(dir, 'small.csv')}`);
    try {
      const t = await pullRows(s);
      expect(t).toBeInstanceOf(arrow.Table);
      expect(t.toArray().map((r) => r.toJSON())).toEqual([
        { a: 1, b: 'x' },
        { a: 2, b: 'y' },
      ]);
    } finally {
      await s.close();
    }
    await expect(openDuckDB('duckdb::memory:?table=users')).rejects.toThrow("duckdb: the table \"users\" does not exist in ':memory:' (it has no tables)");
  });

  it('runs DuckDB under the memory limit given (512MB unless told), spilling to a folder of its own that close removes', async () => {
    const s = await openDuckDB(`duckdb:${dbPath}?table=crm.people`);
    const [setting] = await s.query("SELECT current_setting('memory_limit') AS m, current_setting('temp_directory') AS t");
    // DuckDB prints 512 MB (10^6 bytes each) in MiB.
    expect(setting.m).toBe('488.2 MiB');
    expect(existsSync(String(setting.t))).toBe(true);
    await s.close();
    expect(existsSync(String(setting.t))).toBe(false);
    const big = await openDuckDB(`duckdb:${dbPath}?table=crm.people`, { memoryLimit: '2GB' });
    expect((await big.query("SELECT current_setting('memory_limit') AS m"))[0].m).toBe('1.8 GiB');
    await big.close();
    await expect(openDuckDB(`duckdb:${dbPath}?table=crm.people`, { memoryLimit: 'lots' })).rejects.toThrow(new ParameterError('duckdb', 'memoryLimit', "memoryLimit='lots' is not an amount of memory such as 512MB or 2GB"));
  });

  it('names a column whose type its kind is not read from', async () => {
    const s = await openDuckDB(`duckdb:${dbPath}?table=crm.people`);
    try {
      const info = (name: string, kind: string) => ({ name, kind, use: true }) as unknown as Parameters<typeof checkColumnTypes>[1][number];
      expect(() => checkColumnTypes(s, [info('spend', 'number'), info('plan', 'list'), info('seen', 'category'), info('paid', 'flag')], 'fitInDatabase')).not.toThrow();
      expect(() => checkColumnTypes(s, [info('seen', 'count')], 'fitInDatabase')).toThrow('fitInDatabase: column "seen" of the table "crm.people" has type DATE; as a count column it must be a numeric or text column');
      expect(() => checkColumnTypes(s, [info('age', 'list')], 'fitInDatabase')).toThrow("column \"age\" of the table \"crm.people\" has type INTEGER; as a list column it must be a text column (items separated by ',')");
    } finally {
      await s.close();
    }
  });
});
