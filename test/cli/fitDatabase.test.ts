// SPDX-License-Identifier: MIT
/**
 * `segments fit 'duckdb:…'`: k-means inside the database writes model.json (which `predict`
 * applies with the database's segment sizes) and fit.json; `--pull` runs the whole workflow on
 * the rows in memory; what does not apply or does not exist is named. The same on a database of
 * this file's own on the run's PostgreSQL server (test/helpers/postgres.ts).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCsvIntoPostgres } from '../helpers/databases.js';
import { openTestDatabase, runPostgres, type PostgresDatabase } from '../helpers/postgres.js';
import { run } from './run.js';
import { DATA_DIR } from '../helpers/data.js';

const PG = runPostgres();
if ('missing' in PG) console.warn(`skipping the PostgreSQL tests: ${PG.missing}`);

// The byte copies of ../shared/data in the repo (test/helpers/data.ts).
const DATA = DATA_DIR.slice(0, -1);
let dir: string;
let address: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'segments-cli-db-'));
  const path = join(dir, 'mall.db');
  const instance = await DuckDBInstance.create(path);
  const c = await instance.connect();
  await c.run(`CREATE TABLE customers AS SELECT * FROM read_csv('${DATA}/Mall_Customers.csv')`);
  c.closeSync();
  instance.closeSync();
  address = `duckdb:${path}?table=customers`;
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('segments fit duckdb:', () => {
  it('fits inside the database and writes a model.json that predict applies with the same segment sizes', async () => {
    const out = join(dir, 'out');
    const r = await run(['fit', address, '--k', '3', '--out', out, '--backend', 'cpu', '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out);
    expect(summary.input).toEqual({ address, rows: 200, sampleRows: 200 });
    expect(summary.k).toBe(3);
    expect(summary.files).toEqual({ model: join(out, 'model.json'), profiles: join(out, 'profiles.json'), report: join(out, 'report.html'), fit: join(out, 'fit.json') });
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    for (const s of summary.segments as Array<{ name: string }>) expect(html).toContain(s.name.replaceAll('&', '&amp;'));
    expect(html).toContain('From every row, by SQL');
    const profiles = JSON.parse(readFileSync(join(out, 'profiles.json'), 'utf8'));
    expect(profiles.computedOn).toBe('every one of the 200 rows, by SQL inside the database');
    expect(summary.segments.map((s: { name: string }) => s.name)).toEqual(profiles.segments.map((s: { name: string }) => s.name));
    expect(JSON.parse(readFileSync(join(out, 'fit.json'), 'utf8'))).toEqual(summary);
    const p = await run(['predict', join(out, 'model.json'), join(DATA, 'Mall_Customers.csv'), '--out', join(dir, 'pred.csv'), '--backend', 'cpu', '--json']);
    expect(p.code).toBe(0);
    const lines = readFileSync(join(dir, 'pred.csv'), 'utf8').trim().split('\n');
    const header = lines[0].split(',');
    const col = header.indexOf('segment');
    const sizes = [0, 0, 0];
    for (const line of lines.slice(1)) sizes[Number(line.split(',')[col])]++;
    expect(sizes).toEqual(summary.segments.map((s: { size: number }) => s.size));
  });

  it('with --pull runs the whole workflow on the rows in memory', async () => {
    const out = join(dir, 'pulled');
    const r = await run(['fit', address, '--pull', '--k', '3', '--out', out, '--backend', 'cpu']);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`${address}: 200 rows, 5 columns`);
    expect(readFileSync(join(out, 'segments.csv'), 'utf8').trim().split('\n')).toHaveLength(201);
  });

  it('names a missing table, a missing file and a flag that does not apply', async () => {
    const noTable = await run(['fit', address.replace('customers', 'users')]);
    expect(noTable.code).toBe(1);
    expect(noTable.err).toContain('segments: the table "users" does not exist in');
    expect(noTable.err).toContain('(its tables: customers)');
    const noFile = await run(['fit', `duckdb:${dir}/none.db?table=customers`]);
    expect(noFile.err).toBe(`segments: 'duckdb:${dir}/none.db?table=customers': there is no file '${dir}/none.db'`);
    const flag = await run(['fit', address, '--n-init', '3']);
    expect(flag.code).toBe(2);
    expect(flag.err).toContain('--n-init does not apply to a fit inside the database; add --pull');
    const pull = await run(['fit', join(DATA, 'Mall_Customers.csv'), '--pull']);
    expect(pull.code).toBe(2);
  });
});

describe.skipIf('missing' in PG)('segments fit postgresql://', () => {
  let server: PostgresDatabase;
  let pgAddress: string;

  beforeAll(async () => {
    server = await openTestDatabase((PG as { port: number }).port);
    await loadCsvIntoPostgres(server.client, `${DATA}/Mall_Customers.csv`, 'customers');
    pgAddress = server.address('customers');
  }, 60_000);

  afterAll(async () => {
    await server?.close();
  });

  it('fits inside PostgreSQL, writes a model whose compiled SQL gives the sizes it counted, and says how to label the rows', async () => {
    const out = join(dir, 'pg');
    const r = await run(['fit', pgAddress, '--k', '3', '--out', out, '--backend', 'cpu']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`${pgAddress}: 200 rows, fitted inside PostgreSQL (the rows stayed there)`);
    expect(r.out).toContain(`label the rows inside the database: segments sql ${join(out, 'model.json')} --dialect postgres --table customers`);
    const summary = JSON.parse(readFileSync(join(out, 'fit.json'), 'utf8'));
    const s = await run(['sql', join(out, 'model.json'), '--dialect', 'postgres', '--table', 'customers']);
    expect(s.code).toBe(0);
    const counted = (await server.client.query(`SELECT segment, count(*) AS n FROM (${s.out}) AS s GROUP BY segment ORDER BY segment`)).rows.map((row) => Number(row.n));
    expect(counted).toEqual(summary.segments.map((x: { size: number }) => x.size));
  });

  it('hides the password of the address it prints, and names a refused connection and --memory-limit on PostgreSQL', async () => {
    const refused = await run(['fit', 'postgresql://ana:secret@127.0.0.1:1/db?table=t', '--k', '2']);
    expect(refused.code).toBe(1);
    expect(refused.err).toBe('segments: cannot connect to PostgreSQL at 127.0.0.1:1: connection refused (no server listens there)');
    const limit = await run(['fit', pgAddress, '--memory-limit', '1GB']);
    expect(limit.code).toBe(2);
    expect(limit.err).toContain('--memory-limit applies to a DuckDB table');
    const pulled = await run(['fit', pgAddress.replace('postgres@', 'postgres:pw@'), '--pull', '--k', '3', '--out', join(dir, 'pgpull'), '--backend', 'cpu']);
    expect(pulled.code).toBe(0);
    expect(pulled.out).toContain(`${pgAddress.replace('postgres@', 'postgres:***@')}: 200 rows, 5 columns`);
    expect(pulled.out + pulled.err).not.toContain(':pw@');
    const hidden = await run(['fit', pgAddress.replace('postgres@', 'postgres:pw@'), '--k', '2', '--out', join(dir, 'pghidden'), '--backend', 'cpu']);
    expect(hidden.code).toBe(0);
    expect(hidden.out + readFileSync(join(dir, 'pghidden', 'fit.json'), 'utf8')).not.toContain(':pw@');
  });
});
