// SPDX-License-Identifier: MIT
/**
 * The preview of the first rows, with each column's inferred kind (changeable) and why, in words,
 * its blank cells, whether it is used (untick to exclude it) and, after a run, how many cells the
 * pipeline filled. `schema()` gives the schema as the user edited it. A kind that does not fit
 * the column's values is flagged under its choice (the data profile, profileView.ts, says why).
 */
import { COLUMN_KINDS, type ColumnKind, type Schema } from '../../../src/data/schema.js';
import type { Loaded, ReportInput } from '../protocol.js';
import { h, num } from './dom.js';
import type { ProfileView } from './profileView.js';

/** Kinds that never become features (as the Pipeline treats them). */
const NOT_FEATURES: readonly ColumnKind[] = ['id', 'text', 'url', 'datetime', 'empty'];

export interface ColumnsView {
  schema(): Schema;
  /** Shows, per column, the cells a run's pipeline filled (blank or unreadable) and with what. */
  showFilled(columns: NonNullable<ReportInput['dataset']['columns']>): void;
}

/**
 * Draws the columns of a read file. `profile` (the data profile) checks a kind the user picks and
 * is told of it; a column made a range gets the levels the worker found in its values.
 */
export function renderColumns(box: HTMLElement, loaded: Loaded, profile?: ProfileView): ColumnsView {
  const levels = new Map(loaded.profile.map((p) => [p.name, p.levels]));
  const schema: Schema = structuredClone(loaded.schema);
  const byName = new Map(schema.columns.map((c) => [c.name, c]));
  const head1 = h('tr', {});
  const head2 = h('tr', { class: 'kinds' });
  const reasons = h('tr', { class: 'reasons' });
  const blanks = h('tr', { class: 'blanks' });
  const head3 = h('tr', { class: 'uses' });
  const filledCells = new Map<string, HTMLElement>();
  const seen = schema.rowsSeen < loaded.report.rows ? ` of ${num(schema.rowsSeen)} rows read for the kinds` : '';
  for (const name of loaded.preview.columns) {
    const info = byName.get(name);
    head1.append(h('th', { title: name }, name));
    if (info === undefined) {
      for (const row of [head2, reasons, blanks, head3]) row.append(h('td', {}));
      continue;
    }
    const select = h('select', { 'data-column': name, 'aria-label': `kind of ${name}` }, ...COLUMN_KINDS.map((k) => h('option', { value: k, selected: k === info.kind }, k)));
    const use = h('input', { type: 'checkbox', 'data-column': name, 'aria-label': `use ${name}`, checked: info.use });
    const warning = h('div', { class: 'kind-warning', 'data-column': name, hidden: true });
    const check = (): void => {
      const problem = profile?.problem(name, info.kind) ?? null;
      warning.textContent = problem ?? '';
      warning.hidden = problem === null;
      select.classList.toggle('misfit', problem !== null);
    };
    select.addEventListener('change', () => {
      info.kind = select.value as ColumnKind;
      if (NOT_FEATURES.includes(info.kind)) use.checked = false;
      info.use = use.checked;
      if (info.kind === 'range' && info.levels === undefined) {
        const found = levels.get(name);
        if (found !== null && found !== undefined) info.levels = found;
      }
      check();
      profile?.setKind(name, info.kind);
    });
    check();
    use.addEventListener('change', () => (info.use = use.checked));
    head2.append(h('td', {}, select, warning));
    reasons.append(h('td', { class: 'reason', 'data-column': name }, info.reason));
    const filled = h('span', { class: 'filled', 'data-column': name });
    filledCells.set(name, filled);
    blanks.append(h('td', { class: 'blank', 'data-column': name, 'data-missing': info.missing }, info.missing === 0 ? 'no blanks' : `${num(info.missing)} blank${info.missing === 1 ? '' : 's'}${seen}`, filled));
    head3.append(h('td', {}, h('label', {}, use, ' use')));
  }
  const body = loaded.preview.rows.map((r) => h('tr', {}, ...r.map((v) => h('td', {}, v))));
  box.replaceChildren(h('table', { class: 'preview', id: 'preview' }, h('thead', {}, head1, head2, reasons, blanks, head3), h('tbody', {}, ...body)));
  return {
    schema: () => structuredClone(schema),
    showFilled(columns) {
      for (const cell of filledCells.values()) cell.textContent = '';
      for (const c of columns) {
        const cell = filledCells.get(c.name);
        if (cell === undefined || !c.used) continue;
        cell.dataset.filled = String(c.filled);
        cell.textContent = c.filled === 0 ? '; none filled in the last run' : `; ${num(c.filled)} filled${c.filledWith ? ` with ${c.filledWith}` : ''} in the last run`;
      }
    },
  };
}
