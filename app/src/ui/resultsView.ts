// SPDX-License-Identifier: MIT
/**
 * One run's results: the summary and sizes with renamable segment names, the downloads, the
 * curves of k (when k was chosen), the 2-D and 3-D PCA scatters, the radar chart, the
 * distributions by segment and the profile tables.
 */
import type { ColumnStats, SegmentProfile } from '../../../src/index.js';
import { numericCaption, scatterCaption, silhouetteCaption } from '../../../src/report/captions.js';
import { boxPlotSpec } from '../../../src/report/charts/boxplot.js';
import { correlationSpec } from '../../../src/report/charts/correlation.js';
import { categoricalDistributionSpec, numericDistributionSpec } from '../../../src/report/charts/distribution.js';
import { elbowSpec } from '../../../src/report/charts/elbow.js';
import { interestsSpec } from '../../../src/report/charts/interests.js';
import { radarSpec } from '../../../src/report/charts/radar.js';
import { scatterSpec } from '../../../src/report/charts/scatter.js';
import { silhouetteSpec } from '../../../src/report/charts/silhouette.js';
import { sizesSpec } from '../../../src/report/charts/sizes.js';
import { SegmentStyles } from '../../../src/report/segmentStyle.js';
import type { ReportInput } from '../../../src/report/types.js';
import { outside3d, scatter3d, segmentLegend } from '../charts/scatter3d.js';
import { figure, vegaChart } from '../charts/vegaChart.js';
import type { ExportKind, ProfileResult, RunResult } from '../protocol.js';
import { linkSegmentRows, selection } from '../selection.js';
import { kDistanceFigure } from './densityHelpView.js';
import { csvCell, h, num, saveFile } from './dom.js';
import { featureScatterView } from './featureScatterView.js';
import { membersView, type MembersSource } from './membersView.js';

export interface ResultHandlers {
  /** Renames segments; resolves with the new profile, or rejects with the library's message. */
  rename(names: Record<number, string>): Promise<ProfileResult>;
  download(what: ExportKind): Promise<void>;
  /** Which downloads this build offers. */
  exports: Record<ExportKind, boolean>;
  /** The rows of the run, for the member table; absent for a saved run (its rows are not kept). */
  members?: MembersSource;
}

function groupsOf(profile: ProfileResult): SegmentProfile[] {
  return profile.noise === null ? profile.segments : [...profile.segments, profile.noise];
}

/** The report input with the segment names of `profile` (after a rename). */
function withNames(report: ReportInput, profile: ProfileResult): ReportInput {
  const byId = new Map(groupsOf(profile).map((s) => [s.id, s]));
  return {
    ...report,
    segments: report.segments.map((s) => {
      const p = byId.get(s.id);
      return p === undefined ? s : { ...s, name: p.name, generatedName: p.nameSource === 'generated' };
    }),
  };
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
    ['fit', `${(r.fitMs / 1000).toFixed(2)} s (${iterationsText(r.nIter, r.converged)}); whole run ${(r.totalMs / 1000).toFixed(2)} s`],
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

function segmentsTable(r: RunResult, profile: ProfileResult, styles: SegmentStyles, handlers: ResultHandlers, rerender: () => void): HTMLElement {
  const inputs = new Map<number, HTMLInputElement>();
  const rows = groupsOf(profile).map((s) => {
    // As wide as the name (up to 48 characters), so that a name is read whole rather than scrolled in a narrow box.
    const input = h('input', { type: 'text', value: s.name, size: Math.max(12, Math.min(48, s.name.length + 2)), 'aria-label': `name of segment ${s.id}`, 'data-segment': s.id, title: s.name });
    inputs.set(s.id, input);
    return h(
      'tr',
      { 'data-segment': s.id },
      h('td', {}, h('i', { class: 'swatch', style: `background:${styles.colorOf(s.id)}` }), String(s.id)),
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
  linkSegmentRows(table);
  return h('div', {}, h('div', { class: 'table-scroll' }, table), h('div', { class: 'buttons' }, save, message));
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

/** The k search: inertia and silhouette by k, the chosen k marked (the report's chart). */
function kCurves(report: ReportInput): HTMLElement | null {
  const e = report.elbow;
  if (e === undefined || e.points.length === 0) return null;
  const scored = e.scoredOn === undefined ? '' : ` Scores on ${e.scoredOn}.`;
  return h(
    'div',
    { class: 'charts', id: 'k-curves' },
    figure('Inertia and silhouette by k', vegaChart('elbow', { vegaLite: elbowSpec(e) }, `inertia and silhouette for each k tried; k = ${e.chosenK} chosen`), `Chosen k = ${e.chosenK}: ${e.reason.replace(/^k = \d+: /, '')}.${scored}`),
  );
}

/** The silhouette of each segment's rows (the report's chart), or null without a silhouette. */
function silhouettes(report: ReportInput, styles: SegmentStyles): HTMLElement | null {
  const p = report.silhouette;
  if (p === undefined || p.segments.length === 0) return null;
  return h('div', { class: 'charts', id: 'silhouette-plot' }, figure('Silhouette by segment', vegaChart('silhouette', { vegaLite: silhouetteSpec(p, styles) }, "each segment's rows by their silhouette, highest first"), silhouetteCaption(p)));
}

/** The 2-D scatter (the report's, of its PCA sample), the 3-D one (the app's own, hand-drawn) and the radar. */
function projections(r: RunResult, report: ReportInput, styles: SegmentStyles): HTMLElement {
  const box = h('div', { class: 'charts', id: 'projections' });
  if (report.scatter !== undefined && report.scatter.x.length > 0) {
    box.append(figure('PCA, 2-D', vegaChart('scatter', { vegaLite: scatterSpec(report.scatter, styles) }, 'rows on the first two principal components, coloured by segment'), scatterCaption(report.scatter)));
  } else {
    box.append(figure('PCA, 2-D', h('p', { class: 'note' }, 'Needs at least two features and three rows.')));
  }
  const projected = r.projection.sampled < r.rows ? `, ${num(r.projection.sampled)} sampled rows` : '';
  box.append(figure('PCA, 3-D (drag to rotate)', [scatter3d(r.projection, styles), segmentLegend(styles)], r.projection.dims < 3 ? 'needs three features' : `First three principal components${projected}; the axes span the 1st to 99th percentile of each, ${num(outside3d(r.projection))} points outside are not drawn.`));
  if (report.radar !== undefined && report.radar.features.length >= 3) {
    box.append(
      figure(
        'Segments across the main features',
        vegaChart('radar', { vega: radarSpec(report.radar, styles) }, 'radar of each segment across the main features'),
        'Distance from the centre: the segment mean in standard deviations from the average of all rows; the dashed ring is the average.',
      ),
    );
  } else {
    box.append(figure('Segments across the main features', h('p', { class: 'note' }, 'The radar needs at least three numeric features.')));
  }
  return box;
}

/** Each feature's distribution by segment: histogram and box plots of numbers, shares of categories. */
function distributions(report: ReportInput, styles: SegmentStyles): HTMLElement {
  const box = h('div', { class: 'charts', id: 'distributions' });
  (report.distributions ?? []).forEach((d, i) => {
    const argument = `distributions[${i}]`;
    if (d.kind === 'numeric') {
      const charts = [vegaChart('histogram', { vega: numericDistributionSpec(d, styles, argument) }, `histograms of ${d.feature} by segment`)];
      if (d.boxes !== undefined && d.boxes.length > 0) charts.push(vegaChart('boxplot', { vegaLite: boxPlotSpec(d, styles, argument) }, `box plots of ${d.feature} by segment`));
      box.append(figure(d.feature, charts, numericCaption(d)));
    } else {
      box.append(figure(d.feature, vegaChart('categories', { vegaLite: categoricalDistributionSpec(d, styles, argument) }, `shares of the values of ${d.feature} by segment`), 'Share of the segment with each value.'));
    }
  });
  return box;
}

/** The correlation heatmap and the top items of a list column, when the run has them. */
function moreCharts(report: ReportInput, styles: SegmentStyles): HTMLElement[] {
  const out: HTMLElement[] = [];
  const c = report.correlation;
  if (c !== undefined && c.features.length >= 2) {
    out.push(
      h('h3', {}, 'Correlation of the features'),
      figure('Pearson correlation over all rows', vegaChart('correlation', { vegaLite: correlationSpec(c) }, 'heatmap of the correlations between the features'), `Grey cells (n/a) involve a constant feature.${c.note ? ` ${c.note}` : ''}`),
    );
  }
  const it = report.interests;
  if (it !== undefined && it.segments.some((s) => s.items.length > 0)) {
    out.push(h('h3', {}, `${it.column}: most frequent per segment`), figure(it.column, vegaChart('interests', { vegaLite: interestsSpec(it, styles) }, `most frequent items of ${it.column} in each segment`), 'Share of the segment listing each item; lift over all rows after the share.'));
  }
  return out;
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

function profileTable(profile: ProfileResult, styles: SegmentStyles): HTMLElement {
  const groups = groupsOf(profile);
  const head = h('tr', {}, h('th', {}, 'column'), h('th', {}, 'all rows'), ...groups.map((s) => h('th', { 'data-segment': s.id }, h('i', { class: 'swatch', style: `background:${styles.colorOf(s.id)}` }), s.name)));
  const rows = profile.columns.map((c, j) => h('tr', {}, h('th', {}, c.name), h('td', {}, statsCells(profile.population.columns[j])), ...groups.map((s) => h('td', {}, statsCells(s.columns[j])))));
  const table = h('table', { class: 'profile', id: 'profile-table' }, h('thead', {}, head), h('tbody', {}, ...rows));
  linkSegmentRows(table, 'th[data-segment]');
  const save = h('button', { type: 'button', id: 'download-profile' }, 'Download this table (CSV)');
  save.addEventListener('click', () => saveFile('segment-profiles.csv', tableCsv(table), 'text/csv'));
  return h('div', {}, h('div', { class: 'table-scroll' }, table), save);
}

/** A table as CSV: one line per row, each cell's text as shown (line breaks inside a cell as spaces). */
function tableCsv(table: HTMLTableElement): string {
  return `${Array.from(table.rows, (row) => Array.from(row.cells, (cell) => csvCell((cell.textContent ?? '').replace(/\s+/g, ' ').trim())).join(',')).join('\r\n')}\r\n`;
}

/** Draws run `r` into `box`; drawn again after a rename. */
/** A fit's iterations as the page says them: DBSCAN and agglomerative clustering have none (nIter 0). */
export function iterationsText(nIter: number, converged: boolean): string {
  return `${nIter === 0 ? 'no iterations: computed directly' : `${nIter} iterations`}${converged ? '' : ', not converged'}`;
}

export function renderResult(box: HTMLElement, r: RunResult, handlers: ResultHandlers): void {
  let profile = r.profile;
  const draw = (): void => {
    const report = withNames(r.report, profile);
    const styles = new SegmentStyles(report.segments, 'app');
    const root = h('div', { class: 'result', 'data-run-id': r.runId });
    box.replaceChildren(root);
    selection.use(r.runId, styles.list);
    root.append(
      structureBox(r),
      h('h3', {}, 'Summary'),
      summary(r),
      h('h3', {}, 'Segments'),
      segmentsTable(r, profile, styles, { ...handlers, rename: renameAndKeep }, draw),
      figure('Segment sizes', vegaChart('sizes', { vegaLite: sizesSpec(report.segments, styles) }, 'rows in each segment'), 'Rows in each segment, with their share of all rows.'),
      downloads(handlers),
      h('h3', {}, 'Rows of the selected segment'),
      ...(handlers.members === undefined
        ? [h('p', { class: 'note' }, 'A saved run keeps its results, not its rows: read the file again and run it to list the rows of a segment.')]
        : [
            h('p', { class: 'note' }, 'Click a segment in a table, a chart or its legend to list its rows and show it in every chart; click it again, or press Escape, for all rows.'),
            membersView(handlers.members),
          ]),
    );
    const curves = kCurves(report);
    if (curves !== null) root.append(h('h3', {}, 'Choosing k'), curves);
    const holding = silhouettes(report, styles);
    if (holding !== null) root.append(h('h3', {}, 'How well each segment holds together'), holding);
    const eps = kDistanceFigure(report);
    if (eps !== null) root.append(h('h3', {}, 'Choosing eps'), eps);
    const pair = featureScatterView(report, styles);
    if (pair !== null) root.append(h('h3', {}, 'Two columns against each other'), pair);
    root.append(
      h('h3', {}, 'Projection and profile'),
      projections(r, report, styles),
      h('h3', {}, 'Distributions by segment'),
      distributions(report, styles),
      ...moreCharts(report, styles),
      h('h3', {}, 'Profiles'),
      profileTable(profile, styles),
    );
  };
  const renameAndKeep = async (names: Record<number, string>): Promise<ProfileResult> => {
    profile = await handlers.rename(names);
    r.profile = profile;
    return profile;
  };
  draw();
}
