// SPDX-License-Identifier: MIT
/**
 * The options of `segment()`, their check against the table of defaults (defaults.ts), and the
 * options with every default filled in. Unknown options, and options that do not apply to the
 * algorithm chosen, are a ParameterError that names them: a misspelt `nInt` or an `eps` given to
 * k-means would otherwise be ignored without a word.
 */
import type { BackendChoice } from '../backend/backend.js';
import { TEXT_ENCODINGS, type TextEncodingName } from '../data/encoding.js';
import type { TableFormat } from '../data/readTable.js';
import type { ColumnKind, Schema } from '../data/schema.js';
import { anyOf, boolean, integer, nullable, number, oneOf, validateOptions, type Constraint } from '../constraints.js';
import { ParameterError } from '../errors.js';
import { ALGORITHM_LABELS, DEFAULT_FIXED_K, WORKFLOW_ALGORITHMS, WORKFLOW_DEFAULTS, optionsFor, type DefaultedOption, type WorkflowAlgorithm } from './defaults.js';
import type { SegmentProgress } from './progress.js';

/** What `segment()` can be told. Every option is optional; defaults.ts has the defaults. */
export interface SegmentOptions {
  algorithm?: WorkflowAlgorithm;
  seed?: number;
  backend?: BackendChoice;
  onBadRows?: 'fail' | 'skip' | 'null';
  /** Read only the first N rows. */
  maxRows?: number | null;
  /** The decimal mark of numbers ('.' or ','); null: '.', or found in the file. */
  decimal?: '.' | ',' | null;
  /** A CSV's text encoding; null: UTF-16 by its byte-order mark, else UTF-8. */
  encoding?: TextEncodingName | null;
  /** The file's format when its name or first bytes do not tell. */
  format?: TableFormat;
  /** The input's name as messages and the report show it (default: the path, or 'table'). */
  name?: string;
  /**
   * A CSV file: note where each row lies in its bytes (`readReport.recordRanges`), so that the rows
   * can be written back verbatim (the CLI's segments.csv). Dropped when the rows change after
   * reading (rows with infinite values). Default false.
   */
  recordRanges?: boolean;
  /** Column kinds to use instead of inferring them (the app's edited schema). */
  schema?: Schema;
  /** Kinds to force, by column name (not with `schema`). */
  kinds?: Readonly<Record<string, ColumnKind>>;
  /** Columns not to use as features (not with `schema`). */
  exclude?: readonly string[];
  /** A number of segments, or 'auto' (k-means only) to choose it. */
  k?: number | 'auto';
  kMin?: number;
  kMax?: number;
  searchRows?: number;
  nInit?: number;
  maxIter?: number;
  refine?: boolean | null;
  bandwidth?: number | null;
  quantile?: number;
  bandwidthRows?: number;
  binSeeding?: boolean;
  kernel?: 'flat' | 'gaussian';
  eps?: number;
  minSamples?: number;
  linkage?: 'ward' | 'complete' | 'average' | 'single';
  affinity?: 'nearest_neighbors' | 'rbf';
  nNeighbors?: number;
  gamma?: number;
  silhouetteRows?: number;
  searchSilhouetteRows?: number;
  modelCheckRows?: number;
  maxCategories?: number;
  reportFeatures?: number;
  weakSilhouette?: number;
  minSilhouetteGain?: number;
  strongSilhouette?: number;
  stabilityRows?: number;
  minStability?: number;
  minRowsPerSegment?: number;
  maxNoiseShare?: number;
  /** Told each step, each k and each run of the search, with an estimate of the time left. */
  onProgress?: (progress: SegmentProgress) => void;
  /** Warnings (a backend fell back, k-means did not converge, a column was dropped). Default: collected in the result only. */
  onWarning?: (message: string) => void;
  /** Cancels the run: `segment()` then rejects with a CancelledError and returns nothing partial. */
  signal?: AbortSignal;
}

/** Options that are not algorithm settings and have no default in the table. */
const OTHER_OPTIONS = ['format', 'name', 'recordRanges', 'schema', 'kinds', 'exclude', 'onProgress', 'onWarning', 'signal'] as const;

/** The options with every default applied; `k` resolved to a number or 'auto'. */
export type ResolvedOptions = Omit<SegmentOptions, DefaultedOption | 'k'> & {
  algorithm: WorkflowAlgorithm;
  seed: number;
  backend: BackendChoice;
  onBadRows: 'fail' | 'skip' | 'null';
  maxRows: number | null;
  decimal: '.' | ',' | null;
  encoding: TextEncodingName | null;
  k: number | 'auto';
  kMin: number;
  kMax: number;
  searchRows: number;
  nInit: number;
  maxIter: number;
  refine: boolean | null;
  bandwidth: number | null;
  quantile: number;
  bandwidthRows: number;
  binSeeding: boolean;
  kernel: 'flat' | 'gaussian';
  eps: number;
  minSamples: number;
  linkage: 'ward' | 'complete' | 'average' | 'single';
  affinity: 'nearest_neighbors' | 'rbf';
  nNeighbors: number;
  gamma: number;
  silhouetteRows: number;
  searchSilhouetteRows: number;
  modelCheckRows: number;
  maxCategories: number;
  reportFeatures: number;
  weakSilhouette: number;
  minSilhouetteGain: number;
  strongSilhouette: number;
  stabilityRows: number;
  minStability: number;
  minRowsPerSegment: number;
  maxNoiseShare: number;
};

const FN = 'segment';

/** The constraint of each option with a default (src/constraints.ts). */
const CONSTRAINTS: Record<DefaultedOption, Constraint> = {
  algorithm: oneOf(...WORKFLOW_ALGORITHMS),
  seed: integer(),
  backend: oneOf('auto', 'cpu', 'wasm', 'webgpu', 'webgl', 'tensorflow'),
  onBadRows: oneOf('fail', 'skip', 'null'),
  maxRows: nullable(integer({ min: 1 })),
  decimal: nullable(oneOf('.', ',')),
  encoding: nullable(oneOf(...TEXT_ENCODINGS)),
  k: anyOf(integer({ min: 1 }), oneOf('auto')),
  kMin: integer({ min: 1 }),
  kMax: integer({ min: 1 }),
  searchRows: integer({ min: 2 }),
  nInit: integer({ min: 1 }),
  maxIter: integer({ min: 1 }),
  refine: nullable(boolean()),
  bandwidth: nullable(number({ above: 0 })),
  quantile: number({ above: 0, max: 1 }),
  bandwidthRows: integer({ min: 2 }),
  binSeeding: boolean(),
  kernel: oneOf('flat', 'gaussian'),
  eps: number({ above: 0 }),
  minSamples: integer({ min: 1 }),
  linkage: oneOf('ward', 'complete', 'average', 'single'),
  affinity: oneOf('nearest_neighbors', 'rbf'),
  nNeighbors: integer({ min: 1 }),
  gamma: number({ above: 0 }),
  silhouetteRows: integer({ min: 2 }),
  searchSilhouetteRows: integer({ min: 2 }),
  modelCheckRows: integer({ min: 0 }),
  maxCategories: integer({ min: 2 }),
  reportFeatures: integer({ min: 2 }),
  weakSilhouette: number({ min: -1, max: 1 }),
  minSilhouetteGain: number({ min: 0, max: 2 }),
  strongSilhouette: number({ min: -1, max: 1 }),
  stabilityRows: integer({ min: 2 }),
  minStability: number({ min: -1, max: 1 }),
  minRowsPerSegment: integer({ min: 0 }),
  maxNoiseShare: number({ min: 0, max: 1 }),
};

/**
 * Checks `options` against the table of constraints and fills in the defaults.
 * @throws ParameterError naming an unknown option, an option that does not apply to the
 *   algorithm, or a value out of its range.
 */
export function resolveOptions(options: SegmentOptions): ResolvedOptions {
  const given = options as Record<string, unknown>;
  const known = new Set<string>([...Object.keys(WORKFLOW_DEFAULTS), ...OTHER_OPTIONS]);
  const unknown = Object.keys(given).filter((key) => !known.has(key) && given[key] !== undefined);
  if (unknown.length > 0) {
    throw new ParameterError(FN, unknown[0], `unknown option${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `'${u}'`).join(', ')} (options: ${[...known].join(', ')})`);
  }
  const algorithm = (given.algorithm ?? WORKFLOW_DEFAULTS.algorithm.value) as WorkflowAlgorithm;
  validateOptions(FN, { algorithm }, { algorithm: CONSTRAINTS.algorithm });
  if (algorithm !== 'kmeans' && given.k === 'auto') {
    throw new ParameterError(FN, 'k', `k='auto' chooses k with k-means only; give ${ALGORITHM_LABELS[algorithm]} a number of segments`);
  }
  const applies = new Set<string>(optionsFor(algorithm));
  const misplaced = (Object.keys(WORKFLOW_DEFAULTS) as DefaultedOption[]).filter((key) => given[key] !== undefined && !applies.has(key));
  if (misplaced.length > 0) {
    const names = misplaced.map((m) => `'${m}'`).join(', ');
    const own = optionsFor(algorithm).filter((o) => WORKFLOW_DEFAULTS[o].appliesTo !== null);
    throw new ParameterError(FN, misplaced[0], `${names} ${misplaced.length > 1 ? 'do' : 'does'} not apply to ${ALGORITHM_LABELS[algorithm]} (its own options: ${own.map((x) => `'${x}'`).join(', ') || 'none'})`);
  }
  const resolved: Record<string, unknown> = { ...given };
  for (const key of Object.keys(WORKFLOW_DEFAULTS) as DefaultedOption[]) resolved[key] = given[key] === undefined ? WORKFLOW_DEFAULTS[key].value : given[key];
  validateOptions(FN, resolved as Record<DefaultedOption, unknown>, CONSTRAINTS);
  if (algorithm !== 'kmeans' && given.k === undefined) resolved.k = DEFAULT_FIXED_K;
  if (algorithm === 'kmeans' && resolved.k !== 'auto') {
    const searchOnly = (['kMin', 'kMax', 'searchRows', 'searchSilhouetteRows'] as const).filter((key) => given[key] !== undefined);
    if (searchOnly.length > 0) throw new ParameterError(FN, searchOnly[0], `${searchOnly.map((s) => `'${s}'`).join(', ')} apply only when k is 'auto' (k=${String(resolved.k)} was given)`);
  }
  if ((resolved.kMin as number) > (resolved.kMax as number)) {
    throw new ParameterError(FN, 'kMin', `kMin=${String(resolved.kMin)} is more than kMax=${String(resolved.kMax)}`);
  }
  if ((resolved.weakSilhouette as number) > (resolved.strongSilhouette as number)) {
    throw new ParameterError(FN, 'weakSilhouette', `weakSilhouette=${String(resolved.weakSilhouette)} is more than strongSilhouette=${String(resolved.strongSilhouette)}`);
  }
  if (options.schema !== undefined && (options.kinds !== undefined || options.exclude !== undefined)) {
    throw new ParameterError(FN, options.kinds !== undefined ? 'kinds' : 'exclude', 'give a whole schema, or kinds and exclude to change the inferred one, not both');
  }
  return resolved as ResolvedOptions;
}
