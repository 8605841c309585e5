// SPDX-License-Identifier: MIT
/**
 * K-means and the silhouette on webgpu, with the WGSL kernels registered, give what they give on
 * cpu (where every kernel is the portable one) and what scikit-learn gives in the fixtures.
 */
import { afterEach, expect } from 'vitest';
import { KMeans } from '../../../src/algorithms/kmeans.js';
import { initBackend } from '../../../src/backend/backend.js';
import { assignNearest } from '../../../src/kernels/assignNearest/index.js';
import { lloydStep } from '../../../src/kernels/lloydStep/index.js';
import { silhouetteTile } from '../../../src/kernels/silhouetteTile/index.js';
import { webgpuFallbacks } from '../../../src/kernels/webgpu/run.js';
import { silhouette } from '../../../src/metrics/silhouette.js';
import { describeEachBackend, it } from '../../helpers/backends.js';
import { fixtureMatrix, loadFixture } from '../../helpers/fixtures.js';
import { withKernels } from '../support.js';
import { silhouetteSamplesRef } from '../../helpers/reference.js';

const quiet = { onWarning: () => {} };

/** Runs `f` on the cpu backend, then makes webgpu current again. */
async function onCpu<T>(f: () => Promise<T>): Promise<T> {
  await initBackend('cpu', { strict: true, ...quiet });
  try {
    return await f();
  } finally {
    await initBackend('webgpu', { strict: true, ...quiet });
  }
}

function relDiff(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), Number.MIN_VALUE);
}

describeEachBackend(
  'k-means and silhouette with the WGSL kernels',
  () => {
    afterEach(() => {
      expect(webgpuFallbacks(true), 'no call fell back to the portable kernel').toEqual([]);
    });

    it('runs the WGSL kernels on webgpu', () => {
      expect(lloydStep.implementationFor('webgpu')).toBe('webgpu');
      expect(assignNearest.implementationFor('webgpu')).toBe('webgpu');
      expect(silhouetteTile.implementationFor('webgpu')).toBe('webgpu');
    });

    it("Lloyd's k-means from given centers gives the cpu backend's labels, centers, inertia and iterations on mall, weighted and not", async () => {
      const f = loadFixture('mall');
      const x = fixtureMatrix(f);
      const init = [x.data.slice(0, 3), x.data.slice(30, 33), x.data.slice(90, 93), x.data.slice(150, 153), x.data.slice(198, 201)].map((r) => Array.from(r));
      const weights = Array.from({ length: x.rows }, (_, i) => 1 + (i % 4));
      for (const w of [undefined, weights]) {
        // 'device': the WGSL kernels, which small data would otherwise leave for the host (placement 'auto').
        const options = { k: 5, init, refine: false, tol: 0, placement: 'device' as const, ...quiet };
        const gpu = await new KMeans(options).fit(x, w);
        const cpu = await onCpu(() => new KMeans(options).fit(x, w));
        expect(gpu.backend).toBe('webgpu');
        expect(cpu.backend).toBe('cpu');
        expect(Array.from(gpu.labels), 'labels').toEqual(Array.from(cpu.labels));
        expect(gpu.nIter).toBe(cpu.nIter);
        expect(gpu.converged).toBe(cpu.converged);
        expect(relDiff(gpu.inertia, cpu.inertia), `inertia ${gpu.inertia} vs ${cpu.inertia}`).toBeLessThan(1e-5);
        gpu.centroids.data.forEach((v, i) => expect(Math.abs(v - cpu.centroids.data[i]), `center value ${i}`).toBeLessThan(1e-4 * (1 + Math.abs(cpu.centroids.data[i]))));
      }
    });

    it("k-means with k-means++, nInit and refinement: on the device it matches cpu and is no worse than scikit-learn on mall (k = 4); by default small data makes its passes on the host (no tfjs kernel) with the device's labels and inertia", async () => {
      const f = loadFixture('mall');
      const x = fixtureMatrix(f);
      const k = 4;
      const run = (placement: 'auto' | 'device') => new KMeans({ k, nInit: 3, seed: 0, placement, ...quiet }).fit(x);
      const { result: gpu, kernels: onDevice } = await withKernels(() => run('device'));
      const { result: auto, kernels: onHost } = await withKernels(() => run('auto'));
      const cpu = await onCpu(() => new KMeans({ k, nInit: 3, seed: 0, ...quiet }).fit(x));
      expect(onDevice.length).toBeGreaterThan(0);
      expect(gpu.backend).toBe('webgpu');
      expect(Array.from(gpu.labels), `k=${k} labels`).toEqual(Array.from(cpu.labels));
      expect(relDiff(gpu.inertia, cpu.inertia)).toBeLessThan(1e-5);
      const sk = f.kmeans!.find((q) => q.k === k)!;
      expect(gpu.inertia, `k=${k}: ours ${gpu.inertia} vs sklearn ${sk.inertia}`).toBeLessThanOrEqual(sk.inertia * (1 + 1e-3));
      // 200 x 3, k = 4: one pass is 200 * 4 * 3 multiply-adds, under HOST_PASS_MAX_WORK.
      expect(onHost).toEqual([]);
      expect(auto.backend).toBe('webgpu');
      expect(Array.from(auto.labels)).toEqual(Array.from(gpu.labels));
      expect(relDiff(auto.inertia, gpu.inertia)).toBeLessThan(1e-5);
    });

    it("silhouette on webgpu equals cpu's, the Float64 reference and scikit-learn's on mall and blobs_overlap", async () => {
      for (const name of ['mall', 'blobs_overlap']) {
        const f = loadFixture(name);
        const x = fixtureMatrix(f);
        for (const l of f.labelings.slice(0, name === 'mall' ? 2 : 1)) {
          const gpu = await silhouette(x, l.labels, { blockRows: 700 });
          const cpu = await onCpu(() => silhouette(x, l.labels));
          expect(gpu.backend).toBe('webgpu');
          const ref = silhouetteSamplesRef(x, l.labels);
          let worstCpu = 0;
          let worstRef = 0;
          gpu.samples.forEach((v, i) => {
            worstCpu = Math.max(worstCpu, Math.abs(v - cpu.samples[i]));
            worstRef = Math.max(worstRef, Math.abs(v - ref[i]));
          });
          expect(worstCpu, `${name} ${l.name}: worst per-row difference from cpu`).toBeLessThan(1e-4);
          expect(worstRef, `${name} ${l.name}: worst per-row difference from the reference`).toBeLessThan(1e-5);
          expect(relDiff(gpu.score, cpu.score)).toBeLessThan(1e-5);
          expect(relDiff(gpu.score, l.silhouette), `${name} ${l.name}: ${gpu.score} vs sklearn ${l.silhouette}`).toBeLessThan(1e-4);
        }
      }
    });
  },
  ['webgpu'],
);
