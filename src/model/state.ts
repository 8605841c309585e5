// SPDX-License-Identifier: MIT
/**
 * What a fitted algorithm leaves behind that predict needs, one variant per algorithm, told
 * apart by `type`. Each state is plain data that fully defines its predict rule
 * (src/model/assign.ts):
 * - kmeans, meanShift: a row goes to its nearest center (mean shift also beyond the bandwidth,
 *   as scikit-learn's `MeanShift.predict`);
 * - dbscan: a row goes to the cluster of its nearest core point when that is within eps, else it
 *   is noise (-1).
 * A new algorithm adds a variant here, its rule in assign.ts and its saved form in serialize.ts;
 * the compiler's exhaustiveness checks point at every switch to extend.
 */
import type { DBSCANResult } from '../algorithms/dbscan.js';
import type { MeanShiftResult } from '../algorithms/meanShift.js';
import { assertUnreachable } from '../errors.js';
import type { Matrix, MatrixF32 } from '../matrix.js';

/** The algorithms a model can hold. */
export type AlgorithmName = AlgorithmState['type'];

/** The algorithm names, in the order they are documented. */
export const ALGORITHM_NAMES: readonly AlgorithmName[] = ['kmeans', 'meanShift', 'dbscan'];

/** K-means: rows go to the nearest centroid. */
export interface KMeansState {
  type: 'kmeans';
  /** [k, nFeatures] the centroids, in feature space; row c is segment c. */
  centroids: MatrixF32;
  /** The fit's inertia (sum of squared distances of the training rows to their centroids). */
  inertia: number;
}

/** Mean shift: rows go to the nearest center, however far. */
export interface MeanShiftState {
  type: 'meanShift';
  /** [k, nFeatures] the cluster centers (modes); row c is segment c. */
  centers: MatrixF32;
  /** The bandwidth of the fit, > 0 (kept for the record; predict does not use it). */
  bandwidth: number;
}

/** DBSCAN: rows go to the cluster of the nearest core point within eps, else to noise (-1). */
export interface DBSCANState {
  type: 'dbscan';
  /** [nCore, nFeatures] the core points of the fit. */
  corePoints: MatrixF32;
  /** [nCore] the cluster (0..k-1) of each core point; every cluster has at least one. */
  coreLabels: Int32Array;
  /** Neighbourhood radius, > 0: a row farther than eps from every core point is noise. */
  eps: number;
  /** The fit's minSamples (kept for the record). */
  minSamples: number;
}

/** The state of any fitted algorithm a model can hold. */
export type AlgorithmState = KMeansState | MeanShiftState | DBSCANState;

/** The label of rows that belong to no segment (DBSCAN's noise). */
export const NOISE = -1;

/** The points predict measures distances to: centroids, centers or core points. */
export function statePoints(state: AlgorithmState): MatrixF32 {
  switch (state.type) {
    case 'kmeans':
      return state.centroids;
    case 'meanShift':
      return state.centers;
    case 'dbscan':
      return state.corePoints;
    default:
      return assertUnreachable(state);
  }
}

/** The name of the points' field in the saved form, for messages: `algorithm.centroids`. */
export function pointsField(state: AlgorithmState): string {
  switch (state.type) {
    case 'kmeans':
      return 'algorithm.centroids';
    case 'meanShift':
      return 'algorithm.centers';
    case 'dbscan':
      return 'algorithm.corePoints';
    default:
      return assertUnreachable(state);
  }
}

/** Segments other than noise: k for k-means and mean shift, 1 + the largest core label for DBSCAN. */
export function clusterCount(state: AlgorithmState): number {
  switch (state.type) {
    case 'kmeans':
      return state.centroids.rows;
    case 'meanShift':
      return state.centers.rows;
    case 'dbscan': {
      let max = -1;
      for (const c of state.coreLabels) max = Math.max(max, c);
      return max + 1;
    }
    default:
      return assertUnreachable(state);
  }
}

/** Whether predict can give NOISE (-1), so that the model names a noise segment. */
export function hasNoise(state: AlgorithmState): boolean {
  return state.type === 'dbscan';
}

function f32(m: Matrix): MatrixF32 {
  return { data: Float32Array.from(m.data), rows: m.rows, cols: m.cols };
}

/**
 * The state of a fitted mean shift: its centers and bandwidth. Fit with `clusterAll` (the
 * default): a model has no noise segment for mean shift, so orphan labels (-1) are refused when
 * the model is built.
 */
export function meanShiftState(result: Pick<MeanShiftResult, 'centroids' | 'bandwidth'>): MeanShiftState {
  return { type: 'meanShift', centers: f32(result.centroids), bandwidth: result.bandwidth };
}

/** The state of a fitted DBSCAN: its core samples, their clusters, eps and minSamples. */
export function dbscanState(result: Pick<DBSCANResult, 'coreSamples' | 'coreSampleIndices' | 'labels' | 'eps' | 'minSamples'>): DBSCANState {
  return {
    type: 'dbscan',
    corePoints: f32(result.coreSamples),
    coreLabels: Int32Array.from(result.coreSampleIndices, (i) => result.labels[i]),
    eps: result.eps,
    minSamples: result.minSamples,
  };
}
