// SPDX-License-Identifier: MIT
/**
 * Help with DBSCAN's eps: the sorted k-distance curve (Ester, Kriegel, Sander & Xu, KDD 1996,
 * section 4.2; Schubert et al., "DBSCAN revisited", TODS 2017) and its knee. For each row of a
 * seeded sample, the distance to its k-th nearest row of the whole data, k = minSamples and the
 * row counting as its own nearest at distance 0, as DBSCAN counts it: a row whose k-distance is
 * at most eps is exactly a core row. Sorted ascending, the curve is flat over the rows inside
 * dense regions and climbs steeply at the sparse ones; the suggested eps is the k-distance at the
 * knee, found by Kneedle (kneedle.ts, convex increasing), so that the rows left of it are core.
 *
 * Neighbours come from the knn kernel (a running top-k over row blocks, never n×n), and each
 * k-th neighbour's distance is recomputed in float64 on the host from the float32 rows.
 */
import * as tf from '@tensorflow/tfjs-core';
import { withBackendFallback } from '../backend/fallback.js';
import { integer, optional, validateOptions, type ConstraintTable } from '../constraints.js';
import { DataError } from '../errors.js';
import { knn } from '../kernels/knn/index.js';
import { disposeBlocks, tileRows, uploadRows } from '../kernels/shared/tiling.js';
import { selectRows, toMatrix, type MatrixF32, type MatrixLike } from '../matrix.js';
import { centerRows } from '../kernels/centerRows/index.js';
import { Random } from '../random.js';
import { kneedle } from './kneedle.js';

export interface KDistanceOptions {
  /** k: DBSCAN's minSamples (the row itself included), integer ≥ 1. Default 5 (DBSCAN's default). */
  minSamples?: number;
  /** Rows whose k-distance is computed (a seeded uniform sample; all rows when fewer). Default {@link defaultSampleRows}. */
  sampleRows?: number;
  /** Seed of the sample. Default 0. */
  seed?: number;
}

/** The sorted k-distance curve of a sample of rows, and the eps at its knee. */
export interface KDistanceCurve {
  /** k = minSamples. */
  k: number;
  /** [sampledRows] ascending: each sampled row's distance to its k-th nearest row of all rows (itself first). */
  distances: Float64Array;
  /** Rows in the sample (the curve's length). */
  sampledRows: number;
  /** Rows of the data the neighbours were searched in. */
  totalRows: number;
  /** Index in `distances` of the knee (Kneedle), or null when the curve has none (flat, straight, or under 3 points). */
  kneeIndex: number | null;
  /** The suggested eps: `distances[kneeIndex]`, or null without a knee. */
  eps: number | null;
}

const FN = 'kDistanceCurve';

/** Sampled rows × rows searched, at most, for the default sample: 5·10^7 distances. */
const DEFAULT_PAIRS = 5e7;

/**
 * The default sample of kDistanceCurve for n rows: 1,000, or fewer for large n so that the
 * distances computed (sample × n) stay under 5·10^7, but at least 200 (a knee needs points).
 * Measured on wasm, 2 loaded cores (load 13): 1,000 sampled rows of 2·10^5 × 16 took 20 s.
 * @example
 * defaultSampleRows(10_000); // 1000
 * defaultSampleRows(200_000); // 250
 * defaultSampleRows(1_000_000); // 200
 */
export function defaultSampleRows(n: number): number {
  return Math.max(200, Math.min(1000, Math.floor(DEFAULT_PAIRS / Math.max(1, n))));
}
const CONSTRAINTS: ConstraintTable<KDistanceOptions> = {
  minSamples: optional(integer({ min: 1 })),
  sampleRows: optional(integer({ min: 1 })),
  seed: optional(integer()),
};

/**
 * The sorted k-distance curve of `x` [n, d] on a seeded sample of at most `sampleRows` rows
 * (the neighbours searched among all n rows) and its knee, the suggested DBSCAN eps. O(s·n·d)
 * for s sampled rows, on the current tfjs backend; memory one tile of distances.
 * @throws DataError when minSamples is more than the rows given.
 * @example
 * // Two tight pairs and a far row: the 2nd nearest (self first) is at 1, 1, 1, 1 and 10.
 * const c = await kDistanceCurve([[0], [1], [10], [11], [21]], { minSamples: 2 });
 * Array.from(c.distances); // [1, 1, 1, 1, 10]
 */
export async function kDistanceCurve(x: MatrixLike, options: KDistanceOptions = {}): Promise<KDistanceCurve> {
  validateOptions(FN, options, CONSTRAINTS);
  const m = toMatrix(x, FN);
  const k = options.minSamples ?? 5;
  if (k > m.rows) throw new DataError(FN, 'minSamples', `minSamples=${k} is more than the ${m.rows} rows given`);
  const size = Math.min(m.rows, options.sampleRows ?? defaultSampleRows(m.rows));
  const rows = size === m.rows ? Int32Array.from({ length: m.rows }, (_, i) => i) : new Random(options.seed ?? 0).sample(m.rows, size).sort();
  const distances = await withBackendFallback(FN, () => kthDistances(m, rows, k));
  distances.sort();
  return { k, distances, sampledRows: size, totalRows: m.rows, ...kneeOf(distances) };
}

/**
 * The knee of an ascending k-distance curve: Kneedle (convex, increasing, sensitivity 1) on
 * (rank, distance). O(s).
 * @example
 * // Flat, then a sharp climb: the knee is the last flat point.
 * kneeOf([1, 1.1, 1.2, 1.3, 1.4, 5, 10]); // { kneeIndex: 4, eps: 1.4 }
 */
export function kneeOf(sorted: ArrayLike<number>): { kneeIndex: number | null; eps: number | null } {
  const ranks = Float64Array.from({ length: sorted.length }, (_, i) => i);
  const { kneeIndex } = kneedle(ranks, sorted, { curve: 'convex', direction: 'increasing' });
  return kneeIndex === null ? { kneeIndex: null, eps: null } : { kneeIndex, eps: sorted[kneeIndex] };
}

/** For each row in `rows`, the float64 distance to its k-th nearest row of `m` (itself first). */
async function kthDistances(m: MatrixF32, rows: Int32Array, k: number): Promise<Float64Array> {
  const d = m.cols;
  // Centering changes no distance but keeps the float32 expansion from cancelling.
  const centered = centerRows(m).centered;
  const queryTile = Math.min(rows.length, 256);
  // Each column row holds a query tile's distances, its top-k and their merge.
  const columns = uploadRows(centered, 3 * queryTile + k, tileRows(3 * queryTile + k, m.rows));
  const queries = uploadRows(selectRows(centered, rows), 0, queryTile);
  const out = new Float64Array(rows.length);
  try {
    for (const q of queries) {
      const { indices, sqDistances } = knn(q.x, columns, k);
      const idx = await indices.data();
      tf.dispose([indices, sqDistances]);
      const b = q.x.shape[0];
      for (let i = 0; i < b; i++) {
        const a = rows[q.start + i] * d;
        const c = idx[i * k + k - 1] * d;
        let s = 0;
        for (let j = 0; j < d; j++) s += (m.data[a + j] - m.data[c + j]) ** 2;
        out[q.start + i] = Math.sqrt(s);
      }
    }
  } finally {
    disposeBlocks(columns);
    disposeBlocks(queries);
  }
  return out;
}
