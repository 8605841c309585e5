// SPDX-License-Identifier: MIT
/** A subset of a table's rows as a table of its own. */
import * as arrow from 'apache-arrow';
import { ParameterError } from '../errors.js';
import { validityOf } from './interner.js';

/**
 * Rows `rows` of `table`, in that order, as a new table with the same column names and types.
 * Number, text and dictionary columns are copied from their buffers (a dictionary column keeps
 * its dictionary: the same labels row for row, some perhaps unused); other types cell by cell
 * (their dictionaries rebuilt). O(rows · columns).
 * @example
 * const { table } = await readTable('Mall_Customers.csv');
 * const two = takeRows(table, Int32Array.of(199, 0));
 * two.numRows; // 2
 * two.getChild('Age')?.toArray(); // [30, 19]: the last row's, then the first's
 */
export function takeRows(table: arrow.Table, rows: Int32Array): arrow.Table {
  const columns: Record<string, arrow.Vector> = {};
  for (const field of table.schema.fields) {
    const source = table.getChild(field.name) as arrow.Vector;
    columns[field.name] = takeFromBuffers(source, rows) ?? arrow.vectorFromArray(Array.from(rows, (r) => source.get(r) as unknown), field.type as arrow.DataType);
  }
  return new arrow.Table(columns);
}

/** The typed arrays of Arrow's number columns and dictionary keys. */
type NumberArray = Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array | Float32Array | Float64Array;

/** Where each of `rows` lies: its chunk of `chunks` and its index in that chunk. */
function locate(chunks: readonly arrow.Data[], rows: Int32Array): { chunk: Int32Array; at: Int32Array } {
  const starts = new Float64Array(chunks.length + 1);
  chunks.forEach((c, k) => (starts[k + 1] = starts[k] + c.length));
  const chunk = new Int32Array(rows.length);
  const at = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (!(r >= 0 && r < starts[chunks.length])) throw new ParameterError('takeRows', 'rows', `row ${r} is not in a table of ${starts[chunks.length]} rows`);
    let lo = 0;
    let hi = chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= r) lo = mid;
      else hi = mid - 1;
    }
    chunk[i] = lo;
    at[i] = r - starts[lo];
  }
  return { chunk, at };
}

/**
 * The rows of a number (not 64-bit integer), UTF-8 text or dictionary column (one dictionary
 * for all its chunks) as one chunk copied from the buffers; null for any other column. (A sliced
 * chunk's value and offset buffers start at its first row; only its validity bits are offset.)
 */
function takeFromBuffers(source: arrow.Vector, rows: Int32Array): arrow.Vector | null {
  const chunks = source.data as arrow.Data[];
  const type = source.type as arrow.DataType;
  const fixed = (arrow.DataType.isInt(type) && type.bitWidth !== 64) || (arrow.DataType.isFloat(type) && type.precision !== arrow.Precision.HALF);
  const dictionary = arrow.DataType.isDictionary(type) && chunks.every((c) => c.dictionary === chunks[0].dictionary);
  if (chunks.length === 0 || !(fixed || dictionary || arrow.DataType.isUtf8(type))) return null;
  const m = rows.length;
  const { chunk, at } = locate(chunks, rows);
  const bits = new Uint8Array((m + 7) >> 3);
  let nulls = 0;
  const valid = chunks.map(validityOf);
  for (let i = 0; i < m; i++) {
    if (valid[chunk[i]](at[i])) bits[i >> 3] |= 1 << (i & 7);
    else nulls++;
  }
  const nullBitmap = nulls === 0 ? null : bits;
  if (arrow.DataType.isUtf8(type)) {
    let bytes = 0;
    for (let i = 0; i < m; i++) {
      const c = chunks[chunk[i]];
      const offsets = c.valueOffsets as Int32Array;
      bytes += offsets[at[i] + 1] - offsets[at[i]];
    }
    const data = new Uint8Array(bytes);
    const valueOffsets = new Int32Array(m + 1);
    for (let i = 0, end = 0; i < m; i++) {
      const c = chunks[chunk[i]];
      const offsets = c.valueOffsets as Int32Array;
      const a = offsets[at[i]];
      const e = offsets[at[i] + 1];
      data.set((c.values as Uint8Array).subarray(a, e), end);
      end += e - a;
      valueOffsets[i + 1] = end;
    }
    return arrow.makeVector(arrow.makeData({ type, length: m, nullCount: nulls, nullBitmap, valueOffsets, data }));
  }
  // Numbers and dictionary keys: the same typed array type (64-bit keys were left to the cell path).
  const first = chunks[0].values as NumberArray;
  if (first instanceof BigInt64Array || first instanceof BigUint64Array) return null;
  const values = new (first.constructor as { new (n: number): NumberArray })(m);
  for (let i = 0; i < m; i++) {
    const c = chunks[chunk[i]];
    values[i] = (c.values as NumberArray)[at[i]];
  }
  const props = { type, length: m, nullCount: nulls, nullBitmap, data: values, ...(dictionary ? { dictionary: chunks[0].dictionary } : {}) };
  return arrow.makeVector(arrow.makeData(props as unknown as Parameters<typeof arrow.makeData>[0]));
}
