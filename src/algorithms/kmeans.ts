// SPDX-License-Identifier: MIT
/**
 * K-means (Lloyd's algorithm) with k-means++ seeding, as scikit-learn 1.2 defines it: greedy
 * k-means++ with 2 + ⌊ln k⌋ candidates per step, tol relative to the mean feature variance,
 * stop when labels stop changing, empty clusters moved to the points farthest from their centers.
 * The device does the per-row work through kernels; this file owns the loop and the float64
 * bookkeeping on the host.
 *
 * Reference: Arthur & Vassilvitskii, "k-means++: the advantages of careful seeding" (2007);
 * scikit-learn `sklearn/cluster/_kmeans.py`.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from '../backend/backend.js';
import { withBackendFallback } from '../backend/fallback.js';
import { DataError, ParameterError, assertUnreachable } from '../errors.js';
import { assignNearest } from '../kernels/assignNearest.js';
import { addRuns } from '../kernels/clusterSums.js';
import { lloydStep } from '../kernels/lloydStep.js';
import { nearestTwo } from '../kernels/nearestTwo.js';
import { hartiganRefine } from './hartigan.js';
import { pairwiseSqDist } from '../kernels/pairwiseSqDist.js';
import { ranges, tileRows } from '../kernels/tiling.js';
import { toMatrix, toWeights, type Matrix, type MatrixF32, type MatrixLike } from '../matrix.js';
import { Random, randomSeed } from '../random.js';

export type KMeansInit = 'k-means++' | 'random';

export interface KMeansOptions {
  /** Number of clusters, 1 ≤ k ≤ n. */
  k: number;
  /** Seeding: 'k-means++' (default), 'random' (k distinct rows), or given centers [k, d]. */
  init?: KMeansInit | MatrixLike;
  /** Runs from different seeds; the lowest inertia wins. Default 10 (1 with given centers). */
  nInit?: number;
  /** Lloyd iterations per run. Default 300. */
  maxIter?: number;
  /** Stop when the summed squared center shift is ≤ tol × mean feature variance. Default 1e-4. */
  tol?: number;
  /** Makes a run reproducible on a given backend. Default: from the clock. */
  seed?: number;
  /** Rows per tile in the assignment kernel; default from the device's memory budget. */
  tileRows?: number;
  /**
   * After Lloyd's algorithm, move single rows between clusters while that lowers the inertia
   * (Hartigan's method: it escapes many of Lloyd's local minima and never raises the inertia).
   * Default true; false gives scikit-learn's algorithm exactly.
   */
  refine?: boolean;
  /** Receives warnings (not converged, backend fallback). Default console.warn. */
  onWarning?: (message: string) => void;
}

type Defaults = Required<Pick<KMeansOptions, 'init' | 'maxIter' | 'tol' | 'refine'>>;
const DEFAULTS: Defaults = { init: 'k-means++', maxIter: 300, tol: 1e-4, refine: true };

/** The nearest center of each row. */
export interface Prediction {
  labels: Int32Array;
  /** Squared Euclidean distance to the assigned center. */
  distances: Float32Array;
}

/** A fitted k-means model; immutable. */
export interface KMeansResult {
  /** [n] cluster of each training row. */
  readonly labels: Int32Array;
  /** [k, d] cluster centers. */
  readonly centroids: Matrix;
  /** Weighted sum of squared distances of the rows to their centers. */
  readonly inertia: number;
  /** Lloyd iterations of the best run. */
  readonly nIter: number;
  /** False when the best run stopped at maxIter. */
  readonly converged: boolean;
  /** Rows moved by the Hartigan refinement after Lloyd's iterations (0 when `refine` is off). */
  readonly refineMoves: number;
  /** The tfjs backend that computed it. */
  readonly backend: BackendName;
  /** The seed used, so a run can be repeated. */
  readonly seed: number;
  /** Assigns new rows [m, d] to the nearest center. */
  predict(x: MatrixLike): Promise<Prediction>;
}

const FN = 'kmeans';

/**
 * K-means clustering.
 * @example
 * const model = await new KMeans({ k: 2, seed: 1 }).fit([[0, 0], [0, 1], [9, 9], [9, 8]]);
 * model.labels; // Int32Array [0, 0, 1, 1] or [1, 1, 0, 0]
 */
export class KMeans {
  private readonly options: Defaults & KMeansOptions;

  constructor(options: KMeansOptions) {
    this.options = { ...DEFAULTS, ...options };
    validateOptions(this.options);
  }

  /**
   * Fits to `x` [n, d], with optional non-negative `sampleWeight` [n]. O(nInit · nIter · n·k·d).
   */
  async fit(x: MatrixLike, sampleWeight?: ArrayLike<number>): Promise<KMeansResult> {
    const m = toMatrix(x, FN);
    const o = this.options;
    if (o.k > m.rows) throw new ParameterError(FN, 'k', `k=${o.k} is more than the ${m.rows} rows given`);
    const weights = toWeights(sampleWeight, m.rows, FN);
    const given = typeof o.init === 'string' ? null : toMatrix(o.init, FN, 'init');
    if (given !== null && (given.rows !== o.k || given.cols !== m.cols)) {
      throw new ParameterError(FN, 'init', `init centers have shape [${given.rows}, ${given.cols}], expected [${o.k}, ${m.cols}]`);
    }
    const seed = o.seed ?? randomSeed();
    const nInit = given !== null ? 1 : (o.nInit ?? 10);
    const warn = o.onWarning ?? ((msg: string) => console.warn(`segments: ${msg}`));

    const best = await withBackendFallback(
      FN,
      () => fitOnDevice(m, weights, given, nInit, seed, o),
      warn,
    );
    if (!best.converged) {
      warn(`${FN}: did not converge in maxIter=${o.maxIter} iterations; raise maxIter or tol`);
    }
    return makeResult(best, seed);
  }
}

/** Function form of `new KMeans(options).fit(x, sampleWeight)`. */
export function kmeans(x: MatrixLike, options: KMeansOptions, sampleWeight?: ArrayLike<number>): Promise<KMeansResult> {
  return new KMeans(options).fit(x, sampleWeight);
}

interface RunResult {
  labels: Int32Array;
  centroids: Matrix;
  inertia: number;
  nIter: number;
  converged: boolean;
  refineMoves: number;
  backend: BackendName;
}

function validateOptions(o: Defaults & KMeansOptions): void {
  if (!Number.isInteger(o.k) || o.k < 1) throw new ParameterError(FN, 'k', `k=${o.k} must be an integer >= 1`);
  if (o.nInit !== undefined && (!Number.isInteger(o.nInit) || o.nInit < 1)) {
    throw new ParameterError(FN, 'nInit', `nInit=${o.nInit} must be an integer >= 1`);
  }
  if (!Number.isInteger(o.maxIter) || o.maxIter < 1) {
    throw new ParameterError(FN, 'maxIter', `maxIter=${o.maxIter} must be an integer >= 1`);
  }
  if (!Number.isFinite(o.tol) || o.tol < 0) throw new ParameterError(FN, 'tol', `tol=${o.tol} must be finite and >= 0`);
  if (o.seed !== undefined && !Number.isInteger(o.seed)) throw new ParameterError(FN, 'seed', `seed=${o.seed} must be an integer`);
  if (o.tileRows !== undefined && (!Number.isInteger(o.tileRows) || o.tileRows < 1)) {
    throw new ParameterError(FN, 'tileRows', `tileRows=${o.tileRows} must be an integer >= 1`);
  }
  if (typeof o.init === 'string' && o.init !== 'k-means++' && o.init !== 'random') {
    throw new ParameterError(FN, 'init', `init='${o.init}' must be 'k-means++', 'random' or a [k, d] matrix of centers`);
  }
}

async function fitOnDevice(
  m: MatrixF32,
  weights: Float32Array | null,
  given: Matrix | null,
  nInit: number,
  seed: number,
  o: Defaults & KMeansOptions,
): Promise<RunResult> {
  // Centering changes no distance but keeps ‖x‖² − 2x·c + ‖c‖² from cancelling in float32
  // (scikit-learn centers dense data too).
  const mean = columnMeans(m);
  const centered = subtractRow(m, mean);
  const xt = tf.tensor2d(centered.data, [m.rows, m.cols], 'float32');
  const wt = weights === null ? null : tf.tensor1d(weights, 'float32');
  try {
    const tolAbs = o.tol * meanVariance(centered);
    const rng = new Random(seed);
    const polish = (init: Float32Array): Promise<RunResult> =>
      lloyd(centered, xt, wt, weights, init, o.k, o.maxIter, tolAbs, o.tileRows).then((r) =>
        refine(r, centered, xt, weights, o.k, o.tileRows),
      );
    let best: RunResult | null = null;
    for (let run = 0; run < nInit; run++) {
      const runRng = new Random(rng.fork());
      const init =
        given !== null
          ? subtractRow(given, mean).data
          : await seedCenters(o.init as KMeansInit, centered, xt, weights, o.k, runRng, o.tileRows);
      let result = await lloyd(centered, xt, wt, weights, init, o.k, o.maxIter, tolAbs, o.tileRows);
      if (o.refine) {
        result = await refine(result, centered, xt, weights, o.k, o.tileRows);
        if (o.k >= 2) result = await swapSearch(result, centered, xt, weights, o.k, runRng, polish, o.tileRows);
      }
      if (best === null || result.inertia < best.inertia) best = result;
    }
    const c = (best as RunResult).centroids;
    for (let i = 0; i < c.data.length; i++) c.data[i] += mean[i % m.cols];
    return best as RunResult;
  } finally {
    xt.dispose();
    wt?.dispose();
  }
}

async function seedCenters(
  init: KMeansInit,
  m: MatrixF32,
  xt: tf.Tensor2D,
  weights: Float32Array | null,
  k: number,
  rng: Random,
  rows: number | undefined,
): Promise<Float32Array> {
  switch (init) {
    case 'random':
      return randomInit(m, weights, k, rng);
    case 'k-means++':
      return kmeansPlusPlus(m, xt, weights, k, rng, rows);
    default:
      return assertUnreachable(init);
  }
}

function randomInit(m: MatrixF32, weights: Float32Array | null, k: number, rng: Random): Float32Array {
  const d = m.cols;
  // Rows with zero weight cannot seed a cluster; there are at least k rows in all.
  const eligible: number[] = [];
  for (let i = 0; i < m.rows; i++) if (weights === null || weights[i] > 0) eligible.push(i);
  const pool = eligible.length >= k ? eligible : Array.from({ length: m.rows }, (_, i) => i);
  const picks = rng.sample(pool.length, k);
  const centers = new Float32Array(k * d);
  for (let c = 0; c < k; c++) centers.set(m.data.subarray(pool[picks[c]] * d, (pool[picks[c]] + 1) * d), c * d);
  return centers;
}

/**
 * Greedy k-means++ (scikit-learn's `_kmeans_plusplus`): each step draws 2 + ⌊ln k⌋ candidates
 * with probability proportional to weight × squared distance to the nearest chosen center, and
 * keeps the one that lowers the potential most. Distances come from the device; the cumulative
 * sums and potentials are float64 on the host.
 */
async function kmeansPlusPlus(
  m: MatrixF32,
  xt: tf.Tensor2D,
  weights: Float32Array | null,
  k: number,
  rng: Random,
  rows: number | undefined,
): Promise<Float32Array> {
  const { rows: n, cols: d } = m;
  const w = (i: number): number => (weights === null ? 1 : weights[i]);
  const centers = new Float32Array(k * d);
  const trials = 2 + Math.floor(Math.log(k));
  const cum = new Float64Array(n);

  let total = 0;
  for (let i = 0; i < n; i++) cum[i] = total += w(i);
  const first = searchSorted(cum, rng.next() * total);
  centers.set(m.data.subarray(first * d, (first + 1) * d), 0);
  let closest = Float64Array.from(await distancesTo(xt, m.data.slice(first * d, (first + 1) * d), 1, rows));
  let pot = 0;
  for (let i = 0; i < n; i++) pot += w(i) * closest[i];

  for (let c = 1; c < k; c++) {
    total = 0;
    for (let i = 0; i < n; i++) cum[i] = total += w(i) * closest[i];
    const candidates = new Int32Array(trials);
    for (let t = 0; t < trials; t++) candidates[t] = searchSorted(cum, rng.next() * pot);
    const candRows = new Float32Array(trials * d);
    for (let t = 0; t < trials; t++) candRows.set(m.data.subarray(candidates[t] * d, (candidates[t] + 1) * d), t * d);
    const dist = await distancesTo(xt, candRows, trials, rows); // [n, trials]
    let bestT = 0;
    let bestPot = Number.POSITIVE_INFINITY;
    for (let t = 0; t < trials; t++) {
      let p = 0;
      for (let i = 0; i < n; i++) p += w(i) * Math.min(closest[i], dist[i * trials + t]);
      if (p < bestPot) {
        bestPot = p;
        bestT = t;
      }
    }
    const next = new Float64Array(n);
    for (let i = 0; i < n; i++) next[i] = Math.min(closest[i], dist[i * trials + bestT]);
    closest = next;
    pot = bestPot;
    centers.set(candRows.subarray(bestT * d, (bestT + 1) * d), c * d);
  }
  return centers;
}

/** First index whose cumulative sum reaches r (numpy's searchsorted, side='left'), at most n-1. */
function searchSorted(cum: Float64Array, r: number): number {
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[mid] < r) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Squared distances [n, t] from every row of x to t points, computed on the device in tiles. */
async function distancesTo(xt: tf.Tensor2D, points: Float32Array, t: number, rows: number | undefined): Promise<Float32Array> {
  const [n, d] = xt.shape;
  const out = new Float32Array(n * t);
  const pt = tf.tensor2d(points, [t, d]);
  try {
    const step = rows ?? tileRows(2 * t + d, n);
    for (const [s, e] of ranges(n, step)) {
      const dist = tf.tidy(() => pairwiseSqDist(s === 0 && e === n ? xt : tf.slice(xt, [s, 0], [e - s, d]), pt));
      out.set(await dist.data(), s * t);
      dist.dispose();
    }
  } finally {
    pt.dispose();
  }
  return out;
}

/** Float64 mean of each column. */
function columnMeans(m: Matrix): Float64Array {
  const { rows: n, cols: d, data } = m;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += data[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  return mean;
}

/** A float32 copy of `m` with `row` subtracted from every row. */
function subtractRow(m: Matrix, row: Float64Array): MatrixF32 {
  const data = new Float32Array(m.data.length);
  for (let i = 0; i < data.length; i++) data[i] = m.data[i] - row[i % m.cols];
  return { data, rows: m.rows, cols: m.cols };
}

/** Population variance of each column, averaged: scikit-learn's scale for tol. */
function meanVariance(m: Matrix): number {
  const { rows: n, cols: d, data } = m;
  const mean = columnMeans(m);
  let total = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const dv = data[i * d + j] - mean[j];
      total += dv * dv;
    }
  }
  return total / (n * d);
}

/** One k-means run from `init` centers: Lloyd iterations until labels settle, tol, or maxIter. */
async function lloyd(
  m: MatrixF32,
  xt: tf.Tensor2D,
  wt: tf.Tensor1D | null,
  weights: Float32Array | null,
  init: Float32Array,
  k: number,
  maxIter: number,
  tolAbs: number,
  rows: number | undefined,
): Promise<RunResult> {
  const d = m.cols;
  let centers = init;
  let previous: tf.Tensor1D | null = null;
  let converged = false;
  let iter = 0;
  try {
    for (iter = 0; iter < maxIter; iter++) {
      const ct = tf.tensor2d(centers, [k, d]);
      const step = lloydStep(xt, ct, wt, { tileRows: rows });
      ct.dispose();
      const runs = step.counts.shape[0];
      const counts = addRuns(await step.counts.data(), runs);
      const sums = addRuns(await step.sums.data(), runs);
      const changed = previous === null ? -1 : await countChanged(step.labels, previous);
      if (counts.some((c) => c === 0)) {
        relocateEmpty(m, weights, await step.labels.data(), await step.distances.data(), counts, sums, k);
      }
      const next = new Float32Array(k * d);
      let shift = 0;
      for (let c = 0; c < k; c++) {
        for (let j = 0; j < d; j++) {
          const v = counts[c] > 0 ? sums[c * d + j] / counts[c] : centers[c * d + j];
          next[c * d + j] = v;
          shift += (v - centers[c * d + j]) ** 2;
        }
      }
      centers = next;
      previous?.dispose();
      previous = step.labels;
      tf.dispose([step.distances, step.counts, step.sums]);
      if (changed === 0 || shift <= tolAbs) {
        converged = true;
        break;
      }
    }
  } finally {
    previous?.dispose();
  }
  const nIter = Math.min(iter + 1, maxIter);
  const { labels, distances } = await assign(xt, centers, k, rows);
  let inertia = 0;
  for (let i = 0; i < m.rows; i++) inertia += (weights === null ? 1 : weights[i]) * distances[i];
  return {
    labels,
    centroids: { data: centers, rows: k, cols: d },
    inertia,
    nIter,
    converged,
    refineMoves: 0,
    backend: tf.getBackend() as BackendName,
  };
}

/**
 * Swap local search (after Kanungo et al., "A local search approximation algorithm for k-means
 * clustering", 2004): remove the center whose rows lose least by moving to their second-nearest
 * center, put a new center on a row drawn in proportion to its weighted squared distance to the
 * remaining centers (as k-means++ would), polish, and keep the result when the inertia falls.
 * After a failed trial the next-cheapest center is tried; stops after 2k trials in a row fail.
 */
async function swapSearch(
  start: RunResult,
  m: MatrixF32,
  xt: tf.Tensor2D,
  weights: Float32Array | null,
  k: number,
  rng: Random,
  polish: (init: Float32Array) => Promise<RunResult>,
  rows: number | undefined,
): Promise<RunResult> {
  const { rows: n, cols: d } = m;
  let best = start;
  let failures = 0;
  let swaps = 0;
  const cum = new Float64Array(n);
  while (failures < 2 * k) {
    const ct = tf.tensor2d(Float32Array.from(best.centroids.data), [k, d]);
    const two = nearestTwo(xt, ct, { tileRows: rows });
    ct.dispose();
    const idx = await two.indices.data();
    const dist = await two.distances.data();
    tf.dispose([two.indices, two.distances]);
    const loss = new Float64Array(k);
    for (let i = 0; i < n; i++) loss[idx[2 * i]] += (weights === null ? 1 : weights[i]) * (dist[2 * i + 1] - dist[2 * i]);
    // The cheapest center to remove first; after each failed trial, the next cheapest.
    const order = Array.from({ length: k }, (_, c) => c).sort((a, b) => loss[a] - loss[b]);
    const drop = order[failures % k];
    let total = 0;
    for (let i = 0; i < n; i++) {
      const far = idx[2 * i] === drop ? dist[2 * i + 1] : dist[2 * i];
      cum[i] = total += (weights === null ? 1 : weights[i]) * far;
    }
    if (total <= 0) break; // every row sits on a center: nothing to gain
    const row = searchSorted(cum, rng.next() * total);
    const init = Float32Array.from(best.centroids.data);
    init.set(m.data.subarray(row * d, (row + 1) * d), drop * d);
    const trial = await polish(init);
    if (trial.inertia < best.inertia * (1 - 1e-9)) {
      best = { ...trial, nIter: best.nIter, converged: best.converged, refineMoves: best.refineMoves + trial.refineMoves + 1 };
      swaps++;
      failures = 0;
    } else {
      failures++;
    }
  }
  return best;
}

/** Hartigan moves from a Lloyd result, then a device pass for labels and distances. */
async function refine(
  run: RunResult,
  m: MatrixF32,
  xt: tf.Tensor2D,
  weights: Float32Array | null,
  k: number,
  rows: number | undefined,
): Promise<RunResult> {
  const labels = Int32Array.from(run.labels);
  const centers = weightedMeans(m, weights, labels, k, run.centroids.data);
  const { moves } = hartiganRefine(m, weights, labels, centers, k);
  if (moves === 0) return run;
  // Incremental center updates drift: recompute them from the final labels.
  const exact = Float32Array.from(weightedMeans(m, weights, labels, k, run.centroids.data));
  const assigned = await assign(xt, exact, k, rows);
  let inertia = 0;
  for (let i = 0; i < m.rows; i++) inertia += (weights === null ? 1 : weights[i]) * assigned.distances[i];
  return { ...run, labels: assigned.labels, centroids: { data: exact, rows: k, cols: m.cols }, inertia, refineMoves: moves };
}

/** Float64 weighted mean of each cluster's rows; `fallback` where a cluster has no weight. */
function weightedMeans(m: MatrixF32, weights: Float32Array | null, labels: Int32Array, k: number, fallback: ArrayLike<number>): Float64Array {
  const d = m.cols;
  const sums = new Float64Array(k * d);
  const mass = new Float64Array(k);
  for (let i = 0; i < m.rows; i++) {
    const w = weights === null ? 1 : weights[i];
    const c = labels[i];
    mass[c] += w;
    for (let j = 0; j < d; j++) sums[c * d + j] += w * m.data[i * d + j];
  }
  for (let c = 0; c < k; c++) {
    for (let j = 0; j < d; j++) sums[c * d + j] = mass[c] > 0 ? sums[c * d + j] / mass[c] : fallback[c * d + j];
  }
  return sums;
}

async function countChanged(labels: tf.Tensor1D, previous: tf.Tensor1D): Promise<number> {
  const changed = tf.tidy(() => tf.sum(tf.cast(tf.notEqual(labels, previous), 'int32')));
  const value = (await changed.data())[0];
  changed.dispose();
  return value;
}

/**
 * scikit-learn's `_relocate_empty_clusters`: each empty cluster takes the row farthest from its
 * current center (in decreasing order of distance), which leaves its old cluster.
 */
function relocateEmpty(
  m: MatrixF32,
  weights: Float32Array | null,
  labels: ArrayLike<number>,
  distances: ArrayLike<number>,
  counts: Float64Array,
  sums: Float64Array,
  k: number,
): void {
  const d = m.cols;
  const empty: number[] = [];
  for (let c = 0; c < k; c++) if (counts[c] === 0) empty.push(c);
  const order = Array.from({ length: m.rows }, (_, i) => i);
  order.sort((a, b) => distances[b] - distances[a] || a - b);
  for (let e = 0; e < empty.length && e < order.length; e++) {
    const row = order[e];
    const w = weights === null ? 1 : weights[row];
    const from = labels[row];
    const to = empty[e];
    for (let j = 0; j < d; j++) {
      const v = m.data[row * d + j] * w;
      sums[from * d + j] -= v;
      sums[to * d + j] = v;
    }
    counts[to] = w;
    counts[from] -= w;
  }
}

async function assign(
  xt: tf.Tensor2D,
  centers: Float32Array,
  k: number,
  rows: number | undefined,
): Promise<Prediction> {
  const ct = tf.tensor2d(centers, [k, xt.shape[1]]);
  const { labels, distances } = assignNearest(xt, ct, { tileRows: rows });
  ct.dispose();
  const out = { labels: Int32Array.from(await labels.data()), distances: Float32Array.from(await distances.data()) };
  tf.dispose([labels, distances]);
  return out;
}

function makeResult(best: RunResult, seed: number): KMeansResult {
  const { centroids } = best;
  return Object.freeze({
    ...best,
    seed,
    async predict(x: MatrixLike): Promise<Prediction> {
      const q = toMatrix(x, 'kmeans.predict');
      if (q.cols !== centroids.cols) {
        throw new DataError('kmeans.predict', 'X', `X has ${q.cols} columns, the model was fitted on ${centroids.cols}`);
      }
      const qt = tf.tensor2d(q.data, [q.rows, q.cols]);
      try {
        return await assign(qt, centroids.data as Float32Array, centroids.rows, undefined);
      } finally {
        qt.dispose();
      }
    },
  });
}
