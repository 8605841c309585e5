// SPDX-License-Identifier: MIT
// The checks of arrowCheck.ts, through readArrow (src/data/arrow.ts), on files each test damages by hand.
import {
  Bool,
  DateDay,
  Dictionary,
  Field,
  FixedSizeList,
  Float32,
  Float64,
  Int32,
  Int64,
  LargeUtf8,
  List,
  Message,
  MessageHeader,
  Null,
  Struct,
  Table,
  TimestampMillisecond,
  Uint8,
  Utf8,
  tableToIPC,
  vectorFromArray,
} from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { readArrow } from '../../src/data/arrow.js';
import { writeTable } from '../../src/data/writers.js';
import { DataError } from '../../src/errors.js';

async function* chunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.slice(i, i + size);
}

/** The messages of an Arrow IPC stream: where each metadata and body start. */
function messages(bytes: Uint8Array): { message: Message; metaStart: number; metadata: Uint8Array; bodyStart: number }[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = [];
  let at = 0;
  for (;;) {
    const length = view.getInt32(at + 4, true);
    if (length === 0) return out;
    const metadata = bytes.subarray(at + 8, at + 8 + length);
    const message = Message.decode(metadata);
    out.push({ message, metaStart: at + 8, metadata, bodyStart: at + 8 + length });
    at += 8 + length + Number(message.bodyLength);
  }
}

/** Where `pattern` starts in `bytes` (it must be there once). */
function findOnce(bytes: Uint8Array, pattern: number[]): number {
  const hits = [];
  for (let i = 0; i + pattern.length <= bytes.length; i++) if (pattern.every((b, k) => bytes[i + k] === b)) hits.push(i);
  expect(hits, 'the pattern is there once').toHaveLength(1);
  return hits[0];
}

const le = (v: number, size: 4 | 8): number[] => Array.from({ length: size }, (_, k) => (k < 6 ? Math.floor(v / 2 ** (8 * k)) & 0xff : 0));

/** The 12-row table of the mutation property (test/data/readTable.test.ts). */
function hostile(): Table {
  const texts = ['plain', 'comma, inside', 'say "hi"', 'two\nlines', 'ünïcödé ✓', null, '', '😀'];
  return new Table({
    name: vectorFromArray(Array.from({ length: 12 }, (_, i) => texts[i % texts.length]), new Utf8()),
    x: vectorFromArray(Array.from({ length: 12 }, (_, i) => (i === 4 ? null : (i - 5) * 1.25e-3)), new Float64()),
    n: vectorFromArray(Array.from({ length: 12 }, (_, i) => i * 1000 - 3), new Int32()),
    ok: vectorFromArray(Array.from({ length: 12 }, (_, i) => i % 3 === 0), new Bool()),
  });
}

async function refusal(bytes: Uint8Array | AsyncIterable<Uint8Array>): Promise<string> {
  const err = await readArrow(bytes).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(DataError);
  return (err as Error).message;
}

describe('readArrow checks what apache-arrow would trust before it decodes', () => {
  /** The rows as JSON (list cells as arrays, 64-bit integers as text). */
  const plain = (t: Table): unknown => JSON.parse(JSON.stringify(t.toArray(), (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v)));

  it('reads every layout the check models, in both formats and in chunks (nothing valid refused)', async () => {
    const n = 40;
    const colours = new Dictionary(new Utf8(), new Int32(), 0);
    const batch = (k: number): Table =>
      new Table({
        dict: vectorFromArray(Array.from({ length: n }, (_, i) => (i % 9 === 0 ? null : ['red', 'green', 'blue', 'grey'][(i + k) % (3 + k)])), colours),
        list: vectorFromArray(Array.from({ length: n }, (_, i) => (i % 7 === 0 ? null : Array.from({ length: i % 4 }, (_, j) => i * 10 + j))), new List(new Field('item', new Int32(), true))),
        struct: vectorFromArray(
          Array.from({ length: n }, (_, i) => (i % 5 === 0 ? null : { a: i / 4, b: `s${i}` })),
          new Struct([new Field('a', new Float64(), true), new Field('b', new Utf8(), true)]),
        ),
        pair: vectorFromArray(Array.from({ length: n }, (_, i) => [i, -i]), new FixedSizeList(2, new Field('v', new Float32(), true))),
        large: vectorFromArray(Array.from({ length: n }, (_, i) => (i % 6 === 0 ? null : 'é'.repeat(i % 5))), new LargeUtf8()),
        day: vectorFromArray(Array.from({ length: n }, (_, i) => new Date(Date.UTC(2020, 0, 1 + i))), new DateDay()),
        ts: vectorFromArray(Array.from({ length: n }, (_, i) => Date.UTC(2021, 5, 1, i)), new TimestampMillisecond()),
        big: vectorFromArray(Array.from({ length: n }, (_, i) => BigInt(i) ** 5n), new Int64()),
        byte: vectorFromArray(Array.from({ length: n }, (_, i) => i * 6), new Uint8()),
        nothing: vectorFromArray(Array.from({ length: n }, () => null), new Null()),
        ok: vectorFromArray(Array.from({ length: n }, (_, i) => (i % 8 === 0 ? null : i % 3 === 0)), new Bool()),
      });
    const first = batch(0);
    const table = new Table([...first.batches, ...first.batches]);
    // row 1, by hand
    expect((plain(table) as unknown[])[1]).toEqual({
      dict: 'green',
      list: [10],
      struct: { a: 0.25, b: 's1' },
      pair: [1, -1],
      large: 'é',
      day: Date.UTC(2020, 0, 2),
      ts: Date.UTC(2021, 5, 1, 1),
      big: '1',
      byte: 6,
      nothing: null,
      ok: false,
    });
    for (const format of ['file', 'stream'] as const) {
      const bytes = tableToIPC(table, format);
      expect(plain((await readArrow(bytes)).table), format).toEqual(plain(table));
      expect(plain((await readArrow(chunks(bytes, 100))).table), `${format} in chunks`).toEqual(plain(table));
    }
    // a stream whose dictionary changes between batches (a second dictionary batch)
    const two = new Table([...first.batches, ...batch(1).batches]);
    const changing = tableToIPC(two, 'stream');
    expect(messages(changing).filter((m) => m.message.headerType === MessageHeader.DictionaryBatch)).toHaveLength(2);
    expect(plain((await readArrow(changing)).table)).toEqual(plain(two));
  });

  const stream = (): Promise<Uint8Array> => writeTable(hostile(), null, { format: 'arrow-stream' }).then((r) => r.data!);

  it('refuses a field node list longer than its metadata (apache-arrow builds that many nodes: gigabytes)', async () => {
    const bytes = await stream();
    const [, batch] = messages(bytes);
    const nodes = (batch.message.header() as unknown as { nodes: { length: number; nullCount: number }[] }).nodes;
    expect(nodes.map((m) => [m.length, m.nullCount])).toEqual([[12, 1], [12, 1], [12, 0], [12, 0]]);
    const at = batch.metaStart + findOnce(batch.metadata, [...le(4, 4), ...le(12, 8), ...le(1, 8)]);
    const damaged = bytes.slice();
    damaged.set(le(0x7fffffff, 4), at);
    expect(await refusal(damaged)).toBe(
      `readArrow: the Arrow stream is damaged: message 1 (at byte ${batch.metaStart - 8}): its field node list says it has 2147483647 entries, more than its ${batch.metadata.length} bytes of metadata hold`,
    );
  });

  it('refuses a field node longer than its batch, and more nulls than values', async () => {
    const bytes = await stream();
    const [, batch] = messages(bytes);
    const at = batch.metaStart + findOnce(batch.metadata, [...le(4, 4), ...le(12, 8), ...le(1, 8)]) + 4;
    const longer = bytes.slice();
    longer.set(le(1e9, 8), at + 16); // column x: 10^9 values
    expect(await refusal(longer)).toBe(`readArrow: the Arrow stream is damaged: message 1 (at byte ${batch.metaStart - 8}): column 'x' has 1000000000 values where 12 are expected`);
    const nulls = bytes.slice();
    nulls.set(le(13, 8), at + 8); // column name: 13 nulls
    expect(await refusal(nulls)).toBe(`readArrow: the Arrow stream is damaged: message 1 (at byte ${batch.metaStart - 8}): column 'name' has 13 nulls in 12 values`);
  });

  it('refuses a batch whose buffers are too short for its length, or lie outside its body', async () => {
    const bytes = await stream();
    const [, batch] = messages(bytes);
    const nodesAt = findOnce(batch.metadata, [...le(4, 4), ...le(12, 8), ...le(1, 8)]);
    // every length 12 → 100000: the record batch's own length, and each field node's
    const damaged = bytes.slice();
    for (let k = 0; k < 4; k++) damaged.set(le(100000, 8), batch.metaStart + nodesAt + 4 + 16 * k);
    const lengthAt = findOnce(damaged.subarray(batch.metaStart, batch.bodyStart), le(12, 8));
    damaged.set(le(100000, 8), batch.metaStart + lengthAt);
    expect(await refusal(damaged)).toBe(
      `readArrow: the Arrow stream is damaged: message 1 (at byte ${batch.metaStart - 8}): column 'name''s validity buffer has 64 bytes where its null count needs 12500`,
    );
    const buffers = (batch.message.header() as unknown as { buffers: { offset: number; length: number }[] }).buffers;
    const b = buffers[4]; // the data of column x
    const at = findOnce(batch.metadata, [...le(b.offset, 8), ...le(b.length, 8)]);
    const outside = bytes.slice();
    outside.set(le(b.length + 4096, 8), batch.metaStart + at + 8);
    const body = Number(batch.message.bodyLength);
    expect(await refusal(outside)).toBe(
      `readArrow: the Arrow stream is damaged: message 1 (at byte ${batch.metaStart - 8}): column 'x''s data buffer lies outside the message body (bytes ${b.offset}–${b.offset + b.length + 4096} of ${body})`,
    );
  });

  it('refuses text offsets that fall', async () => {
    const bytes = await stream();
    const [, batch] = messages(bytes);
    const offsets = (batch.message.header() as unknown as { buffers: { offset: number; length: number }[] }).buffers[1];
    const damaged = bytes.slice();
    const at = batch.bodyStart + offsets.offset + 4 * 3; // the offset of value 3, after 'plain', 'comma, inside', 'say "hi"'
    expect(new DataView(bytes.buffer, bytes.byteOffset).getInt32(at, true)).toBe(5 + 13 + 8);
    damaged.set(le(2, 4), at);
    expect(await refusal(damaged)).toBe(`readArrow: the Arrow stream is damaged: message 1 (at byte ${batch.metaStart - 8}): column 'name''s offsets fall (value 3: 2 after 18)`);
  });

  it('refuses a dictionary index past its dictionary (apache-arrow reads it as null)', async () => {
    const table = new Table({ colour: vectorFromArray(['red', 'green', 'blue', 'green'], new Dictionary(new Utf8(), new Int32())) });
    const bytes = tableToIPC(table, 'stream');
    const [, dictionary, batch] = messages(bytes);
    expect(dictionary.message.headerType).toBe(MessageHeader.DictionaryBatch);
    const indices = (batch.message.header() as unknown as { buffers: { offset: number; length: number }[] }).buffers[1];
    const damaged = bytes.slice();
    damaged.set(le(7, 4), batch.bodyStart + indices.offset + 4); // value 1: index 7 of 3
    expect(await refusal(damaged)).toBe(`readArrow: the Arrow stream is damaged: message 2 (at byte ${batch.metaStart - 8}): column 'colour''s value 1 is index 7 of a dictionary of 3`);
  });

  it('refuses bytes after the end-of-stream marker, and finds damage in a stream read in chunks', async () => {
    const bytes = await stream();
    expect(await refusal(Uint8Array.from([...bytes, 1, 2, 3]))).toBe('readArrow: the Arrow stream is damaged: message 2 (at byte ' + (bytes.length - 8) + '): 3 bytes follow its end-of-stream marker');
    const [, batch] = messages(bytes);
    const at = batch.metaStart + findOnce(batch.metadata, [...le(4, 4), ...le(12, 8), ...le(1, 8)]) + 4;
    const damaged = bytes.slice();
    damaged.set(le(13, 8), at + 8);
    expect(await refusal(chunks(damaged, 10))).toBe(`readArrow: the Arrow stream is damaged: message 1 (at byte ${batch.metaStart - 8}): column 'name' has 13 nulls in 12 values`);
  });

  it("refuses a file's damaged dictionary batch before apache-arrow opens the file (it decodes the dictionaries as it opens)", async () => {
    const table = new Table({ colour: vectorFromArray(['red', 'green', 'blue', 'green'], new Dictionary(new Utf8(), new Int32())) });
    const bytes = tableToIPC(table, 'file');
    // the dictionary batch is the first message, at byte 8; its data has one field node (3 values, no nulls)
    const [dictionary] = messages(bytes.subarray(8));
    expect(dictionary.message.headerType).toBe(MessageHeader.DictionaryBatch);
    const at = 8 + dictionary.metaStart + findOnce(dictionary.metadata, [...le(1, 4), ...le(3, 8), ...le(0, 8)]);
    const damaged = bytes.slice();
    damaged.set(le(0x01000000, 4), at);
    expect(await refusal(damaged)).toBe(
      `readArrow: the Arrow file is damaged: dictionary batch 0 (at byte 8): its field node list says it has 16777216 entries, more than its ${dictionary.metadata.length} bytes of metadata hold`,
    );
  });

  it('refuses a stream cut inside a batch, from bytes and from chunks', async () => {
    const bytes = await stream();
    const [, batch] = messages(bytes);
    const end = batch.bodyStart + Number(batch.message.bodyLength);
    const cut = bytes.slice(0, end - 10);
    const message = `readArrow: the Arrow stream is damaged: message 1 (at byte ${batch.metaStart - 8}): its body of ${Number(batch.message.bodyLength)} bytes runs past the end of the stream (byte ${end} of ${end - 10})`;
    expect(await refusal(cut)).toBe(message);
    expect(await refusal(chunks(cut, 100))).toBe(message);
  });

  it('refuses a file whose footer is damaged or whose blocks lie outside it', async () => {
    const bytes = (await writeTable(hostile(), null, { format: 'arrow' })).data!;
    const footerLength = new DataView(bytes.buffer, bytes.byteOffset).getInt32(bytes.length - 10, true);
    const long = bytes.slice();
    long.set(le(bytes.length, 4), bytes.length - 10);
    expect(await refusal(long)).toBe(`readArrow: the Arrow file is damaged: its footer: its footer length ${bytes.length} does not fit in ${bytes.length} bytes`);
    // the footer's one record batch block (offset, metadata length, body length): the batch is
    // at byte 8, after ARROW1 and its padding (the writer puts the schema in the footer only)
    const footer = bytes.subarray(bytes.length - 10 - footerLength, bytes.length - 10);
    const [batch] = messages(bytes.subarray(8));
    expect(batch.message.headerType).toBe(MessageHeader.RecordBatch);
    const blockAt = findOnce(footer, [...le(8, 8), ...le(8 + batch.metadata.length, 4)]);
    const outside = bytes.slice();
    outside.set(le(1e6, 8), bytes.length - 10 - footerLength + blockAt + 16); // its body: 10^6 bytes
    expect(await refusal(outside)).toBe(
      `readArrow: the Arrow file is damaged: record batch 0 (at byte 8): it lies outside the file (offset 8, ${8 + batch.metadata.length} + 1000000 bytes, the file has ${bytes.length})`,
    );
  });
});
