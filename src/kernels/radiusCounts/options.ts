// SPDX-License-Identifier: MIT
/**
 * The tuning values of the radius kernels' wasm forms (radiusCountsWasm, and radiusPairsWasm,
 * which shares their code), with their defaults in one place. They change how the work is cut,
 * never the result: every value gives the same bits.
 */
import type { RowChunking } from '../wasm/rowChunking.js';

/** Options of radiusCountsWasm and radiusPairsWasm. */
export interface RadiusWasmOptions {
  /** How a call's rows are cut into chunks (see RowChunking). Default RADIUS_DEFAULTS.chunking: 64 rows, 2^26 lane operations. */
  chunking?: RowChunking;
}

/** The defaults of RadiusWasmOptions. */
export const RADIUS_DEFAULTS: Readonly<Required<RadiusWasmOptions>> = Object.freeze({
  chunking: Object.freeze({ rows: 64, work: 2 ** 26 }),
});
