// SPDX-License-Identifier: MIT
import * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { takeRows } from '../../src/data/takeRows.js';

describe('takeRows', () => {
  it('gives the rows asked for, in that order, with the column types kept (dictionaries and nulls included)', () => {
    const table = new arrow.Table({
      n: arrow.vectorFromArray([5, 6, null, 8], new arrow.Int32()),
      x: arrow.vectorFromArray([0.5, 1.5, 2.5, 3.5], new arrow.Float64()),
      plan: arrow.vectorFromArray(['free', 'pro', 'free', null], new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32())),
    });
    const out = takeRows(table, Int32Array.of(3, 0, 2));
    expect(out.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(table.schema.fields.map((f) => `${f.name}:${f.type}`));
    expect(Array.from(out.getChild('n') ?? [])).toEqual([8, 5, null]);
    expect(Array.from(out.getChild('x') ?? [])).toEqual([3.5, 0.5, 2.5]);
    expect(Array.from(out.getChild('plan') ?? [])).toEqual([null, 'free', 'free']);
    expect(takeRows(table, new Int32Array(0)).numRows).toBe(0);
  });

  it('reads every chunk of a multi-batch table (sliced chunks, nulls, text, dictionaries, bigints, booleans) as the cells read one by one', () => {
    const batch = (from: number, m: number): arrow.Table =>
      new arrow.Table({
        i: arrow.vectorFromArray(Array.from({ length: m }, (_, r) => ((from + r) % 5 === 0 ? null : from + r)), new arrow.Int32()),
        f: arrow.vectorFromArray(Array.from({ length: m }, (_, r) => ((from + r) % 7 === 0 ? null : (from + r) / 4)), new arrow.Float32()),
        t: arrow.vectorFromArray(Array.from({ length: m }, (_, r) => ((from + r) % 6 === 0 ? null : `row ${from + r} é`)), new arrow.Utf8()),
        b: arrow.vectorFromArray(Array.from({ length: m }, (_, r) => (from + r) % 3 === 0), new arrow.Bool()),
        g: arrow.vectorFromArray(Array.from({ length: m }, (_, r) => BigInt(from + r)), new arrow.Int64()),
      });
    // Three batches, the middle one a slice (its buffers start at an offset).
    const middle = batch(20, 40).slice(7, 37);
    const table = new arrow.Table([...batch(0, 20).batches, ...middle.batches, ...batch(57, 25).batches]);
    const plan = arrow.vectorFromArray(Array.from({ length: table.numRows }, (_, r) => (r % 4 === 3 ? null : ['a', 'b', 'c'][r % 3])), new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32()));
    const whole = table.assign(new arrow.Table({ plan }));
    expect(whole.batches.length).toBeGreaterThan(1);
    const rows = Int32Array.of(74, 0, 21, 20, 49, 19, 50, 3, 74, 30);
    const out = takeRows(whole, rows);
    for (const field of whole.schema.fields) {
      const source = whole.getChild(field.name) as arrow.Vector;
      const got = out.getChild(field.name) as arrow.Vector;
      expect(String(got.type), field.name).toBe(String(field.type));
      expect(Array.from(got), field.name).toEqual(Array.from(rows, (r) => source.get(r)));
    }
    expect(() => takeRows(whole, Int32Array.of(whole.numRows))).toThrow(/takeRows: rows: row 75 is not in a table of 75 rows|row 75 is not in a table of 75 rows/);
  });
});
