// SPDX-License-Identifier: MIT
/**
 * The report of an in-database fit: it renders with the report's own renderer, lists every
 * segment, and its charts from every row hold the counts the test makes itself from the rows
 * pulled into memory and predict's segments: histogram bins (against the report's edges), box
 * plots (boxBySegment) and category counts; the scatter and silhouette say they are of the
 * sample. On DuckDB and on a PostgreSQL server the test starts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/backend.js';
import { fitInDatabase } from '../../src/db/fit.js';
import { openSource } from '../../src/db/open.js';
import { pullRows } from '../../src/db/source.js';
import { readLabels, readNumbers } from '../../src/data/columnReader.js';
import { boxBySegment } from '../../src/report/histogram.js';
import { renderReport } from '../../src/report/renderReport.js';
import type { ReportCategoricalDistribution, ReportNumericDistribution } from '../../src/report/types.js';
import { startWithTables, testDatabases, type TestDatabase } from '../helpers/testDatabases.js';
import { DATA_DIR } from '../helpers/data.js';

// The byte copies of ../shared/data in the repo (test/helpers/data.ts).
const DATA = DATA_DIR.slice(0, -1);

describe.each(testDatabases())('the report of a fit inside $name', (db: TestDatabase) => {
  beforeAll(async () => {
    if (db.skip !== null) return;
    await initBackend('wasm', { strict: true, onWarning: () => {} });
    await startWithTables(db, { ads: `${DATA}/user_profiles_for_ads.csv`, tiktok: `${DATA}/tiktok_profilesData.csv` });
  }, 120_000);

  afterAll(async () => {
    await db.stop();
  });

  const spec = it.skipIf(db.skip !== null);

  spec.each([
    ['ads', 4, 600],
    ['tiktok', 3, 400],
  ])('%s: renders, lists every segment, and counts every row as the pulled rows do', async (table, k, sampleRows) => {
    const fit = await fitInDatabase(db.address(table), { k, seed: 1, sampleRows, report: true, onWarning: () => {} });
    const report = fit.report!;
    const source = await openSource(db.address(table));
    try {
      const rows = await pullRows(source);
      const labels = (await fit.model.predict(rows)).segments;
      const n = rows.numRows;
      const ids = fit.model.segments.map((s) => s.id);
      const sizes = ids.map((id) => labels.filter((l) => l === id).length);
      expect(report.segments.map((s) => s.size)).toEqual(sizes.filter((s) => s > 0));
      expect(report.dataset.rows).toBe(n);
      // The sampled charts say so: n of N rows.
      expect(report.scatter!.x.length).toBe(sampleRows);
      expect(report.scatter!.totalRows).toBe(n);
      expect(report.silhouette!.scoredRows).toBe(sampleRows);
      expect(report.silhouette!.totalRows).toBe(n);
      expect(report.correlation).toBeUndefined();
      const distributions = report.distributions ?? [];
      const numeric = distributions.filter((d): d is ReportNumericDistribution => d.kind === 'numeric');
      const categorical = distributions.filter((d): d is ReportCategoricalDistribution => d.kind === 'categorical');
      expect(numeric.length).toBeGreaterThan(0);
      for (const d of numeric) {
        const info = fit.schema.columns.find((c) => c.name === d.feature)!;
        const values = readNumbers(rows.getChild(d.feature)!, info.numberFormat);
        const edges = Array.from(d.edges);
        const bins = edges.length - 1;
        for (const { segment, counts } of d.counts) {
          // Rows of the segment between the edges, as plain comparisons.
          const want = new Array<number>(bins).fill(0);
          values.forEach((v, i) => {
            if (labels[i] !== segment || !Number.isFinite(v) || v < edges[0] || v > edges[bins]) return;
            let b = 0;
            while (b < bins - 1 && v >= edges[b + 1]) b++;
            want[b]++;
          });
          expect(Array.from(counts), `${d.feature}, segment ${segment}`).toEqual(want);
          expect(want.reduce((a, c) => a + c, 0)).toBe(values.filter((v, i) => labels[i] === segment && Number.isFinite(v)).length);
        }
        const boxes = boxBySegment(values, labels, report.segments.map((s) => s.id));
        expect(d.boxes!.length).toBe(boxes.length);
        d.boxes!.forEach((b, i) => {
          const w = boxes[i];
          expect({ segment: b.segment, count: b.count, low: b.low, high: b.high, outlierCount: b.outlierCount, outliers: Array.from(b.outliers) }).toEqual({
            segment: w.segment,
            count: w.count,
            low: w.low,
            high: w.high,
            outlierCount: w.outlierCount,
            outliers: Array.from(w.outliers),
          });
          for (const q of ['q1', 'median', 'q3'] as const) expect(Math.abs(b[q] - w[q])).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(w[q])));
        });
      }
      for (const d of categorical) {
        const cells = readLabels(rows.getChild(d.feature)!);
        const known = new Set(d.categories);
        for (const { segment, counts } of d.counts) {
          const want = new Array<number>(d.categories.length).fill(0);
          cells.ids.forEach((id, i) => {
            if (id < 0 || labels[i] !== segment) return;
            const text = cells.values[id];
            want[known.has(text) ? d.categories.indexOf(text) : d.categories.length - 1]++;
          });
          expect(Array.from(counts), `${d.feature}, segment ${segment}`).toEqual(want);
        }
      }
      const html = await renderReport(report, { onWarning: () => {} });
      for (const s of report.segments) expect(html).toContain(s.name.replaceAll('&', '&amp;'));
      expect(html).toContain('data-chart="distributions"');
      expect(html).toContain(`${sampleRows} sampled rows of ${n.toLocaleString('en-US')}`);
      expect(html).toContain('From every row, by SQL');
    } finally {
      await source.close();
    }
  }, 120_000);
});
