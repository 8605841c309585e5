// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import type { BackendName } from '../../src/backend/backend.js';
import { assignNearest } from '../../src/kernels/assignNearest.js';
import { addRuns, clusterSums } from '../../src/kernels/clusterSums.js';
import { lloydStep, type LloydStepOptions } from '../../src/kernels/lloydStep.js';
import type { Matrix } from '../../src/matrix.js';
import { Random } from '../../src/random.js';
import { describeEachBackend, it } from '../helpers/backends.js';
import { lloydStepRef, matrixOf } from '../helpers/reference.js';
import { U32, blobs, expectWithin, sqDistBound, sqNorms, tensorOf, uniformMatrix } from './support.js';

interface Host {
  labels: Int32Array;
  distances: Float32Array;
  runs: number;
  /** Float64 totals over the runs. */
  counts: Float64Array;
  sums: Float64Array;
}

async function run(x: Matrix, centers: Matrix, weights: ArrayLike<number> | null, o: LloydStepOptions = {}): Promise<Host> {
  const xt = tensorOf(x);
  const ct = tensorOf(centers);
  const wt = weights ? tf.tensor1d(Float32Array.from(weights), 'float32') : null;
  const out = lloydStep(xt, ct, wt, o);
  const runs = out.counts.shape[0];
  expect(out.labels.shape).toEqual([x.rows]);
  expect(out.distances.shape).toEqual([x.rows]);
  expect(out.counts.shape).toEqual([runs, centers.rows]);
  expect(out.sums.shape).toEqual([runs, centers.rows, x.cols]);
  const host: Host = {
    labels: (await out.labels.data()) as Int32Array,
    distances: (await out.distances.data()) as Float32Array,
    runs,
    counts: addRuns(await out.counts.data(), runs),
    sums: addRuns(await out.sums.data(), runs),
  };
  tf.dispose([xt, ct, ...(wt ? [wt] : []), out.labels, out.distances, out.counts, out.sums]);
  return host;
}

/**
 * Labels exactly as the reference (inputs with clear margins only); distances within the float32
 * rounding bound of the expansion; counts exact without weights; sums within (m + 2)·u of the
 * summed magnitudes, m the rows one run adds in float32 (see clusterSums.test.ts).
 */
function checkAgainstReference(got: Host, x: Matrix, centers: Matrix, weights: ArrayLike<number> | null, runRows: number): void {
  const ref = lloydStepRef(x, centers, weights);
  const d = x.cols;
  expect(Array.from(got.labels), 'labels').toEqual(Array.from(ref.labels));
  const xx = sqNorms(x);
  const cc = sqNorms(centers);
  expectWithin(got.distances, ref.distances, (i) => sqDistBound(d, xx[i], cc[ref.labels[i]]), 'distances');
  const magSums = new Float64Array(centers.rows * d);
  const magCounts = new Float64Array(centers.rows);
  for (let i = 0; i < x.rows; i++) {
    const c = ref.labels[i];
    const w = weights ? weights[i] : 1;
    magCounts[c] += w;
    for (let j = 0; j < d; j++) magSums[c * d + j] += Math.abs(w * x.data[i * d + j]);
  }
  const slack = (Math.min(runRows, x.rows) + 2) * U32;
  if (weights) expectWithin(got.counts, ref.counts, (c) => slack * magCounts[c], 'counts');
  else expect(Array.from(got.counts), 'counts').toEqual(Array.from(ref.counts));
  expectWithin(got.sums, ref.sums, (i) => slack * magSums[i], 'sums');
}

describeEachBackend('lloydStep', (backend) => {
  it('lloydStep gives the hand-computed labels, distances, counts and sums', async () => {
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
    const got = await run(x, centers, null);
    expect(Array.from(got.labels)).toEqual([0, 0, 1, 1]);
    expect(Array.from(got.distances)).toEqual([0, 1, 0, 1]);
    expect(got.runs).toBe(1);
    expect(Array.from(got.counts)).toEqual([2, 2]);
    expect(Array.from(got.sums)).toEqual([0, 1, 20, 21]);
  });

  it('lloydStep weighs the sums and counts by the row weights', async () => {
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
    const got = await run(x, centers, [1, 2, 3, 4]);
    expect(Array.from(got.labels)).toEqual([0, 0, 1, 1]);
    expect(Array.from(got.counts)).toEqual([3, 7]);
    expect(Array.from(got.sums)).toEqual([0, 2, 70, 74]);
  });

  it('lloydStep equals assignNearest followed by clusterSums of its labels', async () => {
    const rng = new Random(41);
    const x = tensorOf(uniformMatrix(rng, 60, 5));
    const c = tensorOf(uniformMatrix(rng, 4, 5));
    const w = tf.tensor1d(Float32Array.from({ length: 60 }, () => rng.next()), 'float32');
    const step = lloydStep(x, c, w, { tileRows: 7, runRows: 11 });
    const a = assignNearest(x, c, { tileRows: 7 });
    const s = clusterSums(x, a.labels, 4, { weights: w, runRows: 11 });
    expect(Array.from(await step.labels.data())).toEqual(Array.from(await a.labels.data()));
    expect(Array.from(await step.distances.data())).toEqual(Array.from(await a.distances.data()));
    expect(Array.from(await step.counts.data())).toEqual(Array.from(await s.counts.data()));
    expect(Array.from(await step.sums.data())).toEqual(Array.from(await s.sums.data()));
    tf.dispose([x, c, w, step.labels, step.distances, step.counts, step.sums, a.labels, a.distances, s.counts, s.sums]);
  });

  it('lloydStep matches the Float64 reference with tileRows 7 and runRows 11 on n = 50, d from 1 to 300', async () => {
    const rng = new Random(42);
    for (const d of [1, 4, 33, 300]) {
      const { x, centers } = blobs(rng, 50, d, 3);
      const weights = Float32Array.from({ length: 50 }, () => 0.25 + rng.next());
      for (const w of [null, weights]) {
        const o = { tileRows: 7, runRows: 11 };
        const got = await run(x, centers, w, o);
        expect(got.runs, 'ceil(50 / 11) run partials').toBe(5);
        checkAgainstReference(got, x, centers, w, 11);
      }
    }
  });

  it('lloydStep with k = 1 puts every row in the one cluster', async () => {
    const rng = new Random(43);
    const x = uniformMatrix(rng, 30, 3);
    const centers = uniformMatrix(rng, 1, 3);
    const got = await run(x, centers, null, { tileRows: 7, runRows: 7 });
    expect(Array.from(got.labels)).toEqual(new Array(30).fill(0));
    expect(Array.from(got.counts)).toEqual([30]);
    checkAgainstReference(got, x, centers, null, 7);
  });

  it('lloydStep gives count 0 to a center no row is nearest to', async () => {
    const rng = new Random(44);
    const { x, centers: near } = blobs(rng, 40, 3, 2);
    const centers = matrixOf([
      Array.from(near.data.subarray(0, 3)),
      [100, 100, 100],
      Array.from(near.data.subarray(3, 6)),
    ]);
    const got = await run(x, centers, null, { runRows: 16 });
    expect(Array.from(got.counts)).toEqual([20, 0, 20]);
    expect(Array.from(got.sums.subarray(3, 6))).toEqual([0, 0, 0]);
    checkAgainstReference(got, x, centers, null, 16);
  });

  it('lloydStep (portable) runs the implementations registered for assignNearest and clusterSums on this backend', async (ctx) => {
    const calls: string[] = [];
    const name = backend as BackendName;
    if (assignNearest.implementationFor() !== 'portable' || clusterSums.implementationFor() !== 'portable') {
      ctx.skip('assignNearest or clusterSums already has an implementation for this backend; not replacing it');
    }
    assignNearest.register(name, (...args) => {
      calls.push('assignNearest');
      return assignNearest.portable(...args);
    });
    clusterSums.register(name, (...args) => {
      calls.push('clusterSums');
      return clusterSums.portable(...args);
    });
    try {
      const x = matrixOf([
        [0, 0],
        [1, 1],
      ]);
      const xt = tensorOf(x);
      const ct = tensorOf(matrixOf([[0, 0]]));
      const out = lloydStep.portable(xt, ct, null);
      expect(Array.from(await out.labels.data())).toEqual([0, 0]);
      expect(calls).toEqual(['assignNearest', 'clusterSums']);
      tf.dispose([xt, ct, out.labels, out.distances, out.counts, out.sums]);
    } finally {
      assignNearest.unregister(name);
      clusterSums.unregister(name);
    }
    expect(assignNearest.implementationFor()).toBe('portable');
    expect(clusterSums.implementationFor()).toBe('portable');
  });
});
