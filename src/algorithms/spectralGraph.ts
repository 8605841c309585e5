// SPDX-License-Identifier: MIT
/**
 * The affinity graphs of spectral clustering and their normalised adjacency operators
 * M = W⁻¹·A′·W⁻¹ (A′ the affinity without its diagonal, W = diag(√degree)), as scipy's
 * `csgraph.laplacian(normed=True)` defines the normalised Laplacian L = I − M: self-loops are
 * ignored, and an isolated row (degree 0) gets w = 1 and L_ii = 0, so M_ii = 1.
 *
 * - k-NN: the symmetrised connectivity 0.5·(C + Cᵀ) of scikit-learn's
 *   `kneighbors_graph(X, nNeighbors, include_self=True)`, held as CSR on the host (at most
 *   2·n·nNeighbors entries) with float64 products.
 * - RBF: exp(−gamma·‖x − y‖²) tiles on the device, multiplied with uploaded vector blocks; the
 *   tiles are kept on the device when the whole matrix fits `memoryBudgetBytes`, else recomputed
 *   at every product (O(n²·d) work, O(n·p) memory beyond one tile). On a GPU backend with small
 *   data (SpectralClusteringOptions.placement) the affinity is a float64 matrix on the host instead.
 */
import * as tf from '@tensorflow/tfjs-core';
import { knn } from '../kernels/knn/index.js';
import { rbfProduct, rbfTile } from '../kernels/rbfProduct/index.js';
import { REDUCTION_RUN, disposeBlocks, uploadRows, type RowBlock } from '../kernels/shared/tiling.js';
import { deviceFacts } from '../backend/backend.js';
import type { SymmetricOperator } from '../linalg/lanczos.js';
import type { MatrixF32 } from '../matrix.js';

/** A sparse n×n matrix in compressed sparse row form. */
export interface Csr {
  n: number;
  /** [n + 1]: row i holds entries rowPtr[i] .. rowPtr[i+1]-1. */
  rowPtr: Int32Array;
  /** Column of each entry, increasing within a row. */
  colIdx: Int32Array;
  values: Float64Array;
}

/** Float32 temporaries per entry of a distance tile (distances, norms, products, selection). */
const FLOATS_PER_TILE_ENTRY = 6;

/**
 * Rows per block such that a square tile of `floatsPerEntry` float32 temporaries per entry fits
 * the device's tile budget: whole reduction runs when at least one run.
 */
export function squareTileRows(n: number, floatsPerEntry: number, budgetBytes = deviceFacts().memoryBudgetBytes): number {
  let b = Math.floor(Math.sqrt(budgetBytes / (4 * floatsPerEntry)));
  if (b >= REDUCTION_RUN) b -= b % REDUCTION_RUN;
  return Math.max(1, Math.min(n, b));
}

/**
 * Indices of the `k` nearest rows of every row of `x` [n, d] (itself included, nearest first),
 * as an [n, k] row-major Int32Array, by the knn kernel over square tiles. O(n²·d) work.
 */
export async function nearestNeighbors(x: MatrixF32, k: number, tileRows?: number): Promise<Int32Array> {
  const n = x.rows;
  const blocks = uploadRows(x, 0, tileRows ?? squareTileRows(n, FLOATS_PER_TILE_ENTRY));
  const out = new Int32Array(n * k);
  try {
    for (const block of blocks) {
      const { indices, sqDistances } = knn(block.x, blocks, k);
      sqDistances.dispose();
      const idx = await indices.data();
      indices.dispose();
      out.set(idx, block.start * k);
    }
  } finally {
    disposeBlocks(blocks);
  }
  return out;
}

/**
 * 0.5·(C + Cᵀ) without its diagonal, where C_ij = 1 when j is among the k neighbours of i
 * (`neighbors` [n, k] row-major). Entries in float64; columns sorted within each row.
 */
export function symmetrizedConnectivity(neighbors: Int32Array, n: number, k: number): Csr {
  const counts = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    for (let s = 0; s < k; s++) {
      const j = neighbors[i * k + s];
      if (j === i) continue;
      counts[i + 1]++;
      counts[j + 1]++;
    }
  }
  for (let i = 0; i < n; i++) counts[i + 1] += counts[i];
  const fill = counts.slice(0, n);
  const cols = new Int32Array(counts[n]);
  for (let i = 0; i < n; i++) {
    for (let s = 0; s < k; s++) {
      const j = neighbors[i * k + s];
      if (j === i) continue;
      cols[fill[i]++] = j;
      cols[fill[j]++] = i;
    }
  }
  // Each (row, column) occurrence adds 0.5: sort each row and merge repeats.
  const rowPtr = new Int32Array(n + 1);
  const colIdx = new Int32Array(cols.length);
  const values = new Float64Array(cols.length);
  let nnz = 0;
  for (let i = 0; i < n; i++) {
    const row = cols.subarray(counts[i], counts[i + 1]).sort();
    for (let s = 0; s < row.length; s++) {
      if (s > 0 && row[s] === row[s - 1]) {
        values[nnz - 1] += 0.5;
      } else {
        colIdx[nnz] = row[s];
        values[nnz] = 0.5;
        nnz++;
      }
    }
    rowPtr[i + 1] = nnz;
  }
  return { n, rowPtr, colIdx: colIdx.slice(0, nnz), values: values.slice(0, nnz) };
}

/** Connected components of a symmetric sparse graph: a label per row (0 for row 0's component). */
export function connectedComponents(g: Csr): { count: number; labels: Int32Array } {
  const labels = new Int32Array(g.n).fill(-1);
  const stack = new Int32Array(g.n);
  let count = 0;
  for (let start = 0; start < g.n; start++) {
    if (labels[start] !== -1) continue;
    let top = 0;
    stack[top++] = start;
    labels[start] = count;
    while (top > 0) {
      const i = stack[--top];
      for (let e = g.rowPtr[i]; e < g.rowPtr[i + 1]; e++) {
        const j = g.colIdx[e];
        if (labels[j] === -1 && g.values[e] !== 0) {
          labels[j] = count;
          stack[top++] = j;
        }
      }
    }
    count++;
  }
  return { count, labels };
}

/** Row sums of a CSR matrix, in float64. */
export function rowSums(g: Csr): Float64Array {
  const out = new Float64Array(g.n);
  for (let i = 0; i < g.n; i++) for (let e = g.rowPtr[i]; e < g.rowPtr[i + 1]; e++) out[i] += g.values[e];
  return out;
}

/** √degree, with 1 for isolated rows (degree 0), as scipy's normalised Laplacian. */
export function sqrtDegrees(degree: Float64Array): Float64Array {
  return degree.map((d) => (d > 0 ? Math.sqrt(d) : 1));
}

/** M = W⁻¹A′W⁻¹ (+1 on the diagonal of isolated rows) for a sparse A′ without diagonal, on the host. */
export function sparseNormalizedOperator(g: Csr, degree: Float64Array): SymmetricOperator {
  const w = sqrtDegrees(degree);
  const scaled = new Float64Array(g.values.length);
  for (let i = 0; i < g.n; i++) {
    for (let e = g.rowPtr[i]; e < g.rowPtr[i + 1]; e++) scaled[e] = g.values[e] / (w[i] * w[g.colIdx[e]]);
  }
  return {
    n: g.n,
    apply(columns) {
      return columns.map((v) => {
        const y = new Float64Array(g.n);
        for (let i = 0; i < g.n; i++) {
          let s = degree[i] > 0 ? 0 : v[i];
          for (let e = g.rowPtr[i]; e < g.rowPtr[i + 1]; e++) s += scaled[e] * v[g.colIdx[e]];
          y[i] = s;
        }
        return y;
      });
    },
  };
}

/** The RBF affinity on the device, as row blocks and (when they fit) cached tiles. */
export interface RbfGraph {
  blocks: RowBlock[];
  gamma: number;
  /** tiles[i][j]: the cached tile of block i against block j, or null when recomputed per product. */
  tiles: tf.Tensor2D[][] | null;
  dispose(): void;
}

/**
 * Uploads `x` for RBF products. The n×n affinity is kept on the device as tiles when
 * n²·4 bytes ≤ `memoryBudgetBytes`; otherwise each product recomputes the tiles from `x`.
 */
export function rbfGraph(x: MatrixF32, gamma: number, memoryBudgetBytes: number, tileRows?: number): RbfGraph {
  const blocks = uploadRows(x, 0, tileRows ?? squareTileRows(x.rows, FLOATS_PER_TILE_ENTRY));
  let tiles: tf.Tensor2D[][] | null = null;
  if (x.rows * x.rows * 4 <= memoryBudgetBytes) {
    tiles = blocks.map((bi, i) => blocks.map((bj, j) => rbfTile(bi.x, bj.x, gamma, i === j)));
  }
  return {
    blocks,
    gamma,
    tiles,
    dispose() {
      if (tiles !== null) for (const row of tiles) tf.dispose(row);
      disposeBlocks(blocks);
    },
  };
}

/** A′·V for the RBF graph (diagonal excluded), V given as float64 columns; float64 result. */
export async function rbfMultiply(g: RbfGraph, columns: readonly Float64Array[]): Promise<Float64Array[]> {
  const p = columns.length;
  const n = columns[0].length;
  const out = Array.from({ length: p }, () => new Float64Array(n));
  const vectors = g.blocks.map((b) => {
    const t = b.x.shape[0];
    const data = new Float32Array(t * p);
    for (let r = 0; r < t; r++) for (let c = 0; c < p; c++) data[r * p + c] = columns[c][b.start + r];
    return tf.tensor2d(data, [t, p]);
  });
  try {
    const cols = g.blocks.map((b) => b.x);
    for (let i = 0; i < g.blocks.length; i++) {
      const block = g.blocks[i];
      const partial = rbfProduct(block.x, cols, vectors, g.gamma, i, g.tiles?.[i]);
      const values = await partial.data();
      partial.dispose();
      const b = block.x.shape[0];
      for (let j = 0; j < g.blocks.length; j++) {
        const base = j * b * p;
        for (let r = 0; r < b; r++) for (let c = 0; c < p; c++) out[c][block.start + r] += values[base + r * p + c];
      }
    }
  } finally {
    tf.dispose(vectors);
  }
  return out;
}

/**
 * Widest block of vectors the spectral solver multiplies at once (spectral.ts: at most 4
 * columns); part of rbfProductWork.
 */
export const RBF_MAX_BLOCK = 4;

/**
 * The multiply-adds of one RBF product recomputed from the rows, n²·(d + RBF_MAX_BLOCK): what
 * placedOnHost (hostPasses.ts) weighs for SpectralClusteringOptions.placement (n ≤ 418 at d = 2
 * stays under HOST_PASS_MAX_WORK). On WebGPU (SwiftShader), moons 300 × 2: 43 ms per device
 * product, 30 products, against 0.5 ms per 2-column product on the host (1.0 ms at n = 418; the
 * affinity built in 3-4 ms).
 */
export function rbfProductWork(n: number, d: number): number {
  return n * n * (d + RBF_MAX_BLOCK);
}

/**
 * The RBF affinity exp(−gamma·‖x_i − x_j‖²) of the rows of `x` [n, d] without its diagonal, as
 * a row-major n×n Float64Array: float64 direct differences (no ‖x‖² − 2x·y + ‖y‖² cancellation).
 * O(n²·d) work, 8·n² bytes: for small data (rbfProductWork).
 */
export function hostRbfAffinity(x: MatrixF32, gamma: number): Float64Array {
  const { rows: n, cols: d, data } = x;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += (data[i * d + c] - data[j * d + c]) ** 2;
      const v = Math.exp(-gamma * s);
      a[i * n + j] = v;
      a[j * n + i] = v;
    }
  }
  return a;
}

/** A·V for a row-major n×n float64 `a`, V given as float64 columns; float64 result. O(n²·p). */
export function denseMultiply(a: Float64Array, columns: readonly Float64Array[]): Float64Array[] {
  const n = columns[0].length;
  return columns.map((v) => {
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      const row = i * n;
      for (let j = 0; j < n; j++) s += a[row + j] * v[j];
      y[i] = s;
    }
    return y;
  });
}

/**
 * M = W⁻¹A′W⁻¹ (+1 on the diagonal of isolated rows) from `multiply`, the product A′·V: the RBF
 * graph's on the device (rbfMultiply) or a host matrix's (denseMultiply).
 */
export function normalizedOperator(multiply: (columns: readonly Float64Array[]) => Promise<Float64Array[]> | Float64Array[], degree: Float64Array): SymmetricOperator {
  const w = sqrtDegrees(degree);
  const n = degree.length;
  return {
    n,
    async apply(columns) {
      const scaled = columns.map((v) => v.map((x, i) => x / w[i]));
      const y = await multiply(scaled);
      for (let c = 0; c < columns.length; c++) {
        for (let i = 0; i < n; i++) y[c][i] = degree[i] > 0 ? y[c][i] / w[i] : columns[c][i];
      }
      return y;
    },
  };
}

/** M = W⁻¹A′W⁻¹ (+1 on the diagonal of isolated rows) for the RBF graph, products on the device. */
export function rbfNormalizedOperator(g: RbfGraph, degree: Float64Array): SymmetricOperator {
  return normalizedOperator((columns) => rbfMultiply(g, columns), degree);
}
