// SPDX-License-Identifier: MIT
/**
 * The pipeline fitted by SQL inside DuckDB equals Pipeline.fit on the same rows in memory (the
 * table's rows pulled into Arrow): medians, percentiles, counts, categories, items and modes
 * exactly, sums (means, deviations, skewness) within 1e-9 relative.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParameterError } from '../../src/errors.js';
import { inferKinds } from '../../src/data/inferKinds.js';
import { Pipeline, type PipelineJSON, type PipelineOptions } from '../../src/data/pipeline.js';
import type { Schema } from '../../src/data/schema.js';
import { openDuckDB } from '../../src/db/duckdb.js';
import { pullRows } from '../../src/db/source.js';
import { sampleTable } from '../../src/data/sampleGenerator.js';
import { writeTable } from '../../src/data/writers.js';
import { fitPipelineInDatabase } from '../../src/db/fitPipeline.js';

const DATA = '/work/shared/data';
let dir: string;
let dbPath: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'segments-db-'));
  dbPath = join(dir, 'users.db');
  const instance = await DuckDBInstance.create(dbPath);
  const c = await instance.connect();
  // As text (numbers written as text, read by the pipeline's number reader) and with DuckDB's types.
  await c.run(`CREATE TABLE ads_text AS SELECT * FROM read_csv('${DATA}/user_profiles_for_ads.csv', all_varchar = true)`);
  await c.run(`CREATE TABLE ads AS SELECT * FROM read_csv('${DATA}/user_profiles_for_ads.csv')`);
  await c.run(`CREATE TABLE mall AS SELECT * FROM read_csv('${DATA}/Mall_Customers.csv')`);
  // 20,000 generated users (ranges, lists, flags, counts), written as CSV by this test.
  await writeTable(sampleTable({ rows: 20_000, seed: 9 }).table, join(dir, 'generated.csv'), { format: 'csv' });
  await c.run(`CREATE TABLE generated AS SELECT * FROM read_csv('${join(dir, 'generated.csv')}')`);
  // Hostile cells: NULLs, words in a numeric column, a formatted number, ties in a category.
  await c.run(`CREATE TABLE hostile (amount VARCHAR, visits INTEGER, plan VARCHAR, tags VARCHAR, paid BOOLEAN)`);
  await c.run(`INSERT INTO hostile VALUES ('1,200', 3, 'a', 'x, y', true), ('15', NULL, 'b', 'y', false), (NULL, 0, NULL, NULL, NULL),
    ('n/a', 40, 'b', 'x,x, z', true), ('7.5', 1, 'a', '', false), ('2,000', 2, 'c', 'z', true), ('3', 100, 'c', 'y ,w', NULL)`);
  c.closeSync();
  instance.closeSync();
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The in-memory fit and the in-database fit of `table` with `options`. */
async function bothFits(table: string, options: PipelineOptions, edit?: (s: Schema) => void): Promise<{ memory: PipelineJSON; database: PipelineJSON; warnings: [string[], string[]] }> {
  const source = await openDuckDB(`duckdb:${dbPath}?table=${table}`);
  try {
    const rows = await pullRows(source);
    const schema = inferKinds(rows);
    edit?.(schema);
    const w1: string[] = [];
    const w2: string[] = [];
    const memory = Pipeline.fit(rows, schema, { ...options, onWarning: (m) => w1.push(m) }).toJSON();
    const database = (await fitPipelineInDatabase(source, schema, { ...options, onWarning: (m) => w2.push(m) })).toJSON();
    return { memory, database, warnings: [w1, w2] };
  } finally {
    await source.close();
  }
}

/** Expects the same JSON, numbers within `rel` relative (exact where rel is 0). */
function expectClose(got: unknown, want: unknown, rel: number, path = ''): void {
  if (typeof want === 'number' && typeof got === 'number') {
    if (rel === 0 || want === 0) expect(got, path).toBe(want);
    else expect(Math.abs(got - want) / Math.abs(want), `${path}: ${got} vs ${want}`).toBeLessThanOrEqual(rel);
    return;
  }
  if (want === null || typeof want !== 'object') {
    expect(got, path).toEqual(want);
    return;
  }
  expect(Object.keys(got as object).sort(), path).toEqual(Object.keys(want).sort());
  for (const [k, v] of Object.entries(want)) expectClose((got as Record<string, unknown>)[k], v, k === 'value' || k === 'items' ? 0 : rel, `${path}.${k}`);
}

describe('fitPipelineInDatabase', () => {
  for (const table of ['ads', 'ads_text', 'mall']) {
    for (const scaler of ['standard', 'robust', 'minmax'] as const) {
      it(`gives the in-memory fit's pipeline on ${table} with the ${scaler} scaler (sums within 1e-9, medians exact)`, async () => {
        const { memory, database } = await bothFits(table, { scaler, log1p: true });
        expect(database.steps.map((s) => s.column)).toEqual(memory.steps.map((s) => s.column));
        expect(database.dropped).toEqual(memory.dropped);
        expect(database.fitRows).toBe(memory.fitRows);
        for (let i = 0; i < memory.steps.length; i++) {
          const m = memory.steps[i];
          // The imputed value (median or mode), encoder and kind exactly; scales within 1e-9 (robust and min-max exactly where no log1p).
          expect(database.steps[i].impute, m.column).toEqual(m.impute);
          expect(database.steps[i].encoder, m.column).toEqual(m.encoder);
          expect(database.steps[i].log1p, m.column).toBe(m.log1p);
          const exact = scaler !== 'standard' && !m.log1p;
          expectClose(database.steps[i].scale, m.scale, exact ? 0 : 1e-9, m.column);
        }
      });
    }
  }

  it('gives the in-memory pipeline on 20,000 generated users (ranges, lists, categories, counts, log1p auto)', async () => {
    const { memory, database } = await bothFits('generated', { scaler: 'robust' });
    expect(memory.steps.map((s) => s.encoder?.type ?? 'number')).toEqual(expect.arrayContaining(['ordinal', 'multihot', 'onehot', 'number']));
    expectClose(database, memory, 1e-9);
  });

  it("decides log1p 'auto' as the in-memory fit does, and one-hot ranges", async () => {
    const { memory, database } = await bothFits('ads', { log1p: 'auto', rangeEncoding: 'onehot' });
    expectClose(database, memory, 1e-9);
  });

  it('reads formatted numbers, words, NULLs, lists with repeats and booleans as the in-memory fit does, and warns alike', async () => {
    const { memory, database, warnings } = await bothFits('hostile', { scaler: 'robust' }, (s) => {
      for (const c of s.columns) {
        if (c.name === 'plan') Object.assign(c, { kind: 'category', use: true });
        if (c.name === 'tags') Object.assign(c, { kind: 'list', use: true, separator: ',' });
        if (c.name === 'visits') Object.assign(c, { kind: 'count', use: true });
        if (c.name === 'amount') Object.assign(c, { kind: 'number', use: true, numberFormat: { thousands: ',' } });
        if (c.name === 'paid') Object.assign(c, { kind: 'flag', use: true });
      }
    });
    expect(memory.steps.map((s) => s.column)).toEqual(['amount', 'visits', 'plan', 'tags', 'paid']);
    expectClose(database, memory, 0);
    expect(warnings[1]).toEqual(warnings[0].map((w) => w.replace(/^Pipeline\.fit/, 'Pipeline.fit')));
  });

  it('names a column the schema uses that the table lacks', async () => {
    const source = await openDuckDB(`duckdb:${dbPath}?table=hostile`);
    try {
      const schema = inferKinds(await pullRows(source));
      schema.columns.push({ ...schema.columns[0], name: 'nope', use: true, kind: 'number' });
      await expect(fitPipelineInDatabase(source, schema)).rejects.toMatchObject({ name: 'DataError', column: 'nope', message: 'fitInDatabase: the table "hostile" lacks column(s): "nope"' });
      await expect(fitPipelineInDatabase(source, schema, { scaler: 'max' as never })).rejects.toThrow(ParameterError);
    } finally {
      await source.close();
    }
  });
});
