// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { labelledParameters, PARAMETER_LABELS, parameterLabel } from '../../src/workflow/parameterLabels.js';
import type { SegmentOptions } from '../../src/workflow/options.js';
import { segment } from '../../src/workflow/segment.js';

describe('parameter labels', () => {
  it('names each parameter in words, and splits an unknown camelCase one', () => {
    expect(parameterLabel('nInit')).toBe('runs (the best is kept)');
    expect(parameterLabel('minSamples')).toBe('neighbours of a core row');
    expect(parameterLabel('someNewOption')).toBe('some new option');
    expect(labelledParameters({ k: 3, seed: 1 })).toEqual({ 'segments (k)': 3, 'random seed': 1 });
  });

  it('has a label of its own for every parameter each algorithm of the workflow reports', async () => {
    const runs: SegmentOptions[] = [
      { k: 'auto', kMax: 3, nInit: 1 },
      { k: 3, nInit: 1 },
      { algorithm: 'dbscan', eps: 3 },
      { algorithm: 'meanshift' },
      { algorithm: 'agglomerative', k: 3 },
      { algorithm: 'spectral', k: 3, nInit: 1 },
    ];
    for (const options of runs) {
      const r = await segment({ sample: { rows: 300 } }, { ...options, backend: 'wasm' });
      for (const key of Object.keys(r.algorithm.parameters)) {
        expect(Object.keys(PARAMETER_LABELS), `${r.algorithm.id}: ${key}`).toContain(key);
      }
    }
  });
});
