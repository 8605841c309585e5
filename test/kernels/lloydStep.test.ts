// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import type { BackendName } from '../../src/backend/backend.js';
import { assignNearest } from '../../src/kernels/assignNearest/index.js';
import { clusterSums } from '../../src/kernels/clusterSums/index.js';
import { lloydStep } from '../../src/kernels/lloydStep/index.js';
import { REDUCTION_RUN } from '../../src/kernels/shared/tiling.js';
import type { Matrix } from '../../src/matrix.js';
import { Random } from '../../src/random.js';
import { describeEachBackend, it } from '../helpers/backends.js';
import { lloydStepRef, matrixOf } from '../helpers/reference.js';
import { U32, blobs, expectWithin, runsOf, sqDistBound, sqNorms, tensorOf, uniformMatrix, runLloydBlocks, type LloydBlocksResult } from './support.js';

type Host = LloydBlocksResult;

/** Runs lloydStep (whatever is registered) over `x` in row blocks; the portable step cuts one partial per run of rows. */
const run = (x: Matrix, centers: Matrix, weights: ArrayLike<number> | null, rowsPerBlock?: number): Promise<Host> =>
  runLloydBlocks(lloydStep, x, centers, weights, rowsPerBlock, lloydStep.implementationFor() === 'portable' ? runsOf : undefined);

/**
 * Labels exactly as the reference (inputs with clear margins only); distances within the float32
 * rounding bound of the expansion; counts exact without weights; sums within (m + 2)·u of the
 * summed magnitudes, m the rows one run adds in float32 (at most REDUCTION_RUN; see clusterSums.test.ts).
 */
function checkAgainstReference(got: Host, x: Matrix, centers: Matrix, weights: ArrayLike<number> | null): void {
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
  const slack = (Math.min(REDUCTION_RUN, Math.max(...got.blockRows)) + 2) * U32;
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
    expect(got.blockRows).toEqual([4]);
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

  it('lloydStep (portable) equals assignNearest followed by clusterSums of its labels, on a ragged block of 300 rows', async () => {
    // 300 rows: clusterSums splits the block by a slice (256 + 44), weights too.
    const rng = new Random(41);
    const x = tensorOf(uniformMatrix(rng, 300, 5));
    const c = tensorOf(uniformMatrix(rng, 4, 5));
    const w = tf.tensor1d(Float32Array.from({ length: 300 }, () => rng.next()), 'float32');
    const step = lloydStep.portable(x, c, w);
    const a = assignNearest(x, c);
    const s = clusterSums(x, a.labels, 4, { weights: w });
    expect(step.counts.shape).toEqual([2, 4]);
    expect(Array.from(await step.labels.data())).toEqual(Array.from(await a.labels.data()));
    expect(Array.from(await step.distances.data())).toEqual(Array.from(await a.distances.data()));
    expect(Array.from(await step.counts.data())).toEqual(Array.from(await s.counts.data()));
    expect(Array.from(await step.sums.data())).toEqual(Array.from(await s.sums.data()));
    tf.dispose([x, c, w, step.labels, step.distances, step.counts, step.sums, a.labels, a.distances, s.counts, s.sums]);
  });

  // On webgpu lloydStep is the WGSL kernel, whose d sweep against the same reference is in
  // test/kernels/webgpu/lloydStep.webgpu.test.ts (d = 1, 2, 3, 5, 16, 33, 299, 300; blocks of 1
  // to 512 rows): here it keeps d = 1 and 300 in blocks of 7 rows, as every new block shape costs
  // shader compiles on SwiftShader.
  it('lloydStep matches the Float64 reference in blocks of 7 rows on n = 50, d from 1 to 300', async () => {
    const rng = new Random(42);
    for (const d of backend === 'webgpu' ? [1, 300] : [1, 4, 33, 300]) {
      const { x, centers } = blobs(rng, 50, d, 3);
      const weights = Float32Array.from({ length: 50 }, () => 0.25 + rng.next());
      for (const w of [null, weights]) {
        const got = await run(x, centers, w, 7);
        expect(got.blockRows, 'blocks of 7 rows, the last of 1').toEqual([7, 7, 7, 7, 7, 7, 7, 1]);
        checkAgainstReference(got, x, centers, w);
      }
    }
  });

  it('lloydStep matches the Float64 reference on blocks of whole and ragged runs (n = 513, 600, 777)', async () => {
    const rng = new Random(45);
    for (const [n, rowsPerBlock] of [
      [513, 513], // one ragged block: 256 + 256 + 1
      [600, 256], // 256, 256, 88
      [777, 300], // ragged 300, 300, 177
    ]) {
      const { x, centers } = blobs(rng, n, 6, 5);
      const weights = Float32Array.from({ length: n }, () => 0.25 + rng.next());
      for (const w of [null, weights]) checkAgainstReference(await run(x, centers, w, rowsPerBlock), x, centers, w);
    }
  });

  it('lloydStep with k = 1 puts every row in the one cluster', async () => {
    const rng = new Random(43);
    const x = uniformMatrix(rng, 30, 3);
    const centers = uniformMatrix(rng, 1, 3);
    const got = await run(x, centers, null, 7);
    expect(Array.from(got.labels)).toEqual(new Array(30).fill(0));
    expect(Array.from(got.counts)).toEqual([30]);
    checkAgainstReference(got, x, centers, null);
  });

  it('lloydStep gives count 0 to a center no row is nearest to', async () => {
    const rng = new Random(44);
    const { x, centers: near } = blobs(rng, 40, 3, 2);
    const centers = matrixOf([
      Array.from(near.data.subarray(0, 3)),
      [100, 100, 100],
      Array.from(near.data.subarray(3, 6)),
    ]);
    const got = await run(x, centers, null, 16);
    expect(Array.from(got.counts)).toEqual([20, 0, 20]);
    expect(Array.from(got.sums.subarray(3, 6))).toEqual([0, 0, 0]);
    checkAgainstReference(got, x, centers, null);
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
