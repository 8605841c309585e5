// SPDX-License-Identifier: MIT
/**
 * The preview of the first rows, with each column's inferred kind (changeable) and whether it is
 * used (untick to exclude it). `schema()` gives the schema as the user edited it.
 */
import { COLUMN_KINDS, type ColumnKind, type Schema } from '../../../src/data/schema.js';
import type { Loaded } from '../protocol.js';
import { h } from './dom.js';

/** Kinds that never become features (as the Pipeline treats them). */
const NOT_FEATURES: readonly ColumnKind[] = ['id', 'text', 'url', 'datetime', 'empty'];

export interface ColumnsView {
  schema(): Schema;
}

export function renderColumns(box: HTMLElement, loaded: Loaded): ColumnsView {
  const schema: Schema = structuredClone(loaded.schema);
  const byName = new Map(schema.columns.map((c) => [c.name, c]));
  const head1 = h('tr', {});
  const head2 = h('tr', { class: 'kinds' });
  const head3 = h('tr', { class: 'uses' });
  for (const name of loaded.preview.columns) {
    const info = byName.get(name);
    head1.append(h('th', { title: info?.reason ?? '' }, name));
    if (info === undefined) {
      head2.append(h('td', {}));
      head3.append(h('td', {}));
      continue;
    }
    const select = h('select', { 'data-column': name, 'aria-label': `kind of ${name}` }, ...COLUMN_KINDS.map((k) => h('option', { value: k, selected: k === info.kind }, k)));
    const use = h('input', { type: 'checkbox', 'data-column': name, 'aria-label': `use ${name}`, checked: info.use });
    select.addEventListener('change', () => {
      info.kind = select.value as ColumnKind;
      if (NOT_FEATURES.includes(info.kind)) use.checked = false;
      info.use = use.checked;
    });
    use.addEventListener('change', () => (info.use = use.checked));
    head2.append(h('td', { title: info.reason }, select));
    head3.append(h('td', {}, h('label', {}, use, ' use')));
  }
  const body = loaded.preview.rows.map((r) => h('tr', {}, ...r.map((v) => h('td', {}, v))));
  box.replaceChildren(h('table', { class: 'preview', id: 'preview' }, h('thead', {}, head1, head2, head3), h('tbody', {}, ...body)));
  return { schema: () => structuredClone(schema) };
}
