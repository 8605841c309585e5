// SPDX-License-Identifier: MIT
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { tableToIPC } from 'apache-arrow';
import fc from 'fast-check';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { CsvError } from '../../src/data/csv.js';
import { formatFromMagic, formatFromName, readNotes, readTable } from '../../src/data/readTable.js';
import { writeTable } from '../../src/data/writers.js';
import { DataError, ParameterError } from '../../src/errors.js';
import { dataPath } from '../helpers/data.js';
import { tempDir } from '../helpers/tempDir.js';

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
    const dir = tempDir('segments-readTable-');
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

// ---------------------------------------------------------------------------------------------
// Property: corrupt files give a table or a typed error, never another exception (fast-check)

/** A small valid table with the cells readers find hard: quotes, newlines, unicode, nulls. */
function validTable(): arrow.Table {
  const texts = ['plain', 'comma, inside', 'say "hi"', 'two\nlines', 'ünïcödé ✓', null, '', '😀'];
  const n = 12;
  return new arrow.Table({
    name: arrow.vectorFromArray(Array.from({ length: n }, (_, i) => texts[i % texts.length]), new arrow.Utf8()),
    x: arrow.vectorFromArray(Array.from({ length: n }, (_, i) => (i === 4 ? null : (i - 5) * 1.25e-3)), new arrow.Float64()),
    n: arrow.vectorFromArray(Array.from({ length: n }, (_, i) => i * 1000 - 3), new arrow.Int32()),
    ok: arrow.vectorFromArray(Array.from({ length: n }, (_, i) => i % 3 === 0), new arrow.Bool()),
  });
}

/** One change to a file's bytes: a byte set, a run removed, bytes inserted, or the end cut off. */
const mutation = fc.oneof(
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('remove' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 16 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ op: fc.constant('cut' as const), at: fc.nat() }),
);

function mutate(bytes: Uint8Array, changes: ReadonlyArray<typeof mutation extends fc.Arbitrary<infer T> ? T : never>): Uint8Array {
  let b = Uint8Array.from(bytes);
  for (const c of changes) {
    const at = b.length === 0 ? 0 : c.at % (b.length + 1);
    if (c.op === 'set' && at < b.length) b[at] = c.byte;
    else if (c.op === 'remove') b = Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + c.length)]);
    else if (c.op === 'insert') b = Uint8Array.from([...b.subarray(0, at), ...c.bytes, ...b.subarray(at)]);
    else if (c.op === 'cut') b = b.slice(0, at);
  }
  return b;
}

/**
 * The formats the mutation property runs on. With seed 20261207 it found, before the guards, an
 * endless loop in apache-arrow 21's file reader (a footer block pointing at a message of another
 * type), damaged lengths that make apache-arrow allocate gigabytes or decode for seconds, and
 * damaged run lengths that make hyparquet 1.31 spin. readArrow and readParquet now check those
 * lengths before the libraries decode (src/data/arrowCheck.ts, src/data/parquetCheck.ts; a test
 * for each guard in test/data/arrow.test.ts and parquet.test.ts). Tried by hand: FC_RUNS=10000
 * with seeds 20261207, 11, 12 and 13, every format, no other exception and no run over 0.2 s; the
 * richer files below, FC_RUNS=4000 with seeds 1, 2, 3, 20261207, 21 and 22 (they found the
 * dictionary batches apache-arrow decodes as it opens a file, and a chunk type unlike the schema's).
 */
const READ_KINDS: ReadonlyArray<'csv' | 'arrow' | 'arrow-stream' | 'parquet'> = ['csv', 'arrow', 'arrow-stream', 'parquet'];

describe('property: random byte changes to a valid file give a table or a typed error', () => {
  const PROPERTY = { seed: Number(process.env.FC_SEED ?? 20261207), numRuns: Number(process.env.FC_RUNS ?? 150) };
  const files: Record<'csv' | 'arrow' | 'arrow-stream' | 'parquet', Promise<Uint8Array>> = {
    csv: writeTable(validTable(), null, { format: 'csv' }).then((r) => r.data!),
    arrow: writeTable(validTable(), null, { format: 'arrow' }).then((r) => r.data!),
    'arrow-stream': writeTable(validTable(), null, { format: 'arrow-stream' }).then((r) => r.data!),
    parquet: writeTable(validTable(), null, { format: 'parquet' }).then((r) => r.data!),
  };

  for (const kind of READ_KINDS) {
    it(`${kind}: a table, or a DataError${kind === 'csv' ? ' (a CsvError naming a line of the file)' : ''}; never another exception`, async () => {
      const valid = await files[kind];
      const format = kind === 'arrow-stream' ? 'arrow' : kind;
      // the unchanged file reads
      expect((await readTable(valid, { format })).table.numRows).toBe(12);
      await fc.assert(
        fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.constantFrom('fail' as const, 'skip' as const, 'null' as const), async (changes, onBadRows) => {
          const bytes = mutate(valid, changes);
          let result: Awaited<ReturnType<typeof readTable>>;
          // Arrow from a stream of chunks (as a file path is read) is checked message by message:
          // the same table or the same error as from the bytes
          const chunked = format === 'arrow' ? await readTable(chunks(bytes, 64), { format }).catch((e: unknown) => e as Error) : undefined;
          try {
            result = await readTable(bytes, { format, onBadRows });
          } catch (err) {
            if (chunked !== undefined) expect(chunked instanceof Error ? chunked.message : 'a table').toBe((err as Error).message);
            expect(err, String((err as Error).stack)).toBeInstanceOf(DataError);
            if (format === 'csv') {
              expect(err).toBeInstanceOf(CsvError);
              const line = (err as CsvError).line;
              expect(Number.isInteger(line) && line >= 1, `line ${line}`).toBe(true);
              expect((err as Error).message).toMatch(/line \d+/);
            }
            return;
          }
          expect(result.table).toBeInstanceOf(arrow.Table);
          expect(result.table.numRows).toBe(result.report.rows);
          if (chunked !== undefined) expect(chunked instanceof Error ? chunked.message : chunked.table.numRows).toBe(result.table.numRows);
          // every cell can be read out of the table
          for (const f of result.table.schema.fields) expect(result.table.getChild(f.name)!.toArray()).toHaveLength(result.table.numRows);
        }),
        PROPERTY,
      );
    });
  }
});

/** Files of every layout (Arrow) and encoding (Parquet) the checks walk, smaller than the tests' own. */
function richFiles(): Record<'arrow-layouts' | 'parquet-encodings', Uint8Array> {
  const n = 30;
  const table = new arrow.Table({
    dict: arrow.vectorFromArray(Array.from({ length: n }, (_, i) => (i % 9 === 0 ? null : ['red', 'green', 'blue'][i % 3])), new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32())),
    list: arrow.vectorFromArray(
      Array.from({ length: n }, (_, i) => (i % 7 === 0 ? null : Array.from({ length: i % 4 }, (_, j) => i * 10 + j))),
      new arrow.List(new arrow.Field('item', new arrow.Int32(), true)),
    ),
    struct: arrow.vectorFromArray(
      Array.from({ length: n }, (_, i) => (i % 5 === 0 ? null : { a: i / 4, b: `s${i}` })),
      new arrow.Struct([new arrow.Field('a', new arrow.Float64(), true), new arrow.Field('b', new arrow.Utf8(), true)]),
    ),
    pair: arrow.vectorFromArray(Array.from({ length: n }, (_, i) => [i, -i]), new arrow.FixedSizeList(2, new arrow.Field('v', new arrow.Float32(), true))),
    large: arrow.vectorFromArray(Array.from({ length: n }, (_, i) => (i % 6 === 0 ? null : 'é'.repeat(i % 5))), new arrow.LargeUtf8()),
  });
  const m = 60;
  const texts = Array.from({ length: m }, (_, i) => (i % 11 === 0 ? null : `w${i % 5}${'x'.repeat(i % 3)}`));
  const parquet = parquetWriteBuffer({
    pageSize: 100,
    rowGroupSize: 25,
    columnData: [
      { name: 'delta32', data: Int32Array.from({ length: m }, (_, i) => ((i * 7919) % 1000) - 500), type: 'INT32', nullable: false, encoding: 'DELTA_BINARY_PACKED' },
      { name: 'delta64', data: BigInt64Array.from({ length: m }, (_, i) => BigInt(i) * 123456789n - 5n), type: 'INT64', nullable: false, encoding: 'DELTA_BINARY_PACKED' },
      { name: 'split', data: Float64Array.from({ length: m }, (_, i) => i / 7 - 20), type: 'DOUBLE', nullable: false, encoding: 'BYTE_STREAM_SPLIT' },
      { name: 'dict', data: texts, type: 'STRING' },
      { name: 'lengths', data: texts, type: 'STRING', encoding: 'DELTA_LENGTH_BYTE_ARRAY' },
      { name: 'prefixes', data: texts, type: 'STRING', encoding: 'DELTA_BYTE_ARRAY' },
      { name: 'flags', data: Array.from({ length: m }, (_, i) => (i % 13 === 0 ? null : i % 3 === 0)), type: 'BOOLEAN' },
    ],
  });
  return { 'arrow-layouts': tableToIPC(table, 'file'), 'parquet-encodings': new Uint8Array(parquet) };
}

describe('property: random byte changes to files of every layout and encoding the checks walk give a table or a DataError', () => {
  const PROPERTY = { seed: Number(process.env.FC_SEED ?? 20261207), numRuns: Number(process.env.FC_RUNS ?? 150) };
  const files = richFiles();
  for (const kind of ['arrow-layouts', 'parquet-encodings'] as const) {
    it(`${kind}: a table whose every cell reads, or a DataError; never another exception`, async () => {
      const valid = files[kind];
      const format = kind === 'arrow-layouts' ? 'arrow' : 'parquet';
      expect((await readTable(valid, { format })).table.numRows).toBe(kind === 'arrow-layouts' ? 30 : 60);
      await fc.assert(
        fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), async (changes) => {
          let result: Awaited<ReturnType<typeof readTable>>;
          try {
            result = await readTable(mutate(valid, changes), { format });
          } catch (err) {
            expect(err, String((err as Error).stack)).toBeInstanceOf(DataError);
            return;
          }
          for (const f of result.table.schema.fields) expect(result.table.getChild(f.name)!.toArray()).toHaveLength(result.table.numRows);
        }),
        PROPERTY,
      );
    });
  }
});
