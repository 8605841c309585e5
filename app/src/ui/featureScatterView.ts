// SPDX-License-Identifier: MIT
/**
 * The scatter of two original columns (the report's chart), with two lists to choose any two
 * numeric columns: the chart is drawn again from the run's sample, without fitting again.
 */
import { featureScatterCaption, featureScatterSpec } from '../../../src/report/charts/featureScatter.js';
import type { SegmentStyles } from '../../../src/report/segmentStyle.js';
import type { ReportInput } from '../../../src/report/types.js';
import { figure, vegaChart } from '../charts/vegaChart.js';
import { h } from './dom.js';

/** The figure with its two column lists, or null when the run has fewer than two numeric columns. */
export function featureScatterView(report: ReportInput, styles: SegmentStyles): HTMLElement | null {
  const s = report.featureScatter;
  if (s === undefined || s.columns.length < 2) return null;
  const list = (id: string, selected: number): HTMLSelectElement =>
    h('select', { id, 'data-testid': id }, ...s.columns.map((c, j) => h('option', { value: j, selected: j === selected }, c)));
  const xList = list('feature-x', s.x);
  const yList = list('feature-y', s.y);
  const holder = h('div', { class: 'feature-scatter' });
  const caption = h('p', { class: 'note' });
  const draw = (): void => {
    const x = Number(xList.value);
    const y = Number(yList.value);
    holder.replaceChildren(vegaChart('featureScatter', { vegaLite: featureScatterSpec(s, styles, x, y) }, `rows on ${s.columns[x]} and ${s.columns[y]}, coloured by segment`));
    caption.textContent = featureScatterCaption(s, x, y);
  };
  xList.addEventListener('change', draw);
  yList.addEventListener('change', draw);
  draw();
  const controls = h('div', { class: 'fields' }, h('label', {}, 'across ', xList), h('label', {}, 'up ', yList));
  return h('div', { class: 'charts', id: 'feature-scatter' }, figure('Two columns against each other', [controls, holder, caption]));
}
