// SPDX-License-Identifier: MIT
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableToIPC } from 'apache-arrow';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { formatFromMagic, formatFromName, readNotes, readTable } from '../../src/data/readTable.js';
import { DataError, ParameterError } from '../../src/errors.js';
import { dataPath } from '../helpers/data.js';

const MALL = dataPath('Mall_Customers.csv');

async function* chunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.slice(i, i + size);
}

describe('readTable', () => {
  it('reads a CSV file path in Node', async () => {
    const { table, report } = await readTable(MALL);
    expect([table.numRows, table.numCols]).toEqual([200, 5]);
    expect(report).toMatchObject({ format: 'csv', delimiter: ',', bytesRead: 4286 });
  });

  it('tells the format by magic bytes from bytes, a Blob and a stream', async () => {
    const csv = (await readTable(MALL)).table;
    const arrowFile = tableToIPC(csv, 'file');
    const arrowStream = tableToIPC(csv, 'stream');
    const parquet = new Uint8Array(
      parquetWriteBuffer({ columnData: [{ name: 'Age', data: Array.from(csv.getChild('Age')!, (v) => v) as number[], type: 'INT32' }] }),
    );
    expect([formatFromMagic(arrowFile), formatFromMagic(arrowStream), formatFromMagic(parquet), formatFromMagic(new Uint8Array([0x61]))]).toEqual([
      'arrow',
      'arrow',
      'parquet',
      'csv',
    ]);
    for (const bytes of [arrowFile, arrowStream]) {
      expect((await readTable(bytes)).table.numRows).toBe(200);
      expect((await readTable(new Blob([bytes as Uint8Array<ArrayBuffer>]))).report.format).toBe('arrow');
      expect((await readTable(chunks(bytes, 5))).table.numRows).toBe(200);
    }
    const pq = await readTable(chunks(parquet, 3));
    expect(pq.report.format).toBe('parquet');
    expect(pq.report.notes).toContain('parquet needs random access: the stream was read into memory');
    expect(Array.from(pq.table.getChild('Age')!)).toEqual(Array.from(csv.getChild('Age')!));
    expect((await readTable(new Blob([parquet]))).table.numRows).toBe(200);
    const text = new Uint8Array(readFileSync(MALL));
    expect((await readTable(chunks(text, 3))).table.numRows).toBe(200);
  });

  it('uses the extension of a File name, and the format option over everything', async () => {
    expect([formatFromName('a.CSV'), formatFromName('x.parquet'), formatFromName('y.arrows'), formatFromName('z')]).toEqual(['csv', 'parquet', 'arrow', undefined]);
    const file = new File([readFileSync(MALL)], 'mall.csv');
    const { report } = await readTable(file, { maxRows: 10 });
    expect(report).toMatchObject({ format: 'csv', rows: 10, truncated: true });
    await expect(readTable(new Uint8Array(readFileSync(MALL)), { format: 'parquet' })).rejects.toThrow(/not a Parquet file/);
  });

  it('rejects what it cannot read', async () => {
    await expect(readTable(42 as never)).rejects.toThrow(ParameterError);
    await expect(readTable('/nonexistent/file.csv')).rejects.toThrow("readTable: cannot open '/nonexistent/file.csv': no such file");
  });

  it('refuses a folder given as the file, naming it (not a bare EISDIR)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'segments-readTable-'));
    const err = await readTable(dir).catch((e) => e);
    expect(err).toBeInstanceOf(DataError);
    expect(err.message).toBe(`readTable: '${dir}' is a folder, not a table file: give a CSV, Arrow or Parquet file`);
  });

  it('readNotes gives what the reader noted: the separator sniffed, repeated names renamed', async () => {
    const { report } = await readTable(new TextEncoder().encode('a;b;a\n1;2;3\n4;5;6\n'), { format: 'csv' });
    expect(readNotes(report)).toEqual(['delimiter sniffed: ;', "repeated column names renamed: 'a' → 'a.1'"]);
  });

  it('loads Node modules only through a dynamic import, so the module bundles for the browser', () => {
    for (const f of ['readTable', 'csv', 'arrow', 'parquet', 'inferKinds', 'ranges']) {
      const src = readFileSync(new URL(`../../src/data/${f}.ts`, import.meta.url), 'utf8');
      expect(src).not.toMatch(/^import[^;]*from ['"](node:)?(fs|path|stream|buffer)['"]/m);
    }
  });
});
