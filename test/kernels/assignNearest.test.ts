// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { assignNearest } from '../../src/kernels/assignNearest/index.js';
import { ranges } from '../../src/kernels/shared/tiling.js';
import type { Matrix } from '../../src/matrix.js';
import { Random } from '../../src/random.js';
import { describeEachBackend, it } from '../helpers/backends.js';
import { assignNearestRef, matrixOf, sqDistRef } from '../helpers/reference.js';
import { blobs, expectWithin, pickRows, sqDistBound, sqNorms, tensorOf, uniformMatrix, upload } from './support.js';

interface Host {
  labels: Int32Array;
  distances: Float32Array;
}

/**
 * Uploads `x` with uploadRows (in blocks of `rowsPerBlock` rows when given), runs assignNearest
 * on every block, puts the results back in row order and disposes every tensor.
 */
async function run(x: Matrix, centers: Matrix, rowsPerBlock?: number): Promise<Host> {
  const up = upload(x, { floatsPerRow: 3 * centers.rows + x.cols, rowsPerBlock });
  const ct = tensorOf(centers);
  const host: Host = { labels: new Int32Array(x.rows), distances: new Float32Array(x.rows) };
  try {
    for (const b of up.blocks) {
      const t = b.x.shape[0];
      const out = assignNearest(b.x, ct);
      try {
        expect(out.labels.shape).toEqual([t]);
        expect(out.distances.shape).toEqual([t]);
        expect(out.labels.dtype).toBe('int32');
        expect(out.distances.dtype).toBe('float32');
        host.labels.set(await out.labels.data(), b.start);
        host.distances.set(await out.distances.data(), b.start);
      } finally {
        tf.dispose([out.labels, out.distances]);
      }
    }
  } finally {
    up.dispose();
    ct.dispose();
  }
  return host;
}

/**
 * Checks a result against the Float64 reference. Distances: within sqDistBound (the float32
 * rounding of ‖x‖² + (‖c‖² − 2x·c)). Labels: equal to the reference's, or, where `exact` is
 * false, a center whose exact distance is within the two centers' rounding bounds of the
 * nearest one (a tie to float32 precision, where either answer is right).
 */
function checkAgainstReference(got: Host, x: Matrix, centers: Matrix, exact: boolean, what: string): void {
  const ref = assignNearestRef(x, centers);
  const xx = sqNorms(x);
  const cc = sqNorms(centers);
  const d = x.cols;
  if (exact) {
    expect(Array.from(got.labels), `${what}: labels`).toEqual(Array.from(ref.labels));
  } else {
    for (let i = 0; i < x.rows; i++) {
      const l = got.labels[i];
      const r = ref.labels[i];
      if (l === r) continue;
      const gap = sqDistRef(x, i, centers, l) - ref.distances[i];
      const slack = sqDistBound(d, xx[i], cc[l]) + sqDistBound(d, xx[i], cc[r]);
      if (!(l >= 0 && l < centers.rows && gap <= slack)) {
        expect.fail(`${what}: row ${i} got center ${l}, nearest is ${r}, which is ${gap} closer (more than ${slack})`);
      }
    }
  }
  const exactToGot = Float64Array.from(got.labels, (l, i) => sqDistRef(x, i, centers, l));
  expectWithin(got.distances, exactToGot, (i) => sqDistBound(d, xx[i], cc[got.labels[i]]), `${what}: distances`);
}

describeEachBackend('assignNearest', (backend) => {
  it('assignNearest gives the hand-computed labels and squared distances', async () => {
    const x = matrixOf([
      [0, 0],
      [4, 0],
      [0, 3],
      [10, 10],
    ]);
    const centers = matrixOf([
      [0, 0],
      [5, 0],
      [0, 5],
    ]);
    const got = await run(x, centers);
    // (4,0): 1 from (5,0); (0,3): 4 from (0,5); (10,10): 125 from both (5,0) and (0,5), index 1 wins.
    expect(Array.from(got.labels)).toEqual([0, 1, 2, 1]);
    expect(Array.from(got.distances)).toEqual([0, 1, 4, 125]);
  });

  it('assignNearest gives the lowest index on ties', async () => {
    // Every row is exactly as far from two or more centers; small integers and halves make the
    // float32 values of ‖c‖² − 2x·c exactly equal, so the tie is real on the device too.
    const x = matrixOf([
      [0, 0], // 1 from all four centers
      [1, 1], // 1 from all four
      [0.5, 0.5], // 0.5 from all four
      [2, 0], // 1 from centers 0 and 2 (equal), 5 from 1 and 3
      [0, 2], // 1 from centers 1 and 3
    ]);
    const centers = matrixOf([
      [1, 0],
      [0, 1],
      [1, 0],
      [0, 1],
    ]);
    const got = await run(x, centers);
    expect(Array.from(got.labels)).toEqual([0, 0, 0, 0, 1]);
    expect(Array.from(got.distances)).toEqual([1, 1, 0.5, 1, 1]);
  });

  it('assignNearest gives the lowest index on ties among up to 300 identical centers', async () => {
    const rng = new Random(21);
    const x = uniformMatrix(rng, 40, 3);
    for (const k of [2, 7, 300]) {
      const centers = matrixOf(Array.from({ length: k }, () => [0.25, -0.5, 1]));
      // One block and blocks of 7 rows: the tie rule must hold in every block.
      for (const rowsPerBlock of [undefined, 7]) {
        const got = await run(x, centers, rowsPerBlock);
        expect(Array.from(got.labels), `k=${k}, rowsPerBlock=${rowsPerBlock}`).toEqual(new Array(40).fill(0));
      }
    }
  });

  it('assignNearest prefers the lower index even when the tied center comes after a farther one', async () => {
    const x = matrixOf([[0, 0]]);
    const centers = matrixOf([
      [9, 9],
      [0, 3],
      [3, 0],
      [0, -3],
    ]);
    const got = await run(x, centers);
    expect(Array.from(got.labels)).toEqual([1]);
    expect(Array.from(got.distances)).toEqual([9]);
  });

  it('assignNearest matches the reference exactly on well-separated blobs, d from 1 to 300', async () => {
    const rng = new Random(22);
    for (const d of [1, 2, 3, 8, 17, 64, 300]) {
      const k = d === 1 ? 3 : 5;
      const { x, centers, truth } = blobs(rng, 60, d, k);
      const got = await run(x, centers);
      expect(Array.from(got.labels), `d=${d}: every row's own blob`).toEqual(Array.from(truth));
      checkAgainstReference(got, x, centers, true, `d=${d}`);
    }
  });

  it('assignNearest matches the reference on uniform data, near-ties allowed within float32 rounding', async () => {
    const rng = new Random(23);
    for (const [n, d, k] of [
      [200, 2, 16],
      [150, 10, 9],
      [80, 300, 4],
    ]) {
      const x = uniformMatrix(rng, n, d);
      const centers = uniformMatrix(rng, k, d);
      checkAgainstReference(await run(x, centers), x, centers, false, `n=${n} d=${d} k=${k}`);
    }
  });

  it('assignNearest gives the same answer in blocks of 7, 1, 49, 256 and 300 rows (n = 50 and 600)', async () => {
    const rng = new Random(24);
    for (const n of [50, 600]) {
      const { x, centers, truth } = blobs(rng, n, 6, 4);
      for (const rowsPerBlock of n === 50 ? [7, 1, 49, 50, 1000] : [256, 300, 599]) {
        const got = await run(x, centers, rowsPerBlock);
        expect(Array.from(got.labels), `n=${n} rowsPerBlock=${rowsPerBlock}`).toEqual(Array.from(truth));
        checkAgainstReference(got, x, centers, true, `n=${n} rowsPerBlock=${rowsPerBlock}`);
      }
    }
  });

  it('assignNearest on one block tensor [t, d] gives [t] labels and distances', async () => {
    const x = tf.tensor2d([0, 0, 9, 9, 1, 0], [3, 2]);
    const c = tf.tensor2d([10, 10, 0, 0], [2, 2]);
    const out = assignNearest(x, c);
    expect(Array.from(await out.labels.data())).toEqual([1, 0, 1]);
    expect(Array.from(await out.distances.data())).toEqual([0, 2, 1]);
    tf.dispose([x, c, out.labels, out.distances]);
  });

  it('assignNearest with k = 1 puts every row in cluster 0 at its distance to the one center', async () => {
    const rng = new Random(25);
    const x = uniformMatrix(rng, 50, 5);
    const centers = uniformMatrix(rng, 1, 5);
    const got = await run(x, centers, 7);
    expect(Array.from(got.labels)).toEqual(new Array(50).fill(0));
    checkAgainstReference(got, x, centers, true, 'k=1');
  });

  it('assignNearest with k = n puts each distinct row at its own center, at distance 0', async () => {
    const rng = new Random(26);
    const { x } = blobs(rng, 12, 4, 12);
    const got = await run(x, x, 5);
    expect(Array.from(got.labels)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    checkAgainstReference(got, x, x, true, 'k=n');
  });

  it('assignNearest gives duplicate rows the same label and distance', async () => {
    const rng = new Random(27);
    const { x: base, centers } = blobs(rng, 5, 3, 3);
    const x: Matrix = { data: new Float32Array(40 * 3), rows: 40, cols: 3 };
    for (let i = 0; i < 40; i++) x.data.set(base.data.subarray((i % 5) * 3, (i % 5) * 3 + 3), i * 3);
    const got = await run(x, centers, 7);
    for (let i = 5; i < 40; i++) {
      expect(got.labels[i], `row ${i}`).toBe(got.labels[i % 5]);
      expect(got.distances[i], `row ${i}`).toBe(got.distances[i % 5]);
    }
    checkAgainstReference(got, x, centers, true, 'duplicates');
  });

  it('assignNearest handles one huge cluster and centers no row is near', async () => {
    const rng = new Random(28);
    const n = 1000;
    const x = uniformMatrix(rng, n, 3, -0.1, 0.1);
    x.data.set([5, 5, 5], (n - 1) * 3); // one row far away
    const centers = matrixOf([
      [-50, -50, -50],
      [0, 0, 0],
      [5, 5, 5],
      [50, 50, 50],
    ]);
    const got = await run(x, centers, 64);
    const expected = new Array(n).fill(1);
    expected[n - 1] = 2;
    expect(Array.from(got.labels)).toEqual(expected);
    checkAgainstReference(got, x, centers, true, 'one huge cluster');
  });

  it.skipIf(backend === 'webgpu')(
    'assignNearest on 10^6 rows × d = 4, k = 3 in row blocks matches the reference (webgpu skipped: SwiftShader is too slow for 10^6 rows)',
    async () => {
      const rng = new Random(29);
      const n = 1_000_000;
      const d = 4;
      const x = uniformMatrix(rng, n, d);
      const centers = uniformMatrix(rng, 3, d, -0.5, 0.5);
      // Blocks of 2^17 rows: 7 whole blocks and a last one of 82,496 rows (split 82,432 + 64).
      const got = await run(x, centers, 1 << 17);
      // Check a seeded sample of 20,000 rows (every row costs the same, so a sample loses nothing
      // in kind), plus the first and last rows of every block.
      const picks = Array.from(rng.sample(n, 20_000));
      for (const [s, e] of ranges(n, 1 << 17)) picks.push(s, e - 1);
      const sampled: Host = {
        labels: Int32Array.from(picks, (r) => got.labels[r]),
        distances: Float32Array.from(picks, (r) => got.distances[r]),
      };
      checkAgainstReference(sampled, pickRows(x, picks), centers, false, 'n=10^6');
    },
  );
});
