// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../src/report/renderReport.js';
import { baseName, segmentationReportInput } from '../../src/workflow/reportInput.js';
import { segment } from '../../src/workflow/segment.js';

describe('baseName', () => {
  it('keeps a path its last part only, with either separator', () => {
    expect(baseName('/home/ana/exports/users.csv')).toBe('users.csv');
    expect(baseName('C:\\Users\\ana\\users.csv')).toBe('users.csv');
    expect(baseName('users.csv')).toBe('users.csv');
    expect(baseName('generated sample (2000 users, seed 42)')).toBe('generated sample (2000 users, seed 42)');
  });
});

describe('segmentationReportInput', () => {
  it("says the k search's scores are on its sampled rows, and the silhouette on its own sample", async () => {
    const seg = await segment({ sample: { rows: 3000 } }, { kMax: 3, nInit: 1, searchRows: 1000, searchSilhouetteRows: 500, backend: 'wasm' });
    expect(seg.search?.search.sampled).toBe(true);
    const input = await segmentationReportInput(seg);
    expect(input.elbow?.scoredOn).toBe('1,000 sampled rows of 3,000 (silhouette on 500 of them)');
    const html = await renderReport(input, { onWarning: () => {} });
    expect(html).toContain('Scores on 1,000 sampled rows of 3,000 (silhouette on 500 of them).');
    // A search on every row says nothing more.
    const all = await segment({ sample: { rows: 300 } }, { kMax: 3, nInit: 1, backend: 'wasm' });
    expect((await segmentationReportInput(all)).elbow?.scoredOn).toBeUndefined();
  });
});
