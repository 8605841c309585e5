// SPDX-License-Identifier: MIT
/**
 * Mean shift clustering as scikit-learn 1.2's MeanShift defines it: every seed climbs to a mode of
 * the density by repeatedly moving to the mean of the rows within the bandwidth (flat kernel),
 * until it moves less than 1e-3·bandwidth or has made maxIter moves; the converged seeds are
 * sorted by the number of rows within their bandwidth (more first, ties by larger coordinates)
 * and a seed within the bandwidth of an earlier kept one is dropped; rows go to the nearest kept
 * center. All seeds climb at once: each step is one pass of the meanShiftStep kernel over the
 * data, seeds in tiles; seeds that have converged leave the pass.
 *
 * Differences from scikit-learn, by design: the rows are float32 on the device (so a row or seed
 * within float32 rounding of a bandwidth boundary may fall on the other side); a 'gaussian'
 * kernel option; sample weights; the bandwidth estimate samples with our own generator when
 * `nSamples` is given.
 *
 * Reference: Comaniciu & Meer, "Mean shift: a robust approach toward feature space analysis"
 * (2002); scikit-learn `sklearn/cluster/_mean_shift.py`.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from '../backend/backend.js';
import { withBackendFallback } from '../backend/fallback.js';
import { boolean, func, integer, number, object, oneOf, optional, resolveAliases, validateOptions, type ConstraintTable } from '../constraints.js';
import { DataError, ParameterError } from '../errors.js';
import { assignBlocks, type LloydAssignment } from '../kernels/lloydSums/session.js';
import { meanShiftStep, type MeanShiftKernel, type MeanShiftStepResult, type WeightedBlock } from '../kernels/meanShiftStep/index.js';
import { disposeBlocks, tileRows, uploadPerRow, uploadRows, type RowBlock } from '../kernels/shared/tiling.js';
import { toMatrix, toWeights, type Matrix, type MatrixF32, type MatrixLike } from '../matrix.js';
import { centerRows } from '../kernels/centerRows/index.js';
import { BANDWIDTH_CONSTRAINTS, bandwidthOf } from './estimateBandwidth.js';
import { PLACEMENT, placedOnHost, type Placement } from './hostPasses.js';
import { openLloyd } from './kmeansLloyd.js';
import { predictNearest } from './nearest.js';
import type { ClusteringResult, Prediction } from './result.js';

export type { MeanShiftKernel } from '../kernels/meanShiftStep/index.js';

export interface MeanShiftOptions {
  /** Kernel radius, > 0. Default: estimated as `estimateBandwidth` does, from `quantile` and `nSamples`. */
  bandwidth?: number;
  /** For the bandwidth estimate: k-th nearest neighbour with k = ⌊quantile·n⌋. Default 0.3. */
  quantile?: number;
  /** For the bandwidth estimate: rows sampled (default all: O(n²·d) work). */
  nSamples?: number;
  /** Seed of the bandwidth estimate's sample. Default 0. */
  seed?: number;
  /** Where the climbs start, [s, d]. Default: the bins of `binSeeding`, or every row. */
  seeds?: MatrixLike;
  /**
   * Start from the centers of a grid of cells of side `bandwidth` that hold at least `minBinFreq`
   * rows, instead of from every row (scikit-learn's get_bin_seeds). Default false.
   */
  binSeeding?: boolean;
  /** With binSeeding, the rows a cell needs to seed a climb, ≥ 1. Default 1. */
  minBinFreq?: number;
  /** Give every row the nearest center (true, default), or -1 to rows farther than the bandwidth from every center. */
  clusterAll?: boolean;
  /** Moves per seed at most, ≥ 0. Default 300. */
  maxIter?: number;
  /** 'flat' (default, scikit-learn's) or 'gaussian' (weights exp(−‖x − s‖²/2h²), all rows). */
  kernel?: MeanShiftKernel;
  /**
   * Seeds per kernel call (the rows of a seeds × data tile; the data rows are its columns, in
   * blocks sized to the memory budget); default from the memory budget, at most 1024.
   */
  tileRows?: number;
  /** @deprecated The old name of `tileRows`; giving both is a ParameterError. */
  seedTile?: number;
  /** Receives warnings (not converged, binning failed, backend fallback). Default console.warn. */
  onWarning?: (message: string) => void;
  /**
   * Where the climb's steps and the final assignment run (see Placement, hostPasses.ts). 'auto'
   * (default): the host on a GPU backend ('webgpu', 'webgl') when one step over every seed is at
   * most HOST_PASS_MAX_WORK (2^20) multiply-adds (seeds·n·d), where a device step costs its fixed
   * dispatch and read back rather than its work, else the device. Depends on the backend and the
   * shape only. On cpu and wasm 'auto' is 'device'. The same labels and centers either way,
   * within float32 rounding (on wasm, the same bits).
   */
  placement?: Placement;
}

type Defaults = Required<Pick<MeanShiftOptions, 'quantile' | 'binSeeding' | 'minBinFreq' | 'clusterAll' | 'maxIter' | 'kernel'>>;
const DEFAULTS: Defaults = { quantile: 0.3, binSeeding: false, minBinFreq: 1, clusterAll: true, maxIter: 300, kernel: 'flat' };

/**
 * A fitted mean-shift model; immutable. The shared fields are ClusteringResult's: `k` is the
 * number of modes kept; `seed` that of the bandwidth estimate's row sample, null when no sample
 * was drawn (a bandwidth given, or estimated on all rows).
 */
export interface MeanShiftResult extends ClusteringResult {
  /** [k, d] cluster centers (the kept modes), the most populated first. */
  readonly centroids: Matrix;
  /** [k] the (weighted) number of rows within the bandwidth of each center. */
  readonly intensities: Float64Array;
  /** The bandwidth used (given or estimated). */
  readonly bandwidth: number;
  /** Seeds the climbs started from. */
  readonly nSeeds: number;
  /** The most moves any seed made before it stopped (scikit-learn's n_iter_; bounded by maxIter). */
  readonly nIter: number;
  /** False when some seed was stopped by maxIter rather than by moving less than 1e-3·bandwidth. */
  readonly converged: boolean;
  /**
   * Assigns new rows [m, d] to the nearest center (also beyond the bandwidth, as scikit-learn),
   * with the float64 Euclidean distance to it (see Prediction).
   */
  predict(x: MatrixLike): Promise<Prediction>;
}

const FN = 'meanShift';
/** Seeds per kernel call at most: beyond this the s×t tiles only get thinner in t. */
const MAX_SEED_TILE = 1024;

/**
 * Mean shift clustering.
 * @example
 * const model = await new MeanShift({ bandwidth: 2 }).fit([[1, 1], [2, 1], [1, 0], [4, 7], [3, 5], [3, 6]]);
 * model.labels; // Int32Array [1, 1, 1, 0, 0, 0] (scikit-learn's docstring example)
 */
export class MeanShift {
  private readonly options: Defaults & MeanShiftOptions;

  constructor(options: MeanShiftOptions = {}) {
    this.options = { ...DEFAULTS, ...resolveAliases(FN, options, ALIASES) };
    validateOptions(FN, this.options, CONSTRAINTS);
  }

  /**
   * Fits to `x` [n, d] with optional non-negative `sampleWeight` [n] (a row of weight w pulls
   * means like w copies of it). O(nIter · nSeeds · n · d), plus O(n²·d) for an estimated bandwidth
   * on all rows.
   */
  async fit(x: MatrixLike, sampleWeight?: ArrayLike<number>): Promise<MeanShiftResult> {
    const t0 = performance.now();
    const m = toMatrix(x, FN);
    const weights = toWeights(sampleWeight, m.rows, FN);
    const o = this.options;
    const given = o.seeds === undefined ? null : toMatrix(o.seeds, FN, 'seeds');
    if (given !== null && given.cols !== m.cols) {
      throw new ParameterError(FN, 'seeds', `seeds have ${given.cols} columns, X has ${m.cols}`);
    }
    const warn = o.onWarning ?? ((msg: string) => console.warn(`segments: ${msg}`));
    const fitted = await withBackendFallback(FN, () => fitOnDevice(m, weights, given, o, warn), warn);
    if (!fitted.converged) {
      warn(`${FN}: some seeds did not converge in maxIter=${o.maxIter} moves; raise maxIter`);
    }
    return makeResult(fitted, performance.now() - t0);
  }
}

/** Function form of `new MeanShift(options).fit(x, sampleWeight)`. */
export function meanShift(x: MatrixLike, options: MeanShiftOptions = {}, sampleWeight?: ArrayLike<number>): Promise<MeanShiftResult> {
  return new MeanShift(options).fit(x, sampleWeight);
}

/** The deprecated option names and the names that replaced them. */
const ALIASES = { seedTile: 'tileRows' } as const;

/** What each option may be, checked when constructed; the seeds' width is checked by fit(). */
const CONSTRAINTS: ConstraintTable<Omit<MeanShiftOptions, keyof typeof ALIASES>> = {
  bandwidth: optional(number({ above: 0 })),
  ...BANDWIDTH_CONSTRAINTS,
  minBinFreq: integer({ min: 1 }),
  maxIter: integer({ min: 0 }),
  kernel: oneOf('flat', 'gaussian'),
  tileRows: optional(integer({ min: 1 })),
  seeds: optional(object('an [s, d] matrix of seeds')),
  binSeeding: optional(boolean()),
  clusterAll: optional(boolean()),
  onWarning: optional(func()),
  placement: optional(PLACEMENT),
};

interface Fitted {
  labels: Int32Array;
  centroids: Matrix & { data: Float32Array };
  intensities: Float64Array;
  bandwidth: number;
  nSeeds: number;
  nIter: number;
  converged: boolean;
  backend: BackendName;
  seed: number | null;
}

async function fitOnDevice(
  m: MatrixF32,
  weights: Float32Array | null,
  given: MatrixF32 | null,
  o: Defaults & MeanShiftOptions,
  warn: (message: string) => void,
): Promise<Fitted> {
  const n = m.rows;
  const d = m.cols;
  const bandwidth = o.bandwidth ?? (await bandwidthOf(m, o.quantile, o.nSamples, o.seed ?? 0));
  if (!(bandwidth > 0)) {
    throw new DataError(FN, 'X', `the estimated bandwidth is 0 (every row's k-th nearest neighbour, k = ⌊${o.quantile}·n⌋, is a duplicate of it, e.g. all rows identical or one row): give a bandwidth`);
  }
  let seeds: MatrixF32;
  if (given !== null) seeds = given;
  else if (o.binSeeding) seeds = binSeeds(m, bandwidth, o.minBinFreq, warn);
  else seeds = m;
  if (seeds.rows === 0) {
    throw new DataError(FN, 'minBinFreq', `no grid cell of side bandwidth=${bandwidth} holds minBinFreq=${o.minBinFreq} rows: lower minBinFreq`);
  }

  // Centering changes no distance but keeps ‖x‖² − 2x·s + ‖s‖² from cancelling in float32.
  const { centered, mean } = centerRows(m);
  const seedTile = o.tileRows ?? Math.min(MAX_SEED_TILE, seeds.rows);
  const blocks = uploadRows(centered, 4 * seedTile + d, tileRows(4 * seedTile + d, n));
  const weightBlocks = weights === null ? blocks.map(() => null) : uploadPerRow(weights, blocks, 'float32');
  const data: WeightedBlock[] = blocks.map((b, i) => ({ x: b.x, weights: weightBlocks[i] }));
  // Small data on a GPU: the steps on the host, where they cost their work and not a dispatch and
  // a read back each (MeanShiftOptions.placement).
  const onHost = placedOnHost(o.placement, tf.getBackend(), seeds.rows * n * d);
  try {
    const step: MeanShiftStepFn = onHost ? await meanShiftStep.onHost() : meanShiftStep;
    const climbed = await climb(data, centerRows(seeds, mean).centered.data, seeds.rows, d, bandwidth, seedTile, o, step);
    const kept = mergeModes(climbed.modes, climbed.counts, seeds.rows, d, mean, bandwidth);
    if (kept.length === 0) {
      throw new DataError(FN, 'seeds', `no row lies within bandwidth=${bandwidth} of any seed: give other seeds or a larger bandwidth`);
    }
    const k = kept.length;
    const centers = new Float32Array(k * d);
    const intensities = new Float64Array(k);
    kept.forEach((s, c) => {
      centers.set(climbed.modes.subarray(s * d, (s + 1) * d), c * d);
      intensities[c] = climbed.counts[s];
    });
    const { labels, distances } = onHost ? await assignOnHost(centered, blocks, centers, k) : await assignBlocks(blocks, centers, k, n);
    if (!o.clusterAll) {
      for (let i = 0; i < n; i++) if (distances[i] > bandwidth * bandwidth) labels[i] = -1;
    }
    for (let i = 0; i < centers.length; i++) centers[i] += mean[i % d];
    return {
      labels,
      centroids: { data: centers, rows: k, cols: d },
      intensities,
      bandwidth,
      nSeeds: seeds.rows,
      nIter: climbed.nIter,
      converged: climbed.converged,
      backend: tf.getBackend() as BackendName,
      // bandwidthOf draws a sample only for an estimate on fewer rows than given.
      seed: o.bandwidth === undefined && o.nSamples !== undefined && o.nSamples < n ? (o.seed ?? 0) : null,
    };
  } finally {
    disposeBlocks(blocks);
    for (const w of weightBlocks) w?.dispose();
  }
}

/** One meanShiftStep call: the kernel as the backend runs it, or its host form (meanShiftStep.onHost()). */
type MeanShiftStepFn = (seeds: tf.Tensor2D, blocks: readonly WeightedBlock[], bandwidth: number, kernel: MeanShiftKernel) => MeanShiftStepResult;

/** Where the seeds stopped, and how many rows lie within the bandwidth there. */
interface Climbed {
  /** [s, d] final positions (centered). */
  modes: Float32Array;
  /** [s] (weighted) rows within the bandwidth of the final position; 0 for a seed that found none. */
  counts: Float64Array;
  nIter: number;
  converged: boolean;
}

/**
 * Moves every seed as scikit-learn's `_mean_shift_single_seed` does, all at once: a seed moves
 * to the mean around it; it stops when that move was shorter than 1e-3·bandwidth or when it has
 * already made maxIter counted moves, keeping the new mean; a seed with nothing around it stops
 * where it is with count 0.
 */
async function climb(
  data: WeightedBlock[],
  start: Float32Array,
  s: number,
  d: number,
  bandwidth: number,
  seedTile: number,
  o: Defaults & MeanShiftOptions,
  step: MeanShiftStepFn,
): Promise<Climbed> {
  const modes = Float32Array.from(start);
  const counts = new Float64Array(s);
  const moves = new Int32Array(s);
  const stopThreshold = 1e-3 * bandwidth;
  let converged = true;
  let active = Int32Array.from({ length: s }, (_, i) => i);
  while (active.length > 0) {
    const tiles: Array<{ ids: Int32Array; step: MeanShiftStepResult }> = [];
    for (let at = 0; at < active.length; at += seedTile) {
      const ids = active.subarray(at, Math.min(active.length, at + seedTile));
      const pos = new Float32Array(ids.length * d);
      ids.forEach((id, r) => pos.set(modes.subarray(id * d, (id + 1) * d), r * d));
      const seedTensor = tf.tensor2d(pos, [ids.length, d]);
      try {
        tiles.push({ ids, step: step(seedTensor, data, bandwidth, o.kernel) });
      } finally {
        seedTensor.dispose();
      }
    }
    const still: number[] = [];
    for (const { ids, step } of tiles) {
      const [means, cnt, mass] = await Promise.all([step.means.data(), step.counts.data(), step.mass.data()]);
      tf.dispose([step.means, step.counts, step.mass]);
      ids.forEach((id, r) => {
        if (!(mass[r] > 0)) {
          counts[id] = 0; // nothing around it: it stops where it is (scikit-learn drops it)
          return;
        }
        let shift = 0;
        for (let j = 0; j < d; j++) {
          const v = means[r * d + j];
          shift += (v - modes[id * d + j]) ** 2;
          modes[id * d + j] = v;
        }
        counts[id] = cnt[r];
        if (Math.sqrt(shift) < stopThreshold) return;
        if (moves[id] === o.maxIter) {
          converged = false;
          return;
        }
        moves[id] += 1;
        still.push(id);
      });
    }
    active = Int32Array.from(still);
  }
  let nIter = 0;
  for (let i = 0; i < s; i++) nIter = Math.max(nIter, moves[i]);
  return { modes, counts, nIter, converged };
}

/**
 * The nearest center of every row, as assignBlocks gives it, on the host: a Lloyd session on our
 * wasm module over the rows' host copy (`centered`, whose blocks these are), without weights (an
 * assignment does not use them).
 */
async function assignOnHost(centered: MatrixF32, blocks: RowBlock[], centers: Float32Array, k: number): Promise<LloydAssignment> {
  const session = await openLloyd({ m: centered, weights: null, blocks, weightBlocks: blocks.map(() => null) }, k, { bounds: false }, 'host');
  try {
    return await session.assign(centers, centered.rows);
  } finally {
    session.dispose();
  }
}

/**
 * scikit-learn's post-processing: the seeds that found rows, one per distinct final position,
 * sorted by count (more first) and then by their coordinates (larger first, compared in the
 * original, uncentered coordinates); each kept seed removes the later ones within the bandwidth.
 * Returns the indices of the kept seeds in that order. O(kept · s · d).
 */
function mergeModes(modes: Float32Array, counts: Float64Array, s: number, d: number, mean: Float64Array, bandwidth: number): number[] {
  const distinct = new Map<string, number>();
  for (let i = 0; i < s; i++) {
    if (counts[i] > 0) distinct.set(Array.from(modes.subarray(i * d, (i + 1) * d)).join(','), i);
  }
  const coord = (i: number, j: number): number => modes[i * d + j] + mean[j];
  const order = [...distinct.values()].sort((a, b) => {
    if (counts[a] !== counts[b]) return counts[b] - counts[a];
    for (let j = 0; j < d; j++) {
      const diff = coord(b, j) - coord(a, j);
      if (diff !== 0) return diff;
    }
    return 0;
  });
  const removed = new Uint8Array(order.length);
  const kept: number[] = [];
  const h2 = bandwidth * bandwidth;
  for (let a = 0; a < order.length; a++) {
    if (removed[a]) continue;
    const i = order[a];
    kept.push(i);
    for (let b = a + 1; b < order.length; b++) {
      if (removed[b]) continue;
      const jx = order[b];
      let dist = 0;
      for (let f = 0; f < d; f++) dist += (modes[i * d + f] - modes[jx * d + f]) ** 2;
      if (dist <= h2) removed[b] = 1;
    }
  }
  return kept;
}

/**
 * scikit-learn's get_bin_seeds: each row falls in the grid cell round(x / binSize) (halves to
 * even, as numpy); the cells with at least minBinFreq rows, in the order they are first met,
 * seed at cell · binSize (in float32, as scikit-learn). When every row has a cell of its own,
 * binning has not helped and the rows themselves are the seeds (with a warning, as scikit-learn).
 */
export function binSeeds(m: MatrixF32, binSize: number, minBinFreq: number, warn: (message: string) => void): MatrixF32 {
  const { rows: n, cols: d, data } = m;
  const cells = new Map<string, { cell: number[]; count: number }>();
  for (let i = 0; i < n; i++) {
    const cell: number[] = [];
    for (let j = 0; j < d; j++) cell.push(roundHalfEven(data[i * d + j] / binSize));
    const key = cell.join(',');
    const seen = cells.get(key);
    if (seen === undefined) cells.set(key, { cell, count: 1 });
    else seen.count += 1;
  }
  const chosen = [...cells.values()].filter((c) => c.count >= minBinFreq);
  if (chosen.length === n) {
    warn(`${FN}: binning with bin size ${binSize} gave every row its own cell; using the rows as seeds`);
    return m;
  }
  const out = new Float32Array(chosen.length * d);
  const size32 = Math.fround(binSize);
  chosen.forEach((c, r) => c.cell.forEach((v, j) => (out[r * d + j] = Math.fround(v * size32))));
  return { data: out, rows: chosen.length, cols: d };
}

/** Rounds to the nearest integer, halves to the even one (numpy's round). */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function makeResult(f: Fitted, timeMs: number): MeanShiftResult {
  const { centroids } = f;
  return Object.freeze({
    ...f,
    k: centroids.rows,
    timeMs,
    predict: (x: MatrixLike): Promise<Prediction> => predictNearest('meanShift.predict', x, centroids),
  });
}
