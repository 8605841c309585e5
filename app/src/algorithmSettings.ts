// SPDX-License-Identifier: MIT
/**
 * The algorithms the app offers and the settings of each, as plain data: the page draws its
 * form from here, the worker (fitAlgorithm.ts) fits from the same keys.
 *
 * Adding an algorithm takes two steps: its id and settings here, and its fitter in `FITTERS`
 * (fitAlgorithm.ts), which the type checker then requires.
 */
import { ParameterError } from '../../src/errors.js';

export type AlgorithmId = 'kmeans' | 'meanshift' | 'dbscan' | 'agglomerative' | 'spectral';

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

export const ALGORITHMS: readonly AlgorithmSpec[] = [
  {
    id: 'kmeans',
    label: 'k-means',
    choosesK: true,
    fields: [
      { key: 'k', label: 'k', type: 'number', value: 5, min: 1, integer: true, help: 'number of segments' },
      { key: 'nInit', label: 'runs', type: 'number', value: 10, min: 1, integer: true, help: 'runs from different seeds; the lowest inertia wins' },
      { key: 'maxIter', label: 'max iterations', type: 'number', value: 300, min: 1, integer: true, help: 'Lloyd iterations per run' },
      { key: 'refine', label: 'refine', type: 'flag', value: true, help: "Hartigan's single-row moves after Lloyd (lower inertia)" },
    ],
  },
  {
    id: 'meanshift',
    label: 'mean shift',
    choosesK: false,
    fields: [
      { key: 'bandwidth', label: 'bandwidth', type: 'number', value: null, min: 0, integer: false, help: 'kernel radius; blank: estimated from the data' },
      { key: 'quantile', label: 'quantile', type: 'number', value: 0.3, min: 0, max: 1, integer: false, help: 'for the bandwidth estimate' },
      { key: 'nSamples', label: 'estimate on rows', type: 'number', value: 2000, min: 1, integer: true, help: 'rows sampled for the bandwidth estimate' },
      { key: 'binSeeding', label: 'bin seeding', type: 'flag', value: true, help: 'start from grid cells instead of every row (much faster)' },
      { key: 'kernel', label: 'kernel', type: 'choice', value: 'flat', options: ['flat', 'gaussian'], help: 'flat is scikit-learn’s' },
    ],
  },
  {
    id: 'dbscan',
    label: 'DBSCAN',
    choosesK: false,
    fields: [
      { key: 'eps', label: 'eps', type: 'number', value: 3, min: 0, integer: false, help: 'neighbourhood radius in scaled feature units' },
      { key: 'minSamples', label: 'min samples', type: 'number', value: 10, min: 1, integer: true, help: 'rows within eps that make a core row' },
    ],
  },
  {
    id: 'agglomerative',
    label: 'agglomerative',
    choosesK: false,
    fields: [
      { key: 'nClusters', label: 'segments', type: 'number', value: 5, min: 1, integer: true, help: 'where the tree is cut' },
      { key: 'linkage', label: 'linkage', type: 'choice', value: 'ward', options: ['ward', 'complete', 'average', 'single'], help: 'ward minimises the within-segment variance' },
    ],
  },
  {
    id: 'spectral',
    label: 'spectral',
    choosesK: false,
    fields: [
      { key: 'k', label: 'k', type: 'number', value: 5, min: 1, integer: true, help: 'number of segments' },
      {
        key: 'affinity',
        label: 'affinity',
        type: 'choice',
        value: 'nearest_neighbors',
        options: ['nearest_neighbors', 'rbf'],
        help: 'k-nearest-neighbour graph (robust on many features) or the RBF kernel exp(-gamma·d²)',
      },
      { key: 'nNeighbors', label: 'neighbours', type: 'number', value: 10, min: 1, integer: true, help: 'neighbours per row of the graph' },
      { key: 'gamma', label: 'gamma', type: 'number', value: 1, min: 0, integer: false, help: 'RBF kernel coefficient' },
      { key: 'nInit', label: 'runs', type: 'number', value: 10, min: 1, integer: true, help: 'k-means runs on the embedding' },
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
  const shown = spec.fields.filter((f) => f.type !== 'flag' && f.key !== 'nInit' && f.key !== 'maxIter' && f.key !== 'quantile' && f.key !== 'nSamples' && f.key !== 'gamma' && f.key !== 'nNeighbors');
  const parts = shown.map((f) => {
    if (f.key === 'k' && chosenK !== null) return `k = ${chosenK}, chosen`;
    const v = settings[f.key];
    return `${f.label} = ${v === null || v === undefined ? 'auto' : String(v)}`;
  });
  return `${spec.label} (${parts.join(', ')})`;
}
