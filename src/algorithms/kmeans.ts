// SPDX-License-Identifier: MIT
/**
 * K-means (Lloyd's algorithm) with k-means++ seeding, as scikit-learn 1.2 defines it: greedy
 * k-means++ with 2 + ⌊ln k⌋ candidates per step, tol relative to the mean feature variance,
 * stop when labels stop changing, empty clusters moved to the points farthest from their centers.
 * With `refine` (the default), the best run then goes on to lower minima by a swap local search
 * and Hartigan's moves, within a budget priced as a share of the runs' work (kmeansRefine.ts).
 * The device does the per-row work through kernels (kmeansLloyd.ts); this file validates, seeds
 * and picks the best run.
 *
 * Reference: Arthur & Vassilvitskii, "k-means++: the advantages of careful seeding" (2007);
 * scikit-learn `sklearn/cluster/_kmeans.py`.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from '../backend/backend.js';
import { withBackendFallback } from '../backend/fallback.js';
import { abortSignal, anyOf, boolean, checkAtMostRows, func, integer, number, object, oneOf, optional, validateOptions, type ConstraintTable } from '../constraints.js';
import { ParameterError, assertUnreachable, throwIfCancelled } from '../errors.js';
import { toMatrix, toWeights, type Matrix, type MatrixF32, type MatrixLike } from '../matrix.js';
import { centerRows } from '../kernels/centerRows/index.js';
import { Random, randomSeed } from '../random.js';
import { kmeansPlusPlus, randomInit } from './kmeansInit.js';
import { disposeData, lloyd, openLloyd, uploadData, type DeviceData, type RunResult } from './kmeansLloyd.js';
import type { LloydSession } from '../kernels/lloydSums/session.js';
import { PLACEMENT, placedOnHost, type Placement } from './hostPasses.js';
import { HARTIGAN_RESERVE_PASSES, RefineBudget, devicePasses, hartigan, hostPasses, kmeansPassWork, swapSearch, type RefinePasses } from './kmeansRefine.js';
import { predictNearest } from './nearest.js';
import type { ClusteringResult, Prediction } from './result.js';

export type { ClusteringResult, Prediction } from './result.js';

export type KMeansInit = 'k-means++' | 'random';

export interface KMeansOptions {
  /** Number of clusters, 1 ≤ k ≤ n. */
  k: number;
  /** Seeding: 'k-means++' (default), 'random' (k distinct rows), or given centers [k, d]. */
  init?: KMeansInit | MatrixLike;
  /**
   * Runs from different seeds; the lowest inertia wins. Default (1 with given centers): 10 below
   * SMALL_ROWS rows, where runs cost milliseconds, else LARGE_N_INIT = 3, with the best run
   * refined (see `refine`). scikit-learn 1.2 always runs 10. Measured (bench/README.md, "A default
   * fit"): 3 runs and the refinement reach scikit-learn's inertia on the 10^5 and 10^6 benches in
   * well under half its time, but on the small fixtures 3 or 5 runs missed n_init = 10's inertia by
   * 1-4 % (blobs8, k = 2..4: the swap search does not regroup whole blobs), while 10 did not.
   */
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
   * After the runs, refine the best one: a swap local search (move the center whose removal costs
   * least to a new k-means++ draw, polish with Lloyd, keep it if the inertia falls), then
   * Hartigan's single-row moves. Both only ever lower the inertia and escape many of Lloyd's local
   * minima. Default true; false gives scikit-learn's algorithm exactly. Its passes run where
   * `placement` says, as the runs' do.
   */
  refine?: boolean;
  /**
   * Most work the refinement may do, as a multiple of the runs' work (seeding and Lloyd's
   * iterations), in calibrated units (one unit is one row visited by a Lloyd iteration; a host
   * Hartigan row visit counts as HARTIGAN_ROW_COST of them), never less than REFINE_FLOOR units.
   * Default DEFAULT_REFINE_SHARE. Counting work priced by its measured cost, not time, keeps a
   * seeded fit reproducible. `refineStopped` says whether the budget cut it short.
   */
  refineShare?: number;
  /** The refinement's budget in the same units, replacing refineShare's (0: Lloyd alone). */
  refineBudget?: number;
  /**
   * Checked before every run and every Lloyd iteration (and each swap trial's iterations); when
   * it is aborted the fit throws CancelledError and frees what it uploaded.
   */
  signal?: AbortSignal;
  /**
   * Called after each run (run is 1-based, runs = nInit) with that run's inertia and Lloyd
   * iterations, before the refinement: enough for a progress bar with a time estimate.
   */
  onRun?: (p: { run: number; runs: number; inertia: number; nIter: number }) => void;
  /** Receives warnings (not converged, backend fallback). Default console.warn. */
  onWarning?: (message: string) => void;
  /**
   * On wasm, skip in each Lloyd iteration the rows whose nearest center provably stayed the same
   * (Hamerly's bounds; the same labels and centers, bit for bit). Default true; false scans every
   * row, for comparing the two (the bench's --no-lloyd-bounds).
   */
  lloydBounds?: boolean;
  /**
   * Where Lloyd's runs, the seeding and the refinement make their passes over the rows (see
   * Placement, hostPasses.ts). 'auto' (default): the host on a GPU backend ('webgpu', 'webgl')
   * when one pass is at most HOST_PASS_MAX_WORK (2^20) multiply-adds (kmeansPassWork:
   * n·max(k, 2 + ⌊ln k⌋)·d), where a device pass costs its fixed dispatch and read back rather
   * than its work (on SwiftShader 10-30 ms a pass whatever its size), else the device. Depends on
   * the backend and the shape only, so a seeded fit repeats itself. On cpu and wasm 'auto' is
   * 'device'.
   */
  placement?: Placement;
}

type Defaults = Required<Pick<KMeansOptions, 'init' | 'maxIter' | 'tol' | 'refine' | 'refineShare'>>;

/** See KMeansOptions.nInit. */
export const LARGE_N_INIT = 3;
/** See KMeansOptions.nInit. */
export const SMALL_ROWS = 10_000;
/** The runs a fit of `rows` rows makes when nInit is not given (see KMeansOptions.nInit). */
export function defaultNInit(rows: number): number {
  return rows < SMALL_ROWS ? 10 : LARGE_N_INIT;
}
/** See KMeansOptions.refineShare. */
export const DEFAULT_REFINE_SHARE = 0.5;
/**
 * The refinement's budget never falls below this many units: below about 10^4 rows the whole
 * swap search fits (it needed up to 130 trials on the fixtures), which costs milliseconds.
 */
export const REFINE_FLOOR = 2e6;

const DEFAULTS: Defaults = { init: 'k-means++', maxIter: 300, tol: 1e-4, refine: true, refineShare: DEFAULT_REFINE_SHARE };

/** A fitted k-means model; immutable. The shared fields (labels, k, nIter, ...) are ClusteringResult's. */
export interface KMeansResult extends ClusteringResult {
  /** [k, d] cluster centers. */
  readonly centroids: Matrix;
  /** Weighted sum of squared distances of the rows to their centers. */
  readonly inertia: number;
  /** Lloyd iterations of the best run (bounded by maxIter). */
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
  /** Assigns new rows [m, d] to the nearest center, with the float64 Euclidean distance to it (see Prediction). */
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
    validateOptions(FN, this.options, KMEANS_CONSTRAINTS);
  }

  /**
   * Fits to `x` [n, d], with optional non-negative `sampleWeight` [n]. O(nInit · nIter · n·k·d),
   * plus the refinement, bounded to refineShare of that.
   */
  async fit(x: MatrixLike, sampleWeight?: ArrayLike<number>): Promise<KMeansResult> {
    // Read only: centering (fitOnDevice) makes the copy the fit works on.
    const m = toMatrix(x, FN, 'X', { copy: false });
    const o = this.options;
    const weights = toWeights(sampleWeight, m.rows, FN);
    const given = typeof o.init === 'string' ? null : [toMatrix(o.init, FN, 'init')];
    const seed = o.seed ?? randomSeed();
    const nInit = given !== null ? 1 : (o.nInit ?? defaultNInit(m.rows));
    return fitRuns(m, weights, given, nInit, [seed], o);
  }
}

/**
 * The checks of the data, the fit (with the backend's fallback), its warning and its result, for
 * KMeans.fit and kmeansFromInits: `nInit` runs from seeded centers, or one run per `given` init;
 * the result's seed is `seeds[run]` of the run kept (seeds[0] for seeded runs, which share it).
 */
async function fitRuns(m: MatrixF32, weights: Float32Array | null, given: readonly MatrixF32[] | null, nInit: number, seeds: readonly number[], o: Defaults & KMeansOptions): Promise<KMeansResult> {
  checkAtMostRows(FN, 'k', o.k, m.rows);
  for (const init of given ?? []) {
    if (init.rows !== o.k || init.cols !== m.cols) throw new ParameterError(FN, 'init', `init centers have shape [${init.rows}, ${init.cols}], expected [${o.k}, ${m.cols}]`);
  }
  const t0 = performance.now();
  const warn = o.onWarning ?? ((msg: string) => console.warn(`segments: ${msg}`));
  const best = await withBackendFallback(FN, () => fitOnDevice(m, weights, given, nInit, seeds[0], o), warn);
  if (!best.converged) warn(`${FN}: did not converge in maxIter=${o.maxIter} iterations; raise maxIter or tol`);
  return makeResult(best, given === null ? seeds[0] : seeds[best.run], performance.now() - t0);
}

/**
 * One Lloyd run from each of `inits` (each [k, d], k = options.k) on the same rows, keeping the
 * best (the lowest inertia, the first on a tie), with `seeds[r]` as the seed of run r's result:
 * what `inits.length` fits of `new KMeans({ ...options, init: inits[r], seed: seeds[r] })` find,
 * and the best of them, bit for bit, with the rows centered, uploaded and their Lloyd session
 * opened once instead of once per run (the k search runs nInit seeds per k: chooseK.ts). The
 * refinement must be off: a KMeans refines only its best run. Internal: not in the public API.
 */
export async function kmeansFromInits(x: MatrixF32, inits: readonly MatrixF32[], seeds: readonly number[], options: KMeansOptions): Promise<KMeansResult> {
  const o: Defaults & KMeansOptions = { ...DEFAULTS, ...options };
  validateOptions(FN, o, KMEANS_CONSTRAINTS);
  if (o.refine !== false) throw new ParameterError(FN, 'refine', 'kmeansFromInits runs Lloyd only: refine must be false');
  if (inits.length === 0 || seeds.length !== inits.length) throw new ParameterError(FN, 'inits', `${inits.length} initial centers and ${seeds.length} seeds: one seed per init, at least one init`);
  return fitRuns(toMatrix(x, FN, 'X', { copy: false }), null, inits, inits.length, seeds, o);
}

/** Function form of `new KMeans(options).fit(x, sampleWeight)`. */
export function kmeans(x: MatrixLike, options: KMeansOptions, sampleWeight?: ArrayLike<number>): Promise<KMeansResult> {
  return new KMeans(options).fit(x, sampleWeight);
}


/**
 * What each option may be, checked when a KMeans is made (after the defaults are merged). k ≤ n
 * and the shape of given centers depend on the data: fit() checks them.
 */
export const KMEANS_CONSTRAINTS: ConstraintTable<KMeansOptions> = {
  k: integer({ min: 1 }),
  nInit: optional(integer({ min: 1 })),
  maxIter: integer({ min: 1 }),
  tol: number({ min: 0 }),
  seed: optional(integer()),
  refineBudget: optional(number({ min: 0, finite: false })),
  refineShare: number({ min: 0 }),
  tileRows: optional(integer({ min: 1 })),
  init: anyOf(oneOf('k-means++', 'random'), object('a [k, d] matrix of centers')),
  refine: optional(boolean()),
  signal: optional(abortSignal()),
  onRun: optional(func()),
  onWarning: optional(func()),
  lloydBounds: optional(boolean()),
  placement: optional(PLACEMENT),
};

/** The nInit runs from k-means++ (or random) seeds, or one run from each of `given`; the best, refined as `o` says, and which run it came from. */
async function fitOnDevice(
  m: MatrixF32,
  weights: Float32Array | null,
  given: readonly MatrixF32[] | null,
  nInit: number,
  seed: number,
  o: Defaults & KMeansOptions,
): Promise<RunResult & { refineStopped: KMeansResult['refineStopped']; run: number }> {
  throwIfCancelled(o.signal, FN);
  // Centering changes no distance but keeps ‖x‖² − 2x·c + ‖c‖² from cancelling in float32
  // (scikit-learn centers dense data too).
  const { centered, mean, meanVariance } = centerRows(m);
  const data = uploadData(centered, weights, o.k, o.tileRows);
  const n = m.rows;
  // Small data on a GPU: every pass on the host, where it costs its work and not a dispatch and a
  // read back (KMeansOptions.placement).
  const onHost = placedOnHost(o.placement, tf.getBackend(), kmeansPassWork(n, o.k, m.cols));
  let session: LloydSession | null = null;
  try {
    session = await openLloyd(data, o.k, { bounds: o.lloydBounds }, onHost ? 'host' : 'backend');
    const lloydSession = session;
    const passes = onHost ? hostPasses(data.m, data.weights, lloydSession) : devicePasses(data, o.k);
    const tolAbs = o.tol * meanVariance;
    const rng = new Random(seed);
    let best: RunResult | null = null;
    let bestRun = 0;
    // The runs' work in Lloyd row visits (see RefineBudget): iterations, the final assignment,
    // and the seeding's passes.
    let lloydWork = 0;
    for (let run = 0; run < nInit; run++) {
      throwIfCancelled(o.signal, FN);
      const runRng = new Random(rng.fork());
      const init = given !== null ? centerRows(given[run], mean).centered.data : await seedCenters(o.init as KMeansInit, data, o.k, runRng, passes);
      const result = await lloyd(data, lloydSession, init, o.k, o.maxIter, tolAbs, o.signal);
      lloydWork += (result.nIter + 1 + (given !== null ? 0 : seedingPasses(o.k))) * n;
      o.onRun?.({ run: run + 1, runs: nInit, inertia: result.inertia, nIter: result.nIter });
      if (best === null || result.inertia < best.inertia) {
        best = result;
        bestRun = run;
      }
    }
    let refined = best as RunResult;
    let refineStopped: KMeansResult['refineStopped'] = 'off';
    if (o.refine && o.k >= 2) {
      // Only the best run is refined: refining every run cost 10x more and, measured, rarely
      // changed which run won (bench/README.md).
      const budget = new RefineBudget(o.refineBudget ?? Math.max(REFINE_FLOOR, o.refineShare * lloydWork));
      // Kept back for Hartigan's passes after the swap search.
      const reserve = Math.min(budget.left, HARTIGAN_RESERVE_PASSES * n);
      budget.left -= reserve;
      // A trial is polished by Lloyd's iterations and Hartigan's moves, as the result will be.
      const polish = async (init: Float32Array): Promise<RunResult> => {
        const run = await lloyd(data, lloydSession, init, o.k, Math.max(1, budget.passes(n, o.maxIter) - 1), tolAbs, o.signal);
        budget.spend((run.nIter + 1) * n);
        return hartigan(run, passes, o.k, budget);
      };
      const start = await hartigan(refined, passes, o.k, budget);
      refined = await swapSearch(start, passes, o.k, rng, polish, budget);
      budget.left += reserve;
      throwIfCancelled(o.signal, FN);
      // After a swap was kept, or when the first Hartigan pass could not be paid for.
      if (refined !== start || start === best) refined = await hartigan(refined, passes, o.k, budget);
      refineStopped = budget.exhausted ? 'budget' : 'done';
    } else if (o.refine) {
      refineStopped = 'done'; // k = 1: the mean is optimal
    }
    const c = refined.centroids;
    for (let i = 0; i < c.data.length; i++) c.data[i] += mean[i % m.cols];
    return { ...refined, refineStopped, run: bestRun };
  } finally {
    session?.dispose();
    disposeData(data);
  }
}

/**
 * What a k-means++ seeding costs in Lloyd passes over the rows: k − 1 steps, each a device pass
 * over 2 + ⌊ln k⌋ candidates and host loops over them. Measured: about k/2 + 1 (bench/README.md).
 */
function seedingPasses(k: number): number {
  return k / 2 + 1;
}

function seedCenters(init: KMeansInit, data: DeviceData, k: number, rng: Random, passes: RefinePasses): Promise<Float32Array> {
  switch (init) {
    case 'random':
      return Promise.resolve(randomInit(data.m, data.weights, k, rng));
    case 'k-means++':
      return kmeansPlusPlus(data, k, rng, (points, t) => passes.distancesTo(points, t));
    default:
      return assertUnreachable(init);
  }
}

function makeResult(result: RunResult & Pick<KMeansResult, 'refineStopped'> & { run?: number }, seed: number, timeMs: number): KMeansResult {
  const { run: _run, ...best } = result;
  const { centroids } = best;
  return Object.freeze({
    ...best,
    k: centroids.rows,
    seed,
    timeMs,
    predict: (x: MatrixLike): Promise<Prediction> => predictNearest('kmeans.predict', x, centroids),
  });
}
