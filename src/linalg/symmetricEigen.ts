// SPDX-License-Identifier: MIT
/**
 * Eigendecomposition of a dense real symmetric matrix in float64, on the host: Householder
 * reduction to tridiagonal form, then the implicit symmetric QR algorithm with Wilkinson shifts
 * on the tridiagonal matrix, the rotations accumulated into the eigenvectors. Meant for the
 * small d×d matrices of PCA (d up to a few hundred): about 9·d³ flops, O(d²) memory.
 *
 * Reference: Golub & Van Loan, Matrix Computations (4th ed.), §8.3 (Algorithms 8.3.1
 * Householder tridiagonalization and 8.3.2 implicit symmetric QR step with Wilkinson shift).
 */
import { DataError, SegmentsError } from '../errors.js';

/** Eigenvalues and eigenvectors of a symmetric matrix A, with A·v_i = λ_i·v_i. */
export interface SymmetricEigen {
  /** [d] eigenvalues in descending order. */
  values: Float64Array;
  /**
   * [d, d] row-major: row i (`vectors[i * d + j]`, j = 0..d-1) is the unit eigenvector of
   * `values[i]`. The rows are orthonormal. Signs are as the algorithm leaves them.
   */
  vectors: Float64Array;
}

const EPS = 2 ** -52;
/** Implicit QR steps allowed per eigenvalue before giving up (convergence is usually 2–3). */
const MAX_STEPS_PER_VALUE = 30;

/**
 * Eigendecomposition of the symmetric `a` [d, d] (row-major; only the lower triangle is read,
 * the upper is assumed equal). Eigenvalues are accurate to a few ulps of ‖A‖ (backward stable);
 * eigenvectors to ulps of ‖A‖ / gap. O(d³) time, O(d²) memory; `a` is not modified.
 * @example
 * const eig = symmetricEigen(Float64Array.of(2, 1, 1, 2), 2);
 * eig.values; // Float64Array [3, 1]
 * Array.from(eig.vectors.subarray(0, 2), Math.abs); // [Math.SQRT1_2, Math.SQRT1_2]: row 0 is ±[1, 1]/√2
 */
export function symmetricEigen(a: ArrayLike<number>, d: number): SymmetricEigen {
  const fn = 'symmetricEigen';
  if (!Number.isInteger(d) || d < 0) throw new DataError(fn, 'd', `d=${d} must be a non-negative integer`);
  if (a.length !== d * d) throw new DataError(fn, 'a', `a has ${a.length} values, not d*d = ${d * d}`);
  // Work on the full symmetric copy, taken from the lower triangle.
  const m = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      const v = a[i * d + j];
      if (!Number.isFinite(v)) throw new DataError(fn, 'a', `a has a non-finite value (${v}) at row ${i}, column ${j}`, i, j);
      m[i * d + j] = v;
      m[j * d + i] = v;
    }
  }
  const diag = new Float64Array(d);
  const off = new Float64Array(Math.max(0, d - 1));
  // q: [d, d] row-major, the orthogonal Q of A = Q·T·Qᵀ; later Q·W, the eigenvectors as columns.
  const q = tridiagonalize(m, d, diag, off);
  tridiagonalQR(diag, off, q, d);
  return sorted(diag, q, d);
}

/**
 * Householder reduction: overwrites `m` and returns Q with A = Q·T·Qᵀ, T the tridiagonal matrix
 * with diagonal `diag` and sub-diagonal `off`.
 */
function tridiagonalize(m: Float64Array, d: number, diag: Float64Array, off: Float64Array): Float64Array {
  const q = new Float64Array(d * d);
  for (let i = 0; i < d; i++) q[i * d + i] = 1;
  const v = new Float64Array(d);
  const p = new Float64Array(d);
  for (let k = 0; k + 2 < d; k++) {
    // Reflect x = m[k+1.., k] onto a multiple of e1: H = I − 2·v·vᵀ, v = (x − α·e1)/‖x − α·e1‖.
    let norm = 0;
    for (let i = k + 1; i < d; i++) norm = Math.hypot(norm, m[i * d + k]);
    const x0 = m[(k + 1) * d + k];
    if (norm === 0) continue;
    const alpha = x0 > 0 ? -norm : norm; // opposite sign to x0: no cancellation in x0 − α
    let vnorm = 0;
    for (let i = k + 1; i < d; i++) {
      v[i] = m[i * d + k] - (i === k + 1 ? alpha : 0);
      vnorm = Math.hypot(vnorm, v[i]);
    }
    if (vnorm === 0) continue;
    for (let i = k + 1; i < d; i++) v[i] /= vnorm;
    // Trailing block B ← H·B·H = B − 2(v·wᵀ + w·vᵀ), with p = B·v and w = p − (vᵀp)·v.
    let vp = 0;
    for (let i = k + 1; i < d; i++) {
      let s = 0;
      for (let j = k + 1; j < d; j++) s += m[i * d + j] * v[j];
      p[i] = s;
      vp += v[i] * s;
    }
    for (let i = k + 1; i < d; i++) p[i] -= vp * v[i];
    for (let i = k + 1; i < d; i++) {
      for (let j = k + 1; j < d; j++) m[i * d + j] -= 2 * (v[i] * p[j] + p[i] * v[j]);
    }
    // Column k below the sub-diagonal becomes (α, 0, ..., 0).
    m[(k + 1) * d + k] = alpha;
    m[k * d + k + 1] = alpha;
    for (let i = k + 2; i < d; i++) {
      m[i * d + k] = 0;
      m[k * d + i] = 0;
    }
    // Q ← Q·H on columns k+1..d-1.
    for (let r = 0; r < d; r++) {
      let s = 0;
      for (let j = k + 1; j < d; j++) s += q[r * d + j] * v[j];
      s *= 2;
      if (s !== 0) for (let j = k + 1; j < d; j++) q[r * d + j] -= s * v[j];
    }
  }
  for (let i = 0; i < d; i++) diag[i] = m[i * d + i];
  for (let i = 0; i + 1 < d; i++) off[i] = m[(i + 1) * d + i];
  return q;
}

/**
 * Diagonalizes the tridiagonal (diag, off) in place by implicit QR steps with Wilkinson shifts,
 * applying every Givens rotation to the columns of `q`. Off-diagonal entries are set to zero
 * once |e_i| ≤ ε·(|d_i| + |d_{i+1}|) (Golub & Van Loan's deflation test).
 */
function tridiagonalQR(diag: Float64Array, off: Float64Array, q: Float64Array, d: number): void {
  let steps = 0;
  const maxSteps = MAX_STEPS_PER_VALUE * Math.max(1, d);
  for (;;) {
    for (let i = 0; i + 1 < d; i++) {
      if (Math.abs(off[i]) <= EPS * (Math.abs(diag[i]) + Math.abs(diag[i + 1]))) off[i] = 0;
    }
    // The last unreduced block [lo, hi].
    let hi = d - 1;
    while (hi > 0 && off[hi - 1] === 0) hi--;
    if (hi <= 0) return;
    let lo = hi - 1;
    while (lo > 0 && off[lo - 1] !== 0) lo--;
    if (++steps > maxSteps) {
      throw new SegmentsError(`symmetricEigen: the QR iteration did not converge in ${maxSteps} steps`);
    }
    qrStep(diag, off, q, d, lo, hi);
  }
}

/** One implicit symmetric QR step with Wilkinson shift on the block lo..hi (G&VL Alg. 8.3.2). */
function qrStep(diag: Float64Array, off: Float64Array, q: Float64Array, d: number, lo: number, hi: number): void {
  // Shift: the eigenvalue of the trailing 2×2 block closer to its last diagonal entry.
  const t = (diag[hi - 1] - diag[hi]) / 2;
  const e = off[hi - 1];
  const denom = t + (t >= 0 ? 1 : -1) * Math.hypot(t, e);
  const mu = diag[hi] - (e * e) / denom;
  let x = diag[lo] - mu;
  let z = off[lo];
  for (let k = lo; k < hi; k++) {
    // Rotation R in the (k, k+1) plane with Rᵀ·(x, z) = (r, 0): c = x/r, s = −z/r.
    const r = Math.hypot(x, z);
    const c = r === 0 ? 1 : x / r;
    const s = r === 0 ? 0 : -z / r;
    if (k > lo) off[k - 1] = r; // the bulge is chased away
    const a = diag[k];
    const b = off[k];
    const cc = diag[k + 1];
    diag[k] = c * c * a - 2 * c * s * b + s * s * cc;
    diag[k + 1] = s * s * a + 2 * c * s * b + c * c * cc;
    off[k] = c * s * (a - cc) + (c * c - s * s) * b;
    if (k + 1 < hi) {
      z = -s * off[k + 1]; // new bulge at (k, k+2)
      off[k + 1] *= c;
      x = off[k];
    }
    // Eigenvectors: columns k, k+1 of Q ← Q·R.
    for (let row = 0; row < d; row++) {
      const qk = q[row * d + k];
      const qk1 = q[row * d + k + 1];
      q[row * d + k] = c * qk - s * qk1;
      q[row * d + k + 1] = s * qk + c * qk1;
    }
  }
}

/** Eigenvalues descending, eigenvectors (columns of q) as rows in the same order. */
function sorted(diag: Float64Array, q: Float64Array, d: number): SymmetricEigen {
  const order = Array.from({ length: d }, (_, i) => i).sort((i, j) => diag[j] - diag[i] || i - j);
  const values = new Float64Array(d);
  const vectors = new Float64Array(d * d);
  order.forEach((src, dst) => {
    values[dst] = diag[src];
    for (let j = 0; j < d; j++) vectors[dst * d + j] = q[j * d + src];
  });
  return { values, vectors };
}
