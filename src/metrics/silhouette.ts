// SPDX-License-Identifier: MIT
/**
 * Silhouette coefficient (Rousseeuw 1987), exact and memory bounded: the per-cluster distance
 * sums of every row come from the silhouetteSums kernel where the backend has a fast one (wasm:
 * each pair's distance computed once; O(n·k) memory), else rows are processed in blocks, and for
 * each block the silhouetteTile kernel streams over column tiles (O(block × tile) memory); no n×n
 * matrix ever exists. s(i) = (b − a) / max(a, b), with a the mean distance to the other members
 * of i's cluster and b the smallest mean distance to another cluster; s = 0 for a row alone in
 * its cluster (scikit-learn's convention). O(n²·d) work.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from '../backend/backend.js';
import { withBackendFallback } from '../backend/fallback.js';
import { integer, optional, validateOptions, type ConstraintTable } from '../constraints.js';
import { DataError } from '../errors.js';
import { silhouetteSums } from '../kernels/silhouetteSums/index.js';
import { silhouetteTile } from '../kernels/silhouetteTile/index.js';
import { disposeBlocks, ranges, uploadPerRow, uploadRows } from '../kernels/shared/tiling.js';
import { selectRows, toLabels, toMatrix, type MatrixLike } from '../matrix.js';
import { Random, randomSeed } from '../random.js';
import { checkSampleSize, labeledData, type LabeledData } from './clusterStats.js';

export interface SilhouetteOptions {
  /** Score a random subset of this many rows (both as points and as the reference set), as
   * scikit-learn's `sample_size`. Default: all rows, exactly. */
  sampleSize?: number;
  /** Seed for the sample. Default: from the clock. */
  seed?: number;
  /** Rows per block; default min(n, 2048). */
  blockRows?: number;
  /** Reference rows per streamed column block; default from the device's memory budget. */
  colTile?: number;
}

export interface SilhouetteResult {
  /** Mean silhouette over the scored rows. */
  score: number;
  /** Silhouette of each scored row, in the order of `rows`. */
  samples: Float64Array;
  /** Indices of the scored rows: all rows, or the sample. */
  rows: Int32Array;
  backend: BackendName;
}

const FN = 'silhouette';
/** What each option may be; sampleSize ≤ n is checked once the rows are known. */
const CONSTRAINTS: ConstraintTable<SilhouetteOptions> = {
  sampleSize: optional(integer({ min: 2 })),
  seed: optional(integer()),
  blockRows: optional(integer({ min: 1 })),
  colTile: optional(integer({ min: 1 })),
};

/**
 * Silhouette of every row (or of a sample) and their mean.
 * @example
 * const { score } = await silhouette([[0, 0], [0, 1], [5, 5], [5, 6]], [0, 0, 1, 1]);
 * score; // 0.8585857: in float32 (scikit-learn's float64: 0.8585856960)
 */
export async function silhouette(x: MatrixLike, labels: ArrayLike<number>, options: SilhouetteOptions = {}): Promise<SilhouetteResult> {
  validateOptions(FN, options, CONSTRAINTS);
  const m = toMatrix(x, FN);
  const { codes, k } = toLabels(labels, m.rows, FN);
  if (k < 2 || k > m.rows - 1) {
    throw new DataError(FN, 'labels', `there are ${k} distinct labels for ${m.rows} rows; valid values are 2 to n - 1 (${m.rows - 1})`);
  }
  checkSampleSize(options.sampleSize, m.rows, FN);
  let rows: Int32Array;
  const sampleSize = options.sampleSize ?? m.rows;
  const sampled = sampleSize < m.rows;
  let scored: LabeledData;
  if (sampled) {
    // Sample first: centering all n rows only to score a few thousand cost seconds at 10^6.
    rows = new Random(options.seed ?? randomSeed()).sample(m.rows, sampleSize);
    scored = labeledData(selectRows(m, rows), Array.from(rows, (r) => codes[r]), FN);
  } else {
    rows = Int32Array.from({ length: m.rows }, (_, i) => i);
    scored = labeledData(m, codes, FN);
  }
  return withBackendFallback(FN, async () => {
    const samples = await silhouetteValues(scored, options);
    let total = 0;
    for (const s of samples) total += s;
    return { score: total / samples.length, samples, rows, backend: tf.getBackend() as BackendName };
  });
}

/** Mean silhouette; sugar over `silhouette`. Like scikit-learn's `silhouette_score`. */
export async function silhouetteScore(x: MatrixLike, labels: ArrayLike<number>, options: SilhouetteOptions = {}): Promise<number> {
  return (await silhouette(x, labels, options)).score;
}

/** Silhouette of each row, exact. Like scikit-learn's `silhouette_samples`. */
export async function silhouetteSamples(x: MatrixLike, labels: ArrayLike<number>): Promise<Float64Array> {
  return (await silhouette(x, labels)).samples;
}

/**
 * Most [n, k] entries for which an exact score takes the symmetric `silhouetteSums` path: its
 * output is [n, k] (f64 inside the wasm kernel, f32 read back), 384 MB at this limit.
 */
const SUMS_MAX_ENTRIES = 2 ** 25;

async function silhouetteValues(data: LabeledData, options: SilhouetteOptions): Promise<Float64Array> {
  const { x, codes, k } = data;
  const { rows: n, cols: d } = x;
  const counts = new Float64Array(k);
  for (const c of codes) counts[c]++;
  const block = options.blockRows ?? Math.min(n, 2048);
  const columns = uploadRows(x, 3 * block + k, options.colTile);
  const labels = uploadPerRow(codes, columns, 'int32');
  const labeled = columns.map((c, i) => ({ x: c.x, labels: labels[i] }));
  const out = new Float64Array(n);
  /** s(i) from the row's per-cluster distance sums dist[row .. row + k). */
  const score = (i: number, dist: ArrayLike<number>, row: number): void => {
    const own = codes[i];
    if (counts[own] <= 1) return; // a singleton's silhouette is 0
    const a = dist[row + own] / (counts[own] - 1);
    let b = Number.POSITIVE_INFINITY;
    for (let c = 0; c < k; c++) {
      if (c !== own && counts[c] > 0) b = Math.min(b, dist[row + c] / counts[c]);
    }
    const denom = Math.max(a, b);
    out[i] = denom > 0 ? (b - a) / denom : 0;
  };
  try {
    // Where a backend has a fast silhouetteSums (each pair's distance once, for both rows), the
    // score of all rows (or of the sample, which is scored as a table of its own) is one call;
    // elsewhere row blocks stream through silhouetteTile (each distance twice, O(block·k)
    // output at a time).
    if (silhouetteSums.implementationFor() !== 'portable' && n * k <= SUMS_MAX_ENTRIES) {
      const sums = silhouetteSums(labeled, k);
      const dist = await sums.data();
      sums.dispose();
      for (let i = 0; i < n; i++) score(i, dist, i * k);
      return out;
    }
    for (const [s, e] of ranges(n, block)) {
      const sums = tf.tidy(() => silhouetteTile(tf.tensor2d(x.data.subarray(s * d, e * d), [e - s, d]), labeled, k));
      const dist = await sums.data();
      sums.dispose();
      for (let i = s; i < e; i++) score(i, dist, (i - s) * k);
    }
  } finally {
    disposeBlocks(columns);
    tf.dispose(labels);
  }
  return out;
}
