// SPDX-License-Identifier: MIT
import { Bool, Float64, Int32, Table, tableFromArrays, tableToIPC, vectorFromArray, Utf8 } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { arrowBatches, readArrow } from '../../src/data/arrow.js';
import { writeTable } from '../../src/data/writers.js';
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

describe('readArrow on a damaged file', () => {
  it('refuses a footer block that points at a message of another type (apache-arrow alone reads it again and again, without end)', async () => {
    // the file of the mutation property in test/data/readTable.test.ts, and the change it found
    const texts = ['plain', 'comma, inside', 'say "hi"', 'two\nlines', 'ünïcödé ✓', null, '', '😀'];
    const table = new Table({
      name: vectorFromArray(Array.from({ length: 12 }, (_, i) => texts[i % texts.length]), new Utf8()),
      x: vectorFromArray(Array.from({ length: 12 }, (_, i) => (i === 4 ? null : (i - 5) * 1.25e-3)), new Float64()),
      n: vectorFromArray(Array.from({ length: 12 }, (_, i) => i * 1000 - 3), new Int32()),
      ok: vectorFromArray(Array.from({ length: 12 }, (_, i) => i % 3 === 0), new Bool()),
    });
    const valid = (await writeTable(table, null, { format: 'arrow' })).data!;
    expect((await readArrow(valid)).table.numRows).toBe(12);
    // the record batch's message starts at byte 8 (after ARROW1 and its padding); two bytes cut
    // out of its metadata leave a header type of 0 (NONE)
    const damaged = Uint8Array.from([...valid.subarray(0, 34), ...valid.subarray(36)]);
    const err = await readArrow(damaged).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as Error).message).toBe('readArrow: the Arrow file is damaged: record batch 0 (at byte 8): its metadata points outside itself (a short at -31981548, 296 bytes)');
    // the same file in chunks (a file path is read so): read whole, then checked
    async function* chunked(b: Uint8Array): AsyncGenerator<Uint8Array> {
      yield b.subarray(0, 5);
      yield b.subarray(5, 100);
      yield b.subarray(100);
    }
    expect((await readArrow(chunked(valid))).table.numRows).toBe(12);
    await expect(readArrow(chunked(damaged))).rejects.toThrow('readArrow: the Arrow file is damaged: record batch 0 (at byte 8): its metadata points outside itself');
  });
});
