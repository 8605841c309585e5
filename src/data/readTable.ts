// SPDX-License-Identifier: MIT
/**
 * One entry for reading a table: `readTable(source, options)` takes a Node file path, bytes, a
 * Blob/File or a stream of byte chunks, recognises CSV, Arrow IPC (file or stream) or Parquet, and
 * returns an Apache Arrow table with a report of what was done to it (bad rows, skipped rows, the
 * delimiter, notes). Node-only modules are loaded with a dynamic import behind a runtime check, so
 * this module bundles for the browser.
 */
import type { Table } from 'apache-arrow';
import { ParameterError, DataError } from '../errors.js';
import { readCsv, type CsvOptions } from './csv.js';
import { readArrow } from './arrow.js';
import type { AsyncBuffer } from './asyncBuffer.js';
import type { ParquetOptions } from './parquet.js';
import type { ReadReport, TableFormat } from './readReport.js';

export { emptyReport, type BadRow, type ReadReport, type TableFormat } from './readReport.js';

/** A source of table bytes. A string is a file path (Node only). */
export type TableSource = string | Uint8Array | ArrayBuffer | Blob | AsyncIterable<Uint8Array>;

export interface ReadTableOptions extends CsvOptions, ParquetOptions {
  /** The format; by default from the file name's extension, else from the first bytes (PAR1, ARROW1, Arrow stream marker), else CSV. */
  format?: TableFormat;
  /** Name of the source, used for the extension when the source is not a path or File. */
  name?: string;
}

/**
 * What reading did that a user should know, as sentences: the reader's notes (the separator
 * sniffed, repeated column names renamed, columns widened, an empty table). Bad rows are not
 * here: they are listed in `badRows`.
 */
export function readNotes(report: ReadReport): string[] {
  return [...report.notes];
}

const EXTENSIONS: Record<string, TableFormat> = {
  csv: 'csv',
  tsv: 'csv',
  tab: 'csv',
  txt: 'csv',
  psv: 'csv',
  arrow: 'arrow',
  arrows: 'arrow',
  feather: 'arrow',
  ipc: 'arrow',
  parquet: 'parquet',
  pq: 'parquet',
};

/** The format a file name's extension says, if it says one. */
export function formatFromName(name: string | undefined): TableFormat | undefined {
  if (!name) return undefined;
  const m = /\.([A-Za-z0-9]+)$/.exec(name);
  return m ? EXTENSIONS[m[1].toLowerCase()] : undefined;
}

/**
 * The format the first bytes say: `PAR1` is Parquet, `ARROW1` an Arrow IPC file, the
 * continuation marker 0xFFFFFFFF an Arrow IPC stream; anything else is taken for CSV.
 */
export function formatFromMagic(head: Uint8Array): TableFormat {
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x41 && head[2] === 0x52 && head[3] === 0x31) return 'parquet';
  if (head.length >= 6 && String.fromCharCode(...head.subarray(0, 6)) === 'ARROW1') return 'arrow';
  if (head.length >= 8 && head[0] === 0xff && head[1] === 0xff && head[2] === 0xff && head[3] === 0xff) return 'arrow';
  return 'csv';
}

function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}

/** Chunks of a ReadableStream, without relying on its async iterator (missing in some browsers). */
export async function* readableChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      if (value && value.length) yield value;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

/** A Node file opened for random access (Parquet), and its stream of chunks (CSV, Arrow). */
async function nodeFile(path: string): Promise<{ size: number; buffer: AsyncBuffer; chunks: () => AsyncIterable<Uint8Array>; close: () => Promise<void> }> {
  const fs = await import('node:fs');
  let handle;
  try {
    handle = await fs.promises.open(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    throw new DataError('readTable', 'source', `cannot open '${path}': ${why}`);
  }
  const stats = await handle.stat();
  if (stats.isDirectory()) {
    await handle.close();
    throw new DataError('readTable', 'source', `'${path}' is a folder, not a table file: give a CSV, Arrow or Parquet file`);
  }
  const { size } = stats;
  const fh = handle;
  return {
    size,
    buffer: {
      byteLength: size,
      async slice(start: number, end?: number): Promise<ArrayBuffer> {
        const stop = Math.min(end ?? size, size);
        const out = new Uint8Array(Math.max(0, stop - start));
        let done = 0;
        while (done < out.length) {
          const { bytesRead } = await fh.read(out, done, out.length - done, start + done);
          if (bytesRead === 0) break;
          done += bytesRead;
        }
        return out.buffer;
      },
    },
    chunks: () => fs.createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Uint8Array>,
    close: () => fh.close(),
  };
}

/** Peeks at least `n` bytes of an async stream and gives back a stream that still yields them. */
async function peek(source: AsyncIterable<Uint8Array>, n: number): Promise<{ head: Uint8Array; stream: AsyncIterable<Uint8Array> }> {
  const it = source[Symbol.asyncIterator]();
  const got: Uint8Array[] = [];
  let size = 0;
  let ended = false;
  while (size < n) {
    const r = await it.next();
    if (r.done) {
      ended = true;
      break;
    }
    got.push(r.value);
    size += r.value.length;
  }
  const head = concatBytes(got, Math.min(size, n));
  async function* rest(): AsyncGenerator<Uint8Array> {
    try {
      for (const c of got) yield c;
      if (ended) return;
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield r.value;
      }
    } finally {
      if (!ended) await it.return?.();
    }
  }
  return { head, stream: rest() };
}

function concatBytes(chunks: Uint8Array[], limit = Infinity): Uint8Array {
  let size = 0;
  for (const c of chunks) size += c.length;
  size = Math.min(size, limit);
  const out = new Uint8Array(size);
  let off = 0;
  for (const c of chunks) {
    if (off >= size) break;
    const part = c.length > size - off ? c.subarray(0, size - off) : c;
    out.set(part, off);
    off += part.length;
  }
  return out;
}

/** Reads all of a stream into one byte array (Parquet needs random access). */
export async function collectBytes(source: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const c of source) chunks.push(c);
  return concatBytes(chunks);
}

function bufferFromBytes(bytes: Uint8Array): AsyncBuffer {
  return {
    byteLength: bytes.length,
    slice: async (start: number, end?: number) => bytes.slice(start, end).buffer,
  };
}

function bufferFromBlob(blob: Blob): AsyncBuffer {
  return {
    byteLength: blob.size,
    slice: (start: number, end?: number) => blob.slice(start, end).arrayBuffer(),
  };
}

function isAsyncIterable(x: unknown): x is AsyncIterable<Uint8Array> {
  return x != null && typeof (x as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function';
}

/**
 * Reads a table from a file path (Node), bytes, a Blob/File, or an async stream of byte chunks
 * (a Node stream, `File.stream()`, a fetch body).
 *
 * The format comes from `options.format`, else the extension of the path, File name or
 * `options.name`, else the first bytes (`PAR1` Parquet, `ARROW1` or 0xFFFFFFFF Arrow IPC), else
 * CSV. CSV options (delimiter, `onBadRows`, `maxRows`, limits) are those of {@link readCsv};
 * `maxRows`, `rowStart` and `rowEnd` also sample Arrow and Parquet inputs.
 *
 * @returns the Arrow table and a {@link ReadReport}.
 * @throws DataError for unreadable input (binary garbage, bad rows with `onBadRows: 'fail'`,
 *   limits exceeded); ParameterError for a bad option or source.
 * @example
 * const { table, report } = await readTable('social_media_wellbeing_test.csv', { onBadRows: 'skip' });
 * report.badRows; // [{ line: 95, reason: "column 'Age': 'Male' is not a number", ... }]
 * table.numRows; // 102
 */
export async function readTable(source: TableSource, options: ReadTableOptions = {}): Promise<{ table: Table; report: ReadReport }> {
  let name = options.name;
  if (typeof source === 'string') {
    if (!isNode()) {
      throw new ParameterError('readTable', 'source', 'a file path can only be read in Node; in the browser pass a File, Blob, bytes or a stream');
    }
    name ??= source;
    const file = await nodeFile(source);
    try {
      let format = options.format ?? formatFromName(name);
      if (!format) {
        const head = new Uint8Array(await file.buffer.slice(0, 8));
        format = formatFromMagic(head);
      }
      switch (format) {
        case 'parquet':
          return await readParquet(file.buffer, options);
        case 'arrow':
          return await readArrow(file.chunks(), options);
        case 'csv':
          return await readCsv(file.chunks(), options);
        default:
          throw new ParameterError('readTable', 'format', `unknown format '${String(format)}'`);
      }
    } finally {
      await file.close();
    }
  }
  if (source instanceof ArrayBuffer) source = new Uint8Array(source);
  if (source instanceof Uint8Array) {
    const format = options.format ?? formatFromName(name) ?? formatFromMagic(source.subarray(0, 8));
    return readFormat(format, source, () => bufferFromBytes(source as Uint8Array), options);
  }
  if (typeof Blob !== 'undefined' && source instanceof Blob) {
    const blob = source;
    name ??= (blob as File).name;
    const format = options.format ?? formatFromName(name) ?? formatFromMagic(new Uint8Array(await blob.slice(0, 8).arrayBuffer()));
    if (format === 'parquet') return readParquet(bufferFromBlob(blob), options);
    return readFormat(format, readableChunks(blob.stream()), () => bufferFromBlob(blob), options);
  }
  if (isAsyncIterable(source)) {
    let format = options.format ?? formatFromName(name);
    let stream: AsyncIterable<Uint8Array> = source;
    if (!format) {
      const p = await peek(source, 8);
      format = formatFromMagic(p.head);
      stream = p.stream;
    }
    if (format === 'parquet') {
      const bytes = await collectBytes(stream);
      const result = await readParquet(bufferFromBytes(bytes), options);
      result.report.notes.push('parquet needs random access: the stream was read into memory');
      return result;
    }
    return readFormat(format, stream, undefined, options);
  }
  throw new ParameterError('readTable', 'source', 'expected a file path, Uint8Array, ArrayBuffer, Blob/File or an async iterable of Uint8Array chunks');
}

/** The Parquet reader, loaded on first use: hyparquet is not loaded to read a CSV or an Arrow file. */
async function readParquet(file: AsyncBuffer, options: ParquetOptions): Promise<{ table: Table; report: ReadReport }> {
  return (await import('./parquet.js')).readParquet(file, options);
}

async function readFormat(
  format: TableFormat,
  data: Uint8Array | AsyncIterable<Uint8Array>,
  randomAccess: (() => AsyncBuffer) | undefined,
  options: ReadTableOptions,
): Promise<{ table: Table; report: ReadReport }> {
  switch (format) {
    case 'csv':
      return readCsv(data, options);
    case 'arrow':
      return readArrow(data, options);
    case 'parquet':
      if (randomAccess) return readParquet(randomAccess(), options);
      return readParquet(bufferFromBytes(data instanceof Uint8Array ? data : await collectBytes(data)), options);
    default:
      throw new ParameterError('readTable', 'format', `unknown format '${String(format)}'`);
  }
}
