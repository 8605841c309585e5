// SPDX-License-Identifier: MIT
/**
 * The tuning values of silhouetteTile's wasm kernel, with their defaults in one place. They
 * change how the work is cut, never the result: every value gives the same bits.
 */
import type { RowChunking } from '../wasm/rowChunking.js';

/** Options of silhouetteTileWasm. */
export interface SilhouetteTileWasmOptions {
  /**
   * How a call's rows are cut into chunks (see RowChunking). Default SILHOUETTE_TILE_DEFAULTS.chunking:
   * 64 rows, 2^28 lane operations (about 0.3 s). Each chunk streams every column copy once per four
   * rows, so a copy (163 KB at d = 16 and the metric's 2,560 columns) is read from L2 sixteen times
   * per load from farther out; 64 rows against 50,000 columns is about 8 ms of work.
   */
  chunking?: RowChunking;
}

/** The defaults of SilhouetteTileWasmOptions. */
export const SILHOUETTE_TILE_DEFAULTS: Readonly<Required<SilhouetteTileWasmOptions>> = Object.freeze({
  chunking: Object.freeze({ rows: 64, work: 2 ** 28 }),
});
