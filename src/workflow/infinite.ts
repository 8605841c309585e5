// SPDX-License-Identifier: MIT
/**
 * Infinite numbers in the columns a fit uses, found before the pipeline: an Arrow or Parquet file
 * (or a table given) may hold ±Infinity in a float column, which no statistic or distance can use.
 * The CSV reader refuses them itself, by line; this follows the same `onBadRows` for the others.
 */
import * as arrow from 'apache-arrow';
import { validityOf } from '../data/interner.js';
import type { Schema } from '../data/schema.js';
import { takeRows } from '../data/takeRows.js';
import { DataError, assertUnreachable } from '../errors.js';

/** What was done about the infinite values of a table. */
export interface InfiniteRows {
  /** The table to go on with: the same one when there was nothing to do. */
  table: arrow.Table;
  /** [rows] the rows that held one (zero-based, of the table given), in order. */
  rows: number[];
  /** A sentence for the notes, or null when no row held one. */
  note: string | null;
}

/**
 * Finds the rows where a used number or count column holds ±Infinity, and follows `onBadRows`:
 * 'fail' throws a DataError naming the first row (1-based, or the file's line from `rowLines`)
 * and its column, 'skip' leaves the rows out, 'null' sets those cells to null (to be filled like
 * any missing cell). O(rows · used float columns).
 * @throws DataError (argument `onBadRows`) with 'fail' when a row holds one.
 */
export function handleInfinite(table: arrow.Table, schema: Schema, onBadRows: 'fail' | 'skip' | 'null', rowLines?: ArrayLike<number>): InfiniteRows {
  const cells: Array<{ row: number; column: string; value: number }> = [];
  for (const info of schema.columns) {
    if (!info.use || (info.kind !== 'number' && info.kind !== 'count')) continue;
    const vector = table.getChild(info.name);
    if (vector === null || !arrow.DataType.isFloat(vector.type)) continue;
    if (vector.type.precision === arrow.Precision.HALF) {
      // float16 is stored as bits: read through the vector.
      for (let i = 0; i < vector.length; i++) {
        const v = vector.get(i) as number | null;
        if (v === Infinity || v === -Infinity) cells.push({ row: i, column: info.name, value: v });
      }
      continue;
    }
    // The chunks' typed arrays, not vector.get per cell: this runs on every fit, most often to find nothing.
    let start = 0;
    for (const data of vector.data as arrow.Data[]) {
      const values = data.values as Float32Array | Float64Array;
      const valid = validityOf(data);
      for (let i = 0; i < data.length; i++) {
        const v = values[i];
        if ((v === Infinity || v === -Infinity) && valid(i)) cells.push({ row: start + i, column: info.name, value: v });
      }
      start += data.length;
    }
  }
  if (cells.length === 0) return { table, rows: [], note: null };
  const rows = [...new Set(cells.map((c) => c.row))].sort((a, b) => a - b);
  const first = cells.reduce((a, b) => (b.row < a.row ? b : a));
  const where = `${rowLines === undefined ? `row ${first.row + 1}` : `line ${rowLines[first.row]}`}, column '${first.column}': ${first.value} is not a finite number`;
  switch (onBadRows) {
    case 'fail':
      throw new DataError('segment', 'onBadRows', `${where} (${rows.length} row(s) hold such a value)`, first.row, first.column);
    case 'skip': {
      const drop = new Set(rows);
      const kept = Int32Array.from({ length: table.numRows }, (_, i) => i).filter((i) => !drop.has(i));
      return { table: takeRows(table, kept), rows, note: `${rows.length} row(s) holding a value that is not a finite number were left out (first: ${where})` };
    }
    case 'null': {
      const byColumn = new Map<string, Set<number>>();
      for (const c of cells) (byColumn.get(c.column) ?? byColumn.set(c.column, new Set()).get(c.column)!).add(c.row);
      const columns: Record<string, arrow.Vector> = {};
      for (const field of table.schema.fields) {
        const source = table.getChild(field.name) as arrow.Vector;
        const nulled = byColumn.get(field.name);
        columns[field.name] = nulled === undefined ? source : arrow.vectorFromArray(Array.from({ length: source.length }, (_, i) => (nulled.has(i) ? null : (source.get(i) as number | null))), field.type as arrow.DataType);
      }
      return { table: new arrow.Table(columns), rows, note: `${cells.length} cell(s) holding a value that is not a finite number were set to null and filled like missing cells (first: ${where})` };
    }
    default:
      return assertUnreachable(onBadRows);
  }
}
