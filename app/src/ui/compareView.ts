// SPDX-License-Identifier: MIT
/** The comparison of the runs made on one file: silhouette, inertia, sizes, time, backend. */
import { SegmentStyles } from '../../../src/report/segmentStyle.js';
import type { RunResult } from '../protocol.js';
import { h, num } from './dom.js';

/** Bar of the segment sizes of a run, one colour per segment. */
function sizesBar(r: RunResult): HTMLElement {
  const total = r.rows;
  const styles = new SegmentStyles(r.report.segments, 'app');
  const bar = h('span', { class: 'sizes-bar', title: r.sizes.map((s, i) => `${i}: ${s}`).join(', ') });
  r.sizes.forEach((s, i) => bar.append(h('i', { style: `width:${(100 * s) / total}%;background:${styles.colorOf(i)}` })));
  if (r.noise > 0) bar.append(h('i', { style: `width:${(100 * r.noise) / total}%;background:${styles.colorOf(-1)}` }));
  return bar;
}

export function renderCompare(box: HTMLElement, runs: RunResult[], onSelect: (runId: number) => void): void {
  const featureSets = new Set(runs.map((r) => r.features.join('\u0000')));
  const rows = runs.map((r) => {
    const link = h('button', { type: 'button', class: 'link' }, r.label);
    link.addEventListener('click', () => onSelect(r.runId));
    return h(
      'tr',
      { 'data-run-id': r.runId },
      h('td', {}, link),
      h('td', {}, r.backend.name),
      h('td', { class: 'num' }, String(r.sizes.filter((s) => s > 0).length)),
      h('td', { class: 'num' }, r.metrics.silhouette === null ? '–' : r.metrics.silhouette.toFixed(3)),
      h('td', { class: 'num' }, num(r.metrics.inertia)),
      h('td', {}, sizesBar(r), ` ${r.sizes.join(' / ')}${r.noise > 0 ? ` + ${r.noise} noise` : ''}`),
      h('td', { class: 'num' }, `${(r.fitMs / 1000).toFixed(2)} s`),
    );
  });
  box.replaceChildren(
    h(
      'table',
      { class: 'compare' },
      h('thead', {}, h('tr', {}, ...['run', 'backend', 'segments', 'silhouette', 'inertia', 'sizes', 'fit time'].map((t) => h('th', {}, t)))),
      h('tbody', {}, ...rows),
    ),
  );
  if (featureSets.size > 1) box.append(h('p', { class: 'note' }, 'The runs used different columns: their inertias are not comparable.'));
}
