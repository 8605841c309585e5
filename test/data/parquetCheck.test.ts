// SPDX-License-Identifier: MIT
// The checks of parquetCheck.ts, through readParquet (src/data/parquet.ts), on files each test damages by hand.
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { readParquet, type AsyncBuffer } from '../../src/data/parquet.js';
import { DataError } from '../../src/errors.js';

const buffer = (bytes: Uint8Array): AsyncBuffer => ({ byteLength: bytes.length, slice: (s, e) => bytes.slice(s, e).buffer });

/** The pages of the first column chunk of a file: where each header and its data start. */
function pages(bytes: Uint8Array): { header: ReturnType<typeof parquetHeader>; headerStart: number; dataStart: number }[] {
  const meta = parquetMetadata(bytes.slice().buffer).row_groups[0].columns[0].meta_data!;
  const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
  const end = start + Number(meta.total_compressed_size);
  const reader = { view: new DataView(bytes.buffer, bytes.byteOffset, end), offset: start };
  const out = [];
  while (reader.offset < end) {
    const headerStart = reader.offset;
    const header = parquetHeader(reader);
    out.push({ header, headerStart, dataStart: reader.offset });
    reader.offset += header.compressed_page_size;
  }
  return out;
}

async function refusal(bytes: Uint8Array): Promise<string> {
  const err = await readParquet(buffer(bytes)).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(DataError);
  return (err as Error).message;
}

describe('readParquet checks what hyparquet would trust before it decodes', () => {
  it('reads files of every encoding, codec and page version the check walks (nothing valid refused)', async () => {
    const n = 300;
    const ints = Int32Array.from({ length: n }, (_, i) => (i * 7919) % 1000 - 500);
    const bigs = BigInt64Array.from({ length: n }, (_, i) => BigInt(i) * 123456789n - 5n);
    const doubles = Float64Array.from({ length: n }, (_, i) => i / 7 - 20);
    const texts = Array.from({ length: n }, (_, i) => (i % 11 === 0 ? null : `w${i % 5}${'x'.repeat(i % 3)}`));
    const flags = Array.from({ length: n }, (_, i) => (i % 13 === 0 ? null : i % 3 === 0));
    for (const codec of ['SNAPPY', 'UNCOMPRESSED'] as const) {
      const bytes = new Uint8Array(
        parquetWriteBuffer({
          codec,
          pageSize: 200,
          rowGroupSize: 120,
          columnData: [
            { name: 'delta32', data: ints, type: 'INT32', nullable: false, encoding: 'DELTA_BINARY_PACKED' },
            { name: 'delta64', data: bigs, type: 'INT64', nullable: false, encoding: 'DELTA_BINARY_PACKED' },
            { name: 'split', data: doubles, type: 'DOUBLE', nullable: false, encoding: 'BYTE_STREAM_SPLIT' },
            { name: 'dict', data: texts, type: 'STRING' },
            { name: 'lengths', data: texts, type: 'STRING', encoding: 'DELTA_LENGTH_BYTE_ARRAY' },
            { name: 'prefixes', data: texts, type: 'STRING', encoding: 'DELTA_BYTE_ARRAY' },
            { name: 'plain', data: texts, type: 'STRING', encoding: 'PLAIN' },
            { name: 'flags', data: flags, type: 'BOOLEAN' },
          ],
        }),
      );
      expect(pages(bytes).length, 'several pages').toBeGreaterThan(1);
      const { table } = await readParquet(buffer(bytes));
      expect(Array.from(table.getChild('delta32')!)).toEqual(Array.from(ints));
      expect(Array.from(table.getChild('delta64')!)).toEqual(Array.from(bigs));
      expect(Array.from(table.getChild('split')!)).toEqual(Array.from(doubles));
      for (const c of ['dict', 'lengths', 'prefixes', 'plain']) expect(Array.from(table.getChild(c)!), c).toEqual(texts);
      expect(Array.from(table.getChild('flags')!)).toEqual(flags);
    }
  });

  it('reads a list column over several pages (repetition and definition levels walked), with both codecs', async () => {
    const data = Array.from({ length: 50 }, (_, i) => (i % 7 === 0 ? null : Array.from({ length: i % 4 }, (_, j) => (j === 2 ? null : i * 10 + j))));
    for (const codec of ['SNAPPY', 'UNCOMPRESSED'] as const) {
      const bytes = new Uint8Array(
        parquetWriteBuffer({
          codec,
          pageSize: 64,
          columnData: [
            { name: 'tags', data: data as never },
            { name: 'n', data: Int32Array.from({ length: 50 }, (_, i) => i) },
          ],
          schema: [
            { name: 'root', num_children: 2 },
            { name: 'tags', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
            { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
            { name: 'element', type: 'INT32', repetition_type: 'OPTIONAL' },
            { name: 'n', type: 'INT32', repetition_type: 'REQUIRED' },
          ],
        }),
      );
      expect(pages(bytes).length, 'several pages').toBeGreaterThan(1);
      const { table } = await readParquet(buffer(bytes));
      // nested columns are carried as JSON text
      expect(Array.from(table.getChild('tags')!, (v) => (v == null ? null : JSON.parse(v as string))), codec).toEqual(data);
      expect(Array.from(table.getChild('n')!)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    }
  });

  it('refuses a definition-level run longer than the values left (hyparquet loops over any count it reads)', async () => {
    const bytes = new Uint8Array(parquetWriteBuffer({ codec: 'UNCOMPRESSED', columnData: [{ name: 'x', data: Float64Array.from({ length: 100 }, (_, i) => i), type: 'DOUBLE' }] }));
    const [page] = pages(bytes);
    // the levels are one run: 100 × level 1, its header the varint 200 (c8 01)
    expect(Array.from(bytes.subarray(page.dataStart, page.dataStart + 3))).toEqual([0xc8, 0x01, 0x01]);
    const damaged = bytes.slice();
    damaged.set([0xfe, 0x7f], page.dataStart); // a run of 8191 values
    expect(await refusal(damaged)).toBe(
      `readParquet: the Parquet file is damaged: row group 0, column 'x': its definition levels have a run of 8191 values at byte 0, where 100 are left (page at byte ${page.headerStart})`,
    );
  });

  it('refuses a dictionary index past the dictionary (hyparquet gives undefined for it)', async () => {
    const data = Array.from({ length: 16 }, (_, i) => ['a', 'b', 'c'][i % 3]);
    const bytes = new Uint8Array(parquetWriteBuffer({ codec: 'UNCOMPRESSED', columnData: [{ name: 's', data, type: 'STRING', nullable: false }] }));
    const [dict, page] = pages(bytes);
    expect([dict.header.type, dict.header.dictionary_page_header?.num_values, page.header.data_page_header_v2?.encoding]).toEqual(['DICTIONARY_PAGE', 3, 'RLE_DICTIONARY']);
    expect(bytes[page.dataStart]).toBe(2); // the bit width of the indices
    const damaged = bytes.slice();
    damaged.set([16 << 1, 3], page.dataStart + 1); // one run: 16 × index 3
    expect((await parquetReadObjects({ file: damaged.slice().buffer }))[0].s).toBeUndefined();
    expect(await refusal(damaged)).toBe(
      `readParquet: the Parquet file is damaged: row group 0, column 's': a dictionary index 3 is past its 3 entries (page at byte ${page.headerStart})`,
    );
  });

  it('refuses a Snappy page whose own length disagrees with its header', async () => {
    const bytes = new Uint8Array(parquetWriteBuffer({ columnData: [{ name: 'n', data: Int32Array.from({ length: 20 }, (_, i) => i * i), type: 'INT32', nullable: false }] }));
    const [page] = pages(bytes);
    expect([page.header.uncompressed_page_size, bytes[page.dataStart]]).toEqual([80, 80]);
    const damaged = bytes.slice();
    damaged[page.dataStart] = 120;
    expect(await refusal(damaged)).toBe(
      `readParquet: the Parquet file is damaged: row group 0, column 'n': a Snappy page says 120 bytes where its header says 80 (page at byte ${page.headerStart})`,
    );
  });

  it('refuses a Snappy literal longer than its page (hyparquet reads its 4-byte length as negative and goes back through the page: still running after 40 s when tried)', async () => {
    const bytes = new Uint8Array(parquetWriteBuffer({ columnData: [{ name: 'n', data: Int32Array.from({ length: 20 }, (_, i) => i * i), type: 'INT32', nullable: false }] }));
    const [page] = pages(bytes);
    // length 80, then a literal of 61 bytes: tag f0 (a 1-byte length follows), 60, the bytes
    expect(Array.from(bytes.subarray(page.dataStart, page.dataStart + 7))).toEqual([80, 0xf0, 60, 0, 0, 0, 0]);
    const damaged = bytes.slice();
    damaged.set([0xfc, 60, 0, 0, 0x80], page.dataStart + 1); // tag fc: a 4-byte length, 2^31 + 60 (+ 1)
    expect(await refusal(damaged)).toBe(
      `readParquet: the Parquet file is damaged: row group 0, column 'n': its Snappy literal of 2147483709 bytes at byte 1 runs past the page's ${page.header.compressed_page_size} (page at byte ${page.headerStart})`,
    );
  });

  it('refuses delta blocks that hold no values (hyparquet loops on them without end)', async () => {
    const bytes = new Uint8Array(
      parquetWriteBuffer({ codec: 'UNCOMPRESSED', columnData: [{ name: 'n', data: Int32Array.from({ length: 50 }, (_, i) => 3 * i), type: 'INT32', nullable: false, encoding: 'DELTA_BINARY_PACKED' }] }),
    );
    const [page] = pages(bytes);
    // block size 128 (80 01), 4 miniblocks, 50 values, first value 0
    expect(Array.from(bytes.subarray(page.dataStart, page.dataStart + 5))).toEqual([0x80, 0x01, 4, 50, 0]);
    const damaged = bytes.slice();
    damaged.set([0x80, 0x00], page.dataStart); // block size 0
    expect(await refusal(damaged)).toBe(
      `readParquet: the Parquet file is damaged: row group 0, column 'n': its values have delta blocks of 0 values in 4 miniblocks (page at byte ${page.headerStart})`,
    );
  });

  it('refuses a column chunk whose physical type is not the type in the schema (hyparquet would give 64-bit values to a 32-bit column)', async () => {
    const bytes = new Uint8Array(parquetWriteBuffer({ codec: 'UNCOMPRESSED', columnData: [{ name: 'n', data: Int32Array.from({ length: 5 }, (_, i) => i), type: 'INT32', nullable: false }] }));
    // in the footer, the chunk's ColumnMetaData starts with field 1, its type: 15 (i32), 02 (INT32, zigzag), then 19 (its encodings)
    const footerStart = bytes.length - 8 - new DataView(bytes.buffer, bytes.byteOffset).getInt32(bytes.length - 8, true);
    const hits = [];
    for (let i = footerStart; i + 3 <= bytes.length; i++) if (bytes[i] === 0x15 && bytes[i + 1] === 0x02 && bytes[i + 2] === 0x19) hits.push(i);
    expect(hits).toHaveLength(1);
    const damaged = bytes.slice();
    damaged[hits[0] + 1] = 0x04; // INT64
    expect(await refusal(damaged)).toBe("readParquet: the Parquet file is damaged: row group 0, column 'n': its chunk holds INT64 values where the schema says INT32");
  });

  it('refuses a text value longer than its page', async () => {
    const bytes = new Uint8Array(parquetWriteBuffer({ codec: 'UNCOMPRESSED', columnData: [{ name: 's', data: ['ab', 'cde', 'f'], type: 'STRING', nullable: false, encoding: 'PLAIN' }] }));
    const [page] = pages(bytes);
    // PLAIN text: a 4-byte length, then the bytes, for each value
    expect(Array.from(bytes.subarray(page.dataStart, page.dataStart + 6))).toEqual([2, 0, 0, 0, 0x61, 0x62]);
    const damaged = bytes.slice();
    damaged.set([0xff, 0xff, 0xff, 0x7f], page.dataStart);
    expect(await refusal(damaged)).toBe(
      `readParquet: the Parquet file is damaged: row group 0, column 's': value 0 of its values (2147483647 bytes at byte 4) runs past the end of the values of a data page (${page.header.compressed_page_size} bytes) (page at byte ${page.headerStart})`,
    );
  });

  it('refuses a page that runs past its column chunk', async () => {
    const bytes = new Uint8Array(parquetWriteBuffer({ codec: 'UNCOMPRESSED', columnData: [{ name: 'n', data: Int32Array.from({ length: 20 }, (_, i) => i), type: 'INT32', nullable: false }] }));
    const [page] = pages(bytes);
    // the compressed size is the header's third field, a zigzag varint after the second: 80 → a0 01
    const at = bytes.subarray(page.headerStart, page.dataStart).findIndex((b, i, h) => b === 0x15 && h[i + 1] === 0xa0 && h[i + 2] === 0x01 && i > 2);
    expect(at).toBeGreaterThan(0);
    const damaged = bytes.slice();
    damaged[page.headerStart + at + 1] = 0xa2; // 81 bytes
    expect(await refusal(damaged)).toBe(
      `readParquet: the Parquet file is damaged: row group 0, column 'n': a page of 81 bytes runs past the chunk's end (byte ${page.dataStart - page.headerStart} of ${page.dataStart - page.headerStart + 80}) (page at byte ${page.headerStart})`,
    );
  });
});
