// SPDX-License-Identifier: MIT
/**
 * The tuning values of silhouetteSums' wasm kernel, with their defaults in one place. They change
 * how the work is cut and, with it, the order in which each sum's terms are added (the last bits
 * of a sum, within the kernel's stated error), never what it computes; a tiling gives the same
 * bits on any thread count.
 */

/**
 * Tiles: at most `groups` groups of four rows, and at most `bytes` of row data (so that a tile
 * stays in a core's L2 cache while the other tile's rows stream past it). A chunk is one pair of
 * tiles. Tests lower `groups` to get many tiles out of small inputs.
 */
export interface SilhouetteSumsTiling {
  groups: number;
  bytes: number;
}

/** Options of silhouetteSumsWasm. */
export interface SilhouetteSumsWasmOptions {
  /**
   * Default SILHOUETTE_SUMS_DEFAULTS.tiling: 256 groups, 256 KiB. At d = 16, 256 × 256 groups are
   * 10^6 distances, about 1.5 ms; n = 50,000 is 49 tiles, so 49 rounds of 24 or 25 chunks. Fewer,
   * longer rounds wait less for a descheduled thread at each round's end on a loaded machine.
   */
  tiling?: SilhouetteSumsTiling;
}

/** The defaults of SilhouetteSumsWasmOptions. */
export const SILHOUETTE_SUMS_DEFAULTS: Readonly<Required<SilhouetteSumsWasmOptions>> = Object.freeze({
  tiling: Object.freeze({ groups: 256, bytes: 2 ** 18 }),
});
