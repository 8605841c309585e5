// SPDX-License-Identifier: MIT
/**
 * Segment labels turned into dense group codes: the segments (labels ≥ 0, in increasing order)
 * are groups 0 … k−1 and noise (label −1) is group k. Every per-column statistic counts into
 * arrays of `k + 1` groups and the whole population.
 */
import { DataError } from '../errors.js';

export interface Groups {
  /** Per row: its group, 0 … k−1 for segments, `k` for noise. */
  code: Int32Array;
  /** The segment id (label) of each group 0 … k−1. */
  ids: number[];
  /** Rows per group, `k + 1` entries (the last is noise). */
  size: Float64Array;
  /** Number of segments, noise not counted. */
  k: number;
}

/**
 * Validates the labels (integers ≥ −1, one per row) and codes them. O(n + k log k).
 */
export function groupRows(labels: ArrayLike<number>, rows: number, fn: string): Groups {
  if (labels.length !== rows) {
    throw new DataError(fn, 'labels', `labels has ${labels.length} entries but the table has ${rows} rows`);
  }
  const seen = new Set<number>();
  for (let i = 0; i < rows; i++) {
    const l = labels[i];
    if (!Number.isInteger(l) || l < -1) {
      throw new DataError(fn, 'labels', `label ${String(l)} at row ${i} is not an integer ≥ -1 (-1 marks noise)`, i);
    }
    if (l >= 0) seen.add(l);
  }
  const ids = [...seen].sort((a, b) => a - b);
  const k = ids.length;
  const index = new Map<number, number>(ids.map((id, g) => [id, g]));
  const code = new Int32Array(rows);
  const size = new Float64Array(k + 1);
  for (let i = 0; i < rows; i++) {
    const g = labels[i] < 0 ? k : (index.get(labels[i]) as number);
    code[i] = g;
    size[g]++;
  }
  return { code, ids, size, k };
}
