// SPDX-License-Identifier: MIT
/**
 * The data profile, shown once a file is read and before any run: per column its kind and why,
 * its blank cells, a small distribution (a histogram of the numbers, or the most frequent values
 * with their counts) and a warning when the kind chosen does not fit the values; then the rows
 * that did not parse. Everything comes from the worker's counts (columnProfile.ts), never rows.
 * The histograms are small inline SVGs: one per column, dozens per page, drawn at once (the
 * report's Vega charts load Vega on first use and show segments, which a profile has none of).
 */
import { assertUnreachable } from '../../../src/errors.js';
import { MAX_CATEGORIES } from '../../../src/data/inferKinds.js';
import type { ColumnInfo, ColumnKind } from '../../../src/data/schema.js';
import type { BadRow, ReadReport } from '../../../src/data/readTable.js';
import type { ColumnProfile, Loaded, NumberSummary } from '../protocol.js';
import { h, num } from './dom.js';

/** Bad rows listed in the page at most (the count says how many there are). */
const LISTED_BAD_ROWS = 100;
const SVG = 'http://www.w3.org/2000/svg';

function plural(n: number, one: string, many = `${one}s`): string {
  return `${num(n)} ${n === 1 ? one : many}`;
}

/**
 * Why `kind` does not fit column `p` of a table of `rows` rows, in a user's words, or null when
 * it fits. Checks what the pipeline would do with the values: numbers that do not read are
 * filled with the median, a flag needs two values, a range needs its values to be ranges,
 * counts are whole numbers ≥ 0, a category of many labels makes as many features. Kinds left
 * out of the features (id, text, url, datetime) and lists always fit.
 */
export function kindProblem(kind: ColumnKind, p: ColumnProfile, rows: number): string | null {
  const present = rows - p.missing;
  switch (kind) {
    case 'number':
    case 'count': {
      const nums = p.numbers;
      if (nums === null) return present === 0 ? null : `None of its values is a number (e.g. '${p.top[0]?.value ?? ''}'): as a ${kind} every cell would be blank.`;
      if (nums.unreadable > 0) return `${plural(nums.unreadable, 'value')} of ${num(present)} ${nums.unreadable === 1 ? 'is not a number' : 'are not numbers'} (e.g. '${nums.firstUnreadable}'): ${nums.unreadable === 1 ? 'it' : 'they'} would be filled with the median.`;
      if (kind === 'count' && !(nums.integers && nums.nonNegative)) return `A count is a whole number ≥ 0; this column has ${nums.nonNegative ? 'fractions' : 'negative values'} (from ${num(nums.min)} to ${num(nums.max)}).`;
      return null;
    }
    case 'flag':
      if (p.distinct > 2) return `A flag has two values; this column has ${num(p.distinct)}: it would be one-hot encoded as a category.`;
      return p.distinct < 2 ? 'A flag needs two values; this column has fewer: it would be left out.' : null;
    case 'range':
      if (p.levels !== null || present === 0) return null;
      if (p.rangeCells === 0) return "None of its values is an ordered range like '25-34' or '65+': it would be one-hot encoded.";
      return `${plural(present - p.rangeCells, 'value')} of ${num(present)} are not ordered ranges like '25-34' or '65+': it would be one-hot encoded.`;
    case 'category':
      return p.distinct > MAX_CATEGORIES ? `${num(p.distinct)} distinct values would make ${num(p.distinct)} features, most of them a few rows each.` : null;
    case 'empty':
      return present > 0 ? `It has ${plural(present, 'value')}: as empty it is left out.` : null;
    case 'list':
    case 'id':
    case 'text':
    case 'url':
    case 'datetime':
      return null;
    default:
      return assertUnreachable(kind);
  }
}

/** A histogram as a small SVG: bars of `counts`, each with its range and count as a tooltip. */
function histogramSvg(n: NumberSummary): SVGSVGElement {
  const width = 160;
  const height = 36;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('role', 'img');
  svg.setAttribute('class', 'histogram');
  svg.setAttribute('aria-label', `histogram${n.scale === 'log' ? ' on a log scale' : ''}, ${num(n.min)} to ${num(n.max)}`);
  const top = Math.max(1, ...n.counts);
  const w = width / n.counts.length;
  n.counts.forEach((c, b) => {
    const bh = c === 0 ? 0 : Math.max(1, (height - 1) * (c / top));
    const rect = document.createElementNS(SVG, 'rect');
    rect.setAttribute('x', (b * w + 0.5).toFixed(1));
    rect.setAttribute('y', (height - bh).toFixed(1));
    rect.setAttribute('width', Math.max(0.5, w - 1).toFixed(1));
    rect.setAttribute('height', bh.toFixed(1));
    rect.setAttribute('data-count', String(c));
    const title = document.createElementNS(SVG, 'title');
    title.textContent = `${num(n.edges[b])} to ${num(n.edges[b + 1])}: ${plural(c, 'row')}`;
    rect.append(title);
    svg.append(rect);
  });
  return svg;
}

/** The most frequent values as labelled bars, widths as shares of the rows with a value. */
function topValues(p: ColumnProfile, rows: number): HTMLElement {
  const present = rows - p.missing;
  const list = h('ul', { class: 'top-values' });
  for (const t of p.top) {
    const share = present > 0 ? t.count / present : 0;
    list.append(
      h(
        'li',
        { 'data-value': t.value, 'data-count': t.count },
        h('span', { class: 'top-label', title: t.value }, t.value),
        h('span', { class: 'top-bar' }, h('i', { style: `width:${(100 * share).toFixed(1)}%` })),
        h('span', { class: 'top-count' }, num(t.count)),
      ),
    );
  }
  if (p.distinct > p.top.length) list.append(h('li', { class: 'note' }, `and ${plural(p.distinct - p.top.length, 'other value')}`));
  return list;
}

/** The distribution drawn for a kind: a histogram for numbers and counts that read, else the top values. */
function distribution(p: ColumnProfile, kind: ColumnKind, rows: number): HTMLElement {
  if (p.distinct === 0) return h('span', { class: 'note' }, 'no values');
  if ((kind === 'number' || kind === 'count') && p.numbers !== null) {
    const n = p.numbers;
    return h(
      'div',
      { class: 'distribution', 'data-shape': 'histogram' },
      histogramSvg(n),
      h('div', { class: 'range note' }, h('span', {}, num(n.min)), h('span', {}, n.scale === 'log' ? 'log scale' : `mean ${num(n.mean)}`), h('span', {}, num(n.max))),
      h('div', { class: 'note' }, `${plural(p.distinct, 'distinct value')}`),
    );
  }
  return h('div', { class: 'distribution', 'data-shape': 'top' }, topValues(p, rows));
}

function badRowsTable(report: ReadReport): HTMLElement | null {
  if (report.badRowCount === 0) return null;
  const what: Record<BadRow['action'], string> = { failed: 'stopped the reading', skipped: 'left out', nulled: 'bad cells set empty' };
  const rows = report.badRows.slice(0, LISTED_BAD_ROWS).map((r) =>
    h('tr', { 'data-line': r.line }, h('td', { class: 'num' }, String(r.line)), h('td', {}, r.column ?? '–'), h('td', {}, r.reason), h('td', {}, what[r.action]), h('td', { class: 'mono' }, r.text)),
  );
  const listed = Math.min(report.badRows.length, LISTED_BAD_ROWS);
  return h(
    'div',
    { class: 'profile-bad-rows' },
    h('h3', {}, `Rows that did not parse: ${num(report.badRowCount)}`),
    ...(listed < report.badRowCount ? [h('p', { class: 'note' }, `The first ${num(listed)} are listed.`)] : []),
    h(
      'div',
      { class: 'table-scroll' },
      h('table', { class: 'bad-rows' }, h('thead', {}, h('tr', {}, ...['line', 'column', 'why', 'what was done', 'the line'].map((t) => h('th', {}, t)))), h('tbody', {}, ...rows)),
    ),
  );
}

export interface ProfileView {
  /** Shows `kind` as the column's kind (the user changed it), with a warning when it does not fit. */
  setKind(column: string, kind: ColumnKind): void;
  /** The warning for `kind` on a column, or null (for the columns table). */
  problem(column: string, kind: ColumnKind): string | null;
}

/**
 * Draws the profile of a read file into `box`: a table of one row per column (kind and why,
 * blanks, distribution, warning) and the rows that did not parse.
 */
export function renderProfile(box: HTMLElement, loaded: Pick<Loaded, 'profile' | 'schema' | 'report'>): ProfileView {
  const rows = loaded.report.rows;
  const infos = new Map(loaded.schema.columns.map((c) => [c.name, c]));
  const byName = new Map(loaded.profile.map((p) => [p.name, p]));
  const cells = new Map<string, { kind: HTMLElement; dist: HTMLElement; row: HTMLElement }>();
  const body = h('tbody', {});
  const drawKind = (p: ColumnProfile, info: ColumnInfo, kind: ColumnKind): HTMLElement => {
    const problem = kindProblem(kind, p, rows);
    const changed = kind !== info.kind;
    return h(
      'td',
      { class: 'kind-cell', 'data-kind': kind },
      h('b', {}, kind),
      h('div', { class: 'reason' }, changed ? `You chose ${kind}; it was read as ${info.kind}: ${info.reason}.` : `${info.reason.charAt(0).toUpperCase()}${info.reason.slice(1)}.`),
      ...(problem === null ? [] : [h('div', { class: 'kind-warning', role: 'note', 'data-testid': 'kind-warning' }, problem)]),
    );
  };
  for (const p of loaded.profile) {
    const info = infos.get(p.name);
    if (info === undefined) continue;
    const kind = drawKind(p, info, info.kind);
    const dist = h('td', { class: 'dist-cell' }, distribution(p, info.kind, rows));
    const share = rows > 0 ? (100 * p.missing) / rows : 0;
    const missing = h('td', { class: 'num missing', 'data-missing': p.missing }, p.missing === 0 ? 'none' : `${num(p.missing)} (${share < 0.1 ? share.toFixed(2) : share.toFixed(1)}%)`);
    const row = h('tr', { 'data-column': p.name }, h('th', { scope: 'row', title: p.name }, p.name), kind, missing, dist);
    cells.set(p.name, { kind, dist, row });
    body.append(row);
  }
  const table = h(
    'table',
    { class: 'data-profile', 'data-testid': 'profile' },
    h('thead', {}, h('tr', {}, ...['column', 'kind, and why', 'blank cells', 'values'].map((t) => h('th', {}, t)))),
    body,
  );
  const bad = badRowsTable(loaded.report);
  box.replaceChildren(h('div', { class: 'table-scroll' }, table), ...(bad === null ? [] : [bad]));
  return {
    setKind(column, kind) {
      const p = byName.get(column);
      const info = infos.get(column);
      const c = cells.get(column);
      if (p === undefined || info === undefined || c === undefined) return;
      const fresh = drawKind(p, info, kind);
      c.kind.replaceWith(fresh);
      c.kind = fresh;
      c.dist.replaceChildren(distribution(p, kind, rows));
    },
    problem(column, kind) {
      const p = byName.get(column);
      return p === undefined ? null : kindProblem(kind, p, rows);
    },
  };
}
