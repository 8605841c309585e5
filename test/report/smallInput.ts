// SPDX-License-Identifier: MIT
/** A small report input written by hand, with every chart's input, for the unit tests. */
import type { ReportInput } from '../../src/report/types.js';

export const HOSTILE = '<script>alert(1)</script> & "x"';

/** Every optional part present; segment 2 and several other texts carry `HOSTILE`. */
export function smallInput(): ReportInput {
  const scatterX: number[] = [];
  const scatterY: number[] = [];
  const scatterSegment: number[] = [];
  for (let i = 0; i < 30; i++) {
    const s = i % 3;
    scatterX.push(s * 3 + Math.cos(i));
    scatterY.push(s - Math.sin(i * 1.7));
    scatterSegment.push(s);
  }
  return {
    title: `Report ${HOSTILE}`,
    dataset: {
      fileName: `users ${HOSTILE}.csv`,
      rows: 300,
      columnsUsed: ['age', 'visits', HOSTILE],
      features: 5,
      columnsIgnored: [{ column: 'id', reason: 'id' }],
      columns: [
        { name: 'age', kind: 'number', reason: 'integers 18–70, skewness 0.4', blank: 3, used: true, filled: 3, filledWith: 'the median' },
        { name: 'id', kind: 'id', reason: 'a different value in every row', blank: 0, used: false, filled: 0 },
      ],
      skipped: { rows: 2, reasons: [`line 7: ${HOSTILE}`] },
    },
    algorithm: { name: 'k-means', parameters: { k: 3, nInit: 10, [HOSTILE]: HOSTILE } },
    backend: { name: 'cpu', reason: HOSTILE },
    segments: [
      { id: 0, name: 'night owls', size: 150, share: 0.5, generatedName: true },
      { id: 1, name: 'casual', size: 100, share: 1 / 3 },
      { id: 2, name: HOSTILE, size: 50, share: 1 / 6 },
    ],
    metrics: [{ name: 'silhouette', value: 0.41, note: 'higher is better' }],
    elbow: {
      points: [
        { k: 2, inertia: 900, silhouette: 0.35 },
        { k: 3, inertia: 400, silhouette: 0.41 },
        { k: 4, inertia: 350, silhouette: null },
      ],
      chosenK: 3,
      reason: `best silhouette ${HOSTILE}`,
    },
    silhouette: {
      segments: [
        { segment: 0, rows: 4, mean: 0.6, values: Float64Array.of(0.8, 0.7, 0.5, 0.4) },
        { segment: 1, rows: 3, mean: 0.3, values: Float64Array.of(0.5, 0.3, 0.1) },
        { segment: 2, rows: 2, mean: 0.05, values: Float64Array.of(0.2, -0.1) },
      ],
      mean: (2.4 + 0.9 + 0.1) / 9,
      scoredRows: 9,
      totalRows: 300,
    },
    scatter: { x: scatterX, y: scatterY, segment: scatterSegment, totalRows: 300, xLabel: 'PC1 (40 %)', yLabel: `PC2 ${HOSTILE}` },
    featureScatter: {
      columns: ['age', HOSTILE, 'spend'],
      values: [scatterX.map((v) => 30 + 5 * v), scatterY, scatterX.map((v, i) => (i % 10 === 0 ? 5000 : Math.abs(v) * 10))],
      scales: ['linear', 'linear', 'log'],
      segment: scatterSegment,
      strata: [0, 1, 2].map((segment) => ({ segment, drawn: 10, rows: 100 })),
      totalRows: 300,
      x: 0,
      y: 1,
      rule: 'the two columns that differ most',
    },
    radar: {
      features: ['age', 'visits', 'spend', HOSTILE],
      series: [
        { segment: 0, values: [1.2, -0.3, 0.4, 0] },
        { segment: 1, values: [-0.5, 0.8, -1.1, 0.2] },
        { segment: 2, values: [0.1, 0.1, 2.2, -0.7] },
      ],
    },
    distributions: [
      {
        kind: 'numeric',
        feature: 'age',
        edges: [18, 30, 45, 70],
        counts: [
          { segment: 0, counts: [100, 40, 10] },
          { segment: 1, counts: [20, 60, 20] },
          { segment: 2, counts: [5, 5, 40] },
        ],
        boxes: [
          { segment: 0, count: 150, q1: 22, median: 26, q3: 31, low: 18, high: 44, outlierCount: 3, outliers: [69, 66] },
          { segment: 1, count: 100, q1: 28, median: 36, q3: 44, low: 18, high: 68, outlierCount: 0, outliers: [] },
          { segment: 2, count: 50, q1: 41, median: 52, q3: 60, low: 30, high: 70, outlierCount: 0, outliers: [] },
        ],
      },
      {
        kind: 'categorical',
        feature: HOSTILE,
        categories: ['mobile', HOSTILE],
        counts: [
          { segment: 0, counts: [120, 30] },
          { segment: 2, counts: [10, 40] },
        ],
      },
    ],
    correlation: { features: ['age', 'visits', HOSTILE], matrix: [1, 0.5, NaN, 0.5, 1, NaN, NaN, NaN, null] },
    interests: {
      column: 'Top Interests',
      segments: [
        { segment: 0, items: [{ item: 'Gaming', share: 0.6, lift: 1.8 }, { item: HOSTILE, share: 0.3 }] },
        { segment: 2, items: [{ item: 'Travel', share: 0.5, lift: 1.2 }] },
      ],
    },
    profiles: [
      {
        segment: 2,
        summary: `older, ${HOSTILE}`,
        numeric: [{ feature: HOSTILE, mean: 41.5, median: 40, q1: 33, q3: 50, standardisedDifference: 0.82 }],
        categorical: [{ feature: 'device', values: [{ value: HOSTILE, share: 0.8, lift: 1.6 }] }],
      },
    ],
  };
}
