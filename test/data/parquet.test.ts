// SPDX-License-Identifier: MIT
import { readFileSync } from 'node:fs';
import type { Table } from 'apache-arrow';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { readCsv } from '../../src/data/csv.js';
import { readParquet, type AsyncBuffer } from '../../src/data/parquet.js';
import { DataError } from '../../src/errors.js';
import { DATA_DIR, dataPath } from '../helpers/data.js';

const buffer = (bytes: Uint8Array): AsyncBuffer => ({ byteLength: bytes.length, slice: (s, e) => bytes.slice(s, e).buffer });

function contents(table: Table): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  table.schema.fields.forEach((f, j) => {
    out[`${f.name}:${f.type}`] = Array.from(table.getChildAt(j)!, (v) => v);
  });
  return out;
}

/** Writes an Arrow table's columns with hyparquet-writer, keeping their types. */
function toParquet(table: Table, rowGroupSize = 1000): Uint8Array {
  const columnData = table.schema.fields.map((f, j) => {
    const values = Array.from(table.getChildAt(j)!, (v) => v);
    const t = String(f.type);
    const type = t === 'Int32' ? 'INT32' : t === 'Float64' ? 'DOUBLE' : t === 'Bool' ? 'BOOLEAN' : 'STRING';
    return { name: f.name, data: values as never, type, nullable: true } as const;
  });
  return new Uint8Array(parquetWriteBuffer({ columnData, rowGroupSize }));
}

describe('readParquet', () => {
  it('reads back what hyparquet-writer wrote: int32, double, boolean, string with nulls', async () => {
    const bytes = new Uint8Array(
      parquetWriteBuffer({
        columnData: [
          { name: 'n', data: Int32Array.from([1, 2, 3, 4]), type: 'INT32', nullable: false },
          { name: 'x', data: [0.5, null, 2.25, -1], type: 'DOUBLE' },
          { name: 'ok', data: [true, false, null, true], type: 'BOOLEAN' },
          { name: 's', data: ['a', 'é€', null, ''], type: 'STRING' },
          { name: 'big', data: [1n, 2n, 3n, 2n ** 60n], type: 'INT64' },
        ],
      }),
    );
    const { table, report } = await readParquet(buffer(bytes));
    expect(contents(table)).toEqual({
      'n:Int32': [1, 2, 3, 4],
      'x:Float64': [0.5, null, 2.25, -1],
      'ok:Bool': [true, false, null, true],
      's:Utf8': ['a', 'é€', null, ''],
      'big:Int64': [1n, 2n, 3n, 2n ** 60n],
    });
    expect(report).toMatchObject({ format: 'parquet', rows: 4, columns: 5, truncated: false });
  });

  it('CSV and Parquet of the same data give the same table', async () => {
    for (const name of ['user_profiles_for_ads.csv', 'tiktok_profilesData.csv']) {
      const csv = await readCsv(new Uint8Array(readFileSync(DATA_DIR + name)));
      const pq = await readParquet(buffer(toParquet(csv.table, 300)));
      expect(contents(pq.table)).toEqual(contents(csv.table));
    }
  });

  it('reads a row range, touching only the row groups it needs', async () => {
    const csv = await readCsv(new Uint8Array(readFileSync(dataPath('Mall_Customers.csv'))));
    const bytes = toParquet(csv.table, 50);
    const asked: [number, number | undefined][] = [];
    const file: AsyncBuffer = {
      byteLength: bytes.length,
      slice: (s, e) => {
        asked.push([s, e]);
        return bytes.slice(s, e).buffer;
      },
    };
    const { table, report } = await readParquet(file, { rowStart: 60, maxRows: 30, columns: ['Age', 'Genre'] });
    expect(table.schema.fields.map((f) => f.name)).toEqual(['Age', 'Genre']);
    const all = contents(csv.table);
    expect(contents(table)).toEqual({ 'Age:Int32': all['Age:Int32'].slice(60, 90), 'Genre:Utf8': all['Genre:Utf8'].slice(60, 90) });
    expect(report.truncated).toBe(true);
    // after the footer, only the second row group (rows 50–100) of two of the five columns is read
    const read = asked.slice(1).reduce((a, [s, e]) => a + ((e ?? bytes.length) - s), 0);
    expect(asked.length).toBeGreaterThan(1);
    expect(read).toBeLessThan(bytes.length / 4);
  });

  it('names bad input', async () => {
    await expect(readParquet(buffer(new TextEncoder().encode('a,b\n1,2\n')))).rejects.toThrow(DataError);
    await expect(readParquet(buffer(toParquet((await readCsv(new TextEncoder().encode('a\n1\n'))).table)), { columns: ['zz'] })).rejects.toThrow(/no column 'zz'/);
  });
});
