// SPDX-License-Identifier: MIT
/**
 * The algorithms the app offers and the settings of each, as plain data: the page draws its
 * form from here, and the worker passes the same keys to the workflow's `segment()` as its options.
 *
 * An algorithm is added in the workflow (src/workflow/): its defaults, options and fitter; then
 * its fields here.
 */
import { ParameterError } from '../../src/errors.js';
import { ALGORITHM_LABELS, DEFAULT_FIXED_K, WORKFLOW_DEFAULTS, type WorkflowAlgorithm } from '../../src/workflow/defaults.js';

export type AlgorithmId = WorkflowAlgorithm;

/** Values of the settings of one run, by field key; null is a blank optional field. */
export type Settings = Record<string, number | string | boolean | null>;

interface FieldBase {
  key: string;
  label: string;
  help: string;
}

export interface NumberField extends FieldBase {
  type: 'number';
  /** Null: blank by default (the library then decides, as `help` says). */
  value: number | null;
  min: number;
  max?: number;
  integer: boolean;
}

export interface ChoiceField extends FieldBase {
  type: 'choice';
  value: string;
  options: readonly string[];
}

export interface FlagField extends FieldBase {
  type: 'flag';
  value: boolean;
}

export type Field = NumberField | ChoiceField | FlagField;

export interface AlgorithmSpec {
  id: AlgorithmId;
  label: string;
  fields: readonly Field[];
  /** The number of segments can be chosen by the app (chooseK: k-means over a range of k). */
  choosesK: boolean;
}

const D = WORKFLOW_DEFAULTS;

/**
 * The fields of each algorithm. Keys are the workflow's option names (src/workflow/options.ts)
 * and values its defaults (src/workflow/defaults.ts), so that a run at the form's defaults is
 * `segment()` at its defaults, as `segments fit` runs it.
 */
export const ALGORITHMS: readonly AlgorithmSpec[] = [
  {
    id: 'kmeans',
    label: ALGORITHM_LABELS.kmeans,
    choosesK: true,
    fields: [
      { key: 'k', label: 'segments', type: 'number', value: DEFAULT_FIXED_K, min: 1, integer: true, help: 'number of segments (when the app does not choose it)' },
      { key: 'nInit', label: 'runs', type: 'number', value: D.nInit.value, min: 1, integer: true, help: 'runs from different starting points; the tightest segments win' },
      { key: 'maxIter', label: 'max iterations', type: 'number', value: D.maxIter.value, min: 1, integer: true, help: 'refinement steps per run at most' },
    ],
  },
  {
    id: 'meanshift',
    label: ALGORITHM_LABELS.meanshift,
    choosesK: false,
    fields: [
      { key: 'bandwidth', label: 'bandwidth', type: 'number', value: D.bandwidth.value, min: 0, integer: false, help: 'kernel radius; blank: estimated from the data' },
      { key: 'quantile', label: 'quantile', type: 'number', value: D.quantile.value, min: 0, max: 1, integer: false, help: 'for the bandwidth estimate' },
      { key: 'bandwidthRows', label: 'estimate on rows', type: 'number', value: D.bandwidthRows.value, min: 2, integer: true, help: 'rows sampled for the bandwidth estimate' },
      { key: 'binSeeding', label: 'bin seeding', type: 'flag', value: D.binSeeding.value, help: 'start from grid cells instead of every row (much faster)' },
      { key: 'kernel', label: 'kernel', type: 'choice', value: D.kernel.value, options: ['flat', 'gaussian'], help: 'flat is scikit-learn’s' },
    ],
  },
  {
    id: 'dbscan',
    label: ALGORITHM_LABELS.dbscan,
    choosesK: false,
    fields: [
      { key: 'eps', label: 'eps', type: 'number', value: D.eps.value, min: 0, integer: false, help: 'neighbourhood radius in scaled feature units' },
      { key: 'minSamples', label: 'min samples', type: 'number', value: D.minSamples.value, min: 1, integer: true, help: 'rows within eps that make a core row' },
    ],
  },
  {
    id: 'agglomerative',
    label: ALGORITHM_LABELS.agglomerative,
    choosesK: false,
    fields: [
      { key: 'k', label: 'segments', type: 'number', value: DEFAULT_FIXED_K, min: 1, integer: true, help: 'where the tree is cut' },
      { key: 'linkage', label: 'linkage', type: 'choice', value: D.linkage.value, options: ['ward', 'complete', 'average', 'single'], help: 'ward minimises the within-segment variance' },
    ],
  },
  {
    id: 'spectral',
    label: ALGORITHM_LABELS.spectral,
    choosesK: false,
    fields: [
      { key: 'k', label: 'segments', type: 'number', value: DEFAULT_FIXED_K, min: 1, integer: true, help: 'number of segments' },
      {
        key: 'affinity',
        label: 'affinity',
        type: 'choice',
        value: D.affinity.value,
        options: ['nearest_neighbors', 'rbf'],
        help: 'k-nearest-neighbour graph (robust on many features) or the RBF kernel exp(-gamma·d²)',
      },
      { key: 'nNeighbors', label: 'neighbours', type: 'number', value: D.nNeighbors.value, min: 1, integer: true, help: 'neighbours per row of the graph' },
      { key: 'gamma', label: 'gamma', type: 'number', value: D.gamma.value, min: 0, integer: false, help: 'RBF kernel coefficient' },
      { key: 'nInit', label: 'runs', type: 'number', value: D.nInit.value, min: 1, integer: true, help: 'k-means runs on the embedding' },
    ],
  },
];

/** The spec of an algorithm id. */
export function algorithmSpec(id: AlgorithmId): AlgorithmSpec {
  const spec = ALGORITHMS.find((a) => a.id === id);
  if (spec === undefined) throw new ParameterError('app', 'algorithm', `unknown algorithm '${String(id)}'`);
  return spec;
}

/** The default settings of an algorithm. */
export function defaultSettings(id: AlgorithmId): Settings {
  return Object.fromEntries(algorithmSpec(id).fields.map((f) => [f.key, f.value]));
}

/** A short label of a run, e.g. `k-means (k = 5)` or `DBSCAN (eps = 3, min samples = 10)`. */
export function runLabel(id: AlgorithmId, settings: Settings, chosenK: number | null): string {
  const spec = algorithmSpec(id);
  const shown = spec.fields.filter((f) => f.type !== 'flag' && f.key !== 'nInit' && f.key !== 'maxIter' && f.key !== 'quantile' && f.key !== 'bandwidthRows' && f.key !== 'gamma' && f.key !== 'nNeighbors');
  const parts = shown.map((f) => {
    if (f.key === 'k' && chosenK !== null) return `k = ${chosenK}, chosen`;
    const v = settings[f.key];
    return `${f.label} = ${v === null || v === undefined ? 'auto' : String(v)}`;
  });
  return `${spec.label} (${parts.join(', ')})`;
}
