// SPDX-License-Identifier: MIT
/**
 * Agreement with pandas/numpy on two real files: test/fixtures/profile/*.json are written by
 * scripts/make_profile_fixtures.py, which also fixes the segment labels and the cells to blank.
 * The table is built here from the same CSV file; every statistic must agree within 1e-9.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Float64, Int32, Table, Utf8, vectorFromArray, type Vector } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import type { ColumnInfo, Schema } from '../../src/data/schema.js';
import type { CategoryStats } from '../../src/profile/categoryStats.js';
import type { ListStats } from '../../src/profile/listStats.js';
import type { NumericStats } from '../../src/profile/numericStats.js';
import { profileSegments, type ColumnStats, type ProfileResult } from '../../src/profile/profile.js';
import type { RangeStats } from '../../src/profile/rangeStats.js';
import type { ValueShare } from '../../src/profile/valueCounts.js';
import { close, column, levels, splitCsv } from './support.js';
import { DATA_DIR } from '../helpers/data.js';

interface NumericRef {
  count: number;
  missing: number;
  mean?: number;
  std?: number;
  min?: number;
  q1?: number;
  median?: number;
  q3?: number;
  max?: number;
  pandasMedian?: number;
  stdDiff?: number;
}
type SharesRef = Record<string, Record<string, { count: number; share: number; lift: number }> | number>;
interface Fixture {
  file: string;
  labels: number[];
  blank: Record<string, number[]>;
  numeric: Record<string, Record<string, NumericRef>>;
  category: Record<string, SharesRef>;
  range: Record<string, { levels: string[]; shares: SharesRef; median: Record<string, string | null> }>;
  list: Record<string, SharesRef>;
}

const DATA = DATA_DIR;
const FIXTURES = fileURLToPath(new URL('../fixtures/profile/', import.meta.url));

function load(name: string): Fixture {
  return JSON.parse(readFileSync(FIXTURES + name, 'utf8')) as Fixture;
}

/** The CSV as an Arrow table, typed by `schema`, with the fixture's cells blanked (null). */
function tableOf(fx: Fixture, schema: Schema): Table {
  const { header, columns } = splitCsv(readFileSync(DATA + fx.file, 'utf8'));
  const vectors: Record<string, Vector> = {};
  for (const info of schema.columns) {
    const raw = columns[header.indexOf(info.name)];
    expect(raw, info.name).toBeDefined();
    const blank = new Set(fx.blank[info.name] ?? []);
    const cells = raw.map((v, i) => (blank.has(i) ? null : v));
    if (info.kind === 'count') vectors[info.name] = vectorFromArray(cells.map((v) => (v === null ? null : Number(v))), new Int32());
    else if (info.kind === 'number') vectors[info.name] = vectorFromArray(cells.map((v) => (v === null ? null : Number(v))), new Float64());
    // categories dictionary-encoded, the rest plain text: both paths are read
    else if (info.kind === 'category') vectors[info.name] = vectorFromArray(cells);
    else vectors[info.name] = vectorFromArray(cells, new Utf8());
  }
  return new Table(vectors);
}

/** The fixture's group keys: 'all' is the population, '-1' noise, others segment ids. */
function groupStats(p: ProfileResult, key: string, columnName: string): ColumnStats {
  const g = key === 'all' ? p.population : key === '-1' ? p.noise! : p.segments.find((s) => String(s.id) === key)!;
  expect(g, key).toBeDefined();
  const s = g.columns.find((c) => c.column === columnName);
  expect(s, columnName).toBeDefined();
  return s!;
}

function checkNumeric(p: ProfileResult, fx: Fixture): number {
  let checked = 0;
  for (const [name, groups] of Object.entries(fx.numeric)) {
    for (const [key, ref] of Object.entries(groups)) {
      const s = groupStats(p, key, name) as NumericStats;
      expect([s.count, s.missing], `${name} ${key}`).toEqual([ref.count, ref.missing]);
      for (const f of ['mean', 'std', 'min', 'q1', 'median', 'q3', 'max', 'stdDiff'] as const) {
        expect(close(s[f], ref[f]!), `${name} ${key} ${f}: ${s[f]} vs ${ref[f]}`).toBe(true);
        checked++;
      }
      expect(close(s.median, ref.pandasMedian!)).toBe(true);
    }
  }
  return checked;
}

/** Every value of the fixture with its count, share and lift; no value the fixture lacks. */
function checkShares(p: ProfileResult, name: string, ref: SharesRef, pick: (s: ColumnStats) => ValueShare[]): number {
  let checked = 0;
  for (const [key, values] of Object.entries(ref)) {
    if (key.endsWith(':total')) continue;
    const s = groupStats(p, key, name) as CategoryStats | ListStats | RangeStats;
    expect(s.count, `${name} ${key} rows`).toBe(ref[`${key}:total`]);
    const got = pick(s).filter((v) => v.count > 0);
    const want = values as Record<string, { count: number; share: number; lift: number }>;
    expect(got.map((v) => v.value).sort(), `${name} ${key}`).toEqual(Object.keys(want).sort());
    for (const v of got) {
      const w = want[v.value];
      expect(v.count).toBe(w.count);
      expect(close(v.share, w.share) && close(v.lift, w.lift), `${name} ${key} ${v.value}`).toBe(true);
      checked++;
    }
  }
  return checked;
}

function checkLabelled(p: ProfileResult, fx: Fixture): number {
  let checked = 0;
  const top = (s: ColumnStats) => {
    const list = (s as CategoryStats | ListStats).top;
    // most frequent first
    for (let i = 1; i < list.length; i++) expect(list[i - 1].count).toBeGreaterThanOrEqual(list[i].count);
    return list;
  };
  for (const [name, ref] of Object.entries(fx.category)) checked += checkShares(p, name, ref, top);
  for (const [name, ref] of Object.entries(fx.list)) checked += checkShares(p, name, ref, top);
  for (const [name, ref] of Object.entries(fx.range)) {
    checked += checkShares(p, name, ref.shares, (s) => (s as RangeStats).levels);
    for (const [key, level] of Object.entries(ref.median)) expect((groupStats(p, key, name) as RangeStats).medianLevel, `${name} ${key}`).toBe(level);
    expect((groupStats(p, 'all', name) as RangeStats).levels.map((l) => l.value)).toEqual(ref.levels);
  }
  return checked;
}

const ALL_VALUES = { topValues: 1000, topItems: 1000 };

describe('profiles agree with pandas/numpy', () => {
  it('on user_profiles_for_ads.csv (16 columns, 3 segments and noise, cells blanked)', () => {
    const fx = load('ads.json');
    const nums: ColumnInfo[] = [
      column('Likes and Reactions', 'count'),
      column('Followed Accounts', 'count'),
      column('Time Spent Online (hrs/weekday)', 'number'),
      column('Time Spent Online (hrs/weekend)', 'number'),
      column('Click-Through Rates (CTR)', 'number'),
      column('Conversion Rates', 'number'),
      column('Ad Interaction Time (sec)', 'count'),
    ];
    const schema: Schema = {
      rowsSeen: 1000,
      columns: [
        column('User ID', 'id'),
        column('Age', 'range', { levels: levels('18-24', '25-34', '35-44', '45-54', '55-64', '65+') }),
        ...['Gender', 'Location', 'Language', 'Education Level', 'Device Usage'].map((c) => column(c, 'category')),
        ...nums,
        column('Income Level', 'range', { levels: levels('0-20k', '20k-40k', '40k-60k', '60k-80k', '80k-100k', '100k+') }),
        column('Top Interests', 'list', { separator: ',' }),
      ],
    };
    const p = profileSegments(tableOf(fx, schema), schema, fx.labels, ALL_VALUES);
    expect(p.rows).toBe(1000);
    expect(p.segments.map((s) => s.id)).toEqual([0, 1, 2]);
    expect(p.noise!.size).toBe(100);
    expect(checkNumeric(p, fx)).toBe(7 * 5 * 8);
    expect(checkLabelled(p, fx)).toBeGreaterThan(200);
    // generated names are unique and come from the features
    const names = p.segments.map((s) => s.name);
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(3);
    // the rule made segment 0 the heavy weekend users: its top feature is that column, high
    expect(p.segments[0].distinctive[0]).toMatchObject({ column: 'Time Spent Online (hrs/weekend)', direction: 'high' });
    expect(p.segments[0].name.toLowerCase()).toContain('high time spent online (weekend)');
  });

  it('on Mall_Customers.csv (3 segments, Age cells blanked)', () => {
    const fx = load('mall.json');
    const schema: Schema = {
      rowsSeen: 200,
      columns: [
        column('CustomerID', 'id'),
        column('Genre', 'category'),
        column('Age', 'count'),
        column('Annual Income (k$)', 'number'),
        column('Spending Score (1-100)', 'number'),
      ],
    };
    const p = profileSegments(tableOf(fx, schema), schema, fx.labels, ALL_VALUES);
    expect(p.noise).toBeNull();
    expect(checkNumeric(p, fx)).toBe(3 * 4 * 8);
    expect(checkLabelled(p, fx)).toBe(2 * 4);
    // segment 0 was chosen by spending score ≥ 60
    expect(p.segments[0].distinctive[0]).toMatchObject({ column: 'Spending Score (1-100)', direction: 'high' });
    expect(p.segments[0].name).toMatch(/^Very high spending score/);
  });
});
