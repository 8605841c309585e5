// SPDX-License-Identifier: MIT
/**
 * The device side of k-means: the data as row blocks, Lloyd's iterations over them, and the
 * passes that assign rows to fixed centers. Kernels do the per-row work; the loops and the float64
 * bookkeeping (center means, shifts, inertia) are here, on the host.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from '../backend/backend.js';
import { throwIfCancelled } from '../errors.js';
import type { LloydSessionOptions } from '../kernels/lloydStep/options.js';
import { openHostLloydSession, openLloydSession, type LloydSession } from '../kernels/lloydSums/session.js';
import { pointDistances } from '../kernels/pointDistances/index.js';
import { disposeBlocks, uploadPerRow, uploadRows, type RowBlock } from '../kernels/shared/tiling.js';
import type { Matrix, MatrixF32 } from '../matrix.js';

/** The rows (centered) on the host and as blocks on the device, with their weights. */
export interface DeviceData {
  m: MatrixF32;
  weights: Float32Array | null;
  blocks: RowBlock[];
  weightBlocks: Array<tf.Tensor1D | null>;
}

/** Uploads `m` in blocks sized for k centers (or of `rowsPerBlock` rows). */
export function uploadData(m: MatrixF32, weights: Float32Array | null, k: number, rowsPerBlock?: number): DeviceData {
  const blocks = uploadRows(m, 3 * k + m.cols, rowsPerBlock);
  const weightBlocks = weights === null ? blocks.map(() => null) : uploadPerRow(weights, blocks, 'float32');
  return { m, weights, blocks, weightBlocks };
}

export function disposeData(data: DeviceData): void {
  disposeBlocks(data.blocks);
  for (const w of data.weightBlocks) w?.dispose();
}

/**
 * Opens the Lloyd session of `data` for k centers (see openLloydSession): the state Lloyd's
 * iterations keep between steps (on wasm, the rows in our module's layout and Hamerly's bounds).
 * The caller disposes it, before `data`. One session serves every `lloyd` run on the same data:
 * the bounds hold for any new centers, so a run starts from those the last one left.
 * `where` 'host': on our wasm module whatever the backend (openHostLloydSession).
 */
export function openLloyd(data: DeviceData, k: number, options?: LloydSessionOptions, where: 'backend' | 'host' = 'backend'): Promise<LloydSession> {
  const d = data.m.cols;
  const blocks = data.blocks.map((b, i) => {
    const t = b.x.shape[0];
    return {
      start: b.start,
      x: b.x,
      weights: data.weightBlocks[i],
      hostRows: data.m.data.subarray(b.start * d, (b.start + t) * d),
      hostWeights: data.weights?.subarray(b.start, b.start + t),
    };
  });
  return where === 'host' ? openHostLloydSession(blocks, k, options) : openLloydSession(blocks, k, options);
}

/** One run's outcome. */
export interface RunResult {
  labels: Int32Array;
  centroids: Matrix & { data: Float32Array };
  inertia: number;
  nIter: number;
  converged: boolean;
  refineMoves: number;
  backend: BackendName;
}

/** The weight of row i. */
export function weightOf(weights: Float32Array | null, i: number): number {
  return weights === null ? 1 : weights[i];
}

/**
 * Lloyd's iterations from `init` [k, d] until labels stop changing, the squared center shift is
 * ≤ `tolAbs`, or `maxIter` (scikit-learn's `_kmeans_single_lloyd`), then a last assignment pass.
 * The device work goes through `session` (openLloyd on the same `data`), which the caller owns.
 * `signal` is checked before every iteration, when no tensor of the run is alive: an abort throws
 * CancelledError (the caller disposes the session and `data`).
 */
export async function lloyd(
  data: DeviceData,
  session: LloydSession,
  init: Float32Array,
  k: number,
  maxIter: number,
  tolAbs: number,
  signal?: AbortSignal,
): Promise<RunResult> {
  const { m, weights } = data;
  const d = m.cols;
  let centers = init;
  let converged = false;
  let iter = 0;
  for (iter = 0; iter < maxIter; iter++) {
    throwIfCancelled(signal, 'kmeans');
    // Only the totals: the labels and distances are needed at the end (assign, below) and when
    // a cluster empties, and then they are those of the same centers. On wasm the session keeps
    // bounds per row between steps and skips the rows whose nearest center provably did not
    // change (the same totals as a full pass; see src/kernels/lloydSums/wasm.ts).
    const { counts, sums } = await session.step(centers);
    if (counts.some((c) => c === 0)) {
      const now = await session.assign(centers, m.rows);
      relocateEmpty(m, weights, now.labels, now.distances, counts, sums, k);
    }
    const update = nextCenters(centers, sums, counts, k, d);
    centers = update.centers;
    const shift = update.shift;
    // scikit-learn also stops when the labels stop changing ("strict convergence"). That needs
    // no test of its own: unchanged labels give the same sums (the kernels add them in a fixed
    // order), hence the same centers and a shift of exactly 0 ≤ tolAbs, in the same iteration.
    // Not comparing n labels per iteration saves a pass over them (about 2 ms at n = 10^6).
    if (shift <= tolAbs) {
      converged = true;
      break;
    }
  }
  const { labels, distances } = await session.assign(centers, m.rows);
  let inertia = 0;
  for (let i = 0; i < m.rows; i++) inertia += weightOf(weights, i) * distances[i];
  return {
    labels,
    centroids: { data: centers, rows: k, cols: d },
    inertia,
    nIter: Math.min(iter + 1, maxIter),
    converged,
    refineMoves: 0,
    backend: tf.getBackend() as BackendName,
  };
}

/**
 * scikit-learn's `_relocate_empty_clusters`: each empty cluster takes the row farthest from its
 * current center (in decreasing order of distance), which leaves its old cluster.
 */
function relocateEmpty(
  m: MatrixF32,
  weights: Float32Array | null,
  labels: Int32Array,
  distances: Float32Array,
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
    const w = weightOf(weights, row);
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

/**
 * The M-step of Lloyd: each center the mean of its rows (`sums` [k, d] / `counts` [k]; a center
 * with no row stays where it was), as float32, and the squared distance the centers moved in all.
 * Shared by the in-memory loop above and the one inside a database (src/db/lloyd.ts), so that
 * both move and stop alike.
 */
export function nextCenters(centers: Float32Array, sums: ArrayLike<number>, counts: ArrayLike<number>, k: number, d: number): { centers: Float32Array<ArrayBuffer>; shift: number } {
  const next = new Float32Array(k * d);
  let shift = 0;
  for (let c = 0; c < k; c++) {
    for (let j = 0; j < d; j++) {
      next[c * d + j] = counts[c] > 0 ? sums[c * d + j] / counts[c] : centers[c * d + j];
      // The float32 centers' shift (as scikit-learn's on float32 data): unchanged labels give the
      // same float32 centers, hence exactly 0 (the float64 means would differ from the float32
      // centers by their rounding, and `tol: 0` would never converge).
      shift += (next[c * d + j] - centers[c * d + j]) ** 2;
    }
  }
  return { centers: next, shift };
}

/** Squared distances [n, t] from every row to t points (row-major), block by block. */
export async function distancesTo(blocks: RowBlock[], points: Float32Array, t: number, n: number): Promise<Float32Array> {
  const out = new Float32Array(n * t);
  const pt = tf.tensor2d(points, [t, points.length / t]);
  try {
    for (const b of blocks) {
      const dist = pointDistances(b.x, pt);
      out.set(await dist.data(), b.start * t);
      dist.dispose();
    }
  } finally {
    pt.dispose();
  }
  return out;
}
