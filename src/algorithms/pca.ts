// SPDX-License-Identifier: MIT
/**
 * Principal component analysis with scikit-learn 1.2's definitions (`PCA(svd_solver='full')`):
 * the data are centered on their column means; the components are the right singular vectors
 * of the centered data, ordered by singular value; explained variance is S²/(n − 1); the
 * ratio is over the total variance; a fraction for `nComponents` keeps the fewest components
 * whose cumulative ratio exceeds it; `whiten` scales the scores to unit variance.
 *
 * How it is computed, for n up to 10^6 and more and d up to a few hundred: the column means in
 * float64 on the host; the centered rows go to the device once, as row blocks; the scatter
 * matrix X_cᵀX_c [d, d] is accumulated block by block by the `gram` kernel (float32 runs added
 * pairwise on the device, blocks added in float64 on the host; centering first avoids the
 * cancellation of forming XᵀX − n·μμᵀ in float32); its eigendecomposition runs on the host in
 * float64 (`symmetricEigen`). Eigenvalues λ give S = √λ. The Gram route squares the condition
 * number: a component whose variance is below about 10^-6 of the largest is not resolved
 * relatively (its variance is then accurate to ~10^-6 of the largest, absolutely).
 *
 * Signs follow scikit-learn 1.2.1's `svd_flip(U, Vt)` with `u_based_decision=True` (what
 * `_fit_full` calls): each component's sign makes the score with the largest magnitude over the
 * training rows positive. The candidates come from the device (top two |score| per block) and
 * are compared in float64 on the host, the lowest row winning an exact tie (numpy's argmax). A
 * component with zero variance (λ ≤ d·2^-23·λ₁, below the float32 noise of the scatter matrix)
 * has no meaningful scores, and scikit-learn's sign for it comes from an arbitrary left singular
 * vector: here its largest-magnitude entry is made positive instead.
 *
 * Reference: scikit-learn `sklearn/decomposition/_pca.py` and `_base.py`;
 * Jolliffe, Principal Component Analysis (2002), ch. 1–3.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from '../backend/backend.js';
import { withBackendFallback } from '../backend/fallback.js';
import { anyOf, boolean, func, integer, number, optional, validateOptions, type ConstraintTable } from '../constraints.js';
import { DataError, ParameterError } from '../errors.js';
import { gram, gramFloatsPerRow } from '../kernels/gram/index.js';
import { project } from '../kernels/project/index.js';
import { disposeBlocks, uploadRows, type RowBlock } from '../kernels/shared/tiling.js';
import { symmetricEigen } from '../linalg/symmetricEigen.js';
import { toMatrix, type Matrix, type MatrixF32, type MatrixLike } from '../matrix.js';
import { centerRows } from '../kernels/centerRows/index.js';

export interface PCAOptions {
  /**
   * Components to keep: an integer from 1 to min(n, d), or a fraction in (0, 1): the fewest
   * components whose cumulative explained variance ratio is greater than it (scikit-learn).
   * Default min(n, d).
   */
  nComponents?: number;
  /**
   * Divide the scores by √(explained variance), so each has unit variance on the training rows
   * (scikit-learn's `whiten`). A component of zero variance (within float32 rounding, see
   * the file's notes) then scores 0 (scikit-learn: NaN or huge values).
   * Default false.
   */
  whiten?: boolean;
  /** Rows per device block; default from the device's memory budget. */
  tileRows?: number;
  /** Receives warnings (backend fallback). Default console.warn. */
  onWarning?: (message: string) => void;
}

type Defaults = Required<Pick<PCAOptions, 'whiten'>>;
const DEFAULTS: Defaults = { whiten: false };

/** A fitted PCA; immutable. */
export interface PCAResult {
  /** [nComponents, d] principal axes (unit rows), by decreasing explained variance. */
  readonly components: Matrix;
  /** [d] column means of the training rows. */
  readonly mean: Float64Array;
  /** [nComponents] variance of the training rows along each component (ddof 1): S²/(n − 1). */
  readonly explainedVariance: Float64Array;
  /** [nComponents] explained variance over the total variance (all 0 when the total is 0). */
  readonly explainedVarianceRatio: Float64Array;
  /** [nComponents] singular values of the centered training rows. */
  readonly singularValues: Float64Array;
  /** Mean explained variance of the components not kept, of min(n, d) in all (0 if none). */
  readonly noiseVariance: number;
  readonly nComponents: number;
  readonly nFeatures: number;
  /** Training rows, n. */
  readonly nSamplesSeen: number;
  readonly whiten: boolean;
  /** The tfjs backend that computed it. */
  readonly backend: BackendName;
  /** Scores [m, nComponents] of rows `x` [m, d]: (x − mean)·componentsᵀ (÷ √variance if whiten). */
  transform(x: MatrixLike): Promise<MatrixF32>;
  /** Rows [m, d] back from scores `z` [m, nComponents]: z·components (× √variance if whiten) + mean. */
  inverseTransform(z: MatrixLike): Promise<MatrixF32>;
}

const FN = 'pca';

/**
 * Principal component analysis.
 * @example
 * const model = await new PCA({ nComponents: 1 }).fit([[0, 0], [1, 1], [2, 2], [4, 4]]);
 * model.components.data; // [Math.SQRT1_2, Math.SQRT1_2]: the largest score (row 3's) is positive
 * model.explainedVariance; // [35 / 6]
 * (await model.transform([[4, 4]])).data; // [2.25 * Math.SQRT2]
 */
export class PCA {
  private readonly options: Defaults & PCAOptions;

  constructor(options: PCAOptions = {}) {
    this.options = { ...DEFAULTS, ...options };
    validateOptions(FN, this.options, CONSTRAINTS);
  }

  /** Fits to `x` [n, d], n ≥ 2. O(n·d²) on the device, O(d³) on the host. */
  async fit(x: MatrixLike): Promise<PCAResult> {
    const m = toMatrix(x, FN);
    const { rows: n, cols: d } = m;
    const o = this.options;
    if (n < 2) throw new DataError(FN, 'X', `X has ${n} row; PCA needs at least 2 (the variance divides by n - 1)`);
    const most = Math.min(n, d);
    if (o.nComponents !== undefined && o.nComponents >= 1 && o.nComponents > most) {
      throw new ParameterError(FN, 'nComponents', `nComponents=${o.nComponents} is more than min(n, d) = min(${n}, ${d}) = ${most}`);
    }
    const { centered, mean } = centerRows(m);
    const warn = o.onWarning ?? ((msg: string) => console.warn(`segments: ${msg}`));
    return withBackendFallback(FN, () => fitOnDevice(centered, mean, o), warn);
  }
}

/** Function form of `new PCA(options).fit(x)`. */
export function pca(x: MatrixLike, options: PCAOptions = {}): Promise<PCAResult> {
  return new PCA(options).fit(x);
}

/** What each option may be, checked when constructed; nComponents ≤ min(n, d) is checked by fit(). */
const CONSTRAINTS: ConstraintTable<PCAOptions> = {
  nComponents: optional(anyOf(integer({ min: 1 }), number({ above: 0, below: 1, noun: 'a fraction' }))),
  whiten: boolean(),
  tileRows: optional(integer({ min: 1 })),
  onWarning: optional(func()),
};

async function fitOnDevice(centered: MatrixF32, mean: Float64Array, o: Defaults & PCAOptions): Promise<PCAResult> {
  const { rows: n, cols: d } = centered;
  // The sign pass holds the scores [t, c ≤ d], their magnitudes and a transpose per block.
  const blocks = uploadRows(centered, Math.max(gramFloatsPerRow(d), 4 * d), o.tileRows);
  try {
    const scatter = new Float64Array(d * d);
    for (const b of blocks) {
      const g = gram(b.x);
      const values = await g.data();
      g.dispose();
      for (let i = 0; i < values.length; i++) scatter[i] += values[i];
    }
    let trace = 0;
    for (let j = 0; j < d; j++) trace += scatter[j * d + j];
    const eig = symmetricEigen(scatter, d);
    const most = Math.min(n, d);
    const lambda = Float64Array.from(eig.values.subarray(0, most), (v) => Math.max(0, v));
    const variance = lambda.map((v) => v / (n - 1));
    const ratio = trace > 0 ? lambda.map((v) => v / trace) : new Float64Array(most);
    const c = chooseCount(o.nComponents, ratio, most, trace);
    const components = Float64Array.from(eig.vectors.subarray(0, c * d));
    const zeroBelow = zeroVarianceBelow(lambda, d);
    await fixSigns(components, lambda, zeroBelow, blocks, centered);
    let noise = 0;
    for (let i = c; i < most; i++) noise += variance[i] / (most - c);
    return makeResult({
      components: { data: components, rows: c, cols: d },
      mean,
      explainedVariance: variance.slice(0, c),
      explainedVarianceRatio: ratio.slice(0, c),
      singularValues: lambda.slice(0, c).map(Math.sqrt),
      noiseVariance: noise,
      nComponents: c,
      nFeatures: d,
      nSamplesSeen: n,
      whiten: o.whiten,
      backend: tf.getBackend() as BackendName,
    }, zeroBelow / (n - 1), o.tileRows);
  } finally {
    disposeBlocks(blocks);
  }
}

/** scikit-learn's rule: all min(n, d), the integer given, or for a fraction f the count of cumulative ratios ≤ f, plus one. */
function chooseCount(nComponents: number | undefined, ratio: Float64Array, most: number, trace: number): number {
  if (nComponents === undefined) return most;
  if (nComponents >= 1) return nComponents;
  if (!(trace > 0)) {
    throw new DataError(FN, 'X', `X has zero total variance (all rows are equal): nComponents=${nComponents} as a fraction of it chooses nothing`);
  }
  let cumulative = 0;
  let count = 0;
  for (let i = 0; i < most; i++) {
    cumulative += ratio[i];
    if (cumulative <= nComponents) count++;
    else break;
  }
  return Math.min(most, count + 1);
}

/**
 * svd_flip, u-based: the sign of each component is that of the training row's score with the
 * largest magnitude. Per block the device gives the two largest |scores| of each component; the
 * candidates are rescored in float64 here.
 */
async function fixSigns(
  components: Float64Array,
  lambda: Float64Array,
  zeroBelow: number,
  blocks: RowBlock[],
  centered: MatrixF32,
): Promise<void> {
  const d = centered.cols;
  const c = components.length / d;
  const w = tf.tensor2d(transposed(components, c, d), [d, c]);
  const candidates: number[][] = Array.from({ length: c }, () => []);
  try {
    for (const b of blocks) {
      const t = b.x.shape[0];
      const top = tf.tidy(() => tf.topk(tf.transpose(tf.abs(project(b.x, w))), Math.min(2, t)));
      const idx = await top.indices.data();
      tf.dispose([top.values, top.indices]);
      const per = idx.length / c;
      for (let i = 0; i < c; i++) for (let k = 0; k < per; k++) candidates[i].push(b.start + idx[i * per + k]);
    }
  } finally {
    w.dispose();
  }
  for (let i = 0; i < c; i++) {
    const v = components.subarray(i * d, (i + 1) * d);
    let sign: number;
    if (!(lambda[i] > zeroBelow)) {
      sign = Math.sign(v[argMaxAbs(v)]);
    } else {
      let bestRow = -1;
      let best = 0;
      for (const r of candidates[i]) {
        let s = 0;
        for (let j = 0; j < d; j++) s += centered.data[r * d + j] * v[j];
        if (Math.abs(s) > Math.abs(best) || (Math.abs(s) === Math.abs(best) && r < bestRow)) {
          best = s;
          bestRow = r;
        }
      }
      sign = Math.sign(best);
    }
    if (sign < 0) for (let j = 0; j < d; j++) v[j] = -v[j];
  }
}

/**
 * Eigenvalues of the scatter matrix at or below this are zero as far as the float32 device can
 * tell (the Gram's rounding is about d·u of its largest eigenvalue): such components get the
 * sign rule of zero-variance components and score 0 when whitened.
 */
function zeroVarianceBelow(lambda: Float64Array, d: number): number {
  return d * 2 ** -23 * (lambda[0] ?? 0);
}

function argMaxAbs(v: ArrayLike<number>): number {
  let best = 0;
  for (let j = 1; j < v.length; j++) if (Math.abs(v[j]) > Math.abs(v[best])) best = j;
  return best;
}

/** [rows, cols] row-major → float32 [cols, rows] row-major. */
function transposed(a: ArrayLike<number>, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = a[i * cols + j];
  return out;
}

type Fitted = Omit<PCAResult, 'transform' | 'inverseTransform'>;

function makeResult(fit: Fitted, zeroVariance: number, tileRows: number | undefined): PCAResult {
  const { components, mean, explainedVariance, whiten, nComponents: c, nFeatures: d } = fit;
  // Scores: (x − mean)·W with W [d, c] = componentsᵀ, each column ÷ √variance when whitening
  // (× 0 for a component of zero variance).
  const scale = (i: number): number => {
    if (!whiten) return 1;
    return explainedVariance[i] > zeroVariance ? 1 / Math.sqrt(explainedVariance[i]) : 0;
  };
  const forward = new Float32Array(d * c);
  for (let i = 0; i < c; i++) for (let j = 0; j < d; j++) forward[j * c + i] = components.data[i * d + j] * scale(i);
  // Reconstruction: z·B + mean with B [c, d] = components, row i × √variance when whitening.
  const backward = new Float32Array(c * d);
  for (let i = 0; i < c; i++) {
    const s = whiten ? Math.sqrt(explainedVariance[i]) : 1;
    for (let j = 0; j < d; j++) backward[i * d + j] = components.data[i * d + j] * s;
  }
  return Object.freeze({
    ...fit,
    async transform(x: MatrixLike): Promise<MatrixF32> {
      const q = toMatrix(x, 'pca.transform');
      if (q.cols !== d) throw new DataError('pca.transform', 'X', `X has ${q.cols} columns, the model was fitted on ${d}`);
      const { centered } = centerRows(q, mean);
      return withBackendFallback('pca.transform', () => projectRows(centered, forward, c, tileRows));
    },
    async inverseTransform(z: MatrixLike): Promise<MatrixF32> {
      const q = toMatrix(z, 'pca.inverseTransform', 'Z');
      if (q.cols !== c) {
        throw new DataError('pca.inverseTransform', 'Z', `Z has ${q.cols} columns, the model has ${c} components`);
      }
      const out = await withBackendFallback('pca.inverseTransform', () => projectRows(q, backward, d, tileRows));
      for (let i = 0; i < out.data.length; i++) out.data[i] = out.data[i] + mean[i % d];
      return out;
    },
  });
}

/** x [m, k] · w [k, cols] on the device, block by block. */
async function projectRows(x: MatrixF32, w: Float32Array, cols: number, tileRows: number | undefined): Promise<MatrixF32> {
  const blocks = uploadRows(x, x.cols + cols, tileRows);
  const wt = tf.tensor2d(w, [x.cols, cols]);
  const out = new Float32Array(x.rows * cols);
  try {
    for (const b of blocks) {
      const z = project(b.x, wt);
      out.set(await z.data(), b.start * cols);
      z.dispose();
    }
  } finally {
    wt.dispose();
    disposeBlocks(blocks);
  }
  return { data: out, rows: x.rows, cols };
}
