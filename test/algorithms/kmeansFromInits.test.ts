// SPDX-License-Identifier: MIT
import { expect } from 'vitest';
import { KMeans, kmeansFromInits } from '../../src/algorithms/kmeans.js';
import { ParameterError } from '../../src/errors.js';
import { Random } from '../../src/random.js';
import { describeEachBackend, it } from '../helpers/backends.js';

const quiet = { onWarning: () => {} };

/** 600 rows × 6 in four blobs, and `runs` sets of k centers drawn from the rows. */
function data(k: number, runs: number): { x: { data: Float32Array; rows: number; cols: number }; inits: Array<{ data: Float32Array; rows: number; cols: number }> } {
  const rng = new Random(11);
  const n = 600;
  const d = 6;
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) x[i * d + j] = (i % 4) * 3 * ((j + (i % 4)) % 2) + rng.next() * 2;
  const inits = Array.from({ length: runs }, () => {
    const rows = rng.sample(n, k);
    const c = new Float32Array(k * d);
    rows.forEach((r, a) => c.set(x.subarray(r * d, (r + 1) * d), a * d));
    return { data: c, rows: k, cols: d };
  });
  return { x: { data: x, rows: n, cols: d }, inits };
}

describeEachBackend('kmeansFromInits', () => {
  it('finds, bit for bit, the best of one KMeans fit per init (its labels, centers, inertia, iterations and seed), telling each run', async () => {
    for (const k of [3, 5]) {
      const { x, inits } = data(k, 4);
      const seeds = [101, 102, 103, 104];
      const separate = [];
      for (let r = 0; r < inits.length; r++) separate.push(await new KMeans({ k, init: inits[r], seed: seeds[r], refine: false, ...quiet }).fit(x));
      let best = separate[0];
      for (const f of separate) if (f.inertia < best.inertia) best = f;
      const told: number[] = [];
      const shared = await kmeansFromInits(x, inits, seeds, { k, refine: false, ...quiet, onRun: (p) => told.push(p.inertia) });
      expect(told).toEqual(separate.map((f) => f.inertia));
      expect(shared.labels).toEqual(best.labels);
      expect(shared.centroids.data).toEqual(best.centroids.data);
      expect([shared.inertia, shared.nIter, shared.converged, shared.seed]).toEqual([best.inertia, best.nIter, best.converged, best.seed]);
    }
  });

  it('refuses the refinement, a seed count other than the inits and centers of another shape, naming them', async () => {
    const { x, inits } = data(3, 2);
    await expect(kmeansFromInits(x, inits, [1, 2], { k: 3, ...quiet })).rejects.toThrow(ParameterError);
    await expect(kmeansFromInits(x, inits, [1], { k: 3, refine: false, ...quiet })).rejects.toThrow(/2 initial centers and 1 seeds/);
    await expect(kmeansFromInits(x, inits, [1, 2], { k: 4, refine: false, ...quiet })).rejects.toThrow(/init centers have shape \[3, 6\], expected \[4, 6\]/);
  });
});
