// SPDX-License-Identifier: MIT
/**
 * The tuning values of lloydStep's wasm pass and of Lloyd sessions (lloydSums/session.ts), with
 * their defaults in one place. They change how the work is cut or skipped, never the result:
 * every value gives the same bits.
 */

/**
 * How a wasm lloydStep call is cut into chunks (lloydChunkRows): about `work` lane operations
 * (rows × k × dp) per chunk, 0.1 to 0.3 ms; at most `maxChunks` chunks per call, so that the
 * partials stay small next to the block. Tests lower `work` to get many chunks, shared by the
 * worker threads, out of small inputs.
 */
export interface LloydChunking {
  work: number;
  maxChunks: number;
}

/** Options of the wasm lloydStep and lloydSums passes (lloydStepWasm, lloydSumsWasm). */
export interface LloydWasmOptions {
  /** Default LLOYD_DEFAULTS.chunking. */
  chunking?: LloydChunking;
}

/** Options of a Lloyd session (openLloydSession). */
export interface LloydSessionOptions extends LloydWasmOptions {
  /**
   * Skip, on wasm, the rows whose nearest center provably stayed the same since the previous step
   * (Hamerly's bounds). Default true; false scans every row in every step, as lloydSumsWasm does.
   */
  bounds?: boolean;
  /**
   * With bounds: a group of four rows that fails the test on its moved bounds gets its rows'
   * distances to their own centers computed for a second test before a full scan, but only while
   * the previous step on the block scanned under half of its groups in full (when most groups fail,
   * that distance is wasted work: measured at 1.5 times the time of a plain scan in the second
   * iteration of the bench data). Default true.
   */
  tighten?: boolean;
}

/** The defaults of LloydSessionOptions (and so of LloydWasmOptions). */
export const LLOYD_DEFAULTS: Readonly<Required<LloydSessionOptions>> = Object.freeze({
  chunking: Object.freeze({ work: 2 ** 20, maxChunks: 64 }),
  bounds: true,
  tighten: true,
});

/** `options` with the defaults filled in. */
export function lloydOptions(options: LloydSessionOptions = {}): Required<LloydSessionOptions> {
  return {
    chunking: options.chunking ?? LLOYD_DEFAULTS.chunking,
    bounds: options.bounds ?? LLOYD_DEFAULTS.bounds,
    tighten: options.tighten ?? LLOYD_DEFAULTS.tighten,
  };
}
