// SPDX-License-Identifier: MIT
/**
 * The silhouette plot (Rousseeuw 1987; yellowbrick's SilhouetteVisualizer): each segment's rows
 * as a band of their silhouettes, highest first, one band under the other with a gap, so that a
 * segment whose band is thin, short or reaches below 0 (rows nearer another segment than their
 * own) stands out; the dashed rule is the mean over all scored rows.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { SegmentStyles } from '../segmentStyle.js';
import { MUTED, VEGA_LITE_CONFIG } from '../theme.js';
import type { ReportSilhouettePlot } from '../types.js';

const MEAN = '#e45756';

/** Row positions between two segments' bands, as a share of all scored rows. */
const GAP = 0.03;

/**
 * The Vega-Lite spec of the silhouette plot: for each segment, its order statistics placed down
 * the y axis in proportion to the segment's scored rows (y in [0, 1] over all bands and gaps),
 * an area from 0 to each value, in the segment's colour.
 */
export function silhouetteSpec(plot: ReportSilhouettePlot, styles: SegmentStyles): TopLevelSpec {
  const scored = plot.segments.reduce((a, s) => a + s.rows, 0);
  const span = 1 + GAP * Math.max(0, plot.segments.length - 1);
  const values: Array<{ y: number; x: number; label: string; rows: number; mean: number }> = [];
  const labels: Array<{ y: number; label: string; mean: number }> = [];
  let top = 0;
  for (const s of plot.segments) {
    const label = styles.get(s.segment, 'silhouette.segments').label;
    const height = s.rows / scored;
    const n = s.values.length;
    s.values.forEach((x, j) => values.push({ y: (top + (n === 1 ? height / 2 : (height * j) / (n - 1))) / span, x, label, rows: s.rows, mean: s.mean }));
    labels.push({ y: (top + height / 2) / span, label, mean: s.mean });
    top += height + GAP;
  }
  const lo = Math.min(0, ...plot.segments.map((s) => s.values[s.values.length - 1]));
  const x = { field: 'x', type: 'quantitative', title: 'silhouette', scale: { domain: [Math.max(-1, Math.floor(lo * 10) / 10), 1], nice: false } };
  return {
    config: VEGA_LITE_CONFIG,
    width: 460,
    height: Math.min(420, 60 + 40 * plot.segments.length),
    encoding: { y: { field: 'y', type: 'quantitative', scale: { domain: [1, 0], nice: false }, axis: null } },
    layer: [
      {
        data: { values },
        mark: { type: 'area', orient: 'horizontal', opacity: 0.85 },
        encoding: {
          x: { ...x, stack: null },
          x2: { datum: 0 },
          detail: { field: 'label' },
          color: { field: 'label', type: 'nominal', scale: { domain: styles.labels, range: styles.colors }, legend: { title: 'segment', orient: 'bottom', direction: 'vertical', labelLimit: 340 } },
          tooltip: [
            { field: 'label', title: 'segment' },
            { field: 'rows', title: 'rows scored', format: ',' },
            { field: 'mean', title: 'mean silhouette', format: '.3f' },
          ],
        },
      },
      {
        data: { values: labels },
        mark: { type: 'text', align: 'left', dx: 4, fontSize: 11, color: MUTED },
        encoding: { x: { datum: 1 }, text: { field: 'mean', format: '.2f' }, tooltip: null },
      },
      {
        data: { values: [{ mean: plot.mean }] },
        mark: { type: 'rule', color: MEAN, strokeDash: [4, 3] },
        encoding: { x: { field: 'mean', type: 'quantitative' }, y: null, tooltip: [{ field: 'mean', title: 'mean silhouette', format: '.3f' }] },
      },
    ],
  } as TopLevelSpec;
}
