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
   * For kind 'number' or 'count' read from text: how the numbers are written, e.g. `1,234` or
   * `12.5%` or `$1,200` (parse with `parseFormattedNumber` in src/data/inferKinds.ts; a percent
   * keeps the number as written: `12.5%` is 12.5).
   */
  numberFormat?: NumberFormat;
}

/** How numbers stored as text are written. */
export interface NumberFormat {
  /** Thousands separator, e.g. `,`. */
  thousands?: string;
  /** Values end with `%`. */
  percent?: boolean;
  /** A currency sign before the number, e.g. `$`. */
  currency?: string;
}

export interface Schema {
  columns: ColumnInfo[];
  /** Rows the inference looked at (all of them, or a sample of a large file). */
  rowsSeen: number;
}
