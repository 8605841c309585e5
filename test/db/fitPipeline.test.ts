// SPDX-License-Identifier: MIT
/**
 * The pipeline fitted by SQL inside DuckDB and PostgreSQL equals Pipeline.fit on the same rows in memory (the
 * table's rows pulled into Arrow): medians, percentiles, counts, categories, items and modes
 * exactly, sums (means, deviations, skewness) within 1e-9 relative.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParameterError } from '../../src/errors.js';
import { inferKinds } from '../../src/data/inferKinds.js';
import type { PipelineOptions } from '../../src/data/pipeline.js';
import type { Schema } from '../../src/data/schema.js';
import { openSource } from '../../src/db/open.js';
import { pullRows } from '../../src/db/source.js';
import { sampleTable } from '../../src/data/sampleGenerator.js';
import { writeTable } from '../../src/data/writers.js';
import { fitPipelineInDatabase } from '../../src/db/fitPipeline.js';
import { bothFits as bothFitsAt, expectClose } from '../helpers/dbFits.js';
import { testDatabases, type TestDatabase } from '../helpers/testDatabases.js';
import { DATA_DIR } from '../helpers/data.js';

// The byte copies of ../shared/data in the repo (test/helpers/data.ts).
const DATA = DATA_DIR.slice(0, -1);

describe.each(testDatabases())('fitPipelineInDatabase on $name', (db: TestDatabase) => {
  let dir: string;

  beforeAll(async () => {
    if (db.skip !== null) return;
    dir = mkdtempSync(join(tmpdir(), 'segments-db-'));
    await db.start();
    // As text (numbers written as text, read by the pipeline's number reader) and with the database's types.
    await db.loadCsv(`${DATA}/user_profiles_for_ads.csv`, 'ads_text', { allText: true });
    await db.loadCsv(`${DATA}/user_profiles_for_ads.csv`, 'ads');
    await db.loadCsv(`${DATA}/Mall_Customers.csv`, 'mall');
    // 20,000 generated users (ranges, lists, flags, counts), written as CSV by this test.
    await writeTable(sampleTable({ rows: 20_000, seed: 9 }).table, join(dir, 'generated.csv'), { format: 'csv' });
    await db.loadCsv(join(dir, 'generated.csv'), 'generated');
    // Hostile cells: NULLs, words in a numeric column, a formatted number, ties in a category.
    await db.exec(`CREATE TABLE hostile (amount VARCHAR, visits INTEGER, plan VARCHAR, tags VARCHAR, paid BOOLEAN)`);
    await db.exec(`INSERT INTO hostile VALUES ('1,200', 3, 'a', 'x, y', true), ('15', NULL, 'b', 'y', false), (NULL, 0, NULL, NULL, NULL),
      ('n/a', 40, 'b', 'x,x, z', true), ('7.5', 1, 'a', '', false), ('2,000', 2, 'c', 'z', true), ('3', 100, 'c', 'y ,w', NULL)`);
    await db.ready();
  }, 120_000);

  afterAll(async () => {
    await db.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  const bothFits = (table: string, options: PipelineOptions, edit?: (s: Schema) => void): ReturnType<typeof bothFitsAt> => bothFitsAt(db.address(table), options, edit);
  const spec = it.skipIf(db.skip !== null);
  for (const table of ['ads', 'ads_text', 'mall']) {
    for (const scaler of ['standard', 'robust', 'minmax'] as const) {
      spec(`gives the in-memory fit's pipeline on ${table} with the ${scaler} scaler (sums within 1e-9, medians exact)`, async () => {
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

  spec('gives the in-memory pipeline on 20,000 generated users (ranges, lists, categories, counts, log1p auto)', async () => {
    const { memory, database } = await bothFits('generated', { scaler: 'robust' });
    expect(memory.steps.map((s) => s.encoder?.type ?? 'number')).toEqual(expect.arrayContaining(['ordinal', 'multihot', 'onehot', 'number']));
    expectClose(database, memory, 1e-9);
  });

  spec("decides log1p 'auto' as the in-memory fit does, and one-hot ranges", async () => {
    const { memory, database } = await bothFits('ads', { log1p: 'auto', rangeEncoding: 'onehot' });
    expectClose(database, memory, 1e-9);
  });

  spec('reads formatted numbers, words, NULLs, lists with repeats and booleans as the in-memory fit does, and warns alike', async () => {
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

  spec('names a column the schema uses that the table lacks', async () => {
    const source = await openSource(db.address('hostile'));
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
