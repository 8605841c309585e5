// SPDX-License-Identifier: MIT
/** A distinctive feature of a segment, as found by distinctive.ts and worded by readable.ts. */


/** A numeric column on which the segment's mean stands out. */
export interface NumericFeature {
  type: 'numeric';
  column: string;
  kind: 'number' | 'count';
  /** (segment mean − population mean) / population std. */
  stdDiff: number;
  direction: 'high' | 'low';
  /** The segment's mean, in the column's units. */
  mean: number;
  score: number;
  /** Readable phrase, e.g. `high CTR`. */
  phrase: string;
}

/** A category, flag or range value, or a list item, over-represented in the segment. */
export interface ValueFeature {
  type: 'value' | 'item';
  column: string;
  kind: 'category' | 'flag' | 'range' | 'list';
  value: string;
  count: number;
  share: number;
  lift: number;
  score: number;
  /** Readable phrase, e.g. `mostly Urban`, `into Gaming`. */
  phrase: string;
}

export type DistinctiveFeature = NumericFeature | ValueFeature;
