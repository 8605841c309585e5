// SPDX-License-Identifier: MIT
/**
 * A scatter of two original numeric columns (Mall customers: annual income × spending score),
 * in their own units, of a sample of rows stratified by segment, coloured by segment with the
 * palette and legend of the other charts. A heavy-tailed column (heavyTail.ts) is drawn on a
 * symlog axis, as in the distributions. The report draws the default pair; the app redraws any
 * pair from the same data without fitting again.
 */
import type { TopLevelSpec } from 'vega-lite';
import { ParameterError } from '../../errors.js';
import { formatNumber } from '../format.js';
import type { SegmentStyles } from '../segmentStyle.js';
import { VEGA_LITE_CONFIG } from '../theme.js';
import type { ReportFeatureScatter } from '../types.js';
import { VALUE_LABEL, valueAxis } from './boxplot.js';
import { segmentPointChannels } from './scatter.js';

/** Index of column `j`, checked. */
function column(s: ReportFeatureScatter, j: number, argument: string): number {
  if (!Number.isInteger(j) || j < 0 || j >= s.columns.length) throw new ParameterError('featureScatterSpec', argument, `${argument}=${j} is not a column of the ${s.columns.length} in featureScatter.columns`);
  return j;
}

/** The points of the pair (x, y) where both values are finite. */
function points(s: ReportFeatureScatter, x: number, y: number, styles: SegmentStyles): Array<{ x: number; y: number; label: string }> {
  const xs = s.values[x];
  const ys = s.values[y];
  const out: Array<{ x: number; y: number; label: string }> = [];
  for (let i = 0; i < s.segment.length; i++) {
    if (Number.isFinite(xs[i]) && Number.isFinite(ys[i])) out.push({ x: xs[i], y: ys[i], label: styles.get(s.segment[i], 'featureScatter.segment').label });
  }
  return out;
}

function axisOf(s: ReportFeatureScatter, j: number, values: number[]): object {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (!(lo < hi)) [lo, hi] = Number.isFinite(lo) ? [lo - 1, hi + 1] : [0, 1];
  const axis = valueAxis({ feature: s.columns[j], scale: s.scales[j], edges: [lo, hi] });
  return {
    title: axis.title,
    scale: { ...axis.scale, domain: axis.domain, zero: false, nice: axis.scale.type === 'linear' },
    axis: axis.values === undefined ? { labelExpr: VALUE_LABEL } : { labelExpr: VALUE_LABEL, values: axis.values },
  };
}

/**
 * The Vega-Lite spec of the scatter of columns `x` and `y` (indices in `s.columns`; default the
 * data's pair): one point per sampled row with both values, in its segment's colour, with a
 * tooltip of its segment and values.
 * @throws ParameterError when x or y is not a column index.
 */
export function featureScatterSpec(s: ReportFeatureScatter, styles: SegmentStyles, x = s.x, y = s.y): TopLevelSpec {
  column(s, x, 'x');
  column(s, y, 'y');
  const values = points(s, x, y, styles);
  const xName = s.columns[x];
  const yName = s.columns[y];
  return {
    config: VEGA_LITE_CONFIG,
    data: { values },
    width: 520,
    height: 400,
    // As the PCA scatter: no accessible name per point (thousands of aria-labels inside an SVG that
    // is one image, role="img", to assistive technology); the tooltips stay for the app.
    mark: { type: 'circle', size: 16, opacity: 0.7, aria: false },
    encoding: {
      x: { field: 'x', type: 'quantitative', ...axisOf(s, x, values.map((p) => p.x)) },
      y: { field: 'y', type: 'quantitative', ...axisOf(s, y, values.map((p) => p.y)) },
      ...segmentPointChannels(styles, xName, yName, ',.4~g'),
    },
  } as TopLevelSpec;
}

/**
 * The caption: how many rows of how many are drawn and how (stratified by segment), the rows left
 * out for a blank, the log scales, and, for the default pair, the rule that chose it.
 * @example
 * // 2 segments of 600 and 400 rows, 50 + 30 drawn (no blanks), the default pair.
 * featureScatterCaption({ columns: ['a', 'b'], values: [[1], [2]], scales: ['linear', 'linear'], segment: [0], totalRows: 1000,
 *   strata: [{ segment: 0, drawn: 50, rows: 600 }, { segment: 1, drawn: 30, rows: 400 }], x: 0, y: 1, rule: 'r' }).startsWith('80 of 1,000 rows'); // true
 */
export function featureScatterCaption(s: ReportFeatureScatter, x = s.x, y = s.y): string {
  const drawn = s.strata.reduce((t, st) => t + st.drawn, 0);
  const parts = [
    drawn < s.totalRows
      ? `${formatNumber(drawn)} of ${formatNumber(s.totalRows)} rows, drawn at random (seeded) within each segment in proportion to its size.`
      : `All ${formatNumber(s.totalRows)} rows.`,
  ];
  let blank = 0;
  for (let i = 0; i < s.segment.length; i++) if (!Number.isFinite(s.values[x][i]) || !Number.isFinite(s.values[y][i])) blank++;
  if (blank > 0) parts.push(`${formatNumber(blank)} of them ${blank === 1 ? 'has' : 'have'} a blank in either column and ${blank === 1 ? 'is' : 'are'} not drawn.`);
  const logged = [x, y].filter((j, i) => s.scales[j] === 'log' && (i === 0 || j !== x)).map((j) => s.columns[j]);
  if (logged.length > 0) parts.push(`Log scale (log of 1 + value, so that 0 has its place) for ${logged.join(' and ')}: a long right tail.`);
  if (x === s.x && y === s.y) parts.push(`Shown first: ${s.rule}.`);
  if (s.note !== undefined) parts.push(s.note);
  return parts.join(' ');
}
