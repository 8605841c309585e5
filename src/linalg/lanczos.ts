// SPDX-License-Identifier: MIT
/**
 * The largest eigenpairs of a symmetric operator known only through its products with blocks of
 * vectors: block Lanczos with full reorthogonalisation and thick restarts (a block Krylov–Schur
 * method). Memory is O(n·m) for a basis of m columns, never n×n; the operator (a sparse or small
 * dense matrix on the host, or affinity tiles on the device) is the only thing that touches the data.
 *
 * One cycle grows an orthonormal basis Q block by block (each new block is the product of the
 * last one, orthogonalised twice against everything before it: classical Gram-Schmidt with
 * reorthogonalisation), then solves the small projected problem T = QᵀAQ (Rayleigh–Ritz, by
 * cyclic Jacobi on the host). Converged when the residual ‖A·y − θ·y‖ of each wanted Ritz pair is
 * at most tol × max|θ|. Otherwise the best Ritz vectors are kept (thick restart) and the basis is
 * grown again from the block residual, which keeps the Krylov structure. A block (default 2
 * columns) finds eigenvalues of multiplicity up to its width, which a single-vector Lanczos
 * cannot (a cycle graph has double eigenvalues). Vectors and the projected problem are float64.
 *
 * References: Golub & Underwood, "The block Lanczos method for computing eigenvalues" (1977);
 * Wu & Simon, "Thick-restart Lanczos method for large symmetric eigenvalue problems" (SIAM J.
 * Matrix Anal. Appl. 22, 2000); Stewart, "A Krylov–Schur algorithm for large eigenproblems" (2001);
 * Golub & Van Loan, Matrix Computations (4th ed.) §8.5.2 (cyclic Jacobi), §10.1 (Lanczos).
 */
import { ParameterError } from '../errors.js';
import { checkValue, integer } from '../constraints.js';
import { Random } from '../random.js';

/** A symmetric linear operator on vectors of length n. */
export interface SymmetricOperator {
  /** Dimension of the vectors. */
  readonly n: number;
  /** A·v for each column v (each a Float64Array of length n). */
  apply(columns: readonly Float64Array[]): Promise<Float64Array[]> | Float64Array[];
}

export interface LanczosOptions {
  /** Number of eigenpairs wanted, 1 ≤ nev ≤ n − locked.length. */
  nev: number;
  /**
   * Orthonormal vectors (e.g. known eigenvectors) whose span is excluded: the search runs in its
   * orthogonal complement, so they are neither found again nor disturb the others.
   */
  locked?: readonly Float64Array[];
  /**
   * Columns per block product. Default 2: finds double eigenvalues, while a narrow block keeps the
   * polynomial degree per basis vector high (clustered spectra converge far faster than with a
   * block as wide as nev). At most n − locked.
   */
  blockSize?: number;
  /** Basis columns before a restart. Default max(60, 4·nev + 2·blockSize), at most n − locked. */
  maxBasis?: number;
  /** Residual tolerance relative to the largest |Ritz value|. Default 1e-8. */
  tol?: number;
  /** Most block products before giving up (then `converged` is false). Default 3000. */
  maxProducts?: number;
  /** Seed of the random start block. Default 0. */
  seed?: number;
}

/** The nev largest eigenpairs found. */
export interface LanczosResult {
  /** [nev] Ritz values, descending. */
  values: Float64Array;
  /** nev unit Ritz vectors (length n each), orthonormal, in the order of `values`. */
  vectors: Float64Array[];
  /** [nev] residual norms ‖A·y − θ·y‖. */
  residuals: Float64Array;
  /** Block products made (calls of `apply`). */
  products: number;
  /** Thick restarts made. */
  restarts: number;
  /** True when every residual met the tolerance (or the basis spanned the whole space). */
  converged: boolean;
}

const FN = 'lanczos';

/**
 * The `nev` largest (algebraic) eigenvalues and their eigenvectors of the symmetric operator
 * `op`, in the complement of `locked`. Cost per cycle: (m − kept)/blockSize block products plus
 * O(n·m²) host work for the orthogonalisation and the Rayleigh–Ritz step; memory O(n·m).
 * @example
 * // the path graph 0-1-2: eigenvalues √2, 0, −√2 of its adjacency matrix
 * const op = { n: 3, apply: (vs) => vs.map((v) => Float64Array.of(v[1], v[0] + v[2], v[1])) };
 * const top = await lanczosLargest(op, { nev: 1 });
 * top.values[0]; // Math.sqrt(2)
 */
export async function lanczosLargest(op: SymmetricOperator, options: LanczosOptions): Promise<LanczosResult> {
  const n = op.n;
  const locked = options.locked ?? [];
  const free = n - locked.length;
  const nev = options.nev;
  if (!Number.isInteger(nev) || nev < 1 || nev > free) {
    throw new ParameterError(FN, 'nev', `nev=${nev} must be an integer in [1, ${free}] (n=${n} minus ${locked.length} locked vectors)`);
  }
  const blockSize = options.blockSize ?? 2;
  checkValue(FN, 'blockSize', blockSize, integer({ min: 1 }));
  const p = Math.min(free, blockSize);
  const m = Math.min(free, options.maxBasis ?? Math.max(60, 4 * nev + 2 * p));
  if (!Number.isInteger(m) || m < Math.min(free, nev + p)) {
    throw new ParameterError(FN, 'maxBasis', `maxBasis=${options.maxBasis} must be an integer >= nev + blockSize = ${nev + p}`);
  }
  const tol = options.tol ?? 1e-8;
  if (!(tol >= 0)) throw new ParameterError(FN, 'tol', `tol=${tol} must be a number >= 0`);
  const maxProducts = options.maxProducts ?? 3000;
  checkValue(FN, 'maxProducts', maxProducts, integer({ min: 1 }));
  const rng = new Random(options.seed ?? 0);

  let Q: Float64Array[] = [];
  let AQ: Float64Array[] = [];
  // The projected matrix T = QᵀAQ, row-major with stride m, filled as columns arrive.
  let t = new Float64Array(m * m);
  let products = 0;
  let restarts = 0;
  let block = orthonormalize(randomColumns(n, p, rng), [locked, Q], rng, p);
  let lastProduct: Float64Array[] = [];

  for (;;) {
    // Grow the basis to m columns (or the whole free space).
    while (block.length > 0) {
      const first = Q.length;
      Q.push(...block);
      lastProduct = await op.apply(block);
      products++;
      AQ.push(...lastProduct);
      for (let j = first; j < Q.length; j++) {
        for (let i = 0; i <= j; i++) {
          const v = 0.5 * (dot(Q[i], AQ[j]) + dot(Q[j], AQ[i]));
          t[i * m + j] = v;
          t[j * m + i] = v;
        }
      }
      if (Q.length >= m) break;
      block = orthonormalize(lastProduct, [locked, Q], rng, Math.min(p, m - Q.length));
    }
    // Rayleigh–Ritz on span(Q).
    const k = Q.length;
    const tk = new Float64Array(k * k);
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) tk[i * k + j] = t[i * m + j];
    const { values: theta, vectors: s } = jacobiEigen(tk, k);
    let scale = Number.MIN_VALUE;
    for (const th of theta) scale = Math.max(scale, Math.abs(th));
    const keep = Math.min(k, Math.max(nev, Math.min(Math.max(nev + p, Math.floor((m + nev) / 2)), m - p)));
    const y: Float64Array[] = [];
    const ay: Float64Array[] = [];
    const residuals = new Float64Array(keep);
    for (let c = 0; c < keep; c++) {
      const yc = combine(Q, s, k, c);
      const ayc = combine(AQ, s, k, c);
      let r = 0;
      for (let i = 0; i < n; i++) r += (ayc[i] - theta[c] * yc[i]) ** 2;
      residuals[c] = Math.sqrt(r);
      y.push(yc);
      ay.push(ayc);
    }
    let done = true;
    for (let c = 0; c < nev; c++) if (!(residuals[c] <= tol * scale)) done = false;
    // The basis spans every direction left (or no new one can be found): Ritz pairs are exact.
    const exhausted = k >= free || k < m;
    if (done || exhausted || products >= maxProducts) {
      return {
        values: theta.slice(0, nev),
        vectors: y.slice(0, nev),
        residuals: residuals.slice(0, nev),
        products,
        restarts,
        converged: done || exhausted,
      };
    }
    // Thick restart: the kept Ritz vectors span the new basis, and the block residual of the
    // last block (its product's part outside the old basis) continues the Krylov sequence.
    block = orthonormalize(lastProduct, [locked, Q], rng, Math.min(p, m - keep));
    Q = y;
    AQ = ay;
    // In the Ritz basis the kept block of T is diagonal: QᵀAQ = Θ.
    t = new Float64Array(m * m);
    for (let c = 0; c < keep; c++) t[c * m + c] = theta[c];
    restarts++;
  }
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Σ_i cols[i] · s[i, c] for the row-major k×k matrix s. */
function combine(cols: readonly Float64Array[], s: Float64Array, k: number, c: number): Float64Array {
  const out = new Float64Array(cols[0].length);
  for (let i = 0; i < k; i++) {
    const w = s[i * k + c];
    if (w === 0) continue;
    const v = cols[i];
    for (let r = 0; r < out.length; r++) out[r] += w * v[r];
  }
  return out;
}

function randomColumns(n: number, p: number, rng: Random): Float64Array[] {
  return Array.from({ length: p }, () => {
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) v[i] = 2 * rng.next() - 1;
    return v;
  });
}

/** Removes from v its components along every column of `bases`, twice (CGS2). Returns v. */
function orthogonalizeAgainst(v: Float64Array, bases: readonly (readonly Float64Array[])[]): Float64Array {
  for (let pass = 0; pass < 2; pass++) {
    for (const basis of bases) {
      for (const q of basis) {
        const c = dot(q, v);
        if (c !== 0) for (let i = 0; i < v.length; i++) v[i] -= c * q[i];
      }
    }
  }
  return v;
}

/** A column whose norm falls below this fraction of its norm before orthogonalisation is deflated. */
const DEFLATION = 1e-10;

/**
 * Up to `want` orthonormal columns spanning the part of `cols` orthogonal to `bases` (copies;
 * inputs untouched). Columns that vanish (their direction is already in the span) are replaced
 * by random directions, so the block keeps its width while the free space allows.
 */
function orthonormalize(cols: readonly Float64Array[], bases: readonly (readonly Float64Array[])[], rng: Random, want: number): Float64Array[] {
  const out: Float64Array[] = [];
  const n = cols.length > 0 ? cols[0].length : 0;
  const accept = (src: Float64Array): boolean => {
    const v = Float64Array.from(src);
    const before = Math.sqrt(dot(v, v));
    if (!(before > 0)) return false;
    orthogonalizeAgainst(v, [...bases, out]);
    const after = Math.sqrt(dot(v, v));
    if (!(after > DEFLATION * before)) return false;
    for (let i = 0; i < n; i++) v[i] /= after;
    out.push(v);
    return true;
  };
  for (const c of cols) {
    if (out.length >= want) break;
    accept(c);
  }
  // Refill with random directions; a few failures in a row mean the free space is exhausted.
  let failures = 0;
  while (out.length < want && failures < 3 && n > 0) {
    if (!accept(randomColumns(n, 1, rng)[0])) failures++;
  }
  return out;
}

const JACOBI_MAX_SWEEPS = 100;

/**
 * Eigenvalues (descending) and eigenvectors (columns of the row-major k×k `vectors`) of the
 * symmetric k×k `a`, by the cyclic Jacobi method: accurate to ulps of ‖A‖, O(k³) per sweep, for
 * the small projected matrices of the Rayleigh–Ritz step.
 */
export function jacobiEigen(a: ArrayLike<number>, k: number): { values: Float64Array; vectors: Float64Array } {
  const m = Float64Array.from(a);
  const v = new Float64Array(k * k);
  for (let i = 0; i < k; i++) v[i * k + i] = 1;
  for (let sweep = 0; sweep < JACOBI_MAX_SWEEPS; sweep++) {
    let off = 0;
    let total = 0;
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        const x = m[i * k + j] ** 2;
        total += x;
        if (i !== j) off += x;
      }
    }
    if (off === 0) break;
    // Off-diagonal entries below ulps of ‖A‖ are rounding: zero them, so the sweeps end.
    const negligible = 1e-17 * Math.sqrt(total);
    for (let p = 0; p < k - 1; p++) {
      for (let q = p + 1; q < k; q++) {
        const apq = m[p * k + q];
        if (apq === 0) continue;
        if (Math.abs(apq) <= negligible) {
          m[p * k + q] = 0;
          m[q * k + p] = 0;
          continue;
        }
        const app = m[p * k + p];
        const aqq = m[q * k + q];
        // Rotation that zeroes a_pq (Golub & Van Loan Algorithm 8.5.1, symSchur2).
        const tau = (aqq - app) / (2 * apq);
        const t = Math.sign(tau || 1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        for (let r = 0; r < k; r++) {
          const arp = m[r * k + p];
          const arq = m[r * k + q];
          m[r * k + p] = c * arp - s * arq;
          m[r * k + q] = s * arp + c * arq;
        }
        for (let r = 0; r < k; r++) {
          const apr = m[p * k + r];
          const aqr = m[q * k + r];
          m[p * k + r] = c * apr - s * aqr;
          m[q * k + r] = s * apr + c * aqr;
        }
        for (let r = 0; r < k; r++) {
          const vrp = v[r * k + p];
          const vrq = v[r * k + q];
          v[r * k + p] = c * vrp - s * vrq;
          v[r * k + q] = s * vrp + c * vrq;
        }
      }
    }
  }
  const order = Array.from({ length: k }, (_, i) => i).sort((x, y) => m[y * k + y] - m[x * k + x] || x - y);
  const values = new Float64Array(k);
  const vectors = new Float64Array(k * k);
  order.forEach((src, dst) => {
    values[dst] = m[src * k + src];
    for (let r = 0; r < k; r++) vectors[r * k + dst] = v[r * k + src];
  });
  return { values, vectors };
}
