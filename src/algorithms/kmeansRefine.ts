// SPDX-License-Identifier: MIT
/**
 * What k-means does after Lloyd's iterations when `refine` is on: Hartigan's single-row moves,
 * and a swap local search over centers. Both only ever lower the inertia.
 */
import { assignBlocks, type LloydAssignment, type LloydSession } from '../kernels/lloydSums/session.js';
import type { MatrixF32 } from '../matrix.js';
import type { Random } from '../random.js';
import { hartiganRefine, type HartiganBounds } from './hartigan.js';
import { searchSorted } from './kmeansInit.js';
import { distancesTo, weightOf, type DeviceData, type RunResult } from './kmeansLloyd.js';

/**
 * The passes over the rows the refinement makes, where they run: on the device (the rows'
 * blocks and the backend's kernels) or on the host (kmeans.ts: KMeansOptions.placement).
 */
export interface RefinePasses {
  /** The rows (centered) and their weights, on the host. */
  m: MatrixF32;
  weights: Float32Array | null;
  /** Squared distances [n, t] (row-major) from every row to `t` points [t, d]. */
  distancesTo(points: Float32Array, t: number): Promise<Float32Array>;
  /** The nearest of `centers` [k, d] for every row, with the float32 squared distance to it. */
  assign(centers: Float32Array): Promise<LloydAssignment>;
}

/** The refinement's passes on the device: the backend's kernels on `data`'s blocks. */
export function devicePasses(data: DeviceData, k: number): RefinePasses {
  const { m, weights, blocks } = data;
  return {
    m,
    weights,
    distancesTo: (points, t) => distancesTo(blocks, points, t, m.rows),
    assign: (centers) => assignBlocks(blocks, centers, k, m.rows),
  };
}

/**
 * The refinement's passes on the host: distances in float64 (direct differences, rounded to
 * float32: within the device kernels' error bounds, which startBounds' margin covers) and the
 * assignment by `session`, a Lloyd session on our wasm module (openHostLloydSession).
 */
export function hostPasses(m: MatrixF32, weights: Float32Array | null, session: LloydSession): RefinePasses {
  return {
    m,
    weights,
    distancesTo: async (points, t) => hostDistances(m, points, t),
    assign: (centers) => session.assign(centers, m.rows),
  };
}

/** Squared distances [n, t] (row-major) from the rows of `m` to `t` points [t, d]: float64 direct differences, rounded to float32. O(n·t·d). */
export function hostDistances(m: MatrixF32, points: Float32Array, t: number): Float32Array {
  const { rows: n, cols: d, data: x } = m;
  const out = new Float32Array(n * t);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < t; p++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (x[i * d + j] - points[p * d + j]) ** 2;
      out[i * t + p] = s;
    }
  }
  return out;
}

/**
 * The multiply-adds of one of k-means' passes over n rows of d features: the distances to the k
 * centers, or to a k-means++ step's 2 + ⌊ln k⌋ candidates. What placedOnHost (hostPasses.ts)
 * weighs for KMeansOptions.placement.
 */
export function kmeansPassWork(n: number, k: number, d: number): number {
  return n * Math.max(k, 2 + Math.floor(Math.log(k))) * d;
}

/**
 * What the refinement may still spend, in work units: one unit is one row visited by a Lloyd
 * iteration on the device. Host work is charged at its measured price in these units
 * (HARTIGAN_ROW_COST, SWAP_TRIAL_PASSES), so the budget tracks time while counting work, which
 * keeps a seeded fit reproducible.
 */
export class RefineBudget {
  /** True once a step was cut short or skipped for want of budget. */
  exhausted = false;

  constructor(public left: number) {}

  /** Whole passes over `n` rows still affordable, at most `cap`. */
  passes(n: number, cap: number): number {
    return Math.max(0, Math.min(cap, Math.floor(this.left / n)));
  }

  spend(rowVisits: number): void {
    this.left -= rowVisits;
  }
}

/**
 * Price of one host Hartigan row visit (float64 distances to all k centers, in JavaScript) in
 * Lloyd row visits on the device: measured about 45 at n = 10^6, d = 16, k = 8 (a host pass
 * 0.73 s, a Lloyd iteration with Hamerly bounds 16 ms; bench/README.md, "A default fit").
 */
export const HARTIGAN_ROW_COST = 45;

/**
 * The start of Hartigan's passes in Lloyd passes: the device distances to all k centers and the
 * host loop that turns them into bounds (measured about 8 at 10^6). A later pass's bound checks
 * cost about a quarter of a Lloyd pass.
 */
const HARTIGAN_START_PASSES = 8;

/** What the caller keeps back for a Hartigan refinement at the end, in Lloyd passes. */
export const HARTIGAN_RESERVE_PASSES = HARTIGAN_START_PASSES + 4;

/**
 * Hartigan moves from a Lloyd result, then a device pass for labels and distances when a row
 * moved. The first pass starts from bounds made from the device's distances, so only the rows
 * near a boundary are visited on the host. Charges its work to `budget` and stops its passes when
 * the budget could not pay for one more that visits every row.
 */
export async function hartigan(run: RunResult, data: RefinePasses, k: number, budget: RefineBudget): Promise<RunResult> {
  const { m, weights } = data;
  const { rows: n, cols: d } = m;
  if (budget.left < (HARTIGAN_START_PASSES + 2) * n) {
    budget.exhausted = true;
    return run;
  }
  budget.spend(HARTIGAN_START_PASSES * n);
  const labels = Int32Array.from(run.labels);
  const centers = weightedMeans(m, weights, labels, k, run.centroids.data);
  const start = await startBounds(data, labels, centers, run.centroids.data, k);
  // A pass's bound checks cost a quarter of a Lloyd pass; the rows visited the rest.
  const maxPasses = Math.max(1, Math.min(HARTIGAN_MAX_PASSES, Math.floor((4 * (budget.left - n)) / n)));
  const maxVisits = Math.max(0, Math.floor((budget.left - n - (maxPasses * n) / 4) / HARTIGAN_ROW_COST));
  const { moves, passes, visits, cut } = hartiganRefine(m, weights, labels, centers, k, maxPasses, start, maxVisits);
  budget.spend(visits * HARTIGAN_ROW_COST + Math.ceil((passes * n) / 4));
  if (cut || (passes === maxPasses && moves > 0)) budget.exhausted = true;
  if (moves === 0) return run;
  budget.spend(n);
  // Incremental center updates drift: recompute them from the final labels.
  const exact = Float32Array.from(weightedMeans(m, weights, labels, k, run.centroids.data));
  const assigned = await data.assign(exact);
  let inertia = 0;
  for (let i = 0; i < m.rows; i++) inertia += weightOf(weights, i) * assigned.distances[i];
  return { ...run, labels: assigned.labels, centroids: { data: exact, rows: k, cols: d }, inertia, refineMoves: run.refineMoves + moves };
}

/**
 * Hartigan bounds for `centers` (float64) from the device's float32 squared distances to
 * `approx` (the float32 centers they are close to). A float32 squared distance, direct or as
 * ‖x‖² − 2x·c + ‖c‖², is within 2·d·2^-24·(‖x‖² + ‖c‖²) of the exact one; the margin is 8 times
 * that. The centers' gap ‖c − c̃‖ (float64) is added by the triangle inequality.
 */
async function startBounds(data: RefinePasses, labels: Int32Array, centers: Float64Array, approx: Float32Array, k: number): Promise<HartiganBounds> {
  const { rows: n, cols: d, data: x } = data.m;
  const dist = await data.distancesTo(approx, k);
  const gap = new Float64Array(k);
  let gapMax = 0;
  let cNorm = 0;
  for (let c = 0; c < k; c++) {
    let g = 0;
    let s = 0;
    for (let j = 0; j < d; j++) {
      g += (centers[c * d + j] - approx[c * d + j]) ** 2;
      s += approx[c * d + j] ** 2;
    }
    gap[c] = Math.sqrt(g);
    gapMax = Math.max(gapMax, gap[c]);
    cNorm = Math.max(cNorm, s);
  }
  const rel = d * 2 ** -20;
  const upper = new Float64Array(n);
  const lower = new Float64Array(n);
  for (let i = 0, at = 0; i < n; i++, at += k) {
    let xNorm = 0;
    for (let j = 0; j < d; j++) xNorm += x[i * d + j] ** 2;
    const margin = rel * (xNorm + cNorm);
    const a = labels[i];
    let second = Number.POSITIVE_INFINITY;
    for (let c = 0; c < k; c++) if (c !== a && dist[at + c] < second) second = dist[at + c];
    upper[i] = Math.sqrt(dist[at + a] + margin) + gap[a];
    lower[i] = Math.sqrt(Math.max(0, second - margin)) - gapMax;
  }
  return { upper, lower };
}

/**
 * Swap local search (after Kanungo et al., "A local search approximation algorithm for k-means
 * clustering", 2004): remove the center whose rows lose least by moving to their second-nearest
 * center, put a new center where greedy k-means++ would given the remaining centers (the best
 * of 2 + ⌊ln k⌋ rows drawn by weighted squared distance), polish with Lloyd and Hartigan, and
 * keep the result when the inertia falls.
 * After a failed trial the next-cheapest center is tried; stops after SWAP_PATIENCE·k trials in a
 * row fail, or when the budget is spent (`polish` spends from the same budget). Each trial's own passes
 * (distances to the centers and to the candidates, on the device, and the host loops over them)
 * are charged SWAP_TRIAL_PASSES · n.
 */
export async function swapSearch(
  start: RunResult,
  data: RefinePasses,
  k: number,
  rng: Random,
  polish: (init: Float32Array) => Promise<RunResult>,
  budget: RefineBudget,
): Promise<RunResult> {
  const { m, weights } = data;
  const { rows: n, cols: d } = m;
  let best = start;
  let failures = 0;
  const cum = new Float64Array(n);
  const near = new Int32Array(n);
  const gap = new Float32Array(2 * n);
  while (failures < SWAP_PATIENCE * k) {
    // A trial costs its own passes and at least one Lloyd iteration.
    if (budget.left < (SWAP_TRIAL_PASSES + 1) * n) {
      budget.exhausted = true;
      break;
    }
    budget.spend(SWAP_TRIAL_PASSES * n);
    // Nearest and second-nearest center of each row, from the distances to all k (our fused
    // pointDistances kernel; tfjs's topk costs ten times more on wasm).
    const all = await data.distancesTo(best.centroids.data, k);
    for (let i = 0, at = 0; i < n; i++, at += k) {
      let c1 = 0;
      let d1 = all[at];
      let d2 = Number.POSITIVE_INFINITY;
      for (let c = 1; c < k; c++) {
        const v = all[at + c];
        if (v < d1) {
          d2 = d1;
          d1 = v;
          c1 = c;
        } else if (v < d2) {
          d2 = v;
        }
      }
      near[i] = c1;
      gap[2 * i] = d1;
      gap[2 * i + 1] = d2;
    }
    const loss = new Float64Array(k);
    for (let i = 0; i < n; i++) loss[near[i]] += weightOf(weights, i) * (gap[2 * i + 1] - gap[2 * i]);
    // The cheapest center to remove first; after each failed trial, the next cheapest.
    const order = Array.from({ length: k }, (_, c) => c).sort((a, b) => loss[a] - loss[b]);
    const drop = order[failures % k];
    let total = 0;
    for (let i = 0; i < n; i++) cum[i] = total += weightOf(weights, i) * (near[i] === drop ? gap[2 * i + 1] : gap[2 * i]);
    if (total <= 0) break; // every row sits on a center: nothing to gain
    // Greedy, as k-means++: of 2 + ⌊ln k⌋ rows drawn by D², the one that lowers the potential most.
    const trials = 2 + Math.floor(Math.log(k));
    const cand = new Float32Array(trials * d);
    for (let t = 0; t < trials; t++) {
      const row = searchSorted(cum, rng.next() * total);
      cand.set(m.data.subarray(row * d, (row + 1) * d), t * d);
    }
    const dist = await data.distancesTo(cand, trials);
    let pick = 0;
    let pickPot = Number.POSITIVE_INFINITY;
    for (let t = 0; t < trials; t++) {
      let pot = 0;
      for (let i = 0; i < n; i++) {
        const rest = near[i] === drop ? gap[2 * i + 1] : gap[2 * i];
        pot += weightOf(weights, i) * Math.min(rest, dist[i * trials + t]);
      }
      if (pot < pickPot) {
        pickPot = pot;
        pick = t;
      }
    }
    const init = Float32Array.from(best.centroids.data);
    init.set(cand.subarray(pick * d, (pick + 1) * d), drop * d);
    const trial = await polish(init);
    if (trial.inertia < best.inertia * (1 - 1e-9)) {
      best = { ...trial, nIter: best.nIter, converged: best.converged, refineMoves: best.refineMoves + trial.refineMoves + 1 };
      failures = 0;
    } else {
      failures++;
    }
  }
  return best;
}

/** Hartigan's passes per run when the budget allows them. */
const HARTIGAN_MAX_PASSES = 50;

/**
 * A swap trial's own work in Lloyd row visits per row: the distances to the k centers and to the
 * candidates (two device passes) and the host loops over them (top two, losses, potentials).
 * Measured with Lloyd iterations at n = 10^5 and 10^6 (bench/README.md): about 6.
 */
export const SWAP_TRIAL_PASSES = 6;

/**
 * Failed trials in a row, per center, before the swap search stops. 3 missed scikit-learn's
 * n_init = 10 inertia by 1.1e-3 on tiktok, k = 8, seed 0; 6 reaches it (test fixtures).
 */
const SWAP_PATIENCE = 6;

/** Float64 weighted mean of each cluster's rows; `fallback` where a cluster has no weight. */
function weightedMeans(m: MatrixF32, weights: Float32Array | null, labels: Int32Array, k: number, fallback: ArrayLike<number>): Float64Array {
  const d = m.cols;
  const sums = new Float64Array(k * d);
  const mass = new Float64Array(k);
  for (let i = 0; i < m.rows; i++) {
    const w = weightOf(weights, i);
    const c = labels[i];
    mass[c] += w;
    for (let j = 0; j < d; j++) sums[c * d + j] += w * m.data[i * d + j];
  }
  for (let c = 0; c < k; c++) {
    for (let j = 0; j < d; j++) sums[c * d + j] = mass[c] > 0 ? sums[c * d + j] / mass[c] : fallback[c * d + j];
  }
  return sums;
}
