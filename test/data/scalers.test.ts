// SPDX-License-Identifier: MIT
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Scaler, percentile, type ScalerMethod } from '../../src/data/scalers.js';
import { DataError, ParameterError } from '../../src/errors.js';
import type { Matrix } from '../../src/matrix.js';
import { DATA_DIR, readCsvRecords } from '../helpers/data.js';

type Num = number | null;
interface Entry {
  name: string;
  columns: string[];
  X?: Num[][];
  standard: { mean: number[]; scale: number[]; transform: Num[][] };
  robust: { center: number[]; scale: number[]; transform: Num[][] };
  robust_10_90: { center: number[]; scale: number[]; transform: Num[][] };
  minmax: { data_min: number[]; data_max: number[]; transform: Num[][] };
  'minmax_-1_2': { transform: Num[][] };
}

const fixture = JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/sklearn/preprocess_scalers.json', import.meta.url)), 'utf8')) as { datasets: Entry[] };
const DATA = DATA_DIR;


function matrixOf(entry: Entry): Matrix {
  let rows: Num[][];
  if (entry.X) rows = entry.X;
  else {
    const file = entry.name === 'mall' ? 'Mall_Customers.csv' : 'user_profiles_for_ads.csv';
    rows = readCsvRecords(DATA + file).map((r) => entry.columns.map((c) => Number(r[c])));
  }
  const data = new Float64Array(rows.length * entry.columns.length);
  rows.forEach((r, i) => r.forEach((v, j) => (data[i * entry.columns.length + j] = v === null ? NaN : v)));
  return { data, rows: rows.length, cols: entry.columns.length };
}

function expectClose(actual: ArrayLike<number>, expected: Num[] | Num[][], tol = 1e-6): void {
  const flat = (expected as Num[]).flat() as Num[];
  expect(actual.length).toBe(flat.length);
  for (let i = 0; i < flat.length; i++) {
    const e = flat[i];
    if (e === null) expect(Number.isNaN(actual[i]), `index ${i} should be NaN`).toBe(true);
    else expect(Math.abs(actual[i] - e), `index ${i}: ${actual[i]} vs ${e}`).toBeLessThanOrEqual(tol);
  }
}

describe('Scaler matches scikit-learn 1.2.1', () => {
  for (const entry of fixture.datasets) {
    const x = matrixOf(entry);

    it(`StandardScaler on ${entry.name}: mean, scale, transform within 1e-6`, () => {
      const s = Scaler.fit(x, 'standard');
      expectClose(s.center, entry.standard.mean);
      expectClose(s.scale, entry.standard.scale);
      expectClose(s.transform(x).data, entry.standard.transform);
    });

    it(`RobustScaler on ${entry.name}: median, IQR (and the 10-90 range), transform within 1e-6`, () => {
      const s = Scaler.fit(x, 'robust');
      expectClose(s.center, entry.robust.center);
      expectClose(s.scale, entry.robust.scale);
      expectClose(s.transform(x).data, entry.robust.transform);
      const wide = Scaler.fit(x, 'robust', { quantileRange: [10, 90] });
      expectClose(wide.scale, entry.robust_10_90.scale);
      expectClose(wide.transform(x).data, entry.robust_10_90.transform);
    });

    it(`MinMaxScaler on ${entry.name}: min, range, transform within 1e-6 (also to [-1, 2])`, () => {
      const s = Scaler.fit(x, 'minmax');
      expectClose(s.center, entry.minmax.data_min);
      expectClose(s.transform(x).data, entry.minmax.transform);
      expectClose(Scaler.fit(x, 'minmax', { featureRange: [-1, 2] }).transform(x).data, entry['minmax_-1_2'].transform);
    });

    it(`inverse undoes transform on ${entry.name}, and toJSON/fromJSON keeps the transform`, () => {
      for (const method of ['standard', 'robust', 'minmax', 'none'] as ScalerMethod[]) {
        const s = Scaler.fit(x, method);
        const y = s.transform(x);
        const back = s.inverse(y).data;
        for (let i = 0; i < back.length; i++) {
          if (Number.isNaN(x.data[i])) expect(Number.isNaN(back[i])).toBe(true);
          else expect(Math.abs(back[i] - x.data[i])).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(x.data[i])));
        }
        const again = Scaler.fromJSON(JSON.parse(JSON.stringify(s.toJSON())));
        expect(Array.from(again.transform(x).data)).toEqual(Array.from(y.data));
      }
    });
  }

  it('reports the constant column (scale 1, as scikit-learn) and only it', () => {
    const edge = fixture.datasets.find((d) => d.name === 'edge') as Entry;
    const x = matrixOf(edge);
    for (const method of ['standard', 'robust', 'minmax'] as ScalerMethod[]) {
      const s = Scaler.fit(x, method);
      expect(s.constantColumns, method).toEqual([0]);
    }
    // The robust scale of column 'ties' is 1 because its IQR is 1, not because it is constant.
    expect(Scaler.fit(x, 'robust').constant[2]).toBe(false);
  });
});

describe('percentile', () => {
  it('interpolates linearly between ranks as numpy (hand computed)', () => {
    // h = 0.25 * 3 = 0.75 → 1 + 0.75 * (2 - 1)
    expect(percentile([1, 2, 3, 4], 25)).toBe(1.75);
    expect(percentile([1, 2, 3, 4], 100)).toBe(4);
    expect(percentile([7], 30)).toBe(7);
    expect(Number.isNaN(percentile([], 50))).toBe(true);
  });
});

describe('Scaler errors', () => {
  it('names the method, the range and the width at fault', () => {
    const x = { data: Float64Array.of(1, 2, 3, 4), rows: 2, cols: 2 };
    expect(() => Scaler.fit(x, 'zscore' as ScalerMethod)).toThrow(ParameterError);
    expect(() => Scaler.fit(x, 'robust', { quantileRange: [80, 20] })).toThrow(/quantileRange/);
    expect(() => Scaler.fit(x, 'minmax', { featureRange: [1, 1] })).toThrow(/featureRange/);
    expect(() => Scaler.fit(x, 'standard').transform({ data: Float64Array.of(1, 2, 3), rows: 1, cols: 3 })).toThrow(DataError);
    expect(() => Scaler.fromJSON({ method: 'standard', center: [0], scale: [], offset: [0], constant: [false] })).toThrow(DataError);
  });
});
