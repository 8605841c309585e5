// SPDX-License-Identifier: MIT
/**
 * Reading one Arrow column into typed arrays for profiling: numbers as float64 with NaN where
 * missing, and labels as interned ids (-1 where missing) with one string per distinct value.
 * Text cells are looked up by their bytes and decoded once per distinct value, not once per
 * cell, so that a column of 10^6 rows reads in tens of milliseconds.
 */
import * as arrow from 'apache-arrow';
import { Interner, internChunk } from '../data/interner.js';
import { readNumberColumn, type NumberFormat } from '../data/numberFormat.js';

/** Distinct labels of a column and each row's label id. */
export interface LabelColumn {
  /** Per row: index into `values`, or -1 where the cell is null or empty text. */
  ids: Int32Array;
  /** The distinct labels in order of first appearance. */
  values: string[];
}

/**
 * The labels of a column, whatever its Arrow type: text, dictionary, numbers (as their decimal
 * text), booleans (`true`/`false`). Blank text counts as missing. O(n).
 */
export function readLabels(vector: arrow.Vector): LabelColumn {
  // Every distinct cell text gets an id (blank ones too); blank ids are dropped at the end.
  const interner = new Interner();
  const ids = new Int32Array(vector.length);
  let start = 0;
  for (const data of vector.data as arrow.Data[]) {
    internChunk(data, interner, ids, start);
    start += data.length;
  }
  // Blank texts are missing: renumber the others in order of first appearance.
  const remap = new Int32Array(interner.labels.length);
  const values: string[] = [];
  interner.labels.forEach((label, id) => {
    if (label.trim() === '') remap[id] = -1;
    else remap[id] = values.push(label) - 1;
  });
  for (let i = 0; i < ids.length; i++) if (ids[i] >= 0) ids[i] = remap[ids[i]];
  return { ids, values };
}

/**
 * A column as float64, NaN where the cell is null, NaN, infinite, blank or text that does not
 * read as a number written in `format` (the column's {@link NumberFormat} from kind inference:
 * `$1,234`, `12.5%`, `0,438`; plain numbers when none). The one number reader,
 * src/data/numberFormat.ts, reads the cells, as it does for the Pipeline and predict. O(n).
 */
export function readNumbers(vector: arrow.Vector, format?: NumberFormat): Float64Array {
  const out = readNumberColumn(vector, format).values;
  // Infinities are not measurements a profile can average: treat them as missing too.
  for (let i = 0; i < out.length; i++) if (!Number.isFinite(out[i])) out[i] = NaN;
  return out;
}
