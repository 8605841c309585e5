// SPDX-License-Identifier: MIT
/**
 * Fitting the algorithm a run asks for, in the worker. One fitter per algorithm id of
 * algorithmSettings.ts; each returns the labels, what the page shows about the fit, and the
 * algorithm's result, from which the downloads build the model and the report.
 */
import {
  Agglomerative,
  DBSCAN,
  KMeans,
  MeanShift,
  ParameterError,
  SpectralClustering,
  chooseK,
  type ChooseKResult,
  type Linkage,
  type MatrixF32,
  type MeanShiftKernel,
  type SpectralAffinity,
} from '../../src/index.js';
import type { AlgorithmFit } from '../../src/model/fromResult.js';
import type { AlgorithmId, Settings } from './algorithmSettings.js';
import type { RunResult } from './protocol.js';

export interface FitContext {
  seed: number;
  /** Choose k in this range (k-means only). */
  chooseK: { kMin: number; kMax: number } | null;
  warn(message: string): void;
  /** Share of the fit done, in [0, 1], and what is being done. */
  progress(fraction: number, stage: string): void;
}

export interface Fitted {
  /** [n] segment of each row; −1 for noise (DBSCAN, mean shift without clusterAll). */
  labels: Int32Array;
  nIter: number;
  converged: boolean;
  notes: string[];
  chooseK: RunResult['chooseK'];
  /** The algorithm's result, for `modelFromResult` (the model download). */
  fit: AlgorithmFit;
  /** The seed the fit depended on; null for a deterministic fit. */
  seed: number | null;
  /** The parameters of the fit as the report lists them (estimated ones with their values). */
  parameters: Record<string, string | number | boolean | null>;
  /** The k search, when k was chosen, for the report's elbow chart. */
  search: Pick<ChooseKResult, 'scores' | 'recommended'> | null;
}

type Fitter = (x: MatrixF32, settings: Settings, ctx: FitContext) => Promise<Fitted>;

function numberSetting(settings: Settings, key: string): number {
  const v = settings[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ParameterError('app', key, `${key} must be a number, got ${String(v)}`);
  return v;
}

function optionalNumber(settings: Settings, key: string): number | undefined {
  return settings[key] === null || settings[key] === undefined ? undefined : numberSetting(settings, key);
}

const fitKMeans: Fitter = async (x, s, ctx): Promise<Fitted> => {
  const options = {
    nInit: numberSetting(s, 'nInit'),
    maxIter: numberSetting(s, 'maxIter'),
    refine: s.refine === true,
    seed: ctx.seed,
    onWarning: ctx.warn,
  };
  if (ctx.chooseK === null) {
    ctx.progress(0, `k-means, k = ${numberSetting(s, 'k')}`);
    const model = await new KMeans({ ...options, k: numberSetting(s, 'k') }).fit(x);
    return {
      labels: model.labels,
      nIter: model.nIter,
      converged: model.converged,
      notes: [],
      chooseK: null,
      fit: { algorithm: 'kmeans', result: model },
      seed: ctx.seed,
      parameters: { k: numberSetting(s, 'k'), nInit: options.nInit, maxIter: options.maxIter, refine: options.refine, seed: ctx.seed },
      search: null,
    };
  }
  const { kMin, kMax } = ctx.chooseK;
  ctx.progress(0, `k-means for k = ${kMin}..${kMax}`);
  const r = await chooseK(x, {
    kMin,
    kMax,
    kmeans: options,
    keepModels: 'chosen',
    silhouetteSampleSize: 5000,
    onProgress: (p) => ctx.progress(p.done / p.total, `k-means for k = ${kMin}..${kMax}: k = ${p.k} done`),
  });
  const points = r.scores.map((score) => ({ k: score.k, inertia: score.inertia, silhouette: score.silhouette }));
  const notes = r.silhouette.exact ? [] : [`silhouette of each k on ${r.silhouette.sampleSize} sampled rows`];
  return {
    labels: r.model.labels,
    nIter: r.model.nIter,
    converged: r.model.converged,
    notes,
    chooseK: { points, elbow: r.elbow.k, recommended: r.recommended.k, reason: r.recommended.reason },
    fit: { algorithm: 'kmeans', result: r.model },
    seed: ctx.seed,
    parameters: {
      k: r.recommended.k,
      kSearch: `${kMin}..${kMax}`,
      nInit: options.nInit,
      maxIter: options.maxIter,
      refine: options.refine,
      seed: ctx.seed,
      searchSilhouette: r.silhouette.exact ? 'exact' : `${r.silhouette.sampleSize} sampled rows`,
    },
    search: r,
  };
};

const fitMeanShift: Fitter = async (x, s, ctx) => {
  ctx.progress(0, 'mean shift');
  const bandwidth = optionalNumber(s, 'bandwidth');
  const model = await new MeanShift({
    bandwidth,
    quantile: numberSetting(s, 'quantile'),
    nSamples: Math.min(numberSetting(s, 'nSamples'), x.rows),
    binSeeding: s.binSeeding === true,
    kernel: String(s.kernel) as MeanShiftKernel,
    seed: ctx.seed,
    onWarning: ctx.warn,
  }).fit(x);
  return {
    labels: model.labels,
    nIter: model.nIter,
    converged: model.converged,
    notes: [`bandwidth ${model.bandwidth.toPrecision(4)}`],
    chooseK: null,
    fit: { algorithm: 'meanshift', result: model },
    // The seed samples the rows the bandwidth is estimated on.
    seed: bandwidth === undefined ? ctx.seed : null,
    parameters: {
      bandwidth: Number(model.bandwidth.toPrecision(4)),
      bandwidthEstimated: bandwidth === undefined,
      binSeeding: s.binSeeding === true,
      kernel: String(s.kernel),
      seeds: model.nSeeds,
      ...(bandwidth === undefined ? { quantile: numberSetting(s, 'quantile'), seed: ctx.seed } : {}),
    },
    search: null,
  };
};

const fitDbscan: Fitter = async (x, s, ctx) => {
  ctx.progress(0, 'DBSCAN');
  const model = await new DBSCAN({ eps: numberSetting(s, 'eps'), minSamples: numberSetting(s, 'minSamples'), onWarning: ctx.warn }).fit(x);
  return {
    labels: model.labels,
    nIter: model.nIter,
    converged: model.converged,
    notes: [`${model.coreSampleIndices.length} core rows`],
    chooseK: null,
    fit: { algorithm: 'dbscan', result: model },
    seed: null,
    parameters: { eps: model.eps, minSamples: model.minSamples, clusters: model.nClusters },
    search: null,
  };
};

const fitAgglomerative: Fitter = async (x, s, ctx) => {
  ctx.progress(0, 'agglomerative');
  const model = await new Agglomerative({ nClusters: numberSetting(s, 'nClusters'), linkage: String(s.linkage) as Linkage, onWarning: ctx.warn }).fit(x);
  return {
    labels: model.labels,
    nIter: model.nIter,
    converged: model.converged,
    notes: [],
    chooseK: null,
    fit: { algorithm: 'agglomerative', result: model, x },
    seed: null,
    parameters: { k: model.nClusters, linkage: model.linkage },
    search: null,
  };
};

const fitSpectral: Fitter = async (x, s, ctx) => {
  ctx.progress(0, 'spectral clustering');
  const model = await new SpectralClustering({
    k: numberSetting(s, 'k'),
    affinity: String(s.affinity) as SpectralAffinity,
    nNeighbors: numberSetting(s, 'nNeighbors'),
    gamma: numberSetting(s, 'gamma'),
    nInit: numberSetting(s, 'nInit'),
    seed: ctx.seed,
    onWarning: ctx.warn,
  }).fit(x);
  return {
    labels: model.labels,
    nIter: model.nIter,
    converged: model.converged,
    notes: [`affinity ${model.affinity} (${model.affinityStorage})`],
    chooseK: null,
    fit: { algorithm: 'spectral', result: model, x },
    seed: ctx.seed,
    parameters: {
      k: numberSetting(s, 'k'),
      affinity: model.affinity,
      ...(model.affinity === 'rbf' ? { gamma: numberSetting(s, 'gamma') } : { nNeighbors: numberSetting(s, 'nNeighbors') }),
      nInit: numberSetting(s, 'nInit'),
      seed: ctx.seed,
    },
    search: null,
  };
};

/** The fitter of each algorithm: the extension point for a new one (see algorithmSettings.ts). */
export const FITTERS: Record<AlgorithmId, Fitter> = {
  kmeans: fitKMeans,
  meanshift: fitMeanShift,
  dbscan: fitDbscan,
  agglomerative: fitAgglomerative,
  spectral: fitSpectral,
};
