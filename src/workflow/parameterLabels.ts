// SPDX-License-Identifier: MIT
/**
 * The parameters of a fit (Segmentation.algorithm.parameters, keyed as the options are) in a
 * reader's words, for the report and the app: 'runs (the best is kept)', not 'nInit'.
 */

export const PARAMETER_LABELS: Readonly<Record<string, string>> = {
  k: 'segments (k)',
  kSearch: 'k tried',
  searchRows: 'rows in the k search',
  searchSilhouette: 'silhouette in the k search',
  nInit: 'runs (the best is kept)',
  seed: 'random seed',
  bandwidth: 'bandwidth',
  bandwidthEstimated: 'bandwidth estimated',
  quantile: 'bandwidth quantile',
  bandwidthRows: 'rows for the bandwidth',
  binSeeding: 'seeds on a grid',
  kernel: 'kernel',
  seeds: 'seeds',
  eps: 'neighbourhood radius',
  minSamples: 'neighbours of a core row',
  clusters: 'segments found',
  linkage: 'linkage',
  affinity: 'affinity',
  gamma: 'kernel width (gamma)',
  nNeighbors: 'neighbours in the graph',
};

/** The reader's label of a parameter; one not in the table has its camelCase split into words. */
export function parameterLabel(key: string): string {
  return PARAMETER_LABELS[key] ?? key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

/** The parameters with readers' labels as keys, in the same order. */
export function labelledParameters<T>(parameters: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(Object.entries(parameters).map(([key, value]) => [parameterLabel(key), value]));
}
