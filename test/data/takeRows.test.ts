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
});
