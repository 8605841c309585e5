// SPDX-License-Identifier: MIT
/** Tile sizes derived from the device's memory budget, so no kernel holds n×k×d or n×n. */
import { deviceFacts } from '../backend/backend.js';

const BYTES_PER_FLOAT = 4;

/**
 * Rows per tile such that a tile's temporaries, `floatsPerRow` float32 values per row, fit in the
 * current device's per-tile budget (or `budgetBytes`). At least 1, at most `maxRows`.
 */
export function tileRows(floatsPerRow: number, maxRows: number, budgetBytes?: number): number {
  const budget = budgetBytes ?? deviceFacts().memoryBudgetBytes;
  const rows = Math.floor(budget / (Math.max(1, floatsPerRow) * BYTES_PER_FLOAT));
  return Math.max(1, Math.min(maxRows, rows));
}

/**
 * Longest run of values one float32 reduction may add sequentially. Partial sums of runs this
 * long are returned to the host and added in float64 (see CONVENTIONS: reductions lose digits).
 */
export const REDUCTION_RUN = 16384;

/** [start, end) ranges covering 0..n in steps of `size`. */
export function ranges(n: number, size: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let s = 0; s < n; s += size) out.push([s, Math.min(n, s + size)]);
  return out;
}
