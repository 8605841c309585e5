// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { oneHotF32 } from '../shared/oneHot.js';
import { REDUCTION_RUN } from '../shared/tiling.js';

/** Per-cluster totals, as partial sums over runs of rows; add the runs in float64 on the host. */
export interface ClusterSums {
  /** [runs, k]: summed weight (the count, without weights) of each cluster in each run. */
  counts: tf.Tensor2D;
  /** [runs, k, d]: weighted sum of the rows of each cluster in each run. */
  sums: tf.Tensor3D;
  /** [runs, k, d]: weighted sum of squared values, when `withSquares`. */
  sumSquares?: tf.Tensor3D;
}

export interface ClusterSumsOptions {
  /** Per-row weights [t]; default 1. */
  weights?: tf.Tensor1D | null;
  /** Also return per-feature sums of squares. Default false. */
  withSquares?: boolean;
}

/**
 * Counts, sums (and optionally sums of squares) of the rows of a block `x` [t, d] per label,
 * labels [t] int32 in 0..k-1, by a one-hot matMul (the wasm backend has no UnsortedSegmentSum).
 * Each run of REDUCTION_RUN rows gives its own partial, through one batched matMul over a
 * [runs, run, ·] reshape, so no float32 accumulator adds more than a run of values; the caller
 * adds the partials in float64 (`addRuns`). A block that is neither a multiple of the run nor
 * shorter than one (`uploadRows` never makes such blocks) is split by a slice. O(t·k·d) work.
 */
export const clusterSumsPortable = (x: tf.Tensor2D, labels: tf.Tensor1D, k: number, options: ClusterSumsOptions = {}): ClusterSums =>
    tf.tidy(() => {
      const [t, d] = x.shape;
      const whole = t - (t % REDUCTION_RUN);
      if (whole > 0 && whole < t) {
        const head = sumsOf(tf.slice(x, [0, 0], [whole, d]), tf.slice(labels, [0], [whole]), k, options, 0, whole);
        const tail = sumsOf(tf.slice(x, [whole, 0], [t - whole, d]), tf.slice(labels, [whole], [t - whole]), k, options, whole, t - whole);
        const out: ClusterSums = { counts: tf.concat([head.counts, tail.counts]), sums: tf.concat([head.sums, tail.sums]) };
        if (options.withSquares) out.sumSquares = tf.concat([head.sumSquares!, tail.sumSquares!]);
        return out as ClusterSums & tf.NamedTensorMap;
      }
      return sumsOf(x, labels, k, options, 0, t) as ClusterSums & tf.NamedTensorMap;
    });

function sumsOf(x: tf.Tensor2D, labels: tf.Tensor1D, k: number, options: ClusterSumsOptions, from: number, t: number): ClusterSums {
  const d = x.shape[1];
  const run = t % REDUCTION_RUN === 0 ? REDUCTION_RUN : t;
  const runs = t / run;
  let hot: tf.Tensor2D = oneHotF32(labels, k); // [t, k]
  if (options.weights) {
    const w = from === 0 && t === options.weights.shape[0] ? options.weights : tf.slice(options.weights, [from], [t]);
    hot = tf.mul(hot, tf.reshape(w, [-1, 1]));
  }
  const hot3 = tf.reshape(hot, [runs, run, k]);
  const x3 = tf.reshape(x, [runs, run, d]);
  const out: ClusterSums = {
    counts: tf.sum(hot3, 1) as tf.Tensor2D,
    sums: tf.matMul(hot3, x3, true, false) as tf.Tensor3D,
  };
  if (options.withSquares) out.sumSquares = tf.matMul(hot3, tf.square(x3), true, false) as tf.Tensor3D;
  return out;
}

/** Adds the run partials of a [runs, ...] array in float64 into `into` (or a new array). */
export function addRuns(partials: ArrayLike<number>, runs: number, into?: Float64Array): Float64Array {
  const size = partials.length / runs;
  const total = into ?? new Float64Array(size);
  for (let r = 0; r < runs; r++) {
    const base = r * size;
    for (let i = 0; i < size; i++) total[i] += partials[base + i];
  }
  return total;
}
