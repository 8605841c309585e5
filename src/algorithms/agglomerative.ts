// SPDX-License-Identifier: MIT
/**
 * Agglomerative (hierarchical) clustering with Euclidean distances, as scikit-learn 1.2's
 * AgglomerativeClustering defines it: Ward, complete, average or single linkage; the full merge
 * tree with scikit-learn's `children_` numbering and `distances_` heights; flat clusters by a
 * number of clusters or a distance threshold, numbered as scikit-learn numbers them.
 *
 * How each linkage is computed (all exact; choices and limits in AgglomerativeOptions):
 * - ward: nearest-neighbour chain on cluster centroids and sizes in float64, no distance matrix
 *   (nnChain.ts). O(n²·d) work, O(n·d) memory.
 * - complete, average: nearest-neighbour chain on a condensed matrix of the pairwise distances
 *   (linkageDistances.ts), updated by the Lance-Williams formulas as scipy does. The matrix is
 *   computed on the host in float64 by default (exact; on these CPU-only machines no slower than
 *   the wasm backend's tiles) or on the device (`distanceMatrix: 'device'`), and stored as
 *   float64 (4·n·(n − 1) bytes) when that fits `memoryBudgetBytes`, else float32 (2·n·(n − 1)).
 *   O(n²·d) work, O(n²) memory.
 * - single: Prim's minimum spanning tree on the fly, in scikit-learn's order (mst.ts). O(n²·d)
 *   work, O(n·d) memory.
 * The merges are then sorted by height and numbered as scipy does (linkage.ts).
 *
 * Ties: the nearest-neighbour chain keeps scipy's rules (the chain's previous cluster wins a
 * tie, then the lowest index), Prim's keeps scikit-learn's (the lowest index), and merges of
 * equal height stay in the order they were found. On data with exact ties (duplicate rows,
 * integer grids) the tree can still differ from scikit-learn's in which of the tied merges comes
 * first: the heights are the same, and so is every cut that does not fall between tied merges.
 *
 * References: Müllner, "Modern hierarchical, agglomerative clustering algorithms" (2011);
 * scikit-learn `sklearn/cluster/_agglomerative.py`; scipy `cluster/hierarchy.py`.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from '../backend/backend.js';
import { withBackendFallback } from '../backend/fallback.js';
import { checkAtMostRows, func, integer, number, oneOf, optional, resolveAliases, validateOptions, type ConstraintTable } from '../constraints.js';
import { ParameterError, assertUnreachable } from '../errors.js';
import { toMatrix, type Matrix, type MatrixF32, type MatrixLike } from '../matrix.js';
import { buildTree, clustersAtDistance, cutLabels, linkageMatrix, type MergeTree, type RawMerges } from './linkage.js';
import { condensedBytes, condensedDistances, condensedDistancesHost } from './linkageDistances.js';
import { primEdges } from './mst.js';
import { MatrixSpace, WardSpace, nnChain } from './nnChain.js';
import type { ClusteringResult } from './result.js';

export type { MergeTree } from './linkage.js';

/** How the distance between two clusters is measured. */
export type Linkage = 'ward' | 'complete' | 'average' | 'single';

export interface AgglomerativeOptions {
  /**
   * Number of flat clusters, 1 ≤ k ≤ n (scikit-learn's n_clusters). Default 2 (scikit-learn's
   * default) unless `distanceThreshold` is given; giving both is an error.
   */
  k?: number;
  /** @deprecated The old name of `k`; giving both is a ParameterError. */
  nClusters?: number;
  /**
   * Cut the tree instead at this height: every merge at a height ≥ distanceThreshold is undone
   * (scikit-learn's rule), so the number of clusters is 1 + the number of such merges. ≥ 0;
   * 0 gives one cluster per row, even for duplicate rows (their merges are at height 0).
   */
  distanceThreshold?: number;
  /** Default 'ward' (scikit-learn's default). */
  linkage?: Linkage;
  /**
   * Most rows 'ward' and 'single' accept (they need O(n·d) memory but O(n²·d) work). Default
   * 50,000: a few minutes at most on one core; raise it to wait longer.
   */
  maxRows?: number;
  /**
   * Most bytes the condensed distance matrix of 'complete' and 'average' may take. It is float64
   * (4·n·(n − 1) bytes) when that fits, else float32 (2·n·(n − 1) bytes; heights then carry a
   * relative rounding of 6e-8). Default 1.2e9: float64 up to n = 17,321, float32 up to
   * n = 24,495 (n = 20,000 takes 0.8 GB); beyond, a ParameterError.
   */
  memoryBudgetBytes?: number;
  /** @deprecated The old name of `memoryBudgetBytes`; giving both is a ParameterError. */
  maxMatrixBytes?: number;
  /**
   * Where the distance matrix of 'complete' and 'average' is computed: 'host' (default: float64
   * direct differences, exact) or 'device' (the pairwiseSqDist kernel tile by tile on the
   * current tfjs backend, float32 with close pairs recomputed on the host: heights within about
   * 1e-5 relative; for a real GPU).
   */
  distanceMatrix?: 'host' | 'device';
  /** Rows per side of a device distance tile; default from the device budget. */
  tileRows?: number;
  /** Receives warnings (backend fallback). Default console.warn. */
  onWarning?: (message: string) => void;
}

/** The deprecated option names and the names that replaced them. */
const ALIASES = { nClusters: 'k', maxMatrixBytes: 'memoryBudgetBytes' } as const;

/** The options once the deprecated names are resolved. */
type Resolved = Omit<AgglomerativeOptions, keyof typeof ALIASES>;
type Defaults = Required<Pick<Resolved, 'linkage' | 'maxRows' | 'memoryBudgetBytes' | 'distanceMatrix'>>;
const DEFAULTS: Defaults = { linkage: 'ward', maxRows: 50_000, memoryBudgetBytes: 1.2e9, distanceMatrix: 'host' };

/** How a tree is cut into flat clusters: a number of clusters, or a height. */
export type Cut = number | { distance: number };

/**
 * A fitted agglomerative clustering; immutable. The merge tree fields are those of MergeTree; the
 * shared ones ClusteringResult's: labels 0..k-1 numbered as scikit-learn's `labels_`, `k` the
 * flat clusters of the cut, `nIter` 0 and `converged` true (the whole tree, n − 1 merges, is built
 * directly), `seed` null, and `backend` the one current during the fit (only
 * `distanceMatrix: 'device'` runs work on it; everything else runs on the host).
 */
export interface AgglomerativeResult extends MergeTree, ClusteringResult {
  /** The cut that gave `labels`. */
  readonly cutBy: Cut;
  readonly linkage: Linkage;
  readonly nIter: 0;
  readonly converged: true;
  readonly seed: null;
  /** Cuts the same tree again, without refitting: by number of clusters k or `{ distance }`. `timeMs` stays the fit's. */
  cut(by: Cut): AgglomerativeResult;
  /** The tree as scipy's linkage matrix [n − 1, 4]: child, child, height, leaf count. */
  toLinkageMatrix(): Matrix;
}

const FN = 'agglomerative';

/**
 * Agglomerative clustering of the rows of `x` [nSamples, nFeatures], Euclidean distances.
 * O(n²·d) work; memory O(n·d) for 'ward' and 'single', 2·n·(n − 1) to 4·n·(n − 1) bytes for
 * 'complete' and 'average' (see `memoryBudgetBytes`).
 * @example
 * const model = await new Agglomerative({ k: 2, linkage: 'average' }).fit([[0], [1], [5], [6]]);
 * model.labels; // Int32Array [1, 1, 0, 0]
 * model.distances; // Float64Array [1, 1, 5]
 * model.cut({ distance: 1 }).k; // 4: merges at height ≥ 1 are undone
 */
export class Agglomerative {
  private readonly options: Defaults & Resolved;

  constructor(options: AgglomerativeOptions = {}) {
    this.options = { ...DEFAULTS, ...resolveAliases(FN, options, ALIASES) };
    validate(this.options);
  }

  /** Builds the whole merge tree of `x` [n, d] and cuts it as the options say. */
  async fit(x: MatrixLike): Promise<AgglomerativeResult> {
    const t0 = performance.now();
    const m = toMatrix(x, FN);
    const o = this.options;
    const cutBy: Cut = o.distanceThreshold !== undefined ? { distance: o.distanceThreshold } : (o.k ?? 2);
    if (typeof cutBy === 'number') checkAtMostRows(FN, 'k', cutBy, m.rows);
    checkSize(m.rows, m.cols, o);
    const warn = o.onWarning ?? ((msg: string) => console.warn(`segments: ${msg}`));
    const merges = await withBackendFallback(FN, () => findMerges(m, o), warn);
    const tree = buildTree(m.rows, merges, o.linkage === 'single' ? 'as-found' : 'ascending');
    return makeResult(tree, o.linkage, tf.getBackend() as BackendName, cutBy, performance.now() - t0);
  }
}

/** Function form of `new Agglomerative(options).fit(x)`. */
export function agglomerative(x: MatrixLike, options: AgglomerativeOptions = {}): Promise<AgglomerativeResult> {
  return new Agglomerative(options).fit(x);
}

/** What each option may be, checked when constructed; k ≤ n and the size limits are checked by fit(). */
const CONSTRAINTS: ConstraintTable<Resolved> = {
  k: optional(integer({ min: 1 })),
  distanceThreshold: optional(number({ min: 0 })),
  linkage: oneOf('ward', 'complete', 'average', 'single'),
  maxRows: integer({ min: 1 }),
  memoryBudgetBytes: number({ above: 0, finite: false }),
  distanceMatrix: oneOf('host', 'device'),
  tileRows: optional(integer({ min: 1 })),
  onWarning: optional(func()),
};

function validate(o: Defaults & Resolved): void {
  if (o.k !== undefined && o.distanceThreshold !== undefined) {
    throw new ParameterError(FN, 'distanceThreshold', 'give k or distanceThreshold, not both');
  }
  validateOptions(FN, o, CONSTRAINTS);
}

/** Refuses, before any work, an n whose memory or time is over the documented limits. */
function checkSize(n: number, d: number, o: Defaults & Resolved): void {
  switch (o.linkage) {
    case 'ward':
    case 'single':
      if (n > o.maxRows) {
        throw new ParameterError(
          FN,
          'maxRows',
          `n=${n} rows is over maxRows=${o.maxRows} for '${o.linkage}' linkage: it needs only ` +
            `${formatBytes(16 * n * d)} but O(n²·d) work; raise maxRows to run it anyway`,
        );
      }
      return;
    case 'complete':
    case 'average': {
      const need = condensedBytes(n);
      if (need > o.memoryBudgetBytes) {
        const maxN = Math.floor((1 + Math.sqrt(1 + 2 * o.memoryBudgetBytes)) / 2);
        throw new ParameterError(
          FN,
          'memoryBudgetBytes',
          `n=${n} rows need ${formatBytes(need)} for the condensed distance matrix of ` +
            `'${o.linkage}' linkage (2·n·(n − 1) bytes in float32), over memoryBudgetBytes=${formatBytes(o.memoryBudgetBytes)} ` +
            `(n ≤ ${maxN}); use 'ward' or 'single' (O(n·d) memory) or raise memoryBudgetBytes`,
        );
      }
      return;
    }
    default:
      assertUnreachable(o.linkage);
  }
}

function formatBytes(b: number): string {
  return b >= 1e9 ? `${(b / 1e9).toFixed(2)} GB` : b >= 1e6 ? `${(b / 1e6).toFixed(1)} MB` : `${b} bytes`;
}

async function findMerges(m: MatrixF32, o: Defaults & Resolved): Promise<RawMerges> {
  const { rows: n, cols: d, data } = m;
  switch (o.linkage) {
    case 'ward':
      return nnChain(n, new WardSpace(data, n, d));
    case 'single':
      return primEdges(data, n, d);
    case 'complete':
    case 'average': {
      const dist =
        o.distanceMatrix === 'device'
          ? await condensedDistances(m, o.tileRows)
          : condensedDistancesHost(m, condensedBytes(n, 8) <= o.memoryBudgetBytes);
      return nnChain(n, new MatrixSpace(dist, n, o.linkage));
    }
    default:
      return assertUnreachable(o.linkage);
  }
}

function makeResult(tree: MergeTree, linkage: Linkage, backend: BackendName, cutBy: Cut, timeMs: number): AgglomerativeResult {
  const k = typeof cutBy === 'number' ? cutBy : clustersAtDistance(tree, cutBy.distance);
  const labels = cutLabels(tree, k);
  return Object.freeze({
    n: tree.n,
    children: tree.children,
    distances: tree.distances,
    counts: tree.counts,
    labels,
    k,
    cutBy,
    linkage,
    nIter: 0 as const,
    converged: true as const,
    backend,
    seed: null,
    timeMs,
    cut(by: Cut): AgglomerativeResult {
      validateCut(by, tree.n);
      return makeResult(tree, linkage, backend, by, timeMs);
    },
    toLinkageMatrix(): Matrix {
      return linkageMatrix(tree);
    },
  });
}

function validateCut(by: Cut, n: number): void {
  const fn = `${FN}.cut`;
  if (typeof by === 'number') {
    validateOptions(fn, { k: by }, { k: integer({ min: 1 }) });
    if (by > n) throw new ParameterError(fn, 'k', `k=${by} is more than the ${n} rows of the tree`);
  } else {
    validateOptions(fn, { distance: (by as { distance?: unknown } | null)?.distance }, { distance: number({ min: 0 }) });
  }
}
