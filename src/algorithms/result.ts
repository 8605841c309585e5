// SPDX-License-Identifier: MIT
/**
 * The shape every clustering estimator's fitted result shares (KMeans, MeanShift, DBSCAN,
 * Agglomerative, SpectralClustering), and the one definition of a prediction that every
 * `predict` returns. PCA is a transform, not a clustering: it has no labels and is not one.
 */
import type { BackendName } from '../backend/backend.js';

/** What every fitted clustering result holds, with the same names and meanings. */
export interface ClusteringResult {
  /** [n] cluster of each training row, 0..k-1; -1 for a row in no cluster (DBSCAN's noise, mean shift's orphans). */
  readonly labels: Int32Array;
  /** The number of clusters found or asked for: labels run over 0..k-1 (noise not counted). */
  readonly k: number;
  /** The tfjs backend current during the fit. */
  readonly backend: BackendName;
  /** The seed the fit depended on, so that it can be repeated; null for a fit that draws nothing at random. */
  readonly seed: number | null;
  /**
   * Iterations of the fit's iterative loop: the count its `maxIter` option bounds (Lloyd
   * iterations of the best k-means run, the most moves of any mean-shift seed, the spectral
   * eigensolver's block products). 0 for an algorithm that has no such loop (DBSCAN and
   * agglomerative clustering compute their result directly).
   */
  readonly nIter: number;
  /**
   * False when an iterative step of the fit was stopped by its iteration limit rather than by its
   * convergence rule; always true for DBSCAN and agglomerative clustering, which have no limit.
   */
  readonly converged: boolean;
  /** Wall-clock milliseconds the fit took (not reproducible: for progress and logs only). */
  readonly timeMs: number;
}

/**
 * New rows assigned by a fitted result's `predict` (and by a saved model's, src/model/assign.ts):
 * each row's cluster and the Euclidean distance, in float64, from the row to the point that
 * decided it (its center, or its nearest core sample for DBSCAN, also for noise rows). The points
 * are float32; the distance is exact for those float32 values, not squared.
 */
export interface Prediction {
  /** [m] cluster of each row; -1 for DBSCAN's noise. */
  labels: Int32Array;
  /** [m] Euclidean distance (float64, not squared) to the deciding point. */
  distances: Float64Array;
}
