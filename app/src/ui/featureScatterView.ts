// SPDX-License-Identifier: MIT
/**
 * The scatter of two original columns (the report's chart), with two lists to choose any two
 * numeric columns: the chart is drawn again from the run's sample, without fitting again.
 */
import { featureScatterCaption, featureScatterSpec } from '../../../src/report/charts/featureScatter.js';
import type { SegmentStyles } from '../../../src/report/segmentStyle.js';
import type { ReportInput } from '../../../src/report/types.js';
import { vegaChart } from '../charts/vegaChart.js';
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
  const title = h('figcaption', {});
  const draw = (): void => {
    const x = Number(xList.value);
    const y = Number(yList.value);
    title.textContent = `${s.columns[y]} against ${s.columns[x]}`;
    holder.replaceChildren(vegaChart('featureScatter', { vegaLite: featureScatterSpec(s, styles, x, y) }, `rows on ${s.columns[x]} and ${s.columns[y]}, coloured by segment`));
    caption.textContent = featureScatterCaption(s, x, y);
  };
  xList.addEventListener('change', draw);
  yList.addEventListener('change', draw);
  draw();
  // Each list stays beside its label, the two side by side where they fit.
  const label = (text: string, list: HTMLSelectElement): HTMLElement => h('label', { style: 'white-space:nowrap' }, text, list);
  const controls = h('div', { style: 'display:flex;flex-wrap:wrap;gap:6px 16px;margin:4px 0 8px;font-size:13px' }, label('x axis ', xList), label('y axis ', yList));
  // As wide as the chart: the caption wraps under it rather than stretching the box.
  return h('div', { class: 'charts', id: 'feature-scatter' }, h('figure', { class: 'chart', style: 'max-width:640px' }, title, controls, holder, caption));
}
