// SPDX-License-Identifier: MIT
/**
 * The tuning values of meanShiftStep's wasm kernel, with their defaults in one place. They
 * change how the work is cut, never the result: every value gives the same bits.
 */
import type { RowChunking } from '../wasm/rowChunking.js';

/** Options of meanShiftStepWasm. */
export interface MeanShiftStepWasmOptions {
  /**
   * How a call's seeds are cut into chunks (see RowChunking; the seeds are its rows, the data rows
   * its columns). Default MEAN_SHIFT_STEP_DEFAULTS.chunking: 16 seeds, 2^26 lane operations.
   */
  chunking?: RowChunking;
}

/** The defaults of MeanShiftStepWasmOptions. */
export const MEAN_SHIFT_STEP_DEFAULTS: Readonly<Required<MeanShiftStepWasmOptions>> = Object.freeze({
  chunking: Object.freeze({ rows: 16, work: 2 ** 26 }),
});
