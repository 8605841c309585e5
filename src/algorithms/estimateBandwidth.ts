// SPDX-License-Identifier: MIT
/**
 * The mean-shift bandwidth as scikit-learn 1.2's `estimate_bandwidth` defines it: with
 * k = max(1, ⌊quantile · m⌋) for m sampled rows, the mean over the sampled rows of the distance to
 * their k-th nearest sampled row, the row itself counting as its own nearest (at distance 0).
 * The device finds the k-th nearest row of each row a tile at a time (kthNearest); the distance
 * to it is then recomputed in float64 on the host from the float32 rows.
 *
 * Reference: scikit-learn `sklearn/cluster/_mean_shift.py` (`estimate_bandwidth`).
 */
import * as tf from '@tensorflow/tfjs-core';
import { withBackendFallback } from '../backend/fallback.js';
import { integer, number, optional, validateOptions, type ConstraintTable } from '../constraints.js';
import { kthNearest } from '../kernels/kthNearest/index.js';
import { disposeBlocks, uploadRows } from '../kernels/shared/tiling.js';
import { toMatrix, type MatrixF32, type MatrixLike } from '../matrix.js';
import { centerRows } from '../kernels/centerRows/index.js';
import { Random } from '../random.js';

export interface EstimateBandwidthOptions {
  /** Which nearest neighbour: k = ⌊quantile · m⌋ (at least 1), in [0, 1]. Default 0.3 (scikit-learn's). */
  quantile?: number;
  /**
   * Rows sampled (without replacement) to estimate from; default all rows, as scikit-learn. The
   * work is O(m²·d), so give a few thousand for large data. The sample is drawn by our own seeded
   * generator, so it is not the one numpy would draw.
   */
  nSamples?: number;
  /** Seed of the sample. Default 0. */
  seed?: number;
}

const FN = 'estimateBandwidth';

/**
 * Estimates a bandwidth for mean shift from `x` [n, d]. 0 when the k-th nearest neighbour of
 * every sampled row is a duplicate of it (all rows identical, or one row).
 * @example
 * const h = await estimateBandwidth([[0], [1], [2], [10]], { quantile: 0.5 });
 * h; // 2.75: the 2nd nearest (self first) is at 1, 1, 1 and 8
 */
export async function estimateBandwidth(x: MatrixLike, options: EstimateBandwidthOptions = {}): Promise<number> {
  const quantile = options.quantile ?? 0.3;
  validateOptions(FN, { ...options, quantile }, BANDWIDTH_CONSTRAINTS);
  const m = toMatrix(x, FN);
  return withBackendFallback(FN, () => bandwidthOf(m, quantile, options.nSamples, options.seed ?? 0));
}

/** What each option may be (after quantile's default is merged); MeanShift checks them too. */
export const BANDWIDTH_CONSTRAINTS: ConstraintTable<EstimateBandwidthOptions> = {
  quantile: number({ min: 0, max: 1 }),
  nSamples: optional(integer({ min: 1 })),
  seed: optional(integer()),
};

/** estimateBandwidth on a validated matrix, on the current backend. */
export async function bandwidthOf(m: MatrixF32, quantile: number, nSamples: number | undefined, seed: number): Promise<number> {
  let rows = m;
  if (nSamples !== undefined && nSamples < m.rows) {
    const idx = new Random(seed).sample(m.rows, nSamples);
    const data = new Float32Array(nSamples * m.cols);
    idx.forEach((r, i) => data.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols));
    rows = { data, rows: nSamples, cols: m.cols };
  }
  const n = rows.rows;
  const d = rows.cols;
  const k = Math.max(1, Math.floor(n * quantile));
  // Centering changes no distance but keeps the float32 expansion from cancelling.
  const centered = centerRows(rows).centered;
  // A block of b query rows holds b×n distances plus the top-k: about 3n floats per row.
  const blocks = uploadRows(centered, 3 * n);
  const columns = blocks.map((b) => b.x);
  let total = 0;
  try {
    for (const block of blocks) {
      const { indices, sqDistances } = kthNearest(block.x, columns, k);
      const idx = await indices.data();
      tf.dispose([indices, sqDistances]);
      for (let i = 0; i < idx.length; i++) {
        const a = (block.start + i) * d;
        const b = idx[i] * d;
        let s = 0;
        for (let j = 0; j < d; j++) s += (rows.data[a + j] - rows.data[b + j]) ** 2;
        total += Math.sqrt(s);
      }
    }
  } finally {
    disposeBlocks(blocks);
  }
  return total / n;
}
