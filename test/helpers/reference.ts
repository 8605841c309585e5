// SPDX-License-Identifier: MIT
/**
 * Plain Float64 TypeScript references for the kernels and the cluster metrics: the oracles the
 * device results are checked against. Written for clarity, not speed: direct differences (never
 * the ‖x‖² − 2x·c + ‖c‖² expansion the kernels use), float64 accumulators, O(n²) where the
 * definition is O(n²). Inputs are read as they are stored, so a Float32Array is taken at its
 * float32 values, exactly what the device sees.
 *
 * The metrics follow scikit-learn 1.2 (`sklearn/metrics/cluster/_unsupervised.py`): labels may be
 * any non-negative integers (gaps allowed; the clusters are the labels that occur), and
 * silhouette, Calinski-Harabasz and Davies-Bouldin need 2 ≤ number of labels ≤ n − 1.
 */
import type { Matrix } from '../../src/matrix.js';

/** A Float64 matrix from rows of numbers (all rows the same length). */
export function matrixOf(rows: ArrayLike<ArrayLike<number>>): Matrix {
  const n = rows.length;
  const d = n > 0 ? rows[0].length : 0;
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    if (rows[i].length !== d) throw new RangeError(`matrixOf: row ${i} has ${rows[i].length} values, row 0 has ${d}`);
    for (let j = 0; j < d; j++) data[i * d + j] = rows[i][j];
  }
  return { data, rows: n, cols: d };
}

/** Squared Euclidean norm of row i of x. */
export function sqNormRef(x: Matrix, i: number): number {
  let s = 0;
  for (let j = 0; j < x.cols; j++) s += x.data[i * x.cols + j] ** 2;
  return s;
}

/** Squared Euclidean distance between row i of a and row j of b, by direct differences. */
export function sqDistRef(a: Matrix, i: number, b: Matrix, j: number): number {
  if (a.cols !== b.cols) throw new RangeError(`sqDistRef: ${a.cols} columns against ${b.cols}`);
  const d = a.cols;
  let s = 0;
  for (let f = 0; f < d; f++) {
    const diff = a.data[i * d + f] - b.data[j * d + f];
    s += diff * diff;
  }
  return s;
}

/** pairwiseSqDist: [m, k] squared distances from the rows of x [m, d] to the rows of c [k, d]. */
export function pairwiseSqDistRef(x: Matrix, c: Matrix): Matrix {
  const out = new Float64Array(x.rows * c.rows);
  for (let i = 0; i < x.rows; i++) for (let j = 0; j < c.rows; j++) out[i * c.rows + j] = sqDistRef(x, i, c, j);
  return { data: out, rows: x.rows, cols: c.rows };
}

/** assignNearest: the nearest center of each row (the lowest index on an exact tie) and its squared distance. */
export function assignNearestRef(x: Matrix, centers: Matrix): { labels: Int32Array; distances: Float64Array } {
  const labels = new Int32Array(x.rows);
  const distances = new Float64Array(x.rows);
  for (let i = 0; i < x.rows; i++) {
    let best = 0;
    let bestDist = Number.POSITIVE_INFINITY;
    for (let c = 0; c < centers.rows; c++) {
      const dist = sqDistRef(x, i, centers, c);
      if (dist < bestDist) {
        best = c;
        bestDist = dist;
      }
    }
    labels[i] = best;
    distances[i] = bestDist;
  }
  return { labels, distances };
}

/**
 * nearestTwo: for each row, the nearest and the second-nearest center (centers ordered by
 * distance, then by index, so the lowest index comes first on an exact tie) and their squared
 * distances. Needs k ≥ 2.
 */
export function nearestTwoRef(x: Matrix, centers: Matrix): { indices: Int32Array; distances: Float64Array } {
  if (centers.rows < 2) throw new RangeError(`nearestTwoRef: needs 2 centers, got ${centers.rows}`);
  const indices = new Int32Array(2 * x.rows);
  const distances = new Float64Array(2 * x.rows);
  for (let i = 0; i < x.rows; i++) {
    let first = -1;
    let second = -1;
    let d1 = Number.POSITIVE_INFINITY;
    let d2 = Number.POSITIVE_INFINITY;
    for (let c = 0; c < centers.rows; c++) {
      const dist = sqDistRef(x, i, centers, c);
      if (dist < d1) {
        [second, d2] = [first, d1];
        [first, d1] = [c, dist];
      } else if (dist < d2) {
        [second, d2] = [c, dist];
      }
    }
    indices.set([first, second], 2 * i);
    distances.set([d1, d2], 2 * i);
  }
  return { indices, distances };
}

/** distToAssigned: the squared distance of each row to its own center, centers[labels[i]]. */
export function distToAssignedRef(x: Matrix, centers: Matrix, labels: ArrayLike<number>): Float64Array {
  return Float64Array.from({ length: x.rows }, (_, i) => sqDistRef(x, i, centers, labels[i]));
}

/** oneHotF32: [n, k] rows with a 1 in the label's column (no 1 for a label outside 0..k-1). */
export function oneHotRef(labels: ArrayLike<number>, k: number): Matrix {
  const out = new Float64Array(labels.length * k);
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (Number.isInteger(l) && l >= 0 && l < k) out[i * k + l] = 1;
  }
  return { data: out, rows: labels.length, cols: k };
}

/** clusterSums after addRuns: per-cluster totals, all rows at once, in float64. */
export interface ClusterSumsRef {
  /** [k] summed weight (the count without weights). */
  counts: Float64Array;
  /** [k * d] weighted sum of the rows of each cluster. */
  sums: Float64Array;
  /** [k * d] weighted sum of squared values. */
  sumSquares: Float64Array;
}

/** clusterSums: counts, sums and sums of squares of the rows of x per label in 0..k-1, rows in [start, end). */
export function clusterSumsRef(
  x: Matrix,
  labels: ArrayLike<number>,
  k: number,
  weights?: ArrayLike<number> | null,
  start = 0,
  end = x.rows,
): ClusterSumsRef {
  const d = x.cols;
  const counts = new Float64Array(k);
  const sums = new Float64Array(k * d);
  const sumSquares = new Float64Array(k * d);
  for (let i = start; i < end; i++) {
    const c = labels[i];
    const w = weights ? weights[i] : 1;
    counts[c] += w;
    for (let j = 0; j < d; j++) {
      const v = x.data[i * d + j];
      sums[c * d + j] += w * v;
      sumSquares[c * d + j] += w * v * v;
    }
  }
  return { counts, sums, sumSquares };
}

/** lloydStep: assignNearestRef, then clusterSumsRef of the new labels. */
export function lloydStepRef(
  x: Matrix,
  centers: Matrix,
  weights?: ArrayLike<number> | null,
): { labels: Int32Array; distances: Float64Array; counts: Float64Array; sums: Float64Array } {
  const { labels, distances } = assignNearestRef(x, centers);
  const { counts, sums } = clusterSumsRef(x, labels, centers.rows, weights);
  return { labels, distances, counts, sums };
}

/** silhouetteTile: out[i, c] = Σ_{j : labels[j] = c} ‖block_i − x_j‖, [b, k]. */
export function silhouetteTileRef(block: Matrix, x: Matrix, labels: ArrayLike<number>, k: number): Matrix {
  const out = new Float64Array(block.rows * k);
  for (let i = 0; i < block.rows; i++) {
    for (let j = 0; j < x.rows; j++) out[i * k + labels[j]] += Math.sqrt(sqDistRef(block, i, x, j));
  }
  return { data: out, rows: block.rows, cols: k };
}

/**
 * silhouetteSumsMulti: for S labelings of the rows of `x` (labelings[s] in 0..ks[s]−1),
 * out[i, o_s + c] = Σ_{j : labelings[s][j] = c} ‖x_i − x_j‖ with o_s = Σ_{t<s} ks[t]; [n, Σ ks].
 */
export function silhouetteSumsMultiRef(x: Matrix, labelings: ReadonlyArray<ArrayLike<number>>, ks: readonly number[]): Matrix {
  const width = ks.reduce((a, b) => a + b, 0);
  const offsets = ks.map((_, s) => ks.slice(0, s).reduce((a, b) => a + b, 0));
  const out = new Float64Array(x.rows * width);
  for (let i = 0; i < x.rows; i++) {
    for (let j = 0; j < x.rows; j++) {
      const dist = Math.sqrt(sqDistRef(x, i, x, j));
      labelings.forEach((l, s) => (out[i * width + offsets[s] + l[j]] += dist));
    }
  }
  return { data: out, rows: x.rows, cols: width };
}

/** The distinct labels in increasing order, and each row's index into them (sklearn's LabelEncoder). */
function encodeLabels(labels: ArrayLike<number>, n: number, fn: string): { codes: Int32Array; nLabels: number } {
  if (labels.length !== n) throw new RangeError(`${fn}: ${labels.length} labels for ${n} rows`);
  const distinct = Array.from(new Set(Array.from(labels))).sort((a, b) => a - b);
  const index = new Map(distinct.map((l, c) => [l, c]));
  const codes = Int32Array.from(labels, (l) => index.get(l) as number);
  return { codes, nLabels: distinct.length };
}

/** sklearn's check_number_of_labels. */
function checkNumberOfLabels(nLabels: number, n: number, fn: string): void {
  if (nLabels < 2 || nLabels > n - 1) {
    throw new RangeError(`${fn}: number of labels is ${nLabels}; valid values are 2 to n_samples - 1 = ${n - 1} (inclusive)`);
  }
}

/** [nLabels, d] mean of each cluster, and the cluster sizes. */
function clusterMeans(x: Matrix, codes: Int32Array, nLabels: number): { means: Matrix; sizes: Float64Array } {
  const d = x.cols;
  const { counts, sums } = clusterSumsRef(x, codes, nLabels);
  for (let c = 0; c < nLabels; c++) for (let j = 0; j < d; j++) sums[c * d + j] /= counts[c];
  return { means: { data: sums, rows: nLabels, cols: d }, sizes: counts };
}

/**
 * Silhouette coefficient of every row, as sklearn's `silhouette_samples` (Euclidean):
 * s = (b − a) / max(a, b), a the mean distance to the other members of its cluster, b the
 * lowest mean distance to the members of another cluster; 0 for rows of singleton clusters
 * (and wherever a = b = 0). O(n²·d).
 */
export function silhouetteSamplesRef(x: Matrix, labels: ArrayLike<number>): Float64Array {
  const n = x.rows;
  const { codes, nLabels } = encodeLabels(labels, n, 'silhouetteSamplesRef');
  checkNumberOfLabels(nLabels, n, 'silhouetteSamplesRef');
  const sizes = new Float64Array(nLabels);
  for (let i = 0; i < n; i++) sizes[codes[i]] += 1;
  const out = new Float64Array(n);
  const toCluster = new Float64Array(nLabels);
  for (let i = 0; i < n; i++) {
    const own = codes[i];
    if (sizes[own] === 1) continue; // sklearn: 0 for singletons
    toCluster.fill(0);
    for (let j = 0; j < n; j++) toCluster[codes[j]] += Math.sqrt(sqDistRef(x, i, x, j));
    const a = toCluster[own] / (sizes[own] - 1);
    let b = Number.POSITIVE_INFINITY;
    for (let c = 0; c < nLabels; c++) if (c !== own) b = Math.min(b, toCluster[c] / sizes[c]);
    const denom = Math.max(a, b);
    out[i] = denom === 0 ? 0 : (b - a) / denom;
  }
  return out;
}

/** Mean silhouette coefficient (sklearn's `silhouette_score`, Euclidean, no sampling). */
export function silhouetteScoreRef(x: Matrix, labels: ArrayLike<number>): number {
  const s = silhouetteSamplesRef(x, labels);
  let total = 0;
  for (let i = 0; i < s.length; i++) total += s[i];
  return total / s.length;
}

/**
 * Calinski-Harabasz score (sklearn): [B / (k − 1)] / [W / (n − k)], B = Σ_c n_c ‖μ_c − μ‖²,
 * W = Σ_i ‖x_i − μ_{c(i)}‖², k the number of labels; 1.0 when W = 0.
 */
export function calinskiHarabaszRef(x: Matrix, labels: ArrayLike<number>): number {
  const n = x.rows;
  const d = x.cols;
  const { codes, nLabels } = encodeLabels(labels, n, 'calinskiHarabaszRef');
  checkNumberOfLabels(nLabels, n, 'calinskiHarabaszRef');
  const { means, sizes } = clusterMeans(x, codes, nLabels);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += x.data[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  let between = 0;
  for (let c = 0; c < nLabels; c++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += (means.data[c * d + j] - mean[j]) ** 2;
    between += sizes[c] * s;
  }
  let within = 0;
  for (let i = 0; i < n; i++) within += sqDistRef(x, i, means, codes[i]);
  return within === 0 ? 1.0 : (between * (n - nLabels)) / (within * (nLabels - 1));
}

/**
 * Davies-Bouldin score (sklearn): the mean over clusters i of max_{j≠i} (s_i + s_j) / ‖μ_i − μ_j‖,
 * s the mean Euclidean distance of a cluster's rows to its centroid. 0 when every s is within
 * 1e-8 of 0 or every centroid distance is (sklearn's np.allclose(·, 0)); a pair of coincident
 * centroids contributes 0 (sklearn divides by +inf there).
 */
export function daviesBouldinRef(x: Matrix, labels: ArrayLike<number>): number {
  const n = x.rows;
  const { codes, nLabels } = encodeLabels(labels, n, 'daviesBouldinRef');
  checkNumberOfLabels(nLabels, n, 'daviesBouldinRef');
  const { means, sizes } = clusterMeans(x, codes, nLabels);
  const spread = new Float64Array(nLabels);
  for (let i = 0; i < n; i++) spread[codes[i]] += Math.sqrt(sqDistRef(x, i, means, codes[i]));
  for (let c = 0; c < nLabels; c++) spread[c] /= sizes[c];
  const centroidDist = pairwiseSqDistRef(means, means);
  for (let i = 0; i < centroidDist.data.length; i++) centroidDist.data[i] = Math.sqrt(centroidDist.data[i]);
  const allNearZero = (v: ArrayLike<number>): boolean => Array.prototype.every.call(v, (e: number) => Math.abs(e) <= 1e-8);
  if (allNearZero(spread) || allNearZero(centroidDist.data)) return 0;
  let total = 0;
  for (let i = 0; i < nLabels; i++) {
    let worst = 0;
    for (let j = 0; j < nLabels; j++) {
      if (j === i) continue;
      const dist = centroidDist.data[i * nLabels + j];
      if (dist === 0) continue;
      worst = Math.max(worst, (spread[i] + spread[j]) / dist);
    }
    total += worst;
  }
  return total / nLabels;
}

/**
 * Inertia: Σ_i w_i ‖x_i − c_{label(i)}‖². Measured to `centers` [k, d] when given (sklearn's
 * `inertia_`), else to the mean of each label (the fixtures' `inertia_of_labels`).
 */
export function inertiaRef(
  x: Matrix,
  labels: ArrayLike<number>,
  centers?: Matrix | null,
  weights?: ArrayLike<number> | null,
): number {
  const n = x.rows;
  let codes: ArrayLike<number> = labels;
  let to: Matrix;
  if (centers) {
    if (centers.cols !== x.cols) throw new RangeError(`inertiaRef: centers have ${centers.cols} columns, x has ${x.cols}`);
    to = centers;
  } else {
    const enc = encodeLabels(labels, n, 'inertiaRef');
    codes = enc.codes;
    to = clusterMeans(x, enc.codes, enc.nLabels).means;
  }
  let total = 0;
  for (let i = 0; i < n; i++) total += (weights ? weights[i] : 1) * sqDistRef(x, i, to, codes[i]);
  return total;
}

/**
 * meanShiftStep: for each seed, the mean of the rows of x within `bandwidth` (distance ≤ it;
 * 'flat') or of all rows weighted by exp(−‖x − s‖²/2h²) ('gaussian'), times `weights`; the
 * (weighted) number of rows within the bandwidth; the summed kernel weight. A seed with zero
 * mass keeps its place.
 */
export function meanShiftStepRef(
  seeds: Matrix,
  x: Matrix,
  bandwidth: number,
  kernel: 'flat' | 'gaussian',
  weights?: ArrayLike<number> | null,
): { means: Matrix; counts: Float64Array; mass: Float64Array } {
  const d = x.cols;
  const means = new Float64Array(seeds.rows * d);
  const counts = new Float64Array(seeds.rows);
  const mass = new Float64Array(seeds.rows);
  for (let s = 0; s < seeds.rows; s++) {
    const sums = new Float64Array(d);
    for (let i = 0; i < x.rows; i++) {
      const dist2 = sqDistRef(seeds, s, x, i);
      const inside = dist2 <= bandwidth * bandwidth;
      const wRow = weights ? weights[i] : 1;
      const w = (kernel === 'flat' ? (inside ? 1 : 0) : Math.exp(-dist2 / (2 * bandwidth * bandwidth))) * wRow;
      if (inside) counts[s] += wRow;
      mass[s] += w;
      for (let j = 0; j < d; j++) sums[j] += w * x.data[i * d + j];
    }
    for (let j = 0; j < d; j++) means[s * d + j] = mass[s] > 0 ? sums[j] / mass[s] : seeds.data[s * d + j];
  }
  return { means: { data: means, rows: seeds.rows, cols: d }, counts, mass };
}

/** radiusCounts: for each row of `rows`, how many rows of `cols` lie within `radius` (distance ≤ radius). */
export function radiusCountsRef(rows: Matrix, cols: Matrix, radius: number): Float64Array {
  const out = new Float64Array(rows.rows);
  for (let i = 0; i < rows.rows; i++) for (let j = 0; j < cols.rows; j++) if (sqDistRef(rows, i, cols, j) <= radius * radius) out[i] += 1;
  return out;
}

/** radiusPairs: every (i, j) with row i of `rows` within `radius` of row j of `cols`, i then j increasing. */
export function radiusPairsRef(rows: Matrix, cols: Matrix, radius: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 0; i < rows.rows; i++) for (let j = 0; j < cols.rows; j++) if (sqDistRef(rows, i, cols, j) <= radius * radius) out.push([i, j]);
  return out;
}

/** kthNearest: for each row of `rows`, the k-th smallest (1-based) squared distance to the rows of `cols`. */
export function kthNearestRef(rows: Matrix, cols: Matrix, k: number): Float64Array {
  const out = new Float64Array(rows.rows);
  for (let i = 0; i < rows.rows; i++) {
    const dist = Array.from({ length: cols.rows }, (_, j) => sqDistRef(rows, i, cols, j)).sort((a, b) => a - b);
    out[i] = dist[k - 1];
  }
  return out;
}

/**
 * scikit-learn's estimate_bandwidth on all rows: the mean over rows of the distance to the k-th
 * nearest row (the row itself first), k = max(1, ⌊quantile · n⌋).
 */
export function estimateBandwidthRef(x: Matrix, quantile: number): number {
  const k = Math.max(1, Math.floor(x.rows * quantile));
  const kth = kthNearestRef(x, x, k);
  let total = 0;
  for (let i = 0; i < x.rows; i++) total += Math.sqrt(kth[i]);
  return total / x.rows;
}

/**
 * DBSCAN exactly as scikit-learn's `dbscan_inner` runs it: brute-force neighbourhoods (distance
 * ≤ eps, the row itself included), core when at least minSamples, then clusters grown by a
 * depth-first stack from each unlabelled core row in index order. O(n²·d).
 */
export function dbscanRef(x: Matrix, eps: number, minSamples: number): { labels: Int32Array; core: Uint8Array } {
  const n = x.rows;
  const neighbours: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row: number[] = [];
    for (let j = 0; j < n; j++) if (sqDistRef(x, i, x, j) <= eps * eps) row.push(j);
    neighbours.push(row);
  }
  const core = Uint8Array.from(neighbours, (nb) => (nb.length >= minSamples ? 1 : 0));
  const labels = new Int32Array(n).fill(-1);
  let next = 0;
  for (let start = 0; start < n; start++) {
    if (labels[start] !== -1 || !core[start]) continue;
    const stack: number[] = [];
    let i = start;
    for (;;) {
      if (labels[i] === -1) {
        labels[i] = next;
        if (core[i]) for (const j of neighbours[i]) if (labels[j] === -1) stack.push(j);
      }
      const top = stack.pop();
      if (top === undefined) break;
      i = top;
    }
    next += 1;
  }
  return { labels, core };
}

/**
 * Column centering in float64: the column means (each column summed in row order, then divided
 * by n, as numpy sums a column of float32 values promoted to float64 one after another), the
 * differences x − mean in float64 rounded once to float32, and the mean column variance by the
 * two-pass formula Σ(x − μ)²/n on the input. `mean` replaces the column means where given.
 */
export function centerRowsRef(x: Matrix, mean?: ArrayLike<number>): { means: Float64Array; centered: Float32Array; meanVariance: number } {
  const { rows: n, cols: d, data } = x;
  const own = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += data[i * d + j];
    own[j] = s / n;
  }
  const means = mean === undefined ? own : Float64Array.from(mean);
  const centered = new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) centered[i * d + j] = data[i * d + j] - means[j];
  let total = 0;
  for (let j = 0; j < d; j++) {
    let v = 0;
    for (let i = 0; i < n; i++) v += (data[i * d + j] - own[j]) ** 2;
    total += v / n;
  }
  return { means, centered, meanVariance: total / d };
}
