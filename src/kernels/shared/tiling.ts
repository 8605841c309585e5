// SPDX-License-Identifier: MIT
/**
 * Row blocks: a matrix goes to the device once, as separate tensors of at most a budget's worth
 * of rows, so that no kernel holds n×k×d or n×n, and no kernel slices a big tensor (tf.slice on
 * the wasm backend costs time in proportion to the whole input: 64 ms to take 1,000 rows of a
 * 10^6×16 tensor, measured here). Kernels take one block; algorithms loop over the blocks.
 */
import * as tf from '@tensorflow/tfjs-core';
import { deviceFacts } from '../../backend/backend.js';
import { ParameterError } from '../../errors.js';
import type { MatrixF32 } from '../../matrix.js';
import { forgetHostRows, setHostRows } from './hostRows.js';

const BYTES_PER_FLOAT = 4;

/**
 * Rows a float32 reduction adds sequentially before its partial is cut. Partials go back to the
 * host and are added in float64 (CONVENTIONS: reductions lose digits). Blocks hold a multiple of
 * this many rows, or fewer, so kernels can cut runs by a reshape instead of slices.
 */
export const REDUCTION_RUN = 256;

/**
 * Rows per block such that `floatsPerRow` float32 temporaries per row fit the device's per-tile
 * budget (or `budgetBytes`); a multiple of REDUCTION_RUN when that is at least one run. At least
 * 1, at most `maxRows`.
 */
export function tileRows(floatsPerRow: number, maxRows: number, budgetBytes?: number): number {
  const budget = budgetBytes ?? deviceFacts().memoryBudgetBytes;
  // Cap first, then round: a block of all n rows must also be whole runs (the tail is split off).
  let rows = Math.min(maxRows, Math.floor(budget / (Math.max(1, floatsPerRow) * BYTES_PER_FLOAT)));
  if (rows >= REDUCTION_RUN) rows -= rows % REDUCTION_RUN;
  return Math.max(1, rows);
}

/**
 * [start, end) ranges covering 0..n, each `size` long but the last. When `size` is a multiple of
 * REDUCTION_RUN, a last range longer than one run is split so that every range is a multiple of
 * the run or shorter than one.
 */
export function ranges(n: number, size: number): Array<[number, number]> {
  if (!(size >= 1)) throw new ParameterError('ranges', 'size', `size=${size} must be >= 1`);
  const out: Array<[number, number]> = [];
  for (let s = 0; s < n; s += size) out.push([s, Math.min(n, s + size)]);
  const last = out[out.length - 1];
  if (last !== undefined && size % REDUCTION_RUN === 0) {
    const len = last[1] - last[0];
    const whole = len - (len % REDUCTION_RUN);
    if (whole > 0 && whole < len) {
      out[out.length - 1] = [last[0], last[0] + whole];
      out.push([last[0] + whole, last[1]]);
    }
  }
  return out;
}

/** One block of rows on the device. */
export interface RowBlock {
  /** Index of the block's first row in the whole matrix. */
  start: number;
  /** [rows, d] float32. */
  x: tf.Tensor2D;
}

/**
 * Uploads `m` as row blocks sized for `floatsPerRow` temporaries per row (see tileRows), or of
 * `rowsPerBlock` rows when given. Dispose with `disposeBlocks`. `m.data` must not change while
 * the blocks live: kernels that keep their own copy of a block (our wasm kernels) read the rows
 * from it (hostRows) instead of back from the device.
 */
export function uploadRows(m: MatrixF32, floatsPerRow: number, rowsPerBlock?: number): RowBlock[] {
  const size = rowsPerBlock ?? tileRows(floatsPerRow, m.rows);
  return ranges(m.rows, size).map(([s, e]) => {
    const rows = m.data.subarray(s * m.cols, e * m.cols);
    const x = tf.tensor2d(rows, [e - s, m.cols], 'float32');
    setHostRows(x, rows);
    return { start: s, x };
  });
}

/** Uploads a per-row vector (labels, weights) split like `blocks`. */
export function uploadPerRow(values: Int32Array | Float32Array, blocks: RowBlock[], dtype: 'int32' | 'float32'): tf.Tensor1D[] {
  return blocks.map((b) => tf.tensor1d(values.subarray(b.start, b.start + b.x.shape[0]), dtype));
}

const disposalListeners: Array<() => void> = [];

/**
 * Calls `listener` after blocks are disposed: backends that keep their own copy of block data
 * (our wasm kernels) free it then, rather than at their next allocation.
 */
export function onBlocksDisposed(listener: () => void): void {
  disposalListeners.push(listener);
}

export function disposeBlocks(blocks: RowBlock[]): void {
  for (const b of blocks) {
    forgetHostRows(b.x);
    b.x.dispose();
  }
  for (const listener of disposalListeners) listener();
}
