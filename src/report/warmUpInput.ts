// SPDX-License-Identifier: MIT
/**
 * A small report input that uses every chart and section of the report, drawn once and thrown
 * away by the report thread (workflow/reportThread.ts) while the main thread segments: the first
 * report a process draws takes about twice as long as the next (Vega-Lite's and Vega's code is
 * compiled on first use), and that first time is then off the user's wait.
 */
import type { ReportInput } from './types.js';

/** Made-up data in the shape of a real report: 3 segments, every chart present. */
export function warmUpInput(): ReportInput {
  const segments = [0, 1, 2];
  const wave = (i: number, s: number): number => Math.sin(i * 1.7 + s * 2.3) * 2 + s * 3;
  const rows = 60;
  return {
    title: 'warm-up',
    dataset: { fileName: 'warm-up.csv', rows, columnsUsed: ['a', 'b', 'c', 'd'], features: 4, columnsIgnored: [{ column: 'id', reason: 'an id' }] },
    algorithm: { name: 'k-means', parameters: { k: 3, seed: 1 } },
    backend: { name: 'cpu', reason: 'warm-up' },
    segments: segments.map((s) => ({ id: s, name: `segment ${s}`, size: rows / 3, share: 1 / 3 })),
    metrics: [{ name: 'silhouette', value: 0.5, note: 'warm-up' }],
    elbow: { points: [2, 3, 4, 5].map((k) => ({ k, inertia: 100 / k, silhouette: 0.5 - Math.abs(k - 3) / 10 })), chosenK: 3, reason: 'warm-up' },
    silhouette: {
      segments: segments.map((s) => ({ segment: s, rows: 20, mean: 0.4, values: Float64Array.from({ length: 20 }, (_, j) => 0.7 - j / 30) })),
      mean: 0.4,
      scoredRows: 60,
      totalRows: rows,
    },
    scatter: {
      x: Float64Array.from({ length: rows }, (_, i) => wave(i, i % 3)),
      y: Float64Array.from({ length: rows }, (_, i) => wave(i + 7, i % 3)),
      segment: Int32Array.from({ length: rows }, (_, i) => i % 3),
      totalRows: rows,
      xLabel: 'PC 1',
      yLabel: 'PC 2',
    },
    featureScatter: {
      columns: ['a', 'b'],
      values: [Float64Array.from({ length: rows }, (_, i) => wave(i, i % 3)), Float64Array.from({ length: rows }, (_, i) => Math.abs(wave(i + 3, i % 3)) * 100)],
      scales: ['linear', 'log'],
      segment: Int32Array.from({ length: rows }, (_, i) => i % 3),
      strata: segments.map((s) => ({ segment: s, drawn: 20, rows: 20 })),
      totalRows: rows,
      x: 0,
      y: 1,
      rule: 'warm-up',
    },
    kDistance: { k: 3, distances: Float64Array.from({ length: rows }, (_, i) => (i < 50 ? 0.5 + i / 100 : 1 + (i - 50) ** 2 / 10)), sampledRows: rows, totalRows: rows, kneeIndex: 50, eps: 0.8 },
    radar: { features: ['a', 'b', 'c', 'd'], series: segments.map((s) => ({ segment: s, values: [0, 1, 2, 3].map((f) => wave(f, s) / 10) })) },
    distributions: [
      { kind: 'numeric', feature: 'a', edges: [0, 1, 2, 3, 4, 5], counts: segments.map((s) => ({ segment: s, counts: [1, 2, 3, 2, 1].map((c) => c + s) })) },
      { kind: 'categorical', feature: 'c', categories: ['x', 'y', 'z'], counts: segments.map((s) => ({ segment: s, counts: [3, 2, 1].map((c) => c + s) })) },
    ],
    correlation: { features: ['a', 'b', 'c'], matrix: [1, 0.5, null, 0.5, 1, -0.2, null, -0.2, 1] },
    interests: { column: 'interests', segments: segments.map((s) => ({ segment: s, items: [{ item: 'p', share: 0.5, lift: 1.2 + s / 10 }, { item: 'q', share: 0.2, lift: 0.8 }] })) },
    profiles: segments.map((s) => ({
      segment: s,
      summary: `segment ${s}`,
      numeric: [{ feature: 'a', mean: s, median: s, q1: s - 1, q3: s + 1, standardisedDifference: s - 1 }],
      categorical: [{ feature: 'c', values: [{ value: 'x', share: 0.5, lift: 1.5 }] }],
    })),
  };
}
