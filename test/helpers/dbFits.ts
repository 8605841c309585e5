// SPDX-License-Identifier: MIT
/**
 * What the tests of the fit inside a database (DuckDB and PostgreSQL alike) compare it with: the
 * pipeline fitted in memory on the same rows pulled, the spread of each feature a center's error
 * is measured on, and predict against the compiled SQL on the table.
 */
import { expect } from 'vitest';
import { inferKinds } from '../../src/data/inferKinds.js';
import { Pipeline, type PipelineJSON, type PipelineOptions } from '../../src/data/pipeline.js';
import type { Schema } from '../../src/data/schema.js';
import { fitPipelineInDatabase } from '../../src/db/fitPipeline.js';
import { openSource } from '../../src/db/open.js';
import { pullRows, type DbSource } from '../../src/db/source.js';
import type { MatrixF32 } from '../../src/matrix.js';
import type { SegmentationModel } from '../../src/model/model.js';

/** The in-memory fit (on the table's rows pulled) and the in-database fit of the table at `address`, with their warnings. */
export async function bothFits(address: string, options: PipelineOptions, edit?: (s: Schema) => void): Promise<{ memory: PipelineJSON; database: PipelineJSON; warnings: [string[], string[]] }> {
  const source = await openSource(address);
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

/** The keys expectClose compares exactly by default (imputed values and items). */
const VALUE_KEYS: ReadonlySet<string> = new Set(['value', 'items']);

/** Expects the same JSON, numbers within `rel` relative (exact where rel is 0, and under the keys `exact`: imputed values and items by default). */
export function expectClose(got: unknown, want: unknown, rel: number, path = '', exact: ReadonlySet<string> = VALUE_KEYS): void {
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
  for (const [k, v] of Object.entries(want)) expectClose((got as Record<string, unknown>)[k], v, exact.has(k) ? 0 : rel, `${path}.${k}`, exact);
}

/** Each feature's standard deviation over the rows: the scale a center's error is measured on. */
export function spreads(m: MatrixF32): Float64Array {
  const out = new Float64Array(m.cols);
  for (let j = 0; j < m.cols; j++) {
    let s = 0;
    let q = 0;
    for (let i = 0; i < m.rows; i++) {
      s += m.data[i * m.cols + j];
      q += m.data[i * m.cols + j] ** 2;
    }
    out[j] = Math.sqrt(Math.max(q / m.rows - (s / m.rows) ** 2, 1e-12));
  }
  return out;
}

/**
 * Expects `model`'s segments by predict on the table's rows (pulled) to have the sizes `sizes`
 * (the database's counts), and its compiled SQL run on the table to give each row (by `key`)
 * predict's segment. Returns the rows and predict's segments.
 */
export async function expectPredictMatchesSql(model: SegmentationModel, source: DbSource, key: string, sizes: Float64Array): Promise<{ rows: Awaited<ReturnType<typeof pullRows>>; predicted: Int32Array }> {
  const rows = await pullRows(source);
  const predicted = (await model.predict(rows)).segments;
  const counted = new Array<number>(sizes.length).fill(0);
  for (const s of predicted) counted[s]++;
  expect(counted).toEqual(Array.from(sizes));
  expect(model.segments.map((s) => s.size)).toEqual(counted);
  const d = source.dialect;
  const bySql = await source.query(`SELECT ${d.ident(key)} AS id, segment FROM (${model.toSQL({ dialect: d.name, table: source.table, key })}) AS __q ORDER BY id`);
  expect(bySql).toHaveLength(rows.numRows);
  const ids = rows.getChild(key)!.toArray() as Float64Array;
  const segmentOfId = new Map(Array.from(ids, (id, i) => [id, predicted[i]]));
  expect(bySql.map((r) => Number(r.segment))).toEqual(bySql.map((r) => segmentOfId.get(Number(r.id))));
  return { rows, predicted };
}
