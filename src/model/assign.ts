// SPDX-License-Identifier: MIT
/**
 * The predict rules of the algorithm states (src/model/state.ts): each row of a feature matrix
 * to a segment, with its Euclidean distance (float64) to the center or core point that decided
 * it: the same rule and distance as the estimators' own `predict` (src/algorithms/nearest.ts).
 */
import { coreLabelsWithin, nearestPoints } from '../algorithms/nearest.js';
import { DataError, assertUnreachable } from '../errors.js';
import type { MatrixF32 } from '../matrix.js';
import { statePoints, type AlgorithmState } from './state.js';

/** Segments of the rows of a feature matrix. */
export interface Assignment {
  /** [n] segment of each row; NOISE (-1) for DBSCAN rows beyond eps. */
  segments: Int32Array;
  /** [n] Euclidean distance (float64) from the row to its center, or to its nearest core point. */
  distances: Float64Array;
}

/**
 * Applies `state`'s predict rule to the rows of `x` [n, nFeatures]. `hint`: see nearestPoints.
 * @throws DataError when `x` has another width than the state's points.
 */
export async function assignRows(state: AlgorithmState, x: MatrixF32, onWarning?: (message: string) => void, hint?: Int32Array): Promise<Assignment> {
  const points = statePoints(state);
  if (x.cols !== points.cols) {
    throw new DataError('predict', 'X', `the rows have ${x.cols} features, the model's points have ${points.cols}`);
  }
  // a hint (a fit's labels) names centers; DBSCAN's labels are not core-point indices
  const { index, distances } = await nearestPoints(x, points, onWarning, 'predict', state.type === 'dbscan' ? undefined : hint);
  switch (state.type) {
    case 'kmeans':
    case 'meanShift':
      return { segments: index, distances };
    case 'dbscan':
      return { segments: coreLabelsWithin(index, distances, state.coreLabels, state.eps), distances };
    default:
      return assertUnreachable(state);
  }
}
