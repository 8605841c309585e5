// SPDX-License-Identifier: MIT
/**
 * One run's results: the summary and sizes with renamable segment names, the downloads, the
 * curves of k (when k was chosen), the 2-D and 3-D PCA scatters, the radar chart, the
 * distributions by segment and the profile tables.
 */
import type { CategoryStats, ColumnStats, NumericStats, RangeStats, SegmentProfile } from '../../../src/index.js';
import { boxPlots, shareBars, type Group } from '../charts/distributions.js';
import { lineChart } from '../charts/lineChart.js';
import { segmentColor } from '../charts/palette.js';
import { radar } from '../charts/radar.js';
import { scatter2d } from '../charts/scatter2d.js';
import { scatter3d } from '../charts/scatter3d.js';
import { figure } from '../charts/svg.js';
import type { ExportKind, ProfileResult, RunResult } from '../protocol.js';
import { h, num } from './dom.js';

export interface ResultHandlers {
  /** Renames segments; resolves with the new profile, or rejects with the library's message. */
  rename(names: Record<number, string>): Promise<ProfileResult>;
  download(what: ExportKind): Promise<void>;
  /** Which downloads this build offers. */
  exports: Record<ExportKind, boolean>;
}

/** Radar axes and box plots at most. */
const RADAR_AXES = 8;
const BOX_PLOTS = 4;
const SHARE_BARS = 3;

function groupsOf(profile: ProfileResult): SegmentProfile[] {
  return profile.noise === null ? profile.segments : [...profile.segments, profile.noise];
}

/** Numeric columns by how far the segments spread from the population (largest |std diff| first). */
function numericByContrast(profile: ProfileResult): number[] {
  const spread = profile.columns.map((_, j) => {
    let most = -1;
    for (const s of profile.segments) {
      const c = s.columns[j];
      if (c.type === 'numeric' && c.stdDiff !== null) most = Math.max(most, Math.abs(c.stdDiff));
    }
    return most;
  });
  return spread
    .map((v, j) => [v, j] as const)
    .filter(([v]) => v >= 0)
    .sort((a, b) => b[0] - a[0])
    .map(([, j]) => j);
}

/** Category and range columns by how often they name a distinctive feature of a segment. */
function labelledByUse(profile: ProfileResult): number[] {
  const uses = new Map<string, number>();
  for (const s of profile.segments) for (const f of s.distinctive) if (f.type !== 'numeric') uses.set(f.column, (uses.get(f.column) ?? 0) + 1);
  return profile.columns
    .map((c, j) => [c, j] as const)
    .filter(([c]) => c.kind === 'category' || c.kind === 'flag' || c.kind === 'range')
    .sort((a, b) => (uses.get(b[0].name) ?? 0) - (uses.get(a[0].name) ?? 0))
    .map(([, j]) => j);
}

function summary(r: RunResult): HTMLElement {
  const threads = r.threads === null ? '' : `, WASM kernels on ${r.threads.threads} thread${r.threads.threads === 1 ? '' : 's'}`;
  const sil = r.metrics.silhouette === null ? '–' : `${r.metrics.silhouette.toFixed(3)}${r.metrics.silhouetteSample === null ? '' : ` (on ${num(r.metrics.silhouetteSample)} sampled rows)`}`;
  const items: Array<[string, string | HTMLElement]> = [
    ['run', r.label],
    ['backend', h('span', {}, h('b', { 'data-testid': 'backend' }, r.backend.name), `${threads}: ${r.backend.reason}`)],
    ['rows × features', `${num(r.rows)} × ${r.features.length}`],
    ['segments', `${r.sizes.filter((s) => s > 0).length}${r.noise > 0 ? ` + ${num(r.noise)} noise rows` : ''}`],
    ['silhouette', sil],
    ['inertia', num(r.metrics.inertia)],
    ['fit', `${(r.fitMs / 1000).toFixed(2)} s (${r.nIter} iterations${r.converged ? '' : ', not converged'}); whole run ${(r.totalMs / 1000).toFixed(2)} s`],
    ['time by step', r.timings.map((t) => `${t.step} ${t.seconds.toFixed(2)} s`).join(', ')],
  ];
  const dl = h('dl', { class: 'summary' });
  for (const [k, v] of items) dl.append(h('dt', {}, k), h('dd', { 'data-field': k }, v));
  dl.dataset.fitMs = String(r.fitMs);
  dl.dataset.nIter = String(r.nIter);
  const box = h('div', {}, dl);
  const notes = [...r.backend.warnings.map((w) => `warning: ${w}`), ...r.notes];
  if (notes.length > 0) box.append(h('ul', { class: 'notes' }, ...notes.map((n) => h('li', {}, n))));
  return box;
}

/**
 * The structure of the segments, first in the results: a warning box with the figures when they
 * are weakly separated, unstable or too small (their names then read as tentative), else one line.
 */
function structureBox(r: RunResult): HTMLElement {
  const st = r.structure;
  if (st.warnings.length === 0) return h('p', { class: 'structure', 'data-testid': 'structure', 'data-structure': 'ok' }, `Structure: ${st.summary}`);
  return h(
    'div',
    { class: 'structure-warning', role: 'note', 'data-testid': 'structure', 'data-structure': 'warn' },
    h('strong', {}, 'Read these segments with care'),
    h('ul', {}, ...st.warnings.map((w) => h('li', { 'data-code': w.code }, `${w.message.charAt(0).toUpperCase()}${w.message.slice(1)}.`))),
    ...(st.namesNote === null ? [] : [h('p', {}, `${st.namesNote.charAt(0).toUpperCase()}${st.namesNote.slice(1)}.`)]),
    h('p', { class: 'meta' }, `Structure: ${st.summary}`),
  );
}

function segmentsTable(r: RunResult, profile: ProfileResult, handlers: ResultHandlers, rerender: () => void): HTMLElement {
  const inputs = new Map<number, HTMLInputElement>();
  const rows = groupsOf(profile).map((s) => {
    const input = h('input', { type: 'text', value: s.name, 'aria-label': `name of segment ${s.id}`, 'data-segment': s.id });
    inputs.set(s.id, input);
    return h(
      'tr',
      { 'data-segment': s.id },
      h('td', {}, h('i', { class: 'swatch', style: `background:${segmentColor(s.id)}` }), String(s.id)),
      h('td', {}, input),
      h('td', { class: 'num', 'data-size': s.size }, num(s.size)),
      h('td', { class: 'num' }, `${(100 * s.share).toFixed(1)}%`),
      h('td', {}, s.distinctive.map((f) => f.phrase).join('; ')),
    );
  });
  const message = h('span', { class: 'note', role: 'status' });
  const save = h('button', { type: 'button', id: 'save-names' }, 'Save names');
  save.addEventListener('click', () => {
    const names: Record<number, string> = {};
    for (const s of groupsOf(profile)) {
      const v = (inputs.get(s.id) as HTMLInputElement).value;
      if (v !== s.name) names[s.id] = v;
    }
    handlers.rename(names).then(
      () => rerender(),
      (err: Error) => (message.textContent = err.message),
    );
  });
  const table = h(
    'table',
    { id: 'segment-sizes', class: 'segments' },
    h('thead', {}, h('tr', {}, h('th', {}, 'id'), h('th', {}, r.structure.tentative ? 'name (tentative)' : 'name'), h('th', {}, 'rows'), h('th', {}, 'share'), h('th', {}, 'what sets it apart'))),
    h('tbody', {}, ...rows),
  );
  return h('div', {}, table, h('div', { class: 'buttons' }, save, message));
}

function downloads(handlers: ResultHandlers): HTMLElement {
  const box = h('div', { class: 'buttons downloads' });
  const labels: Record<ExportKind, string> = { csv: 'Download rows with segments (CSV)', model: 'Download model (JSON)', report: 'Download report (HTML)' };
  for (const what of ['csv', 'model', 'report'] as const) {
    const button = h('button', { type: 'button', id: `download-${what}`, hidden: !handlers.exports[what] }, labels[what]);
    button.addEventListener('click', () => {
      button.disabled = true;
      void handlers.download(what).finally(() => (button.disabled = false));
    });
    box.append(button);
  }
  return box;
}

function kCurves(r: RunResult): HTMLElement | null {
  const c = r.chooseK;
  if (c === null) return null;
  const xs = c.points.map((p) => p.k);
  const mark = { x: c.recommended, label: `k = ${c.recommended}` };
  return h(
    'div',
    { class: 'charts', id: 'k-curves' },
    figure('Elbow: inertia by k', lineChart({ xs, ys: c.points.map((p) => p.inertia), xLabel: 'k', yLabel: 'inertia', mark }), c.elbow === null ? 'no elbow found' : `elbow at k = ${c.elbow}`),
    figure('Silhouette by k', lineChart({ xs, ys: c.points.map((p) => p.silhouette), xLabel: 'k', yLabel: 'silhouette', mark }), c.reason),
  );
}

function radarChart(profile: ProfileResult): HTMLElement {
  const axes = numericByContrast(profile).slice(0, RADAR_AXES);
  if (axes.length < 3) return figure('Radar', h('p', { class: 'note' }, 'The radar needs at least three numeric features.'));
  const series = profile.segments.map((s) => ({
    id: s.id,
    name: s.name,
    values: axes.map((j) => (s.columns[j] as NumericStats).stdDiff),
  }));
  return figure('Segments across the main features', radar(axes.map((j) => profile.columns[j].name), series), 'standardised difference from all rows (the middle ring), clipped to ±2');
}

function distributions(profile: ProfileResult): HTMLElement {
  const box = h('div', { class: 'charts', id: 'distributions' });
  const groups = <S extends ColumnStats>(j: number): Array<Group<S>> => [
    { id: -2, name: 'all rows', stats: profile.population.columns[j] as S },
    ...groupsOf(profile).map((s) => ({ id: s.id, name: s.name, stats: s.columns[j] as S })),
  ];
  for (const j of numericByContrast(profile).slice(0, BOX_PLOTS)) box.append(figure(profile.columns[j].name, boxPlots(groups<NumericStats>(j))));
  for (const j of labelledByUse(profile).slice(0, SHARE_BARS)) box.append(figure(profile.columns[j].name, shareBars(groups<CategoryStats | RangeStats>(j))));
  return box;
}

function statsCells(c: ColumnStats): string {
  switch (c.type) {
    case 'numeric':
      return c.mean === null ? '–' : `mean ${num(c.mean)}, median ${num(c.median)} (${num(c.q1)}–${num(c.q3)})`;
    case 'category':
      return c.top.slice(0, 3).map((v) => `${v.value} ${(100 * v.share).toFixed(0)}%`).join(', ');
    case 'range':
      return `median ${c.medianLevel ?? '–'}; ${c.levels.slice(0, 3).map((v) => `${v.value} ${(100 * v.share).toFixed(0)}%`).join(', ')}`;
    case 'list':
      return c.top.slice(0, 3).map((v) => `${v.value} ${(100 * v.share).toFixed(0)}%`).join(', ');
  }
}

function profileTable(profile: ProfileResult): HTMLElement {
  const groups = groupsOf(profile);
  const head = h('tr', {}, h('th', {}, 'column'), h('th', {}, 'all rows'), ...groups.map((s) => h('th', {}, h('i', { class: 'swatch', style: `background:${segmentColor(s.id)}` }), s.name)));
  const rows = profile.columns.map((c, j) => h('tr', {}, h('th', {}, c.name), h('td', {}, statsCells(profile.population.columns[j])), ...groups.map((s) => h('td', {}, statsCells(s.columns[j])))));
  return h('div', { class: 'table-scroll' }, h('table', { class: 'profile', id: 'profile-table' }, h('thead', {}, head), h('tbody', {}, ...rows)));
}

/** Draws run `r` into `box`; drawn again after a rename. */
export function renderResult(box: HTMLElement, r: RunResult, handlers: ResultHandlers): void {
  let profile = r.profile;
  const draw = (): void => {
    const curves = kCurves(r);
    box.replaceChildren(
      h('div', { class: 'result', 'data-run-id': r.runId }),
    );
    const root = box.firstElementChild as HTMLElement;
    root.append(
      structureBox(r),
      h('h3', {}, 'Summary'),
      summary(r),
      h('h3', {}, 'Segments'),
      segmentsTable(r, profile, { ...handlers, rename: renameAndKeep }, draw),
      downloads(handlers),
    );
    if (curves !== null) root.append(h('h3', {}, 'Choosing k'), curves);
    const projected = r.projection.sampled < r.rows ? `, ${num(r.projection.sampled)} sampled rows` : '';
    root.append(
      h('h3', {}, 'Projection and profile'),
      h(
        'div',
        { class: 'charts', id: 'projections' },
        figure('PCA, 2-D', scatter2d(r.projection), `first two principal components${projected}`),
        figure('PCA, 3-D (drag to rotate)', scatter3d(r.projection), r.projection.dims < 3 ? 'needs three features' : `first three principal components${projected}`),
        radarChart(profile),
      ),
      h('h3', {}, 'Distributions by segment'),
      distributions(profile),
      h('h3', {}, 'Profiles'),
      profileTable(profile),
    );
  };
  const renameAndKeep = async (names: Record<number, string>): Promise<ProfileResult> => {
    profile = await handlers.rename(names);
    r.profile = profile;
    return profile;
  };
  draw();
}
