// SPDX-License-Identifier: MIT
/**
 * DBSCAN and mean shift on webgpu, with the WGSL radiusCounts, radiusPairs and meanShiftStep
 * registered, give what they give on cpu (every kernel portable) and what scikit-learn gives.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, expect } from 'vitest';
import { DBSCAN } from '../../../src/algorithms/dbscan.js';
import { MeanShift } from '../../../src/algorithms/meanShift.js';
import { initBackend } from '../../../src/backend/backend.js';
import { meanShiftStep } from '../../../src/kernels/meanShiftStep/index.js';
import { radiusCounts } from '../../../src/kernels/radiusCounts/index.js';
import { radiusPairs } from '../../../src/kernels/radiusPairs/index.js';
import { webgpuFallbacks } from '../../../src/kernels/webgpu/run.js';
import type { MatrixF32 } from '../../../src/matrix.js';
import { describeEachBackend, it } from '../../helpers/backends.js';
import { fixtureMatrix, loadFixture } from '../../helpers/fixtures.js';
import { withKernels } from '../support.js';

const quiet = { onWarning: () => {} };

function json<T>(name: string): T {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`../../fixtures/sklearn/${name}.json`, import.meta.url)), 'utf8')) as T;
}

/** A fixture dataset as float32: one of the k-means fixtures, or one of density_data.json. */
function dataset(name: string): MatrixF32 {
  const extra = json<Record<string, { n: number; d: number; X: number[][] }>>('density_data')[name];
  if (extra === undefined) return fixtureMatrix(loadFixture(name));
  const data = new Float32Array(extra.n * extra.d);
  extra.X.forEach((row, i) => data.set(row, i * extra.d));
  return { data, rows: extra.n, cols: extra.d };
}

/** Runs `f` on the cpu backend, then makes webgpu current again. */
async function onCpu<T>(f: () => Promise<T>): Promise<T> {
  await initBackend('cpu', { strict: true, ...quiet });
  try {
    return await f();
  } finally {
    await initBackend('webgpu', { strict: true, ...quiet });
  }
}

interface DbscanFit {
  dataset: string;
  eps: number;
  min_samples: number;
  labels: number[];
  core_sample_indices: number[];
}

interface MeanShiftFit {
  dataset: string;
  params: { bandwidth: number | null; bin_seeding: boolean; min_bin_freq: number; cluster_all: boolean; max_iter: number };
  labels: number[];
}

describeEachBackend(
  'DBSCAN and mean shift with the WGSL kernels',
  () => {
    afterEach(() => {
      expect(webgpuFallbacks(true), 'no call fell back to the portable kernel').toEqual([]);
    });

    it('runs the WGSL kernels on webgpu', () => {
      expect(radiusCounts.implementationFor('webgpu')).toBe('webgpu');
      expect(radiusPairs.implementationFor('webgpu')).toBe('webgpu');
      expect(meanShiftStep.implementationFor('webgpu')).toBe('webgpu');
    });

    const dbscanFits = json<{ fits: DbscanFit[] }>('dbscan').fits.filter((f) => f.dataset === 'moons' || f.dataset === 'mall');
    for (const f of dbscanFits) {
      it(`DBSCAN gives the cpu backend's and scikit-learn's labels and core samples on ${f.dataset} (eps=${f.eps.toPrecision(4)}, minSamples=${f.min_samples})`, async () => {
        const x = dataset(f.dataset);
        const options = { eps: f.eps, minSamples: f.min_samples, chunkRows: 97 };
        const gpu = await new DBSCAN(options).fit(x);
        const cpu = await onCpu(() => new DBSCAN(options).fit(x));
        expect(gpu.backend).toBe('webgpu');
        expect(Array.from(gpu.labels)).toEqual(Array.from(cpu.labels));
        expect(Array.from(gpu.coreSampleIndices)).toEqual(Array.from(cpu.coreSampleIndices));
        expect(Array.from(gpu.labels)).toEqual(f.labels);
        expect(Array.from(gpu.coreSampleIndices)).toEqual(f.core_sample_indices);
      });
    }

    const shiftFits = json<{ fits: MeanShiftFit[] }>('meanshift').fits.filter((f) => f.dataset === 'mall' && f.params.bandwidth !== null);
    for (const f of shiftFits) {
      it(`mean shift gives the cpu backend's labels and centers on ${f.dataset} (bandwidth=${f.params.bandwidth}), flat and Gaussian`, async () => {
        const x = dataset(f.dataset);
        for (const kernel of ['flat', 'gaussian'] as const) {
          const options = {
            bandwidth: f.params.bandwidth as number,
            binSeeding: f.params.bin_seeding,
            minBinFreq: f.params.min_bin_freq,
            clusterAll: f.params.cluster_all,
            maxIter: f.params.max_iter,
            kernel,
            ...quiet,
          };
          // 'device': on data this small the default runs the steps on the host (the spec below).
          const gpu = await new MeanShift({ ...options, placement: 'device' }).fit(x);
          const cpu = await onCpu(() => new MeanShift(options).fit(x));
          expect(gpu.backend).toBe('webgpu');
          expect(Array.from(gpu.labels), `${kernel} labels`).toEqual(Array.from(cpu.labels));
          expect(gpu.centroids.rows).toBe(cpu.centroids.rows);
          gpu.centroids.data.forEach((v, i) => expect(Math.abs(v - cpu.centroids.data[i]), `${kernel} center value ${i}`).toBeLessThan(2e-3 * options.bandwidth));
          if (kernel === 'flat') {
            // The same partition as scikit-learn's (ids may differ only where intensities tie).
            const pairs = new Set(Array.from(gpu.labels, (l, i) => `${l}:${f.labels[i]}`));
            expect(pairs.size).toBe(new Set(f.labels).size);
          }
        }
      });
    }

    it("mean shift on small data runs its steps on the host by default (no tfjs kernel), with the device's labels and centers", async () => {
      const x = dataset('mall');
      const run = (placement: 'auto' | 'device') => new MeanShift({ bandwidth: 0.8, placement, ...quiet }).fit(x);
      const { result: auto, kernels: onHost } = await withKernels(() => run('auto'));
      const { result: device, kernels: onDevice } = await withKernels(() => run('device'));
      // 200 seeds × 200 rows × 3 features a step: under HOST_PASS_MAX_WORK.
      expect(onHost).toEqual([]);
      expect(onDevice.length).toBeGreaterThan(0);
      expect(auto.backend).toBe('webgpu');
      expect(Array.from(auto.labels)).toEqual(Array.from(device.labels));
      expect(auto.centroids.rows).toBe(device.centroids.rows);
      auto.centroids.data.forEach((v, i) => expect(Math.abs(v - device.centroids.data[i]), `center value ${i}`).toBeLessThan(2e-3 * 0.8));
      expect(Array.from(auto.intensities)).toEqual(Array.from(device.intensities));
    });
  },
  ['webgpu'],
);
