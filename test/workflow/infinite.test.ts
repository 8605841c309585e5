// SPDX-License-Identifier: MIT
import * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import type { ColumnInfo, Schema } from '../../src/data/schema.js';
import { DataError } from '../../src/errors.js';
import { handleInfinite } from '../../src/workflow/infinite.js';

const info = (name: string, kind: ColumnInfo['kind'], use = true): ColumnInfo => ({ name, kind, reason: 'by hand', use, missing: 0, distinct: 0 });
const schema: Schema = { columns: [info('spend', 'number'), info('visits', 'count'), info('score', 'number', false), info('plan', 'category')], rowsSeen: 5 };
const table = new arrow.Table({
  spend: arrow.vectorFromArray([1.5, Infinity, 3, null, 5], new arrow.Float64()),
  visits: arrow.vectorFromArray([1, 2, 3, -Infinity, Infinity], new arrow.Float64()),
  // Not used: its infinity does not matter.
  score: arrow.vectorFromArray([Infinity, 0, 0, 0, 0], new arrow.Float64()),
  plan: arrow.vectorFromArray(['a', 'b', 'a', 'b', 'a'], new arrow.Utf8()),
});

describe('handleInfinite', () => {
  it("'fail' names the first row (or the file's line) and column, and how many rows", () => {
    const err = (() => {
      try {
        handleInfinite(table, schema, 'fail');
      } catch (e) {
        return e as DataError;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(DataError);
    expect(err?.message).toBe("segment: row 2, column 'spend': Infinity is not a finite number (3 row(s) hold such a value)");
    expect([err?.argument, err?.row, err?.column]).toEqual(['onBadRows', 1, 'spend']);
    expect(() => handleInfinite(table, schema, 'fail', [2, 4, 5, 6, 9])).toThrow("segment: line 4, column 'spend'");
  });

  it("'skip' leaves out the rows holding one, in a used number or count column", () => {
    const r = handleInfinite(table, schema, 'skip');
    expect(r.rows).toEqual([1, 3, 4]);
    expect(Array.from(r.table.getChild('spend') ?? [])).toEqual([1.5, 3]);
    expect(Array.from(r.table.getChild('plan') ?? [])).toEqual(['a', 'a']);
    expect(r.note).toBe("3 row(s) holding a value that is not a finite number were left out (first: row 2, column 'spend': Infinity is not a finite number)");
  });

  it("'null' sets those cells to null and keeps the rows", () => {
    const r = handleInfinite(table, schema, 'null');
    expect(r.table.numRows).toBe(5);
    expect(Array.from(r.table.getChild('spend') ?? [])).toEqual([1.5, null, 3, null, 5]);
    expect(Array.from(r.table.getChild('visits') ?? [])).toEqual([1, 2, 3, null, null]);
    expect(Array.from(r.table.getChild('score') ?? [])).toEqual([Infinity, 0, 0, 0, 0]);
    expect(r.note).toBe("3 cell(s) holding a value that is not a finite number were set to null and filled like missing cells (first: row 2, column 'spend': Infinity is not a finite number)");
  });

  it('gives the same table back when no used column holds one', () => {
    const finite = table.select(['plan', 'score']);
    const r = handleInfinite(finite, schema, 'fail');
    expect(r).toEqual({ table: finite, rows: [], note: null });
  });
});
