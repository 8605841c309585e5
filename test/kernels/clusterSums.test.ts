// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect } from 'vitest';
import { addRuns, clusterSums } from '../../src/kernels/clusterSums.js';
import { REDUCTION_RUN } from '../../src/kernels/tiling.js';
import type { Matrix } from '../../src/matrix.js';
import { Random } from '../../src/random.js';
import { describeEachBackend, it } from '../helpers/backends.js';
import { clusterSumsRef, matrixOf, type ClusterSumsRef } from '../helpers/reference.js';
import { U32, expectWithin, relErr, tensorOf, uniformLabels, uniformMatrix } from './support.js';

interface Options {
  weights?: ArrayLike<number>;
  withSquares?: boolean;
  runRows?: number;
}

/** Host copies of the run partials and their float64 totals. */
interface Host {
  runs: number;
  counts: Float32Array;
  sums: Float32Array;
  sumSquares: Float32Array | null;
  total: ClusterSumsRef;
}

/** Runs clusterSums on host arrays; reads back, adds the runs, disposes every tensor. */
async function run(x: Matrix, labels: Int32Array, k: number, o: Options = {}): Promise<Host> {
  const xt = tensorOf(x);
  const lt = tf.tensor1d(labels, 'int32');
  const wt = o.weights ? tf.tensor1d(Float32Array.from(o.weights), 'float32') : null;
  const out = clusterSums(xt, lt, k, { weights: wt, withSquares: o.withSquares, runRows: o.runRows });
  const runs = out.counts.shape[0];
  expect(out.counts.shape).toEqual([runs, k]);
  expect(out.sums.shape).toEqual([runs, k, x.cols]);
  if (o.withSquares) expect(out.sumSquares?.shape).toEqual([runs, k, x.cols]);
  else expect(out.sumSquares).toBeUndefined();
  const counts = (await out.counts.data()) as Float32Array;
  const sums = (await out.sums.data()) as Float32Array;
  const sumSquares = out.sumSquares ? ((await out.sumSquares.data()) as Float32Array) : null;
  tf.dispose([xt, lt, ...(wt ? [wt] : []), out.counts, out.sums, ...(out.sumSquares ? [out.sumSquares] : [])]);
  const total: ClusterSumsRef = {
    counts: addRuns(counts, runs),
    sums: addRuns(sums, runs),
    sumSquares: sumSquares ? addRuns(sumSquares, runs) : new Float64Array(0),
  };
  return { runs, counts, sums, sumSquares, total };
}

/**
 * Checks the float64 totals against the reference. A run adds at most m = min(runRows, n)
 * products in float32, so each partial is off by at most (m + 2)·u times the sum of the
 * magnitudes it adds (Higham §3.1, +2 for the weight product and the square); the float64
 * addition of the partials adds nothing visible. Unweighted counts are integers below 2^24 in
 * every run: exact.
 */
function checkTotals(got: Host, x: Matrix, labels: Int32Array, k: number, o: Options, what: string): void {
  const d = x.cols;
  const m = Math.min(o.runRows ?? REDUCTION_RUN, x.rows);
  const ref = clusterSumsRef(x, labels, k, o.weights);
  const absX: Matrix = { data: Float64Array.from(x.data, Math.abs), rows: x.rows, cols: d };
  const mag = clusterSumsRef(absX, labels, k, o.weights); // Σ|w·x| and Σ w·x² per cluster
  const slack = (m + 2) * U32;
  if (o.weights) expectWithin(got.total.counts, ref.counts, (c) => slack * mag.counts[c], `${what}: counts`);
  else expect(Array.from(got.total.counts), `${what}: counts`).toEqual(Array.from(ref.counts));
  expectWithin(got.total.sums, ref.sums, (i) => slack * mag.sums[i], `${what}: sums`);
  if (o.withSquares) expectWithin(got.total.sumSquares, ref.sumSquares, (i) => slack * mag.sumSquares[i], `${what}: squares`);
}

describe('addRuns', () => {
  it('addRuns adds the [runs, ...] partials into one [...] total', () => {
    expect(Array.from(addRuns([1, 2, 3, 4, 5, 6], 3))).toEqual([9, 12]);
    expect(Array.from(addRuns([1, 2, 3, 4, 5, 6], 1))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(addRuns([1, 2, 3, 4, 5, 6], 6))).toEqual([21]);
  });

  it('addRuns adds in float64, keeping what a float32 total would drop', () => {
    // 2^24 + 1 + 1 is 16777218 in float64; a float32 accumulator stays at 16777216.
    const total = addRuns(Float32Array.from([2 ** 24, 1, 1]), 3);
    expect(total).toBeInstanceOf(Float64Array);
    expect(total[0]).toBe(16777218);
  });
});

describeEachBackend('clusterSums', (backend) => {
  it('clusterSums gives the hand-computed counts, sums and sums of squares, with an empty cluster', async () => {
    const x = matrixOf([
      [1, 2],
      [3, 4],
      [5, 6],
      [7, 8],
    ]);
    const labels = Int32Array.from([0, 1, 0, 1]);
    const got = await run(x, labels, 3, { withSquares: true });
    expect(got.runs).toBe(1);
    expect(Array.from(got.counts)).toEqual([2, 2, 0]);
    expect(Array.from(got.sums)).toEqual([6, 8, 10, 12, 0, 0]);
    expect(Array.from(got.sumSquares ?? [])).toEqual([26, 40, 58, 80, 0, 0]);
  });

  it('clusterSums weighs rows by the given weights, a weight of 0 dropping the row', async () => {
    const x = matrixOf([
      [1, 2],
      [3, 4],
      [5, 6],
      [7, 8],
    ]);
    const labels = Int32Array.from([0, 1, 0, 1]);
    const got = await run(x, labels, 3, { weights: [1, 0.5, 2, 0], withSquares: true });
    // cluster 0: 1·(1,2) + 2·(5,6); cluster 1: 0.5·(3,4) + 0·(7,8). Halves are exact in float32.
    expect(Array.from(got.counts)).toEqual([3, 0.5, 0]);
    expect(Array.from(got.sums)).toEqual([11, 14, 1.5, 2, 0, 0]);
    expect(Array.from(got.sumSquares ?? [])).toEqual([51, 76, 4.5, 8, 0, 0]);
  });

  it('clusterSums with runRows 7 and n = 50 returns 8 partials, each the sums of its own rows', async () => {
    const rng = new Random(31);
    const x = uniformMatrix(rng, 50, 3);
    const labels = uniformLabels(rng, 50, 4);
    const o = { runRows: 7, withSquares: true };
    const got = await run(x, labels, 4, o);
    expect(got.runs).toBe(8);
    for (let r = 0; r < 8; r++) {
      const part = clusterSumsRef(x, labels, 4, null, 7 * r, Math.min(50, 7 * r + 7));
      expect(Array.from(got.counts.subarray(4 * r, 4 * r + 4)), `run ${r} counts`).toEqual(Array.from(part.counts));
      // 7 values of magnitude < 1 per partial: (7 + 2)·u·7 bounds the float32 error.
      const tol = () => 9 * U32 * 7;
      expectWithin(got.sums.subarray(12 * r, 12 * r + 12), part.sums, tol, `run ${r} sums`);
      expectWithin((got.sumSquares ?? new Float32Array(0)).subarray(12 * r, 12 * r + 12), part.sumSquares, tol, `run ${r} squares`);
    }
    checkTotals(got, x, labels, 4, o, 'runRows=7');
  });

  it('clusterSums matches the Float64 reference for d from 1 to 300, with and without weights', async () => {
    const rng = new Random(32);
    for (const [n, d, k] of [
      [64, 1, 3],
      [100, 2, 5],
      [77, 16, 8],
      [40, 300, 3],
    ]) {
      const x = uniformMatrix(rng, n, d, -3, 5);
      const labels = uniformLabels(rng, n, k);
      const weights = Float32Array.from({ length: n }, () => rng.next() * 2);
      for (const o of [{ withSquares: true }, { weights, withSquares: true, runRows: 13 }]) {
        checkTotals(await run(x, labels, k, o), x, labels, k, o, `n=${n} d=${d} k=${k}${o.weights ? ' weighted' : ''}`);
      }
    }
  });

  it('clusterSums gives count 0 and zero sums to empty clusters', async () => {
    const rng = new Random(33);
    const x = uniformMatrix(rng, 30, 4);
    const labels = Int32Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? 1 : 3));
    const got = await run(x, labels, 5, { withSquares: true, runRows: 8 });
    for (const c of [0, 2, 4]) {
      expect(got.total.counts[c], `cluster ${c}`).toBe(0);
      expect(Array.from(got.total.sums.subarray(4 * c, 4 * c + 4)), `cluster ${c}`).toEqual([0, 0, 0, 0]);
      expect(Array.from(got.total.sumSquares.subarray(4 * c, 4 * c + 4)), `cluster ${c}`).toEqual([0, 0, 0, 0]);
    }
    checkTotals(got, x, labels, 5, { withSquares: true, runRows: 8 }, 'empty clusters');
  });

  it('clusterSums with k = 1 sums every row', async () => {
    const rng = new Random(34);
    const x = uniformMatrix(rng, 50, 3);
    const labels = new Int32Array(50);
    const o = { withSquares: true, runRows: 7 };
    const got = await run(x, labels, 1, o);
    expect(got.total.counts[0]).toBe(50);
    checkTotals(got, x, labels, 1, o, 'k=1');
  });

  it('clusterSums handles one huge cluster next to a single-row one', async () => {
    const rng = new Random(35);
    const n = 5000;
    const x = uniformMatrix(rng, n, 2, 10, 11);
    const labels = new Int32Array(n);
    labels[1234] = 2;
    const o = { withSquares: true, runRows: 1000 };
    const got = await run(x, labels, 3, o);
    expect(Array.from(got.total.counts)).toEqual([n - 1, 0, 1]);
    checkTotals(got, x, labels, 3, o, 'one huge cluster');
  });

  it('clusterSums counts duplicate rows once each', async () => {
    const x = matrixOf(Array.from({ length: 20 }, () => [0.1, -2.5]));
    const labels = Int32Array.from({ length: 20 }, (_, i) => (i < 15 ? 0 : 1));
    const got = await run(x, labels, 2, { runRows: 6 });
    expect(Array.from(got.total.counts)).toEqual([15, 5]);
    checkTotals(got, x, labels, 2, { runRows: 6 }, 'duplicates');
  });

  // A single float32 accumulator would visibly drift here: 10^6 values near 1.1 (or 100) add up
  // to 1.1·10^6 (10^8), where one float32 ulp is 0.125 (8) and every addition of a 1.1 (100)
  // rounds. The requirement: the float64 total of the run partials within 1e-6 relative.
  for (const [name, fill] of [
    ['all 1.1', () => 1.1],
    ['uniform in [100, 101)', (rng: Random) => 100 + rng.next()],
  ] as const) {
    it.skipIf(backend === 'webgpu')(
      `clusterSums keeps 1e-6 relative precision on 10^6 rows ${name}, one huge cluster (webgpu skipped: SwiftShader is too slow for 10^6 rows)`,
      async () => {
        const rng = new Random(36);
        const n = 1_000_000;
        const d = 2;
        const x: Matrix = { data: Float32Array.from({ length: n * d }, () => fill(rng)), rows: n, cols: d };
        const labels = new Int32Array(n); // every row in cluster 0; clusters 1 and 2 empty
        const got = await run(x, labels, 3, { withSquares: true });
        const ref = clusterSumsRef(x, labels, 3);
        expect(Array.from(got.total.counts)).toEqual([n, 0, 0]);
        for (let j = 0; j < d; j++) {
          expect(relErr(got.total.sums[j], ref.sums[j]), `sum of column ${j}`).toBeLessThanOrEqual(1e-6);
          expect(relErr(got.total.sumSquares[j], ref.sumSquares[j]), `sum of squares of column ${j}`).toBeLessThanOrEqual(1e-6);
        }
      },
    );
  }

  it.skipIf(backend === 'webgpu')(
    'clusterSums keeps 1e-6 relative precision on 10^6 weighted rows in [100, 101) over 3 clusters (webgpu skipped: SwiftShader is too slow for 10^6 rows)',
    async () => {
      const rng = new Random(37);
      const n = 1_000_000;
      const x = uniformMatrix(rng, n, 3, 100, 101);
      const labels = uniformLabels(rng, n, 3);
      const weights = Float32Array.from({ length: n }, () => 0.5 + rng.next());
      const got = await run(x, labels, 3, { weights });
      const ref = clusterSumsRef(x, labels, 3, weights);
      for (let c = 0; c < 3; c++) {
        expect(relErr(got.total.counts[c], ref.counts[c]), `weight of cluster ${c}`).toBeLessThanOrEqual(1e-6);
        for (let j = 0; j < 3; j++) {
          expect(relErr(got.total.sums[3 * c + j], ref.sums[3 * c + j]), `sum ${c},${j}`).toBeLessThanOrEqual(1e-6);
        }
      }
    },
  );
});
