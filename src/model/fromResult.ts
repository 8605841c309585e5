// SPDX-License-Identifier: MIT
/**
 * A SegmentationModel from what any of the clustering algorithms returned, the same way for the
 * CLI (`segments fit`) and the browser app, so that both write the same model.json. Imports
 * nothing that only runs in Node.
 *
 * - k-means: its centroids; predict gives the nearest centroid.
 * - mean shift: its centers (src/model/state.ts `meanShiftState`); predict gives the nearest center.
 * - DBSCAN: its core rows and their clusters (`dbscanState`); predict gives the cluster of the
 *   nearest core row within eps, else noise. A border row of the fit lies within eps of a core
 *   row of its cluster, but may lie nearer to a core row of another, so predict may move it.
 * - agglomerative and spectral clustering cannot place new rows (a merge tree, a graph
 *   embedding): the model keeps each segment's mean in feature space and assigns the nearest
 *   mean, a k-means state. Training rows nearer to another segment's mean move.
 */
import type { AgglomerativeResult } from '../algorithms/agglomerative.js';
import type { DBSCANResult } from '../algorithms/dbscan.js';
import type { KMeansResult } from '../algorithms/kmeans.js';
import type { MeanShiftResult } from '../algorithms/meanShift.js';
import type { SpectralClusteringResult } from '../algorithms/spectral.js';
import type { Pipeline } from '../data/pipeline.js';
import type { Schema } from '../data/schema.js';
import { DataError, ParameterError, assertUnreachable } from '../errors.js';
import type { MatrixF32 } from '../matrix.js';
import { SegmentationModel, type NameSource, type SegmentNames } from './model.js';
import { dbscanState, meanShiftState, type AlgorithmState } from './state.js';

/** The algorithms a model can be built from, by the ids the CLI's `--algorithm` and the app use. */
export type FittedAlgorithm = 'kmeans' | 'meanshift' | 'dbscan' | 'agglomerative' | 'spectral';

/**
 * What an algorithm's fit returned, by algorithm. Agglomerative and spectral clustering also need
 * `x`, the feature matrix [nSamples, nFeatures] they were fitted on, for the segment means.
 */
export type AlgorithmFit =
  | { algorithm: 'kmeans'; result: Pick<KMeansResult, 'labels' | 'centroids' | 'inertia' | 'backend' | 'seed'> }
  | { algorithm: 'meanshift'; result: Pick<MeanShiftResult, 'labels' | 'centroids' | 'bandwidth' | 'backend'> }
  | { algorithm: 'dbscan'; result: Pick<DBSCANResult, 'labels' | 'coreSamples' | 'coreSampleIndices' | 'k' | 'eps' | 'minSamples' | 'backend'> }
  | { algorithm: 'agglomerative'; result: Pick<AgglomerativeResult, 'labels' | 'k' | 'backend'>; x: MatrixF32 }
  | { algorithm: 'spectral'; result: Pick<SpectralClusteringResult, 'labels' | 'k' | 'backend' | 'seed'>; x: MatrixF32 };

/** What {@link modelFromResult} needs. */
export interface ModelFromResultOptions {
  fit: AlgorithmFit;
  /** The pipeline whose features the algorithm was fitted on. */
  pipeline: Pipeline;
  /** The schema the pipeline was fitted with. */
  schema: Schema;
  /**
   * The seed the fit depended on. Default: the result's own seed (k-means, spectral), else null
   * (give mean shift's seed when its bandwidth was estimated on sampled rows).
   */
  seed?: number | null;
  /** Names by segment id (−1: noise); the others are generated. */
  names?: SegmentNames;
  /** Where the given names come from. Default 'generated'. */
  nameSource?: NameSource;
  /** Default: now. */
  createdAt?: Date;
}

/** The model, and how its predict relates to the fit where that is not the algorithm's own rule. */
export interface ModelFromResult {
  model: SegmentationModel;
  /** A sentence on training rows predict may place elsewhere than the fit did; null for k-means and mean shift. */
  predictNote: string | null;
}

const FN = 'modelFromResult';

/** Why predict may disagree with the fit on training rows, by algorithm. */
export const PREDICT_NOTES: Readonly<Record<FittedAlgorithm, string | null>> = {
  kmeans: null,
  meanshift: null,
  dbscan: 'predict gives a row the segment of its nearest core row within eps: border rows of the fit may land elsewhere',
  agglomerative: 'the saved model assigns new rows to the nearest segment mean (a tree cannot place new rows)',
  spectral: 'the saved model assigns new rows to the nearest segment mean (a spectral embedding cannot place new rows)',
};

/**
 * A SegmentationModel from an algorithm's fit (see the file's comment for each algorithm's
 * predict rule). O(n·d) for the segment means of agglomerative and spectral clustering.
 * @throws DataError when DBSCAN found no cluster (a model needs a segment); ParameterError when
 *   `x` has another number of rows than the labels, or for labels the state has no segment for
 *   (mean shift fitted with clusterAll false).
 * @example
 * const { table } = await readTable('Mall_Customers.csv');
 * const schema = inferKinds(table);
 * const pipeline = Pipeline.fit(table, schema, { onWarning: () => {} });
 * const x = pipeline.transform(table).matrix;
 * const result = await new Agglomerative({ k: 4 }).fit(x);
 * const { model, predictNote } = modelFromResult({ fit: { algorithm: 'agglomerative', result, x }, pipeline, schema });
 * // The JSON is what `segments predict` reads; predictNote says why predicted rows may move.
 * const json = stringifyModel(model);
 * predictNote === null; // false
 * (await parseModel(json).predict(table)).segments.length; // 200
 */
export function modelFromResult(options: ModelFromResultOptions): ModelFromResult {
  const { fit } = options;
  const { state, seed } = stateOf(fit);
  const model = SegmentationModel.fromState({
    pipeline: options.pipeline,
    schema: options.schema,
    state,
    labels: fit.result.labels,
    backend: fit.result.backend,
    seed: options.seed === undefined ? seed : options.seed,
    ...(options.names === undefined ? {} : { names: options.names }),
    ...(options.nameSource === undefined ? {} : { nameSource: options.nameSource }),
    ...(options.createdAt === undefined ? {} : { createdAt: options.createdAt }),
  });
  return { model, predictNote: PREDICT_NOTES[fit.algorithm] };
}

function stateOf(fit: AlgorithmFit): { state: AlgorithmState; seed: number | null } {
  switch (fit.algorithm) {
    case 'kmeans': {
      const c = fit.result.centroids;
      return { state: { type: 'kmeans', centroids: { data: Float32Array.from(c.data), rows: c.rows, cols: c.cols }, inertia: fit.result.inertia }, seed: fit.result.seed };
    }
    case 'meanshift':
      return { state: meanShiftState(fit.result), seed: null };
    case 'dbscan':
      if (fit.result.k === 0) {
        throw new DataError(FN, 'labels', `DBSCAN with eps=${fit.result.eps} and minSamples=${fit.result.minSamples} found no cluster: every row is noise, and a model needs a segment`);
      }
      return { state: dbscanState(fit.result), seed: null };
    case 'agglomerative':
      return { state: { type: 'kmeans', ...segmentMeans(fit.x, fit.result.labels, fit.result.k) }, seed: null };
    case 'spectral':
      return { state: { type: 'kmeans', ...segmentMeans(fit.x, fit.result.labels, fit.result.k) }, seed: fit.result.seed };
    default:
      return assertUnreachable(fit);
  }
}

/**
 * The mean of each segment's rows of `x` [n, d] (labels 0..k−1), summed in float64, and the sum
 * of squared distances of the rows to their means. A segment without rows gets the origin. O(n·d).
 */
export function segmentMeans(x: MatrixF32, labels: ArrayLike<number>, k: number): { centroids: MatrixF32; inertia: number } {
  const { rows: n, cols: d } = x;
  if (labels.length !== n) throw new ParameterError(FN, 'x', `x has ${n} rows, the labels ${labels.length}`);
  const sums = new Float64Array(k * d);
  const counts = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const c = labels[i];
    if (!(Number.isInteger(c) && c >= 0 && c < k)) throw new ParameterError(FN, 'labels', `labels[${i}] = ${c} is not a segment 0..${k - 1}`);
    counts[c]++;
    for (let j = 0; j < d; j++) sums[c * d + j] += x.data[i * d + j];
  }
  const data = Float32Array.from(sums, (s, idx) => s / Math.max(1, counts[Math.floor(idx / d)]));
  let inertia = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) inertia += (x.data[i * d + j] - data[labels[i] * d + j]) ** 2;
  return { centroids: { data, rows: k, cols: d }, inertia };
}
