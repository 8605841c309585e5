// SPDX-License-Identifier: MIT
/**
 * Tukey box plots of one numeric feature, one row per segment: the box from Q1 to Q3 with the
 * median, whiskers to the most extreme values within 1.5 IQR, and the values beyond as points.
 * Drawn from statistics computed beforehand (src/report/histogram.ts, boxBySegment), so that the
 * chart's size does not grow with the rows. A heavy-tailed feature is drawn on a symlog axis.
 */
import type { TopLevelSpec } from 'vega-lite';
import { ParameterError } from '../../errors.js';
import { symlog } from '../heavyTail.js';
import type { SegmentStyles } from '../segmentStyle.js';
import { VEGA_LITE_CONFIG } from '../theme.js';
import type { ReportNumericDistribution } from '../types.js';

/**
 * Ticks of a symlog axis over [lo, hi]: from 0 and 1, 3, 10, 30, ... times powers of ten (and
 * their negatives), each kept when it lies at least a seventh of the axis from the one before on
 * the axis, so that labels never crowd. Vega's own symlog ticks are linear ones, which crowd the
 * right end ('10 20 30 40 50 60') and leave the rest bare.
 */
export function symlogTicks(lo: number, hi: number): number[] {
  const steps: number[] = [];
  for (let e = -3; e <= 15; e++) for (const m of [1, 3]) steps.push(m * 10 ** e);
  const candidates = [...steps.map((v) => -v).reverse(), 0, ...steps].filter((v) => v >= lo && v <= hi);
  const gap = (symlog(hi) - symlog(lo)) / 7;
  const ticks: number[] = [];
  for (const v of candidates) if (ticks.length === 0 || symlog(v) - symlog(ticks[ticks.length - 1]) >= gap) ticks.push(v);
  return ticks;
}

/**
 * Tick labels of a value axis: up to 3 significant digits below 1,000, then k, M, G ('3k'). A
 * Vega expression: with explicit tick values, Vega's own format took its precision from the
 * domain and wrote 3 as '0k'.
 */
export const VALUE_LABEL = "abs(datum.value) >= 1000 ? format(datum.value, '.3~s') : format(datum.value, '.3~r')";

/**
 * The x axis of a numeric feature's charts: its title, its scale (symlog when it is heavy-tailed,
 * see heavyTail.ts) over the histogram's range, and the tick values of a symlog axis.
 */
export function valueAxis(d: Pick<ReportNumericDistribution, 'feature' | 'scale' | 'edges'>): {
  title: string;
  scale: { type: 'symlog'; constant: 1 } | { type: 'linear' };
  domain: [number, number];
  values?: number[];
} {
  const domain: [number, number] = [d.edges[0], d.edges[d.edges.length - 1]];
  return d.scale === 'log'
    ? { title: `${d.feature} (log scale)`, scale: { type: 'symlog', constant: 1 }, domain, values: symlogTicks(domain[0], domain[1]) }
    : { title: d.feature, scale: { type: 'linear' }, domain };
}

/** The Vega-Lite spec of the box plots of `d.boxes`; segments in the styles' order. */
export function boxPlotSpec(d: ReportNumericDistribution, styles: SegmentStyles, argument: string): TopLevelSpec {
  const boxes = d.boxes ?? [];
  if (boxes.length === 0) throw new ParameterError('renderReport', argument, `${argument} (${d.feature}) has no box plot statistics`);
  const rows = boxes.map((b) => ({ label: styles.get(b.segment, `${argument}.boxes[].segment`).label, ...b, outliers: undefined, shown: b.outliers.length }));
  const points = boxes.flatMap((b) => Array.from(b.outliers, (value) => ({ label: styles.get(b.segment, `${argument}.boxes[].segment`).label, value })));
  const axis = valueAxis(d);
  const shown = styles.labels.filter((l) => rows.some((r) => r.label === l));
  const y = { field: 'label', type: 'nominal', sort: shown, title: null, axis: { labelLimit: 170 } };
  const x = (field: string) => ({
    field,
    type: 'quantitative',
    title: axis.title,
    scale: { ...axis.scale, domain: axis.domain, zero: false, nice: false },
    axis: axis.values === undefined ? { labelExpr: VALUE_LABEL } : { labelExpr: VALUE_LABEL, values: axis.values },
  });
  const color = { field: 'label', type: 'nominal', scale: { domain: styles.labels, range: styles.colors }, legend: null };
  const tooltip = [
    { field: 'label', title: 'segment' },
    { field: 'median', title: 'median', format: ',.4~g' },
    { field: 'q1', title: 'Q1', format: ',.4~g' },
    { field: 'q3', title: 'Q3', format: ',.4~g' },
    { field: 'low', title: 'lower whisker', format: ',.4~g' },
    { field: 'high', title: 'upper whisker', format: ',.4~g' },
    { field: 'outlierCount', title: 'outliers (beyond 1.5 IQR)', format: ',' },
    { field: 'count', title: 'values', format: ',' },
  ];
  const layer: object[] = [
    { data: { values: rows }, mark: { type: 'rule', color: '#7b8794' }, encoding: { y, x: x('low'), x2: { field: 'high' }, tooltip } },
    { data: { values: rows }, mark: { type: 'bar', size: 14, stroke: '#3e4c59', strokeWidth: 0.5 }, encoding: { y, x: x('q1'), x2: { field: 'q3' }, color, tooltip } },
    { data: { values: rows }, mark: { type: 'tick', color: '#ffffff', size: 14, thickness: 2 }, encoding: { y, x: x('median'), tooltip } },
  ];
  if (points.length > 0) {
    layer.push({
      data: { values: points },
      mark: { type: 'point', size: 16, filled: false, strokeWidth: 1 },
      encoding: { y, x: x('value'), color, tooltip: [{ field: 'label', title: 'segment' }, { field: 'value', title: 'outlier', format: ',.4~g' }] },
    });
  }
  return { config: VEGA_LITE_CONFIG, width: 280, height: { step: 22 }, layer } as TopLevelSpec;
}
