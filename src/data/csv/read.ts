// SPDX-License-Identifier: MIT
/** The CSV reader's entry points: chunks of bytes in any form, their encoding, batches and the whole table. */
import { Float64, RecordBatch, Schema, Struct, Table, makeData } from 'apache-arrow';
import { ParameterError } from '../../errors.js';
import { EncodingError, encodingFromBom, toUtf8, type TextEncodingName } from '../encoding.js';
import type { ReadReport } from '../readReport.js';
import { MiB } from './bytes.js';
import { CsvError, type CsvOptions } from './options.js';
import { CsvParser } from './parser.js';

/** Input accepted by the CSV reader: bytes, or chunks of bytes, sync or async. */
export type ByteSource = Uint8Array | ArrayBuffer | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

async function* chunksOf(source: ByteSource): AsyncGenerator<Uint8Array> {
  if (source instanceof ArrayBuffer) source = new Uint8Array(source);
  if (source instanceof Uint8Array) {
    // large inputs go in pieces so the batch buffer does not have to hold them whole
    for (let i = 0; i < source.length; i += 4 * MiB) yield source.subarray(i, i + 4 * MiB);
    return;
  }
  if (Symbol.asyncIterator in (source as object)) {
    for await (const c of source as AsyncIterable<Uint8Array>) yield c instanceof Uint8Array ? c : new Uint8Array(c as ArrayBuffer);
    return;
  }
  if (Symbol.iterator in (source as object)) {
    for (const c of source as Iterable<Uint8Array>) yield c;
    return;
  }
  throw new ParameterError('readCsv', 'source', 'expected a Uint8Array, an ArrayBuffer, or an (async) iterable of Uint8Array chunks');
}

/** The chunks in UTF-8 and the encoding they were read in: `given`, else by byte-order mark, else UTF-8. */
async function withEncoding(chunks: AsyncGenerator<Uint8Array>, given: TextEncodingName | undefined): Promise<{ chunks: AsyncIterable<Uint8Array>; encoding: TextEncodingName }> {
  if (given !== undefined) return { chunks: toUtf8(chunks, given), encoding: given };
  const head: Uint8Array[] = [];
  let size = 0;
  let ended = false;
  while (size < 2) {
    const r = await chunks.next();
    if (r.done) {
      ended = true;
      break;
    }
    head.push(r.value);
    size += r.value.length;
  }
  const first = head.length === 1 ? head[0] : Uint8Array.from(head.flatMap((c) => Array.from(c.subarray(0, 2))));
  const encoding = encodingFromBom(first) ?? 'utf-8';
  async function* all(): AsyncGenerator<Uint8Array> {
    yield* head;
    if (!ended) yield* chunks;
  }
  return { chunks: toUtf8(all(), encoding), encoding };
}

/** A stream of record batches with the report that fills in as it is read. */
export interface CsvBatches extends AsyncIterable<RecordBatch> {
  /** Complete once the iteration has ended. */
  readonly report: ReadReport;
  /** The schema as decided so far (final once the iteration has ended). */
  schema(): Schema;
}

/**
 * Reads CSV as a stream of Arrow record batches, for inputs larger than memory: scan them batch by
 * batch, or stop early. A column decided int32 from the first batch may come as float64 in a
 * later batch when a value needs it (the report notes where); {@link readCsv} unifies them.
 */
export function csvBatches(source: ByteSource, options: CsvOptions = {}): CsvBatches {
  const parser = new CsvParser(options);
  let rawBytes = 0;
  async function* counted(): AsyncGenerator<Uint8Array> {
    for await (const c of chunksOf(source)) {
      rawBytes += c.length;
      yield c;
    }
  }
  async function* run(): AsyncGenerator<RecordBatch> {
    let encoding: TextEncodingName = 'utf-8';
    try {
      if (!parser.done) {
        const input = await withEncoding(counted(), parser.encoding);
        encoding = input.encoding;
        parser.report.encoding = encoding;
        if (parser.encoding === undefined && encoding !== 'utf-8') parser.report.notes.push(`read as ${encoding.toUpperCase()} (the file starts with its byte-order mark)`);
        for await (const chunk of input.chunks) {
          parser.push(chunk);
          while (parser.out.length) yield parser.out.shift()!;
          if (parser.done) break;
        }
        parser.finish();
      }
      while (parser.out.length) yield parser.out.shift()!;
    } catch (err) {
      if (err instanceof EncodingError) throw new CsvError(`line ${parser.currentLine}: ${err.message}`, parser.currentLine);
      throw err;
    } finally {
      parser.finalizeReport();
      if (encoding !== 'utf-8') {
        parser.report.bytesRead = rawBytes;
        // offsets in the transcoded UTF-8, not in the input: of no use to copy its bytes
        delete parser.report.recordRanges;
      }
    }
  }
  const it = run();
  return {
    report: parser.report,
    schema: () => parser.schema(),
    [Symbol.asyncIterator]: () => it,
  };
}

/** Casts an int32 column of a batch to the float64 the final schema has. */
function conform(batch: RecordBatch, schema: Schema): RecordBatch {
  let changed = false;
  const children = batch.data.children.map((d, j) => {
    const want = schema.fields[j].type;
    if (d.type.typeId === want.typeId) return d;
    changed = true;
    const src = d.values as Int32Array;
    return makeData({ type: new Float64(), length: d.length, nullCount: d.nullCount, nullBitmap: d.nullBitmap, data: Float64Array.from(src.subarray(d.offset, d.offset + d.length)) });
  });
  if (!changed) return batch;
  return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: batch.numRows, nullCount: 0, children }));
}

/**
 * Reads a whole CSV input into an Arrow table.
 *
 * Dialect: any one-byte delimiter (sniffed), RFC 4180 quoting with embedded newlines, a UTF-8 BOM,
 * LF/CRLF/CR, a header row, blank lines skipped. Missing values: {@link DEFAULT_NULL_VALUES}.
 * Types: from the first batch, each column is bool (all true/false), int32 (all integers in range),
 * float64 (numbers), or string; see {@link CsvOptions.numericShare}. Bad rows are listed by their
 * physical line (1-based, the header is line 1), and fail the read by default.
 *
 * Complexity: one pass, O(bytes); memory: the table plus one batch of raw bytes.
 * @throws CsvError (a DataError) for bad rows, an empty input, binary data, invalid UTF-8,
 *   an unclosed quote or a field or row over the limits; ParameterError for bad options.
 * @example
 * const { table, report } = await readCsv(new TextEncoder().encode('a,b\n1,x\n2,y\n'));
 * table.numRows; // 2
 * report.delimiter; // ','
 */
export async function readCsv(source: ByteSource, options: CsvOptions = {}): Promise<{ table: Table; report: ReadReport }> {
  const stream = csvBatches(source, options);
  const batches: RecordBatch[] = [];
  for await (const b of stream) batches.push(b);
  const schema = stream.schema();
  const report = stream.report;
  const table = batches.length ? new Table(batches.map((b) => conform(b, schema))) : new Table(schema);
  report.rows = table.numRows;
  report.columns = schema.fields.length;
  if (table.numRows === 0) report.notes.push(report.badRowCount > 0 ? 'no rows parse: the table is empty' : 'a header but no data rows: the table is empty');
  return { table, report };
}
