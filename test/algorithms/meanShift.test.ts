// SPDX-License-Identifier: MIT
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, vi } from 'vitest';
import { MeanShift, binSeeds, meanShift } from '../../src/algorithms/meanShift.js';
import { DataError, ParameterError } from '../../src/errors.js';
import type { MatrixF32 } from '../../src/matrix.js';
import { describeEachBackend, it } from '../helpers/backends.js';
import { fixtureMatrix, loadFixture } from '../helpers/fixtures.js';

interface MeanShiftFit {
  dataset: string;
  params: { quantile: number | null; bandwidth: number | null; bin_seeding: boolean; min_bin_freq: number; cluster_all: boolean; max_iter: number };
  bandwidth: number;
  labels: number[];
  centers: number[][];
  n_iter: number;
}

function json<T>(name: string): T {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`../fixtures/sklearn/${name}.json`, import.meta.url)), 'utf8')) as T;
}

function dataset(name: string): MatrixF32 {
  if (name === 'tiny') return fixtureMatrix(loadFixture('tiny'));
  const extra = json<Record<string, { n: number; d: number; X: number[][] }>>('density_data')[name];
  if (extra === undefined) return fixtureMatrix(loadFixture(name));
  const data = new Float32Array(extra.n * extra.d);
  extra.X.forEach((row, i) => data.set(row, i * extra.d));
  return { data, rows: extra.n, cols: extra.d };
}

/**
 * The map from our labels to theirs when the two labelings are the same partition (-1, the
 * orphans, must match -1 exactly); fails otherwise, naming the first row that breaks it.
 */
function samePartition(ours: ArrayLike<number>, theirs: ArrayLike<number>): Map<number, number> {
  expect(ours.length).toBe(theirs.length);
  const map = new Map<number, number>();
  const back = new Map<number, number>();
  for (let i = 0; i < ours.length; i++) {
    const a = ours[i];
    const b = theirs[i];
    if (a === -1 || b === -1) {
      expect(a, `row ${i}: orphan in one labeling only`).toBe(b);
      continue;
    }
    if (!map.has(a)) map.set(a, b);
    if (!back.has(b)) back.set(b, a);
    expect(map.get(a), `row ${i}: our cluster ${a} spans two of theirs`).toBe(b);
    expect(back.get(b), `row ${i}: their cluster ${b} spans two of ours`).toBe(a);
  }
  return map;
}

const fixture = json<{ bandwidths: Array<{ dataset: string; quantile: number; bandwidth: number }>; fits: MeanShiftFit[] }>('meanshift');
const quiet = { onWarning: () => {} };

describeEachBackend('meanShift', (backend) => {
  it("gives scikit-learn's docstring example, and predicts to the nearest center", async () => {
    const x = [[1, 1], [2, 1], [1, 0], [4, 7], [3, 5], [3, 6]];
    const r = await new MeanShift({ bandwidth: 2 }).fit(x);
    expect(Array.from(r.labels)).toEqual([1, 1, 1, 0, 0, 0]);
    expect(r.centroids.rows).toBe(2);
    // Both modes hold three rows; the tie goes to the larger coordinates: (3.33, 6) first.
    expect(r.centroids.data[0]).toBeCloseTo(10 / 3, 5);
    expect(r.centroids.data[1]).toBeCloseTo(6, 5);
    expect(r.centroids.data[2]).toBeCloseTo(4 / 3, 5);
    expect(r.centroids.data[3]).toBeCloseTo(2 / 3, 5);
    expect(Array.from(r.intensities)).toEqual([3, 3]);
    expect(r.bandwidth).toBe(2);
    expect(r.backend).toBe(backend);
    expect(r.converged).toBe(true);
    const p = await r.predict([[0, 0], [5, 5]]);
    expect(Array.from(p.labels)).toEqual([1, 0]);
    // Euclidean, float64, to the float32 centers (4/3, 2/3) and (10/3, 6).
    const c = r.centroids.data;
    expect(p.distances[0]).toBe(Math.sqrt(c[2] ** 2 + c[3] ** 2));
    expect(p.distances[1]).toBeCloseTo(Math.hypot(5 - 10 / 3, 1), 6);
    await expect(r.predict([[1]])).rejects.toThrow('meanShift.predict: X has 1 columns, the model was fitted on 2');
  });

  // The fixture sweep on wasm; cpu and WebGPU (SwiftShader) on the small cases.
  const cases = backend !== 'wasm' ? fixture.fits.filter((f) => f.dataset === 'mall' || f.dataset === 'tiny') : fixture.fits;
  for (const f of cases) {
    const p = f.params;
    const what = `${p.bandwidth !== null ? `bandwidth=${p.bandwidth}` : `estimated bandwidth (quantile ${p.quantile ?? 0.3})`}, binSeeding=${p.bin_seeding}, minBinFreq=${p.min_bin_freq}, clusterAll=${p.cluster_all}`;
    it(`gives scikit-learn's clusters, centers and bandwidth on ${f.dataset} (${what})`, async () => {
      const x = dataset(f.dataset);
      const r = await new MeanShift({
        ...(p.bandwidth !== null ? { bandwidth: p.bandwidth } : { quantile: p.quantile ?? 0.3 }),
        binSeeding: p.bin_seeding,
        minBinFreq: p.min_bin_freq,
        clusterAll: p.cluster_all,
        maxIter: p.max_iter,
        ...quiet,
      }).fit(x);
      expect(Math.abs(r.bandwidth - f.bandwidth)).toBeLessThanOrEqual(1e-5 * f.bandwidth);
      expect(r.centroids.rows).toBe(f.centers.length);
      const map = samePartition(r.labels, f.labels);
      // Centers are means of the same rows, stopped within 1e-3·bandwidth of the mode.
      const d = x.cols;
      for (const [ours, theirs] of map) {
        for (let j = 0; j < d; j++) {
          expect(Math.abs(r.centroids.data[ours * d + j] - f.centers[theirs][j])).toBeLessThanOrEqual(2e-3 * f.bandwidth);
        }
      }
      // The most populated modes come first in both.
      expect(map.get(0)).toBe(0);
      expect(Math.abs(r.nIter - f.n_iter)).toBeLessThanOrEqual(1);
      expect(r.converged).toBe(true);
    });
  }

  it('estimates the bandwidth inside fit as scikit-learn does (mall, quantile 0.3)', async () => {
    const ref = fixture.bandwidths.find((b) => b.dataset === 'mall' && b.quantile === 0.3)!;
    const r = await new MeanShift({ binSeeding: true }).fit(dataset('mall'));
    expect(Math.abs(r.bandwidth - ref.bandwidth)).toBeLessThanOrEqual(1e-5 * ref.bandwidth);
  });

  it('with the Gaussian kernel finds the two obvious modes', async () => {
    const x = [[0, 0], [0.2, 0], [0, 0.2], [0.1, 0.1], [6, 6], [6.2, 6], [6, 6.2]];
    const r = await meanShift(x, { bandwidth: 1, kernel: 'gaussian' });
    expect(Array.from(r.labels)).toEqual([0, 0, 0, 0, 1, 1, 1]);
    expect(r.centroids.data[0]).toBeCloseTo(0.075, 2);
    expect(r.centroids.data[2]).toBeCloseTo(6.067, 2);
  });

  it('gives the same fit whatever the seeds per tile (tileRows, or its deprecated name seedTile)', async () => {
    const x = [[1, 1], [2, 1], [1, 0], [4, 7], [3, 5], [3, 6]];
    const whole = await meanShift(x, { bandwidth: 2 });
    for (const o of [{ tileRows: 1 }, { tileRows: 4 }, { seedTile: 4 }]) {
      const r = await meanShift(x, { bandwidth: 2, ...o });
      expect(Array.from(r.labels)).toEqual(Array.from(whole.labels));
      expect(Array.from(r.centroids.data)).toEqual(Array.from(whole.centroids.data));
    }
    expect(() => new MeanShift({ tileRows: 1, seedTile: 1 })).toThrow('meanShift: give tileRows or its deprecated alias seedTile, not both');
  });

  it("places its steps on the host or the device with the same labels and intensities, and centers within float32 rounding (with weights and the Gaussian kernel too)", async () => {
    const x = dataset('mall');
    const weights = Array.from({ length: x.rows }, (_, i) => 1 + (i % 3));
    for (const [kernel, w] of [['flat', undefined], ['gaussian', weights]] as const) {
      const fit = (placement: 'host' | 'device') => meanShift(x, { bandwidth: 0.8, kernel, placement, ...quiet }, w);
      const host = await fit('host');
      const device = await fit('device');
      expect(host.backend).toBe(backend);
      expect(Array.from(host.labels), kernel).toEqual(Array.from(device.labels));
      expect(Array.from(host.intensities), kernel).toEqual(Array.from(device.intensities));
      host.centroids.data.forEach((v, i) => expect(Math.abs(v - device.centroids.data[i]), `${kernel} center value ${i}`).toBeLessThan(2e-3 * 0.8));
      // On wasm both are our wasm kernel: the same bits.
      if (backend === 'wasm') expect(Array.from(host.centroids.data)).toEqual(Array.from(device.centroids.data));
    }
  });

  it('sample weights count like repeated rows', async () => {
    const a = await meanShift([[0], [1], [3], [10], [11]], { bandwidth: 2 }, [1, 3, 1, 2, 1]);
    const b = await meanShift([[0], [1], [1], [1], [3], [10], [10], [11]], { bandwidth: 2 });
    expect(Array.from(a.centroids.data)).toEqual(Array.from(b.centroids.data));
    expect(Array.from(a.intensities)).toEqual(Array.from(b.intensities));
  });

  it('bins rows as numpy rounds (halves to even) and keeps cells with at least minBinFreq rows', () => {
    const m = { data: Float32Array.from([0.5, 1.5, 2.5, 2.6, -0.5, 2.4]), rows: 6, cols: 1 };
    // Cells: 0.5→0, 1.5→2, 2.5→2, 2.6→3, -0.5→-0, 2.4→2: cell 2 thrice, 0 twice, 3 once.
    expect(Array.from(binSeeds(m, 1, 2, () => {}).data)).toEqual([0, 2]);
    const warn = vi.fn();
    const all = binSeeds({ data: Float32Array.from([0, 5, 10]), rows: 3, cols: 1 }, 1, 1, warn);
    expect(all.rows).toBe(3);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/every row its own cell/));
  });

  it('stops at maxIter with converged = false and a warning', async () => {
    const warn = vi.fn();
    const r = await meanShift([[0], [1], [2], [3], [4], [5], [6], [7]], { bandwidth: 1.5, maxIter: 1, onWarning: warn });
    expect(r.converged).toBe(false);
    expect(r.nIter).toBe(1);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/did not converge in maxIter=1/));
  });

  it('handles identical rows and one row with a given bandwidth, and refuses a zero estimate', async () => {
    const same = await meanShift([[2, 2], [2, 2], [2, 2]], { bandwidth: 1 });
    expect(Array.from(same.labels)).toEqual([0, 0, 0]);
    expect(Array.from(same.centroids.data)).toEqual([2, 2]);
    const one = await meanShift([[1, 5]], { bandwidth: 0.5 });
    expect(Array.from(one.labels)).toEqual([0]);
    await expect(meanShift([[2, 2], [2, 2], [2, 2]])).rejects.toThrow(/meanShift: the estimated bandwidth is 0/);
    await expect(meanShift([[1, 5]])).rejects.toThrow(DataError);
  });

  it('labels orphans -1 when clusterAll is false, and refuses seeds with nothing near them', async () => {
    const r = await meanShift([[0], [0.5], [1], [9]], { bandwidth: 1, seeds: [[0.5]], clusterAll: false });
    expect(Array.from(r.labels)).toEqual([0, 0, 0, -1]);
    await expect(meanShift([[0], [1]], { bandwidth: 1, seeds: [[50]] })).rejects.toThrow(/no row lies within bandwidth=1 of any seed/);
    await expect(meanShift([[0], [1]], { bandwidth: 1, seeds: [[50, 1]] })).rejects.toThrow(/seeds have 2 columns, X has 1/);
  });

  it('rejects bad arguments with typed errors naming the function and the argument', async () => {
    expect(() => new MeanShift({ bandwidth: 0 })).toThrow(ParameterError);
    expect(() => new MeanShift({ bandwidth: -2 })).toThrow('meanShift: bandwidth=-2 must be finite and > 0');
    expect(() => new MeanShift({ quantile: 1.5 })).toThrow('meanShift: quantile=1.5 must be in [0, 1]');
    expect(() => new MeanShift({ minBinFreq: 0 })).toThrow(/minBinFreq=0/);
    expect(() => new MeanShift({ maxIter: -1 })).toThrow(/maxIter=-1/);
    expect(() => new MeanShift({ kernel: 'epanechnikov' as never })).toThrow(/kernel='epanechnikov'/);
    expect(() => new MeanShift({ placement: 'gpu' as never })).toThrow(/meanShift: placement='gpu'/);
    await expect(meanShift([[0, Number.NaN]], { bandwidth: 1 })).rejects.toThrow(DataError);
    await expect(meanShift([[0], [1]], { bandwidth: 1 }, [1, -1])).rejects.toThrow(/sampleWeight\[1\] = -1/);
    await expect(meanShift([[0], [1], [2], [3]], { bandwidth: 0.1, binSeeding: true, minBinFreq: 2, ...quiet })).rejects.toThrow(/no grid cell .* holds minBinFreq=2 rows/);
  });
});
