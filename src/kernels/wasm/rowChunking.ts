// SPDX-License-Identifier: MIT
/**
 * How the wasm kernels whose output rows are each written by one chunk (silhouetteTile,
 * radiusCounts, radiusPairs, meanShiftStep) cut their rows into the chunks that the worker
 * threads share (threads.ts). Each kernel keeps its defaults in its own options.ts.
 */

/**
 * At most `rows` rows per chunk (rounded down to a multiple of 4, at least 4), fewer where that
 * would be more than `work` lane operations (rows × columns × dp). The cut depends on the shapes
 * only, never on the thread count, and each output row is one chunk's, so it changes how the
 * work is shared, never the result. Tests lower `rows` to get many chunks out of small inputs.
 */
export interface RowChunking {
  rows: number;
  work: number;
}

/** Rows per chunk under `chunking` for rows met against `columns` columns of `dp` (padded) features. */
export function chunkRows(chunking: RowChunking, columns: number, dp: number): number {
  const byWork = Math.floor(chunking.work / Math.max(1, columns * dp)) & ~3;
  return Math.max(4, Math.min(chunking.rows & ~3, byWork));
}
