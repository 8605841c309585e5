// SPDX-License-Identifier: MIT
/**
 * The contract between reading a table and turning it into features: what kind each column is,
 * why it was judged so, and whether it becomes a feature. Inference (src/data/inferKinds.ts)
 * produces a Schema from an Arrow table; the Pipeline (src/data/pipeline.ts) consumes it. Users
 * override a column by editing its ColumnInfo (kind, use) before fitting the pipeline.
 */

/**
 * - number: real-valued measurement (CTR, time online).
 * - count: non-negative integers, often heavy-tailed (likes, followers); log1p is offered.
 * - flag: two values (true/false, yes/no, 0/1, Male/Female is a category, not a flag).
 * - category: few distinct labels; one-hot.
 * - range: ordered ranges such as `25-34`, `65+`, `0-20k`, `100k+`; ordinal (by their numbers)
 *   or one-hot.
 * - id: unique per row; excluded from features.
 * - text: free text; excluded.
 * - url: links; excluded.
 * - datetime: dates and times; excluded unless expanded on request.
 * - list: multi-valued cells (`Travel, Gaming`); multi-hot of the most frequent items.
 * - empty: no values at all; excluded.
 */
export type ColumnKind =
  | 'number'
  | 'count'
  | 'flag'
  | 'category'
  | 'range'
  | 'id'
  | 'text'
  | 'url'
  | 'datetime'
  | 'list'
  | 'empty';

export const COLUMN_KINDS: readonly ColumnKind[] = [
  'number',
  'count',
  'flag',
  'category',
  'range',
  'id',
  'text',
  'url',
  'datetime',
  'list',
  'empty',
];

/** One ordered-range level, as parsed from its text: `25-34` → {low: 25, high: 34}; `65+` → {low: 65, high: Infinity}. */
export interface RangeLevel {
  text: string;
  low: number;
  high: number;
}

export interface ColumnInfo {
  /** The column's name as in the file's header. */
  name: string;
  kind: ColumnKind;
  /** One sentence: why this kind ("all 1000 values are integers ≥ 0, skew 4.2"). */
  reason: string;
  /** Whether the column becomes features by default (ids, text, urls, dates, empty: false). */
  use: boolean;
  /** Cells that are empty or null. */
  missing: number;
  /** Distinct non-missing values (or items, for lists). */
  distinct: number;
  /** For kind 'range': the levels in order of their numbers. */
  levels?: RangeLevel[];
  /** For kind 'list': the separator between items. */
  separator?: string;
  /**
   * For kind 'number' or 'count': how the numbers are written when they are text, e.g. `1,234`,
   * `12.5%`, `$1,200`, `2.245,71` (read with `parseNumber` in src/data/numberFormat.ts; a percent
   * keeps the number as written: `12.5%` is 12.5). Also set (`decimal: ','`) on a numeric column
   * of a file read with decimal commas, so that a saved model reads new files the same way.
   */
  numberFormat?: NumberFormat;
}

/** How numbers stored as text are written (src/data/numberFormat.ts reads them). */
export interface NumberFormat {
  /** The decimal mark when it is a comma (`2.245,71`); absent: a point. */
  decimal?: '.' | ',';
  /** Thousands separator, e.g. `,`, `.` (with decimal commas), a space or `'`. */
  thousands?: string;
  /** Values end with `%` (read as the number shown: `12.5%` is 12.5). */
  percent?: boolean;
  /** A currency sign before or after the number, e.g. `$`, `€`. */
  currency?: string;
  /** Negatives written in parentheses: `(1,234)` is −1234. */
  parentheses?: boolean;
}

export interface Schema {
  columns: ColumnInfo[];
  /** Rows the inference looked at (all of them, or a sample of a large file). */
  rowsSeen: number;
}
