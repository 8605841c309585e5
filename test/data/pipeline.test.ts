// SPDX-License-Identifier: MIT
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as arrow from 'apache-arrow';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readCsv as readCsvTable } from '../../src/data/csv.js';
import { inferKinds } from '../../src/data/inferKinds.js';
import { PIPELINE_VERSION, Pipeline, outputTensor, type PipelineJSON, type PipelineOutput } from '../../src/data/pipeline.js';
import type { ColumnInfo, ColumnKind, Schema } from '../../src/data/schema.js';
import { DataError } from '../../src/errors.js';
import { dataPath, readCsvRecords } from '../helpers/data.js';

const fixture = JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/sklearn/preprocess_pipeline.json', import.meta.url)), 'utf8')) as {
  fit_rows: [number, number];
  transform_rows: [number, number];
  feature_names: string[];
  transform: number[][];
};

const ads = readCsvRecords(dataPath('user_profiles_for_ads.csv'));

/** The kinds of the ads file's columns, written down by hand. */
const ADS_KINDS: Record<string, ColumnKind> = {
  'User ID': 'id',
  Age: 'range',
  Gender: 'category',
  Location: 'category',
  Language: 'category',
  'Education Level': 'category',
  'Likes and Reactions': 'count',
  'Followed Accounts': 'count',
  'Device Usage': 'category',
  'Time Spent Online (hrs/weekday)': 'number',
  'Time Spent Online (hrs/weekend)': 'number',
  'Click-Through Rates (CTR)': 'number',
  'Conversion Rates': 'number',
  'Ad Interaction Time (sec)': 'count',
  'Income Level': 'range',
  'Top Interests': 'list',
};
const level = (text: string, low: number, high: number) => ({ text, low, high });
const AGE = [level('18-24', 18, 24), level('25-34', 25, 34), level('35-44', 35, 44), level('45-54', 45, 54), level('55-64', 55, 64), level('65+', 65, Infinity)];
const INCOME = [level('0-20k', 0, 20e3), level('20k-40k', 20e3, 40e3), level('40k-60k', 40e3, 60e3), level('60k-80k', 60e3, 80e3), level('80k-100k', 80e3, 100e3), level('100k+', 100e3, Infinity)];

function info(name: string, kind: ColumnKind, extra: Partial<ColumnInfo> = {}): ColumnInfo {
  return { name, kind, reason: 'written by hand for the test', use: kind !== 'id', missing: 0, distinct: 0, ...extra };
}

const adsSchema: Schema = {
  columns: Object.entries(ADS_KINDS).map(([name, kind]) =>
    info(name, kind, name === 'Age' ? { levels: AGE } : name === 'Income Level' ? { levels: INCOME } : kind === 'list' ? { separator: ',' } : {}),
  ),
  rowsSeen: 1000,
};

/** An Arrow table of ads rows: numbers as Float64, labels as Utf8 (or dictionary-encoded). */
function adsTable(rows: Array<Record<string, string>>, dictionary = false): arrow.Table {
  const columns: Record<string, arrow.Vector> = {};
  for (const [name, kind] of Object.entries(ADS_KINDS)) {
    const cells = rows.map((r) => r[name]);
    if (kind === 'number' || kind === 'count' || kind === 'id') columns[name] = arrow.vectorFromArray(Float64Array.from(cells, Number));
    else if (dictionary && kind !== 'list') columns[name] = arrow.vectorFromArray(cells, new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32()));
    else columns[name] = arrow.vectorFromArray(cells, new arrow.Utf8());
  }
  return new arrow.Table(columns);
}

const quiet = { onWarning: () => {} };

function feature(out: PipelineOutput, name: string): Float32Array {
  const j = out.featureNames.indexOf(name);
  expect(j, `feature ${name}`).toBeGreaterThanOrEqual(0);
  return Float32Array.from({ length: out.matrix.rows }, (_, i) => out.matrix.data[i * out.matrix.cols + j]);
}

describe('Pipeline on the ads file', () => {
  const fitTable = adsTable(ads.slice(...fixture.fit_rows));
  const applyTable = adsTable(ads.slice(...fixture.transform_rows));

  it('matches a scikit-learn 1.2.1 ColumnTransformer (impute, one-hot, ordinal, scale, multi-hot) within 1e-6', () => {
    const pipeline = Pipeline.fit(fitTable, adsSchema, { log1p: false, ...quiet });
    const out = pipeline.transform(applyTable);
    expect(out.matrix.rows).toBe(300);
    fixture.feature_names.forEach((name, j) => {
      const mine = feature(out, name);
      fixture.transform.forEach((row, i) => expect(Math.abs(mine[i] - row[j]), `${name} row ${i}`).toBeLessThanOrEqual(1e-6));
    });
    // Every feature is one of scikit-learn's or an empty <other> slot.
    const extra = out.featureNames.filter((n) => !fixture.feature_names.includes(n));
    expect(extra.every((n) => n.endsWith('<other>'))).toBe(true);
    for (const n of extra) expect(feature(out, n).every((v) => v === 0)).toBe(true);
    expect(out.report.ignored).toEqual(['User ID']);
    expect(Object.values(out.report.imputed).every((c) => c === 0)).toBe(true);
  });

  it('gives the same matrix from dictionary-encoded columns as from text columns', () => {
    const pipeline = Pipeline.fit(fitTable, adsSchema, quiet);
    const a = pipeline.transform(applyTable);
    const b = Pipeline.fit(adsTable(ads.slice(...fixture.fit_rows), true), adsSchema, quiet).transform(adsTable(ads.slice(...fixture.transform_rows), true));
    expect(b.featureNames).toEqual(a.featureNames);
    expect(Buffer.from(b.matrix.data.buffer).equals(Buffer.from(a.matrix.data.buffer))).toBe(true);
  });

  it('maps each feature back to its column', () => {
    const out = Pipeline.fit(fitTable, adsSchema, quiet).transform(applyTable);
    out.featureNames.forEach((name, j) => {
      const column = out.columns[out.featureColumn[j]];
      expect(name === column || name.startsWith(column + '=') || name.startsWith(column + ':')).toBe(true);
    });
  });

  it('puts unseen categories in <other> and reports them; ignores and reports extra columns', () => {
    const pipeline = Pipeline.fit(fitTable, adsSchema, quiet);
    const rows = ads.slice(0, 4).map((r) => ({ ...r }));
    rows[1].Language = 'Klingon';
    rows[2].Gender = 'Non-binary';
    rows[3].Language = 'Klingon';
    const table = adsTable(rows).assign(new arrow.Table({ Extra: arrow.vectorFromArray([1, 2, 3, 4]) }));
    const out = pipeline.transform(table);
    expect(out.report.unseen).toEqual({ Language: { count: 2, values: ['Klingon'] }, Gender: { count: 1, values: ['Non-binary'] } });
    expect(Array.from(feature(out, 'Language=<other>'))).toEqual([0, 1, 0, 1]);
    expect(Array.from(feature(out, 'Gender=<other>'))).toEqual([0, 0, 1, 0]);
    for (const lang of ['English', 'Hindi', 'Mandarin', 'Spanish']) expect(feature(out, `Language=${lang}`)[1]).toBe(0);
    expect(out.report.ignored.sort()).toEqual(['Extra', 'User ID']);
  });

  it('names every missing column in one DataError', () => {
    const pipeline = Pipeline.fit(fitTable, adsSchema, quiet);
    const table = applyTable.select(applyTable.schema.fields.map((f) => f.name).filter((n) => n !== 'Location' && n !== 'Conversion Rates'));
    let error: unknown;
    try {
      pipeline.transform(table);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).message).toMatch(/"Location".*"Conversion Rates"|"Conversion Rates".*"Location"/);
    expect((error as DataError).column).toBe('Location'); // the first, in the order of the steps
  });

  it('saves to JSON and back to the identical transform', () => {
    const pipeline = Pipeline.fit(fitTable, adsSchema, { scaler: 'robust', rangeEncoding: 'onehot', maxListItems: 6, ...quiet });
    const saved = JSON.parse(JSON.stringify(pipeline.toJSON()));
    expect(saved.version).toBe(PIPELINE_VERSION);
    const again = Pipeline.fromJSON(saved);
    const rows = ads.slice(900).map((r, i) => (i % 5 === 0 ? { ...r, Gender: 'Other' } : r));
    const a = pipeline.transform(adsTable(rows));
    const b = again.transform(adsTable(rows));
    expect(b.featureNames).toEqual(a.featureNames);
    expect(Buffer.from(b.matrix.data.buffer).equals(Buffer.from(a.matrix.data.buffer))).toBe(true);
    expect(b.report).toEqual(a.report);
    expect(() => Pipeline.fromJSON({ ...saved, version: PIPELINE_VERSION + 1 })).toThrow(/version/);
    expect(() => Pipeline.fromJSON({ format: 'other' } as never)).toThrow(DataError);
  });
});

describe('Pipeline on hand-made tables', () => {
  const schema: Schema = {
    columns: [
      info('id', 'id'),
      info('visits', 'number'),
      info('followers', 'count'),
      info('plan', 'category'),
      info('active', 'flag'),
      info('constant', 'number'),
      info('one_plan', 'category'),
      info('tags', 'list', { separator: ';' }),
    ],
    rowsSeen: 8,
  };
  const table = new arrow.Table({
    id: arrow.vectorFromArray([1, 2, 3, 4, 5, 6, 7, 8]),
    visits: arrow.vectorFromArray([1, null, 3, 10, 3, null, 2, 4], new arrow.Float64()),
    followers: arrow.vectorFromArray([0, 1, 2, 3, 5, 8, 40, 5000], new arrow.Int32()),
    plan: arrow.vectorFromArray(['free', 'pro', null, 'free', 'team', 'pro', 'free', null], new arrow.Utf8()),
    active: arrow.vectorFromArray(['yes', 'no', 'yes', null, 'yes', 'no', 'no', 'yes'], new arrow.Utf8()),
    constant: arrow.vectorFromArray([7, 7, 7, 7, 7, 7, 7, 7], new arrow.Float64()),
    one_plan: arrow.vectorFromArray(['x', 'x', 'x', 'x', 'x', 'x', 'x', 'x'], new arrow.Utf8()),
    tags: arrow.vectorFromArray(['a; b', 'b', null, 'c ;a', '', 'b;b', 'd', 'a'], new arrow.Utf8()),
  });

  it('drops constant columns with a warning instead of dividing by zero', () => {
    const warnings: string[] = [];
    const pipeline = Pipeline.fit(table, schema, { onWarning: (m) => warnings.push(m) });
    expect(pipeline.dropped.map((d) => d.column)).toEqual(['constant', 'one_plan']);
    expect(warnings.length).toBe(2);
    expect(warnings[0]).toMatch(/"constant" dropped: it is constant/);
    const out = pipeline.transform(table);
    expect(out.featureNames.some((n) => n.startsWith('constant') || n.startsWith('one_plan'))).toBe(false);
    expect(out.report.dropped.length).toBe(2);
    expect(out.matrix.data.every((v) => Number.isFinite(v))).toBe(true);
  });

  it('imputes the median and the most frequent label, and counts the cells (hand computed)', () => {
    const out = Pipeline.fit(table, schema, quiet).transform(table);
    // visits: median of [1, 3, 10, 3, 2, 4] is 3; filled column [1,3,3,10,3,3,2,4]: mean 3.625.
    const filled = [1, 3, 3, 10, 3, 3, 2, 4];
    const mean = filled.reduce((a, b) => a + b) / 8;
    const sd = Math.sqrt(filled.reduce((a, b) => a + (b - mean) ** 2, 0) / 8);
    const visits = feature(out, 'visits');
    filled.forEach((v, i) => expect(visits[i]).toBeCloseTo((v - mean) / sd, 6));
    // plan: free ×3 is the most frequent, so the two missing cells are free.
    expect(Array.from(feature(out, 'plan=free'))).toEqual([1, 0, 1, 1, 0, 0, 1, 1]);
    // active: yes ×4 against no ×3; 'yes' reads as true, so the feature is named 'active'.
    expect(Array.from(feature(out, 'active'))).toEqual([1, 0, 1, 1, 1, 0, 0, 1]);
    expect(out.report.imputed).toMatchObject({ visits: 2, plan: 2, active: 1, tags: 1, followers: 0 });
    // tags: a and b are in 3 rows each (row 5 holds b twice), c and d in one; an empty cell has no items.
    expect(Array.from(feature(out, 'tags:a'))).toEqual([1, 0, 0, 1, 0, 0, 0, 1]);
    expect(Array.from(feature(out, 'tags:b'))).toEqual([1, 1, 0, 0, 0, 1, 0, 0]);
    expect(Array.from(feature(out, 'tags:<other>'))).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });

  const anyTable: arrow.Table = table;

  it('lists the numeric cells it cannot read (text, infinities) as bad cells, fills them like blanks, and keeps the matrix finite', () => {
    const pipeline = Pipeline.fit(table, schema, quiet);
    const visits = ['2', '', 'lots', '19500 USD', 'inf', '1e999', null, ' 5 '];
    const columns: Record<string, arrow.Vector> = {};
    for (const f of anyTable.schema.fields) columns[f.name] = f.name === 'visits' ? arrow.vectorFromArray(visits, new arrow.Utf8()) : (anyTable.getChild(f.name) as arrow.Vector);
    const out = pipeline.transform(new arrow.Table(columns));
    expect(out.badCells).toEqual([
      { row: 2, column: 'visits', value: 'lots', reason: 'is not a number' },
      { row: 3, column: 'visits', value: '19500 USD', reason: 'is not a number' },
      { row: 4, column: 'visits', value: 'inf', reason: 'is not a finite number' },
      { row: 5, column: 'visits', value: '1e999', reason: 'is not a finite number' },
    ]);
    // Two blanks (row 1 '', row 6 null) and four bad cells are filled; four of the six are invalid.
    expect([out.report.imputed.visits, out.report.invalid.visits]).toEqual([6, 4]);
    // The fitted median of visits is 3 (hand computed above): every filled cell holds its scaled value.
    const v = feature(out, 'visits');
    for (const i of [1, 2, 3, 4, 5, 6]) expect(v[i]).toBe(v[1]);
    expect(v[1]).toBeCloseTo(feature(pipeline.transform(table), 'visits')[1], 6);
    expect(out.matrix.data.every((x) => Number.isFinite(x))).toBe(true);
    // A float column holding infinities (Arrow, Parquet) gives them as bad cells too.
    columns.visits = arrow.vectorFromArray([1, Infinity, 3, -Infinity, 3, 2, 2, 4], new arrow.Float64());
    expect(pipeline.transform(new arrow.Table(columns)).badCells.map((c) => [c.row, c.value, c.reason])).toEqual([
      [1, 'Infinity', 'is not a finite number'],
      [3, '-Infinity', 'is not a finite number'],
    ]);
    expect(pipeline.transform(table).badCells).toEqual([]);
  });

  /** The error Pipeline.fit throws on anyTable with its 'visits' column replaced by `visits`. */
  const fitError = (visits: Array<number | null>): DataError | null => {
    const columns: Record<string, arrow.Vector> = {};
    for (const f of anyTable.schema.fields) columns[f.name] = anyTable.getChild(f.name) as arrow.Vector;
    columns.visits = arrow.vectorFromArray(visits, new arrow.Float64());
    try {
      Pipeline.fit(new arrow.Table(columns), schema, quiet);
    } catch (e) {
      return e as DataError;
    }
    return null;
  };

  it('refuses to fit on an infinite value, naming the column and the row', () => {
    const err = fitError([1, 2, 3, 10, Infinity, null, 2, 4]);
    expect(err).toBeInstanceOf(DataError);
    expect(err?.message).toBe("Pipeline.fit: column 'visits' holds Infinity at row 5 (the first data row is 1), which is not a finite number");
    expect([err?.row, err?.column]).toEqual([4, 'visits']);
  });

  it('refuses to fit a column whose values overflow its scaler, naming the column and the largest value', () => {
    // (1e300)² overflows float64: the standard deviation is not finite.
    const err = fitError([1, 2, 3, 1e300, 3, null, 2, 4]);
    expect(err).toBeInstanceOf(DataError);
    expect(err?.message).toBe("Pipeline.fit: column 'visits': its values are too large to scale (the standard scaler's statistics overflow; its largest value is 1e+300)");
    expect([err?.row, err?.column]).toEqual([3, 'visits']);
  });

  it('applies log1p to a heavy-tailed count (auto), then scales', () => {
    const out = Pipeline.fit(table, schema, quiet).transform(table);
    expect(out.report.log1p).toEqual(['followers']);
    const raw = [0, 1, 2, 3, 5, 8, 40, 5000].map(Math.log1p);
    const mean = raw.reduce((a, b) => a + b) / 8;
    const sd = Math.sqrt(raw.reduce((a, b) => a + (b - mean) ** 2, 0) / 8);
    const f = feature(out, 'followers');
    raw.forEach((v, i) => expect(f[i]).toBeCloseTo((v - mean) / sd, 5));
    const off = Pipeline.fit(table, schema, { log1p: false, ...quiet }).transform(table);
    expect(off.report.log1p).toEqual([]);
  });

  it('keeps the most frequent list items; the rest count in <other>', () => {
    const out = Pipeline.fit(table, schema, { maxListItems: 2, ...quiet }).transform(table);
    expect(out.featureNames.filter((n) => n.startsWith('tags:'))).toEqual(['tags:a', 'tags:b', 'tags:<other>']);
    expect(Array.from(feature(out, 'tags:<other>'))).toEqual([0, 0, 0, 1, 0, 0, 1, 0]);
  });

  it('turns the matrix into a tensor of the same shape and values', async () => {
    await tf.setBackend('cpu');
    const out = Pipeline.fit(table, schema, quiet).transform(table);
    const before = tf.memory().numTensors;
    const t = outputTensor(out);
    expect(t.shape).toEqual([8, out.featureNames.length]);
    expect(Array.from(t.dataSync())).toEqual(Array.from(out.matrix.data));
    t.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a schema column the table lacks, and a table without rows', () => {
    const wider: Schema = { ...schema, columns: [...schema.columns, info('missing_one', 'number')] };
    expect(() => Pipeline.fit(table, wider, quiet)).toThrow(/"missing_one"/);
    expect(() => Pipeline.fit(table.slice(0, 0), schema, quiet)).toThrow(DataError);
  });
});

describe('Pipeline on numbers written as text (ColumnInfo.numberFormat)', () => {
  const table = new arrow.Table({
    revenue: arrow.vectorFromArray(['$1,200', '$950', null, '$2,000.50', 'call us', '$1,000'], new arrow.Utf8()),
    share: arrow.vectorFromArray(['12.5%', '50%', '7.5%', '', '30%', ' 20 % '], new arrow.Utf8()),
    followers: arrow.vectorFromArray(['1,234', '10', '2,000,000', '5', null, '12,34'], new arrow.Utf8()),
  });
  const schema: Schema = {
    columns: [
      info('revenue', 'number', { numberFormat: { thousands: ',', currency: '$' } }),
      info('share', 'number', { numberFormat: { percent: true } }),
      info('followers', 'count', { numberFormat: { thousands: ',' } }),
    ],
    rowsSeen: 6,
  };
  // scaler 'none' and no log1p: the features are the parsed, imputed numbers themselves.
  const plain = { scaler: 'none' as const, log1p: false, ...quiet };

  it('reads thousands separators, percent and currency signs, and imputes the median (hand computed)', () => {
    const out = Pipeline.fit(table, schema, plain).transform(table);
    // revenue: 1200, 950, missing, 2000.5, invalid, 1000; median of [950, 1000, 1200, 2000.5] = 1100.
    expect(Array.from(feature(out, 'revenue'))).toEqual([1200, 950, 1100, 2000.5, 1100, 1000]);
    // share: a percent keeps the number as written; '' is missing; median of [7.5, 12.5, 20, 30, 50] = 20.
    expect(Array.from(feature(out, 'share'))).toEqual([12.5, 50, 7.5, 20, 30, 20]);
    // followers: '12,34' is not a grouping of thousands; median of [5, 10, 1234, 2000000] = 622.
    expect(Array.from(feature(out, 'followers'))).toEqual([1234, 10, 2000000, 5, 622, 622]);
    expect(out.report.imputed).toEqual({ revenue: 2, share: 1, followers: 2 });
    expect(out.report.invalid).toEqual({ revenue: 1, followers: 1 });
  });

  it('scales the parsed numbers (standard scaler, hand computed)', () => {
    const out = Pipeline.fit(table, schema, { log1p: false, ...quiet }).transform(table);
    const filled = [1200, 950, 1100, 2000.5, 1100, 1000];
    const mean = filled.reduce((a, b) => a + b) / 6; // 7350.5 / 6
    const sd = Math.sqrt(filled.reduce((a, b) => a + (b - mean) ** 2, 0) / 6);
    const revenue = feature(out, 'revenue');
    filled.forEach((v, i) => expect(revenue[i]).toBeCloseTo((v - mean) / sd, 6));
  });

  it('without a numberFormat reads such cells as invalid, as plain text numbers', () => {
    const bare: Schema = { ...schema, columns: schema.columns.map(({ numberFormat: _, ...c }) => c) };
    const warnings: string[] = [];
    const pipeline = Pipeline.fit(table, bare, { ...plain, onWarning: (m) => warnings.push(m) });
    expect(pipeline.dropped.map((d) => d.column)).toEqual(['revenue', 'share']);
    const out = pipeline.transform(table);
    // only '10' and '5' read as plain numbers: median 7.5.
    expect(Array.from(feature(out, 'followers'))).toEqual([7.5, 10, 7.5, 5, 7.5, 7.5]);
    expect(out.report.invalid).toEqual({ followers: 3 });
  });

  it('saves the format in its step and applies it after JSON; reads a step saved without one', () => {
    const pipeline = Pipeline.fit(table, schema, plain);
    const saved = JSON.parse(JSON.stringify(pipeline.toJSON())) as PipelineJSON;
    expect(saved.version).toBe(1);
    expect(saved.steps.map((s) => s.numberFormat)).toEqual([{ thousands: ',', currency: '$' }, { percent: true }, { thousands: ',' }]);
    const a = pipeline.transform(table);
    const b = Pipeline.fromJSON(saved).transform(table);
    expect(Array.from(b.matrix.data)).toEqual(Array.from(a.matrix.data));
    // A version-1 step written before numberFormat existed: text read as plain numbers.
    const old = { ...saved, steps: saved.steps.map(({ numberFormat: _, ...s }) => s) };
    const c = Pipeline.fromJSON(old).transform(table);
    expect(Array.from(feature(c, 'followers'))).toEqual([622, 10, 622, 5, 622, 622]);
    const bad = { ...saved, steps: saved.steps.map((s, i) => (i === 1 ? { ...s, numberFormat: { percent: 'yes' } } : s)) } as unknown as PipelineJSON;
    expect(() => Pipeline.fromJSON(bad)).toThrow(/"share".*percent/);
  });

  it('warns at fit about cells that do not fit the format: how many, one of them, and that they are imputed', () => {
    const warnings: string[] = [];
    Pipeline.fit(table, schema, { ...plain, onWarning: (m) => warnings.push(m) });
    expect(warnings).toEqual([
      `Pipeline.fit: column "revenue": 1 of 6 cells are not numbers with '$' and ',' thousands separators (e.g. 'call us'); they count as missing and are filled with the median`,
      `Pipeline.fit: column "followers": 1 of 6 cells are not numbers with ',' thousands separators (e.g. '12,34'); they count as missing and are filled with the median`,
    ]);
  });

  it('reads decimal commas and negatives in parentheses, and keeps them through JSON', () => {
    const t = new arrow.Table({
      amount: arrow.vectorFromArray(['2.245,71', '0,438', '4,5', '(1.000,00)'], new arrow.Utf8()),
      ratio: arrow.vectorFromArray([0.5, 0.25, 1, 2], new arrow.Float64()),
    });
    const s2: Schema = {
      columns: [info('amount', 'number', { numberFormat: { decimal: ',', thousands: '.', parentheses: true } }), info('ratio', 'number', { numberFormat: { decimal: ',' } })],
      rowsSeen: 4,
    };
    const p = Pipeline.fit(t, s2, plain);
    const out = p.transform(t);
    expect(Array.from(feature(out, 'amount'))).toEqual([2245.71, 0.438, 4.5, -1000].map(Math.fround));
    const saved = JSON.parse(JSON.stringify(p.toJSON())) as PipelineJSON;
    expect(saved.steps.map((x) => x.numberFormat)).toEqual([{ decimal: ',', thousands: '.', parentheses: true }, { decimal: ',' }]);
    // a new file where the numeric column came as text: read with the saved decimal comma;
    // '1.000' has no thousands separator in this format: invalid, the median 0.75 of 0.25, 0.5, 1, 2
    const t2 = new arrow.Table({ amount: t.getChild('amount')!, ratio: arrow.vectorFromArray(['0,5', '1,25', '1.000', '3'], new arrow.Utf8()) });
    const again = Pipeline.fromJSON(saved).transform(t2);
    expect(Array.from(feature(again, 'ratio'))).toEqual([0.5, 1.25, 0.75, 3]);
    expect(again.report.invalid).toEqual({ ratio: 1 });
    const bad = { ...saved, steps: saved.steps.map((x) => ({ ...x, numberFormat: { decimal: ';' } })) } as unknown as PipelineJSON;
    expect(() => Pipeline.fromJSON(bad)).toThrow(/"amount".*decimal/);
  });

  it('goes from a CSV through inferKinds to the parsed numbers', async () => {
    const csv = 'plan,revenue,share\nfree,"$1,200",12.5%\npro,$950,50%\nfree,,7.5%\npro,"$2,000.50",\nfree,"$1,000",30%\n';
    const { table: t } = await readCsvTable(new TextEncoder().encode(csv));
    const inferred = inferKinds(t);
    const byName = Object.fromEntries(inferred.columns.map((c) => [c.name, c]));
    expect(byName.revenue.numberFormat).toEqual({ thousands: ',', currency: '$' });
    expect(byName.share.numberFormat).toEqual({ percent: true });
    const out = Pipeline.fit(t, inferred, plain).transform(t);
    // revenue median of [950, 1000, 1200, 2000.5] = 1100; share median of [7.5, 12.5, 30, 50] = 21.25.
    expect(Array.from(feature(out, 'revenue'))).toEqual([1200, 950, 1100, 2000.5, 1000]);
    expect(Array.from(feature(out, 'share'))).toEqual([12.5, 50, 7.5, 21.25, 30]);
    expect(out.report.invalid).toEqual({});
  });
});
