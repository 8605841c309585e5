// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { addRuns } from '../../src/kernels/clusterSums/index.js';
import { lloydStep } from '../../src/kernels/lloydStep/index.js';
import { lloydSums } from '../../src/kernels/lloydSums/index.js';
import { openHostLloydSession, openLloydSession } from '../../src/kernels/lloydSums/session.js';
import { assignNearest } from '../../src/kernels/assignNearest/index.js';
import type { Matrix } from '../../src/matrix.js';
import { Random } from '../../src/random.js';
import { describeEachBackend, it } from '../helpers/backends.js';
import { lloydStepRef } from '../helpers/reference.js';
import { blobs, tensorOf, upload } from './support.js';

/** Float64 totals over the blocks of one kernel's counts and sums. */
async function totals(
  kernel: (x: tf.Tensor2D, c: tf.Tensor2D, w: tf.Tensor1D | null) => { counts: tf.Tensor2D; sums: tf.Tensor3D },
  x: Matrix,
  centers: Matrix,
  weights: number[] | null,
  rowsPerBlock: number,
): Promise<{ counts: Float64Array; sums: Float64Array }> {
  const k = centers.rows;
  const up = upload(x, { rowsPerBlock, weights });
  const ct = tensorOf(centers);
  const counts = new Float64Array(k);
  const sums = new Float64Array(k * x.cols);
  try {
    for (let i = 0; i < up.blocks.length; i++) {
      const out = kernel(up.blocks[i].x, ct, up.weights[i]);
      addRuns(await out.counts.data(), out.counts.shape[0], counts);
      addRuns(await out.sums.data(), out.sums.shape[0], sums);
      tf.dispose(Object.values(out) as tf.Tensor[]);
    }
  } finally {
    ct.dispose();
    up.dispose();
  }
  return { counts, sums };
}

describeEachBackend('lloydSums', () => {
  it("gives exactly lloydStep's counts and sums, without labels or distances", async () => {
    const rng = new Random(11);
    for (const [n, d, k, rows] of [
      [1001, 3, 4, 300],
      [257, 17, 6, 1000],
      [64, 1, 2, 7],
    ] as const) {
      const { x, centers } = blobs(rng, n, d, k);
      const weights = Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 0 : 1 + (i % 3)));
      for (const w of [null, weights]) {
        const before = tf.memory().numTensors;
        const sums = await totals(lloydSums, x, centers, w, rows);
        const step = await totals(lloydStep, x, centers, w, rows);
        expect(tf.memory().numTensors).toBe(before);
        expect(Array.from(sums.counts)).toEqual(Array.from(step.counts));
        expect(Array.from(sums.sums)).toEqual(Array.from(step.sums));
        // And the Float64 reference (well separated blobs: the same assignment).
        const ref = lloydStepRef(x, centers, w);
        for (let c = 0; c < k; c++) expect(sums.counts[c]).toBeCloseTo(ref.counts[c], 3);
        for (let i = 0; i < ref.sums.length; i++) expect(Math.abs(sums.sums[i] - ref.sums[i])).toBeLessThanOrEqual(1e-4 * (1 + Math.abs(ref.sums[i])));
      }
    }
  });

  it('a Lloyd session gives, step after step, exactly the totals of lloydSums over the blocks, and assignNearest\'s labels and distances', async () => {
    const rng = new Random(12);
    const [n, d, k, rows] = [2003, 5, 4, 700];
    const { x } = blobs(rng, n, d, k);
    for (let i = 0; i < x.data.length; i++) x.data[i] += 2 * (rng.next() - 0.5); // overlapping: labels move for a while
    const weights = Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 0 : 0.5 + (i % 3)));
    for (const w of [null, weights]) {
      const before = tf.memory().numTensors;
      const up = upload(x, { rowsPerBlock: rows, weights: w });
      const session = await openLloydSession(up.blocks.map((b, i) => ({ start: b.start, x: b.x, weights: up.weights[i] })), k);
      try {
        let centers = Float32Array.from(x.data.subarray(0, k * d));
        for (let it = 0; it < 8; it++) {
          const got = await session.step(centers);
          const want = await totals(lloydSums, x, { data: centers, rows: k, cols: d }, w, rows);
          expect(Array.from(got.counts), `counts, iteration ${it}`).toEqual(Array.from(want.counts));
          expect(Array.from(got.sums), `sums, iteration ${it}`).toEqual(Array.from(want.sums));
          expect(got.groups).toBe(Math.ceil(700 / 4) * 2 + Math.ceil(603 / 4));
          expect(got.scanned).toBeLessThanOrEqual(got.groups);
          centers = Float32Array.from({ length: k * d }, (_, i) => (got.counts[Math.floor(i / d)] > 0 ? got.sums[i] / got.counts[Math.floor(i / d)] : centers[i]));
        }
        const assigned = await session.assign(centers, n);
        const ct = tf.tensor2d(centers, [k, d]);
        for (const b of up.blocks) {
          const a = assignNearest(b.x, ct);
          const t = b.x.shape[0];
          expect(Array.from(assigned.labels.subarray(b.start, b.start + t))).toEqual(Array.from(await a.labels.data()));
          expect(Array.from(assigned.distances.subarray(b.start, b.start + t))).toEqual(Array.from(await a.distances.data()));
          tf.dispose([a.labels, a.distances]);
        }
        ct.dispose();
      } finally {
        session.dispose();
        up.dispose();
      }
      expect(tf.memory().numTensors).toBe(before);
    }
  });

  it('a host session runs on our wasm module whatever the backend: the Float64 reference\'s totals, labels and distances, from the host rows', async () => {
    const rng = new Random(13);
    const [n, d, k, rows] = [503, 6, 3, 200];
    const { x, centers } = blobs(rng, n, d, k);
    const weights = Array.from({ length: n }, (_, i) => (i % 4 === 0 ? 0 : 1 + (i % 3)));
    for (const w of [null, weights]) {
      const up = upload(x, { rowsPerBlock: rows, weights: w });
      const hostX = Float32Array.from(x.data);
      const hostWeights = w === null ? undefined : Float32Array.from(w);
      const blocks = up.blocks.map((b, i) => {
        const t = b.x.shape[0];
        return { start: b.start, x: b.x, weights: up.weights[i], hostRows: hostX.subarray(b.start * d, (b.start + t) * d), hostWeights: hostWeights?.subarray(b.start, b.start + t) };
      });
      const session = await openHostLloydSession(blocks, k);
      try {
        const got = await session.step(Float32Array.from(centers.data));
        const ref = lloydStepRef(x, centers, w);
        // Well separated blobs: the same assignment as the reference, sums within float32 rounding.
        expect(Array.from(got.counts)).toEqual(Array.from(ref.counts));
        for (let i = 0; i < ref.sums.length; i++) expect(Math.abs(got.sums[i] - ref.sums[i])).toBeLessThanOrEqual(1e-4 * (1 + Math.abs(ref.sums[i])));
        const assigned = await session.assign(Float32Array.from(centers.data), n);
        expect(Array.from(assigned.labels)).toEqual(Array.from(ref.labels));
        assigned.distances.forEach((v, i) => expect(Math.abs(v - ref.distances[i]), `row ${i}`).toBeLessThanOrEqual(1e-5 * (1 + ref.distances[i])));
      } finally {
        session.dispose();
        up.dispose();
      }
    }
    const a = tf.tensor2d([0, 0, 1, 1], [2, 2]);
    const wt = tf.tensor1d([1, 1]);
    try {
      await expect(openHostLloydSession([{ start: 0, x: a, weights: null }], 2)).rejects.toThrow('openHostLloydSession: block 0 has no host copy of its rows or weights');
      await expect(openHostLloydSession([{ start: 0, x: a, weights: wt, hostRows: new Float32Array(4) }], 2)).rejects.toThrow('openHostLloydSession: block 0 has no host copy of its rows or weights');
    } finally {
      tf.dispose([a, wt]);
    }
  });

  it('openLloydSession refuses blocks of other widths or dtypes, and centers of the wrong size, naming the argument', async () => {
    const a = tf.tensor2d([0, 0, 1, 1], [2, 2]);
    const b = tf.tensor2d([0, 0, 1], [1, 3]);
    const w = tf.tensor1d([1, 1, 1]);
    try {
      await expect(openLloydSession([{ start: 0, x: a, weights: null }, { start: 2, x: b, weights: null }], 2)).rejects.toThrow('openLloydSession: block 1 has 3 columns, block 0 has 2');
      await expect(openLloydSession([{ start: 0, x: a, weights: w }], 2)).rejects.toThrow("openLloydSession: block 0's weights must be 2 float32 values, got 3 float32");
      await expect(openLloydSession([{ start: 0, x: a, weights: null }], 0)).rejects.toThrow('openLloydSession: k=0 must be an integer >= 1');
      await expect(openLloydSession([], 2)).rejects.toThrow('openLloydSession: needs at least one block');
      const s = await openLloydSession([{ start: 0, x: a, weights: null }], 2);
      await expect(s.step(new Float32Array(3))).rejects.toThrow('lloydSession.step: centers have 3 values, expected k·d = 2·2');
      s.dispose();
    } finally {
      tf.dispose([a, b, w]);
    }
  });
});
