// SPDX-License-Identifier: MIT
import * as arrow from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/backend.js';
import { Pipeline } from '../../src/data/pipeline.js';
import type { Schema } from '../../src/data/schema.js';
import { profileSegments } from '../../src/profile/profile.js';
import { PCA } from '../../src/algorithms/pca.js';
import { SILHOUETTE_POINTS, betweenGroupShare, reportFromSegmentation, silhouettePlot, type SegmentationParts } from '../../src/report/fromSegmentation.js';
import { REPORT_CHARTS, renderReport } from '../../src/report/renderReport.js';
import type { ReportCategoricalDistribution, ReportNumericDistribution } from '../../src/report/types.js';

// 12 users in two segments by hand: 0 = low spenders on basic, 1 = high spenders on pro.
const labels = Int32Array.of(0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1);
const table = arrow.tableFromArrays({
  id: Int32Array.from({ length: 12 }, (_, i) => i + 1),
  spend: Float64Array.of(1, 2, 3, 2, 1, 3, 50, 60, 55, 65, 45, 55),
  visits: Float64Array.of(1, 2, 1, 2, 1, 2, 9, 8, 9, 8, 9, 8),
  minutes: Float64Array.of(10, 12, 11, 13, 10, 12, 30, 31, 29, 30, 33, 28),
  plan: ['basic', 'basic', 'basic', 'basic', 'basic', 'pro', 'pro', 'pro', 'pro', 'pro', 'pro', 'pro'],
  interests: ['Gaming', 'Gaming, Music', 'Gaming', 'Music', 'Gaming', 'Gaming', 'Travel', 'Travel, Music', 'Travel', 'Travel', 'Food', 'Travel, Food'],
});
const col = (name: string, kind: Schema['columns'][number]['kind'], use = true): Schema['columns'][number] => ({ name, kind, reason: 'by hand', use, missing: 0, distinct: 12 });
const schema: Schema = {
  rowsSeen: 12,
  columns: [col('id', 'id', false), col('spend', 'number'), col('visits', 'count'), col('minutes', 'number'), col('plan', 'category'), { ...col('interests', 'list'), separator: ',' }],
};

let parts: SegmentationParts;

beforeAll(async () => {
  await initBackend('cpu', { onWarning: () => {} });
  const { output } = Pipeline.fitTransform(table, schema, { onWarning: () => {}, log1p: false });
  const profiles = profileSegments(table, schema, labels);
  parts = {
    fileName: 'users.csv',
    table,
    schema,
    output,
    labels,
    profiles,
    algorithm: { name: 'k-means', parameters: { k: 2 } },
    backend: { name: 'cpu', reason: 'asked for cpu' },
    metrics: [{ name: 'silhouette', value: 0.8 }],
  };
});

describe('reportFromSegmentation', () => {
  it('takes segments, sizes and names from the profiles, and the dataset from the schema and pipeline', async () => {
    const input = await reportFromSegmentation(parts);
    expect(input.title).toBe('Segments of users.csv');
    expect(input.segments.map((s) => [s.id, s.size, s.share])).toEqual([
      [0, 6, 0.5],
      [1, 6, 0.5],
    ]);
    expect(input.segments.map((s) => s.name)).toEqual(parts.profiles.segments.map((s) => s.name));
    expect(input.dataset).toMatchObject({ fileName: 'users.csv', rows: 12, columnsUsed: ['spend', 'visits', 'minutes', 'plan', 'interests'] });
    expect(input.dataset.columnsIgnored).toEqual([{ column: 'id', reason: 'id: by hand' }]);
    expect(input.dataset.skipped).toBeUndefined();
    expect(input.dataset.readNotes).toBeUndefined();
    expect(input.elbow).toBeUndefined();
  });

  it('radar: the standardised differences of the numeric columns, as the profiles computed them by hand', async () => {
    const input = await reportFromSegmentation(parts);
    expect(input.radar?.features).toEqual(['spend', 'visits', 'minutes']);
    // spend: population mean 28.5, segment 0 mean 2; sd with ddof 0.
    const spend = [1, 2, 3, 2, 1, 3, 50, 60, 55, 65, 45, 55];
    const sd = Math.sqrt(spend.reduce((a, v) => a + (v - 28.5) ** 2, 0) / 12);
    expect(input.radar?.series[0].values[0]).toBeCloseTo((2 - 28.5) / sd, 10);
    expect(input.radar?.series[1].values[0]).toBeCloseTo((55 - 28.5) / sd, 10);
  });

  it('distributions count every row of each segment once; categories keep their values', async () => {
    const input = await reportFromSegmentation(parts);
    const spend = input.distributions?.find((d) => d.feature === 'spend') as ReportNumericDistribution;
    expect(spend.kind).toBe('numeric');
    const total = (c: ArrayLike<number>): number => Array.from(c).reduce((a, b) => a + b, 0);
    expect(spend.counts.map((s) => total(s.counts))).toEqual([6, 6]);
    const plan = input.distributions?.find((d) => d.feature === 'plan') as ReportCategoricalDistribution;
    expect(plan.categories).toEqual(['pro', 'basic']);
    expect(plan.counts.map((s) => Array.from(s.counts))).toEqual([
      [1, 5],
      [6, 0],
    ]);
  });

  it('a heavy-tailed amount is binned on a log scale under its own name, with Tukey boxes; blanks filled are counted per column', async () => {
    // amount: non-negative, skewness well above 1 (one 200 among small values); one blank cell in minutes.
    const amount = Float64Array.of(0, 0, 0, 1, 1, 2, 3, 5, 10, 40, 200, 4);
    const skewed = arrow.tableFromArrays({ amount, minutes: [10, 12, null, 13, 10, 12, 30, 31, 29, 30, 33, 28] });
    const skewedSchema: Schema = { rowsSeen: 12, columns: [col('amount', 'number'), col('minutes', 'number')] };
    const { output } = Pipeline.fitTransform(skewed, skewedSchema, { onWarning: () => {} });
    expect(output.report.log1p).toEqual([]);
    const input = await reportFromSegmentation({ ...parts, table: skewed, schema: skewedSchema, output, profiles: profileSegments(skewed, skewedSchema, labels) });
    const d = input.distributions?.find((x) => x.feature === 'amount') as ReportNumericDistribution;
    expect(d.scale).toBe('log');
    expect((input.distributions?.find((x) => x.feature === 'minutes') as ReportNumericDistribution).scale).toBe('linear');
    expect(JSON.stringify(input)).not.toContain('log1p(');
    // Segment 0 (rows 0-5): 0 0 0 1 1 2: Q1 = 0, median 0.5, Q3 = 1, IQR 1, fence 2.5: whiskers 0 and 2, no outlier.
    // Segment 1 (rows 6-11): 3 5 10 40 200 4 sorted 3 4 5 10 40 200: Q1 = 4.25, median 7.5, Q3 = 32.5, IQR 28.25,
    // upper fence 74.875: whisker 40, 200 an outlier.
    expect(d.boxes?.map((b) => [b.segment, b.q1, b.median, b.q3, b.low, b.high, b.outlierCount])).toEqual([
      [0, 0, 0.5, 1, 0, 2, 0],
      [1, 4.25, 7.5, 32.5, 3, 40, 1],
    ]);
    // The schema's blank counts are carried as given (0 here: written by hand); the pipeline's fills are counted.
    expect(input.dataset.columns?.map((c) => [c.name, c.kind, c.reason, c.blank, c.used, c.filled])).toEqual([
      ['amount', 'number', 'by hand', 0, true, 0],
      ['minutes', 'number', 'by hand', 0, true, 1],
    ]);
    expect(input.dataset.columns?.[1].filledWith).toBe('the median');
  });

  it('correlation of the numeric features; interests from the list column; scatter of every row (fewer than the sample size)', async () => {
    const input = await reportFromSegmentation(parts);
    expect(input.correlation?.features).toEqual(['spend', 'visits', 'minutes']);
    expect(input.correlation?.matrix[0]).toBeCloseTo(1, 12);
    expect(input.interests?.column).toBe('interests');
    const top0 = input.interests?.segments[0].items[0];
    // Segment 0: Gaming in 5 of 6 rows; overall 5 of 12: lift 2.
    expect(top0?.item).toBe('Gaming');
    expect(top0?.share).toBeCloseTo(5 / 6, 12);
    expect(top0?.lift).toBeCloseTo(2, 12);
    expect(input.scatter?.x).toHaveLength(12);
    expect(input.scatter?.totalRows).toBe(12);
    expect(Array.from(input.scatter?.segment ?? [])).toEqual(Array.from(labels));
    expect(input.scatter?.xLabel).toMatch(/^PC1 \(\d+\.\d % of variance\)$/);
    const small = await reportFromSegmentation(parts, { scatterSize: 5, seed: 3 });
    expect(small.scatter?.x).toHaveLength(5);
    expect(small.scatter?.totalRows).toBe(12);
  });

  it('profile tables carry the profiles numbers; the elbow and skipped rows when given; the report renders every chart', async () => {
    const input = await reportFromSegmentation({
      ...parts,
      chooseK: {
        scores: [2, 3].map((k) => ({ k, inertia: 10 / k, silhouette: k === 2 ? 0.7 : 0.6, calinskiHarabasz: null, daviesBouldin: null, clusters: k, nIter: 1, converged: true, model: null })),
        recommended: { k: 2, rule: 'silhouette', reason: 'k = 2: the highest silhouette' },
      },
      silhouetteRows: { values: Float64Array.of(0.9, 0.8, 0.7, 0.6, 0.5, 0.4), segments: Int32Array.of(0, 0, 0, 1, 1, 1) },
      readReport: {
        format: 'csv', rows: 12, columns: 6, badRows: [{ line: 7, reason: 'expected 6 fields, got 2', text: 'x,y', action: 'skipped' }],
        badRowCount: 1, skippedRows: 1, nulledCells: 0, truncated: false, bytesRead: 100, notes: ['delimiter sniffed: ;', "repeated column names renamed: 'a' → 'a.1'"],
      },
    });
    const p0 = input.profiles?.[0];
    expect(p0?.numeric.find((r) => r.feature === 'spend')).toMatchObject({ mean: 2, median: 2 });
    expect(p0?.categorical.find((r) => r.feature === 'plan')?.values[0]).toMatchObject({ value: 'basic' });
    expect(input.elbow).toEqual({ points: [{ k: 2, inertia: 5, silhouette: 0.7 }, { k: 3, inertia: 10 / 3, silhouette: 0.6 }], chosenK: 2, reason: 'k = 2: the highest silhouette' });
    expect(input.dataset.skipped).toEqual({ rows: 1, reasons: ['line 7: expected 6 fields, got 2'] });
    // What the reader noted reaches the page.
    expect(input.dataset.readNotes).toEqual(['delimiter sniffed: ;', "repeated column names renamed: 'a' → 'a.1'"]);
    const html = await renderReport(input);
    expect(html).toContain('<dt>Reading the file</dt><dd><ul><li>delimiter sniffed: ;</li><li>repeated column names renamed: &#39;a&#39; → &#39;a.1&#39;</li></ul></dd>');
    for (const chart of REPORT_CHARTS) expect(html).toContain(`data-chart="${chart}"`);
    expect(html).not.toContain('data-omitted');
  });

  it('silhouettePlot: per segment in the given order, highest first, thinned to evenly spaced order statistics, with the means', () => {
    // Segment 1: 100 rows 0.99, 0.98, …, 0.00 (given in another order); segment 0: three rows; noise (-1) not listed.
    const values = [0.5, -0.2, 0.1, ...Array.from({ length: 100 }, (_, i) => (i * 37) % 100 / 100), 0.3];
    const segments = [0, 0, 0, ...Array.from({ length: 100 }, () => 1), -1];
    const plot = silhouettePlot({ values, segments }, [1, 0, 7], 500);
    expect(plot.segments.map((s) => s.segment)).toEqual([1, 0]); // 7 has no scored row
    expect(plot.scoredRows).toBe(104);
    expect(plot.totalRows).toBe(500);
    expect(plot.mean).toBeCloseTo((0.5 - 0.2 + 0.1 + 49.5 + 0.3) / 104, 12);
    const [one, zero] = plot.segments;
    expect(zero).toMatchObject({ rows: 3, values: Float64Array.of(0.5, 0.1, -0.2) });
    expect(zero.mean).toBeCloseTo(0.4 / 3, 12);
    expect(one.rows).toBe(100);
    expect(one.mean).toBeCloseTo(0.495, 12);
    expect(one.values.length).toBe(SILHOUETTE_POINTS);
    // Order statistic j of 60 is the value at round(j * 99 / 59) of the descending list 0.99 … 0.00.
    expect(one.values[0]).toBe(0.99);
    expect(one.values[59]).toBe(0);
    expect(one.values[1]).toBe((99 - Math.round(99 / 59)) / 100);
    expect(one.values[30]).toBe((99 - Math.round((30 * 99) / 59)) / 100);
  });

  it('refuses labels of another length than the table', async () => {
    await expect(reportFromSegmentation({ ...parts, labels: labels.subarray(0, 5) })).rejects.toThrow(/the table has 12 rows, the labels 5/);
  });
});

describe('reportFromSegmentation on wide data', () => {
  it('betweenGroupShare is the share of each column\'s variance between the groups (by hand)', () => {
    // Column 0: 1 3 | 5 7: mean 4, between 2·(2−4)² + 2·(6−4)² = 16, total 9+1+1+9 = 20. Column 1: equal means, 0. Column 2: constant, 0.
    const x = { data: Float32Array.of(1, 1, 2, 3, 2, 2, 5, 1, 2, 7, 2, 2), rows: 4, cols: 3 };
    expect(Array.from(betweenGroupShare(x, [0, 0, 1, 1]))).toEqual([0.8, 0, 0]);
  });

  it('bounds the scatter and the profile tables to the features that differ most between the segments, and says how many were left out', async () => {
    // 90 rows, 3 segments, 60 numeric columns: f0..f2 move with the segment, the rest are noise.
    const n = 90;
    const d = 60;
    const wideLabels = Int32Array.from({ length: n }, (_, i) => i % 3);
    let state = 7;
    const noise = (): number => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state / 2147483648 - 0.5;
    };
    const columns: Record<string, Float64Array> = {};
    for (let j = 0; j < d; j++) columns[`f${j}`] = Float64Array.from(wideLabels, (l) => (j < 3 ? 10 * ((l + j) % 3) : 0) + noise());
    const wide = arrow.tableFromArrays(columns);
    const wideSchema: Schema = { rowsSeen: n, columns: Object.keys(columns).map((name) => col(name, 'number')) };
    const { output } = Pipeline.fitTransform(wide, wideSchema, { onWarning: () => {}, log1p: false });
    const profiles = profileSegments(wide, wideSchema, wideLabels);
    const input = await reportFromSegmentation(
      { fileName: 'wide.csv', table: wide, schema: wideSchema, output, labels: wideLabels, profiles, algorithm: { name: 'k-means', parameters: { k: 3 } }, backend: { name: 'cpu' } },
      { maxFeatures: 5, correlationFeatures: 4 },
    );
    // The correlation matrix: the 4 numeric features that differ most (the 3 planted first), 56 left out.
    const correlation = input.correlation as NonNullable<typeof input.correlation>;
    expect(correlation.features.slice(0, 3)).toEqual(['f0', 'f1', 'f2']);
    expect(correlation.features).toHaveLength(4);
    expect(correlation.note).toContain('The 4 of 60 numeric features whose variance lies most between the segments; 56 left out');
    const scatter = input.scatter as NonNullable<typeof input.scatter>;
    expect(scatter.note).toContain('Principal components of the 5 of 60 features whose variance lies most between the segments; 55 left out');
    const leftOut = /left out \((.*)\)/.exec(scatter.note as string)?.[1] ?? '';
    for (const planted of ['f0,', 'f1,', 'f2,']) expect(leftOut).not.toContain(planted);
    // The coordinates are the PCA of the 5 columns with the largest between-segment share, computed here.
    const share = betweenGroupShare(output.matrix, wideLabels);
    const keep = Array.from(share, (v, j) => [v, j]).sort((a, b) => b[0] - a[0] || a[1] - b[1]).slice(0, 5).map(([, j]) => j).sort((a, b) => a - b);
    expect(keep.slice(0, 3)).toEqual([0, 1, 2]);
    const sub = { data: Float32Array.from({ length: n * 5 }, (_, t) => output.matrix.data[Math.floor(t / 5) * d + keep[t % 5]]), rows: n, cols: 5 };
    const pca = await new PCA({ nComponents: 2, onWarning: () => {} }).fit(sub);
    const scores = await pca.transform(sub);
    for (let i = 0; i < n; i++) expect(scatter.x[i]).toBeCloseTo(scores.data[i * 2], 4);
    // Profile tables: the 5 numeric columns that differ most, the other 55 counted.
    for (const p of input.profiles ?? []) {
      expect(p.numeric.map((r) => r.feature).slice(0, 3)).toEqual(['f0', 'f1', 'f2']);
      expect(p.numeric).toHaveLength(5);
      expect(p.omitted?.columns).toBe(55);
    }
    const html = await renderReport(input, { onWarning: () => {} });
    expect(html).toContain('data-omitted-columns="55"');
    expect(html).toContain('55 more columns are not shown');
    expect(html).toContain('The 4 of 60 numeric features whose variance lies most between the segments');
  });
});

