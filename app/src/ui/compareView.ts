// SPDX-License-Identifier: MIT
/**
 * Comparing runs. `renderCompare`: the runs made on one file, one row each (settings that differ,
 * backend, segments, silhouette, inertia, sizes, fit time), the best silhouette marked.
 * `renderSideBySide`: two saved runs (of one file or two), one column each, every option and
 * result on its own row, the rows where they differ marked.
 */
import { SegmentStyles } from '../../../src/report/segmentStyle.js';
import { algorithmSpec } from '../algorithmSettings.js';
import type { RunResult } from '../protocol.js';
import { runTitle, type RunRecord } from '../runStore.js';
import { h, num } from './dom.js';
import { iterationsText } from './resultsView.js';

/** Bar of the segment sizes of a run, one colour per segment. */
function sizesBar(r: RunResult): HTMLElement {
  const total = r.rows;
  const styles = new SegmentStyles(r.report.segments, 'app');
  const bar = h('span', { class: 'sizes-bar', title: r.sizes.map((s, i) => `${i}: ${s}`).join(', ') });
  r.sizes.forEach((s, i) => bar.append(h('i', { style: `width:${(100 * s) / total}%;background:${styles.colorOf(i)}` })));
  if (r.noise > 0) bar.append(h('i', { style: `width:${(100 * r.noise) / total}%;background:${styles.colorOf(-1)}` }));
  return bar;
}

function sizesText(r: RunResult): string {
  return `${r.sizes.join(' / ')}${r.noise > 0 ? ` + ${r.noise} noise` : ''}`;
}

/** The settings of a run by their labels in the form, e.g. `max iterations = 300`. */
function settingTexts(r: Pick<RunResult, 'algorithm' | 'settings'>): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of algorithmSpec(r.algorithm).fields) {
    const v = r.settings[f.key];
    out.set(f.label, v === null || v === undefined ? 'auto' : String(v));
  }
  return out;
}

/** The settings that are not the same in every run (algorithm, seed, fields), per run. */
function differingSettings(runs: RunResult[]): string[] {
  const texts = runs.map((r) => new Map([['algorithm', algorithmSpec(r.algorithm).label], ['seed', String(r.seed)], ...settingTexts(r)]));
  const keys = [...new Set(texts.flatMap((t) => [...t.keys()]))];
  const differ = keys.filter((k) => new Set(texts.map((t) => t.get(k) ?? '–')).size > 1);
  return texts.map((t) => differ.map((k) => `${k} = ${t.get(k) ?? '–'}`).join(', '));
}

export function renderCompare(box: HTMLElement, runs: RunResult[], onSelect: (runId: number) => void): void {
  const featureSets = new Set(runs.map((r) => r.features.join('\u0000')));
  const differ = differingSettings(runs);
  const scored = runs.map((r) => r.metrics.silhouette).filter((s): s is number => s !== null);
  const best = scored.length > 1 ? Math.max(...scored) : null;
  const rows = runs.map((r, i) => {
    const link = h('button', { type: 'button', class: 'link' }, r.label);
    link.addEventListener('click', () => onSelect(r.runId));
    const sil = r.metrics.silhouette;
    return h(
      'tr',
      { 'data-run-id': r.runId },
      h('td', {}, link),
      h('td', {}, differ[i] === '' ? 'same' : differ[i]),
      h('td', {}, r.backend.name),
      h('td', { class: 'num' }, String(r.sizes.filter((s) => s > 0).length)),
      h('td', { class: sil !== null && sil === best ? 'num best' : 'num', title: sil !== null && sil === best ? 'the highest silhouette of these runs' : undefined }, sil === null ? '–' : sil.toFixed(3)),
      h('td', { class: 'num' }, num(r.metrics.inertia)),
      h('td', {}, sizesBar(r), ` ${sizesText(r)}`),
      h('td', { class: 'num' }, `${(r.fitMs / 1000).toFixed(2)} s`),
    );
  });
  box.replaceChildren(
    h(
      'table',
      { class: 'compare' },
      h('thead', {}, h('tr', {}, ...['run', 'settings that differ', 'backend', 'segments', 'silhouette', 'inertia', 'sizes', 'fit time'].map((t) => h('th', {}, t)))),
      h('tbody', {}, ...rows),
    ),
  );
  if (featureSets.size > 1) box.append(h('p', { class: 'note' }, 'The runs used different columns: their inertias are not comparable.'));
}

/** When a run was saved, as `2026-12-07 13:05:09` (local time). */
export function when(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Columns used by one run and not the other, in words. */
function columnsDiff(a: RunRecord, b: RunRecord): string | null {
  const used = (r: RunRecord): Set<string> => new Set(r.request.schema.columns.filter((c) => c.use).map((c) => `${c.name} (${c.kind})`));
  const ua = used(a);
  const ub = used(b);
  const onlyA = [...ua].filter((c) => !ub.has(c));
  const onlyB = [...ub].filter((c) => !ua.has(c));
  if (onlyA.length === 0 && onlyB.length === 0) return null;
  return [onlyA.length > 0 ? `only the first: ${onlyA.join(', ')}` : '', onlyB.length > 0 ? `only the second: ${onlyB.join(', ')}` : ''].filter((s) => s !== '').join('; ');
}

/**
 * Two saved runs side by side: the file, options, columns, metrics, structure, segments with
 * their names and sizes, and times; a row whose values differ is marked (`data-differs`).
 */
export function renderSideBySide(box: HTMLElement, a: RunRecord, b: RunRecord): void {
  type Cell = string | HTMLElement;
  const rows: Array<[string, Cell, Cell, boolean?]> = [];
  const add = (label: string, f: (r: RunRecord) => Cell, differs?: boolean): void => {
    const [x, y] = [f(a), f(b)];
    const text = (c: Cell): string => (typeof c === 'string' ? c : (c.textContent ?? ''));
    rows.push([label, x, y, differs ?? text(x) !== text(y)]);
  };
  add('file', (r) => `${r.fileName} (${num(r.result.rows)} rows)`);
  add('run', (r) => runTitle({ name: r.name, runId: r.result.runId, label: r.result.label }));
  add('algorithm', (r) => algorithmSpec(r.result.algorithm).label);
  const settings = new Map([a, b].map((r) => [r, settingTexts(r.result)]));
  const labels = [...new Set([...settings.values()].flatMap((t) => [...t.keys()]))];
  for (const label of labels) add(label, (r) => settings.get(r)?.get(label) ?? '–');
  add('k', (r) => (r.request.chooseK === null ? 'given' : `chosen in ${r.request.chooseK.kMin}–${r.request.chooseK.kMax}${r.result.chooseK === null ? '' : `: ${r.result.chooseK.recommended}`}`));
  add('seed', (r) => String(r.result.seed));
  add('backend', (r) => `${r.result.backend.name} (asked: ${r.request.backend})`);
  add('features', (r) => String(r.result.features.length));
  const diff = columnsDiff(a, b);
  rows.push(['columns used', diff === null ? 'the same' : diff, diff === null ? 'the same' : '', diff !== null]);
  add('segments found', (r) => `${r.result.sizes.filter((s) => s > 0).length}${r.result.noise > 0 ? ` + ${num(r.result.noise)} noise rows` : ''}`);
  add('silhouette', (r) => (r.result.metrics.silhouette === null ? '–' : r.result.metrics.silhouette.toFixed(3)));
  add('inertia', (r) => num(r.result.metrics.inertia));
  add('structure', (r) => r.result.structure.summary);
  add('sizes', (r) => h('span', { 'data-sizes': r.result.sizes.join(',') }, sizesBar(r.result), ` ${sizesText(r.result)}`));
  add('segment names', (r) => h('ol', { class: 'names', start: 0 }, ...r.result.profile.segments.map((s) => h('li', {}, `${s.name} (${num(s.size)})`))));
  add('fit time', (r) => `${(r.result.fitMs / 1000).toFixed(2)} s (${iterationsText(r.result.nIter, r.result.converged)})`, false);
  add('whole run', (r) => `${(r.result.totalMs / 1000).toFixed(2)} s`, false);
  const body = rows.map(([label, x, y, differs]) => h('tr', { 'data-row': label, 'data-differs': differs === true }, h('th', { scope: 'row' }, label), h('td', {}, x), h('td', {}, y)));
  const notes: string[] = [];
  if (a.fileName !== b.fileName || a.result.rows !== b.result.rows) notes.push('The runs are of different files: compare their structure and sizes, not their inertias.');
  else if (a.result.features.join('\u0000') !== b.result.features.join('\u0000')) notes.push('The runs used different columns: their inertias are not comparable.');
  box.replaceChildren(
    h('h3', {}, 'Two saved runs side by side'),
    h(
      'table',
      { class: 'side-by-side', 'data-testid': 'side-by-side', 'data-stored-ids': `${a.id},${b.id}` },
      h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', {}, `first (${when(a.savedAt)})`), h('th', {}, `second (${when(b.savedAt)})`))),
      h('tbody', {}, ...body),
    ),
    ...notes.map((n) => h('p', { class: 'note' }, n)),
  );
}
