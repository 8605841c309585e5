// SPDX-License-Identifier: MIT
/**
 * profileSegments on a 12-row table with every kind of column, every expected number worked out
 * by hand in the comments; then the edge cases (one segment, one-row segment, all missing,
 * noise, constant column), validation, JSON form and a 10^6-row case with closed-form answers.
 */
import { Bool, Float64, Int32, Table, Utf8, tableFromArrays, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import type { Schema } from '../../src/data/schema.js';
import { DataError, ParameterError } from '../../src/errors.js';
import type { CategoryStats } from '../../src/profile/categoryStats.js';
import type { ListStats } from '../../src/profile/listStats.js';
import type { NumericStats } from '../../src/profile/numericStats.js';
import { profileSegments, type ProfileResult, type SegmentProfile } from '../../src/profile/profile.js';
import type { RangeStats } from '../../src/profile/rangeStats.js';
import { close, column, levels } from './support.js';

// row:        0        1        2         3       4        5          6                  7     8                9         10       11
// label:      0        0        0         0       0        1          1                  1     1                2         2        -1
// spend:      1        2        3         4       10       20         22                 NaN   30               5         7        6
// logins:     7 everywhere (constant)
// rating:     4        4        5         5       2        3          3                  3     3                null      null     null
// plan:       basic    basic    basic     pro     basic    pro        pro                pro   basic            free      free     basic
// member:     true     true     false     true    true     false      false              false false            true      false    null
// age:        18-24    18-24    25-34     25-34   35-54    35-54      55+                55+   55+              18-24     55+      25-34
// interests:  G,T      G        G,M       T       G,G      C          C,T                null  M,C              T         M        G
const LABELS = Int32Array.of(0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, -1);

function handTable(): Table {
  return new Table({
    user_id: vectorFromArray(['u0', 'u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7', 'u8', 'u9', 'u10', 'u11'], new Utf8()),
    spend: vectorFromArray(Float64Array.of(1, 2, 3, 4, 10, 20, 22, NaN, 30, 5, 7, 6)),
    logins: vectorFromArray(new Int32Array(12).fill(7)),
    rating: vectorFromArray([4, 4, 5, 5, 2, 3, 3, 3, 3, null, null, null], new Float64()),
    plan: vectorFromArray(['basic', 'basic', 'basic', 'pro', 'basic', 'pro', 'pro', 'pro', 'basic', 'free', 'free', 'basic'], new Utf8()),
    member: vectorFromArray([true, true, false, true, true, false, false, false, false, true, false, null], new Bool()),
    // a dictionary-encoded column, as tableFromArrays makes from strings
    age: vectorFromArray(['18-24', '18-24', '25-34', '25-34', '35-54', '35-54', '55+', '55+', '55+', '18-24', '55+', '25-34']),
    interests: vectorFromArray(
      ['Gaming, Travel', 'Gaming', 'Gaming, Music', 'Travel', 'Gaming, Gaming', 'Cooking', 'Cooking, Travel', null, 'Music, Cooking', 'Travel', 'Music', 'Gaming'],
      new Utf8(),
    ),
    note: vectorFromArray(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l'], new Utf8()),
    internal: vectorFromArray(Float64Array.from({ length: 12 }, (_, i) => i)),
  });
}

const HAND_SCHEMA: Schema = {
  rowsSeen: 12,
  columns: [
    column('user_id', 'id'),
    column('spend', 'number'),
    column('logins', 'count'),
    column('rating', 'number'),
    column('plan', 'category'),
    // a flag not used as a feature: profiled all the same under columns: 'used'
    column('member', 'flag', { use: false }),
    column('age', 'range', { levels: levels('18-24', '25-34', '35-54', '55+') }),
    column('interests', 'list', { separator: ',' }),
    column('note', 'text'),
    column('internal', 'number', { use: false }),
  ],
};

const OPTIONS = { minCount: 2 };

function stats<T>(s: SegmentProfile | ProfileResult['population'], name: string): T {
  const i = (s.columns as { column: string }[]).findIndex((c) => c.column === name);
  expect(i, `column ${name}`).toBeGreaterThanOrEqual(0);
  return s.columns[i] as T;
}

function share(list: { value: string; share: number; lift: number | null; count: number }[], value: string) {
  const v = list.find((x) => x.value === value);
  expect(v, value).toBeDefined();
  return v!;
}

describe('profileSegments on a hand-computed table', () => {
  const p = profileSegments(handTable(), HAND_SCHEMA, LABELS, OPTIONS);
  const [s0, s1, s2] = p.segments;

  it('profiles used columns plus flags and says which were skipped', () => {
    expect(p.columns.map((c) => c.name)).toEqual(['spend', 'logins', 'rating', 'plan', 'member', 'age', 'interests']);
    expect(p.skipped.map((c) => c.name)).toEqual(['user_id', 'note', 'internal']);
    expect(p.skipped.find((c) => c.name === 'internal')!.reason).toMatch(/not used/);
    const all = profileSegments(handTable(), HAND_SCHEMA, LABELS, { ...OPTIONS, columns: 'all' });
    expect(all.columns.map((c) => c.name)).toContain('internal');
  });

  it('gives sizes and shares, noise apart', () => {
    // 5, 4, 2 rows of 12; noise 1 row
    expect(p.segments.map((s) => [s.id, s.size, s.share])).toEqual([
      [0, 5, 5 / 12],
      [1, 4, 4 / 12],
      [2, 2, 2 / 12],
    ]);
    expect(p.noise).not.toBeNull();
    expect([p.noise!.id, p.noise!.size, p.noise!.share, p.noise!.name]).toEqual([-1, 1, 1 / 12, 'Noise']);
    expect(p.population.size).toBe(12);
  });

  it('computes numeric mean, quartiles (linear) and standardised difference', () => {
    // population spend (NaN left out, 11 values): 1 2 3 4 5 6 7 10 20 22 30, sum 110, mean 10;
    // squared deviations 81 64 49 36 25 16 9 0 100 144 400 = 924, var 924/11 = 84, std √84.
    // quartiles: h = 10·p → q1 h=2.5: 3 + 0.5·(4 − 3) = 3.5; median x[5] = 6; q3 h=7.5: 10 + 0.5·10 = 15.
    const pop = stats<NumericStats>(p.population, 'spend');
    expect([pop.count, pop.missing, pop.mean, pop.median, pop.q1, pop.q3, pop.min, pop.max]).toEqual([11, 1, 10, 6, 3.5, 15, 1, 30]);
    expect(close(pop.std, Math.sqrt(84))).toBe(true);
    // segment 0: 1 2 3 4 10 → mean 4, q1 (h=1) 2, median 3, q3 (h=3) 4; std² = (9+4+1+0+36)/5 = 10;
    // stdDiff (4 − 10)/√84
    const a = stats<NumericStats>(s0, 'spend');
    expect([a.count, a.missing, a.mean, a.q1, a.median, a.q3]).toEqual([5, 0, 4, 2, 3, 4]);
    expect(close(a.std, Math.sqrt(10))).toBe(true);
    expect(close(a.stdDiff, -6 / Math.sqrt(84))).toBe(true);
    // segment 1: 20 22 30 and one missing → mean 24, q1 (h=0.5) 21, median 22, q3 (h=1.5) 26;
    // stdDiff 14/√84
    const b = stats<NumericStats>(s1, 'spend');
    expect([b.count, b.missing, b.mean, b.q1, b.median, b.q3]).toEqual([3, 1, 24, 21, 22, 26]);
    expect(close(b.stdDiff, 14 / Math.sqrt(84))).toBe(true);
    // segment 2: 5 7 → mean 6, q1 (h=0.25) 5.5, median 6, q3 (h=0.75) 6.5; stdDiff −4/√84
    const c = stats<NumericStats>(s2, 'spend');
    expect([c.mean, c.q1, c.median, c.q3]).toEqual([6, 5.5, 6, 6.5]);
    expect(close(c.stdDiff, -4 / Math.sqrt(84))).toBe(true);
    // rating: population 4 4 5 5 2 3 3 3 3, mean 32/9, var = 122/9 − (32/9)² = 74/81, std √74/9;
    // segment 0 mean 4 → stdDiff (4/9)/(√74/9) = 4/√74; sorted 2 4 4 5 5 → q1 4, median 4, q3 5
    const r = stats<NumericStats>(s0, 'rating');
    expect([r.mean, r.q1, r.median, r.q3]).toEqual([4, 4, 4, 5]);
    expect(close(r.stdDiff, 4 / Math.sqrt(74))).toBe(true);
    expect(close(stats<NumericStats>(p.population, 'rating').std, Math.sqrt(74) / 9)).toBe(true);
  });

  it('reports a column all missing in a segment as count 0 and nulls, not zeros', () => {
    const r = stats<NumericStats>(s2, 'rating');
    expect([r.count, r.missing, r.mean, r.median, r.q1, r.stdDiff]).toEqual([0, 2, null, null, null, null]);
    expect(r.note).toMatch(/no values/);
  });

  it('sets the standardised difference of a constant column to 0 with a note', () => {
    for (const s of [s0, s1, s2, p.noise!]) {
      const l = stats<NumericStats>(s, 'logins');
      expect([l.mean, l.std, l.median, l.stdDiff]).toEqual([7, 0, 7, 0]);
      expect(l.note).toMatch(/constant/);
    }
  });

  it('gives category shares and lifts', () => {
    // population plan: basic 6/12, pro 4/12, free 2/12
    // segment 0: basic 4/5 = 0.8, lift 0.8/0.5 = 1.6; pro 1/5, lift 0.2/(1/3) = 0.6
    const a = stats<CategoryStats>(s0, 'plan');
    expect(a.top.map((v) => v.value)).toEqual(['basic', 'pro']);
    expect(close(share(a.top, 'basic').share, 0.8) && close(share(a.top, 'basic').lift, 1.6)).toBe(true);
    expect(close(share(a.top, 'pro').lift, 0.6)).toBe(true);
    // segment 1: pro 3/4, lift 0.75·3 = 2.25
    expect(close(share(stats<CategoryStats>(s1, 'plan').top, 'pro').lift, 2.25)).toBe(true);
    // segment 2: free 2/2, lift 1/(1/6) = 6
    expect(close(share(stats<CategoryStats>(s2, 'plan').top, 'free').lift, 6)).toBe(true);
  });

  it('treats a flag as a category, nulls as missing, ties to the value more frequent overall', () => {
    // member, population without the null: true 5/11, false 6/11
    // segment 0: true 4/5, lift 0.8·11/5 = 1.76; false 1/5, lift 0.2·11/6 = 0.3667
    const a = stats<CategoryStats>(s0, 'member');
    expect(close(share(a.top, 'true').lift, 1.76) && close(share(a.top, 'false').lift, 2.2 / 6)).toBe(true);
    expect(stats<CategoryStats>(p.noise!, 'member')).toMatchObject({ count: 0, missing: 1, top: [] });
    // segment 2: true 1, false 1 → false first (6 of 11 overall against 5)
    const c = stats<CategoryStats>(s2, 'member');
    expect(c.top.map((v) => v.value)).toEqual(['false', 'true']);
    expect(close(c.top[1].lift, 0.5 / (5 / 11))).toBe(true);
  });

  it('gives the range distribution over levels in order and the median level', () => {
    // population: 18-24 3, 25-34 3, 35-54 2, 55+ 4 of 12
    // segment 0: 2 2 1 0 of 5 → cumulative 0.4, 0.8 → median 25-34
    const a = stats<RangeStats>(s0, 'age');
    expect(a.levels.map((l) => [l.value, l.count])).toEqual([
      ['18-24', 2],
      ['25-34', 2],
      ['35-54', 1],
      ['55+', 0],
    ]);
    expect(a.medianLevel).toBe('25-34');
    expect(close(a.levels[0].lift, 0.4 / 0.25)).toBe(true);
    // segment 1: 0 0 1 3 of 4 → median 55+; 55+ share 0.75, lift 0.75/(4/12) = 2.25
    const b = stats<RangeStats>(s1, 'age');
    expect(b.medianLevel).toBe('55+');
    expect(close(b.levels[3].lift, 2.25)).toBe(true);
    // segment 2: 18-24 and 55+ → cumulative share reaches 1/2 at 18-24 (the lower median)
    expect(stats<RangeStats>(s2, 'age').medianLevel).toBe('18-24');
    // population: cumulative 3/12, 6/12 → reaches 1/2 at 25-34 (the 6th of 12 values)
    expect(stats<RangeStats>(p.population, 'age').medianLevel).toBe('25-34');
  });

  it('gives list items per segment with share of rows and lift', () => {
    // rows with a cell: segment 0 5, segment 1 3 (one null), segment 2 2, noise 1 → 11.
    // population rows having: Gaming 5, Travel 4, Music 3, Cooking 3 (row 4 'Gaming, Gaming' counts once)
    // segment 0: Gaming 4/5 lift 0.8·11/5 = 1.76; Travel 2/5 lift 0.4·11/4 = 1.1; Music 1/5 lift 0.2·11/3
    const a = stats<ListStats>(s0, 'interests');
    expect(a.top.map((v) => [v.value, v.count])).toEqual([
      ['Gaming', 4],
      ['Travel', 2],
      ['Music', 1],
    ]);
    expect(close(a.top[0].lift, 1.76) && close(a.top[1].lift, 1.1) && close(a.top[2].lift, 2.2 / 3)).toBe(true);
    // items per row: 2 1 2 1 1 → 7/5
    expect(close(a.meanItems, 1.4)).toBe(true);
    // segment 1: Cooking 3/3 lift 11/3; one missing row
    const b = stats<ListStats>(s1, 'interests');
    expect([b.count, b.missing, b.top[0].value]).toEqual([3, 1, 'Cooking']);
    expect(close(b.top[0].lift, 11 / 3)).toBe(true);
  });

  it('ranks distinctive features by |stdDiff| and share·log2(lift)', () => {
    // segment 0: spend 6/√84 = 0.65465; member true 0.8·log2(1.76) = 0.65246 and Gaming the same
    // (member first: earlier column); plan basic 0.8·log2(1.6) = 0.54246; rating 4/√74 = 0.46499.
    // age 18-24 (0.4·log2 1.6 = 0.2712) is sixth and cut.
    expect(s0.distinctive.map((f) => [f.column, f.type === 'numeric' ? f.direction : f.value])).toEqual([
      ['spend', 'low'],
      ['member', 'true'],
      ['interests', 'Gaming'],
      ['plan', 'basic'],
      ['rating', 'high'],
    ]);
    expect(close(s0.distinctive[0].score, 6 / Math.sqrt(84)) && close(s0.distinctive[1].score, 0.8 * Math.log2(1.76))).toBe(true);
    // segment 1: Cooking log2(11/3) = 1.8745; spend 14/√84 = 1.5275; plan pro and age 55+ both
    // 0.75·log2(2.25) = 0.87744 (plan first); member false log2(11/6) = 0.87447.
    // Music (1 row) is below minCount 2.
    expect(s1.distinctive.map((f) => [f.column, f.type === 'numeric' ? f.direction : f.value])).toEqual([
      ['interests', 'Cooking'],
      ['spend', 'high'],
      ['plan', 'pro'],
      ['age', '55+'],
      ['member', 'false'],
    ]);
    expect(close(s1.distinctive[0].score, Math.log2(11 / 3))).toBe(true);
    // segment 2: plan free log2(6) = 2.585; spend 4/√84 = 0.436; every other value has 1 row
    expect(s2.distinctive.map((f) => [f.column, f.score])).toEqual([
      ['plan', Math.log2(6)],
      ['spend', 4 / Math.sqrt(84)],
    ]);
  });

  it('names segments from their top features', () => {
    expect(p.segments.map((s) => [s.name, s.nameSource])).toEqual([
      ['Low spend, member', 'generated'],
      ['Into Cooking, very high spend', 'generated'],
      ['Mostly free, low spend', 'generated'],
    ]);
  });

  it('is plain JSON: parses back to an equal object, with no NaN or Infinity', () => {
    const text = JSON.stringify(p);
    expect(text).not.toMatch(/NaN|Infinity/);
    expect(JSON.parse(text)).toEqual(p);
  });
});

describe('profileSegments edge cases', () => {
  it('gives one segment stdDiff 0, lift 1, no distinctive feature and a neutral name', () => {
    const p = profileSegments(handTable(), HAND_SCHEMA, new Int32Array(12), OPTIONS);
    expect(p.segments).toHaveLength(1);
    expect(p.noise).toBeNull();
    const s = p.segments[0];
    expect([s.size, s.share]).toEqual([12, 1]);
    expect(stats<NumericStats>(s, 'spend').stdDiff).toBe(0);
    expect(stats<CategoryStats>(s, 'plan').top.map((v) => v.lift)).toEqual([1, 1, 1]);
    expect(s.distinctive).toEqual([]);
    expect(s.name).toBe('Close to average');
  });

  it('profiles a segment of one row: every quartile is its value, std 0', () => {
    // row 4 alone as segment 9 (spend 10, population mean (110)/11 = 10 → stdDiff 0)
    const labels = Int32Array.from(LABELS);
    labels[3] = 9;
    const p = profileSegments(handTable(), HAND_SCHEMA, labels, OPTIONS);
    const one = p.segments.find((s) => s.id === 9)!;
    const spend = stats<NumericStats>(one, 'spend');
    // row 3: spend 4 → stdDiff (4 − 10)/√84
    expect([one.size, spend.min, spend.q1, spend.median, spend.q3, spend.max, spend.std]).toEqual([1, 4, 4, 4, 4, 4, 0]);
    expect(close(spend.stdDiff, -6 / Math.sqrt(84))).toBe(true);
    // one row is below minCount 2: only numeric features can be distinctive
    expect(one.distinctive.every((f) => f.type === 'numeric')).toBe(true);
  });

  it('counts range values outside the levels as unmatched, not missing', () => {
    const t = tableFromArrays({ age: ['18-24', 'unknown', '25-34', '25-34'] });
    const schema: Schema = { rowsSeen: 4, columns: [column('age', 'range', { levels: levels('18-24', '25-34') })] };
    const p = profileSegments(t, schema, Int32Array.of(0, 0, 0, 1), OPTIONS);
    const a = stats<RangeStats>(p.segments[0], 'age');
    expect([a.count, a.missing, a.unmatched, a.medianLevel]).toEqual([2, 0, 1, '18-24']);
  });

  it('orders range levels by their numbers when the schema gives none', () => {
    const t = tableFromArrays({ income: ['100k+', '20k-40k', '0-20k', '40k-60k', '20k-40k'], age: ['65+', '25-34', '<18', '18-24', '25-34'] });
    const schema: Schema = { rowsSeen: 5, columns: [column('income', 'range'), column('age', 'range')] };
    const p = profileSegments(t, schema, new Int32Array(5), OPTIONS);
    expect(stats<RangeStats>(p.segments[0], 'income').levels.map((l) => l.value)).toEqual(['0-20k', '20k-40k', '40k-60k', '100k+']);
    // '<18' comes before '18-24'
    expect(stats<RangeStats>(p.segments[0], 'age').levels.map((l) => l.value)).toEqual(['<18', '18-24', '25-34', '65+']);
  });

  it('reads numbers stored as text and integer columns with nulls', () => {
    const t = new Table({
      x: vectorFromArray(['1.5', ' 2.5 ', '', 'n/a', '4'], new Utf8()),
      y: vectorFromArray([1, null, 3, 5, null], new Int32()),
    });
    const schema: Schema = { rowsSeen: 5, columns: [column('x', 'number'), column('y', 'count')] };
    const p = profileSegments(t, schema, new Int32Array(5), OPTIONS);
    // x: 1.5, 2.5, 4 (blank and 'n/a' missing) → mean 8/3, median 2.5
    const x = stats<NumericStats>(p.segments[0], 'x');
    expect([x.count, x.missing, x.median]).toEqual([3, 2, 2.5]);
    expect(close(x.mean, 8 / 3)).toBe(true);
    const y = stats<NumericStats>(p.segments[0], 'y');
    expect([y.count, y.missing, y.mean]).toEqual([3, 2, 3]);
  });

  it('rejects labels that do not fit the table', () => {
    const t = handTable();
    expect(() => profileSegments(t, HAND_SCHEMA, new Int32Array(11))).toThrow(DataError);
    expect(() => profileSegments(t, HAND_SCHEMA, Int32Array.from(LABELS, (l, i) => (i === 4 ? -2 : l)))).toThrow(/label -2 at row 4/);
    expect(() => profileSegments(t, HAND_SCHEMA, Float64Array.from(LABELS, (l, i) => (i === 0 ? 0.5 : l)))).toThrow(DataError);
    expect(() => profileSegments(t.slice(0, 0), HAND_SCHEMA, new Int32Array(0))).toThrow(/no rows/);
  });

  it('rejects bad options and columns', () => {
    const t = handTable();
    expect(() => profileSegments(t, HAND_SCHEMA, LABELS, { topValues: -1 })).toThrow(ParameterError);
    expect(() => profileSegments(t, HAND_SCHEMA, LABELS, { nameFeatures: 0 })).toThrow(/nameFeatures=0/);
    expect(profileSegments(t, HAND_SCHEMA, LABELS, { topValues: undefined }).options.topValues).toBe(5);
    expect(() => profileSegments(t, HAND_SCHEMA, LABELS, { minShare: 2 })).toThrow(ParameterError);
    expect(() => profileSegments(t, HAND_SCHEMA, LABELS, { columns: ['nope'] })).toThrow(/'nope' is not in the schema/);
    expect(() => profileSegments(t, HAND_SCHEMA, LABELS, { columns: ['note'] })).toThrow(/kind 'text'/);
    const missing: Schema = { rowsSeen: 1, columns: [column('absent', 'number')] };
    expect(() => profileSegments(t, missing, LABELS)).toThrow(DataError);
  });

  it('runs the example in its TSDoc', () => {
    // spend 1 2 10 12: mean 6.25, var (27.5625 + 18.0625 + 14.0625 + 33.0625)/4 = 23.1875;
    // segment 1 mean 11 → stdDiff 4.75/√23.1875 = 0.986 < 1: 'High', not 'Very high'
    const table = tableFromArrays({ spend: Float64Array.of(1, 2, 10, 12) });
    const schema: Schema = { rowsSeen: 4, columns: [{ name: 'spend', kind: 'number', reason: '', use: true, missing: 0, distinct: 4 }] };
    const p = profileSegments(table, schema, Int32Array.of(0, 0, 1, 1));
    expect(p.segments.map((s) => s.name)).toEqual(['Low spend', 'High spend']);
    expect(close(p.segments[1].distinctive[0].score, 4.75 / Math.sqrt(23.1875))).toBe(true);
  });
});

describe('profileSegments at 10^6 rows', () => {
  it('matches closed-form quartiles and standardised differences', () => {
    // x_i = i for i < n, segment i mod 4: segment g holds g + 4j, j < m = n/4.
    // mean g + 2(m − 1); quantile p: h = (m − 1)p → g + 4h. Population std √((n² − 1)/12).
    const n = 1_000_000;
    const m = n / 4;
    const x = Float64Array.from({ length: n }, (_, i) => i);
    const labels = Int32Array.from({ length: n }, (_, i) => i % 4);
    const city = Array.from({ length: n }, (_, i) => (i % 4 === 0 ? 'north' : i % 2 === 0 ? 'south' : 'east'));
    const table = tableFromArrays({ x, city });
    const schema: Schema = { rowsSeen: n, columns: [column('x', 'number'), column('city', 'category')] };
    const p = profileSegments(table, schema, labels);
    const std = Math.sqrt((n * n - 1) / 12);
    for (const s of p.segments) {
      const g = s.id;
      const st = stats<NumericStats>(s, 'x');
      expect(close(st.mean, g + 2 * (m - 1))).toBe(true);
      expect(close(st.q1, g + 4 * (m - 1) * 0.25)).toBe(true);
      expect(close(st.median, g + 4 * (m - 1) * 0.5)).toBe(true);
      expect(close(st.q3, g + 4 * (m - 1) * 0.75)).toBe(true);
      expect(close(st.stdDiff, (g + 2 * (m - 1) - (n - 1) / 2) / std)).toBe(true);
    }
    // segment 0 is all north: share 1, lift 1/(1/4) = 4
    expect(stats<CategoryStats>(p.segments[0], 'city').top).toEqual([{ value: 'north', count: m, share: 1, lift: 4 }]);
  });
});
