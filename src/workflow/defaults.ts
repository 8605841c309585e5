// SPDX-License-Identifier: MIT
/**
 * The defaults of the segmentation workflow, in one table: `segment()` (the library), the CLI's
 * `segments fit` and the browser app all take them from here, so that the same file, options and
 * seed give the same segments everywhere. README.md lists them; `test/workflow/defaults.test.ts`
 * checks that README's table and this one agree.
 */

/** The algorithms the workflow runs, by the ids the CLI (`--algorithm`) and the app use. */
export const WORKFLOW_ALGORITHMS = ['kmeans', 'meanshift', 'dbscan', 'agglomerative', 'spectral'] as const;
export type WorkflowAlgorithm = (typeof WORKFLOW_ALGORITHMS)[number];

/** The words a person reads for each algorithm. */
export const ALGORITHM_LABELS: Readonly<Record<WorkflowAlgorithm, string>> = {
  kmeans: 'k-means',
  meanshift: 'mean shift',
  dbscan: 'DBSCAN',
  agglomerative: 'agglomerative',
  spectral: 'spectral',
};

/** What each option does, its default and the algorithms it applies to (null: every one). */
export interface OptionDefault {
  readonly value: number | string | boolean | null;
  readonly appliesTo: readonly WorkflowAlgorithm[] | null;
  readonly help: string;
}

/**
 * Every option of `segment()` that has a default. A `null` value means "decided from the data",
 * as `help` says. Options without a default here (the input's name, a schema, kinds, exclude,
 * onProgress, onWarning, signal) are listed in SegmentOptions.
 */
export const WORKFLOW_DEFAULTS = {
  algorithm: { value: 'kmeans', appliesTo: null, help: 'the clustering algorithm' },
  seed: { value: 42, appliesTo: null, help: 'seed of every random choice (k-means++ seeds, samples), so that two runs give the same segments' },
  backend: { value: 'auto', appliesTo: null, help: 'tfjs backend: auto picks the fastest hardware one (never a software GPU adapter), else wasm' },
  onBadRows: { value: 'fail', appliesTo: null, help: "rows that do not parse: 'fail' (stop, naming the line), 'skip' or 'null'" },
  maxRows: { value: null, appliesTo: null, help: 'read only the first N rows (null: all)' },
  decimal: { value: null, appliesTo: null, help: "decimal mark of the numbers, '.' or ',' (null: '.', or ',' where a CSV whose delimiter is not ',' shows decimal commas such as 0,438 or 2.245,71; the report's notes say so)" },
  encoding: { value: null, appliesTo: null, help: "text encoding of a CSV: 'utf-8', 'latin1', 'windows-1252', 'utf-16le' or 'utf-16be' (null: UTF-16 by its byte-order mark, else UTF-8)" },
  k: { value: 'auto', appliesTo: ['kmeans', 'agglomerative', 'spectral'], help: "segments; 'auto' (k-means only) chooses k in kMin..kMax; agglomerative and spectral take 5 when not given" },
  kMin: { value: 2, appliesTo: ['kmeans'], help: 'smallest k tried when k is auto' },
  kMax: { value: 8, appliesTo: ['kmeans'], help: 'largest k tried when k is auto' },
  searchRows: { value: 10_000, appliesTo: ['kmeans'], help: 'the k search runs on this many sampled rows (all rows when fewer); the chosen k is then fitted on all rows (10^5 and 10^6 generated users, seeds 42 and 7: the same k and final inertia as with 20,000, the search 0.6 s instead of 1.1 s)' },
  nInit: { value: 4, appliesTo: ['kmeans', 'spectral'], help: 'k-means runs from different seeds, the lowest inertia kept' },
  maxIter: { value: 300, appliesTo: ['kmeans'], help: 'Lloyd iterations per run at most' },
  refine: { value: null, appliesTo: ['kmeans'], help: "Hartigan and swap refinement after Lloyd (null: KMeans's own default)" },
  bandwidth: { value: null, appliesTo: ['meanshift'], help: 'kernel radius in scaled features (null: estimated from sampled rows)' },
  quantile: { value: 0.3, appliesTo: ['meanshift'], help: 'quantile of the pairwise distances the bandwidth estimate takes' },
  bandwidthRows: { value: 2000, appliesTo: ['meanshift'], help: 'rows sampled for the bandwidth estimate' },
  binSeeding: { value: true, appliesTo: ['meanshift'], help: 'start a climb per occupied grid cell, not per row (much faster)' },
  kernel: { value: 'flat', appliesTo: ['meanshift'], help: "'flat' (scikit-learn's) or 'gaussian'" },
  eps: { value: 0.5, appliesTo: ['dbscan'], help: 'DBSCAN neighbourhood radius in scaled features' },
  minSamples: { value: 5, appliesTo: ['dbscan'], help: 'rows within eps that make a core row' },
  linkage: { value: 'ward', appliesTo: ['agglomerative'], help: "'ward', 'complete', 'average' or 'single'" },
  affinity: { value: 'nearest_neighbors', appliesTo: ['spectral'], help: "'nearest_neighbors' (a k-NN graph) or 'rbf'" },
  nNeighbors: { value: 10, appliesTo: ['spectral'], help: 'neighbours per row of the spectral graph' },
  gamma: { value: 1, appliesTo: ['spectral'], help: 'RBF kernel coefficient' },
  silhouetteRows: { value: 4000, appliesTo: null, help: 'the silhouette (O(n²)) is exact up to this many rows, on this many sampled rows above (on 10^5 generated users, 8 samples of 4,000 rows gave the 30,000-row mean within ±0.002)' },
  searchSilhouetteRows: { value: 4000, appliesTo: ['kmeans'], help: 'rows of the silhouette that scores each k of the search' },
  modelCheckRows: { value: 2000, appliesTo: null, help: 'sampled rows read back through the saved model to check it against the fit' },
  maxCategories: { value: 100, appliesTo: null, help: 'a text column with more distinct labels than this is treated as an id (not used, said so) rather than one-hot encoded into that many features; give it the category kind to use it anyway' },
  reportFeatures: { value: 200, appliesTo: null, help: "features the report's wide parts work on at most: the PCA scatter (O(d³)) and the profile tables keep the ones whose values differ most between the segments and say how many were left out" },
  weakSilhouette: { value: 0.25, appliesTo: null, help: 'below this mean silhouette the segments are said to be weakly separated (no substantial structure, Kaufman & Rousseeuw), with a warning, and their names read as tentative (uniform random data: 0.19 to 0.23)' },
  minSilhouetteGain: { value: 0.1, appliesTo: null, help: 'the segments are also called weakly separated when their silhouette is less than this above the silhouette k-means gets on uniform random rows in the box the features span (uniform data of few dimensions scores 0.4)' },
  strongSilhouette: { value: 0.5, appliesTo: null, help: 'from this mean silhouette the separation is called strong (between the two: moderate, no warning)' },
  stabilityRows: { value: 2000, appliesTo: ['kmeans'], help: 'rows sampled for the stability check: k-means from another seed on them, compared with the fit by the adjusted Rand index' },
  minStability: { value: 0.8, appliesTo: ['kmeans'], help: 'below this adjusted Rand index between the fit and the second fit the segments are said to be unstable, with a warning' },
  minRowsPerSegment: { value: 10, appliesTo: null, help: 'fewer rows per segment than this on average gives a warning' },
  maxNoiseShare: { value: 0.5, appliesTo: ['dbscan'], help: 'more noise rows than this share of all rows gives a warning naming the parameters that keep more rows (a larger eps, a smaller minSamples)' },
} as const satisfies Record<string, OptionDefault>;

export type DefaultedOption = keyof typeof WORKFLOW_DEFAULTS;

/** k for agglomerative and spectral clustering when none is given. */
export const DEFAULT_FIXED_K = 5;

/** The options that apply to `algorithm`. */
export function optionsFor(algorithm: WorkflowAlgorithm): DefaultedOption[] {
  return (Object.keys(WORKFLOW_DEFAULTS) as DefaultedOption[]).filter((key) => {
    const applies: readonly WorkflowAlgorithm[] | null = WORKFLOW_DEFAULTS[key].appliesTo;
    return applies === null || applies.includes(algorithm);
  });
}

/** README's table of the defaults, as markdown (README.md holds this text; a test compares). */
export function defaultsTable(): string {
  const cell = (v: unknown): string => (v === null ? '(from the data)' : typeof v === 'string' ? `\`'${v}'\`` : `\`${String(v)}\``);
  const lines = ['| option | default | applies to | what it does |', '|---|---|---|---|'];
  for (const [key, d] of Object.entries(WORKFLOW_DEFAULTS) as Array<[string, OptionDefault]>) {
    lines.push(`| \`${key}\` | ${cell(d.value)} | ${d.appliesTo === null ? 'all' : d.appliesTo.join(', ')} | ${d.help} |`);
  }
  return lines.join('\n');
}
