// SPDX-License-Identifier: MIT
/**
 * K-means (Lloyd's algorithm) with k-means++ seeding, as scikit-learn 1.2 defines it: greedy
 * k-means++ with 2 + ⌊ln k⌋ candidates per step, tol relative to the mean feature variance,
 * stop when labels stop changing, empty clusters moved to the points farthest from their centers.
 * With `refine` (the default), each run then goes on to lower minima by Hartigan's moves and a
 * swap local search (kmeansRefine.ts). The device does the per-row work through kernels
 * (kmeansLloyd.ts); this file validates, seeds and picks the best run.
 *
 * Reference: Arthur & Vassilvitskii, "k-means++: the advantages of careful seeding" (2007);
 * scikit-learn `sklearn/cluster/_kmeans.py`.
 */
import type { BackendName } from '../backend/backend.js';
import { withBackendFallback } from '../backend/fallback.js';
import { DataError, ParameterError, assertUnreachable } from '../errors.js';
import { centerColumns, subtractRow, toMatrix, toWeights, type Matrix, type MatrixF32, type MatrixLike } from '../matrix.js';
import { Random, randomSeed } from '../random.js';
import { kmeansPlusPlus, randomInit } from './kmeansInit.js';
import { assign, disposeData, lloyd, uploadData, type DeviceData, type Prediction, type RunResult } from './kmeansLloyd.js';
import { RefineBudget, hartigan, swapSearch } from './kmeansRefine.js';

export type { Prediction } from './kmeansLloyd.js';

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
  /**
   * Most work the refinement may do, in row visits (rows × passes over the data): Hartigan's
   * passes, the swap search's passes and its Lloyd polishing all count. Default: the larger of
   * 2·10^7 and the row visits of the Lloyd runs before it: effectively unlimited below about
   * 10^5 rows, about 20 passes at 10^6 (measured, d = 16, k = 8: 3 s of fit, then 4 s of refinement on
   * the wasm backend, where it took 130 s unbounded).
   * Counting work, not time, keeps a seeded fit reproducible. `refineStopped` says whether the
   * budget cut it short.
   */
  refineBudget?: number;
  /** Receives warnings (not converged, backend fallback). Default console.warn. */
  onWarning?: (message: string) => void;
}

type Defaults = Required<Pick<KMeansOptions, 'init' | 'maxIter' | 'tol' | 'refine'>>;
const DEFAULTS: Defaults = { init: 'k-means++', maxIter: 300, tol: 1e-4, refine: true };

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
  /**
   * How the refinement ended: 'done' (no move or swap lowers the inertia any more), 'budget'
   * (refineBudget was spent first: a lower minimum may exist) or 'off' (refine: false).
   */
  readonly refineStopped: 'done' | 'budget' | 'off';
  /** The tfjs backend that computed it. */
  readonly backend: BackendName;
  /** The seed used, so a run can be repeated. */
  readonly seed: number;
  /** Assigns new rows [m, d] to the nearest center. */
  predict(x: MatrixLike): Promise<Prediction>;
}

const FN = 'kmeans';

/** Row visits the refinement may always spend (see KMeansOptions.refineBudget). */
const DEFAULT_REFINE_BUDGET = 2e7;

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
    // Read only: centering (fitOnDevice) makes the copy the fit works on.
    const m = toMatrix(x, FN, 'X', { copy: false });
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
  if (o.refineBudget !== undefined && !(o.refineBudget >= 0)) {
    throw new ParameterError(FN, 'refineBudget', `refineBudget=${o.refineBudget} must be a number >= 0 (row visits)`);
  }
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
): Promise<RunResult & { refineStopped: KMeansResult['refineStopped'] }> {
  // Centering changes no distance but keeps ‖x‖² − 2x·c + ‖c‖² from cancelling in float32
  // (scikit-learn centers dense data too).
  const { centered, mean, meanVariance } = centerColumns(m);
  const data = uploadData(centered, weights, o.k, o.tileRows);
  try {
    const tolAbs = o.tol * meanVariance;
    const rng = new Random(seed);
    const n = m.rows;
    const lloydRuns: RunResult[] = [];
    for (let run = 0; run < nInit; run++) {
      const runRng = new Random(rng.fork());
      const init = given !== null ? subtractRow(given, mean).data : await seedCenters(o.init as KMeansInit, data, o.k, runRng);
      lloydRuns.push(await lloyd(data, init, o.k, o.maxIter, tolAbs));
    }
    const lloydVisits = lloydRuns.reduce((sum, r) => sum + r.nIter * n, 0);
    const budget = new RefineBudget(o.refineBudget ?? Math.max(DEFAULT_REFINE_BUDGET, lloydVisits));
    let best: RunResult | null = null;
    for (const run of lloydRuns) {
      const result = o.refine ? await hartigan(run, data, o.k, budget) : run;
      if (best === null || result.inertia < best.inertia) best = result;
    }
    const polish = async (init: Float32Array): Promise<RunResult> => {
      const maxIter = Math.max(1, budget.passes(n, o.maxIter));
      const run = await lloyd(data, init, o.k, maxIter, tolAbs);
      budget.spend(run.nIter * n);
      return hartigan(run, data, o.k, budget);
    };
    if (o.refine && o.k >= 2) best = await swapSearch(best as RunResult, data, o.k, rng, polish, budget);
    const c = (best as RunResult).centroids;
    for (let i = 0; i < c.data.length; i++) c.data[i] += mean[i % m.cols];
    const refineStopped = !o.refine ? 'off' : budget.exhausted ? 'budget' : 'done';
    return { ...(best as RunResult), refineStopped };
  } finally {
    disposeData(data);
  }
}

function seedCenters(init: KMeansInit, data: DeviceData, k: number, rng: Random): Promise<Float32Array> {
  switch (init) {
    case 'random':
      return Promise.resolve(randomInit(data.m, data.weights, k, rng));
    case 'k-means++':
      return kmeansPlusPlus(data, k, rng);
    default:
      return assertUnreachable(init);
  }
}

/** Population variance of each column, averaged: scikit-learn's scale for tol. */
function makeResult(best: RunResult & Pick<KMeansResult, 'refineStopped'>, seed: number): KMeansResult {
  const { centroids } = best;
  return Object.freeze({
    ...best,
    seed,
    async predict(x: MatrixLike): Promise<Prediction> {
      const q = toMatrix(x, 'kmeans.predict');
      if (q.cols !== centroids.cols) {
        throw new DataError('kmeans.predict', 'X', `X has ${q.cols} columns, the model was fitted on ${centroids.cols}`);
      }
      return withBackendFallback('kmeans.predict', async () => {
        const data = uploadData(q, null, centroids.rows);
        try {
          return await assign(data.blocks, centroids.data, centroids.rows, q.rows);
        } finally {
          disposeData(data);
        }
      });
    },
  });
}
