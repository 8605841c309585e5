// SPDX-License-Identifier: MIT
import { Table, tableFromArrays, tableToIPC, vectorFromArray, Utf8 } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { arrowBatches, readArrow } from '../../src/data/arrow.js';
import { DataError, ParameterError } from '../../src/errors.js';

function sample(n: number): Table {
  const age = Int32Array.from({ length: n }, (_, i) => 18 + (i % 50));
  const ctr = Float64Array.from({ length: n }, (_, i) => i / n);
  const gender = vectorFromArray(Array.from({ length: n }, (_, i) => (i % 7 === 0 ? null : i % 2 ? 'Male' : 'Female')), new Utf8());
  return new Table({ age: tableFromArrays({ age }).getChild('age')!, ctr: tableFromArrays({ ctr }).getChild('ctr')!, gender });
}

function rows(t: Table): unknown[] {
  return t.toArray().map((r) => ({ ...r.toJSON() }));
}

async function* chunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.slice(i, i + size);
}

describe('readArrow', () => {
  const table = sample(1000);

  for (const format of ['file', 'stream'] as const) {
    it(`reads the IPC ${format} format back, from bytes and from a stream of chunks`, async () => {
      const bytes = tableToIPC(table, format);
      const fromBytes = await readArrow(bytes);
      expect(fromBytes.table.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(['age:Int32', 'ctr:Float64', 'gender:Utf8']);
      expect(rows(fromBytes.table)).toEqual(rows(table));
      expect(fromBytes.report).toMatchObject({ format: 'arrow', rows: 1000, columns: 3, bytesRead: bytes.length });
      const fromStream = await readArrow(chunks(bytes, 333));
      expect(rows(fromStream.table)).toEqual(rows(table));
      expect(fromStream.table.getChild('gender')!.nullCount).toBe(143);
    });
  }

  it('reads a row range across record batches', async () => {
    const many = new Table([...sample(100).batches, ...sample(100).batches, ...sample(100).batches]);
    const bytes = tableToIPC(many, 'stream');
    const { table, report } = await readArrow(bytes, { rowStart: 150, maxRows: 100 });
    expect(table.numRows).toBe(100);
    expect(rows(table)).toEqual(rows(many).slice(150, 250));
    expect(report.truncated).toBe(true);
    let seen = 0;
    for await (const b of arrowBatches(chunks(bytes, 4096), { rowEnd: 120 })) seen += b.numRows;
    expect(seen).toBe(120);
  });

  it('names bad input and bad options', async () => {
    await expect(readArrow(new TextEncoder().encode('a,b\n1,2\n'))).rejects.toThrow(DataError);
    const bytes = tableToIPC(table, 'file');
    await expect(readArrow(bytes.subarray(0, bytes.length - 40))).rejects.toThrow(DataError);
    await expect(readArrow(bytes, { rowStart: -1 })).rejects.toThrow(ParameterError);
  });
});
