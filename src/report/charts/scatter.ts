// SPDX-License-Identifier: MIT
/**
 * A 2-D scatter (e.g. the first two principal components) of sampled rows, coloured by segment.
 * A few extreme rows would squash the rest into a corner: the axes span the 1st to 99th
 * percentile of each coordinate, and the points outside are left out and counted (the caption
 * says how many).
 */
import type { TopLevelSpec } from 'vega-lite';
import { quantileSorted } from '../../data/select.js';
import type { SegmentStyles } from '../segmentStyle.js';
import { VEGA_LITE_CONFIG } from '../theme.js';
import type { ReportScatter } from '../types.js';

/** The span of each axis, and how many of the finite points fall outside it. */
export interface ScatterWindow {
  x: [number, number];
  y: [number, number];
  /** Finite points outside the window (beyond the 1st–99th percentile of x or of y). */
  outside: number;
  /** Finite points. */
  finite: number;
}

function percentiles(values: ArrayLike<number>, keep: Uint8Array): [number, number] {
  const finite = Float64Array.from({ length: values.length }, (_, i) => values[i]).filter((_, i) => keep[i] === 1).sort();
  return [quantileSorted(finite, 0.01), quantileSorted(finite, 0.99)];
}

/**
 * The window of the scatter: the 1st and 99th percentiles (linear interpolation) of x and of y
 * over the points where both are finite, and the count of those points outside it. O(n log n).
 * @example
 * // x = y = 0..99: the 1st and 99th percentiles are 0.99 and 98.01
 * const x = Array.from({ length: 100 }, (_, i) => i);
 * scatterWindow({ x, y: x }).outside; // 2 (the points 0 and 99)
 * scatterWindow({ x, y: [NaN, ...x.slice(1)] }).finite; // 99
 */
export function scatterWindow(scatter: Pick<ReportScatter, 'x' | 'y'>): ScatterWindow {
  const n = scatter.x.length;
  const keep = new Uint8Array(n);
  let finite = 0;
  for (let i = 0; i < n; i++) {
    if (Number.isFinite(scatter.x[i]) && Number.isFinite(scatter.y[i])) {
      keep[i] = 1;
      finite++;
    }
  }
  const x = percentiles(scatter.x, keep);
  const y = percentiles(scatter.y, keep);
  let outside = 0;
  for (let i = 0; i < n; i++) {
    if (keep[i] === 1 && (scatter.x[i] < x[0] || scatter.x[i] > x[1] || scatter.y[i] < y[0] || scatter.y[i] > y[1])) outside++;
  }
  return { x, y, outside, finite };
}

/**
 * The colour and tooltip channels of a scatter of rows coloured by segment (fields `x`, `y`,
 * `label`): the segment palette with its legend under the plot, and a tooltip of the segment and
 * both coordinates in `format`.
 */
export function segmentPointChannels(styles: SegmentStyles, xTitle: string, yTitle: string, format: string): { color: object; tooltip: object[] } {
  return {
    // The legend under the plot: beside it, it took a third of the width a phone has.
    color: { field: 'label', type: 'nominal', title: 'segment', scale: { domain: styles.labels, range: styles.colors }, legend: { orient: 'bottom', direction: 'vertical' } },
    tooltip: [
      { field: 'label', title: 'segment' },
      { field: 'x', title: xTitle, format },
      { field: 'y', title: yTitle, format },
    ],
  };
}

/** The Vega-Lite spec of the scatter; points of a segment are drawn in the segment's colour. */
export function scatterSpec(scatter: ReportScatter, styles: SegmentStyles): TopLevelSpec {
  const window = scatterWindow(scatter);
  const values: Array<{ x: number; y: number; label: string }> = [];
  for (let i = 0; i < scatter.x.length; i++) {
    const x = scatter.x[i];
    const y = scatter.y[i];
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    if (x < window.x[0] || x > window.x[1] || y < window.y[0] || y > window.y[1]) continue;
    // Rounded to 4 significant digits: invisible at this size, and a third of the SVG's bytes.
    values.push({ x: Number(x.toPrecision(4)), y: Number(y.toPrecision(4)), label: styles.get(scatter.segment[i], 'scatter.segment').label });
  }
  const xTitle = scatter.xLabel ?? 'PC1';
  const yTitle = scatter.yLabel ?? 'PC2';
  return {
    config: VEGA_LITE_CONFIG,
    data: { values },
    width: 520,
    height: 400,
    mark: { type: 'circle', size: 14, opacity: 0.65, aria: false },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: xTitle, scale: { zero: false, nice: true } },
      y: { field: 'y', type: 'quantitative', title: yTitle, scale: { zero: false, nice: true } },
      ...segmentPointChannels(styles, xTitle, yTitle, '.3~g'),
    },
  } as TopLevelSpec;
}
