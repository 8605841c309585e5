// SPDX-License-Identifier: MIT
/**
 * A realistic ReportInput, computed for real: the sample generator's users (ads-audience columns
 * with planted segments), a standardised matrix of their numeric columns, k-means on it (and a
 * k search with silhouettes), PCA coordinates from a small eigen-solver kept here (the library's
 * PCA is separate work), and the report helpers for correlations, histograms, radar values and
 * the scatter sample. Profiles and top interests are computed here by hand.
 */
import type * as arrow from 'apache-arrow';
import { KMeans } from '../../src/algorithms/kmeans.js';
import { initBackend } from '../../src/backend/backend.js';
import { SAMPLE_SEGMENT_NAMES, SAMPLE_VALUES, sampleTable } from '../../src/data/sampleGenerator.js';
import type { MatrixF32 } from '../../src/matrix.js';
import { silhouette, silhouetteScore } from '../../src/metrics/silhouette.js';
import { silhouettePlot } from '../../src/report/fromSegmentation.js';
import { correlationMatrix } from '../../src/report/correlation.js';
import { categoryCountsBySegment, histogramBySegment } from '../../src/report/histogram.js';
import { radarValues } from '../../src/report/radarValues.js';
import { stratifiedRows } from '../../src/report/featureSample.js';
import { sampleScatter } from '../../src/report/sampleScatter.js';
import type { ReportCategoricalProfile, ReportFeatureScatter, ReportInput, ReportNumericProfile, ReportProfile } from '../../src/report/types.js';

export const NUMERIC_COLUMNS = [
  'Likes and Reactions',
  'Followed Accounts',
  'Time Spent Online (hrs/weekday)',
  'Time Spent Online (hrs/weekend)',
  'Click-Through Rates (CTR)',
  'Conversion Rates',
  'Ad Interaction Time (sec)',
  'Followers',
  'Likes Received',
];
const HEAVY_TAILED = new Set(['Followers', 'Likes Received']);
const CATEGORY_COLUMNS = ['Age', 'Gender', 'Device Usage', 'Income Level', 'Education Level'];

/** The name of a segment with text that must be escaped, to check escaping in a real page. */
export const HOSTILE_NAME = 'Deal hunters <b>&</b> "savvy" <script>alert(1)</script>';

function column<T>(table: arrow.Table, name: string): T[] {
  const v = table.getChild(name);
  if (v === null) throw new Error(`no column ${name}`);
  return Array.from({ length: table.numRows }, (_, i) => v.get(i) as T);
}

function quantile(sorted: Float64Array, q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Top two eigenvectors of a symmetric d×d matrix by power iteration with deflation. */
function topTwoEigenvectors(c: Float64Array, d: number): Float64Array[] {
  const a = Float64Array.from(c);
  const out: Float64Array[] = [];
  for (let e = 0; e < 2; e++) {
    let v = Float64Array.from({ length: d }, (_, i) => 1 + i / d);
    let lambda = 0;
    for (let it = 0; it < 500; it++) {
      const w = new Float64Array(d);
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) w[i] += a[i * d + j] * v[j];
      const norm = Math.hypot(...w);
      lambda = norm;
      v = w.map((x) => x / norm);
    }
    out.push(v);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) a[i * d + j] -= lambda * v[i] * v[j];
  }
  return out;
}

/** Builds the report input from `rows` generated users. */
export async function realisticInput(rows = 2000, seed = 7): Promise<ReportInput> {
  await initBackend('wasm', { onWarning: () => {} });
  const { table, segment: planted } = sampleTable({ rows, seed });
  const n = table.numRows;
  const d = NUMERIC_COLUMNS.length;
  const raw = NUMERIC_COLUMNS.map((name) => Float64Array.from(column<number>(table, name)));
  const data = new Float32Array(n * d);
  raw.forEach((values, j) => {
    const t = HEAVY_TAILED.has(NUMERIC_COLUMNS[j]) ? values.map((v) => Math.log1p(v)) : values;
    const mean = t.reduce((s, v) => s + v, 0) / n;
    const sd = Math.sqrt(t.reduce((s, v) => s + (v - mean) ** 2, 0) / n) || 1;
    for (let i = 0; i < n; i++) data[i * d + j] = (t[i] - mean) / sd;
  });
  const x: MatrixF32 = { data, rows: n, cols: d };
  const features = NUMERIC_COLUMNS.map((c) => (HEAVY_TAILED.has(c) ? `log ${c}` : c));

  const elbowPoints: Array<{ k: number; inertia: number; silhouette: number }> = [];
  for (let k = 2; k <= 7; k++) {
    const m = await new KMeans({ k, nInit: 1, seed: 1, onWarning: () => {} }).fit(x);
    elbowPoints.push({ k, inertia: m.inertia, silhouette: await silhouetteScore(x, m.labels, { sampleSize: 800, seed: 1 }) });
  }
  const k = 5;
  const model = await new KMeans({ k, nInit: 4, seed: 1, onWarning: () => {} }).fit(x);
  const labels = model.labels;

  // Name each found segment after the planted segment most of its rows come from.
  const sizes = new Array<number>(k).fill(0);
  labels.forEach((l) => sizes[l]++);
  const names = Array.from({ length: k }, (_, s) => {
    const votes = new Array<number>(SAMPLE_SEGMENT_NAMES.length).fill(0);
    labels.forEach((l, i) => {
      if (l === s) votes[planted[i]]++;
    });
    return SAMPLE_SEGMENT_NAMES[votes.indexOf(Math.max(...votes))];
  });
  names[k - 1] = HOSTILE_NAME;
  const segments = names.map((name, id) => ({ id, name, size: sizes[id], share: sizes[id] / n, generatedName: id !== k - 1 }));

  // PCA: eigenvectors of the covariance of the standardised columns (their correlation matrix).
  const corr = correlationMatrix(x, features);
  const [v1, v2] = topTwoEigenvectors(corr.matrix, d);
  const coords = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      coords[i * 2] += data[i * d + j] * v1[j];
      coords[i * 2 + 1] += data[i * d + j] * v2[j];
    }
  }
  const scatter = sampleScatter({ data: coords, rows: n, cols: 2 }, labels, { size: 1500, seed: 3, xLabel: 'PC1', yLabel: 'PC2' });
  // Two original columns of a sample stratified by segment, a heavy-tailed one on a log scale.
  const drawn = stratifiedRows(labels, segments.map((s) => s.id), 1500, 3);
  const featureScatter: ReportFeatureScatter = {
    columns: NUMERIC_COLUMNS,
    values: raw.map((values) => Float64Array.from(drawn.rows, (r) => values[r])),
    scales: NUMERIC_COLUMNS.map((c) => (HEAVY_TAILED.has(c) ? 'log' : 'linear')),
    segment: Int32Array.from(drawn.rows, (r) => labels[r]),
    strata: drawn.strata,
    totalRows: n,
    x: NUMERIC_COLUMNS.indexOf('Click-Through Rates (CTR)'),
    y: NUMERIC_COLUMNS.indexOf('Followers'),
    rule: 'given by the test',
  };

  const distributions = [
    ...[2, 3, 4, 6].map((j) => histogramBySegment(NUMERIC_COLUMNS[j], raw[j], labels, { bins: 16 })),
    categoryCountsBySegment('Device Usage', column<string | null>(table, 'Device Usage'), labels),
    categoryCountsBySegment('Age', column<string | null>(table, 'Age'), labels, { order: SAMPLE_VALUES.Age }),
  ];

  const interestCells = column<string | null>(table, 'Top Interests').map((cell) => (cell ?? '').split(',').map((s) => s.trim()).filter((s) => s !== ''));
  const overall = new Map<string, number>();
  interestCells.forEach((items) => items.forEach((it) => overall.set(it, (overall.get(it) ?? 0) + 1)));
  const interests = {
    column: 'Top Interests',
    segments: segments.map((s) => {
      const counts = new Map<string, number>();
      interestCells.forEach((items, i) => {
        if (labels[i] === s.id) items.forEach((it) => counts.set(it, (counts.get(it) ?? 0) + 1));
      });
      const items = [...counts.entries()]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, 6)
        .map(([item, c]) => ({ item, share: c / s.size, lift: c / s.size / ((overall.get(item) ?? 0) / n) }));
      return { segment: s.id, items };
    }),
  };

  const radar = radarValues(x, labels, { features, maxFeatures: 7 });
  const categoryValues = CATEGORY_COLUMNS.map((c) => column<string | null>(table, c));
  const profiles: ReportProfile[] = segments.map((s) => {
    const rowsOf = Array.from(labels.entries()).filter(([, l]) => l === s.id).map(([i]) => i);
    const numeric: ReportNumericProfile[] = NUMERIC_COLUMNS.map((name, j) => {
      const values = Float64Array.from(rowsOf, (i) => raw[j][i]).sort();
      const all = raw[j];
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const popMean = all.reduce((a, b) => a + b, 0) / n;
      const popSd = Math.sqrt(all.reduce((a, b) => a + (b - popMean) ** 2, 0) / n);
      return { feature: name, mean, median: quantile(values, 0.5), q1: quantile(values, 0.25), q3: quantile(values, 0.75), standardisedDifference: (mean - popMean) / popSd };
    });
    const categorical: ReportCategoricalProfile[] = CATEGORY_COLUMNS.map((name, c) => {
      const counts = new Map<string, number>();
      const popCounts = new Map<string, number>();
      categoryValues[c].forEach((v, i) => {
        if (v === null) return;
        popCounts.set(v, (popCounts.get(v) ?? 0) + 1);
        if (labels[i] === s.id) counts.set(v, (counts.get(v) ?? 0) + 1);
      });
      const values = [...counts.entries()]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, 3)
        .map(([value, cnt]) => ({ value, share: cnt / s.size, lift: cnt / s.size / ((popCounts.get(value) ?? 0) / n) }));
      return { feature: name, values };
    });
    return { segment: s.id, numeric, categorical };
  });

  const best = elbowPoints.find((p) => p.k === k);
  return {
    title: 'Ad audience segments',
    dataset: {
      fileName: 'generated sample (ads-audience columns)',
      rows: n,
      columnsUsed: NUMERIC_COLUMNS,
      features: d,
      columnsIgnored: [{ column: 'User ID', reason: 'id' }],
    },
    algorithm: { name: 'k-means', parameters: { k, nInit: 4, seed: 1, init: 'k-means++' } },
    backend: { name: 'cpu', reason: 'asked for' },
    segments,
    metrics: [{ name: 'silhouette (sampled)', value: best?.silhouette ?? NaN, note: 'higher is better, in [−1, 1]' }],
    elbow: { points: elbowPoints, chosenK: k, reason: 'given by the test' },
    silhouette: silhouettePlot(await silhouetteRowsOf(x, labels), segments.map((s) => s.id), n),
    scatter,
    featureScatter,
    radar,
    distributions,
    correlation: corr,
    interests,
    profiles,
  };
}

/** The silhouette of 800 sampled rows and their segments, as segmentationMetrics keeps them for the plot. */
async function silhouetteRowsOf(x: MatrixF32, labels: Int32Array): Promise<{ values: Float64Array; segments: Int32Array }> {
  const r = await silhouette(x, labels, { sampleSize: 800, seed: 1 });
  return { values: r.samples, segments: Int32Array.from(r.rows, (i) => labels[i]) };
}
