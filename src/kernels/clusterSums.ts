// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { oneHotF32 } from './oneHot.js';
import { defineKernel } from './registry.js';
import { REDUCTION_RUN, ranges } from './tiling.js';

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
  /** Per-row weights [n]; default 1. */
  weights?: tf.Tensor1D | null;
  /** Also return per-feature sums of squares. Default false. */
  withSquares?: boolean;
  /** Rows added sequentially in float32 before a partial is cut; default REDUCTION_RUN. */
  runRows?: number;
}

/**
 * Counts, sums (and optionally sums of squares) of the rows of `x` [n, d] per label, labels [n]
 * int32 in 0..k-1, by a one-hot matMul (the wasm backend has no UnsortedSegmentSum). Each run of
 * `runRows` rows gives its own partial, so no float32 accumulator adds more than that many values;
 * the caller adds the partials in float64. O(n·k·d) work.
 */
export const clusterSums = defineKernel(
  'clusterSums',
  (x: tf.Tensor2D, labels: tf.Tensor1D, k: number, options: ClusterSumsOptions = {}): ClusterSums =>
    tf.tidy(() => {
      const [n, d] = x.shape;
      const run = options.runRows ?? REDUCTION_RUN;
      const counts: tf.Tensor[] = [];
      const sums: tf.Tensor[] = [];
      const squares: tf.Tensor[] = [];
      for (const [s, e] of ranges(n, run)) {
        const whole = s === 0 && e === n;
        const xt = whole ? x : tf.slice(x, [s, 0], [e - s, d]);
        const lt = whole ? labels : tf.slice(labels, [s], [e - s]);
        let hot = oneHotF32(lt, k); // [t, k]
        if (options.weights) {
          const wt = whole ? options.weights : tf.slice(options.weights, [s], [e - s]);
          hot = tf.mul(hot, tf.reshape(wt, [-1, 1]));
        }
        counts.push(tf.sum(hot, 0));
        sums.push(tf.matMul(hot, xt, true, false));
        if (options.withSquares) squares.push(tf.matMul(hot, tf.square(xt), true, false));
      }
      const out: ClusterSums = {
        counts: tf.stack(counts) as tf.Tensor2D,
        sums: tf.stack(sums) as tf.Tensor3D,
      };
      if (options.withSquares) out.sumSquares = tf.stack(squares) as tf.Tensor3D;
      return out as ClusterSums & { [key: string]: tf.Tensor };
    }),
);

/** Adds the run partials of a [runs, ...] array in float64: returns the [...] total. */
export function addRuns(partials: ArrayLike<number>, runs: number): Float64Array {
  const size = partials.length / runs;
  const total = new Float64Array(size);
  for (let r = 0; r < runs; r++) {
    const base = r * size;
    for (let i = 0; i < size; i++) total[i] += partials[base + i];
  }
  return total;
}
