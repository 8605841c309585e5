// SPDX-License-Identifier: MIT
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FlagEncoder, MultiHotEncoder, OneHotEncoder, OrdinalEncoder, OTHER, encoderFromJSON, splitItems } from '../../src/data/encoders.js';
import { DataError } from '../../src/errors.js';
import { DATA_DIR, readCsvRecords } from '../helpers/data.js';

interface OneHotCase {
  file: string;
  column: string;
  fit_rows: [number, number];
  transform_rows: [number, number];
  extra_values: string[];
  categories: string[];
  transform: number[][];
}
interface Fixture {
  onehot: OneHotCase[];
  ordinal: Array<{ column: string; levels: string[] | null; categories: string[]; transform: number[] }>;
  multihot: { column: string; classes: string[]; transform: number[][] };
}
const fixture = JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/sklearn/preprocess_encoders.json', import.meta.url)), 'utf8')) as Fixture;
const DATA = DATA_DIR;

const ads = readCsvRecords(DATA + 'user_profiles_for_ads.csv');
const mall = readCsvRecords(DATA + 'Mall_Customers.csv');

describe('OneHotEncoder matches OneHotEncoder(handle_unknown="ignore") of scikit-learn 1.2.1', () => {
  for (const c of fixture.onehot) {
    it(`${c.file} ${c.column}: sorted categories; unseen values go to <other>`, () => {
      const rows = c.file === 'Mall_Customers.csv' ? mall : ads;
      const column = rows.map((r) => r[c.column]);
      const enc = OneHotEncoder.fit(column.slice(...c.fit_rows));
      expect(enc.categories).toEqual(c.categories);
      const values = [...column.slice(...c.transform_rows), ...c.extra_values];
      const out = enc.transform(values);
      const k = c.categories.length;
      expect(out.cols).toBe(k + 1);
      let allZero = 0;
      c.transform.forEach((row, i) => {
        expect(Array.from(out.data.subarray(i * (k + 1), i * (k + 1) + k))).toEqual(row);
        const zero = row.every((v) => v === 0);
        if (zero) allZero++;
        expect(out.data[i * (k + 1) + k]).toBe(zero ? 1 : 0);
      });
      expect(out.unseen).toBe(allZero);
      expect(allZero).toBeGreaterThanOrEqual(c.extra_values.length);
      expect(enc.featureNames(c.column).at(-1)).toBe(`${c.column}=${OTHER}`);
    });
  }
});

describe('OrdinalEncoder matches scikit-learn 1.2.1', () => {
  for (const c of fixture.ordinal) {
    it(`${c.column} with ${c.levels ? 'the range levels in order' : "categories='auto'"}`, () => {
      const column = ads.map((r) => r[c.column]);
      const enc = OrdinalEncoder.fit(column, c.levels ?? undefined);
      expect(enc.levels).toEqual(c.categories);
      expect(Array.from(enc.transform(column))).toEqual(c.transform);
      expect(enc.inverse(enc.code(column[0]))).toBe(column[0]);
    });
  }

  it('encodes unknown and missing labels as NaN', () => {
    const enc = new OrdinalEncoder(['low', 'mid', 'high']);
    const out = enc.transform(['high', 'unknown', null, 'low']);
    expect(out[0]).toBe(2);
    expect(Number.isNaN(out[1]) && Number.isNaN(out[2])).toBe(true);
    expect(out[3]).toBe(0);
  });
});

describe('MultiHotEncoder', () => {
  const cells = ads.map((r) => r['Top Interests']);
  const { classes, transform } = fixture.multihot;

  it('matches MultiLabelBinarizer on Top Interests when every item is kept (matched by item)', () => {
    const enc = MultiHotEncoder.fit(cells, { maxItems: 50 });
    expect([...enc.items].sort()).toEqual(classes);
    const out = enc.transform(cells);
    const w = enc.width;
    transform.forEach((row, i) => {
      classes.forEach((item, j) => expect(out.data[i * w + enc.code(item)]).toBe(row[j]));
      expect(out.data[i * w + w - 1]).toBe(0);
    });
  });

  it('keeps the most frequent items and counts the rest in <other>', () => {
    const enc = MultiHotEncoder.fit(cells, { maxItems: 5 });
    // Reference frequencies: the column sums of the scikit-learn indicator matrix.
    const freq = classes.map((item, j) => [item, transform.reduce((s, row) => s + row[j], 0)] as const);
    const top = [...freq].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 5).map(([item]) => item);
    expect(enc.items).toEqual(top);
    const out = enc.transform(cells);
    const kept = new Set(top);
    transform.forEach((row, i) => {
      const others = classes.reduce((s, item, j) => s + (kept.has(item) ? 0 : row[j]), 0);
      expect(out.data[i * 6 + 5]).toBe(others);
    });
  });

  it('splits and trims items; missing cells have no items', () => {
    expect(splitItems(' a ,b,, c ', ',')).toEqual(['a', 'b', 'c']);
    const enc = MultiHotEncoder.fit(['x; y', 'y'], { separator: ';' });
    expect(enc.items).toEqual(['y', 'x']);
    expect(Array.from(enc.transform([null, 'x;z']).data)).toEqual([0, 0, 0, 0, 1, 1]);
  });
});

describe('FlagEncoder', () => {
  it('takes the label that reads as true as 1, else the second in sorted order', () => {
    const yes = FlagEncoder.fit(['yes', 'no', 'no']);
    expect(Array.from(yes.transform(['no', 'yes']))).toEqual([0, 1]);
    expect(yes.featureName('Subscribed')).toBe('Subscribed');
    const g = FlagEncoder.fit(['Male', 'Female']);
    expect(g.positive).toBe('Male');
    expect(g.featureName('Gender')).toBe('Gender=Male');
    expect(Number.isNaN(g.transform(['Other'])[0])).toBe(true);
  });

  it('refuses a column with three values', () => {
    expect(() => FlagEncoder.fit(['a', 'b', 'c'])).toThrow(DataError);
  });
});

describe('encoder JSON', () => {
  it('round-trips every encoder to the same output', () => {
    const values = ['b', 'a', 'c, a', null, 'z'];
    const encoders = [OneHotEncoder.fit(values), OrdinalEncoder.fit(values), FlagEncoder.fit(['t', 'f']), MultiHotEncoder.fit(values, { maxItems: 2 })];
    for (const enc of encoders) {
      const again = encoderFromJSON(JSON.parse(JSON.stringify(enc.toJSON())));
      expect(again.constructor).toBe(enc.constructor);
      const a = enc.transform(values);
      const b = (again as typeof enc).transform(values);
      expect(Array.from('data' in a ? a.data : a)).toEqual(Array.from('data' in b ? b.data : b));
    }
    expect(() => encoderFromJSON({ type: 'bogus' } as never)).toThrow(DataError);
  });
});
