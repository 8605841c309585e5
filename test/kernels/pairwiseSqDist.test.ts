// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { NOISE, pairwiseSqDist } from '../../src/kernels/pairwiseSqDist/index.js';
import type { Matrix } from '../../src/matrix.js';
import { Random } from '../../src/random.js';
import { describeEachBackend, it } from '../helpers/backends.js';
import { matrixOf, pairwiseSqDistRef } from '../helpers/reference.js';
import { blobs, expectWithin, sqDistBound, sqNorms, tensorOf, uniformMatrix } from './support.js';

/**
 * How far the kernel may be from the exact squared distance: the float32 rounding of the
 * expansion (sqDistBound), or NOISE·(‖x‖² + ‖c‖²) where the kernel rounds a value that small to 0
 * on purpose, whichever is larger.
 */
function tolerance(d: number, xx: number, cc: number): number {
  return Math.max(sqDistBound(d, xx, cc), NOISE * (xx + cc));
}

/** Runs the kernel on host matrices and checks it against the reference within that tolerance. */
async function checkAgainstReference(x: Matrix, c: Matrix, what: string): Promise<void> {
  const xt = tensorOf(x);
  const ct = tensorOf(c);
  const out = pairwiseSqDist(xt, ct);
  expect(out.shape).toEqual([x.rows, c.rows]);
  expect(out.dtype).toBe('float32');
  const got = await out.data();
  tf.dispose([xt, ct, out]);
  const ref = pairwiseSqDistRef(x, c).data;
  const xx = sqNorms(x);
  const cc = sqNorms(c);
  const k = c.rows;
  expectWithin(got, ref, (i) => tolerance(x.cols, xx[Math.floor(i / k)], cc[i % k]), what);
  for (let i = 0; i < got.length; i++) if (!(got[i] >= 0)) expect.fail(`${what}: entry ${i} is ${got[i]}, not ≥ 0`);
}

describeEachBackend('pairwiseSqDist', () => {
  it('pairwiseSqDist gives the hand-computed squared distances', async () => {
    const x = tf.tensor2d([0, 0, 1, 2], [2, 2]);
    const c = tf.tensor2d([0, 0, 3, 4, 1, 2], [3, 2]);
    const out = pairwiseSqDist(x, c);
    // (1,2)−(3,4) = (−2,−2): 8; (0,0)−(3,4): 25; (0,0)−(1,2): 5. Small integers are exact in float32.
    expect(Array.from(await out.data())).toEqual([0, 25, 5, 5, 8, 0]);
    tf.dispose([x, c, out]);
  });

  it('pairwiseSqDist of one column is the squared difference', async () => {
    const x = tf.tensor2d([-3, 0.5, 7], [3, 1]);
    const c = tf.tensor2d([1, -2], [2, 1]);
    const out = pairwiseSqDist(x, c);
    expect(Array.from(await out.data())).toEqual([16, 1, 0.25, 6.25, 36, 81]);
    tf.dispose([x, c, out]);
  });

  it('pairwiseSqDist matches the Float64 reference for d from 1 to 300', async () => {
    const rng = new Random(1);
    for (const d of [1, 2, 3, 5, 16, 33, 64, 300]) {
      await checkAgainstReference(uniformMatrix(rng, 37, d), uniformMatrix(rng, 5, d), `d=${d}`);
    }
  });

  it('pairwiseSqDist matches the reference with k = 1 and with one row', async () => {
    const rng = new Random(2);
    await checkAgainstReference(uniformMatrix(rng, 50, 4), uniformMatrix(rng, 1, 4), 'k=1');
    await checkAgainstReference(uniformMatrix(rng, 1, 4), uniformMatrix(rng, 9, 4), 'm=1');
  });

  it('pairwiseSqDist matches the reference on blobs, away from the origin', async () => {
    const rng = new Random(3);
    const { x, centers } = blobs(rng, 200, 8, 6);
    await checkAgainstReference(x, centers, 'blobs');
  });

  it('pairwiseSqDist gives exactly 0 between a row and itself, never a negative value', async () => {
    // Non-integer values far from the origin make ‖x‖² − 2x·x + ‖x‖² round to a small value of
    // either sign; the kernel must return 0 there (d ≤ 16: within NOISE of its TSDoc).
    const rng = new Random(4);
    const x = uniformMatrix(rng, 64, 13, 3, 5);
    await checkAgainstReference(x, x, 'x against itself');
    const xt = tensorOf(x);
    const out = pairwiseSqDist(xt, xt);
    const got = await out.data();
    tf.dispose([xt, out]);
    for (let i = 0; i < x.rows; i++) expect(got[i * x.rows + i], `row ${i} to itself`).toBe(0);
  });

  it('pairwiseSqDist gives duplicate rows the same distances, exactly 0 to their copy', async () => {
    const x = matrixOf([
      [0.1, 0.2, 0.3],
      [1.5, -2.5, 0.25],
      [0.1, 0.2, 0.3],
      [0.1, 0.2, 0.3],
    ]);
    const c = matrixOf([
      [0.1, 0.2, 0.3],
      [1, 1, 1],
    ]);
    await checkAgainstReference(x, c, 'duplicates');
    await checkAgainstReference(c, x, 'duplicate centers');
    const xt = tensorOf(x);
    const ct = tensorOf(c);
    const out = pairwiseSqDist(xt, ct);
    const got = Array.from(await out.data());
    tf.dispose([xt, ct, out]);
    // Rows 0, 2, 3 equal center 0: exactly 0 there, and the three rows agree bit for bit.
    expect([got[0], got[4], got[6]]).toEqual([0, 0, 0]);
    expect(got[5]).toBe(got[1]);
    expect(got[7]).toBe(got[1]);
  });

  it('pairwiseSqDist rounds a distance up to NOISE·(‖x‖² + ‖c‖²) to 0 and keeps one above it', async () => {
    // x = 1000 against c = 1000, 1001, 1002: norms ≈ 2·10^6, so the cut is ≈ 2: 0 and 1 are
    // rounded to 0, 4 stays. Integers below 2^24 keep every step exact in float32.
    const x = tf.tensor2d([1000], [1, 1]);
    const c = tf.tensor2d([1000, 1001, 1002], [3, 1]);
    const out = pairwiseSqDist(x, c);
    expect(NOISE * (1000 ** 2 + 1001 ** 2)).toBeGreaterThan(1);
    expect(NOISE * (1000 ** 2 + 1002 ** 2)).toBeLessThan(4);
    expect(Array.from(await out.data())).toEqual([0, 0, 4]);
    tf.dispose([x, c, out]);
  });

  it('pairwiseSqDist of swapped arguments is the transpose', async () => {
    const rng = new Random(5);
    const a = uniformMatrix(rng, 11, 6);
    const b = uniformMatrix(rng, 4, 6);
    const at = tensorOf(a);
    const bt = tensorOf(b);
    const ab = pairwiseSqDist(at, bt);
    const ba = pairwiseSqDist(bt, at);
    const baT = tf.transpose(ba);
    const got = await ab.data();
    const xx = sqNorms(a);
    const cc = sqNorms(b);
    // Both are within sqDistBound of the same exact value, so within twice it of each other.
    expectWithin(got, await baT.data(), (i) => 2 * tolerance(6, xx[Math.floor(i / 4)], cc[i % 4]), 'ab vs baᵀ');
    tf.dispose([at, bt, ab, ba, baT]);
  });
});
