// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect } from 'vitest';
import { addRuns, clusterSums } from '../../src/kernels/clusterSums/index.js';
import { REDUCTION_RUN } from '../../src/kernels/shared/tiling.js';
import type { Matrix } from '../../src/matrix.js';
import { Random } from '../../src/random.js';
import { describeEachBackend, it } from '../helpers/backends.js';
import { clusterSumsRef, matrixOf, type ClusterSumsRef } from '../helpers/reference.js';
import { U32, expectWithin, isRunShaped, relErr, runRange, runsOf, uniformLabels, uniformMatrix, upload } from './support.js';

interface Options {
  weights?: ArrayLike<number>;
  withSquares?: boolean;
  /** Rows per block, for uploadRows; default one block sized by the device budget. */
  rowsPerBlock?: number;
}

/** Host copies of every block's run partials, and their float64 totals. */
interface Host {
  /** Rows of each block. */
  blockRows: number[];
  /** Run partials of each block, as read back. */
  counts: Float32Array[];
  sums: Float32Array[];
  sumSquares: Float32Array[];
  total: ClusterSumsRef;
}

/**
 * Uploads `x`, labels and weights in row blocks, runs clusterSums on each block, checks the
 * partials' shapes (one per run of REDUCTION_RUN rows, the last shorter), adds them with addRuns
 * and disposes every tensor.
 */
async function run(x: Matrix, labels: Int32Array, k: number, o: Options = {}): Promise<Host> {
  const d = x.cols;
  const up = upload(x, { floatsPerRow: 2 * k + d, rowsPerBlock: o.rowsPerBlock, labels, weights: o.weights });
  const host: Host = {
    blockRows: [],
    counts: [],
    sums: [],
    sumSquares: [],
    total: { counts: new Float64Array(k), sums: new Float64Array(k * d), sumSquares: new Float64Array(k * d) },
  };
  try {
    for (let i = 0; i < up.blocks.length; i++) {
      const t = up.blocks[i].x.shape[0];
      const out = clusterSums(up.blocks[i].x, up.labels[i], k, { weights: up.weights[i], withSquares: o.withSquares });
      try {
        const runs = runsOf(t);
        expect(out.counts.shape, `block of ${t} rows`).toEqual([runs, k]);
        expect(out.sums.shape, `block of ${t} rows`).toEqual([runs, k, d]);
        if (o.withSquares) expect(out.sumSquares?.shape).toEqual([runs, k, d]);
        else expect(out.sumSquares).toBeUndefined();
        host.blockRows.push(t);
        host.counts.push((await out.counts.data()) as Float32Array);
        host.sums.push((await out.sums.data()) as Float32Array);
        addRuns(host.counts[i], runs, host.total.counts);
        addRuns(host.sums[i], runs, host.total.sums);
        if (out.sumSquares) {
          host.sumSquares.push((await out.sumSquares.data()) as Float32Array);
          addRuns(host.sumSquares[i], runs, host.total.sumSquares);
        }
      } finally {
        tf.dispose([out.counts, out.sums, ...(out.sumSquares ? [out.sumSquares] : [])]);
      }
    }
  } finally {
    up.dispose();
  }
  return host;
}

/**
 * Checks the float64 totals against the reference. A run adds at most m = min(REDUCTION_RUN,
 * longest block) products in float32, so each partial is off by at most (m + 2)·u times the sum
 * of the magnitudes it adds (Higham §3.1, +2 for the weight product and the square); the float64
 * addition of the partials adds nothing visible. Unweighted counts are integers of at most one
 * run in every partial: exact.
 */
function checkTotals(got: Host, x: Matrix, labels: Int32Array, k: number, o: Options, what: string): void {
  const d = x.cols;
  const m = Math.min(REDUCTION_RUN, Math.max(...got.blockRows));
  const ref = clusterSumsRef(x, labels, k, o.weights);
  const absX: Matrix = { data: Float64Array.from(x.data, Math.abs), rows: x.rows, cols: d };
  const mag = clusterSumsRef(absX, labels, k, o.weights); // Σ|w·x| and Σ w·x² per cluster
  const slack = (m + 2) * U32;
  if (o.weights) expectWithin(got.total.counts, ref.counts, (c) => slack * mag.counts[c], `${what}: counts`);
  else expect(Array.from(got.total.counts), `${what}: counts`).toEqual(Array.from(ref.counts));
  expectWithin(got.total.sums, ref.sums, (i) => slack * mag.sums[i], `${what}: sums`);
  if (o.withSquares) expectWithin(got.total.sumSquares, ref.sumSquares, (i) => slack * mag.sumSquares[i], `${what}: squares`);
}

/**
 * Checks every run partial of every block against the reference over that run's own rows: each
 * partial sums exactly the rows of its run (counts exact without weights, sums within the run's
 * float32 bound).
 */
function checkPartials(got: Host, x: Matrix, labels: Int32Array, k: number, o: Options, what: string): void {
  const d = x.cols;
  const absX: Matrix = { data: Float64Array.from(x.data, Math.abs), rows: x.rows, cols: d };
  let start = 0;
  for (let b = 0; b < got.blockRows.length; b++) {
    const t = got.blockRows[b];
    for (let r = 0; r < runsOf(t); r++) {
      const [s, e] = runRange(t, r);
      const part = clusterSumsRef(x, labels, k, o.weights, start + s, start + e);
      const mag = clusterSumsRef(absX, labels, k, o.weights, start + s, start + e);
      const slack = (e - s + 2) * U32;
      const where = `${what}: block ${b} run ${r} (rows ${start + s}..${start + e})`;
      const counts = got.counts[b].subarray(r * k, (r + 1) * k);
      if (o.weights) expectWithin(counts, part.counts, (c) => slack * mag.counts[c], `${where} counts`);
      else expect(Array.from(counts), `${where} counts`).toEqual(Array.from(part.counts));
      expectWithin(got.sums[b].subarray(r * k * d, (r + 1) * k * d), part.sums, (i) => slack * mag.sums[i], `${where} sums`);
      if (o.withSquares) {
        const sq = got.sumSquares[b].subarray(r * k * d, (r + 1) * k * d);
        expectWithin(sq, part.sumSquares, (i) => slack * mag.sumSquares[i], `${where} squares`);
      }
    }
    start += t;
  }
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

  it('addRuns adds into a given total and returns it, so blocks accumulate', () => {
    const into = Float64Array.from([0.5, 100]);
    const out = addRuns([1, 2, 3, 4], 2, into);
    expect(out).toBe(into);
    expect(Array.from(into)).toEqual([4.5, 106]);
    addRuns(Float32Array.from([2 ** 24, 1]), 1, into);
    expect(Array.from(into)).toEqual([16777220.5, 107]);
  });
});

const HAND_X = matrixOf([
  [1, 2],
  [3, 4],
  [5, 6],
  [7, 8],
]);

describeEachBackend('clusterSums', (backend) => {
  it('clusterSums gives the hand-computed counts, sums and sums of squares, with an empty cluster', async () => {
    const labels = Int32Array.from([0, 1, 0, 1]);
    const got = await run(HAND_X, labels, 3, { withSquares: true });
    expect(got.blockRows).toEqual([4]);
    expect(Array.from(got.counts[0])).toEqual([2, 2, 0]);
    expect(Array.from(got.sums[0])).toEqual([6, 8, 10, 12, 0, 0]);
    expect(Array.from(got.sumSquares[0])).toEqual([26, 40, 58, 80, 0, 0]);
  });

  it('clusterSums weighs rows by the given weights, a weight of 0 dropping the row', async () => {
    const labels = Int32Array.from([0, 1, 0, 1]);
    const got = await run(HAND_X, labels, 3, { weights: [1, 0.5, 2, 0], withSquares: true });
    // cluster 0: 1·(1,2) + 2·(5,6); cluster 1: 0.5·(3,4) + 0·(7,8). Halves are exact in float32.
    expect(Array.from(got.counts[0])).toEqual([3, 0.5, 0]);
    expect(Array.from(got.sums[0])).toEqual([11, 14, 1.5, 2, 0, 0]);
    expect(Array.from(got.sumSquares[0])).toEqual([51, 76, 4.5, 8, 0, 0]);
  });

  it('clusterSums on one block tensor returns [runs, k] and [runs, k, d] without sumSquares unless asked', async () => {
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8], [4, 2]);
    const l = tf.tensor1d([1, 1, 0, 1], 'int32');
    const out = clusterSums(x, l, 2);
    expect(out.sumSquares).toBeUndefined();
    expect(out.counts.shape).toEqual([1, 2]);
    expect(out.sums.shape).toEqual([1, 2, 2]);
    expect(Array.from(await out.counts.data())).toEqual([1, 3]);
    expect(Array.from(await out.sums.data())).toEqual([5, 6, 11, 14]);
    tf.dispose([x, l, out.counts, out.sums]);
  });

  it('clusterSums gives one partial per run of 256 rows, each the sums of its own rows: blocks of 1 to 513 rows', async () => {
    // 256 and 512: whole runs, cut by the reshape; 300 and 513: ragged, the tail split off by a
    // slice (with the weights sliced alike); 1, 7 and 255: shorter than a run, one partial.
    const rng = new Random(31);
    for (const t of [1, 7, 255, 256, 300, 512, 513]) {
      const x = uniformMatrix(rng, t, 3);
      const labels = uniformLabels(rng, t, 4);
      const weights = Float32Array.from({ length: t }, () => rng.next() * 2);
      for (const o of [{ withSquares: true, rowsPerBlock: t }, { weights, withSquares: true, rowsPerBlock: t }]) {
        const got = await run(x, labels, 4, o);
        const what = `t=${t}${o.weights ? ' weighted' : ''}`;
        expect(got.blockRows, what).toEqual([t]);
        expect(got.counts[0].length / 4, `${what}: partials`).toBe(Math.ceil(t / REDUCTION_RUN));
        checkPartials(got, x, labels, 4, o, what);
        checkTotals(got, x, labels, 4, o, what);
      }
    }
  });

  it('clusterSums over many blocks from uploadRows adds up to the reference, partial by partial', async () => {
    const rng = new Random(32);
    const x = uniformMatrix(rng, 50, 3);
    const labels = uniformLabels(rng, 50, 4);
    for (const rowsPerBlock of [7, 1, 49, 50]) {
      const o = { withSquares: true, rowsPerBlock };
      const got = await run(x, labels, 4, o);
      expect(got.blockRows.length, `rowsPerBlock=${rowsPerBlock}`).toBe(Math.ceil(50 / rowsPerBlock));
      checkPartials(got, x, labels, 4, o, `rowsPerBlock=${rowsPerBlock}`);
      checkTotals(got, x, labels, 4, o, `rowsPerBlock=${rowsPerBlock}`);
    }
  });

  it('clusterSums matches the Float64 reference for d from 1 to 300, with and without weights, in blocks', async () => {
    const rng = new Random(33);
    for (const [n, d, k, rowsPerBlock] of [
      [64, 1, 3, 7],
      [100, 2, 5, undefined],
      [600, 16, 8, 256], // blocks 256, 256, 88
      [777, 5, 4, 300], // ragged blocks 300, 300, 177: each 300 split by a slice
      [1000, 3, 6, 512], // 512, then the last 488 split by uploadRows into 256 + 232
      [40, 300, 3, 13],
    ] as Array<[number, number, number, number | undefined]>) {
      const x = uniformMatrix(rng, n, d, -3, 5);
      const labels = uniformLabels(rng, n, k);
      const weights = Float32Array.from({ length: n }, () => rng.next() * 2);
      for (const o of [{ withSquares: true, rowsPerBlock }, { weights, withSquares: true, rowsPerBlock }]) {
        const what = `n=${n} d=${d} k=${k} rowsPerBlock=${rowsPerBlock}${o.weights ? ' weighted' : ''}`;
        checkTotals(await run(x, labels, k, o), x, labels, k, o, what);
      }
    }
  });

  it('clusterSums gives count 0 and zero sums to empty clusters', async () => {
    const rng = new Random(34);
    const x = uniformMatrix(rng, 300, 4);
    const labels = Int32Array.from({ length: 300 }, (_, i) => (i % 2 === 0 ? 1 : 3));
    const o = { withSquares: true, rowsPerBlock: 300 };
    const got = await run(x, labels, 5, o);
    for (const c of [0, 2, 4]) {
      expect(got.total.counts[c], `cluster ${c}`).toBe(0);
      expect(Array.from(got.total.sums.subarray(4 * c, 4 * c + 4)), `cluster ${c}`).toEqual([0, 0, 0, 0]);
      expect(Array.from(got.total.sumSquares.subarray(4 * c, 4 * c + 4)), `cluster ${c}`).toEqual([0, 0, 0, 0]);
    }
    checkTotals(got, x, labels, 5, o, 'empty clusters');
  });

  it('clusterSums with k = 1 sums every row, in one block and in many', async () => {
    const rng = new Random(35);
    const x = uniformMatrix(rng, 513, 3);
    const labels = new Int32Array(513);
    for (const rowsPerBlock of [7, 300, 513]) {
      const o = { withSquares: true, rowsPerBlock };
      const got = await run(x, labels, 1, o);
      expect(got.total.counts[0]).toBe(513);
      checkPartials(got, x, labels, 1, o, `k=1 rowsPerBlock=${rowsPerBlock}`);
      checkTotals(got, x, labels, 1, o, `k=1 rowsPerBlock=${rowsPerBlock}`);
    }
  });

  it('clusterSums handles one huge cluster next to a single-row one', async () => {
    const rng = new Random(36);
    const n = 5000;
    const x = uniformMatrix(rng, n, 2, 10, 11);
    const labels = new Int32Array(n);
    labels[1234] = 2;
    const o = { withSquares: true, rowsPerBlock: 1024 };
    const got = await run(x, labels, 3, o);
    expect(Array.from(got.total.counts)).toEqual([n - 1, 0, 1]);
    checkTotals(got, x, labels, 3, o, 'one huge cluster');
  });

  it('clusterSums counts duplicate rows once each', async () => {
    const x = matrixOf(Array.from({ length: 20 }, () => [0.1, -2.5]));
    const labels = Int32Array.from({ length: 20 }, (_, i) => (i < 15 ? 0 : 1));
    const got = await run(x, labels, 2, { rowsPerBlock: 6 });
    expect(Array.from(got.total.counts)).toEqual([15, 5]);
    checkTotals(got, x, labels, 2, { rowsPerBlock: 6 }, 'duplicates');
  });

  // A single float32 accumulator would visibly drift here: 10^6 values near 1.1 (or 100) add up
  // to 1.1·10^6 (10^8), where one float32 ulp is 0.125 (8) and every addition of a 1.1 (100)
  // rounds. The requirement: the float64 total of the run partials within 1e-6 relative. The
  // rows go up in blocks of 2^16 rows (the last 16,960 split by uploadRows into 16,896 + 64), so
  // every block is whole runs or shorter than one, as clusterSums wants them.
  const BIG_BLOCK = 1 << 16;
  for (const [name, fill] of [
    ['all 1.1', () => 1.1],
    ['uniform in [100, 101)', (rng: Random) => 100 + rng.next()],
  ] as const) {
    it.skipIf(backend === 'webgpu')(
      `clusterSums keeps 1e-6 relative precision on 10^6 rows ${name} in row blocks, one huge cluster (webgpu skipped: SwiftShader is too slow for 10^6 rows)`,
      async () => {
        const rng = new Random(37);
        const n = 1_000_000;
        const d = 2;
        const x: Matrix = { data: Float32Array.from({ length: n * d }, () => fill(rng)), rows: n, cols: d };
        const labels = new Int32Array(n); // every row in cluster 0; clusters 1 and 2 empty
        const got = await run(x, labels, 3, { withSquares: true, rowsPerBlock: BIG_BLOCK });
        expect(got.blockRows.length).toBe(17);
        for (const t of got.blockRows) expect(isRunShaped(t), `a block of ${t} rows`).toBe(true);
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
    'clusterSums keeps 1e-6 relative precision on 10^6 weighted rows in [100, 101) over 3 clusters in row blocks (webgpu skipped: SwiftShader is too slow for 10^6 rows)',
    async () => {
      const rng = new Random(38);
      const n = 1_000_000;
      const x = uniformMatrix(rng, n, 3, 100, 101);
      const labels = uniformLabels(rng, n, 3);
      const weights = Float32Array.from({ length: n }, () => 0.5 + rng.next());
      const got = await run(x, labels, 3, { weights, rowsPerBlock: BIG_BLOCK });
      for (const t of got.blockRows) expect(isRunShaped(t), `a block of ${t} rows`).toBe(true);
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
