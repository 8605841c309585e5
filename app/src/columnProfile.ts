// SPDX-License-Identifier: MIT
/**
 * The data profile of a table before any run, computed in the worker over every row: per column
 * its blank cells, distinct values, most frequent values, and, where its values read as numbers,
 * a small histogram; plus what a kind the user may choose needs (do the values read as numbers,
 * whole numbers ≥ 0, ordered ranges). Only these counts go to the page, never the rows, so that
 * the page stays light on 10^6 rows. O(rows) per column, plus a sort of a numeric column's values.
 */
import * as arrow from 'apache-arrow';
import { parseNumber, readNumberColumn } from '../../src/data/numberFormat.js';
import { orderLevels, parseRange } from '../../src/data/ranges.js';
import type { ColumnInfo, RangeLevel, Schema } from '../../src/data/schema.js';
import { readLabels } from '../../src/data/columnReader.js';
import { histogramBySegment } from '../../src/report/histogram.js';
import { isHeavyTailed } from '../../src/report/heavyTail.js';
import { MAX_LEVELS } from '../../src/data/inferKinds.js';

/** Bins of a column's histogram. */
export const PROFILE_BINS = 20;
/** Most frequent values listed per column. */
export const PROFILE_TOP = 5;

/** How a column's values read as numbers (those that read; the others are `unreadable`). */
export interface NumberSummary {
  /** Non-blank cells that read as numbers (numeric storage: every non-missing cell). */
  readable: number;
  /** Non-blank cells that do not read as numbers, and the first of them. */
  unreadable: number;
  firstUnreadable: string | null;
  min: number;
  max: number;
  mean: number;
  /** Every value that reads is a whole number, and every one is ≥ 0. */
  integers: boolean;
  nonNegative: boolean;
  /** 'log': the bins are equal in sign(x)·log1p(|x|), as the report draws heavy tails. */
  scale: 'linear' | 'log';
  /** [bins + 1] edges in the values' units, and [bins] counts. */
  edges: number[];
  counts: number[];
}

/** One column's profile. */
export interface ColumnProfile {
  name: string;
  /** Cells that are null, NaN, or text that is blank once trimmed. */
  missing: number;
  /** Distinct non-missing values. */
  distinct: number;
  /** The most frequent non-missing values (as text), most frequent first, with their cells. */
  top: Array<{ value: string; count: number }>;
  /** How the values read as numbers; null when none does. */
  numbers: NumberSummary | null;
  /** Non-missing cells that read as ordered ranges (`25-34`, `65+`); 0 for numeric storage. */
  rangeCells: number;
  /** The range levels in order, when every value is one and there are 2..MAX_LEVELS of them. */
  levels: RangeLevel[] | null;
}

function isNumericStorage(t: arrow.DataType): boolean {
  return arrow.DataType.isInt(t) || arrow.DataType.isFloat(t) || arrow.DataType.isDecimal(t);
}

/** Min, max, mean, integers, non-negative and the histogram of the finite values of `finite` [m]. */
function summarise(finite: Float64Array, readable: number, unreadable: number, firstUnreadable: string | null, name: string): NumberSummary | null {
  if (finite.length === 0) return null;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let integers = true;
  for (const v of finite) {
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    if (integers && !Number.isInteger(v)) integers = false;
  }
  const scale = isHeavyTailed(finite) ? 'log' : 'linear';
  const hist = histogramBySegment(name, finite, new Int32Array(finite.length), { bins: PROFILE_BINS, scale, segments: [0] });
  return {
    readable,
    unreadable,
    firstUnreadable,
    min,
    max,
    mean: sum / finite.length,
    integers,
    nonNegative: min >= 0,
    scale,
    edges: Array.from(hist.edges),
    counts: Array.from(hist.counts[0].counts),
  };
}

/** The finite values of `values`, in a new array. */
function finiteOf(values: Float64Array): Float64Array {
  let m = 0;
  for (const v of values) if (Number.isFinite(v)) m++;
  const out = new Float64Array(m);
  let k = 0;
  for (const v of values) if (Number.isFinite(v)) out[k++] = v;
  return out;
}

/** Distinct values counted in a Map up to this many; a column with more is sorted instead. */
const MAP_DISTINCT = 65_536;

/** A column stored as numbers: blanks are null or NaN; distinct values and the top ones by a Map, or a sorted copy when they are many. */
function numericColumn(name: string, vector: arrow.Vector): ColumnProfile {
  const { values } = readNumberColumn(vector);
  const present = new Float64Array(values.length);
  let m = 0;
  for (const v of values) if (!Number.isNaN(v)) present[m++] = v;
  const kept = present.subarray(0, m);
  const best = new TopList();
  let distinct = 0;
  const counts = new Map<number, number>();
  for (const v of kept) {
    counts.set(v, (counts.get(v) ?? 0) + 1);
    if (counts.size > MAP_DISTINCT) break;
  }
  if (counts.size <= MAP_DISTINCT) {
    distinct = counts.size;
    for (const [v, c] of [...counts].sort((a, b) => a[0] - b[0])) best.offer(v, c);
  } else {
    const sorted = kept.slice().sort();
    for (let i = 0; i < sorted.length; ) {
      let j = i + 1;
      while (j < sorted.length && sorted[j] === sorted[i]) j++;
      distinct++;
      best.offer(sorted[i], j - i);
      i = j;
    }
  }
  const top = best.list().map((e) => ({ value: String(e.value), count: e.count }));
  return { name, missing: values.length - m, distinct, top, numbers: summarise(finiteOf(kept), m, 0, null, name), rangeCells: 0, levels: null };
}

/** The PROFILE_TOP most frequent values offered, ties to the first offered: O(PROFILE_TOP) per offer. */
class TopList<T = number> {
  private readonly entries: Array<{ value: T; count: number }> = [];

  offer(value: T, count: number): void {
    const e = this.entries;
    if (e.length === PROFILE_TOP && count <= e[e.length - 1].count) return;
    let k = Math.min(e.length, PROFILE_TOP - 1);
    e[k] = { value, count };
    while (k > 0 && e[k - 1].count < count) {
      [e[k - 1], e[k]] = [e[k], e[k - 1]];
      k--;
    }
  }

  list(): Array<{ value: T; count: number }> {
    return this.entries;
  }
}

/**
 * Any other column, read as text (dates as ISO strings): each distinct label once, so that the
 * number and range readings cost one parse per distinct label, not per cell.
 */
function textColumn(name: string, vector: arrow.Vector, info: ColumnInfo | undefined): ColumnProfile {
  // Blank cells (null, empty or spaces only) have id -1; labels that differ only by surrounding
  // spaces are one value (as inferKinds reads them).
  const { ids, values: labels } = readLabels(vector);
  const cells = new Float64Array(labels.length);
  let missing = 0;
  for (const id of ids) {
    if (id < 0) missing++;
    else cells[id]++;
  }
  const byValue = new Map<string, number>();
  labels.forEach((label, id) => {
    const key = label.trim();
    byValue.set(key, (byValue.get(key) ?? 0) + cells[id]);
  });
  const format = info?.numberFormat ?? {};
  let readable = 0;
  let unreadable = 0;
  let firstUnreadable: string | null = null;
  let rangeCells = 0;
  const parsed: Array<{ value: number; count: number }> = [];
  const ranges: RangeLevel[] = [];
  for (const [value, count] of byValue) {
    const x = parseNumber(value, format);
    if (Number.isNaN(x)) {
      unreadable += count;
      firstUnreadable ??= value;
    } else {
      readable += count;
      parsed.push({ value: x, count });
    }
    const level = parseRange(value);
    if (level !== undefined) {
      rangeCells += count;
      ranges.push(level);
    }
  }
  let numbers: NumberSummary | null = null;
  if (readable > 0) {
    const finite = new Float64Array(parsed.reduce((s, p) => s + (Number.isFinite(p.value) ? p.count : 0), 0));
    let k = 0;
    for (const p of parsed) {
      if (!Number.isFinite(p.value)) continue;
      finite.fill(p.value, k, k + p.count);
      k += p.count;
    }
    numbers = summarise(finite, readable, unreadable, firstUnreadable, name);
  }
  const nonMissing = ids.length - missing;
  const levels = rangeCells === nonMissing && ranges.length >= 2 && ranges.length <= MAX_LEVELS ? orderLevels(ranges) : null;
  const best = new TopList<string>();
  for (const [value, count] of byValue) best.offer(value, count);
  return { name, missing, distinct: byValue.size, top: best.list(), numbers, rangeCells, levels };
}

/**
 * The profile of every column of `table`, in table order, over all its rows (`schema` gives the
 * number format of numbers written as text).
 * @example
 * const { table } = await readTable('Mall_Customers.csv');
 * profileColumns(table, inferKinds(table))[0].missing; // 0
 */
export function profileColumns(table: arrow.Table, schema: Schema): ColumnProfile[] {
  const infos = new Map(schema.columns.map((c) => [c.name, c]));
  return table.schema.fields.map((field, j) => {
    const vector = table.getChildAt(j) as arrow.Vector;
    return isNumericStorage(field.type) ? numericColumn(field.name, vector) : textColumn(field.name, vector, infos.get(field.name));
  });
}
