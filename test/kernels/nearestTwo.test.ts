// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { nearestTwo } from '../../src/kernels/nearestTwo/index.js';
import { NOISE } from '../../src/kernels/pairwiseSqDist/index.js';
import type { Matrix } from '../../src/matrix.js';
import { Random } from '../../src/random.js';
import { describeEachBackend, it } from '../helpers/backends.js';
import { matrixOf, nearestTwoRef, sqDistRef } from '../helpers/reference.js';
import { blobs, expectWithin, sqDistBound, sqNorms, tensorOf, uniformMatrix, upload } from './support.js';

interface Host {
  /** [n * 2]: nearest, second-nearest. */
  indices: Int32Array;
  distances: Float32Array;
}

/** Uploads `x` in row blocks, runs nearestTwo on each, reads back in row order, disposes all. */
async function run(x: Matrix, centers: Matrix, rowsPerBlock?: number): Promise<Host> {
  const up = upload(x, { floatsPerRow: 3 * centers.rows + x.cols, rowsPerBlock });
  const ct = tensorOf(centers);
  const host: Host = { indices: new Int32Array(2 * x.rows), distances: new Float32Array(2 * x.rows) };
  try {
    for (const b of up.blocks) {
      const out = nearestTwo(b.x, ct);
      try {
        expect(out.indices.shape).toEqual([b.x.shape[0], 2]);
        expect(out.distances.shape).toEqual([b.x.shape[0], 2]);
        expect(out.indices.dtype).toBe('int32');
        expect(out.distances.dtype).toBe('float32');
        host.indices.set(await out.indices.data(), 2 * b.start);
        host.distances.set(await out.distances.data(), 2 * b.start);
      } finally {
        tf.dispose([out.indices, out.distances]);
      }
    }
  } finally {
    up.dispose();
    ct.dispose();
  }
  // −0 (a negated 0) and +0 are the same distance; make them one value for exact comparisons.
  for (let i = 0; i < host.distances.length; i++) host.distances[i] += 0;
  return host;
}

/**
 * Error bound of one squared distance from pairwiseSqDist: the float32 rounding of the expansion,
 * or NOISE·(‖x‖² + ‖c‖²) where the kernel rounds a value that small to 0 on purpose.
 */
function tolerance(d: number, xx: number, cc: number): number {
  return Math.max(sqDistBound(d, xx, cc), NOISE * (xx + cc));
}

/**
 * Checks against the Float64 reference. With `exact`, the indices equal the reference's (inputs
 * with clear margins only). Otherwise each is a valid answer up to float32 rounding: two
 * different centers, the first no farther than the reference's nearest and the second no
 * farther than its second-nearest, by more than the rounding bounds of the two distances
 * compared. Distances: sorted, and each within its bound of the exact distance to the center
 * returned.
 */
function checkAgainstReference(got: Host, x: Matrix, centers: Matrix, exact: boolean, what: string): void {
  const ref = nearestTwoRef(x, centers);
  const xx = sqNorms(x);
  const cc = sqNorms(centers);
  const d = x.cols;
  const k = centers.rows;
  if (exact) expect(Array.from(got.indices), `${what}: indices`).toEqual(Array.from(ref.indices));
  for (let i = 0; i < x.rows; i++) {
    const [a, b] = [got.indices[2 * i], got.indices[2 * i + 1]];
    if (!(a >= 0 && a < k && b >= 0 && b < k && a !== b)) expect.fail(`${what}: row ${i} got centers ${a} and ${b}`);
    if (!(got.distances[2 * i] <= got.distances[2 * i + 1])) {
      expect.fail(`${what}: row ${i} distances ${got.distances[2 * i]}, ${got.distances[2 * i + 1]} are not in order`);
    }
    for (const slot of [0, 1]) {
      const mine = got.indices[2 * i + slot];
      const theirs = ref.indices[2 * i + slot];
      const gap = sqDistRef(x, i, centers, mine) - ref.distances[2 * i + slot];
      const slack = tolerance(d, xx[i], cc[mine]) + tolerance(d, xx[i], cc[theirs]);
      if (!(gap <= slack)) expect.fail(`${what}: row ${i} slot ${slot} got center ${mine}, ${gap} farther than ${theirs} (more than ${slack})`);
    }
  }
  const exactToGot = Float64Array.from(got.indices, (c, j) => sqDistRef(x, Math.floor(j / 2), centers, c));
  expectWithin(got.distances, exactToGot, (j) => tolerance(d, xx[Math.floor(j / 2)], cc[got.indices[j]]), `${what}: distances`);
}

describeEachBackend('nearestTwo', () => {
  it('nearestTwo gives the hand-computed nearest and second-nearest centers and distances', async () => {
    const x = matrixOf([
      [0, 0],
      [4, 0],
      [10, 10],
    ]);
    const centers = matrixOf([
      [0, 0],
      [5, 0],
      [0, 5],
    ]);
    const got = await run(x, centers);
    // (0,0): 0 to c0, 25 to both c1 and c2 (c1 wins); (4,0): 1 to c1, 16 to c0, 41 to c2;
    // (10,10): 125 to both c1 and c2, 200 to c0.
    expect(Array.from(got.indices)).toEqual([0, 1, 1, 0, 1, 2]);
    expect(Array.from(got.distances)).toEqual([0, 25, 1, 16, 125, 125]);
  });

  it('nearestTwo takes the lowest indices first on ties', async () => {
    // Small integers and halves: the tied float32 distances are exactly equal on the device.
    const x = matrixOf([
      [0, 0], // 1 from all four centers
      [1, 1], // 1 from all four
      [0.5, 0.5], // 0.5 from all four
      [2, 0], // 1 from centers 0 and 2, 5 from 1 and 3
      [0, 2], // 1 from centers 1 and 3, 5 from 0 and 2
      [3, 0], // 4 from centers 0 and 2
    ]);
    const centers = matrixOf([
      [1, 0],
      [0, 1],
      [1, 0],
      [0, 1],
    ]);
    const got = await run(x, centers);
    expect(Array.from(got.indices)).toEqual([0, 1, 0, 1, 0, 1, 0, 2, 1, 3, 0, 2]);
    expect(Array.from(got.distances)).toEqual([1, 1, 1, 1, 0.5, 0.5, 1, 1, 1, 1, 4, 4]);
    const ref = nearestTwoRef(x, centers);
    expect(Array.from(got.indices)).toEqual(Array.from(ref.indices));
  });

  it('nearestTwo gives centers 0 and 1 among up to 300 identical centers, in every block', async () => {
    const rng = new Random(61);
    const x = uniformMatrix(rng, 40, 3);
    for (const k of [2, 7, 300]) {
      const centers = matrixOf(Array.from({ length: k }, () => [0.25, -0.5, 1]));
      for (const rowsPerBlock of [undefined, 7]) {
        const got = await run(x, centers, rowsPerBlock);
        const what = `k=${k}, rowsPerBlock=${rowsPerBlock}`;
        expect(Array.from(got.indices), what).toEqual(Array.from({ length: 80 }, (_, j) => j % 2));
        for (let i = 0; i < 40; i++) expect(got.distances[2 * i + 1], `${what}: row ${i}`).toBe(got.distances[2 * i]);
      }
    }
  });

  it('nearestTwo gives distance exactly 0 to a center equal to the row, far from the origin', async () => {
    // Non-integer values in [3, 5): the expansion alone would leave float32 noise of either sign.
    const rng = new Random(62);
    const x = uniformMatrix(rng, 30, 7, 3, 5);
    const centers: Matrix = { data: x.data.slice(0, 5 * 7), rows: 5, cols: 7 };
    const got = await run(x, centers);
    for (let i = 0; i < 5; i++) {
      expect(got.indices[2 * i], `row ${i}`).toBe(i);
      expect(got.distances[2 * i], `row ${i}`).toBe(0);
    }
    checkAgainstReference(got, x, centers, false, 'rows as centers');
  });

  it('nearestTwo with a duplicated center gives both copies, the lower index first', async () => {
    const centers = matrixOf([
      [5, 5],
      [0.1, 0.2],
      [-3, 1],
      [0.1, 0.2],
    ]);
    const x = matrixOf([
      [0.1, 0.2],
      [0.3, 0.1],
      [-2, 1],
    ]);
    const got = await run(x, centers);
    expect(Array.from(got.indices)).toEqual([1, 3, 1, 3, 2, 1]);
    expect(got.distances[0]).toBe(0);
    expect(got.distances[1]).toBe(0);
    expect(got.distances[3]).toBe(got.distances[2]);
    checkAgainstReference(got, x, centers, false, 'duplicated center');
  });

  it('nearestTwo with k = 2 returns both centers, nearest first', async () => {
    const rng = new Random(63);
    const x = uniformMatrix(rng, 50, 4);
    const centers = uniformMatrix(rng, 2, 4);
    const got = await run(x, centers, 7);
    for (let i = 0; i < 50; i++) expect([got.indices[2 * i], got.indices[2 * i + 1]].sort()).toEqual([0, 1]);
    checkAgainstReference(got, x, centers, false, 'k=2');
  });

  it('nearestTwo matches the reference on well-separated blobs, d from 1 to 300', async () => {
    const rng = new Random(64);
    for (const d of [1, 2, 3, 8, 17, 64, 300]) {
      const k = d === 1 ? 3 : 5;
      const { x, centers, truth } = blobs(rng, 60, d, k);
      const got = await run(x, centers, 13);
      expect(
        Array.from({ length: 60 }, (_, i) => got.indices[2 * i]),
        `d=${d}: every row's own blob first`,
      ).toEqual(Array.from(truth));
      checkAgainstReference(got, x, centers, false, `d=${d}`);
    }
  });

  it('nearestTwo matches the reference on uniform data in row blocks, near-ties allowed within float32 rounding', async () => {
    const rng = new Random(65);
    for (const [n, d, k, rowsPerBlock] of [
      [200, 2, 16, 7],
      [300, 10, 9, 256],
      [513, 3, 5, 300],
      [80, 300, 4, undefined],
    ] as Array<[number, number, number, number | undefined]>) {
      const x = uniformMatrix(rng, n, d);
      const centers = uniformMatrix(rng, k, d);
      checkAgainstReference(await run(x, centers, rowsPerBlock), x, centers, false, `n=${n} d=${d} k=${k}`);
    }
  });

  it('nearestTwo of one huge cluster: every row the same nearest center, a far one second', async () => {
    const rng = new Random(66);
    const n = 1000;
    const x = uniformMatrix(rng, n, 3, -0.1, 0.1);
    const centers = matrixOf([
      [50, 50, 50],
      [0, 0, 0],
      [-50, -50, -60],
    ]);
    const got = await run(x, centers, 64);
    // c0 is ≈ 7500 away, c2 ≈ 8600: far from a tie at every row.
    expect(Array.from(got.indices)).toEqual(Array.from({ length: 2 * n }, (_, j) => (j % 2 === 0 ? 1 : 0)));
    checkAgainstReference(got, x, centers, true, 'one huge cluster');
  });

  it('nearestTwo refuses k = 1: there is no second center', () => {
    const x = tf.tensor2d([1, 2], [1, 2]);
    const c = tf.tensor2d([0, 0], [1, 2]);
    try {
      expect(() => nearestTwo(x, c)).toThrow();
    } finally {
      tf.dispose([x, c]);
    }
  });
});
