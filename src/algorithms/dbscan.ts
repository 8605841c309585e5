// SPDX-License-Identifier: MIT
/**
 * DBSCAN as scikit-learn 1.2 defines it: a row is a core sample when at least minSamples rows
 * (itself included) lie within eps of it (distance ≤ eps); clusters are the connected groups of
 * core samples, two core samples being connected when within eps; a row that is not core joins a
 * cluster when within eps of one of its core samples (a border row), else it is noise (-1).
 *
 * Labels are scikit-learn's exactly, ids included. scikit-learn numbers clusters in the order it
 * expands them, which is the order of their lowest-index core sample, and a border row within eps
 * of core samples of several clusters goes to the first of them expanded, so to the one with the
 * lowest label; both rules are followed here, from the components found by union-find.
 *
 * Neighbour search never forms n×n. The rows are sorted by a grid on their first two principal
 * coordinates (strips of width eps along the first, ordered along the second), uploaded once as
 * chunks in that order, and each chunk of rows is compared only with the chunks that can hold a
 * row within eps of it: those of its own and the two adjacent strips, within eps along the second
 * coordinate (a distance bounds every projection). The kernels do the distance work on these
 * tiles: radiusCounts for the core test, radiusPairs (bit-packed) for the edges, of which the
 * host keeps only the connections between core samples (as union-find merges) and the core
 * samples near each border row (fewer than minSamples per row).
 *
 * Differences from scikit-learn: distances are float32 on the device, so a pair within float32
 * rounding of eps may fall on the other side; no sample weights.
 *
 * Reference: Ester, Kriegel, Sander & Xu, "A density-based algorithm for discovering clusters in
 * large spatial databases with noise" (KDD 1996); scikit-learn `sklearn/cluster/_dbscan.py` and
 * `_dbscan_inner.pyx`.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from '../backend/backend.js';
import { deviceFacts } from '../backend/backend.js';
import { withBackendFallback } from '../backend/fallback.js';
import { func, integer, number, optional, resolveAliases, validateOptions, type ConstraintTable } from '../constraints.js';
import { radiusCounts } from '../kernels/radiusCounts/index.js';
import { forEachPair, radiusPairs } from '../kernels/radiusPairs/index.js';
import { disposeBlocks, type RowBlock } from '../kernels/shared/tiling.js';
import { toMatrix, type Matrix, type MatrixF32, type MatrixLike } from '../matrix.js';
import { centerRows } from '../kernels/centerRows/index.js';
import { coreLabelsWithin, predictNearest } from './nearest.js';
import type { ClusteringResult, Prediction } from './result.js';

export interface DBSCANOptions {
  /** Neighbourhood radius (Euclidean), > 0. Default 0.5 (scikit-learn's). */
  eps?: number;
  /** Rows within eps, the row itself included, that make a row a core sample; integer ≥ 1. Default 5. */
  minSamples?: number;
  /** Rows per chunk (the tile height); default 512, lowered to fit the memory budget. */
  tileRows?: number;
  /** @deprecated The old name of `tileRows`; giving both is a ParameterError. */
  chunkRows?: number;
  /** Receives warnings (backend fallback). Default console.warn. */
  onWarning?: (message: string) => void;
}

type Defaults = Required<Pick<DBSCANOptions, 'eps' | 'minSamples'>>;
const DEFAULTS: Defaults = { eps: 0.5, minSamples: 5 };

/** @deprecated DBSCAN's predict returns the Prediction every estimator returns (Euclidean float64 distances). */
export type DBSCANPrediction = Prediction;

/**
 * A fitted DBSCAN model; immutable. The shared fields are ClusteringResult's: labels in
 * scikit-learn's order with -1 for noise, `k` the clusters found (0 when every row is noise),
 * `nIter` 0 and `converged` true (no iteration), `seed` null (nothing drawn at random).
 */
export interface DBSCANResult extends ClusteringResult {
  /** Indices of the core samples, increasing. */
  readonly coreSampleIndices: Int32Array;
  /** [nCore, d] the core samples (scikit-learn's components_). */
  readonly coreSamples: Matrix;
  readonly eps: number;
  readonly minSamples: number;
  readonly nIter: 0;
  readonly converged: true;
  readonly seed: null;
  /**
   * Assigns new rows [m, d] to the cluster of their nearest core sample when it is within eps,
   * else -1, with the float64 Euclidean distance to that core sample (see Prediction).
   */
  predict(x: MatrixLike): Promise<Prediction>;
}

const FN = 'dbscan';
const DEFAULT_CHUNK = 512;
/** Float32 temporaries per tile element in the kernels (distances, mask, packed sums). */
const FLOATS_PER_PAIR = 4;

/**
 * DBSCAN clustering.
 * @example
 * const model = await new DBSCAN({ eps: 3, minSamples: 2 }).fit([[1, 2], [2, 2], [2, 3], [8, 7], [8, 8], [25, 80]]);
 * model.labels; // Int32Array [0, 0, 0, 1, 1, -1] (scikit-learn's docstring example)
 */
export class DBSCAN {
  private readonly options: Defaults & DBSCANOptions;

  constructor(options: DBSCANOptions = {}) {
    this.options = { ...DEFAULTS, ...resolveAliases(FN, options, ALIASES) };
    validateOptions(FN, this.options, CONSTRAINTS);
  }

  /**
   * Fits to `x` [n, d]. O(P·d) device work for the P candidate pairs the grid leaves (n² in the
   * worst case, about n·(neighbours) for low-dimensional data at a small eps), O(n·d²) for the
   * projection, memory O(n·d) plus one tile.
   */
  async fit(x: MatrixLike): Promise<DBSCANResult> {
    const t0 = performance.now();
    const m = toMatrix(x, FN);
    const o = this.options;
    const warn = o.onWarning ?? ((msg: string) => console.warn(`segments: ${msg}`));
    const fitted = await withBackendFallback(FN, () => fitOnDevice(m, o), warn);
    return makeResult(fitted, m, o.eps, performance.now() - t0);
  }
}

/** Function form of `new DBSCAN(options).fit(x)`. */
export function dbscan(x: MatrixLike, options: DBSCANOptions = {}): Promise<DBSCANResult> {
  return new DBSCAN(options).fit(x);
}

/** The deprecated option names and the names that replaced them. */
const ALIASES = { chunkRows: 'tileRows' } as const;

/** What each option may be, checked when constructed. */
const CONSTRAINTS: ConstraintTable<Omit<DBSCANOptions, keyof typeof ALIASES>> = {
  eps: number({ above: 0 }),
  minSamples: integer({ min: 1 }),
  tileRows: optional(integer({ min: 1 })),
  onWarning: optional(func()),
};

interface Fitted {
  labels: Int32Array;
  coreSampleIndices: Int32Array;
  k: number;
  minSamples: number;
  backend: BackendName;
}

async function fitOnDevice(m: MatrixF32, o: Defaults & DBSCANOptions): Promise<Fitted> {
  const n = m.rows;
  const d = m.cols;
  const eps = o.eps;
  const centered = centerRows(m).centered;
  const grid = sortByGrid(centered, eps);
  const { order } = grid;
  const sorted = new Float32Array(n * d);
  for (let r = 0; r < n; r++) sorted.set(centered.data.subarray(order[r] * d, (order[r] + 1) * d), r * d);

  const budgetFloats = deviceFacts().memoryBudgetBytes / 4;
  const chunk = Math.max(1, Math.min(o.tileRows ?? DEFAULT_CHUNK, n, Math.floor(Math.sqrt(budgetFloats / FLOATS_PER_PAIR))));
  // Columns per tile: a chunk of rows against this many columns fits the budget.
  const maxColumns = Math.max(chunk, Math.floor(budgetFloats / (FLOATS_PER_PAIR * chunk)));
  // Chunks of exactly `chunk` rows (but the last), so row r is in chunk ⌊r / chunk⌋.
  const chunks: RowBlock[] = [];
  for (let s = 0; s < n; s += chunk) {
    const e = Math.min(n, s + chunk);
    chunks.push({ start: s, x: tf.tensor2d(sorted.subarray(s * d, e * d), [e - s, d], 'float32') });
  }
  try {
    const candidates = chunks.map((_, q) => candidateChunks(grid, q, chunk, chunks.length));
    // Pass 1: neighbour counts, for the core test.
    const counts = new Float32Array(n);
    for (let q = 0; q < chunks.length; q++) {
      const groups = columnGroups(chunks, candidates[q], maxColumns);
      try {
        const c = radiusCounts(chunks[q].x, groups.map((g) => g.x), eps);
        counts.set(await c.data(), chunks[q].start);
        c.dispose();
      } finally {
        disposeGroups(groups, chunks);
      }
    }
    const core = new Uint8Array(n);
    const coreInChunk = new Uint8Array(chunks.length);
    for (let r = 0; r < n; r++) {
      if (counts[r] >= o.minSamples) {
        core[r] = 1;
        coreInChunk[Math.floor(r / chunk)] = 1;
      }
    }

    // Pass 2: the within-eps pairs (r < c) of the upper chunks; only those touching a core sample matter.
    const parent = Int32Array.from({ length: n }, (_, i) => i);
    const find = (i: number): number => {
      while (parent[i] !== i) {
        parent[i] = parent[parent[i]];
        i = parent[i];
      }
      return i;
    };
    const borderOf: number[] = [];
    const coreNear: number[] = [];
    for (let q = 0; q < chunks.length; q++) {
      const upper = candidates[q].filter((c) => c >= q && (coreInChunk[q] || coreInChunk[c]));
      if (upper.length === 0) continue;
      const groups = columnGroups(chunks, upper, maxColumns);
      try {
        const rowStart = chunks[q].start;
        const b = chunks[q].x.shape[0];
        for (const g of groups) {
          const packed = radiusPairs(chunks[q].x, g.x, eps);
          const bits = (await packed.data()) as Int32Array;
          packed.dispose();
          forEachPair(bits, b, g.columns.length, (i, j) => {
            const r = rowStart + i;
            const c = g.columns[j];
            if (c <= r) return;
            if (core[r] && core[c]) {
              const a = find(r);
              const z = find(c);
              if (a !== z) parent[Math.max(a, z)] = Math.min(a, z);
            } else if (core[r]) {
              borderOf.push(c);
              coreNear.push(r);
            } else if (core[c]) {
              borderOf.push(r);
              coreNear.push(c);
            }
          });
        }
      } finally {
        disposeGroups(groups, chunks);
      }
    }

    // Number clusters by their lowest original core index (scikit-learn's expansion order).
    const position = new Int32Array(n);
    for (let r = 0; r < n; r++) position[order[r]] = r;
    const labels = new Int32Array(n).fill(-1);
    const clusterOfRoot = new Int32Array(n).fill(-1);
    let k = 0;
    const coreIdx: number[] = [];
    for (let i = 0; i < n; i++) {
      const r = position[i];
      if (!core[r]) continue;
      coreIdx.push(i);
      const root = find(r);
      if (clusterOfRoot[root] < 0) clusterOfRoot[root] = k++;
      labels[i] = clusterOfRoot[root];
    }
    // A border row goes to the first-expanded, i.e. lowest-numbered, cluster that reaches it.
    for (let e = 0; e < borderOf.length; e++) {
      const i = order[borderOf[e]];
      const l = labels[order[coreNear[e]]];
      if (labels[i] < 0 || l < labels[i]) labels[i] = l;
    }
    return {
      labels,
      coreSampleIndices: Int32Array.from(coreIdx),
      k,
      minSamples: o.minSamples,
      backend: tf.getBackend() as BackendName,
    };
  } finally {
    disposeBlocks(chunks);
  }
}

/** The rows in grid order, and what is needed to find a chunk's possible neighbours. */
interface Grid {
  /** order[r] is the original index of the r-th row in grid order. */
  order: Int32Array;
  /** Strip of each row in grid order (non-decreasing). */
  strip: Float64Array;
  /** Second principal coordinate of each row in grid order (increasing within a strip). */
  p2: Float64Array;
  /** Half-width of the search window: eps plus the float32 rounding of a distance near eps. */
  reach: number;
}

/**
 * Sorts the rows by strip = ⌊p1 / reach⌋, then by p2, for p1, p2 the first two principal
 * coordinates (p2 = 0 when d = 1). Two rows within eps differ by at most eps in every projection,
 * so by at most one strip and by eps in p2. `reach` adds the float32 rounding bound of a squared
 * distance near eps, so that no pair the kernel counts is pruned.
 */
function sortByGrid(m: MatrixF32, eps: number): Grid {
  const { rows: n, cols: d, data } = m;
  const axes = principalAxes(m, Math.min(2, d));
  const p1 = new Float64Array(n);
  const p2raw = new Float64Array(n);
  let maxNorm = 0;
  for (let i = 0; i < n; i++) {
    let a = 0;
    let b = 0;
    let norm = 0;
    for (let j = 0; j < d; j++) {
      const v = data[i * d + j];
      a += v * axes[0][j];
      if (axes.length > 1) b += v * axes[1][j];
      norm += v * v;
    }
    p1[i] = a;
    p2raw[i] = b;
    maxNorm = Math.max(maxNorm, norm);
  }
  // The kernels' expanded ‖x‖² − r² − 2x·c + ‖c‖² is off by at most about
  // (2d + 8)·2^-24·(‖x‖² + ‖c‖² + r²) (see the kernel tests' sqDistBound).
  const sqErr = (2 * d + 8) * 2 ** -24 * (2 * maxNorm + eps * eps);
  const reach = Math.sqrt(eps * eps + sqErr) * (1 + 1e-9);
  const stripOf = Float64Array.from(p1, (v) => Math.floor(v / reach));
  const order = Int32Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => stripOf[a] - stripOf[b] || p2raw[a] - p2raw[b] || a - b);
  return {
    order,
    strip: Float64Array.from(order, (i) => stripOf[i]),
    p2: Float64Array.from(order, (i) => p2raw[i]),
    reach,
  };
}

/**
 * The leading `g` eigenvectors of the covariance of `m` (columns centered), by power iteration
 * with deflation on the d×d matrix in float64. Any unit vectors would keep the search exact; the
 * principal ones make the grid prune the most.
 */
function principalAxes(m: MatrixF32, g: number): Float64Array[] {
  const { rows: n, cols: d, data } = m;
  const cov = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) {
      const va = data[i * d + a];
      if (va === 0) continue;
      for (let b = a; b < d; b++) cov[a * d + b] += va * data[i * d + b];
    }
  }
  for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) cov[a * d + b] = cov[b * d + a];
  const axes: Float64Array[] = [];
  for (let k = 0; k < g; k++) {
    let v = Float64Array.from({ length: d }, (_, j) => 1 + j / d); // not orthogonal to typical leading vectors
    let lambda = 0;
    for (let it = 0; it < 200; it++) {
      const w = new Float64Array(d);
      for (let a = 0; a < d; a++) {
        let s = 0;
        for (let b = 0; b < d; b++) s += cov[a * d + b] * v[b];
        w[a] = s;
      }
      for (const u of axes) {
        let dot = 0;
        for (let j = 0; j < d; j++) dot += w[j] * u[j];
        for (let j = 0; j < d; j++) w[j] -= dot * u[j];
      }
      const norm = Math.hypot(...w);
      if (!(norm > 0)) break;
      for (let j = 0; j < d; j++) w[j] /= norm;
      const converged = Math.abs(norm - lambda) <= 1e-9 * norm;
      v = w;
      lambda = norm;
      if (converged) break;
    }
    // Degenerate data (no variance left): fall back to a coordinate axis orthogonal to the others.
    if (!(lambda > 0)) {
      v = new Float64Array(d);
      v[k] = 1;
    }
    axes.push(v);
  }
  return axes;
}

/**
 * Indices of the chunks that may hold a row within eps of a row of chunk q: for each strip the
 * chunk touches, with its range of p2, the rows of that strip and its two neighbours whose p2 is
 * within reach of the range.
 */
function candidateChunks(grid: Grid, q: number, chunk: number, nChunks: number): number[] {
  const { strip, p2, reach } = grid;
  const n = strip.length;
  const start = q * chunk;
  const end = Math.min(n, start + chunk);
  const found = new Set<number>();
  for (let r = start; r < end; ) {
    const s = strip[r];
    let e = r;
    while (e < end && strip[e] === s) e++;
    const lo = p2[r] - reach;
    const hi = p2[e - 1] + reach;
    for (let t = s - 1; t <= s + 1; t++) {
      const from = lowerBound(strip, p2, t, lo);
      const to = upperBound(strip, p2, t, hi);
      if (from >= to) continue;
      for (let c = Math.floor(from / chunk); c <= Math.floor((to - 1) / chunk) && c < nChunks; c++) found.add(c);
    }
    r = e;
  }
  return [...found].sort((a, b) => a - b);
}

/** First row in grid order with (strip, p2) ≥ (s, v). */
function lowerBound(strip: Float64Array, p2: Float64Array, s: number, v: number): number {
  let lo = 0;
  let hi = strip.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (strip[mid] < s || (strip[mid] === s && p2[mid] < v)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First row in grid order with (strip, p2) > (s, v). */
function upperBound(strip: Float64Array, p2: Float64Array, s: number, v: number): number {
  let lo = 0;
  let hi = strip.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (strip[mid] < s || (strip[mid] === s && p2[mid] <= v)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A tile's columns: a tensor and the grid-order index of each of its rows. */
interface ColumnGroup {
  x: tf.Tensor2D;
  columns: Int32Array;
}

/**
 * Joins runs of consecutive chunks into column tensors of at most `maxColumns` rows (one chunk
 * alone is used as it is, not copied), so that each kernel call covers a wide tile.
 */
function columnGroups(chunks: RowBlock[], ids: number[], maxColumns: number): ColumnGroup[] {
  const groups: ColumnGroup[] = [];
  let run: number[] = [];
  let size = 0;
  const flush = (): void => {
    if (run.length === 0) return;
    const parts = run.map((c) => chunks[c].x);
    const x = parts.length === 1 ? parts[0] : (tf.concat(parts, 0) as tf.Tensor2D);
    const columns = new Int32Array(size);
    let at = 0;
    for (const c of run) for (let r = 0; r < chunks[c].x.shape[0]; r++) columns[at++] = chunks[c].start + r;
    groups.push({ x, columns });
    run = [];
    size = 0;
  };
  for (const c of ids) {
    const rows = chunks[c].x.shape[0];
    const contiguous = run.length > 0 && run[run.length - 1] === c - 1;
    if (!contiguous || size + rows > maxColumns) flush();
    run.push(c);
    size += rows;
  }
  flush();
  return groups;
}

/** Disposes the joined column tensors (not the chunks themselves). */
function disposeGroups(groups: ColumnGroup[], chunks: RowBlock[]): void {
  const own = new Set(chunks.map((c) => c.x));
  for (const g of groups) if (!own.has(g.x)) g.x.dispose();
}

function makeResult(f: Fitted, m: MatrixF32, eps: number, timeMs: number): DBSCANResult {
  const d = m.cols;
  const nCore = f.coreSampleIndices.length;
  const cores = new Float32Array(nCore * d);
  f.coreSampleIndices.forEach((i, c) => cores.set(m.data.subarray(i * d, (i + 1) * d), c * d));
  const coreSamples: MatrixF32 = { data: cores, rows: nCore, cols: d };
  const coreLabels = Int32Array.from(f.coreSampleIndices, (i) => f.labels[i]);
  return Object.freeze({
    ...f,
    eps,
    coreSamples,
    nIter: 0 as const,
    converged: true as const,
    seed: null,
    timeMs,
    async predict(x: MatrixLike): Promise<Prediction> {
      // Without core samples every distance is +Infinity, so every row is noise.
      const nearest = await predictNearest('dbscan.predict', x, coreSamples);
      return { labels: coreLabelsWithin(nearest.labels, nearest.distances, coreLabels, eps), distances: nearest.distances };
    },
  });
}
