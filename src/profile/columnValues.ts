// SPDX-License-Identifier: MIT
/**
 * Reading one Arrow column into typed arrays for profiling: numbers as float64 with NaN where
 * missing, and labels as interned ids (-1 where missing) with one string per distinct value.
 * Text cells are looked up by their bytes and decoded once per distinct value, not once per
 * cell, so that a column of 10^6 rows reads in tens of milliseconds.
 */
import * as arrow from 'apache-arrow';
import { Interner, isValid } from '../data/interner.js';
import { readNumberColumn, type NumberFormat } from '../data/numberFormat.js';

/** Distinct labels of a column and each row's label id. */
export interface LabelColumn {
  /** Per row: index into `values`, or -1 where the cell is null or empty text. */
  ids: Int32Array;
  /** The distinct labels in order of first appearance. */
  values: string[];
}

/** A cell value as a label; null, undefined and blank text are missing (null). */
function labelOf(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  const s = String(v);
  return s.trim() === '' ? null : s;
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
    const n = data.length;
    const type = data.type;
    if (arrow.DataType.isUtf8(type)) {
      const offsets = data.valueOffsets as Int32Array;
      const bytes = data.values as Uint8Array;
      for (let i = 0; i < n; i++) ids[start + i] = isValid(data, i) ? interner.bytes(bytes, offsets[i], offsets[i + 1]) : -1;
    } else if (arrow.DataType.isDictionary(type)) {
      const dict = data.dictionary as arrow.Vector;
      const dictIds = new Int32Array(dict.length);
      for (let k = 0; k < dict.length; k++) {
        const s = labelOf(dict.get(k));
        dictIds[k] = s === null ? -1 : interner.string(s);
      }
      const keys = data.values as ArrayLike<number | bigint>;
      for (let i = 0; i < n; i++) ids[start + i] = isValid(data, i) ? dictIds[Number(keys[i])] : -1;
    } else {
      const chunk = new arrow.Vector([data]);
      for (let i = 0; i < n; i++) {
        const s = labelOf(chunk.get(i));
        ids[start + i] = s === null ? -1 : interner.string(s);
      }
    }
    start += n;
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
