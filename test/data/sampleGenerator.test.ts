// SPDX-License-Identifier: MIT
import * as arrow from 'apache-arrow';
import { describe, expect } from 'vitest';
import { KMeans } from '../../src/algorithms/kmeans.js';
import { Pipeline } from '../../src/data/pipeline.js';
import { SAMPLE_COLUMNS, SAMPLE_SEGMENT_NAMES, generateSample, sampleBatches, sampleSchema, sampleTable } from '../../src/data/sampleGenerator.js';
import { writeArrow, writeCsv } from '../../src/data/writers.js';
import { ParameterError } from '../../src/errors.js';
import { describeEachBackend, it } from '../helpers/backends.js';
import { dataPath, readCsvRecords } from '../helpers/data.js';

const real = readCsvRecords(dataPath('user_profiles_for_ads.csv'));
const realHeader = Object.keys(real[0]);

/** Adjusted Rand index from its definition (Hubert & Arabie 1985), over the contingency table. */
function adjustedRand(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  const table = new Map<string, number>();
  const rowSums = new Map<number, number>();
  const colSums = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    table.set(`${a[i]},${b[i]}`, (table.get(`${a[i]},${b[i]}`) ?? 0) + 1);
    rowSums.set(a[i], (rowSums.get(a[i]) ?? 0) + 1);
    colSums.set(b[i], (colSums.get(b[i]) ?? 0) + 1);
  }
  const pairs = (m: number): number => (m * (m - 1)) / 2;
  const index = [...table.values()].reduce((s, m) => s + pairs(m), 0);
  const sa = [...rowSums.values()].reduce((s, m) => s + pairs(m), 0);
  const sb = [...colSums.values()].reduce((s, m) => s + pairs(m), 0);
  const expected = (sa * sb) / pairs(n);
  return (index - expected) / ((sa + sb) / 2 - expected);
}

describe('generateSample', () => {
  it('gives identical bytes for a seed, whatever the chunk size; other seeds differ', async () => {
    const a = await writeCsv(sampleBatches({ rows: 3000, seed: 9, chunkSize: 1000, missing: 0.03 }));
    const b = await writeCsv(sampleBatches({ rows: 3000, seed: 9, chunkSize: 333, missing: 0.03 }));
    const c = await writeCsv(sampleBatches({ rows: 3000, seed: 10, chunkSize: 1000, missing: 0.03 }));
    expect(Buffer.from(a.data as Uint8Array).equals(Buffer.from(b.data as Uint8Array))).toBe(true);
    expect(Buffer.from(a.data as Uint8Array).equals(Buffer.from(c.data as Uint8Array))).toBe(false);
    const x = await writeArrow(sampleBatches({ rows: 2000, seed: 9, chunkSize: 500 }));
    const y = await writeArrow(sampleBatches({ rows: 2000, seed: 9, chunkSize: 500 }));
    expect(Buffer.from(x.data as Uint8Array).equals(Buffer.from(y.data as Uint8Array))).toBe(true);
  });

  it("has the real file's columns, types and value sets", async () => {
    const { table } = sampleTable({ rows: 20_000, seed: 1, segments: 6 });
    expect(SAMPLE_COLUMNS.slice(0, realHeader.length)).toEqual(realHeader);
    expect(table.schema.fields.map((f) => f.name)).toEqual([...SAMPLE_COLUMNS]);
    // Read the generated CSV back as text, as the real file is read.
    const text = new TextDecoder().decode((await writeCsv(table, null, { newline: '\n' })).data);
    const gen = text
      .split('\n')
      .slice(1, -1)
      .map((line) => {
        const cells: string[] = [];
        line.replace(/("([^"]|"")*"|[^,]*)(,|$)/g, (_, cell: string) => (cells.push(cell.replace(/^"|"$/g, '')), ''));
        return Object.fromEntries(realHeader.map((h, j) => [h, cells[j]]));
      });
    for (const column of realHeader) {
      const realValues = real.map((r) => r[column]);
      const genValues = gen.map((r) => r[column]);
      const numeric = realValues.every((v) => v !== '' && Number.isFinite(Number(v)));
      if (column === 'Top Interests') {
        const items = (cells: string[]) => new Set(cells.flatMap((c) => c.split(',').map((s) => s.trim())));
        expect([...items(genValues)].sort(), column).toEqual([...items(realValues)].sort());
        const counts = (cells: string[]) => new Set(cells.map((c) => c.split(',').length));
        expect([...counts(genValues)].sort(), column).toEqual([...counts(realValues)].sort());
      } else if (!numeric) {
        expect([...new Set(genValues)].sort(), column).toEqual([...new Set(realValues)].sort());
      } else if (column !== 'User ID') {
        const r = realValues.map(Number);
        const g = genValues.map(Number);
        const decimals = (v: string) => (v.includes('.') ? v.split('.')[1].length : 0);
        expect(Math.min(...g), column).toBeGreaterThanOrEqual(Math.min(...r));
        expect(Math.max(...g), column).toBeLessThanOrEqual(Math.max(...r));
        expect(Math.max(...genValues.map(decimals)), column).toBe(Math.max(...realValues.map(decimals)));
        // An integer column of the file is an integer column here.
        const isInt = realValues.every((v) => !v.includes('.'));
        expect(arrow.DataType.isInt(table.getChild(column)!.type), column).toBe(isInt);
      }
    }
  });

  it('plants the segment shares and heavy-tailed counts', () => {
    const { table, segment } = sampleTable({ rows: 20_000, seed: 2, segments: 5 });
    const shares = [0.3, 0.2, 0.15, 0.2, 0.15];
    const counts = new Array(5).fill(0);
    segment.forEach((s) => counts[s]++);
    // Binomial standard error at n = 20k is at most 0.35 %: allow 1.5 %.
    shares.forEach((p, s) => expect(Math.abs(counts[s] / 20_000 - p)).toBeLessThan(0.015));
    for (const name of ['Followers', 'Likes Received']) {
      const v = Float64Array.from(table.getChild(name)!.toArray() as Int32Array);
      const mean = v.reduce((a, b) => a + b) / v.length;
      const m2 = v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length;
      const m3 = v.reduce((a, b) => a + (b - mean) ** 3, 0) / v.length;
      expect(m3 / m2 ** 1.5, `skewness of ${name}`).toBeGreaterThan(5);
      const median = [...v].sort((a, b) => a - b)[v.length >> 1];
      expect(mean / median, name).toBeGreaterThan(2);
    }
  });

  it('leaves the requested share of cells empty, in the columns that take missing values', () => {
    const { table } = sampleTable({ rows: 20_000, seed: 4, missing: 0.05 });
    const withMissing = ['Age', 'Education Level', 'Income Level', 'Time Spent Online (hrs/weekday)', 'Click-Through Rates (CTR)', 'Followers', 'Top Interests'];
    for (const f of table.schema.fields) {
      const share = table.getChild(f.name)!.nullCount / 20_000;
      if (withMissing.includes(f.name)) expect(Math.abs(share - 0.05), f.name).toBeLessThan(0.008);
      else expect(share, f.name).toBe(0);
    }
  });

  it('adds the segment column on request and checks its options', () => {
    const { table, segment } = sampleTable({ rows: 100, seed: 1, segmentColumn: true });
    expect(Array.from(table.getChild('Segment')!.toArray() as Int32Array)).toEqual(Array.from(segment));
    expect(SAMPLE_SEGMENT_NAMES.length).toBe(6);
    expect(() => [...generateSample({ rows: 0 })]).toThrow(ParameterError);
    expect(() => [...generateSample({ rows: 10, segments: 7 })]).toThrow(/segments=7/);
    expect(() => [...generateSample({ rows: 10, missing: 0.9 })]).toThrow(/missing/);
  });
});

describeEachBackend(
  'generated segments',
  () => {
    it('are recovered by k-means on the pipeline matrix (adjusted Rand index > 0.9)', async () => {
      const { table, segment } = sampleTable({ rows: 3000, seed: 5, segments: 5, missing: 0.02 });
      const { output } = Pipeline.fitTransform(table, sampleSchema(table), { onWarning: () => {} });
      expect(output.report.imputed.Age).toBeGreaterThan(0);
      const model = await new KMeans({ k: 5, nInit: 4, seed: 1, onWarning: () => {} }).fit(output.matrix);
      const ari = adjustedRand(model.labels, segment);
      expect(ari).toBeGreaterThan(0.9);
      // The ARI of a labeling with itself is 1, and of a shuffled one near 0 (checks the formula).
      expect(adjustedRand(segment, segment)).toBe(1);
      const shuffled = Int32Array.from(segment).sort();
      expect(Math.abs(adjustedRand(shuffled.reverse(), segment))).toBeLessThan(0.05);
    });
  },
  ['wasm'],
);
