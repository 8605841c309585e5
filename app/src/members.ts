// SPDX-License-Identifier: MIT
/**
 * The member table's rows, kept in the worker: the loaded table's columns as typed arrays (numbers
 * as they are, other values as ids into their distinct texts), the rows of the current query (a
 * segment, a text search, a sort) as one Int32Array of row indices, and windows of it as text for
 * the page, which draws only the rows in view. Nothing here makes an object or a string per row
 * until a window or the CSV asks for it.
 */
import * as arrow from 'apache-arrow';
import { Interner, internChunk } from '../../src/data/interner.js';
import { DataError, ParameterError } from '../../src/errors.js';
import type { MemberRows, MembersInfo, MembersQuery } from './protocol.js';
import { csvCell } from './ui/dom.js';

/** Rows one window may hold at most. */
export const MAX_WINDOW = 1000;

type Column =
  | { kind: 'number'; values: ArrayLike<number>; valid: Uint8Array | null }
  | { kind: 'text'; ids: Int32Array; texts: string[]; lower: string[] | null; rank: Int32Array | null };

/** Characters a number's text (`String(x)`) can hold, lower-cased: a search with others skips number columns. */
const NUMBER_CHARS = new Set('0123456789.-+einfinitynan');

/** A column as the member table reads it. O(rows); a text column is interned once. */
function readColumn(vector: arrow.Vector): Column {
  const type = vector.type as arrow.DataType;
  if (arrow.DataType.isFloat(type) || (arrow.DataType.isInt(type) && type.bitWidth <= 32)) {
    const values = vector.toArray() as ArrayLike<number>;
    let valid: Uint8Array | null = null;
    if (vector.nullCount > 0) {
      valid = new Uint8Array(vector.length);
      for (let i = 0; i < vector.length; i++) valid[i] = vector.isValid(i) ? 1 : 0;
    }
    return { kind: 'number', values, valid };
  }
  const interner = new Interner();
  const ids = new Int32Array(vector.length);
  let start = 0;
  for (const data of vector.data) {
    internChunk(data, interner, ids, start);
    start += data.length;
  }
  return { kind: 'text', ids, texts: interner.labels, lower: null, rank: null };
}

/** Cell `row` of a column as the table shows it: a number as JavaScript writes it, empty when missing. */
function cellOf(column: Column, row: number): string {
  if (column.kind === 'number') return column.valid !== null && column.valid[row] === 0 ? '' : String(column.values[row]);
  const id = column.ids[row];
  return id < 0 ? '' : column.texts[id];
}

/** Which rows of a column hold `q` (lower case) in their text, OR-ed into `hit`. */
function markMatches(column: Column, q: string, rows: Int32Array, hit: Uint8Array): void {
  if (column.kind === 'text') {
    column.lower ??= column.texts.map((t) => t.toLowerCase());
    const matches = Uint8Array.from(column.lower, (t) => (t.includes(q) ? 1 : 0));
    for (let i = 0; i < rows.length; i++) {
      const id = column.ids[rows[i]];
      if (id >= 0 && matches[id] === 1) hit[i] = 1;
    }
    return;
  }
  for (const c of q) if (!NUMBER_CHARS.has(c)) return;
  for (let i = 0; i < rows.length; i++) {
    if (hit[i] === 1) continue;
    const r = rows[i];
    if ((column.valid === null || column.valid[r] === 1) && String(column.values[r]).toLowerCase().includes(q)) hit[i] = 1;
  }
}

/** The order of a text column's distinct texts (numeric-aware, case-insensitive), by id. */
function textRank(column: Extract<Column, { kind: 'text' }>): Int32Array {
  if (column.rank !== null) return column.rank;
  const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
  const order = Array.from(column.texts.keys()).sort((a, b) => collator.compare(column.texts[a], column.texts[b]));
  const rank = new Int32Array(order.length);
  order.forEach((id, position) => (rank[id] = position));
  column.rank = rank;
  return rank;
}

/** Sorts `rows` in place by a column; missing cells last, ties in row order. */
function sortRows(rows: Int32Array, column: Column, descending: boolean): void {
  const sign = descending ? -1 : 1;
  if (column.kind === 'number') {
    const { values, valid } = column;
    rows.sort((a, b) => {
      const ma = valid !== null && valid[a] === 0;
      const mb = valid !== null && valid[b] === 0;
      if (ma || mb) return ma === mb ? a - b : ma ? 1 : -1;
      const d = values[a] - values[b];
      return d !== 0 && !Number.isNaN(d) ? sign * d : a - b;
    });
    return;
  }
  const rank = textRank(column);
  const { ids } = column;
  rows.sort((a, b) => {
    const ia = ids[a];
    const ib = ids[b];
    if (ia < 0 || ib < 0) return ia < 0 && ib < 0 ? a - b : ia < 0 ? 1 : -1;
    const d = rank[ia] - rank[ib];
    return d !== 0 ? sign * d : a - b;
  });
}

/**
 * The rows of one loaded table for the member table. Columns are read on first use; `query`
 * keeps the rows it selects, which `rows` and `csv` then read.
 */
export class MemberTable {
  readonly columns: string[];
  private readonly read: Array<Column | null>;
  private view: { runId: number; rows: Int32Array; labels: Int32Array; names: Map<number, string> } | null = null;

  constructor(private readonly table: arrow.Table) {
    this.columns = table.schema.fields.map((f) => f.name);
    this.read = this.columns.map(() => null);
  }

  private column(j: number): Column {
    let c = this.read[j];
    if (c === null) {
      const vector = this.table.getChildAt(j);
      if (vector === null) throw new DataError('app', 'columns', `the table has no column ${j}`, undefined, this.columns[j]);
      c = this.read[j] = readColumn(vector);
    }
    return c;
  }

  /**
   * Selects the rows of a run to show: those of `query.segment` (all rows when null) whose text in
   * any column holds `query.search` (case-insensitive; blank: no search), in row order or sorted
   * by a column. `labels` are the run's segment of each row, `names` its segments' names.
   * O(rows × columns) for a search, O(rows log rows) for a sort.
   */
  query(query: MembersQuery, labels: Int32Array, names: Map<number, string>): MembersInfo {
    const n = this.table.numRows;
    if (labels.length !== n) throw new DataError('app', 'labels', `the run has ${labels.length} segments for the ${n} rows of the table`);
    let rows: Int32Array;
    if (query.segment === null) {
      rows = new Int32Array(n);
      for (let i = 0; i < n; i++) rows[i] = i;
    } else {
      let count = 0;
      for (let i = 0; i < n; i++) if (labels[i] === query.segment) count++;
      rows = new Int32Array(count);
      for (let i = 0, k = 0; i < n; i++) if (labels[i] === query.segment) rows[k++] = i;
    }
    const total = rows.length;
    const q = query.search.trim().toLowerCase();
    if (q !== '') {
      const hit = new Uint8Array(rows.length);
      for (let j = 0; j < this.columns.length; j++) markMatches(this.column(j), q, rows, hit);
      rows = rows.filter((_, i) => hit[i] === 1);
    }
    if (query.sort !== null) {
      const j = query.sort.column;
      if (!Number.isInteger(j) || j < 0 || j >= this.columns.length) throw new ParameterError('app', 'sort.column', `sort.column=${j} is not a column of the table (0..${this.columns.length - 1})`);
      sortRows(rows, this.column(j), query.sort.descending);
    }
    this.view = { runId: query.runId, rows, labels, names };
    return { runId: query.runId, segment: query.segment, total, count: rows.length, columns: this.columns };
  }

  private current(runId: number): NonNullable<MemberTable['view']> {
    if (this.view === null || this.view.runId !== runId) throw new ParameterError('app', 'runId', `no member query of run ${runId} was made`);
    return this.view;
  }

  /** Rows `start ..< start + count` of the last query (fewer at its end), as text. */
  rows(runId: number, start: number, count: number): MemberRows {
    const view = this.current(runId);
    if (!Number.isInteger(start) || start < 0) throw new ParameterError('app', 'start', `start=${start} is not a row position`);
    const end = Math.min(view.rows.length, start + Math.min(Math.max(0, count), MAX_WINDOW));
    const columns = this.columns.map((_, j) => this.column(j));
    const out: MemberRows = { start, rowNumbers: [], segments: [], cells: [] };
    for (let p = start; p < end; p++) {
      const r = view.rows[p];
      out.rowNumbers.push(r + 1);
      out.segments.push(view.labels[r]);
      out.cells.push(columns.map((c) => cellOf(c, r)));
    }
    return out;
  }

  /** The rows of the last query as CSV (RFC 4180): their row number, segment, segment name and every column. */
  csv(runId: number): Uint8Array<ArrayBuffer> {
    const view = this.current(runId);
    const columns = this.columns.map((_, j) => this.column(j));
    const lines = [['row', 'segment', 'segment name', ...this.columns].map(csvCell).join(',')];
    for (const r of view.rows) {
      const s = view.labels[r];
      lines.push([String(r + 1), String(s), csvCell(view.names.get(s) ?? ''), ...columns.map((c) => csvCell(cellOf(c, r)))].join(','));
    }
    return new TextEncoder().encode(`${lines.join('\r\n')}\r\n`);
  }
}
