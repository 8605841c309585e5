// SPDX-License-Identifier: MIT
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { estimateBandwidth } from '../../src/algorithms/estimateBandwidth.js';
import { DataError, ParameterError } from '../../src/errors.js';
import type { MatrixF32 } from '../../src/matrix.js';
import { Random } from '../../src/random.js';
import { describeEachBackend, it } from '../helpers/backends.js';
import { fixtureMatrix, loadFixture } from '../helpers/fixtures.js';
import { estimateBandwidthRef } from '../helpers/reference.js';

function json<T>(name: string): T {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`../fixtures/sklearn/${name}.json`, import.meta.url)), 'utf8')) as T;
}

function dataset(name: string): MatrixF32 {
  const extra = json<Record<string, { n: number; d: number; X: number[][] }>>('density_data')[name];
  if (extra === undefined) return fixtureMatrix(loadFixture(name));
  const data = new Float32Array(extra.n * extra.d);
  extra.X.forEach((row, i) => data.set(row, i * extra.d));
  return { data, rows: extra.n, cols: extra.d };
}

const bandwidths = json<{ bandwidths: Array<{ dataset: string; quantile: number; bandwidth: number }> }>('meanshift').bandwidths;

describeEachBackend('estimateBandwidth', (backend) => {
  it('gives the hand-computed mean distance to the k-th nearest row (the row itself first)', async () => {
    // k = ⌊0.5·4⌋ = 2: distances to the 2nd nearest are 1, 1, 1, 8.
    expect(await estimateBandwidth([[0], [1], [2], [10]], { quantile: 0.5 })).toBeCloseTo(2.75, 12);
    // quantile 0 still takes k = 1: the row itself, at 0.
    expect(await estimateBandwidth([[0], [1], [2], [10]], { quantile: 0 })).toBe(0);
  });

  // The fixture sweep on wasm; cpu and WebGPU (SwiftShader) on the small cases.
  const cases = backend !== 'wasm' ? bandwidths.filter((b) => b.dataset === 'mall' || b.dataset === 'tiny') : bandwidths;
  for (const b of cases) {
    it(`gives scikit-learn's estimate_bandwidth on ${b.dataset} (quantile ${b.quantile})`, async () => {
      const got = await estimateBandwidth(dataset(b.dataset), { quantile: b.quantile });
      expect(Math.abs(got - b.bandwidth)).toBeLessThanOrEqual(1e-5 * b.bandwidth);
    });
  }

  // On WebGPU (SwiftShader) 120 of mall's 200 rows; 300 of blobs_overlap's on cpu and wasm.
  it('on a sample estimates from the sampled rows only (Float64 reference on the same sample)', async () => {
    const x = dataset(backend === 'webgpu' ? 'mall' : 'blobs_overlap');
    const nSamples = backend === 'webgpu' ? 120 : 300;
    const idx = new Random(5).sample(x.rows, nSamples);
    const data = new Float32Array(nSamples * x.cols);
    idx.forEach((r, i) => data.set(x.data.subarray(r * x.cols, (r + 1) * x.cols), i * x.cols));
    const ref = estimateBandwidthRef({ data, rows: nSamples, cols: x.cols }, 0.2);
    const got = await estimateBandwidth(x, { quantile: 0.2, nSamples, seed: 5 });
    expect(Math.abs(got - ref)).toBeLessThanOrEqual(1e-6 * ref);
  });

  it('rejects bad arguments with typed errors naming the function and the argument', async () => {
    await expect(estimateBandwidth([[0], [1]], { quantile: -0.1 })).rejects.toThrow(ParameterError);
    await expect(estimateBandwidth([[0], [1]], { quantile: 2 })).rejects.toThrow('estimateBandwidth: quantile=2 must be in [0, 1]');
    await expect(estimateBandwidth([[0], [1]], { nSamples: 0 })).rejects.toThrow(/nSamples=0/);
    await expect(estimateBandwidth([[0], [Number.NaN]])).rejects.toThrow(DataError);
  });
});
