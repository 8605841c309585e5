// SPDX-License-Identifier: MIT
/**
 * What k-means does after Lloyd's iterations when `refine` is on: Hartigan's single-row moves,
 * and a swap local search over centers. Both only ever lower the inertia.
 */
import * as tf from '@tensorflow/tfjs-core';
import { nearestTwo } from '../kernels/nearestTwo.js';
import type { MatrixF32 } from '../matrix.js';
import type { Random } from '../random.js';
import { hartiganRefine } from './hartigan.js';
import { searchSorted } from './kmeansInit.js';
import { assign, distancesTo, weightOf, type DeviceData, type RunResult } from './kmeansLloyd.js';

/**
 * What the refinement may still spend, in row visits (rows × passes over the data, on the host
 * or the device). Counting work rather than time keeps a seeded fit reproducible.
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

/** Hartigan moves from a Lloyd result, then a device pass for labels and distances. */
export async function hartigan(run: RunResult, data: DeviceData, k: number, budget: RefineBudget): Promise<RunResult> {
  const { m, weights } = data;
  const n = m.rows;
  // Hartigan's passes plus the final assignment pass.
  const maxPasses = budget.passes(n, HARTIGAN_MAX_PASSES + 1) - 1;
  if (maxPasses < 1) {
    budget.exhausted = true;
    return run;
  }
  const labels = Int32Array.from(run.labels);
  const centers = weightedMeans(m, weights, labels, k, run.centroids.data);
  const { moves, passes } = hartiganRefine(m, weights, labels, centers, k, maxPasses);
  budget.spend(n * passes);
  if (passes === maxPasses && moves > 0 && maxPasses < HARTIGAN_MAX_PASSES) budget.exhausted = true;
  if (moves === 0) return run;
  budget.spend(n);
  // Incremental center updates drift: recompute them from the final labels.
  const exact = Float32Array.from(weightedMeans(m, weights, labels, k, run.centroids.data));
  const assigned = await assign(data.blocks, exact, k, m.rows);
  let inertia = 0;
  for (let i = 0; i < m.rows; i++) inertia += weightOf(weights, i) * assigned.distances[i];
  return { ...run, labels: assigned.labels, centroids: { data: exact, rows: k, cols: m.cols }, inertia, refineMoves: moves };
}

/**
 * Swap local search (after Kanungo et al., "A local search approximation algorithm for k-means
 * clustering", 2004): remove the center whose rows lose least by moving to their second-nearest
 * center, put a new center where greedy k-means++ would given the remaining centers (the best
 * of 2 + ⌊ln k⌋ rows drawn by weighted squared distance), polish with Lloyd and Hartigan, and
 * keep the result when the inertia falls.
 * After a failed trial the next-cheapest center is tried; stops after 3k trials in a row fail,
 * or when the budget is spent (`polish` spends from the same budget).
 */
export async function swapSearch(
  start: RunResult,
  data: DeviceData,
  k: number,
  rng: Random,
  polish: (init: Float32Array) => Promise<RunResult>,
  budget: RefineBudget,
): Promise<RunResult> {
  const { m, weights, blocks } = data;
  const { rows: n, cols: d } = m;
  let best = start;
  let failures = 0;
  const cum = new Float64Array(n);
  const near = new Int32Array(n);
  const gap = new Float32Array(2 * n);
  while (failures < 3 * k) {
    // A trial costs a nearest-two pass, a candidate pass and at least one Lloyd iteration.
    if (budget.left < 3 * n) {
      budget.exhausted = true;
      break;
    }
    budget.spend(2 * n);
    const ct = tf.tensor2d(best.centroids.data, [k, d]);
    for (const b of blocks) {
      const two = nearestTwo(b.x, ct);
      const idx = await two.indices.data();
      gap.set(await two.distances.data(), 2 * b.start);
      for (let i = 0; i < idx.length / 2; i++) near[b.start + i] = idx[2 * i];
      tf.dispose([two.indices, two.distances]);
    }
    ct.dispose();
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
    const dist = await distancesTo(blocks, cand, trials, n);
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
