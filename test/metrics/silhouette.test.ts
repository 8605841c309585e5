// SPDX-License-Identifier: MIT
import { expect } from 'vitest';
import { silhouette, silhouetteSamples, silhouetteScore, silhouettes } from '../../src/metrics/silhouette.js';
import { silhouetteScoreRef } from '../helpers/reference.js';
import { DataError, ParameterError } from '../../src/errors.js';
import { describeEachBackend, it } from '../helpers/backends.js';
import { DATASETS, fixtureMatrix, loadFixture } from '../helpers/fixtures.js';

const REL = 1e-4;

function expectRel(actual: number, expected: number, rel = REL, abs = 1e-6): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.abs(expected) + abs);
}

describeEachBackend('silhouette', (backend) => {
  it('matches a hand computation on a tiny set with a singleton cluster', async () => {
    // Rows 0..2 form cluster 0, rows 3..5 cluster 1, row 6 is alone (its silhouette is 0).
    const x = [[0, 0], [0, 1], [1, 0], [5, 5], [5, 6], [6, 5], [10, 0]];
    const labels = [0, 0, 0, 1, 1, 1, 2];
    const s = await silhouetteSamples(x, labels);
    // Row 0: a = (1 + 1) / 2 = 1; b = mean distance to cluster 1 = (√50 + √61 + √61) / 3.
    const b0 = (Math.sqrt(50) + 2 * Math.sqrt(61)) / 3;
    expectRel(s[0], (b0 - 1) / b0);
    expect(s[6]).toBe(0);
    const f = loadFixture('tiny');
    const ref = f.labelings.find((l) => l.name === 'three_with_singleton')!;
    s.forEach((v, i) => expectRel(v, ref.silhouette_samples[i]));
    expectRel(await silhouetteScore(x, labels), ref.silhouette);
  });

  // The fixture sweep on wasm; cpu and WebGPU (SwiftShader) on mall, the smallest.
  const sets = backend === 'wasm' ? DATASETS : (['mall'] as const);
  for (const name of sets) {
    it(`equals scikit-learn's silhouette_score on ${name} within 1e-4`, async () => {
      const f = loadFixture(name);
      const x = fixtureMatrix(f);
      for (const l of f.labelings) {
        const r = await silhouette(x, l.labels);
        expect(r.backend).toBe(backend);
        expectRel(r.score, l.silhouette);
        // Per-row values agree too (absolute: near-zero rows have no meaningful relative error).
        let worst = 0;
        r.samples.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - l.silhouette_samples[i]))));
        expect(worst, `${l.name} worst per-row difference`).toBeLessThan(2e-3);
      }
    });
  }

  it('gives the same result for any block and tile size', async () => {
    const f = loadFixture('mall');
    const x = fixtureMatrix(f);
    const l = f.labelings[1];
    const a = await silhouette(x, l.labels, { blockRows: 7, colTile: 13 });
    expectRel(a.score, l.silhouette);
  });

  it('samples rows like scikit-learn sample_size, reproducibly with a seed', async () => {
    const f = loadFixture(backend === 'webgpu' ? 'mall' : 'blobs8');
    const x = fixtureMatrix(f);
    const l = f.labelings.find((q) => q.name === 'kmeans_k3')!;
    const a = await silhouette(x, l.labels, { sampleSize: 150, seed: 3 });
    const b = await silhouette(x, l.labels, { sampleSize: 150, seed: 3 });
    expect(a.rows.length).toBe(150);
    expect(new Set(a.rows).size).toBe(150);
    expect(a.score).toBe(b.score);
    expect(Array.from(a.rows)).toEqual(Array.from(b.rows));
    // A sample of 150 estimates the full score (well separated blobs: within 0.05).
    expect(Math.abs(a.score - l.silhouette)).toBeLessThan(0.05);
  });

  it('silhouettes scores every labeling of a fixture at once as scikit-learn does, and as silhouette() does row by row', async () => {
    const f = loadFixture(backend === 'wasm' ? 'blobs8' : 'mall');
    const x = fixtureMatrix(f);
    const all = await silhouettes(x, f.labelings.map((l) => l.labels));
    expect(all.length).toBe(f.labelings.length);
    for (const [i, l] of f.labelings.entries()) {
      expect(all[i].backend).toBe(backend);
      expectRel(all[i].score, l.silhouette);
      const one = await silhouette(x, l.labels);
      // The same distances added in another order: float32 rounding apart.
      let worst = 0;
      all[i].samples.forEach((v, r) => (worst = Math.max(worst, Math.abs(v - one.samples[r]))));
      expect(worst, `${l.name}: per row against silhouette()`).toBeLessThan(1e-5);
    }
  });

  it('silhouettes samples the rows silhouette() samples for a seed, and scores them as it does', async () => {
    const f = loadFixture(backend === 'webgpu' ? 'mall' : 'blobs8');
    const x = fixtureMatrix(f);
    const labelings = f.labelings.slice(0, 3).map((l) => l.labels);
    const all = await silhouettes(x, labelings, { sampleSize: 150, seed: 3 });
    for (const [i, labels] of labelings.entries()) {
      const one = await silhouette(x, labels, { sampleSize: 150, seed: 3 });
      expect(Array.from(all[i].rows)).toEqual(Array.from(one.rows));
      expect(Math.abs(all[i].score - one.score)).toBeLessThan(1e-6);
      const d = x.cols;
      const sub = { data: new Float32Array(150 * d), rows: 150, cols: d };
      one.rows.forEach((r, j) => sub.data.set(x.data.subarray(r * d, (r + 1) * d), j * d));
      expect(Math.abs(all[i].score - silhouetteScoreRef(sub, Array.from(one.rows, (r) => labels[r])))).toBeLessThan(1e-5);
    }
  });

  it('silhouettes runs its example and rejects a bad labeling as silhouette() does', async () => {
    const r = await silhouettes([[0, 0], [0, 1], [5, 5], [5, 6]], [[0, 0, 1, 1], [0, 1, 1, 1]]);
    // Hand computation: the second labeling's rows give 0 (a singleton), (1 − 6.737)/6.737, (7.071 − 3.702)/7.071, (7.810 − 4.036)/7.810.
    expectRel(r[0].score, 0.8585857);
    expectRel(r[1].score, (0 + (1 - (Math.sqrt(41) + Math.sqrt(50)) / 2) / ((Math.sqrt(41) + Math.sqrt(50)) / 2) + (Math.sqrt(50) - (Math.sqrt(41) + 1) / 2) / Math.sqrt(50) + (Math.sqrt(61) - (Math.sqrt(50) + 1) / 2) / Math.sqrt(61)) / 4);
    expect(await silhouettes([[0], [1], [2]], [])).toEqual([]);
    await expect(silhouettes([[0], [1], [2]], [[0, 1, 1], [0, 0, 0]])).rejects.toThrow(DataError);
    await expect(silhouettes([[0], [1], [2]], [[0, 1, 1]], { sampleSize: 4 })).rejects.toThrow('silhouette: sampleSize=4 must be an integer from 2 to the 3 rows given');
  });

  it('accepts any integer labels, like -1 for noise', async () => {
    const x = [[0, 0], [0, 1], [1, 0], [5, 5], [5, 6], [6, 5]];
    const a = await silhouetteScore(x, [-1, -1, -1, 7, 7, 7]);
    const b = await silhouetteScore(x, [0, 0, 0, 1, 1, 1]);
    expect(a).toBe(b);
  });

  it('is 0 for duplicate rows split over two clusters', async () => {
    const s = await silhouetteSamples([[1, 1], [1, 1], [1, 1], [1, 1]], [0, 0, 1, 1]);
    expect(Array.from(s)).toEqual([0, 0, 0, 0]);
  });

  it('rejects one label, n labels, bad sampleSize and NaN with errors naming them', async () => {
    const x = [[0], [1], [2]];
    await expect(silhouetteScore(x, [0, 0, 0])).rejects.toThrow(DataError);
    await expect(silhouetteScore(x, [0, 1, 2])).rejects.toThrow(/2 to n - 1/);
    await expect(silhouetteScore(x, [0, 1, 1], { sampleSize: 1 })).rejects.toThrow(ParameterError);
    await expect(silhouetteScore([[0], [Number.NaN], [2]], [0, 1, 1])).rejects.toThrow(/row 1, column 0/);
    await expect(silhouetteScore(x, [0, 1])).rejects.toThrow(/labels has 2 values for 3 rows/);
  });

  it('rejects bad blockRows, colTile and seed before reading the rows, naming the option', async () => {
    const x = [[0], [1], [2]];
    await expect(silhouetteScore(x, [0, 1, 1], { blockRows: 0 })).rejects.toThrow('silhouette: blockRows=0 must be an integer >= 1');
    await expect(silhouetteScore(x, [0, 1, 1], { colTile: 1.5 })).rejects.toThrow('silhouette: colTile=1.5 must be an integer >= 1');
    await expect(silhouetteScore(x, [0, 1, 1], { sampleSize: 2, seed: 0.5 })).rejects.toThrow('silhouette: seed=0.5 must be an integer');
    await expect(silhouetteScore(x, [0, 1, 1], { sampleSize: 4 })).rejects.toThrow('silhouette: sampleSize=4 must be an integer from 2 to the 3 rows given');
  });
});
