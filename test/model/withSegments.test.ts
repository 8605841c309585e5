// SPDX-License-Identifier: MIT
import * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { writeCsv } from '../../src/data/writers.js';
import { ParameterError } from '../../src/errors.js';
import { UNASSIGNED } from '../../src/model/predict.js';
import { withSegments } from '../../src/model/withSegments.js';
import { sampleFit } from './support.js';

const fit = sampleFit(600, { chunkSize: 256 });
const n = fit.table.numRows;
const prediction = {
  segments: Int32Array.from({ length: n }, (_, i) => (i % 4) - 1),
  names: Array.from({ length: n }, (_, i) => ['Noise', 'Casual', 'Heavy', 'Weekend'][i % 4]),
  distances: Float64Array.from({ length: n }, (_, i) => i / 8),
};

describe('withSegments', () => {
  it('adds segment and segment_name after the input columns of a dictionary-encoded, multi-batch table', () => {
    expect(fit.table.batches.length).toBeGreaterThan(1);
    const out = withSegments(fit.table, prediction);
    const inputNames = fit.table.schema.fields.map((f) => f.name);
    expect(out.schema.fields.map((f) => f.name)).toEqual([...inputNames, 'segment', 'segment_name']);
    expect(out.numRows).toBe(n);
    expect(arrow.DataType.isInt(out.getChild('segment')?.type)).toBe(true);
    for (const i of [0, 1, 2, 3, 257, 599]) {
      const row = out.get(i)?.toJSON() as Record<string, unknown>;
      expect(row.segment).toBe(prediction.segments[i]);
      expect(row.segment_name).toBe(prediction.names[i]);
      for (const name of inputNames) expect(row[name]).toEqual(fit.table.getChild(name)?.get(i));
    }
  });

  it('adds the distance on request, and replaces the columns of an earlier segmentation', () => {
    const first = withSegments(fit.table, prediction, { distance: true });
    expect(first.getChild('segment_distance')?.get(9)).toBe(9 / 8);
    const again = withSegments(first, { ...prediction, segments: prediction.segments.map(() => 7), names: prediction.names.map(() => 'Seven') });
    const names = again.schema.fields.map((f) => f.name);
    expect(names.filter((f) => f.startsWith('segment'))).toEqual(['segment', 'segment_name']);
    expect(again.getChild('segment')?.get(5)).toBe(7);
    expect(again.getChild('segment_name')?.get(5)).toBe('Seven');
  });

  it('writes out as CSV with the segment columns last', async () => {
    const out = withSegments(fit.table.slice(0, 3), { segments: prediction.segments.slice(0, 3), names: prediction.names.slice(0, 3), distances: prediction.distances.slice(0, 3) });
    const chunks: Uint8Array[] = [];
    await writeCsv(out, { write: (c: Uint8Array) => void chunks.push(c.slice()) });
    const lines = Buffer.concat(chunks).toString('utf8').trim().split(/\r?\n/);
    expect(lines[0].endsWith(',segment,segment_name')).toBe(true);
    expect(lines.slice(1).map((l) => l.split(',').slice(-2).join(','))).toEqual(['-1,Noise', '0,Casual', '1,Heavy']);
  });

  it('leaves out the rows predict skipped and gives null segments to the rows it nulled', () => {
    const rows = fit.table.slice(0, 4);
    const p = {
      segments: Int32Array.of(1, UNASSIGNED, 0, UNASSIGNED),
      names: ['Heavy', null, 'Casual', null],
      distances: Float64Array.of(0.5, NaN, 0.25, NaN),
    };
    const bad = (row: number, action: 'skipped' | 'nulled') => ({ row, column: 'Age', value: 'x', reason: "column 'Age': 'x' is not a number", action });
    const skipped = withSegments(rows, { ...p, badRows: [bad(1, 'skipped'), bad(3, 'skipped')] }, { distance: true });
    expect(skipped.numRows).toBe(2);
    expect(Array.from(skipped.getChild('User ID') ?? [])).toEqual([rows.getChild('User ID')?.get(0), rows.getChild('User ID')?.get(2)]);
    expect(Array.from(skipped.getChild('segment') ?? [])).toEqual([1, 0]);
    expect(Array.from(skipped.getChild('segment_name') ?? [])).toEqual(['Heavy', 'Casual']);
    expect(Array.from(skipped.getChild('segment_distance') ?? [])).toEqual([0.5, 0.25]);
    const nulled = withSegments(rows, { ...p, badRows: [bad(1, 'nulled'), bad(3, 'nulled')] }, { distance: true });
    expect(nulled.numRows).toBe(4);
    expect(Array.from(nulled.getChild('segment') ?? [])).toEqual([1, null, 0, null]);
    expect(Array.from(nulled.getChild('segment_name') ?? [])).toEqual(['Heavy', null, 'Casual', null]);
    expect(Array.from(nulled.getChild('segment_distance') ?? [])).toEqual([0.5, null, 0.25, null]);
  });

  it('refuses a prediction for another number of rows', () => {
    expect(() => withSegments(fit.table.slice(0, 10), prediction)).toThrow(ParameterError);
    expect(() => withSegments(fit.table.slice(0, 10), prediction)).toThrow('withSegments: the prediction has 600 rows, the table has 10');
  });
});
