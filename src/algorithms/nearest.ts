// SPDX-License-Identifier: MIT
/**
 * The one predict rule of the library: each row's nearest point (center or core sample) and the
 * Euclidean distance to it, in float64 (src/algorithms/result.ts `Prediction`). Every estimator's
 * `predict` and a saved model's (src/model/assign.ts) go through `nearestPoints`.
 *
 * The device finds each row's two nearest points (the `nearestTwo` kernel, one row block at a
 * time, so only a block × points tile is ever held); the host then recomputes the two distances
 * in float64 and keeps the nearer, the lower index on a tie. Float32's ‖x‖² − 2x·c + ‖c‖² can
 * swap two almost equally near points; the float64 step makes the choice and the distance exact
 * for the float32 inputs, and rows and points are first centered on the points' mean so that
 * the kernel's error is small enough for the true nearest to be one of the two. O(n·p·d) on the
 * device for p points, O(n·d) on the host; up to HOST_POINTS points, all on the host in float64.
 */
import * as tf from '@tensorflow/tfjs-core';
import { withBackendFallback } from '../backend/fallback.js';
import { DataError } from '../errors.js';
import { nearestTwo } from '../kernels/nearestTwo/index.js';
import { disposeBlocks, uploadRows } from '../kernels/shared/tiling.js';
import { toMatrix, type MatrixF32, type MatrixLike } from '../matrix.js';
import { centerRows } from '../kernels/centerRows/index.js';
import type { Prediction } from './result.js';

/**
 * `fn`'s predict: the rows `x` [m, d] checked against the fitted points' width (`points` [p, d]),
 * then each row's nearest point as its label, with the float64 Euclidean distance to it. With no
 * point at all (DBSCAN without core samples) every distance is +Infinity.
 * @throws DataError naming `fn` when `x` has another number of columns than the points.
 */
export async function predictNearest(fn: string, x: MatrixLike, points: MatrixF32, onWarning?: (message: string) => void): Promise<Prediction> {
  const q = toMatrix(x, fn);
  if (q.cols !== points.cols) throw new DataError(fn, 'X', `X has ${q.cols} columns, the model was fitted on ${points.cols}`);
  const { index, distances } = await nearestPoints(q, points, onWarning, fn);
  return { labels: index, distances };
}

/**
 * The nearest row of `points` [p, d] to each row of `x` [n, d] and the float64 Euclidean
 * distance to it; the lowest index wins a tie. `fn` names the caller in a backend-fallback warning.
 * `hint` [n], when given, is each row's likely nearest point (a fit's labels; any value outside
 * 0..p−1 is no hint): the same answer, sooner where it is right (with few points, the other
 * points' sums stop once they pass its distance).
 */
export async function nearestPoints(
  x: MatrixF32,
  points: MatrixF32,
  onWarning?: (message: string) => void,
  fn = 'predict',
  hint?: Int32Array,
): Promise<{ index: Int32Array; distances: Float64Array }> {
  const n = x.rows;
  const p = points.rows;
  const index = new Int32Array(n);
  const distances = new Float64Array(n);
  if (n === 0) return { index, distances };
  if (p === 1) {
    for (let i = 0; i < n; i++) distances[i] = Math.sqrt(sqDist(x, i, points, 0));
    return { index, distances };
  }
  if (p <= HOST_POINTS) return nearestOnHost(x, points, hint !== undefined && hint.length === n ? hint : undefined);
  const candidates = await withBackendFallback(fn, () => nearestTwoOnDevice(x, points), onWarning);
  for (let i = 0; i < n; i++) {
    let a = candidates[2 * i];
    let b = candidates[2 * i + 1];
    if (b < a) [a, b] = [b, a];
    const da = sqDist(x, i, points, a);
    const db = sqDist(x, i, points, b);
    index[i] = db < da ? b : a;
    distances[i] = Math.sqrt(Math.min(da, db));
  }
  return { index, distances };
}

/**
 * Up to this many points, every distance is computed on the host in float64: at 10^6 rows,
 * d = 51, 5 points it took 0.3-0.4 s against 1.5 s for the device's two candidates (tfjs-wasm's
 * topk) and their float64 check, and it is exact.
 */
const HOST_POINTS = 32;

/**
 * The nearest of few points to each row, all distances in float64; the lowest index wins a tie.
 * With a hint, the hinted point's distance is summed first, and another point's sum stops as
 * soon as it can no longer win (partial sums of squares only grow): the same index and the same
 * distance, each summed in feature order, as without.
 */
function nearestOnHost(x: MatrixF32, points: MatrixF32, hint?: Int32Array): { index: Int32Array; distances: Float64Array } {
  const { rows: n, cols: d, data: xv } = x;
  const p = points.rows;
  const pv = Float64Array.from(points.data);
  const index = new Int32Array(n);
  const distances = new Float64Array(n);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) row[j] = xv[i * d + j];
    let best = 0;
    let bestD = Infinity;
    const h = hint === undefined ? -1 : hint[i];
    if (h >= 0 && h < p) {
      const at = h * d;
      let s = 0;
      for (let j = 0; j < d; j++) {
        const e = row[j] - pv[at + j];
        s += e * e;
      }
      best = h;
      bestD = s;
    }
    for (let c = 0; c < p; c++) {
      if (c === h) continue;
      const at = c * d;
      let s = 0;
      let j = 0;
      for (; j < d; j++) {
        const e = row[j] - pv[at + j];
        s += e * e;
        if (s > bestD) break; // c can no longer win (on a tie, the lower index wins: checked below)
      }
      if (j < d) continue;
      if (s < bestD || (s === bestD && c < best)) {
        bestD = s;
        best = c;
      }
    }
    index[i] = best;
    distances[i] = Math.sqrt(bestD);
  }
  return { index, distances };
}

/** [n, 2] indices of the two nearest points of each row, by the kernel, in float32. */
async function nearestTwoOnDevice(x: MatrixF32, points: MatrixF32): Promise<Int32Array> {
  const { centered: pc, mean: center } = centerRows(points);
  const xc = centerRows(x, center).centered;
  // nearestTwo holds distances, their negation and topk's work per (row, point).
  const blocks = uploadRows(xc, 3 * points.rows + x.cols);
  const pt = tf.tensor2d(pc.data, [pc.rows, pc.cols]);
  const out = new Int32Array(2 * x.rows);
  try {
    for (const b of blocks) {
      const two = nearestTwo(b.x, pt);
      try {
        out.set(await two.indices.data(), 2 * b.start);
      } finally {
        tf.dispose([two.indices, two.distances]);
      }
    }
  } finally {
    pt.dispose();
    disposeBlocks(blocks);
  }
  return out;
}

/** Squared Euclidean distance in float64 between row i of a and row j of b. */
function sqDist(a: MatrixF32, i: number, b: MatrixF32, j: number): number {
  const d = a.cols;
  let s = 0;
  for (let t = 0; t < d; t++) {
    const v = a.data[i * d + t] - b.data[j * d + t];
    s += v * v;
  }
  return s;
}

/**
 * DBSCAN's predict rule on the nearest core samples: a row takes the cluster of its nearest core
 * sample when that is within `eps` (distance ≤ eps, as in the fit), else it is noise (-1).
 */
export function coreLabelsWithin(index: Int32Array, distances: Float64Array, coreLabels: ArrayLike<number>, eps: number): Int32Array {
  const labels = new Int32Array(index.length);
  for (let i = 0; i < index.length; i++) labels[i] = distances[i] <= eps ? coreLabels[index[i]] : -1;
  return labels;
}
