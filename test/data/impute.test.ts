// SPDX-License-Identifier: MIT
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MedianImputer, MostFrequentImputer, mostFrequentOf } from '../../src/data/impute.js';

type Num = number | null;
interface Fixture {
  median: Array<{ name: string; X: Num[][]; statistics: number[]; transform: number[][] }>;
  most_frequent: Array<{ name: string; X: Array<Array<string | number | null>>; statistics: Array<string | number>; transform?: string[][] }>;
}
const fixture = JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/sklearn/preprocess_impute.json', import.meta.url)), 'utf8')) as Fixture;

const column = <T>(rows: T[][], j: number): T[] => rows.map((r) => r[j]);

describe('MedianImputer matches SimpleImputer(strategy="median") of scikit-learn 1.2.1', () => {
  for (const c of fixture.median) {
    it(`${c.name}: statistics and filled columns, with the count of filled cells`, () => {
      c.statistics.forEach((stat, j) => {
        const values = Float64Array.from(column(c.X, j), (v) => (v === null ? NaN : v));
        const imp = MedianImputer.fit(values);
        expect(imp.value).toBeCloseTo(stat, 12);
        const missing = values.filter((v) => Number.isNaN(v)).length;
        expect(imp.apply(values)).toBe(missing);
        expect(Array.from(values)).toEqual(column(c.transform, j));
      });
    });
  }

  it('has no value for a column without values, and survives JSON', () => {
    const imp = MedianImputer.fit([NaN, NaN]);
    expect(Number.isNaN(imp.value)).toBe(true);
    expect(Number.isNaN(MedianImputer.fromJSON(JSON.parse(JSON.stringify(imp.toJSON()))).value)).toBe(true);
    expect(MedianImputer.fromJSON(JSON.parse(JSON.stringify(MedianImputer.fit([4, 1, 9]).toJSON()))).value).toBe(4);
  });
});

describe('most frequent imputation matches SimpleImputer(strategy="most_frequent") of scikit-learn 1.2.1', () => {
  for (const c of fixture.most_frequent) {
    it(`${c.name}: the most frequent value, ties to the smallest`, () => {
      c.statistics.forEach((stat, j) => {
        const values = column(c.X, j);
        if (typeof stat === 'number') {
          const counts = new Map<number, number>();
          for (const v of values) if (v !== null) counts.set(v as number, (counts.get(v as number) ?? 0) + 1);
          expect(mostFrequentOf([...counts.keys()], [...counts.values()])).toBe(stat);
          return;
        }
        const imp = MostFrequentImputer.fit(values as Array<string | null>);
        expect(imp.value).toBe(stat);
        const { values: filled, count } = imp.apply(values as Array<string | null>);
        expect(count).toBe(values.filter((v) => v === null).length);
        expect(filled).toEqual(column(c.transform as string[][], j));
      });
    });
  }

  it('has no value for a column without values, and survives JSON', () => {
    expect(MostFrequentImputer.fit([null, undefined]).value).toBeNull();
    expect(MostFrequentImputer.fromJSON(JSON.parse(JSON.stringify(MostFrequentImputer.fit(['b', 'a']).toJSON()))).value).toBe('a');
  });
});
