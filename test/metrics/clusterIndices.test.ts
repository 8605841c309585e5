// SPDX-License-Identifier: MIT
/** clusterIndices: the two indices from one pass equal each metric computed on its own. */
import { describe, expect, it } from 'vitest';
import { calinskiHarabasz } from '../../src/metrics/calinskiHarabasz.js';
import { clusterIndices } from '../../src/metrics/clusterIndices.js';
import { daviesBouldin } from '../../src/metrics/daviesBouldin.js';
import { Random } from '../../src/random.js';

describe('clusterIndices', () => {
  it('equals calinskiHarabasz and daviesBouldin on scattered rows with 4 labels', async () => {
    const rng = new Random(5);
    const n = 500;
    const d = 6;
    const x = { data: Float32Array.from({ length: n * d }, () => rng.next() * 10), rows: n, cols: d };
    const labels = Int32Array.from({ length: n }, (_, i) => (i * 7) % 4);
    const got = await clusterIndices(x, labels);
    expect(got.calinskiHarabasz).toBe(await calinskiHarabasz(x, labels));
    expect(got.daviesBouldin).toBe(await daviesBouldin(x, labels));
  });

  it('names the caller in its errors', async () => {
    await expect(clusterIndices([[0, 0], [1, 1]], [0, 0], 'report')).rejects.toThrow(/^report: there are 1 distinct labels/);
  });
});
