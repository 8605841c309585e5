// SPDX-License-Identifier: MIT
/**
 * Tukey box plots of one numeric feature, one row per segment: the box from Q1 to Q3 with the
 * median, whiskers to the most extreme values within 1.5 IQR, and the values beyond as points.
 * Drawn from statistics computed beforehand (src/report/histogram.ts, boxBySegment), so that the
 * chart's size does not grow with the rows. A heavy-tailed feature is drawn on a symlog axis.
 */
import type { TopLevelSpec } from 'vega-lite';
import { ParameterError } from '../../errors.js';
import type { SegmentStyles } from '../segmentStyle.js';
import { VEGA_LITE_CONFIG } from '../theme.js';
import type { ReportNumericDistribution } from '../types.js';

/** The x axis of a numeric feature's charts: its title, and a symlog scale when it is heavy-tailed. */
export function valueAxis(d: Pick<ReportNumericDistribution, 'feature' | 'scale'>): { title: string; scale: { type: 'symlog'; constant: 1 } | { type: 'linear' } } {
  return d.scale === 'log' ? { title: `${d.feature} (log scale)`, scale: { type: 'symlog', constant: 1 } } : { title: d.feature, scale: { type: 'linear' } };
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
  const x = (field: string) => ({ field, type: 'quantitative', title: axis.title, scale: { ...axis.scale, zero: false, nice: false } });
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
