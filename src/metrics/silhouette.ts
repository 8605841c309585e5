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
import { centerRows } from '../kernels/centerRows/index.js';
import { silhouetteSums } from '../kernels/silhouetteSums/index.js';
import { silhouetteSumsMulti } from '../kernels/silhouetteSumsMulti/index.js';
import { silhouetteTile } from '../kernels/silhouetteTile/index.js';
import { disposeBlocks, ranges, uploadPerRow, uploadRows } from '../kernels/shared/tiling.js';
import { selectRows, toLabels, toMatrix, type MatrixF32, type MatrixLike } from '../matrix.js';
import { Random, randomSeed } from '../random.js';
import { checkLabelCount, checkSampleSize, labeledData, type LabeledData } from './clusterStats.js';

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
  checkLabelCount(k, m.rows, FN);
  checkSampleSize(options.sampleSize, m.rows, FN);
  // Sample first: centering all n rows only to score a few thousand cost seconds at 10^6.
  const { rows, picked } = scoredRows(m, options);
  const scored = labeledData(picked, picked === m ? codes : Array.from(rows, (r) => codes[r]), FN);
  return withBackendFallback(FN, async () => {
    const samples = await silhouetteValues(scored, options);
    return { score: meanOf(samples), samples, rows, backend: tf.getBackend() as BackendName };
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
  const counts = clusterCounts(codes, k);
  const block = options.blockRows ?? Math.min(n, 2048);
  const columns = uploadRows(x, 3 * block + k, options.colTile);
  const labels = uploadPerRow(codes, columns, 'int32');
  const labeled = columns.map((c, i) => ({ x: c.x, labels: labels[i] }));
  const out = new Float64Array(n);
  const score = (i: number, dist: ArrayLike<number>, row: number): void => void (out[i] = rowSilhouette(codes[i], counts, dist, row));
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

/** The mean of the rows' silhouettes, summed in row order. */
function meanOf(samples: Float64Array): number {
  let total = 0;
  for (const v of samples) total += v;
  return total / samples.length;
}

/** Rows per cluster, as float64. */
function clusterCounts(codes: Int32Array, k: number): Float64Array {
  const counts = new Float64Array(k);
  for (const c of codes) counts[c]++;
  return counts;
}

/**
 * s(i) of a row of cluster `own` from its per-cluster distance sums dist[row .. row + k)
 * (k = counts.length): 0 for a singleton (scikit-learn's convention).
 */
function rowSilhouette(own: number, counts: Float64Array, dist: ArrayLike<number>, row: number): number {
  if (counts[own] <= 1) return 0;
  const a = dist[row + own] / (counts[own] - 1);
  let b = Number.POSITIVE_INFINITY;
  for (let c = 0; c < counts.length; c++) {
    if (c !== own && counts[c] > 0) b = Math.min(b, dist[row + c] / counts[c]);
  }
  const denom = Math.max(a, b);
  return denom > 0 ? (b - a) / denom : 0;
}

/**
 * The rows a silhouette scores: all of `m`, or `options.sampleSize` of them drawn with
 * `options.seed`; their indices, and the rows themselves (`m` itself when all are scored).
 */
function scoredRows(m: MatrixF32, options: Pick<SilhouetteOptions, 'sampleSize' | 'seed'>): { rows: Int32Array; picked: MatrixF32 } {
  const sampleSize = options.sampleSize ?? m.rows;
  if (sampleSize >= m.rows) return { rows: Int32Array.from({ length: m.rows }, (_, i) => i), picked: m };
  const rows = new Random(options.seed ?? randomSeed()).sample(m.rows, sampleSize);
  return { rows, picked: selectRows(m, rows) };
}

/** Options of `silhouettes`: those of `silhouette` that apply to all labelings at once. */
export type SilhouettesOptions = Pick<SilhouetteOptions, 'sampleSize' | 'seed' | 'blockRows'>;

/**
 * The silhouette of several labelings of the same rows `x` [n, d] (e.g. one clustering per k),
 * each as `silhouette(x, labelings[s], options)` would give it (the same sampled rows for a given
 * seed, the same checks and errors), with every pair's distance computed once for all labelings
 * (the silhouetteSumsMulti kernel) rather than once per labeling. O(t²·(d + S)) work for t scored
 * rows and S labelings, O(t·(d + Σ k)) memory, never t×t; the scores agree with `silhouette`'s
 * to float32 rounding (the two kernels add the same distances in other orders).
 * @example
 * const r = await silhouettes([[0, 0], [0, 1], [5, 5], [5, 6]], [[0, 0, 1, 1], [0, 1, 1, 1]]);
 * r.map((s) => s.score); // [0.8585857, 0.0270637]: as silhouette() of each labeling (scikit-learn: 0.8585857, 0.0270637)
 */
export async function silhouettes(x: MatrixLike, labelings: ReadonlyArray<ArrayLike<number>>, options: SilhouettesOptions = {}): Promise<SilhouetteResult[]> {
  validateOptions(FN, options, CONSTRAINTS);
  const m = toMatrix(x, FN);
  checkSampleSize(options.sampleSize, m.rows, FN);
  let scored = labelings.map((labels) => {
    const coded = toLabels(labels, m.rows, FN);
    checkLabelCount(coded.k, m.rows, FN);
    return coded;
  });
  const { rows, picked } = scoredRows(m, options);
  if (picked !== m) {
    // Each labeling's codes on the sampled rows, as silhouette() makes them (a sample may lack a cluster).
    scored = scored.map(({ codes }) => toLabels(Array.from(rows, (r) => codes[r]), rows.length, FN));
    for (const { k } of scored) checkLabelCount(k, rows.length, FN);
  }
  if (scored.length === 0) return [];
  const ks = scored.map((l) => l.k);
  const width = ks.reduce((a, b) => a + b, 0);
  const S = scored.length;
  const n = rows.length;
  if (n * width > SUMS_MAX_ENTRIES) {
    // Past the kernel's output budget: one labeling at a time, through silhouette's own path.
    const results: SilhouetteResult[] = [];
    for (const labels of labelings) results.push(await silhouette(x, labels, options));
    return results;
  }
  const { centered } = centerRows(picked);
  const interleaved = new Int32Array(n * S);
  scored.forEach(({ codes }, s) => codes.forEach((c, i) => (interleaved[i * S + s] = c)));
  return withBackendFallback(FN, async () => {
    const blocks = uploadRows(centered, 3 * Math.min(n, options.blockRows ?? 2048) + width, options.blockRows);
    const labels = blocks.map((b) => tf.tensor2d(interleaved.subarray(b.start * S, (b.start + b.x.shape[0]) * S), [b.x.shape[0], S], 'int32'));
    let dist: Float32Array;
    try {
      const sums = silhouetteSumsMulti(
        blocks.map((b, i) => ({ x: b.x, labels: labels[i] })),
        ks,
      );
      dist = (await sums.data()) as Float32Array;
      sums.dispose();
    } finally {
      disposeBlocks(blocks);
      tf.dispose(labels);
    }
    const backend = tf.getBackend() as BackendName;
    let offset = 0;
    return scored.map(({ codes, k }) => {
      const counts = clusterCounts(codes, k);
      const samples = Float64Array.from(codes, (own, i) => rowSilhouette(own, counts, dist, i * width + offset));
      offset += k;
      return { score: meanOf(samples), samples, rows, backend };
    });
  });
}
