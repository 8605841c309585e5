// SPDX-License-Identifier: MIT
import * as arrow from 'apache-arrow';
import { expect } from 'vitest';
import { DataError, ParameterError } from '../../src/errors.js';
import { SegmentationModel } from '../../src/model/model.js';
import { UNASSIGNED } from '../../src/model/predict.js';
import { describeEachBackend, it } from '../helpers/backends.js';
import { distRef, handKMeansModel, nearestRef, pickRows, sampleFit } from './support.js';

const fit = sampleFit(900, { missing: 0.05, chunkSize: 256 });
const CENTER_ROWS = [3, 50, 100, 400, 777];
const model = handKMeansModel(fit, CENTER_ROWS);
const centroids = pickRows(fit.features, CENTER_ROWS);

/** Independent reference: the fitted pipeline's features of `table`, nearest centroid in float64. */
function reference(table: arrow.Table): { index: Int32Array; distance: Float64Array } {
  return nearestRef(fit.pipeline.transform(table).matrix, centroids);
}

/** `table` with column `name` replaced by `values` (as text). */
function withColumn(table: arrow.Table, name: string, values: Array<string | null>): arrow.Table {
  const names = table.schema.fields.map((f) => f.name);
  const columns: Record<string, arrow.Vector> = {};
  for (const n of names) columns[n] = n === name ? arrow.vectorFromArray(values, new arrow.Utf8()) : (table.getChild(n) as arrow.Vector);
  return new arrow.Table(columns);
}

describeEachBackend('SegmentationModel.predict', () => {
  it('batch by batch gives what the float64 reference gives, and one report for all rows', async () => {
    const ref = reference(fit.table);
    const whole = fit.pipeline.transform(fit.table).report;
    const seen: Array<[number, number]> = [];
    const p = await model.predict(fit.table, { batchRows: 128, onProgress: (done, total) => seen.push([done, total]) });
    expect(Array.from(p.segments)).toEqual(Array.from(ref.index));
    for (let i = 0; i < 900; i++) expect(Math.abs(p.distances[i] - ref.distance[i])).toBeLessThanOrEqual(1e-12 * Math.max(1, ref.distance[i]));
    expect(p.names.slice(0, 30)).toEqual(Array.from(ref.index.subarray(0, 30), (s) => `Segment ${s}`));
    expect(seen.map(([done]) => done)).toEqual([128, 256, 384, 512, 640, 768, 896, 900]);
    expect(seen.every(([, total]) => total === 900)).toBe(true);
    // The merged report is the report of one transform of the whole table.
    expect(p.report).toEqual(whole);
    expect(Object.values(p.report.imputed).some((v) => v > 0)).toBe(true);
    const single = await model.predict(fit.table);
    expect(Array.from(single.distances)).toEqual(Array.from(p.distances));
  });

  it('rows with categories not seen in training are assigned and reported', async () => {
    const rows = fit.table.slice(0, 40);
    const location = Array.from({ length: 40 }, (_, i) => (i % 4 === 0 ? 'Mars' : i % 4 === 1 ? 'Moon' : String(rows.getChild('Location')?.get(i))));
    const table = withColumn(rows, 'Location', location);
    const p = await model.predict(table);
    expect(p.report.unseen.Location).toEqual({ count: 20, values: ['Mars', 'Moon'] });
    const ref = reference(table);
    expect(Array.from(p.segments)).toEqual(Array.from(ref.index));
    for (let i = 0; i < 40; i++) expect(Math.abs(p.distances[i] - ref.distance[i])).toBeLessThanOrEqual(1e-12 * Math.max(1, ref.distance[i]));
  });

  it('refuses a table without columns the model uses, naming them all', async () => {
    const fields = fit.table.schema.fields.map((f) => f.name).filter((n) => n !== 'Gender' && n !== 'Income Level');
    const table = fit.table.select(fields);
    await expect(model.predict(table)).rejects.toThrow(DataError);
    await expect(model.predict(table)).rejects.toThrow('predict: the table lacks column(s) the model uses: "Gender", "Income Level"');
  });

  it('ignores and reports columns the model does not know; columns are matched by name, not place', async () => {
    const rows = fit.table.slice(100, 160);
    const names = rows.schema.fields.map((f) => f.name);
    const columns: Record<string, arrow.Vector> = { 'Favourite colour': arrow.vectorFromArray(Array.from({ length: 60 }, () => 'teal'), new arrow.Utf8()) };
    for (const n of [...names].reverse()) columns[n] = rows.getChild(n) as arrow.Vector;
    const shuffled = new arrow.Table(columns);
    const p = await model.predict(shuffled);
    expect(p.extraColumns).toEqual(['Favourite colour']);
    expect(p.report.ignored).toContain('Favourite colour');
    const plain = await model.predict(rows);
    expect(Array.from(p.segments)).toEqual(Array.from(plain.segments));
    expect(Array.from(p.distances)).toEqual(Array.from(plain.distances));
    expect(Array.from(plain.segments)).toEqual(Array.from(reference(rows).index));
  });

  it('a column the model does not use may be absent (the id)', async () => {
    const fields = fit.table.schema.fields.map((f) => f.name).filter((n) => n !== 'User ID');
    const p = await model.predict(fit.table.slice(0, 10).select(fields));
    expect(Array.from(p.segments)).toEqual(Array.from(reference(fit.table.slice(0, 10)).index));
  });

  it('an empty table gives empty results', async () => {
    const p = await model.predict(fit.table.slice(0, 0));
    expect([p.segments.length, p.names.length, p.distances.length, p.report.rows]).toEqual([0, 0, 0, 0]);
  });

  it('a DBSCAN model names its noise and measures to the nearest core point', async () => {
    const core = [0, 1, 2, 3, 4, 5];
    const coreLabels = Int32Array.from([0, 1, 0, 1, 2, 2]);
    const corePoints = pickRows(fit.features, core);
    const eps = 2.5;
    // The rule written out: nearest core point in float64, its cluster within eps, else -1.
    const near = nearestRef(fit.features, corePoints);
    const labels = Int32Array.from(near.index, (j, i) => (near.distance[i] <= eps ? coreLabels[j] : -1));
    expect(labels.includes(-1) && labels.includes(2)).toBe(true); // the case covers noise and clusters
    const db = SegmentationModel.fromState({
      pipeline: fit.pipeline,
      schema: fit.schema,
      state: { type: 'dbscan', corePoints, coreLabels, eps, minSamples: 2 },
      labels,
      backend: 'cpu',
      names: new Map([[-1, 'Outliers']]),
      nameSource: 'user',
    });
    const p = await db.predict(fit.table, { batchRows: 200 });
    expect(Array.from(p.segments)).toEqual(Array.from(labels));
    for (let i = 0; i < 900; i++) {
      expect(p.names[i]).toBe(labels[i] === -1 ? 'Outliers' : `Segment ${labels[i]}`);
      expect(p.distances[i]).toBeCloseTo(distRef(fit.features, i, corePoints, near.index[i]), 12);
    }
  });

  it('never gives a segment to a row it cannot read: fails by default naming the line and column, or refuses the row (skip, null)', async () => {
    const rows = fit.table.slice(0, 12);
    const column = 'Click-Through Rates (CTR)';
    const original = rows.getChild(column) as arrow.Vector;
    // Rows 2 and 7 hold a value that is not a finite number, row 4 text; row 9 is blank (imputed, not refused).
    const cells = Array.from({ length: 12 }, (_, i) => (i === 2 ? 'inf' : i === 4 ? 'lots' : i === 7 ? '1e999' : i === 9 ? '' : original.get(i) === null ? null : String(original.get(i))));
    const table = withColumn(rows, column, cells);
    const lines = Int32Array.from({ length: 12 }, (_, i) => 10 + 2 * i);
    const err = await model.predict(table, { rowLines: lines }).catch((e) => e);
    expect(err).toBeInstanceOf(DataError);
    expect(err.message).toBe(
      `predict: 3 row(s) cannot be read, so no segment can be given to them (line 14: column '${column}': 'inf' is not a finite number; line 18: column '${column}': 'lots' is not a number; line 24: column '${column}': '1e999' is not a finite number)`,
    );
    expect([err.row, err.column]).toEqual([2, column]);
    // Without lines, rows are counted from 1; in batches, the error names the rows read so far.
    await expect(model.predict(table, { batchRows: 4 })).rejects.toThrow(`predict: 1 row(s) of the first 4 cannot be read, so no segment can be given to them (row 3: column '${column}': 'inf' is not a finite number)`);

    for (const onBadRows of ['skip', 'null'] as const) {
      const p = await model.predict(table, { onBadRows, rowLines: lines, batchRows: 5 });
      expect(p.badRows).toEqual([
        { row: 2, line: 14, column, value: 'inf', reason: `column '${column}': 'inf' is not a finite number`, action: onBadRows === 'skip' ? 'skipped' : 'nulled' },
        { row: 4, line: 18, column, value: 'lots', reason: `column '${column}': 'lots' is not a number`, action: onBadRows === 'skip' ? 'skipped' : 'nulled' },
        { row: 7, line: 24, column, value: '1e999', reason: `column '${column}': '1e999' is not a finite number`, action: onBadRows === 'skip' ? 'skipped' : 'nulled' },
      ]);
      // The other rows, the blank one included, get what the float64 reference gives (the blank filled with the training median).
      const ref = reference(table);
      for (let i = 0; i < 12; i++) {
        if ([2, 4, 7].includes(i)) {
          expect([p.segments[i], p.names[i], Number.isNaN(p.distances[i])]).toEqual([UNASSIGNED, null, true]);
        } else {
          expect(p.segments[i]).toBe(ref.index[i]);
          expect(Math.abs(p.distances[i] - ref.distance[i])).toBeLessThanOrEqual(1e-12 * Math.max(1, ref.distance[i]));
        }
      }
      expect(p.report.imputed[column] - (p.report.invalid[column] ?? 0)).toBe(1 + cells.filter((c) => c === null).length);
    }
  });

  it('refuses rowLines of another length and an unknown onBadRows', async () => {
    await expect(model.predict(fit.table.slice(0, 5), { rowLines: [2, 3] })).rejects.toThrow('predict: rowLines has 2 lines for a table of 5 rows');
    await expect(model.predict(fit.table.slice(0, 5), { onBadRows: 'drop' as never })).rejects.toThrow(ParameterError);
  });

  it('refuses a batch size that is not a positive integer', async () => {
    await expect(model.predict(fit.table, { batchRows: 0 })).rejects.toThrow(ParameterError);
    await expect(model.predict(fit.table, { batchRows: 0 })).rejects.toThrow('predict: batchRows=0 must be an integer >= 1');
  });
});
