// SPDX-License-Identifier: MIT
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/backend.js';
import { inferKinds } from '../../src/data/inferKinds.js';
import { Pipeline } from '../../src/data/pipeline.js';
import { readTable } from '../../src/data/readTable.js';
import { renderReport } from '../../src/report/renderReport.js';
import { bandwidthHelp, densityHelp, kDistanceHelp } from '../../src/workflow/densityHelp.js';
import { segmentationReportInput } from '../../src/workflow/reportInput.js';
import { segment } from '../../src/workflow/segment.js';
import { kthNearestRef } from '../helpers/reference.js';

const MALL = fileURLToPath(new URL('../fixtures/data/Mall_Customers.csv', import.meta.url));

describe('densityHelp', () => {
  it("on Mall_Customers: the k-distance curve of the pipeline's features (Float64 reference), an eps with which DBSCAN finds more than one segment, and the bandwidth a mean-shift run takes", async () => {
    await initBackend('wasm', { onWarning: () => {} });
    const { table } = await readTable(MALL);
    const schema = inferKinds(table);
    const help = await densityHelp(table, schema, { minSamples: 5 });
    const x = Pipeline.fitTransform(table, structuredClone(schema)).output.matrix;
    expect(help).toMatchObject({ rows: 200, features: x.cols });
    const ref = Float64Array.from(kthNearestRef(x, x, 5), Math.sqrt).sort();
    for (let i = 0; i < 200; i++) expect(help.kDistance.distances[i]).toBeCloseTo(ref[i], 9);
    const eps = help.kDistance.eps as number;
    expect(eps).toBeGreaterThan(0);
    const dbscan = await segment(MALL, { algorithm: 'dbscan', eps, minSamples: 5, backend: 'wasm' });
    expect(dbscan.profiles.segments.length).toBeGreaterThan(1);
    // The bandwidth shown is the one a run with a blank bandwidth estimates (same quantile, rows and seed).
    const meanShift = await segment(MALL, { algorithm: 'meanshift', backend: 'wasm' });
    expect(meanShift.algorithm.parameters.bandwidth).toBe(Number(help.bandwidth.value.toPrecision(4)));
    expect(help.bandwidth).toMatchObject({ rows: 200, quantile: 0.3 });

    // A DBSCAN run's report has the k-distance chart with the eps it used; a k-means run's has none.
    const input = await segmentationReportInput(dbscan);
    expect(input.kDistance).toMatchObject({ k: 5, eps, sampledRows: 200, totalRows: 200, kneeIndex: help.kDistance.kneeIndex });
    const html = await renderReport(input, { onWarning: () => {} });
    expect(html).toContain('data-chart="kDistance"');
    expect(html).toContain('data-chart="featureScatter"');
    const kmeans = await segmentationReportInput(await segment(MALL, { k: 5, nInit: 1, backend: 'wasm' }));
    expect(kmeans.kDistance).toBeUndefined();
    expect(kmeans.featureScatter?.columns).toContain('Annual Income (k$)');
  }, 120_000);

  it('kDistanceHelp and bandwidthHelp each give only their part of densityHelp, equal to it', async () => {
    await initBackend('wasm', { onWarning: () => {} });
    const { table } = await readTable(MALL);
    const schema = inferKinds(table);
    const options = { minSamples: 4, quantile: 0.2, bandwidthRows: 150, seed: 3 };
    const both = await densityHelp(table, schema, options);
    const eps = await kDistanceHelp(table, schema, options);
    const bandwidth = await bandwidthHelp(table, schema, options);
    expect(Object.keys(eps).sort()).toEqual(['features', 'kDistance', 'rows']);
    expect(Object.keys(bandwidth).sort()).toEqual(['bandwidth', 'features', 'rows']);
    expect(eps.kDistance).toEqual(both.kDistance);
    expect(bandwidth.bandwidth).toEqual(both.bandwidth);
    expect(bandwidth.bandwidth).toMatchObject({ rows: 150, quantile: 0.2 });
    expect([eps.rows, eps.features]).toEqual([both.rows, both.features]);
  }, 120_000);
});
