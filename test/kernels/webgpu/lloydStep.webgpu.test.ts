// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, expect } from 'vitest';
import { assignNearest, type Assignment } from '../../../src/kernels/assignNearest/index.js';
import { lloydStep } from '../../../src/kernels/lloydStep/index.js';
import { REDUCTION_RUN } from '../../../src/kernels/shared/tiling.js';
import { assignNearestWebgpu } from '../../../src/kernels/assignNearest/webgpu.js';
import { lloydStepWebgpu, lloydStepWebgpuSupport } from '../../../src/kernels/lloydStep/webgpu.js';
import { setWebgpuBindingLimit, webgpuFallbacks } from '../../../src/kernels/webgpu/run.js';
import type { Matrix } from '../../../src/matrix.js';
import { Random } from '../../../src/random.js';
import { describeEachBackend, it } from '../../helpers/backends.js';
import { lloydStepRef, matrixOf } from '../../helpers/reference.js';
import { U32, blobs, expectWithin, runsOf, sqDistBound, sqNorms, tensorOf, uniformMatrix, upload, runLloydBlocks, type LloydBlocksResult } from '../support.js';

/** Runs `impl` over `x` in row blocks (see runLloydBlocks in ../support.ts). */
const run = (impl: Parameters<typeof runLloydBlocks>[0], x: Matrix, centers: Matrix, weights: ArrayLike<number> | null, rowsPerBlock?: number) =>
  runLloydBlocks(impl, x, centers, weights, rowsPerBlock, runsOf);

/** assignNearest through the same harness (no sums). */
async function runAssign(impl: (x: tf.Tensor2D, c: tf.Tensor2D) => Assignment, x: Matrix, centers: Matrix, rowsPerBlock?: number): Promise<{ labels: Int32Array; distances: Float32Array }> {
  const up = upload(x, { floatsPerRow: 3 * centers.rows + x.cols, rowsPerBlock });
  const ct = tensorOf(centers);
  const labels = new Int32Array(x.rows);
  const distances = new Float32Array(x.rows);
  try {
    for (const b of up.blocks) {
      const out = impl(b.x, ct);
      try {
        expect(out.labels.dtype).toBe('int32');
        expect(out.labels.shape).toEqual([b.x.shape[0]]);
        expect(out.distances.shape).toEqual([b.x.shape[0]]);
        labels.set(await out.labels.data(), b.start);
        distances.set(await out.distances.data(), b.start);
      } finally {
        tf.dispose([out.labels, out.distances]);
      }
    }
  } finally {
    up.dispose();
    ct.dispose();
  }
  return { labels, distances };
}

/** Σ|w·x| and Σ|w| per cluster of the given labels: the scale of the sums' rounding. */
function magnitudes(x: Matrix, k: number, labels: Int32Array, weights: ArrayLike<number> | null): { sums: Float64Array; counts: Float64Array } {
  const d = x.cols;
  const sums = new Float64Array(k * d);
  const counts = new Float64Array(k);
  for (let i = 0; i < x.rows; i++) {
    const w = weights ? weights[i] : 1;
    counts[labels[i]] += Math.abs(w);
    for (let j = 0; j < d; j++) sums[labels[i] * d + j] += Math.abs(w * x.data[i * d + j]);
  }
  return { sums, counts };
}

/**
 * Against the Float64 reference: labels exact (inputs with clear margins or exact ties);
 * distances by direct differences, within (d + 4)·u of the exact value; counts exact without
 * weights; counts and sums otherwise within (m + 3)·u of the summed magnitudes, m ≤ 256 the rows
 * one float32 run adds (each product rounds once, the run's sum m − 1 times, float64 after).
 */
function checkAgainstReference(got: LloydBlocksResult, x: Matrix, centers: Matrix, weights: ArrayLike<number> | null, what: string, portable = false): void {
  const ref = lloydStepRef(x, centers, weights);
  expect(Array.from(got.labels), `${what}: labels`).toEqual(Array.from(ref.labels));
  // The portable kernel's distances come from the expansion ‖x‖² − 2x·c + ‖c‖², with its absolute bound.
  const xx = sqNorms(x);
  const cc = sqNorms(centers);
  const distSlack = portable ? (i: number) => sqDistBound(x.cols, xx[i], cc[ref.labels[i]]) : (i: number) => (x.cols + 4) * U32 * ref.distances[i];
  expectWithin(got.distances, ref.distances, distSlack, `${what}: distances`);
  const mag = magnitudes(x, centers.rows, ref.labels, weights);
  const slack = (Math.min(REDUCTION_RUN, Math.max(...got.blockRows)) + 3) * U32;
  if (weights) expectWithin(got.counts, ref.counts, (c) => slack * mag.counts[c], `${what}: counts`);
  else expect(Array.from(got.counts), `${what}: counts`).toEqual(Array.from(ref.counts));
  expectWithin(got.sums, ref.sums, (i) => slack * mag.sums[i], `${what}: sums`);
}

/** Against the portable kernel: the same labels, the rest within both kernels' float32 bounds. */
function checkAgainstPortable(got: LloydBlocksResult, portable: LloydBlocksResult, x: Matrix, centers: Matrix, weights: ArrayLike<number> | null, what: string): void {
  expect(Array.from(got.labels), `${what}: labels as portable`).toEqual(Array.from(portable.labels));
  const xx = sqNorms(x);
  const cc = sqNorms(centers);
  expectWithin(
    got.distances,
    portable.distances,
    (i) => sqDistBound(x.cols, xx[i], cc[got.labels[i]]) + (x.cols + 4) * U32 * got.distances[i],
    `${what}: distances as portable`,
  );
  const mag = magnitudes(x, centers.rows, got.labels, weights);
  const slack = 2 * (Math.min(REDUCTION_RUN, Math.max(...got.blockRows)) + 3) * U32;
  if (weights) expectWithin(got.counts, portable.counts, (c) => slack * mag.counts[c], `${what}: counts as portable`);
  else expect(Array.from(got.counts), `${what}: counts as portable`).toEqual(Array.from(portable.counts));
  expectWithin(got.sums, portable.sums, (i) => slack * mag.sums[i], `${what}: sums as portable`);
}

/**
 * Runs `f` with the WGSL assignNearest unregistered: the portable lloydStep calls the kernel
 * assignNearest, which would otherwise run our program, and the oracle would not be independent.
 */
async function portableOnly<T>(f: () => Promise<T>): Promise<T> {
  assignNearest.unregister('webgpu');
  try {
    return await f();
  } finally {
    assignNearest.register('webgpu', assignNearestWebgpu);
  }
}

/**
 * The WGSL kernel against the Float64 reference and, with `portableToo`, against the portable
 * kernel as well. The second oracle adds nothing to what the first proves of the WGSL kernel
 * (labels and counts equal the reference's; checkAgainstPortable's slack is the sum of both
 * kernels' bounds of the reference), and on SwiftShader every new shape costs it shader compiles:
 * the sweep compares with it on three of its nine shapes (both weightings). The portable kernel
 * on webgpu stays compared here on those, at k = 1, on the ties, on the huge cluster, and against
 * the reference where the binding limit makes it run.
 */
async function checkBoth(x: Matrix, centers: Matrix, weights: ArrayLike<number> | null, rowsPerBlock: number | undefined, what: string, portableToo = true): Promise<LloydBlocksResult> {
  const got = await run(lloydStepWebgpu, x, centers, weights, rowsPerBlock);
  checkAgainstReference(got, x, centers, weights, what);
  if (!portableToo) return got;
  const portable = await portableOnly(() => run(lloydStep.portable, x, centers, weights, rowsPerBlock));
  checkAgainstPortable(got, portable, x, centers, weights, what);
  return got;
}

/**
 * k centers 10 apart along the first feature (the rest uniform in [-4, 4]) and rows within 0.25
 * of their center, row i in cluster i mod k: the nearest center is the own one by a wide margin
 * for any k, which `blobs` cannot place in few dimensions.
 */
function spreadBlobs(rng: Random, n: number, d: number, k: number): { x: Matrix; centers: Matrix } {
  const centers = new Float32Array(k * d);
  for (let j = 0; j < k; j++) {
    centers[j * d] = 10 * j;
    for (let f = 1; f < d; f++) centers[j * d + f] = -4 + 8 * rng.next();
  }
  const data = new Float32Array(n * d);
  const half = 0.25 / Math.sqrt(d);
  for (let i = 0; i < n; i++) for (let f = 0; f < d; f++) data[i * d + f] = centers[(i % k) * d + f] + half * (2 * rng.next() - 1);
  return { x: { data, rows: n, cols: d }, centers: { data: centers, rows: k, cols: d } };
}

describeEachBackend(
  'lloydStep and assignNearest, WGSL kernels',
  () => {
    afterEach(() => {
      setWebgpuBindingLimit(null);
      webgpuFallbacks(true);
    });

    it('lloydStepWebgpu gives the hand-computed labels, distances, counts and sums', async () => {
      const x = matrixOf([
        [0, 0],
        [0, 1],
        [10, 10],
        [10, 11],
      ]);
      const centers = matrixOf([
        [0, 0],
        [10, 10],
      ]);
      const got = await run(lloydStepWebgpu, x, centers, [1, 2, 3, 0]);
      expect(Array.from(got.labels)).toEqual([0, 0, 1, 1]);
      expect(Array.from(got.distances)).toEqual([0, 1, 0, 1]);
      expect(Array.from(got.counts)).toEqual([3, 3]);
      expect(Array.from(got.sums)).toEqual([0, 2, 30, 30]);
      expect(webgpuFallbacks(), 'the WGSL program ran').toEqual([]);
    });

    it('lloydStepWebgpu agrees with the reference and the portable kernel for d from 1 to 300, t off multiples of 256, with and without weights', async () => {
      const rng = new Random(301);
      // Every case against the reference; against the portable kernel as well on three (portableToo).
      const cases: Array<[number, number, number, number | undefined, boolean]> = [
        // [n, d, k, rowsPerBlock, portableToo]
        [1, 1, 1, undefined, false],
        [3, 1, 3, undefined, false],
        [255, 2, 4, undefined, false],
        [257, 3, 5, 100, true],
        [1001, 5, 8, 512, false],
        [600, 16, 8, 256, false],
        [300, 33, 6, 257, true],
        [130, 300, 3, 50, false],
        [97, 299, 17, undefined, true],
      ];
      for (const [n, d, k, rowsPerBlock, portableToo] of cases) {
        const { x, centers } = blobs(rng, n, d, k);
        const weights = Float32Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 0 : 0.25 + 4 * rng.next()));
        for (const w of [null, weights]) await checkBoth(x, centers, w, rowsPerBlock, `n=${n} d=${d} k=${k} ${w ? 'weighted' : 'unit'}`, portableToo);
      }
      expect(webgpuFallbacks(), 'the WGSL program ran every time').toEqual([]);
    });

    it('lloydStepWebgpu takes k = 1, k = 300 and k = 1000 centers, and d = 520 (three feature blocks)', async () => {
      // k = 300, k = 1000 and d = 520 against the reference only (see checkBoth): the portable
      // kernel takes most of a minute at k = 1000 on SwiftShader.
      const rng = new Random(302);
      const k1 = uniformMatrix(rng, 1, 4);
      const x1 = uniformMatrix(rng, 777, 4);
      const one = await checkBoth(x1, k1, null, undefined, 'k=1');
      expect(Array.from(one.counts)).toEqual([777]);
      for (const [n, d, k] of [
        [900, 3, 300],
        [2000, 2, 1000],
        [300, 520, 7],
      ]) {
        const { x, centers } = spreadBlobs(rng, n, d, k);
        checkAgainstReference(await run(lloydStepWebgpu, x, centers, null), x, centers, null, `n=${n} d=${d} k=${k}`);
      }
      expect(webgpuFallbacks()).toEqual([]);
    });

    it('lloydStepWebgpu breaks exact ties by the lowest index, within and across blocks of eight centers', async () => {
      for (const k of [9, 17]) {
        const pairs = k === 9 ? [[0, 1], [0, 8], [3, 4], [7, 8], [2, 6]] : [[0, 16], [7, 8], [8, 15], [15, 16], [4, 12], [1, 9]];
        for (const [a, b] of pairs) {
          // Every value exact in float32: the rows at the origin are exactly 1 from a and b, farther from the rest.
          const centers = matrixOf(Array.from({ length: k }, (_, j) => (j === a ? [1, 0, 0] : j === b ? [-1, 0, 0] : [0, 2 + j, 0])));
          const x = matrixOf(Array.from({ length: 300 }, () => [0, 0, 0]));
          const got = await run(lloydStepWebgpu, x, centers, null);
          expect(new Set(got.labels), `tie between ${a} and ${b}`).toEqual(new Set([a]));
          expect(new Set(got.distances)).toEqual(new Set([1]));
          expect(got.counts[a]).toBe(300);
          const portable = await portableOnly(() => run(lloydStep.portable, x, centers, null));
          expect(Array.from(portable.labels)).toEqual(Array.from(got.labels));
          const assigned = await runAssign(assignNearestWebgpu, x, centers);
          expect(Array.from(assigned.labels)).toEqual(Array.from(got.labels));
        }
      }
    });

    it('lloydStepWebgpu gives duplicate centers the lowest index and rows on a center distance 0', async () => {
      const rng = new Random(303);
      const c = uniformMatrix(rng, 3, 6);
      const centers: Matrix = { data: Float32Array.from([...c.data, ...c.data.subarray(0, 6)]), rows: 4, cols: 6 }; // center 3 = center 0
      const x: Matrix = { data: Float32Array.from({ length: 600 * 6 }, (_, i) => c.data[(Math.floor(i / 6) % 3) * 6 + (i % 6)]), rows: 600, cols: 6 };
      const got = await run(lloydStepWebgpu, x, centers, null);
      expect(Array.from(got.labels)).toEqual(Array.from({ length: 600 }, (_, i) => i % 3));
      expect(Array.from(got.distances)).toEqual(new Array(600).fill(0));
      expect(got.counts[3]).toBe(0);
      checkAgainstReference(got, x, centers, null, 'duplicates');
    });

    it('lloydStepWebgpu with one huge cluster far from the origin keeps its sums within the float32-run bound', async () => {
      const rng = new Random(304);
      const n = 5003;
      const d = 5;
      const x = new Float32Array(n * d);
      for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) x[i * d + j] = i < 3 ? -1000 * (j + 1) * (i + 1) : 1000 + rng.next();
      const centers = matrixOf([
        [-1000, -2000, -3000, -4000, -5000],
        [1000, 1000, 1000, 1000, 1000],
        [-3000, -6000, -9000, -12000, -15000],
      ]);
      const m: Matrix = { data: x, rows: n, cols: d };
      const weights = Float32Array.from({ length: n }, () => 0.5 + rng.next());
      const got = await checkBoth(m, centers, null, 2048, 'huge cluster');
      expect(got.counts[1]).toBe(n - 3);
      await checkBoth(m, centers, weights, undefined, 'huge cluster, weighted');
    });

    it('shapes over the binding limit run the portable kernel, with the reason recorded; at the limit the WGSL program runs', async () => {
      const rng = new Random(306);
      const { x, centers } = blobs(rng, 600, 4, 3);
      // 600 rows: runs = 3; output = 2·600 + 3·3·(4 + 1) = 1245 floats, the largest binding (x is 2400 floats).
      const block = 4 * 600 * 4;
      expect(lloydStepWebgpuSupport(600, 4, 3, true, block)).toBeNull();
      expect(lloydStepWebgpuSupport(600, 4, 3, true, block - 1)).toMatch(/block of 600×4 floats is over the 9599-byte binding limit/);
      expect(lloydStepWebgpuSupport(600, 40, 300, true, 4 * 600 * 40)).toMatch(/output .* takes 152400 bytes/);
      expect(lloydStepWebgpuSupport(1, 1, 2 ** 24, true, 2 ** 40)).toMatch(/24-bit labels/);
      expect(lloydStepWebgpuSupport(1, 1, 2 ** 24 - 1, true, 2 ** 40)).toBeNull();

      setWebgpuBindingLimit(block);
      const at = await run(lloydStepWebgpu, x, centers, null, 600);
      expect(webgpuFallbacks(true), 'at the limit: the program').toEqual([]);
      checkAgainstReference(at, x, centers, null, 'at the limit');

      setWebgpuBindingLimit(block - 4);
      const over = await run(lloydStepWebgpu, x, centers, null, 600);
      const assigned = await runAssign(assignNearestWebgpu, x, centers, 600);
      const fell = webgpuFallbacks(true);
      // The portable lloydStep calls the kernel assignNearest, whose WGSL form falls back as well.
      expect(fell.map((f) => f.kernel)).toEqual(['lloydStep', 'assignNearest', 'assignNearest']);
      expect(fell[0].reason).toMatch(/over the 9596-byte binding limit/);
      checkAgainstReference(over, x, centers, null, 'over the limit (portable)', true);
      expect(Array.from(assigned.labels)).toEqual(Array.from(over.labels));
    });

    it('initBackend(webgpu) registers the WGSL kernels under the portable kernels names', () => {
      expect(lloydStep.implementationFor('webgpu')).toBe('webgpu');
      expect(assignNearest.implementationFor('webgpu')).toBe('webgpu');
    });
  },
  ['webgpu'],
);
