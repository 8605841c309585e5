// SPDX-License-Identifier: MIT
import { expect } from 'vitest';
import { calinskiHarabasz } from '../../src/metrics/calinskiHarabasz.js';
import { DataError } from '../../src/errors.js';
import { describeEachBackend, it } from '../helpers/backends.js';
import { DATASETS, fixtureMatrix, loadFixture } from '../helpers/fixtures.js';

describeEachBackend('calinskiHarabasz', () => {
  it('is 100 on two tight pairs (hand computed)', async () => {
    // Means (0, .5) and (5, 5.5), overall (2.5, 3): B = 4 · (2.5² + 2.5²) = 50; W = 4 · 0.25 = 1.
    // (B / (k − 1)) / (W / (n − k)) = 50 / (1 / 2) = 100.
    expect(await calinskiHarabasz([[0, 0], [0, 1], [5, 5], [5, 6]], [0, 0, 1, 1])).toBeCloseTo(100, 4);
  });

  it('is 1 when every cluster is a set of duplicates (W = 0), as scikit-learn', async () => {
    expect(await calinskiHarabasz([[1, 1], [1, 1], [3, 3], [3, 3]], [0, 0, 1, 1])).toBe(1);
  });

  it("equals scikit-learn's calinski_harabasz_score within 1e-4 on every fixture", async () => {
    for (const name of [...DATASETS, 'tiny']) {
      const f = loadFixture(name);
      const x = fixtureMatrix(f);
      for (const l of f.labelings) {
        const ours = await calinskiHarabasz(x, l.labels);
        expect(Math.abs(ours - l.calinski_harabasz), `${name} ${l.name}`).toBeLessThanOrEqual(1e-4 * l.calinski_harabasz);
      }
    }
  });

  it('rejects a single label', async () => {
    await expect(calinskiHarabasz([[0], [1], [2]], [4, 4, 4])).rejects.toThrow(DataError);
  });
});
