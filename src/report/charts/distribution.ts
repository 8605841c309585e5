// SPDX-License-Identifier: MIT
/**
 * One feature's distribution in each segment. Numbers: a histogram per segment on shared bins,
 * one row per segment, heights as the share of the segment's rows in each bin (so that segments
 * of different sizes compare). Categories: grouped bars of each value's share in each segment.
 * (Vega-Lite's row facets would do the numbers too, but its header layout for horizontal labels
 * leaves a wide empty margin; a band scale in Vega gives the names as plain axis labels.)
 */
import type * as vega from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { ParameterError } from '../../errors.js';
import type { SegmentStyles } from '../segmentStyle.js';
import { FONT, GRID, INK, MUTED, VEGA_LITE_CONFIG } from '../theme.js';
import type { ReportCategoricalDistribution, ReportNumericDistribution } from '../types.js';
import { VALUE_LABEL, valueAxis } from './boxplot.js';

const FN = 'renderReport';

function total(counts: ArrayLike<number>): number {
  let t = 0;
  for (let i = 0; i < counts.length; i++) t += counts[i];
  return t;
}

/**
 * A numeric feature as one histogram row per segment (a ridgeline), drawn with Vega marks: a band
 * per segment on the y axis (so segment names are ordinary axis labels), bars from the bin edges
 * on a shared x axis, bar heights from a shared share scale (the tallest bar fills its band).
 */
export function numericDistributionSpec(d: ReportNumericDistribution, styles: SegmentStyles, argument: string): vega.Spec {
  checkEdges(d, argument);
  const bins = d.edges.length - 1;
  const values: Array<{ label: string; start: number; end: number; share: number }> = [];
  for (const s of d.counts) {
    const style = styles.get(s.segment, `${argument}.counts[].segment`);
    if (s.counts.length !== bins) {
      throw new ParameterError(FN, argument, `${argument} (${d.feature}): segment ${s.segment} has ${s.counts.length} counts for ${bins} bins`);
    }
    const t = total(s.counts);
    for (let b = 0; b < bins; b++) values.push({ label: style.label, start: d.edges[b], end: d.edges[b + 1], share: t > 0 ? s.counts[b] / t : 0 });
  }
  const shown = styles.list.filter((st) => values.some((v) => v.label === st.label)).map((st) => st.label);
  const maxShare = Math.max(1e-9, ...values.map((v) => v.share));
  const axisStyle = { labelFont: FONT, titleFont: FONT, labelFontSize: 11, titleFontSize: 12, labelColor: MUTED, titleColor: INK, domainColor: '#9aa5b1', tickColor: '#9aa5b1' };
  const band = "scale('y', datum.label) + bandwidth('y')";
  const axis = valueAxis(d);
  const x = axis.scale.type === 'symlog' ? { type: 'symlog', constant: 1 } : { type: 'linear' };
  return {
    $schema: 'https://vega.github.io/schema/vega/v6.json',
    width: 280,
    height: 38 * shown.length,
    padding: 8,
    background: '#ffffff',
    data: [
      { name: 'bins', values },
      { name: 'rows', values: shown.map((label) => ({ label })) },
    ],
    scales: [
      { name: 'x', ...x, domain: [d.edges[0], d.edges[bins]], range: 'width', zero: false, nice: false },
      { name: 'y', type: 'band', domain: shown, range: 'height', paddingInner: 0.2, paddingOuter: 0.05 },
      { name: 'h', type: 'linear', domain: [0, maxShare], range: [0, { signal: "bandwidth('y')" }] },
      { name: 'color', type: 'ordinal', domain: styles.labels, range: styles.colors },
    ],
    axes: [
      {
        orient: 'bottom',
        scale: 'x',
        title: axis.title,
        tickCount: 6,
        labelFlush: true,
        ...(axis.values === undefined ? {} : { values: axis.values }),
        encode: { labels: { update: { text: { signal: VALUE_LABEL } } } },
        ...axisStyle,
      },
      { orient: 'left', scale: 'y', domain: false, ticks: false, labelLimit: 170, labelPadding: 6, ...axisStyle, labelColor: INK },
    ],
    marks: [
      {
        type: 'rule',
        from: { data: 'rows' },
        aria: false,
        encode: { enter: { x: { value: 0 }, x2: { signal: 'width' }, y: { signal: band }, stroke: { value: GRID } } },
      },
      {
        type: 'rect',
        from: { data: 'bins' },
        aria: false,
        encode: {
          enter: {
            x: { scale: 'x', field: 'start', offset: 0.5 },
            x2: { scale: 'x', field: 'end', offset: -0.5 },
            y: { signal: `${band} - scale('h', datum.share)` },
            y2: { signal: band },
            fill: { scale: 'color', field: 'label' },
            tooltip: {
              signal: "{'segment': datum.label, 'from': format(datum.start, ',.4~g'), 'to': format(datum.end, ',.4~g'), 'share of segment': format(datum.share, '.1%')}",
            },
          },
        },
      },
    ],
  } as vega.Spec;
}

/** A categorical feature as grouped bars: each value's share in each segment. */
export function categoricalDistributionSpec(d: ReportCategoricalDistribution, styles: SegmentStyles, argument: string): TopLevelSpec {
  const values: Array<{ label: string; value: string; share: number }> = [];
  for (const s of d.counts) {
    const style = styles.get(s.segment, `${argument}.counts[].segment`);
    if (s.counts.length !== d.categories.length) {
      throw new ParameterError(FN, argument, `${argument} (${d.feature}): segment ${s.segment} has ${s.counts.length} counts for ${d.categories.length} categories`);
    }
    const t = total(s.counts);
    d.categories.forEach((value, c) => values.push({ label: style.label, value, share: t > 0 ? s.counts[c] / t : 0 }));
  }
  return {
    config: VEGA_LITE_CONFIG,
    data: { values },
    width: 260,
    height: { step: 9 },
    mark: { type: 'bar', aria: false },
    encoding: {
      y: { field: 'value', type: 'nominal', sort: [...d.categories], title: d.feature, axis: { labelLimit: 200 } },
      yOffset: { field: 'label', type: 'nominal', sort: styles.labels },
      x: { field: 'share', type: 'quantitative', title: 'share of segment', axis: { format: '.0%' } },
      color: { field: 'label', type: 'nominal', title: 'segment', scale: { domain: styles.labels, range: styles.colors }, legend: { orient: 'bottom', direction: 'vertical' } },
      tooltip: [
        { field: 'label', title: 'segment' },
        { field: 'value', title: d.feature },
        { field: 'share', title: 'share of segment', format: '.1%' },
      ],
    },
  } as TopLevelSpec;
}

function checkEdges(d: ReportNumericDistribution, argument: string): void {
  if (d.edges.length < 2) throw new ParameterError(FN, argument, `${argument} (${d.feature}): edges has ${d.edges.length} values; a histogram needs at least 2`);
  for (let i = 1; i < d.edges.length; i++) {
    if (!(d.edges[i] > d.edges[i - 1])) throw new ParameterError(FN, argument, `${argument} (${d.feature}): edges must be finite and increasing (edges[${i}] = ${d.edges[i]})`);
  }
}
