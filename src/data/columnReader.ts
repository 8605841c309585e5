// SPDX-License-Identifier: MIT
/**
 * Reading one Arrow column into typed arrays, for the Pipeline and the profiles alike: labels as
 * interned ids (-1 where missing) with one string per distinct value, and numbers as float64
 * with NaN where missing. Text cells are looked up by their bytes and decoded once per distinct
 * value, not once per cell (internChunk, interner.ts), so that a column of 10^6 rows reads in
 * tens of milliseconds; numbers go through the one number reader (numberFormat.ts).
 */
import * as arrow from 'apache-arrow';
import { Interner, internChunk } from './interner.js';
import { readNumberColumn, type NumberFormat } from './numberFormat.js';

/** Each row's label id and the labels, every distinct cell text (blank ones too). */
export interface LabelIds {
  /** Per row: index into `labels`, or -1 where the cell is null. */
  ids: Int32Array;
  /** The distinct cell texts in order of first appearance. */
  labels: string[];
}

/**
 * The label id of every row (-1 where null) and one string per distinct cell text, whatever the
 * column's Arrow type (text, dictionary, numbers as their decimal text, booleans as
 * `true`/`false`). Blank text is a label here; `readLabels` treats it as missing. O(cells + bytes).
 */
export function readLabelIds(vector: arrow.Vector): LabelIds {
  const interner = new Interner();
  const ids = new Int32Array(vector.length);
  let start = 0;
  for (const data of vector.data as arrow.Data[]) {
    internChunk(data, interner, ids, start);
    start += data.length;
  }
  return { ids, labels: interner.labels };
}

/** Distinct labels of a column and each row's label id. */
export interface LabelColumn {
  /** Per row: index into `values`, or -1 where the cell is null or empty text. */
  ids: Int32Array;
  /** The distinct labels in order of first appearance. */
  values: string[];
}

/**
 * The labels of a column as `readLabelIds` reads them, with blank text (empty or whitespace
 * only) counted as missing and the other labels renumbered in order of first appearance. O(n).
 */
export function readLabels(vector: arrow.Vector): LabelColumn {
  const { ids, labels } = readLabelIds(vector);
  const remap = new Int32Array(labels.length);
  const values: string[] = [];
  labels.forEach((label, id) => {
    if (label.trim() === '') remap[id] = -1;
    else remap[id] = values.push(label) - 1;
  });
  for (let i = 0; i < ids.length; i++) if (ids[i] >= 0) ids[i] = remap[ids[i]];
  return { ids, values };
}

/**
 * A column as float64, NaN where the cell is null, NaN, infinite, blank or text that does not
 * read as a number written in `format` (the column's {@link NumberFormat} from kind inference:
 * `$1,234`, `12.5%`, `0,438`; plain numbers when none), as the profiles and the report read a
 * numeric column. The Pipeline calls `readNumberColumn` itself: it refuses infinities and counts
 * the cells that do not read. O(n).
 */
export function readNumbers(vector: arrow.Vector, format?: NumberFormat): Float64Array {
  const out = readNumberColumn(vector, format).values;
  // Infinities are not measurements a profile can average: treat them as missing too.
  for (let i = 0; i < out.length; i++) if (!Number.isFinite(out[i])) out[i] = NaN;
  return out;
}
