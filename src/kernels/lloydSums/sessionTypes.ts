// SPDX-License-Identifier: MIT
/** The types of a Lloyd session (session.ts), apart so that its backends' files (wasm.ts) need not import session.ts. */
import type * as tf from '@tensorflow/tfjs-core';

/** One row block of a session. */
export interface LloydSessionBlock {
  /** Index of the block's first row in the whole matrix. */
  start: number;
  /** [t, d] float32 rows. */
  x: tf.Tensor2D;
  /** [t] float32 row weights, or null (all 1). */
  weights: tf.Tensor1D | null;
  /** The host rows `x` holds ([t·d], the same values), when the caller has them: a backend that copies the block reads them instead of the device. */
  hostRows?: Float32Array;
  /** The host values `weights` holds, likewise. */
  hostWeights?: Float32Array;
}

/** What one step of a session gives. */
export interface LloydSessionStep {
  /** [k] summed weights of the rows nearest to each center (float64). */
  counts: Float64Array;
  /** [k, d] summed weighted rows per nearest center (float64). */
  sums: Float64Array;
  /** Groups of four rows in the blocks (the last of each block may be short): the unit below. */
  groups: number;
  /** Groups whose distances to every center were computed; the rest kept their labels by their bounds (always `groups` without bounds). */
  scanned: number;
  /** Groups that needed their rows' distances to their own centers only. */
  tightened: number;
}

/** Labels and squared distances of every row of the session's blocks. */
export interface LloydAssignment {
  /** [n] nearest center (lowest index on a tie). */
  labels: Int32Array;
  /** [n] squared distance to it, float32. */
  distances: Float32Array;
}

/** An open Lloyd session (see openLloydSession). */
export interface LloydSession {
  /** The number of centers every step takes. */
  readonly k: number;
  /** One Lloyd step on every block with `centers` [k, d]: the counts and sums of the rows by nearest center. */
  step(centers: Float32Array): Promise<LloydSessionStep>;
  /** The nearest of `centers` [k, d] for every row; `n`: the rows of all blocks. The same labels and distances as assignNearest. */
  assign(centers: Float32Array, n: number): Promise<LloydAssignment>;
  /** Frees what the session holds (not the blocks, which stay the caller's). Idempotent. */
  dispose(): void;
}
