// SPDX-License-Identifier: MIT
/**
 * Writing tables: a stream of Arrow RecordBatches (or a Table) as CSV (RFC 4180), Arrow IPC
 * (file or stream format) or Parquet, batch by batch, to a Node path, a WritableStream, a Node
 * Writable, any `{ write(chunk) }` sink, or to memory. Only one batch (and its encoded bytes) is
 * held at a time, and the writer waits for the sink before taking the next batch, so a generator
 * of 10^7 rows streams to disk in bounded memory.
 *
 * References: RFC 4180 (CSV); Apache Arrow IPC format; Apache Parquet format (written by
 * hyparquet-writer).
 */
import * as arrow from 'apache-arrow';
import type { ParquetWriter, SchemaElement, ColumnSource } from 'hyparquet-writer';
import { DataError, ParameterError, assertUnreachable } from '../errors.js';

/** What the writers take: a Table, one RecordBatch, or a (possibly async) sequence of batches. */
export type TableSource = arrow.Table | arrow.RecordBatch | Iterable<arrow.RecordBatch> | AsyncIterable<arrow.RecordBatch>;

/** A minimal byte sink: `write` may return a promise, which is awaited before the next write. */
export interface ByteSink {
  write(chunk: Uint8Array): void | Promise<void>;
  close?(): void | Promise<void>;
}

/** Node's Writable, as far as the writers use it. */
interface NodeWritableLike {
  write(chunk: Uint8Array): boolean;
  end(cb?: () => void): unknown;
  once(event: string, cb: (...args: unknown[]) => void): unknown;
}

/**
 * Where bytes go: a file path (Node only), a WHATWG WritableStream, a Node Writable, a ByteSink,
 * or null / undefined for memory (the bytes are returned in `WriteResult.data`).
 */
export type WriteTarget = string | WritableStream<Uint8Array> | NodeWritableLike | ByteSink | null | undefined;

export type WriteFormat = 'csv' | 'arrow' | 'arrow-stream' | 'parquet';

export const WRITE_FORMATS: readonly WriteFormat[] = ['csv', 'arrow', 'arrow-stream', 'parquet'];

export interface WriteResult {
  /** Bytes written. */
  bytes: number;
  /** Data rows written. */
  rows: number;
  /** Record batches consumed. */
  batches: number;
  /** The bytes, when the target was memory. */
  data?: Uint8Array;
}

export interface CsvWriteOptions {
  /** Field delimiter, one character. Default ','. */
  delimiter?: string;
  /** Line ending. Default '\r\n' (RFC 4180). */
  newline?: '\r\n' | '\n';
  /** Write the header line. Default true. */
  header?: boolean;
}

export interface ParquetWriteOptions {
  /** Compression. Default 'SNAPPY' (built into hyparquet-writer). */
  codec?: 'SNAPPY' | 'UNCOMPRESSED';
  /** Min/max statistics per column chunk. Default true. */
  statistics?: boolean;
}

export type WriteOptions = CsvWriteOptions & ParquetWriteOptions & { format: WriteFormat };

/**
 * Writes `source` in `options.format` to `target`.
 * @example
 * const { table } = await readTable('Mall_Customers.csv');
 * const { data } = await writeTable(table, null, { format: 'csv' }); // e.g. bytes in memory
 * new TextDecoder().decode(data).split('\r\n')[0]; // 'CustomerID,Genre,Age,Annual Income (k$),Spending Score (1-100)'
 * // Streams: one batch in memory at a time (a path as the target writes a file in Node).
 * await writeTable(sampleBatches({ rows: 2000, seed: 1 }), null, { format: 'parquet' }).then((w) => w.rows); // 2000
 */
export async function writeTable(source: TableSource, target: WriteTarget, options: WriteOptions): Promise<WriteResult> {
  switch (options.format) {
    case 'csv':
      return writeCsv(source, target, options);
    case 'arrow':
      return writeArrow(source, target, { stream: false });
    case 'arrow-stream':
      return writeArrow(source, target, { stream: true });
    case 'parquet':
      return writeParquet(source, target, options);
    default:
      if (!WRITE_FORMATS.includes(options.format)) {
        throw new ParameterError('writeTable', 'format', `format='${String(options.format)}' must be one of ${WRITE_FORMATS.join(', ')}`);
      }
      return assertUnreachable(options.format);
  }
}

// ---------------------------------------------------------------------------------------------
// CSV

/**
 * CSV per RFC 4180: fields holding the delimiter, a quote, CR or LF are quoted, quotes doubled.
 * A null cell is an empty field; an empty string is `""` so that the two stay apart. Numbers are
 * written in their shortest round-trip form (float32 columns as float32), NaN as an empty field,
 * booleans as true/false, dates as ISO 8601.
 */
export async function writeCsv(source: TableSource, target?: WriteTarget, options: CsvWriteOptions = {}): Promise<WriteResult> {
  const delimiter = options.delimiter ?? ',';
  const newline = options.newline ?? '\r\n';
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r' || delimiter.charCodeAt(0) > 127) {
    throw new ParameterError('writeCsv', 'delimiter', `delimiter=${JSON.stringify(delimiter)} must be one ASCII character other than a quote or a line break`);
  }
  const sink = await openSink(target, 'writeCsv');
  const encoder = new TextEncoder();
  const quote = quoter(delimiter);
  const delimiterByte = delimiter.charCodeAt(0);
  const newlineBytes = encoder.encode(newline);
  let rows = 0;
  let batches = 0;
  let headerDone = options.header === false;
  const writeHeader = async (schema: arrow.Schema): Promise<void> => {
    if (headerDone) return;
    headerDone = true;
    await sink.write(encoder.encode(schema.fields.map((f) => quote(f.name)).join(delimiter) + newline));
  };
  try {
    const schema = source instanceof arrow.Table ? source.schema : null;
    if (schema !== null) await writeHeader(schema);
    for await (const batch of batchesOf(source)) {
      await writeHeader(batch.schema);
      batches++;
      const n = batch.numRows;
      if (n === 0) continue;
      const out = new ByteBuffer(n * 16 * batch.numCols + 1024);
      const cells = batch.schema.fields.map((_, j) => cellWriter(batch.getChildAt(j) as arrow.Vector, quote, delimiterByte));
      const d = cells.length;
      for (let i = 0; i < n; i++) {
        cells[0](i, out);
        for (let j = 1; j < d; j++) {
          out.byte(delimiterByte);
          cells[j](i, out);
        }
        out.bytes(newlineBytes, 0, newlineBytes.length);
      }
      await sink.write(out.take());
      rows += n;
    }
    if (!headerDone) throw new DataError('writeCsv', 'source', 'there is nothing to write: no record batch and no schema');
  } catch (err) {
    await sink.abort();
    throw err;
  }
  return sink.close(rows, batches);
}

function quoter(delimiter: string): (s: string) => string {
  return (s: string): string => {
    if (s.length === 0) return '""';
    if (s.includes('"')) return `"${s.replaceAll('"', '""')}"`;
    if (s.includes(delimiter) || s.includes('\n') || s.includes('\r')) return `"${s}"`;
    return s;
  };
}

/** A growable byte buffer for one batch of CSV. */
class ByteBuffer {
  buf: Uint8Array;
  end = 0;
  private readonly encoder = new TextEncoder();

  constructor(size: number) {
    this.buf = new Uint8Array(size);
  }

  reserve(extra: number): void {
    if (this.end + extra <= this.buf.length) return;
    const bigger = new Uint8Array(Math.max(this.buf.length * 2, this.end + extra));
    bigger.set(this.buf.subarray(0, this.end));
    this.buf = bigger;
  }

  byte(b: number): void {
    this.reserve(1);
    this.buf[this.end++] = b;
  }

  bytes(src: Uint8Array, from: number, to: number): void {
    this.reserve(to - from);
    for (let p = from; p < to; p++) this.buf[this.end++] = src[p];
  }

  /** A string of code units < 128 (numbers), byte by byte; anything else through TextEncoder. */
  text(s: string): void {
    this.reserve(s.length * 3);
    for (let k = 0; k < s.length; k++) {
      const c = s.charCodeAt(k);
      if (c >= 128) {
        this.end += this.encoder.encodeInto(s.slice(k), this.buf.subarray(this.end)).written;
        return;
      }
      this.buf[this.end++] = c;
    }
  }

  /** A non-negative or negative integer below 2^53, digit by digit. */
  int(v: number): void {
    if (v < 0) {
      this.byte(45);
      v = -v;
    }
    if (v >= 1e15) {
      this.text(String(v));
      return;
    }
    this.reserve(16);
    if (v < 2147483648) {
      // int32 arithmetic: three times faster than Math.floor on doubles
      let digits = 1;
      for (let t = v; t >= 10; t = (t / 10) | 0) digits++;
      let p = this.end + digits;
      this.end = p;
      do {
        const q = (v / 10) | 0;
        this.buf[--p] = 48 + v - q * 10;
        v = q;
      } while (v > 0);
      return;
    }
    let digits = 1;
    for (let t = v; t >= 10; t = Math.floor(t / 10)) digits++;
    let p = this.end + digits;
    this.end = p;
    do {
      this.buf[--p] = 48 + (v % 10);
      v = Math.floor(v / 10);
    } while (v > 0);
  }

  /**
   * A float64 that has at most 6 decimals and is below 10^9 in size, digit by digit; false (and
   * nothing written) for any other value. The digits are those of String(v): with at most 15
   * significant digits a decimal that reads back as v is the only one of its length, and the
   * fewest decimals p for which round(v·10^p)/10^p is v are the shortest.
   */
  decimal(v: number): boolean {
    const a = v < 0 ? -v : v;
    if (!(a < 1e9) || a === 0) return false;
    let scale = 10;
    let p = 1;
    for (; p <= 6; p++, scale *= 10) if (Math.round(a * scale) / scale === a) break;
    if (p > 6) return false;
    const m = Math.round(a * scale);
    if (v < 0) this.byte(45);
    this.int(Math.floor(m / scale));
    this.reserve(p + 1);
    this.buf[this.end++] = 46;
    let f = m % scale;
    let at = this.end + p;
    this.end = at;
    for (let k = 0; k < p; k++) {
      const q = Math.floor(f / 10);
      this.buf[--at] = 48 + f - q * 10;
      f = q;
    }
    return true;
  }

  take(): Uint8Array {
    return this.buf.slice(0, this.end);
  }
}

type CellWriter = (row: number, out: ByteBuffer) => void;

/**
 * A function that writes the CSV text of row i of one column. Works on the typed arrays of each
 * chunk: integers digit by digit, dictionary labels and UTF-8 text as bytes, floats through
 * their shortest round-trip string.
 */
function cellWriter(vector: arrow.Vector, quote: (s: string) => string, delimiterByte: number): CellWriter {
  const chunks = vector.data as arrow.Data[];
  if (chunks.length !== 1) {
    const writers = chunks.map((c) => cellWriter(new arrow.Vector([c]), quote, delimiterByte));
    const starts = chunks.map((_, k) => chunks.slice(0, k).reduce((s, c) => s + c.length, 0));
    return (i, out) => {
      let k = starts.length - 1;
      while (starts[k] > i) k--;
      writers[k](i - starts[k], out);
    };
  }
  const data = chunks[0];
  const type = data.type;
  const valid = validity(data);
  if (arrow.DataType.isFloat(type) && type.precision !== arrow.Precision.HALF) {
    const v = data.values as Float32Array | Float64Array;
    const f32 = type.precision === arrow.Precision.SINGLE;
    return (i, out) => {
      if (!valid(i)) return;
      const x = v[i];
      if (Number.isInteger(x) && Math.abs(x) < 1e15) out.int(x);
      else if (f32 || !out.decimal(x)) out.text(formatFloat(x, f32));
    };
  }
  if (arrow.DataType.isInt(type)) {
    const v = data.values as ArrayLike<number | bigint>;
    if (type.bitWidth === 64) return (i, out) => void (valid(i) && out.text(String(v[i])));
    return (i, out) => void (valid(i) && out.int(v[i] as number));
  }
  if (arrow.DataType.isDictionary(type)) {
    const encoder = new TextEncoder();
    const labels = formatColumn(data.dictionary as arrow.Vector, quote).map((s) => encoder.encode(s));
    const keys = data.values as ArrayLike<number | bigint>;
    return (i, out) => {
      if (!valid(i)) return;
      const b = labels[Number(keys[i])];
      out.bytes(b, 0, b.length);
    };
  }
  if (arrow.DataType.isUtf8(type)) {
    const offsets = data.valueOffsets as Int32Array;
    const bytes = data.values as Uint8Array;
    return (i, out) => {
      if (!valid(i)) return;
      const a = offsets[i];
      const b = offsets[i + 1];
      if (a === b) {
        out.byte(34);
        out.byte(34);
        return;
      }
      let needs = false;
      for (let p = a; p < b; p++) {
        const c = bytes[p];
        if (c === delimiterByte || c === 34 || c === 10 || c === 13) {
          needs = true;
          break;
        }
      }
      if (!needs) {
        out.bytes(bytes, a, b);
        return;
      }
      out.reserve(2 * (b - a) + 2);
      out.buf[out.end++] = 34;
      for (let p = a; p < b; p++) {
        const c = bytes[p];
        if (c === 34) out.buf[out.end++] = 34;
        out.buf[out.end++] = c;
      }
      out.buf[out.end++] = 34;
    };
  }
  const texts = formatColumn(vector, quote);
  return (i, out) => out.text(texts[i]);
}

/** The CSV text of each cell of one column (for dictionaries and the less common types). */
function formatColumn(vector: arrow.Vector, quote: (s: string) => string): string[] {
  const n = vector.length;
  const out = new Array<string>(n);
  let start = 0;
  for (const data of vector.data as arrow.Data[]) {
    const m = data.length;
    const type = data.type;
    const valid = validity(data);
    if (arrow.DataType.isFloat(type) && type.precision !== arrow.Precision.HALF) {
      const v = data.values as Float32Array | Float64Array;
      const f32 = type.precision === arrow.Precision.SINGLE;
      for (let i = 0; i < m; i++) out[start + i] = valid(i) ? formatFloat(v[i], f32) : '';
    } else if (arrow.DataType.isInt(type)) {
      const v = data.values as ArrayLike<number | bigint>;
      for (let i = 0; i < m; i++) out[start + i] = valid(i) ? String(v[i]) : '';
    } else if (arrow.DataType.isDictionary(type)) {
      const texts = formatColumn(data.dictionary as arrow.Vector, quote);
      const keys = data.values as ArrayLike<number | bigint>;
      for (let i = 0; i < m; i++) out[start + i] = valid(i) ? texts[Number(keys[i])] : '';
    } else if (arrow.DataType.isUtf8(type) || arrow.DataType.isLargeUtf8(type)) {
      const chunk = new arrow.Vector([data]);
      for (let i = 0; i < m; i++) {
        const s = chunk.get(i) as string | null;
        out[start + i] = s === null ? '' : quote(s);
      }
    } else {
      const chunk = new arrow.Vector([data]);
      for (let i = 0; i < m; i++) {
        const v: unknown = chunk.get(i);
        out[start + i] = v === null || v === undefined ? '' : quote(formatOther(v, type));
      }
    }
    start += m;
  }
  return out;
}

function validity(data: arrow.Data): (i: number) => boolean {
  const bitmap = data.nullBitmap as Uint8Array | undefined;
  if (data.nullCount === 0 || bitmap === undefined || bitmap.length === 0) return () => true;
  const off = data.offset;
  return (i) => ((bitmap[(off + i) >> 3] >> ((off + i) & 7)) & 1) === 1;
}

function formatFloat(v: number, float32: boolean): string {
  if (Number.isNaN(v)) return '';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (!float32) return String(v);
  // The shortest decimal that reads back as the same float32.
  for (let p = 1; p < 9; p++) {
    const s = v.toPrecision(p);
    if (Math.fround(Number(s)) === v) return String(Number(s));
  }
  return String(Number(v.toPrecision(9)));
}

function formatOther(v: unknown, type: arrow.DataType): string {
  if (v instanceof Date) return v.toISOString();
  if (arrow.DataType.isTimestamp(type) || arrow.DataType.isDate(type)) return new Date(Number(v)).toISOString();
  if (typeof v === 'object' && v !== null && 'toJSON' in v) return JSON.stringify(v);
  return String(v);
}

// ---------------------------------------------------------------------------------------------
// Arrow IPC

/** Collects what an Arrow writer emits, so that it can be handed to the sink batch by batch. */
class CollectingQueue extends arrow.AsyncByteQueue {
  private parts: Uint8Array[] = [];
  private size = 0;

  override write(value: Uint8Array | ArrayBufferView | ArrayBuffer): void {
    const bytes = value instanceof Uint8Array ? value : new Uint8Array(ArrayBuffer.isView(value) ? value.buffer : value, ArrayBuffer.isView(value) ? value.byteOffset : 0, value.byteLength);
    if (bytes.byteLength === 0) return;
    this.parts.push(bytes);
    this.size += bytes.byteLength;
  }

  /** Everything written since the last call, copied into one block. */
  take(): Uint8Array {
    const out = new Uint8Array(this.size);
    let p = 0;
    for (const part of this.parts) {
      out.set(part, p);
      p += part.byteLength;
    }
    this.parts = [];
    this.size = 0;
    return out;
  }
}

/**
 * Arrow IPC: the file format (`stream: false`, default; random access, footer at the end) or the
 * stream format. Dictionaries shared by consecutive batches are written once.
 */
export async function writeArrow(source: TableSource, target?: WriteTarget, options: { stream?: boolean } = {}): Promise<WriteResult> {
  const sink = await openSink(target, 'writeArrow');
  const writer = options.stream ? new arrow.RecordBatchStreamWriter() : new arrow.RecordBatchFileWriter();
  const queue = new CollectingQueue();
  let rows = 0;
  let batches = 0;
  try {
    writer.reset(queue, source instanceof arrow.Table ? source.schema : null);
    let schemaSeen = source instanceof arrow.Table;
    const dictionaries = new Map<number, unknown>();
    for await (const batch of batchesOf(source)) {
      if (!options.stream) checkSameDictionaries(batch, dictionaries);
      writer.write(batch);
      schemaSeen = true;
      batches++;
      rows += batch.numRows;
      const bytes = queue.take();
      if (bytes.byteLength > 0) await sink.write(bytes);
    }
    if (!schemaSeen) throw new DataError('writeArrow', 'source', 'there is nothing to write: no record batch and no schema');
    writer.close();
    const tail = queue.take();
    if (tail.byteLength > 0) await sink.write(tail);
  } catch (err) {
    await sink.abort();
    throw err;
  }
  return sink.close(rows, batches);
}

/**
 * The Arrow file format cannot replace a dictionary: each dictionary-encoded column must keep the
 * dictionary of its first batch (as the sample generator's columns do).
 */
function checkSameDictionaries(batch: arrow.RecordBatch, seen: Map<number, unknown>): void {
  batch.schema.fields.forEach((f, j) => {
    if (!arrow.DataType.isDictionary(f.type)) return;
    const first = (batch.getChildAt(j) as arrow.Vector).data[0]?.dictionary?.data[0];
    const id = f.type.id;
    if (!seen.has(id)) seen.set(id, first);
    else if (seen.get(id) !== first) {
      throw new ParameterError('writeArrow', 'source', `column "${f.name}" changes its dictionary between batches, which the Arrow file format cannot hold: write the stream format, or share one dictionary across batches`);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Parquet

/**
 * hyparquet-writer, loaded on first use (writing a CSV does not load it), with a ByteWriter that
 * hands its bytes to the sink after each row group.
 */
async function loadParquetWriter(): Promise<{ ParquetWriter: typeof ParquetWriter; sinkByteWriter: (emit: (chunk: Uint8Array) => Promise<void>) => InstanceType<typeof import('hyparquet-writer').ByteWriter> }> {
  const { ByteWriter, ParquetWriter } = await import('hyparquet-writer');
  class SinkByteWriter extends ByteWriter {
    constructor(private readonly emit: (chunk: Uint8Array) => Promise<void>) {
      super(1 << 20);
    }

    flush(): Promise<void> {
      const chunk = this.getBytes().slice();
      this.index = 0;
      return this.emit(chunk);
    }

    override finish(): Promise<void> {
      return this.flush();
    }
  }
  return { ParquetWriter, sinkByteWriter: (emit) => new SinkByteWriter(emit) };
}

interface ParquetColumnPlan {
  element: SchemaElement;
  convert: (vector: arrow.Vector) => ColumnSource['data'];
}

/**
 * Parquet through hyparquet-writer: one row group per record batch, the schema from the Arrow
 * schema (float64 → DOUBLE, float32 → FLOAT, ints → INT32/INT64, bool → BOOLEAN, text and
 * dictionary text → UTF8 BYTE_ARRAY, dates and timestamps → TIMESTAMP_MILLIS), nullable fields
 * OPTIONAL.
 */
export async function writeParquet(source: TableSource, target?: WriteTarget, options: ParquetWriteOptions = {}): Promise<WriteResult> {
  const { ParquetWriter, sinkByteWriter } = await loadParquetWriter();
  const sink = await openSink(target, 'writeParquet');
  let rows = 0;
  let batches = 0;
  let writer: ParquetWriter | null = null;
  let plans: ParquetColumnPlan[] = [];
  let names: string[] = [];
  const start = (schema: arrow.Schema): ParquetWriter => {
    plans = schema.fields.map((f) => parquetPlan(f));
    names = schema.fields.map((f) => f.name);
    const parquetSchema: SchemaElement[] = [{ name: 'root', num_children: plans.length }, ...plans.map((p) => p.element)];
    return new ParquetWriter({
      writer: sinkByteWriter(async (chunk) => {
        if (chunk.byteLength > 0) await sink.write(chunk);
      }),
      schema: parquetSchema,
      codec: options.codec ?? 'SNAPPY',
      statistics: options.statistics ?? true,
      createdBy: 'segments',
    });
  };
  try {
    if (source instanceof arrow.Table) writer = start(source.schema);
    for await (const batch of batchesOf(source)) {
      writer ??= start(batch.schema);
      batches++;
      if (batch.numRows === 0) continue;
      const columnData = plans.map((p, j) => ({ name: names[j], data: p.convert(batch.getChildAt(j) as arrow.Vector) }));
      await writer.write({ columnData, rowGroupSize: batch.numRows });
      rows += batch.numRows;
    }
    if (writer === null) throw new DataError('writeParquet', 'source', 'there is nothing to write: no record batch and no schema');
    await writer.finish();
  } catch (err) {
    await sink.abort();
    throw err;
  }
  return sink.close(rows, batches);
}

function parquetPlan(field: arrow.Field): ParquetColumnPlan {
  const type = field.type;
  const repetition_type = field.nullable ? 'OPTIONAL' : 'REQUIRED';
  const element = (e: Omit<SchemaElement, 'name' | 'repetition_type'>): SchemaElement => ({ name: field.name, repetition_type, ...e });
  const withNulls = <T>(vector: arrow.Vector, dense: () => ColumnSource['data'], cell: (v: unknown) => T): ColumnSource['data'] => {
    if (vector.nullCount === 0) return dense();
    return Array.from({ length: vector.length }, (_, i) => {
      const v: unknown = vector.get(i);
      return v === null || v === undefined ? null : cell(v);
    }) as ColumnSource['data'];
  };
  if (arrow.DataType.isFloat(type) && type.precision !== arrow.Precision.HALF) {
    const single = type.precision === arrow.Precision.SINGLE;
    return {
      element: element({ type: single ? 'FLOAT' : 'DOUBLE' }),
      convert: (v) => withNulls(v, () => (single ? Float32Array : Float64Array).from(v.toArray() as ArrayLike<number>), (x) => x as number),
    };
  }
  if (arrow.DataType.isInt(type)) {
    if (type.bitWidth === 64 || (type.bitWidth === 32 && !type.isSigned)) {
      return { element: element({ type: 'INT64' }), convert: (v) => withNulls(v, () => BigInt64Array.from(v.toArray() as ArrayLike<number | bigint>, (x) => BigInt(x)), (x) => BigInt(x as number | bigint)) };
    }
    return { element: element({ type: 'INT32' }), convert: (v) => withNulls(v, () => Int32Array.from(v.toArray() as ArrayLike<number>), (x) => x as number) };
  }
  if (arrow.DataType.isBool(type)) {
    return { element: element({ type: 'BOOLEAN' }), convert: (v) => Array.from({ length: v.length }, (_, i) => v.get(i) as boolean | null) };
  }
  const isText = (t: arrow.DataType): boolean => arrow.DataType.isUtf8(t) || arrow.DataType.isLargeUtf8(t);
  if (isText(type) || (arrow.DataType.isDictionary(type) && isText(type.dictionary))) {
    return { element: element({ type: 'BYTE_ARRAY', converted_type: 'UTF8' }), convert: (v) => Array.from({ length: v.length }, (_, i) => v.get(i) as string | null) };
  }
  if (arrow.DataType.isTimestamp(type) || arrow.DataType.isDate(type)) {
    return {
      element: element({ type: 'INT64', converted_type: 'TIMESTAMP_MILLIS' }),
      convert: (v) =>
        Array.from({ length: v.length }, (_, i) => {
          const x: unknown = v.get(i);
          return x === null || x === undefined ? null : x instanceof Date ? x : new Date(Number(x));
        }),
    };
  }
  throw new ParameterError('writeParquet', 'source', `column "${field.name}" has Arrow type ${String(type)}, which the Parquet writer does not handle`);
}

// ---------------------------------------------------------------------------------------------
// Sources and sinks

async function* batchesOf(source: TableSource): AsyncGenerator<arrow.RecordBatch> {
  if (source instanceof arrow.Table) {
    yield* source.batches;
  } else if (source instanceof arrow.RecordBatch) {
    yield source;
  } else if (Symbol.asyncIterator in source) {
    yield* source;
  } else if (Symbol.iterator in source) {
    yield* source;
  } else {
    throw new ParameterError('writeTable', 'source', 'source must be an Arrow Table, a RecordBatch, or an iterable of RecordBatches');
  }
}

interface OpenSink {
  write(chunk: Uint8Array): Promise<void>;
  close(rows: number, batches: number): Promise<WriteResult>;
  abort(): Promise<void>;
}

function isWritableStream(x: unknown): x is WritableStream<Uint8Array> {
  return typeof x === 'object' && x !== null && typeof (x as WritableStream).getWriter === 'function';
}

function isNodeWritable(x: unknown): x is NodeWritableLike {
  return typeof x === 'object' && x !== null && typeof (x as NodeWritableLike).write === 'function' && typeof (x as NodeWritableLike).once === 'function' && typeof (x as NodeWritableLike).end === 'function';
}

async function openSink(target: WriteTarget, fn: string): Promise<OpenSink> {
  let bytes = 0;
  if (target === null || target === undefined) {
    const parts: Uint8Array[] = [];
    return {
      write: async (chunk) => {
        parts.push(chunk);
        bytes += chunk.byteLength;
      },
      close: async (rows, batches) => {
        const data = new Uint8Array(bytes);
        let p = 0;
        for (const part of parts) {
          data.set(part, p);
          p += part.byteLength;
        }
        return { bytes, rows, batches, data };
      },
      abort: async () => {},
    };
  }
  if (typeof target === 'string') {
    let fs: typeof import('node:fs/promises');
    try {
      fs = await import('node:fs/promises');
    } catch (err) {
      throw new ParameterError(fn, 'target', `a file path needs Node's fs; in the browser pass a WritableStream (${String(err)})`);
    }
    const handle = await fs.open(target, 'w');
    return {
      write: async (chunk) => {
        let done = 0;
        while (done < chunk.byteLength) {
          const { bytesWritten } = await handle.write(chunk, done, chunk.byteLength - done);
          done += bytesWritten;
        }
        bytes += chunk.byteLength;
      },
      close: async (rows, batches) => {
        await handle.close();
        return { bytes, rows, batches };
      },
      abort: async () => {
        await handle.close();
      },
    };
  }
  if (isWritableStream(target)) {
    const w = target.getWriter();
    return {
      write: async (chunk) => {
        await w.ready;
        await w.write(chunk);
        bytes += chunk.byteLength;
      },
      close: async (rows, batches) => {
        await w.close();
        return { bytes, rows, batches };
      },
      abort: async () => {
        await w.abort().catch(() => {});
      },
    };
  }
  if (isNodeWritable(target)) {
    return {
      write: async (chunk) => {
        bytes += chunk.byteLength;
        if (!target.write(chunk)) await new Promise<void>((resolve) => target.once('drain', () => resolve()));
      },
      close: async (rows, batches) => {
        await new Promise<void>((resolve) => target.end(() => resolve()));
        return { bytes, rows, batches };
      },
      abort: async () => {},
    };
  }
  if (typeof target === 'object' && typeof (target as ByteSink).write === 'function') {
    const s = target as ByteSink;
    return {
      write: async (chunk) => {
        await s.write(chunk);
        bytes += chunk.byteLength;
      },
      close: async (rows, batches) => {
        await s.close?.();
        return { bytes, rows, batches };
      },
      abort: async () => {},
    };
  }
  throw new ParameterError(fn, 'target', 'target must be a file path, a WritableStream, a Node Writable, an object with write(chunk), or null for memory');
}
