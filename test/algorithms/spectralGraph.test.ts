// SPDX-License-Identifier: MIT
import { expect } from 'vitest';
import { HOST_PASS_MAX_WORK, passOnHost } from '../../src/algorithms/hostPasses.js';
import { RBF_MAX_BLOCK, denseMultiply, hostRbfAffinity, normalizedOperator, rbfGraph, rbfMultiply, rbfNormalizedOperator, rbfProductWork } from '../../src/algorithms/spectralGraph.js';
import type { MatrixF32 } from '../../src/matrix.js';
import { describeEachBackend, it } from '../helpers/backends.js';

/** A′·V in float64 from the definition: exp(−gamma·‖x_i − x_j‖²) summed over j ≠ i. */
function rbfProductRef(x: MatrixF32, gamma: number, columns: readonly Float64Array[]): Float64Array[] {
  const { rows: n, cols: d, data } = x;
  return columns.map((v) => {
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        let s = 0;
        for (let c = 0; c < d; c++) s += (data[i * d + c] - data[j * d + c]) ** 2;
        y[i] += Math.exp(-gamma * s) * v[j];
      }
    }
    return y;
  });
}

/** n rows in d columns and p vectors of length n, from a fixed sine pattern (no seed needed). */
function sample(n: number, d: number, p: number): { x: MatrixF32; columns: Float64Array[] } {
  const data = new Float32Array(n * d);
  for (let i = 0; i < data.length; i++) data[i] = Math.sin(1.7 * i + 0.3) * 1.5;
  const columns = Array.from({ length: p }, (_, c) => Float64Array.from({ length: n }, (_, i) => Math.cos(0.9 * i + c)));
  return { x: { data, rows: n, cols: d }, columns };
}

describeEachBackend('spectralGraph RBF products', () => {
  it('run on the host only on a GPU backend and while one product is at most HOST_PASS_MAX_WORK multiply-adds', () => {
    expect(HOST_PASS_MAX_WORK).toBe(2 ** 20);
    expect(RBF_MAX_BLOCK).toBe(4);
    // n²·(d + 4) ≤ 2^20: at d = 12 exactly n = 256; at d = 2, 418² · 6 = 1,048,344 and 419² · 6 = 1,053,366.
    expect(passOnHost('webgpu', rbfProductWork(256, 12))).toBe(true);
    expect(passOnHost('webgpu', rbfProductWork(257, 12))).toBe(false);
    expect(passOnHost('webgl', rbfProductWork(256, 12))).toBe(true);
    expect(passOnHost('webgl', rbfProductWork(257, 12))).toBe(false);
    expect(passOnHost('webgpu', rbfProductWork(418, 2))).toBe(true);
    expect(passOnHost('webgpu', rbfProductWork(419, 2))).toBe(false);
    for (const b of ['cpu', 'wasm', 'tensorflow']) expect(passOnHost(b, rbfProductWork(2, 1))).toBe(false);
  });

  it('give on the host what they give on the device: A′·V against the float64 reference, hand-checked on two rows', async () => {
    // Two rows at distance² 4 (gamma 0.5): A′ = [[0, e^-2], [e^-2, 0]], so A′·(1, 3) = (3e^-2, e^-2).
    const two = { data: Float32Array.from([0, 0, 0, 2]), rows: 2, cols: 2 };
    const [hand] = denseMultiply(hostRbfAffinity(two, 0.5), [Float64Array.of(1, 3)]);
    expect(hand[0]).toBeCloseTo(3 * Math.exp(-2), 15);
    expect(hand[1]).toBeCloseTo(Math.exp(-2), 15);

    // 70 rows in blocks of 32 (three blocks, the last short), 3 vectors.
    const { x, columns } = sample(70, 3, 3);
    const gamma = 0.4;
    const ref = rbfProductRef(x, gamma, columns);
    const host = denseMultiply(hostRbfAffinity(x, gamma), columns);
    ref.forEach((r, c) => r.forEach((v, i) => expect(Math.abs(host[c][i] - v), `host ${c},${i}`).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(v)))));
    for (const budget of [Infinity, 0]) {
      const g = rbfGraph(x, gamma, budget, 32);
      try {
        expect(g.tiles === null).toBe(budget === 0);
        const device = await rbfMultiply(g, columns);
        // Float32 affinities and products: relative to the sum of |terms| (at most n − 1 per unit entry).
        ref.forEach((r, c) => r.forEach((v, i) => expect(Math.abs(device[c][i] - v), `device ${c},${i}`).toBeLessThanOrEqual(1e-5 * 70)));
      } finally {
        g.dispose();
      }
    }
  });

  it('normalise to W⁻¹A′W⁻¹ on the host as on the device, with 1 on the diagonal of an isolated row', async () => {
    // Rows 0-2 close, row 3 far: its affinities underflow to 0 in float64 and in float32.
    const x = { data: Float32Array.from([0, 0, 0.5, 0, 0, 0.5, 100, 100]), rows: 4, cols: 2 };
    const gamma = 1;
    const a = hostRbfAffinity(x, gamma);
    const [degree] = denseMultiply(a, [new Float64Array(4).fill(1)]);
    expect(degree[3]).toBe(0);
    const v = [Float64Array.of(1, -2, 0.5, 7)];
    // By hand: M_ij = A′_ij / √(d_i d_j) for the connected rows; M_33 = 1.
    const want = new Float64Array(4);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) want[i] += (a[i * 4 + j] / Math.sqrt(degree[i] * degree[j])) * v[0][j];
    want[3] = 7;
    const [host] = await normalizedOperator((cols) => denseMultiply(a, cols), degree).apply(v);
    host.forEach((y, i) => expect(y, `host ${i}`).toBeCloseTo(want[i], 14));
    const g = rbfGraph(x, gamma, Infinity);
    try {
      const [device] = await rbfNormalizedOperator(g, degree).apply(v);
      device.forEach((y, i) => expect(Math.abs(y - want[i]), `device ${i}`).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(want[i]))));
    } finally {
      g.dispose();
    }
  });
});
