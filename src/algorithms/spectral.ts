// SPDX-License-Identifier: MIT
/**
 * Spectral clustering as scikit-learn 1.2.1's `SpectralClustering` (assign_labels='kmeans')
 * defines it:
 *
 * 1. an affinity matrix A: 'rbf', exp(−gamma·‖x − y‖²); or 'nearest_neighbors', the
 *    connectivity of each row to its nNeighbors nearest rows (itself included) symmetrised as
 *    0.5·(C + Cᵀ);
 * 2. the spectral embedding of `sklearn.manifold.spectral_embedding(norm_laplacian=True,
 *    drop_first=False)`: the eigenvectors x of the k smallest eigenvalues of the normalised
 *    Laplacian L = I − D^-1/2·A′·D^-1/2 (A′ = A without its diagonal, D its degrees; scipy's
 *    `csgraph.laplacian(normed=True)`), i.e. of the k largest of M = I − L, rescaled to
 *    u = D^-1/2·x (√degree taken as 1 for an isolated row), then each vector's sign flipped so
 *    that its entry of largest magnitude is positive (`_deterministic_vector_sign_flip`);
 * 3. k-means with nInit runs on the [n, k] embedding (our KMeans, Lloyd only by default).
 *
 * The eigenvectors come from block Lanczos with thick restarts (src/linalg/lanczos.ts), which
 * only multiplies M by blocks of vectors: never an n×n eigendecomposition. The vector D^1/2·1 of
 * each connected component is an exact eigenvector of eigenvalue 0 of L; those that are known
 * (every component of a k-NN graph; the whole graph and isolated rows for RBF) are locked, and
 * the solver searches their complement. For k-NN graphs the solver sees ((M + I)/2)^8 (cheap
 * sparse products on the host; the gaps near the wanted end widen, so far fewer restarts: on
 * overlapping blobs, 15 block products at n = 5,000 where M itself had not converged after 3,000),
 * and μ is recovered as M's Rayleigh quotient.
 *
 * Memory: k-NN keeps n·nNeighbors neighbours and a CSR of at most 2·n·nNeighbors entries on the
 * host (float64 products there); RBF keeps the n×n affinity on the device as float32 tiles when
 * n²·4 bytes ≤ memoryBudgetBytes (default 256 MiB, n ≤ 8192), else recomputes the tiles from X
 * at each block product (O(n²·(d + p)) work per product, O(n·p) memory beyond one tile). On a GPU
 * backend with small data (n²·(d + 4) ≤ 2^20, n ≤ 418 at d = 2: the `placement` option) the
 * affinity is a float64 n×n matrix on the host and so are its products: there a device product
 * costs its fixed dispatch and read back (43 ms on SwiftShader at n = 300) rather than its work.
 *
 * Reference: von Luxburg, "A tutorial on spectral clustering" (Statistics and Computing 17,
 * 2007), §3.2 and §4 (L_sym); Ng, Jordan & Weiss (NIPS 2001); scikit-learn
 * `sklearn/cluster/_spectral.py`, `sklearn/manifold/_spectral_embedding.py`.
 */
import type { BackendName } from '../backend/backend.js';
import { withBackendFallback } from '../backend/fallback.js';
import * as tf from '@tensorflow/tfjs-core';
import { boolean, checkAtMostRows, func, integer, number, oneOf, optional, resolveAliases, validateOptions, type ConstraintTable } from '../constraints.js';
import { DataError, ParameterError, assertUnreachable } from '../errors.js';
import { lanczosLargest } from '../linalg/lanczos.js';
import type { SymmetricOperator } from '../linalg/lanczos.js';
import { toMatrix, type Matrix, type MatrixF32, type MatrixLike } from '../matrix.js';
import { centerRows } from '../kernels/centerRows/index.js';
import { randomSeed } from '../random.js';
import { PLACEMENT, placedOnHost, type Placement } from './hostPasses.js';
import { KMeans } from './kmeans.js';
import type { ClusteringResult } from './result.js';
import {
  connectedComponents,
  denseMultiply,
  hostRbfAffinity,
  nearestNeighbors,
  normalizedOperator,
  rbfGraph,
  rbfMultiply,
  rbfNormalizedOperator,
  rbfProductWork,
  rowSums,
  sparseNormalizedOperator,
  sqrtDegrees,
  symmetrizedConnectivity,
} from './spectralGraph.js';

export type SpectralAffinity = 'rbf' | 'nearest_neighbors';

export interface SpectralClusteringOptions {
  /** Number of clusters (and of embedding dimensions), 1 ≤ k ≤ n. */
  k: number;
  /** How the affinity matrix is built. Default 'rbf' (as scikit-learn). */
  affinity?: SpectralAffinity;
  /** RBF kernel coefficient, > 0. Default 1.0 (scikit-learn's default). Ignored for k-NN. */
  gamma?: number;
  /** Neighbours per row for 'nearest_neighbors', itself included; 1 ≤ nNeighbors < n. Default 10. */
  nNeighbors?: number;
  /** k-means runs on the embedding; the lowest inertia wins. Default 10. */
  nInit?: number;
  /** Seeds the eigensolver's start block and k-means. Default: from the clock. */
  seed?: number;
  /**
   * Eigensolver tolerance: each residual ‖M·x − μ·x‖ at most eigenTol (M's spectrum lies in
   * [−1, 1]). Default 1e-6 for k-NN (float64 products); 1e-5 for RBF, whose products are float32
   * sums on the device (also when small data puts them in float64 on the host: the solver stops
   * alike wherever its products run).
   */
  eigenTol?: number;
  /** Most block products of the eigensolver. Default 3000. */
  maxIter?: number;
  /** RBF: keep the n×n affinity tiles on the device when n²·4 bytes fit this, else recompute them per product. Default 256 MiB. */
  memoryBudgetBytes?: number;
  /** @deprecated The old name of `memoryBudgetBytes`; giving both is a ParameterError. */
  denseBudgetBytes?: number;
  /** Hartigan/swap refinement of the k-means step (see KMeansOptions.refine). Default false: scikit-learn's Lloyd. */
  refine?: boolean;
  /** Rows per tile for the distance and affinity tiles; default from the device budget. */
  tileRows?: number;
  /** Receives warnings (disconnected graph, not converged). Default console.warn. */
  onWarning?: (message: string) => void;
  /**
   * Where the RBF affinity and its products live (see Placement, hostPasses.ts): 'device' the
   * backend's tiles; 'host' a float64 n×n matrix on the host (`affinityStorage: 'host'`); 'auto'
   * (default) the host on a GPU backend ('webgpu', 'webgl') when one product recomputed from the
   * rows is at most HOST_PASS_MAX_WORK (2^20) multiply-adds (rbfProductWork: n²·(d + 4); n ≤ 418
   * at d = 2), else the device. The k-NN products are always on the host; the k-means on the
   * embedding places its own passes (KMeansOptions.placement, 'auto').
   */
  placement?: Placement;
}

/** The deprecated option names and the names that replaced them. */
const ALIASES = { denseBudgetBytes: 'memoryBudgetBytes' } as const;

/** The options once the deprecated names are resolved. */
type Resolved = Omit<SpectralClusteringOptions, keyof typeof ALIASES>;
type Defaults = Required<Pick<Resolved, 'affinity' | 'gamma' | 'nNeighbors' | 'nInit' | 'maxIter' | 'memoryBudgetBytes' | 'refine'>>;
const DEFAULTS: Defaults = {
  affinity: 'rbf',
  gamma: 1.0,
  nNeighbors: 10,
  nInit: 10,
  maxIter: 3000,
  memoryBudgetBytes: 256 * 1024 * 1024,
  refine: false,
};

/**
 * A fitted spectral clustering; immutable. There is no `predict`: the embedding is defined only
 * for the training rows (scikit-learn has none either). The shared fields are ClusteringResult's.
 */
export interface SpectralClusteringResult extends ClusteringResult {
  /** [n, k] float64 spectral embedding u = D^-1/2·x, column 0 for the smallest Laplacian eigenvalue. */
  readonly embedding: Matrix;
  /** [k] the smallest eigenvalues of the normalised Laplacian, ascending (1 − μ). */
  readonly eigenvalues: Float64Array;
  /** [k] eigensolver residuals ‖M·x − μ·x‖ (0 for the exact, locked vectors). */
  readonly residuals: Float64Array;
  /** Block products of the eigensolver, bounded by maxIter (0 when every vector was known exactly). */
  readonly nIter: number;
  /** True when the eigensolver met eigenTol and k-means converged. */
  readonly converged: boolean;
  /** Inertia of the k-means step on the embedding. */
  readonly inertia: number;
  /** The affinity used. */
  readonly affinity: SpectralAffinity;
  /**
   * Where the affinity lived: a host CSR (k-NN), device tiles kept ('dense') or recomputed per
   * product ('tiled'), or a float64 matrix on the host ('host': RBF on a GPU backend with small data).
   */
  readonly affinityStorage: 'sparse' | 'dense' | 'tiled' | 'host';
  /** Connected components of the k-NN graph; for RBF, 1 plus the isolated rows (their affinities all underflow). */
  readonly graphComponents: number;
  /** The tfjs backend that computed the affinity. */
  readonly backend: BackendName;
  /** The seed used. */
  readonly seed: number;
}

const FN = 'spectralClustering';

/**
 * Spectral clustering (scikit-learn 1.2.1's SpectralClustering with assign_labels='kmeans').
 * No `predict`: new rows have no place in the embedding. A graph with several connected
 * components gets a warning, as in scikit-learn; the embedding then holds the component
 * indicators (times D^1/2, rescaled) first, largest components first when there are k or more.
 *
 * Cost: k-NN, O(n²·d) for the neighbour search on the device, then O(n·nNeighbors·k) per solver
 * matvec and O(n·m²) host work per restart (m = max(60, 4k) basis vectors); RBF, O(n²·d) per product
 * unless the tiles are kept. On 'webgpu' and 'webgl' with small data (n²·(d + 4) ≤ 2^20) the RBF
 * affinity and its products are float64 on the host (`affinityStorage: 'host'`), where each
 * product costs its O(n²·p) arithmetic instead of a device dispatch and read back (`placement`
 * overrides the rule); the k-NN products are always on the host.
 * @example
 * const model = await new SpectralClustering({ k: 2, affinity: 'nearest_neighbors', nNeighbors: 3, seed: 1 })
 *   .fit([[0, 0], [0, 1], [1, 0], [9, 9], [9, 8], [8, 9]]);
 * model.labels; // Int32Array [0, 0, 0, 1, 1, 1] or [1, 1, 1, 0, 0, 0]
 */
export class SpectralClustering {
  private readonly options: Defaults & Resolved;

  constructor(options: SpectralClusteringOptions) {
    this.options = { ...DEFAULTS, ...resolveAliases(FN, options, ALIASES) };
    validateOptions(FN, this.options, CONSTRAINTS);
  }

  /** Fits to `x` [n, d] (n ≥ 2). */
  async fit(x: MatrixLike): Promise<SpectralClusteringResult> {
    const o = this.options;
    const t0 = performance.now();
    const m = toMatrix(x, FN);
    if (m.rows < 2) throw new DataError(FN, 'X', `X has ${m.rows} row; spectral clustering needs at least 2`);
    checkAtMostRows(FN, 'k', o.k, m.rows);
    if (o.affinity === 'nearest_neighbors' && o.nNeighbors >= m.rows) {
      throw new ParameterError(FN, 'nNeighbors', `nNeighbors=${o.nNeighbors} must be less than the ${m.rows} rows given`);
    }
    const seed = o.seed ?? randomSeed();
    const warn = o.onWarning ?? ((msg: string) => console.warn(`segments: ${msg}`));
    const spectral = await withBackendFallback(FN, async () => ({ ...(await embed(m, o, seed, warn)), backend: tf.getBackend() as BackendName }), warn);
    if (!spectral.solverConverged) {
      warn(`${FN}: the eigensolver did not reach eigenTol in maxIter=${o.maxIter} block products (largest residual ${Math.max(...spectral.residuals).toExponential(2)})`);
    }
    const km = await new KMeans({ k: o.k, nInit: o.nInit, seed, refine: o.refine, onWarning: warn }).fit(spectral.embedding);
    return Object.freeze({
      labels: km.labels,
      k: o.k,
      embedding: spectral.embedding,
      eigenvalues: spectral.eigenvalues,
      residuals: spectral.residuals,
      nIter: spectral.products,
      converged: spectral.solverConverged && km.converged,
      inertia: km.inertia,
      affinity: o.affinity,
      affinityStorage: spectral.storage,
      graphComponents: spectral.components,
      backend: spectral.backend,
      seed,
      timeMs: performance.now() - t0,
    });
  }
}

/** Function form of `new SpectralClustering(options).fit(x)`. */
export function spectralClustering(x: MatrixLike, options: SpectralClusteringOptions): Promise<SpectralClusteringResult> {
  return new SpectralClustering(options).fit(x);
}

/** What each option may be, checked when constructed; k ≤ n and nNeighbors < n are checked by fit(). */
const CONSTRAINTS: ConstraintTable<Resolved> = {
  k: integer({ min: 1 }),
  affinity: oneOf('rbf', 'nearest_neighbors'),
  gamma: number({ above: 0 }),
  nNeighbors: integer({ min: 1 }),
  nInit: integer({ min: 1 }),
  maxIter: integer({ min: 1 }),
  eigenTol: optional(number({ above: 0, below: 1 })),
  memoryBudgetBytes: number({ min: 0, finite: false }),
  seed: optional(integer()),
  tileRows: optional(integer({ min: 1 })),
  refine: optional(boolean()),
  onWarning: optional(func()),
  placement: optional(PLACEMENT),
};

interface Embedding {
  embedding: Matrix;
  eigenvalues: Float64Array;
  residuals: Float64Array;
  products: number;
  solverConverged: boolean;
  storage: SpectralClusteringResult['affinityStorage'];
  components: number;
}

/** A graph ready for the solver: its operator M, its degrees, and the exact eigenvectors known. */
interface Graph {
  op: SymmetricOperator;
  degree: Float64Array;
  /** Orthonormal eigenvectors of M with eigenvalue 1 (one per known component), best first. */
  known: Float64Array[];
  components: number;
  storage: SpectralClusteringResult['affinityStorage'];
  dispose(): void;
}

async function embed(m: MatrixF32, o: Defaults & Resolved, seed: number, warn: (msg: string) => void): Promise<Embedding> {
  // Centering changes no distance but keeps ‖x‖² − 2x·y + ‖y‖² from cancelling in float32.
  const centered = centerRows(m).centered;
  const graph = await buildGraph(centered, o);
  try {
    if (graph.components > 1) {
      warn(`${FN}: the affinity graph has ${graph.components} connected components; the spectral embedding may not work as expected`);
    }
    return await solve(graph, o, seed);
  } finally {
    graph.dispose();
  }
}

async function buildGraph(x: MatrixF32, o: Defaults & Resolved): Promise<Graph> {
  const n = x.rows;
  switch (o.affinity) {
    case 'nearest_neighbors': {
      const neighbors = await nearestNeighbors(x, o.nNeighbors, o.tileRows);
      const g = symmetrizedConnectivity(neighbors, n, o.nNeighbors);
      const degree = rowSums(g);
      const { count, labels } = connectedComponents(g);
      return { op: sparseNormalizedOperator(g, degree), degree, known: componentVectors(degree, labels, count), components: count, storage: 'sparse', dispose() {} };
    }
    case 'rbf': {
      if (placedOnHost(o.placement, tf.getBackend(), rbfProductWork(n, x.cols))) {
        const a = hostRbfAffinity(x, o.gamma);
        const [sums] = denseMultiply(a, [new Float64Array(n).fill(1)]);
        const parts = rbfGraphParts(sums);
        return { ...parts, op: normalizedOperator((columns) => denseMultiply(a, columns), parts.degree), storage: 'host', dispose() {} };
      }
      const g = rbfGraph(x, o.gamma, o.memoryBudgetBytes, o.tileRows);
      try {
        const [sums] = await rbfMultiply(g, [new Float64Array(n).fill(1)]);
        const parts = rbfGraphParts(sums);
        return { ...parts, op: rbfNormalizedOperator(g, parts.degree), storage: g.tiles === null ? 'tiled' : 'dense', dispose: () => g.dispose() };
      } catch (err) {
        g.dispose();
        throw err;
      }
    }
    default:
      return assertUnreachable(o.affinity);
  }
}

/** The degrees of an RBF graph from its row sums, and its known components. */
function rbfGraphParts(sums: Float64Array): Pick<Graph, 'degree' | 'known' | 'components'> {
  const n = sums.length;
  // Float32 sums on the device can come out a hair below 0.
  const degree = sums.map((d) => Math.max(0, d));
  // Isolated rows (every affinity underflowed) are components of their own; the rest is
  // taken as one (its D^1/2·1 is an eigenvector whether or not it is connected).
  const labels = new Int32Array(n);
  let count = degree.some((d) => d > 0) ? 1 : 0;
  for (let i = 0; i < n; i++) if (degree[i] === 0) labels[i] = count++;
  return { degree, known: componentVectors(degree, labels, count), components: count };
}

/**
 * The unit vectors D^1/2·1_C of each component C (e_i for an isolated row): exact eigenvectors of
 * M with eigenvalue 1. Largest component first, ties by the lowest row.
 */
function componentVectors(degree: Float64Array, labels: Int32Array, count: number): Float64Array[] {
  const w = sqrtDegrees(degree);
  const size = new Float64Array(count);
  const first = new Int32Array(count).fill(-1);
  for (let i = 0; i < labels.length; i++) {
    size[labels[i]]++;
    if (first[labels[i]] === -1) first[labels[i]] = i;
  }
  const order = Array.from({ length: count }, (_, c) => c).sort((a, b) => size[b] - size[a] || first[a] - first[b]);
  return order.map((c) => {
    const v = new Float64Array(labels.length);
    let norm = 0;
    for (let i = 0; i < labels.length; i++) {
      if (labels[i] === c) {
        v[i] = w[i];
        norm += w[i] * w[i];
      }
    }
    norm = Math.sqrt(norm);
    for (let i = 0; i < v.length; i++) v[i] /= norm;
    return v;
  });
}

/** Degree of the polynomial ((M + I)/2)^q the solver sees for sparse (host) graphs. */
const SPARSE_POWER = 8;

/** ((A + I)/2)^q as an operator: q products of A per application. */
function shiftedPower(op: SymmetricOperator, q: number): SymmetricOperator {
  return {
    n: op.n,
    async apply(columns) {
      let v = columns.map((c) => Float64Array.from(c));
      for (let s = 0; s < q; s++) {
        const av = await op.apply(v);
        v = av.map((a, c) => a.map((x, i) => 0.5 * (x + v[c][i])));
      }
      return v;
    },
  };
}

async function solve(graph: Graph, o: Defaults & Resolved, seed: number): Promise<Embedding> {
  const n = graph.degree.length;
  const k = o.k;
  const locked = graph.known.slice(0, k);
  const vectors: Float64Array[] = [...locked];
  const mu: number[] = locked.map(() => 1);
  const residuals: number[] = locked.map(() => 0);
  let products = 0;
  let solverConverged = true;
  if (locked.length < k) {
    const tol = o.eigenTol ?? (o.affinity === 'rbf' ? 1e-5 : 1e-6);
    const nev = k - locked.length;
    // Up to 4 columns per block: (near-)multiple eigenvalues, as k well-separated blobs give, are
    // found together; a narrow block converges faster on clustered spectra.
    const blockSize = Math.max(2, Math.min(nev, 4));
    // On the host the sparse products are cheap next to the orthogonalisation, so the solver
    // works on S = ((M + I)/2)^q: same eigenvectors, same order (μ ↦ ((1 + μ)/2)^q is increasing
    // on [−1, 1]), but the gaps near μ = 1 widened about q/2 times against the rest of the
    // spectrum, so far fewer restarts. μ is then the Rayleigh quotient of M itself.
    const q = graph.storage === 'sparse' ? SPARSE_POWER : 1;
    const r = await lanczosLargest(q === 1 ? graph.op : shiftedPower(graph.op, q), { nev, locked, tol, blockSize, maxProducts: o.maxIter, seed });
    const mx = q === 1 ? null : await graph.op.apply(r.vectors);
    r.vectors.forEach((x, c) => {
      if (mx === null) {
        mu.push(r.values[c]);
        residuals.push(r.residuals[c]);
        return;
      }
      let rq = 0;
      for (let i = 0; i < n; i++) rq += x[i] * mx[c][i];
      let res = 0;
      for (let i = 0; i < n; i++) res += (mx[c][i] - rq * x[i]) ** 2;
      mu.push(rq);
      residuals.push(Math.sqrt(res));
    });
    vectors.push(...r.vectors);
    products = r.products;
    solverConverged = r.converged;
  }
  // u = D^-1/2·x, then sklearn's sign convention: the entry of largest magnitude is positive.
  const w = sqrtDegrees(graph.degree);
  const data = new Float64Array(n * k);
  for (let c = 0; c < k; c++) {
    const v = vectors[c];
    let arg = 0;
    for (let i = 0; i < n; i++) if (Math.abs(v[i] / w[i]) > Math.abs(v[arg] / w[arg])) arg = i;
    const sign = v[arg] < 0 ? -1 : 1;
    for (let i = 0; i < n; i++) data[i * k + c] = (sign * v[i]) / w[i];
  }
  return {
    embedding: { data, rows: n, cols: k },
    eigenvalues: Float64Array.from(mu, (x) => 1 - x),
    residuals: Float64Array.from(residuals),
    products,
    solverConverged,
    storage: graph.storage,
    components: graph.components,
  };
}
