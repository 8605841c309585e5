// SPDX-License-Identifier: MIT
import { expect } from 'vitest';
import { inertia } from '../../src/metrics/inertia.js';
import { DataError } from '../../src/errors.js';
import { describeEachBackend, it } from '../helpers/backends.js';
import { DATASETS, fixtureMatrix, loadFixture } from '../helpers/fixtures.js';

describeEachBackend('inertia', () => {
  it('is 4 for two pairs (hand computed), and weights multiply each row', async () => {
    const x = [[0, 0], [0, 2], [6, 0], [6, 2]];
    expect(await inertia(x, [0, 0, 1, 1])).toBeCloseTo(4, 6);
    // Centers given: every row is at squared distance 1 from (0,1) or (6,1); weights 1,2,3,4.
    expect(await inertia(x, [0, 0, 1, 1], { centers: [[0, 1], [6, 1]], sampleWeight: [1, 2, 3, 4] })).toBeCloseTo(10, 5);
  });

  it('works with a single cluster', async () => {
    expect(await inertia([[1], [3]], [0, 0])).toBeCloseTo(2, 6);
  });

  it('equals the sum of squared distances to the label means of the scikit-learn fixtures', async () => {
    for (const name of DATASETS) {
      const f = loadFixture(name);
      const x = fixtureMatrix(f);
      for (const l of f.labelings) {
        const ours = await inertia(x, l.labels);
        expect(Math.abs(ours - l.inertia_of_labels), `${name} ${l.name}`).toBeLessThanOrEqual(1e-4 * l.inertia_of_labels);
      }
    }
  });

  it('with scikit-learn KMeans centers gives its inertia_', async () => {
    const f = loadFixture('blobs_overlap');
    const x = fixtureMatrix(f);
    const fit = f.kmeans!.find((q) => q.k === 8)!;
    const labels = f.labelings.find((l) => l.name === 'kmeans_k8')!.labels;
    const ours = await inertia(x, labels, { centers: fit.centers });
    expect(Math.abs(ours - fit.inertia)).toBeLessThanOrEqual(1e-4 * fit.inertia);
  });

  it('rejects centers of the wrong shape and negative weights', async () => {
    await expect(inertia([[0], [1]], [0, 1], { centers: [[0, 0], [1, 1]] })).rejects.toThrow(DataError);
    await expect(inertia([[0], [1]], [0, 1], { sampleWeight: [1, -1] })).rejects.toThrow(/sampleWeight\[1\] = -1/);
  });
});
