// SPDX-License-Identifier: MIT
/**
 * The correctness half of the GPU check: every WGSL kernel against our wasm kernel on the same
 * fresh random inputs, and both against the Float64 references of the test suite, within the
 * bounds the kernel specs use (test/kernels/{webgpu,wasm}/*.test.ts, test/helpers/bounds.ts).
 * Shapes cover ragged sizes (not multiples of the 256-row runs, blocks of odd sizes), exact ties
 * (integer data, duplicate centers: the lowest index must win), d from 1 to 512 and k up to 1,024.
 * Labels may differ between backends only on a near tie: where the two centers' exact distances
 * are within both kernels' rounding of each other, and never on an exact tie.
 */
import * as tf from '@tensorflow/tfjs-core';
import { addRuns } from '../../src/kernels/clusterSums/index.js';
import { assignNearest } from '../../src/kernels/assignNearest/index.js';
import { lloydStep } from '../../src/kernels/lloydStep/index.js';
import { meanShiftStep, type MeanShiftKernel } from '../../src/kernels/meanShiftStep/index.js';
import { radiusCounts } from '../../src/kernels/radiusCounts/index.js';
import { PAIR_BITS, radiusPairs } from '../../src/kernels/radiusPairs/index.js';
import { REDUCTION_RUN } from '../../src/kernels/shared/tiling.js';
import { silhouetteTile } from '../../src/kernels/silhouetteTile/index.js';
import { webgpuFallbacks } from '../../src/kernels/webgpu/run.js';
import type { MatrixF32 } from '../../src/matrix.js';
import { Random } from '../../src/random.js';
import { U32, silhouetteTermBounds, sqDistBound } from '../../test/helpers/bounds.js';
import { assignNearestRef, clusterSumsRef, meanShiftStepRef, silhouetteTileRef, sqDistRef, sqNormRef } from '../../test/helpers/reference.js';
import { countVerdict, equal, within, type Verdict } from './compare.js';
import { use, type Side } from './device.js';
import { blocksOf, labelsOf, lattice, uniform } from './inputs.js';

/** The verdicts of one kernel on one shape. */
export interface CaseResult {
  kernel: string;
  shape: string;
  verdicts: Verdict[];
  /** Calls that ran the portable kernel instead of the WGSL program (must be none). */
  fallbacks: string[];
}

const SIDES: readonly Side[] = ['webgpu', 'wasm'];

/** Runs `f` on the WebGPU backend then on wasm; collects the WebGPU fallbacks of the first. */
async function onBoth<T>(f: () => Promise<T>): Promise<{ webgpu: T; wasm: T; fallbacks: string[] }> {
  await use('webgpu');
  webgpuFallbacks(true);
  const webgpu = await f();
  const fallbacks = webgpuFallbacks(true).map((x) => `${x.kernel}: ${x.reason}`);
  await use('wasm');
  const wasm = await f();
  await use('webgpu');
  return { webgpu, wasm, fallbacks };
}

function sqNorms(m: MatrixF32): Float64Array {
  return Float64Array.from({ length: m.rows }, (_, i) => sqNormRef(m, i));
}

// ---- lloydStep and assignNearest -------------------------------------------------------------

interface LloydHost {
  labels: Int32Array;
  distances: Float32Array;
  counts: Float64Array;
  sums: Float64Array;
  blockRows: number;
}

async function lloydOn(kernel: 'lloydStep' | 'assignNearest', x: MatrixF32, c: MatrixF32, w: Float32Array | null, rowsPerBlock: number): Promise<LloydHost> {
  const { rows: n, cols: d } = x;
  const k = c.rows;
  const up = blocksOf(x, { rowsPerBlock, weights: w });
  const ct = tf.tensor2d(c.data, [k, d], 'float32');
  const out: LloydHost = { labels: new Int32Array(n), distances: new Float32Array(n), counts: new Float64Array(k), sums: new Float64Array(k * d), blockRows: 0 };
  try {
    for (let b = 0; b < up.blocks.length; b++) {
      const blk = up.blocks[b];
      out.blockRows = Math.max(out.blockRows, blk.x.shape[0]);
      if (kernel === 'assignNearest') {
        const r = assignNearest(blk.x, ct);
        out.labels.set((await r.labels.data()) as Int32Array, blk.start);
        out.distances.set((await r.distances.data()) as Float32Array, blk.start);
        tf.dispose([r.labels, r.distances]);
      } else {
        const r = lloydStep(blk.x, ct, up.weights[b]);
        out.labels.set((await r.labels.data()) as Int32Array, blk.start);
        out.distances.set((await r.distances.data()) as Float32Array, blk.start);
        addRuns(await r.counts.data(), r.counts.shape[0], out.counts);
        addRuns(await r.sums.data(), r.sums.shape[0], out.sums);
        tf.dispose([r.labels, r.distances, r.counts, r.sums]);
      }
    }
  } finally {
    up.dispose();
    ct.dispose();
  }
  return out;
}

/**
 * Rows whose labels a and b differ where that is not allowed: an exact tie (the lowest index
 * must win on both) or exact distances further apart than both kernels' rounding, 2·(d + 4)·u.
 */
function labelDisagreements(x: MatrixF32, c: MatrixF32, a: Int32Array, b: Int32Array): { bad: number; example: string } {
  let bad = 0;
  let example = '';
  const d = x.cols;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    const da = sqDistRef(x, i, c, a[i]);
    const db = sqDistRef(x, i, c, b[i]);
    if (da === db || Math.abs(da - db) > 2 * (d + 4) * U32 * Math.max(da, db)) {
      if (bad++ === 0) example = `row ${i}: ${a[i]} (${da}) vs ${b[i]} (${db})`;
    }
  }
  return { bad, example };
}

/**
 * lloydStep or assignNearest on both backends: labels against the Float64 nearest center (near
 * ties aside) and against each other; distances by direct differences within (d + 4)·u of the
 * exact distance to the label each gave; counts and sums against Float64 sums over that
 * backend's own labels, within (m + 3)·u of the summed magnitudes (m ≤ 256 rows per float32 run).
 */
async function checkLloyd(kernel: 'lloydStep' | 'assignNearest', label: string, x: MatrixF32, c: MatrixF32, w: Float32Array | null, rowsPerBlock: number): Promise<CaseResult> {
  const d = x.cols;
  const k = c.rows;
  const got = await onBoth(() => lloydOn(kernel, x, c, w, rowsPerBlock));
  const ref = assignNearestRef(x, c);
  const verdicts: Verdict[] = [];
  const mags = (labels: Int32Array) => {
    const abs = { data: x.data.map(Math.abs), rows: x.rows, cols: d };
    return clusterSumsRef(abs, labels, k, w ? w.map(Math.abs) : null);
  };
  for (const side of SIDES) {
    const g = got[side];
    const lab = labelDisagreements(x, c, g.labels, ref.labels);
    verdicts.push(countVerdict(`${side} labels vs Float64`, lab.bad, x.rows, lab.example));
    const exact = Float64Array.from(g.labels, (l, i) => sqDistRef(x, i, c, l));
    verdicts.push(within(`${side} distances vs Float64`, g.distances, exact, (i) => (d + 4) * U32 * exact[i]));
    if (kernel === 'lloydStep') {
      const own = clusterSumsRef(x, g.labels, k, w);
      const mag = mags(g.labels);
      const slack = (Math.min(REDUCTION_RUN, g.blockRows) + 3) * U32;
      if (w) verdicts.push(within(`${side} counts vs Float64`, g.counts, own.counts, (i) => slack * mag.counts[i]));
      else verdicts.push(equal(`${side} counts vs Float64`, g.counts, own.counts));
      verdicts.push(within(`${side} sums vs Float64`, g.sums, own.sums, (i) => slack * mag.sums[i]));
    }
  }
  const cross = labelDisagreements(x, c, got.webgpu.labels, got.wasm.labels);
  verdicts.push(countVerdict('webgpu labels vs wasm', cross.bad, x.rows, cross.example));
  const sameLabels = got.webgpu.labels.every((l, i) => l === got.wasm.labels[i]);
  if (kernel === 'lloydStep' && sameLabels) {
    const mag = mags(got.wasm.labels);
    const slack = 2 * (Math.min(REDUCTION_RUN, got.webgpu.blockRows) + 3) * U32;
    verdicts.push(within('webgpu sums vs wasm', got.webgpu.sums, got.wasm.sums, (i) => slack * mag.sums[i]));
    verdicts.push(within('webgpu counts vs wasm', got.webgpu.counts, got.wasm.counts, (i) => slack * mag.counts[i]));
  }
  return { kernel, shape: label, verdicts, fallbacks: got.fallbacks };
}

// ---- silhouetteTile --------------------------------------------------------------------------

async function silhouetteOn(rows: MatrixF32, x: MatrixF32, labels: Int32Array, k: number, colRows: number): Promise<Float32Array> {
  const cols = blocksOf(x, { rowsPerBlock: colRows, labels });
  const r = blocksOf(rows, { rowsPerBlock: rows.rows });
  try {
    const out = silhouetteTile(r.blocks[0].x, cols.blocks.map((b, i) => ({ x: b.x, labels: cols.labels[i] })), k);
    const data = (await out.data()) as Float32Array;
    out.dispose();
    return data;
  } finally {
    cols.dispose();
    r.dispose();
  }
}

/**
 * silhouetteTile: WGSL's direct-difference sums within (d/2 + 2 + 260)·u of the Float64 sums;
 * wasm's within its spec's bound (each term's expansion error, plus 259·u of the sum); WGSL
 * against wasm within the two bounds added.
 */
async function checkSilhouette(label: string, rows: MatrixF32, x: MatrixF32, labels: Int32Array, k: number, colRows: number): Promise<CaseResult> {
  const got = await onBoth(() => silhouetteOn(rows, x, labels, k, colRows));
  const ref = silhouetteTileRef(rows, x, labels, k).data as Float64Array;
  const term = silhouetteTermBounds(rows, x, labels, k);
  const gpuBound = (i: number) => (x.cols / 2 + 2 + 260) * U32 * ref[i];
  const wasmBound = (i: number) => term[i] + (REDUCTION_RUN + 3) * U32 * ref[i];
  const verdicts = [
    within('webgpu vs Float64', got.webgpu, ref, gpuBound),
    within('wasm vs Float64', got.wasm, ref, wasmBound),
    within('webgpu vs wasm', got.webgpu, got.wasm, (i) => gpuBound(i) + wasmBound(i)),
  ];
  return { kernel: 'silhouetteTile', shape: label, verdicts, fallbacks: got.fallbacks };
}

// ---- radiusCounts and radiusPairs ------------------------------------------------------------

/** Per pair, whether it is surely inside (−1 … 1: −1 outside, 1 inside, 0 within rounding of r²). */
function pairCertainty(rows: MatrixF32, cols: MatrixF32, radius: number): Int8Array {
  const rr = sqNorms(rows);
  const cc = sqNorms(cols);
  const r2 = radius * radius;
  const out = new Int8Array(rows.rows * cols.rows);
  for (let i = 0; i < rows.rows; i++) {
    for (let j = 0; j < cols.rows; j++) {
      const e = sqDistBound(rows.cols + 2, rr[i], cc[j] + r2);
      const s = sqDistRef(rows, i, cols, j);
      out[i * cols.rows + j] = s <= r2 - e ? 1 : s > r2 + e ? -1 : 0;
    }
  }
  return out;
}

async function radiusCountsOn(rows: MatrixF32, cols: MatrixF32, radius: number, colRows: number): Promise<Float32Array> {
  const c = blocksOf(cols, { rowsPerBlock: colRows });
  const r = blocksOf(rows, { rowsPerBlock: rows.rows });
  try {
    const out = radiusCounts(r.blocks[0].x, c.blocks.map((b) => b.x), radius);
    const data = (await out.data()) as Float32Array;
    out.dispose();
    return data;
  } finally {
    c.dispose();
    r.dispose();
  }
}

/** radiusCounts: each count between the pairs surely inside and those possibly inside; WGSL and wasm apart by no more than the uncertain pairs. */
async function checkRadiusCounts(label: string, rows: MatrixF32, cols: MatrixF32, radius: number, colRows: number): Promise<CaseResult> {
  const got = await onBoth(() => radiusCountsOn(rows, cols, radius, colRows));
  const sure = pairCertainty(rows, cols, radius);
  const lo = new Float64Array(rows.rows);
  const hi = new Float64Array(rows.rows);
  for (let i = 0; i < rows.rows; i++) {
    for (let j = 0; j < cols.rows; j++) {
      const s = sure[i * cols.rows + j];
      if (s === 1) lo[i]++;
      if (s >= 0) hi[i]++;
    }
  }
  const mid = Float64Array.from(lo, (l, i) => (l + hi[i]) / 2);
  const half = (i: number) => (hi[i] - lo[i]) / 2;
  const verdicts = [
    within('webgpu within the certain counts', got.webgpu, mid, half),
    within('wasm within the certain counts', got.wasm, mid, half),
    within('webgpu vs wasm', got.webgpu, got.wasm, (i) => hi[i] - lo[i]),
  ];
  return { kernel: 'radiusCounts', shape: label, verdicts, fallbacks: got.fallbacks };
}

async function radiusPairsOn(rows: MatrixF32, cols: MatrixF32, radius: number): Promise<Int32Array> {
  const r = blocksOf(rows, { rowsPerBlock: rows.rows });
  const c = blocksOf(cols, { rowsPerBlock: cols.rows });
  try {
    const out = radiusPairs(r.blocks[0].x, c.blocks[0].x, radius);
    const data = (await out.data()) as Int32Array;
    out.dispose();
    return data;
  } finally {
    r.dispose();
    c.dispose();
  }
}

/** radiusPairs: every bit as the Float64 test says, except pairs within rounding of the radius; WGSL and wasm likewise. */
async function checkRadiusPairs(label: string, rows: MatrixF32, cols: MatrixF32, radius: number): Promise<CaseResult> {
  const got = await onBoth(() => radiusPairsOn(rows, cols, radius));
  const sure = pairCertainty(rows, cols, radius);
  const words = Math.ceil(cols.rows / PAIR_BITS);
  const bit = (packed: Int32Array, i: number, j: number) => (packed[i * words + Math.floor(j / PAIR_BITS)] >>> (j % PAIR_BITS)) & 1;
  const verdicts: Verdict[] = [];
  const count = (what: string, f: (i: number, j: number) => boolean) => {
    let bad = 0;
    let example = '';
    for (let i = 0; i < rows.rows; i++) {
      for (let j = 0; j < cols.rows; j++) {
        if (!f(i, j) && bad++ === 0) example = `pair (${i}, ${j})`;
      }
    }
    verdicts.push(countVerdict(what, bad, rows.rows * cols.rows, example));
  };
  for (const side of SIDES) {
    count(`${side} bits vs Float64`, (i, j) => {
      const s = sure[i * cols.rows + j];
      return s === 0 || bit(got[side], i, j) === (s === 1 ? 1 : 0);
    });
  }
  count('webgpu bits vs wasm', (i, j) => sure[i * cols.rows + j] === 0 || bit(got.webgpu, i, j) === bit(got.wasm, i, j));
  verdicts.push(equal('shape', [got.webgpu.length], [rows.rows * words]));
  return { kernel: 'radiusPairs', shape: label, verdicts, fallbacks: got.fallbacks };
}

// ---- meanShiftStep ---------------------------------------------------------------------------

interface MeanShiftHost {
  means: Float32Array;
  counts: Float32Array;
  mass: Float32Array;
}

async function meanShiftOn(seeds: MatrixF32, x: MatrixF32, h: number, kernel: MeanShiftKernel, w: Float32Array | null, rowsPerBlock: number): Promise<MeanShiftHost> {
  const up = blocksOf(x, { rowsPerBlock, weights: w });
  const st = tf.tensor2d(seeds.data, [seeds.rows, seeds.cols], 'float32');
  try {
    const r = meanShiftStep(st, up.blocks.map((b, i) => ({ x: b.x, weights: up.weights[i] })), h, kernel);
    const out = { means: (await r.means.data()) as Float32Array, counts: (await r.counts.data()) as Float32Array, mass: (await r.mass.data()) as Float32Array };
    tf.dispose([r.means, r.counts, r.mass]);
    return out;
  } finally {
    up.dispose();
    st.dispose();
  }
}

/**
 * meanShiftStep. Flat kernel on integer data with integer weights: counts and mass exact, means
 * one rounding (u·|mean|, 2u between backends). Gaussian: weights are exp of a float32
 * expansion, relative error (2d + 64)·8·u of the mass, absolute on the means (twice between
 * backends); counts within 1 (2 with weights) of the Float64 count, rows at rounding of h².
 */
async function checkMeanShift(label: string, seeds: MatrixF32, x: MatrixF32, h: number, kernel: MeanShiftKernel, w: Float32Array | null, rowsPerBlock: number): Promise<CaseResult> {
  const got = await onBoth(() => meanShiftOn(seeds, x, h, kernel, w, rowsPerBlock));
  const ref = meanShiftStepRef(seeds, x, h, kernel, w);
  const means = ref.means.data;
  const verdicts: Verdict[] = [];
  if (kernel === 'flat') {
    for (const side of SIDES) {
      verdicts.push(equal(`${side} counts vs Float64`, got[side].counts, ref.counts));
      verdicts.push(equal(`${side} mass vs Float64`, got[side].mass, ref.mass));
      verdicts.push(within(`${side} means vs Float64`, got[side].means, means, (i) => U32 * Math.abs(means[i])));
    }
    verdicts.push(within('webgpu means vs wasm', got.webgpu.means, got.wasm.means, (i) => 2 * U32 * Math.abs(means[i])));
  } else {
    const rel = (2 * x.cols + 64) * 8 * U32;
    const slack = w ? 2 : 1;
    for (const side of SIDES) {
      verdicts.push(within(`${side} mass vs Float64`, got[side].mass, ref.mass, (i) => rel * ref.mass[i]));
      verdicts.push(within(`${side} means vs Float64`, got[side].means, means, () => rel));
      verdicts.push(within(`${side} counts vs Float64`, got[side].counts, ref.counts, () => slack));
    }
    verdicts.push(within('webgpu mass vs wasm', got.webgpu.mass, got.wasm.mass, (i) => 2 * rel * ref.mass[i]));
    verdicts.push(within('webgpu means vs wasm', got.webgpu.means, got.wasm.means, () => 2 * rel));
  }
  return { kernel: 'meanShiftStep', shape: label, verdicts, fallbacks: got.fallbacks };
}

// ---- the cases -------------------------------------------------------------------------------

/** The squared distance at quantile q of the pairs (row i, column j) of a sample. */
function radiusAt(rows: MatrixF32, cols: MatrixF32, q: number): number {
  const all: number[] = [];
  for (let i = 0; i < Math.min(rows.rows, 20); i++) for (let j = 0; j < cols.rows; j++) all.push(sqDistRef(rows, i, cols, j));
  all.sort((a, b) => a - b);
  return Math.sqrt(all[Math.floor(q * (all.length - 1))]);
}

/**
 * Runs every case, each on fresh inputs from `seed`; `onCase` receives each result as it comes.
 * Leaves WebGPU the current backend.
 */
export async function checkAll(seed: number, onCase: (r: CaseResult) => void): Promise<CaseResult[]> {
  const rng = new Random(seed);
  const results: CaseResult[] = [];
  const add = (r: CaseResult): void => {
    results.push(r);
    onCase(r);
  };
  const weights = (n: number) => Float32Array.from({ length: n }, () => 0.5 + rng.next());

  // lloydStep / assignNearest: ragged n and blocks, d 1 … 512, k up to 1,024, exact ties.
  for (const [n, d, k, weighted, block] of [
    [1000, 1, 3, false, 1000],
    [777, 17, 64, true, 300],
    [2000, 64, 1024, false, 768],
    [300, 512, 16, true, 300],
  ] as const) {
    const x = uniform(rng, n, d);
    const c = uniform(rng, k, d);
    add(await checkLloyd('lloydStep', `n=${n} d=${d} k=${k}${weighted ? ' weighted' : ''} blocks of ${block}`, x, c, weighted ? weights(n) : null, block));
    add(await checkLloyd('assignNearest', `n=${n} d=${d} k=${k} blocks of ${block}`, x, c, null, block));
  }
  {
    // Exact ties: integer rows, and every center twice (the lower index must win on both).
    const x = lattice(rng, 513, 5, 3);
    const half = lattice(rng, 6, 5, 3);
    const c: MatrixF32 = { data: new Float32Array(12 * 5), rows: 12, cols: 5 };
    for (let j = 0; j < 12; j++) c.data.set(half.data.subarray((j >> 1) * 5, ((j >> 1) + 1) * 5), j * 5);
    add(await checkLloyd('lloydStep', 'ties: integer rows, duplicated centers, n=513 d=5 k=12', x, c, null, 513));
    add(await checkLloyd('assignNearest', 'ties: integer rows, duplicated centers, n=513 d=5 k=12', x, c, null, 513));
  }

  // silhouetteTile
  for (const [b, n, d, k, colRows] of [
    [37, 700, 1, 3, 256],
    [64, 1500, 64, 10, 1500],
    [20, 600, 512, 4, 256],
  ] as const) {
    add(await checkSilhouette(`b=${b} n=${n} d=${d} k=${k} column blocks of ${colRows}`, uniform(rng, b, d, -2, 3), uniform(rng, n, d, -2, 3), labelsOf(rng, n, k), k, colRows));
  }
  {
    const x = lattice(rng, 400, 3, 2);
    add(await checkSilhouette('ties: integer rows, the rows among the columns, b=50 n=400 d=3 k=3', { data: x.data.slice(0, 150), rows: 50, cols: 3 }, x, labelsOf(rng, 400, 3), 3, 256));
  }

  // radiusCounts and radiusPairs
  for (const [b, n, d, colRows] of [
    [37, 260, 1, 100],
    [50, 700, 16, 256],
    [20, 300, 512, 300],
  ] as const) {
    const rows = uniform(rng, b, d, -2, 3);
    const cols = uniform(rng, n, d, -2, 3);
    const r = radiusAt(rows, cols, 0.3);
    add(await checkRadiusCounts(`b=${b} n=${n} d=${d} column blocks of ${colRows}`, rows, cols, r, colRows));
    add(await checkRadiusPairs(`b=${b} t=${n} d=${d}`, rows, cols, r));
  }
  {
    const cols = lattice(rng, 300, 4, 3);
    const rows: MatrixF32 = { data: cols.data.slice(0, 40 * 4), rows: 40, cols: 4 };
    add(await checkRadiusCounts('ties: integer rows at distance exactly r, b=40 n=300 d=4 r²=9', rows, cols, 3, 128));
    add(await checkRadiusPairs('ties: integer rows at distance exactly r, b=40 t=300 d=4 r²=9', rows, cols, 3));
  }

  // meanShiftStep
  for (const [s, n, d, block] of [
    [13, 700, 2, 300],
    [13, 300, 300, 256],
  ] as const) {
    const x = lattice(rng, n, d, 4);
    const seeds = lattice(rng, s, d, 3);
    const w = Float32Array.from({ length: n }, (_, i) => i % 3);
    // An integer bandwidth: its square is exact in float32 and in float64, so the kernels' test
    // fl(d²) ≤ fl(h²) and the reference's d² ≤ h² decide the rows at exactly h alike. With
    // h = √d² of a pair (radiusAt), h·h in float64 may fall below d² where the kernels' float32
    // h² does not: seed 1384867062, d = 300, counted 73 rows where the reference counted 71.
    const h = Math.max(1, Math.round(radiusAt(seeds, x, 0.3)));
    add(await checkMeanShift(`flat, integer data and weights, s=${s} n=${n} d=${d} blocks of ${block}`, seeds, x, h, 'flat', w, block));
  }
  for (const [s, n, d, weighted] of [
    [11, 530, 2, false],
    [11, 530, 70, true],
  ] as const) {
    const x = uniform(rng, n, d);
    const seeds = uniform(rng, s, d, -0.5, 0.5);
    add(await checkMeanShift(`gaussian, s=${s} n=${n} d=${d}${weighted ? ' weighted' : ''}`, seeds, x, 0.5 * Math.sqrt(d), 'gaussian', weighted ? weights(n) : null, 256));
  }
  return results;
}

/** True when every verdict of the case holds and no call fell back to the portable kernel. */
export function casePassed(r: CaseResult): boolean {
  return r.fallbacks.length === 0 && r.verdicts.every((v) => v.ok);
}
