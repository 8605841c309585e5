// SPDX-License-Identifier: MIT
/**
 * The fit step of the workflow: one fitter per algorithm, each taking the resolved options and
 * returning the labels, the algorithm's result (from which the model is built), the parameters as
 * the report lists them (estimated ones with their values), and the k search when k was chosen.
 */
import { Agglomerative } from '../algorithms/agglomerative.js';
import { chooseK, type ChooseKResult } from '../algorithms/chooseK.js';
import { DBSCAN } from '../algorithms/dbscan.js';
import { KMeans, type KMeansOptions } from '../algorithms/kmeans.js';
import { MeanShift } from '../algorithms/meanShift.js';
import type { ClusteringResult } from '../algorithms/result.js';
import { SpectralClustering } from '../algorithms/spectral.js';
import type { BackendName } from '../backend/backend.js';
import { DataError, ParameterError, assertUnreachable } from '../errors.js';
import type { MatrixF32 } from '../matrix.js';
import type { AlgorithmFit } from '../model/fromResult.js';
import type { ResolvedOptions } from './options.js';
import type { ProgressTracker } from './progress.js';

/** What the fit step returns. */
export interface AlgorithmOutcome {
  /** [n] segment of each row; −1 for noise (DBSCAN). */
  labels: Int32Array;
  /** The algorithm's result, for `modelFromResult`. */
  fit: AlgorithmFit;
  /** The seed the fit depended on; null for a deterministic fit. */
  seed: number | null;
  /** The parameters of the fit as the report lists them (estimated ones with their values). */
  parameters: Record<string, string | number | boolean | null>;
  /** The algorithm in a user's words, with its variant: 'k-means', 'agglomerative (ward)'. */
  label: string;
  /** The k search, when k was chosen. */
  search: ChooseKResult | null;
  /** The result's nIter (see ClusteringResult for its one meaning). */
  nIter: number;
  converged: boolean;
  /** Facts about the fit worth showing (the bandwidth estimated, core rows found). */
  notes: string[];
  backend: BackendName;
}

type Fitter = (x: MatrixF32, o: ResolvedOptions, progress: ProgressTracker, warn: (m: string) => void) => Promise<AlgorithmOutcome>;

const FN = 'segment';

function checkK(k: number, n: number): void {
  if (k > n) throw new ParameterError(FN, 'k', `k=${k} is more than the ${n} rows to segment`);
}

/** The fields every algorithm's outcome takes from its result as they are. */
function shared(model: ClusteringResult): Pick<AlgorithmOutcome, 'labels' | 'nIter' | 'converged' | 'backend'> {
  return { labels: model.labels, nIter: model.nIter, converged: model.converged, backend: model.backend };
}

function kmeansOptions(o: ResolvedOptions, warn: (m: string) => void): Omit<KMeansOptions, 'k'> {
  return { nInit: o.nInit, maxIter: o.maxIter, seed: o.seed, onWarning: warn, ...(o.refine === null ? {} : { refine: o.refine }), ...(o.signal === undefined ? {} : { signal: o.signal }) };
}

const fitKMeans: Fitter = async (x, o, progress, warn): Promise<AlgorithmOutcome> => {
  const base = kmeansOptions(o, warn);
  if (o.k !== 'auto') {
    const k = o.k;
    checkK(k, x.rows);
    progress.start('fit', `k-means, k = ${k}, ${o.nInit} run${o.nInit > 1 ? 's' : ''}`);
    const t0 = performance.now();
    const model = await new KMeans({
      ...base,
      k,
      onRun: (r) => {
        const perRun = (performance.now() - t0) / 1000 / r.run;
        const secondsLeft = perRun * (r.runs - r.run);
        progress.update(r.run / r.runs, `k-means, k = ${k}: run ${r.run} of ${r.runs} done`, secondsLeft);
      },
    }).fit(x);
    return {
      ...shared(model),
      fit: { algorithm: 'kmeans', result: model },
      seed: o.seed,
      parameters: { k, nInit: o.nInit, seed: o.seed },
      label: 'k-means',
      search: null,
      notes: [],
    };
  }
  const kMax = Math.min(o.kMax, x.rows);
  if (o.kMin > kMax) throw new ParameterError(FN, 'kMin', `kMin=${o.kMin} is more than the ${x.rows} rows to segment`);
  const range = `k = ${o.kMin}..${kMax}`;
  progress.start('search', `choosing k in ${o.kMin}..${kMax}`);
  const search = await chooseK(x, {
    kMin: o.kMin,
    kMax,
    kmeans: base,
    sampleSize: o.searchRows,
    keepModels: 'chosen',
    silhouetteSampleSize: o.searchSilhouetteRows,
    // The signal, in the k-means options, stops the search too.
    onProgress: (p) => {
      if (p.phase === 'final') {
        // chooseK says when the final fit starts (run 0 of 1) and when it is done.
        const message = `k-means on all ${x.rows} rows, k = ${p.k}`;
        if (p.run === 0) progress.start('fit', message);
        else progress.update(1, message, p.secondsLeft);
        return;
      }
      const what = p.score === null ? `, run ${p.run} of ${p.runs}` : `: silhouette ${p.score.silhouette?.toFixed(3) ?? 'n/a'}`;
      progress.update(p.fraction, `choosing k in ${o.kMin}..${kMax}: k = ${p.k} (${p.done}/${p.total})${what}`, p.secondsLeft);
    },
  });
  const model = search.model;
  return {
    ...shared(model),
    fit: { algorithm: 'kmeans', result: model },
    seed: o.seed,
    parameters: {
      k: search.recommended.k,
      kSearch: `${o.kMin}..${kMax}`,
      searchRows: search.search.sampled ? `${search.search.rows} sampled rows` : `all ${search.search.rows} rows`,
      nInit: o.nInit,
      seed: o.seed,
      searchSilhouette: search.silhouette.exact ? 'exact' : `${search.silhouette.sampleSize} sampled rows`,
    },
    label: 'k-means',
    search,
    notes: search.search.sampled ? [`k chosen on ${search.search.rows} sampled rows (${range}), then fitted on all ${x.rows} rows`] : [],
  };
};

const fitMeanShift: Fitter = async (x, o, progress, warn) => {
  const estimate = o.bandwidth === null;
  const nSamples = Math.min(x.rows, o.bandwidthRows);
  progress.start('fit', estimate ? `mean shift (estimating the bandwidth on ${nSamples} rows)` : `mean shift, bandwidth ${o.bandwidth}`);
  const model = await new MeanShift({
    ...(estimate ? { quantile: o.quantile, nSamples, seed: o.seed } : { bandwidth: o.bandwidth as number }),
    binSeeding: o.binSeeding,
    kernel: o.kernel,
    onWarning: warn,
  }).fit(x);
  return {
    ...shared(model),
    fit: { algorithm: 'meanshift', result: model },
    seed: estimate ? o.seed : null,
    parameters: {
      bandwidth: Number(model.bandwidth.toPrecision(4)),
      bandwidthEstimated: estimate,
      ...(estimate ? { quantile: o.quantile, bandwidthRows: nSamples } : {}),
      binSeeding: o.binSeeding,
      kernel: o.kernel,
      seeds: model.nSeeds,
    },
    label: 'mean shift',
    search: null,
    notes: [`bandwidth ${model.bandwidth.toPrecision(4)}${estimate ? ` (estimated on ${nSamples} rows)` : ''}`],
  };
};

const fitDbscan: Fitter = async (x, o, progress, warn) => {
  progress.start('fit', `DBSCAN, eps = ${o.eps}, min samples = ${o.minSamples}`);
  const model = await new DBSCAN({ eps: o.eps, minSamples: o.minSamples, onWarning: warn }).fit(x);
  if (model.k === 0) {
    throw new DataError(FN, 'eps', `DBSCAN found no segment with eps=${o.eps} and minSamples=${o.minSamples}: every row is noise; try a larger eps or a smaller minSamples`);
  }
  return {
    ...shared(model),
    fit: { algorithm: 'dbscan', result: model },
    seed: null,
    parameters: { eps: o.eps, minSamples: o.minSamples, clusters: model.k },
    label: 'DBSCAN',
    search: null,
    notes: [`${model.coreSampleIndices.length} core rows`],
  };
};

const fitAgglomerative: Fitter = async (x, o, progress, warn) => {
  const k = o.k as number;
  checkK(k, x.rows);
  progress.start('fit', `agglomerative (${o.linkage}), ${k} segments, ${x.rows} rows`);
  const model = await new Agglomerative({ k, linkage: o.linkage, onWarning: warn }).fit(x);
  return {
    ...shared(model),
    // The tree cannot place new rows: the model keeps each segment's mean and assigns the nearest.
    fit: { algorithm: 'agglomerative', result: model, x },
    seed: null,
    parameters: { k, linkage: o.linkage },
    label: `agglomerative (${o.linkage})`,
    search: null,
    notes: [],
  };
};

const fitSpectral: Fitter = async (x, o, progress, warn) => {
  const k = o.k as number;
  checkK(k, x.rows);
  progress.start('fit', `spectral clustering, ${k} segments, ${x.rows} rows`);
  const model = await new SpectralClustering({ k, affinity: o.affinity, nNeighbors: o.nNeighbors, gamma: o.gamma, nInit: o.nInit, seed: o.seed, onWarning: warn }).fit(x);
  return {
    ...shared(model),
    fit: { algorithm: 'spectral', result: model, x },
    seed: o.seed,
    parameters: { k, affinity: model.affinity, ...(model.affinity === 'rbf' ? { gamma: o.gamma } : { nNeighbors: o.nNeighbors }), nInit: o.nInit, seed: o.seed },
    label: 'spectral',
    search: null,
    notes: [`affinity ${model.affinity} (${model.affinityStorage})`],
  };
};

/** Fits the algorithm the options name on the feature matrix `x` [rows, features]. */
export function fitAlgorithm(x: MatrixF32, o: ResolvedOptions, progress: ProgressTracker, warn: (m: string) => void): Promise<AlgorithmOutcome> {
  switch (o.algorithm) {
    case 'kmeans':
      return fitKMeans(x, o, progress, warn);
    case 'meanshift':
      return fitMeanShift(x, o, progress, warn);
    case 'dbscan':
      return fitDbscan(x, o, progress, warn);
    case 'agglomerative':
      return fitAgglomerative(x, o, progress, warn);
    case 'spectral':
      return fitSpectral(x, o, progress, warn);
    default:
      return assertUnreachable(o.algorithm);
  }
}
