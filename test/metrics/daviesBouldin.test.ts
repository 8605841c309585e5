// SPDX-License-Identifier: MIT
import { expect } from 'vitest';
import { daviesBouldin } from '../../src/metrics/daviesBouldin.js';
import { DataError } from '../../src/errors.js';
import { describeEachBackend, it } from '../helpers/backends.js';
import { DATASETS, fixtureMatrix, loadFixture } from '../helpers/fixtures.js';

describeEachBackend('daviesBouldin', () => {
  it('is (1 + 1) / 6 for two pairs 6 apart (hand computed)', async () => {
    // Each row is 1 from its centroid, so s = 1 for both; the centroids are 6 apart.
    expect(await daviesBouldin([[0, 0], [0, 2], [6, 0], [6, 2]], [0, 0, 1, 1])).toBeCloseTo(2 / 6, 6);
  });

  it('is 0 when every cluster is a set of duplicates, as scikit-learn', async () => {
    expect(await daviesBouldin([[1, 1], [1, 1], [3, 3], [3, 3]], [0, 0, 1, 1])).toBe(0);
  });

  it("equals scikit-learn's davies_bouldin_score within 1e-4 on every fixture", async () => {
    for (const name of [...DATASETS, 'tiny']) {
      const f = loadFixture(name);
      const x = fixtureMatrix(f);
      for (const l of f.labelings) {
        const ours = await daviesBouldin(x, l.labels);
        expect(Math.abs(ours - l.davies_bouldin), `${name} ${l.name}`).toBeLessThanOrEqual(1e-4 * l.davies_bouldin);
      }
    }
  });

  it('rejects as many labels as rows', async () => {
    await expect(daviesBouldin([[0], [1], [2]], [0, 1, 2])).rejects.toThrow(DataError);
  });
});
