// SPDX-License-Identifier: MIT
/**
 * Apache Arrow IPC input, file (`ARROW1` … footer) or stream format, from bytes or a stream of
 * byte chunks, through apache-arrow's RecordBatchReader. A stream is read batch by batch, so a
 * large input can be sampled (`maxRows`, `rowStart`, `rowEnd`) without holding all of it.
 */
import { Message, MessageHeader, RecordBatchReader, Table, type RecordBatch } from 'apache-arrow';
import { DataError, ParameterError } from '../errors.js';
import { emptyReport, type ReadReport } from './readTable.js';

export interface ArrowOptions {
  /** First row to keep (default 0). */
  rowStart?: number;
  /** Row after the last to keep (default: all). */
  rowEnd?: number;
  /** Most rows to keep (default: all). */
  maxRows?: number;
}

/** The row range [start, end) asked for by `rowStart`, `rowEnd` and `maxRows`. */
export function rowRange(fn: string, options: ArrowOptions): { start: number; end: number } {
  const start = options.rowStart ?? 0;
  let end = options.rowEnd ?? Infinity;
  if (options.maxRows !== undefined) end = Math.min(end, start + options.maxRows);
  for (const [k, v] of [
    ['rowStart', start],
    ['rowEnd', end],
    ['maxRows', options.maxRows ?? 0],
  ] as const) {
    if (!(v === Infinity || (Number.isInteger(v) && v >= 0))) throw new ParameterError(fn, k, `${k} must be a non-negative integer, got ${v}`);
  }
  if (end < start) throw new ParameterError(fn, 'rowEnd', `rowEnd=${end} is before rowStart=${start}`);
  return { start, end };
}

/**
 * Record batches of an Arrow IPC input (file or stream format), sliced to the row range.
 * Stops reading once the range is complete.
 * @throws DataError when the bytes are not Arrow IPC.
 */
export async function* arrowBatches(source: Uint8Array | AsyncIterable<Uint8Array>, options: ArrowOptions = {}): AsyncGenerator<RecordBatch> {
  const { start, end } = rowRange('readArrow', options);
  // The file format needs its footer, at the end: read it whole, so that its blocks can be checked
  if (!(source instanceof Uint8Array)) source = await wholeIfFile(source);
  let reader;
  try {
    reader = source instanceof Uint8Array ? RecordBatchReader.from(source) : await RecordBatchReader.from(source);
    if (reader.isAsync()) await reader.open();
    else reader.open();
  } catch (e) {
    throw new DataError('readArrow', 'source', `not Arrow IPC data: ${(e as Error).message}`);
  }
  if (source instanceof Uint8Array && reader.isFile()) checkFileBlocks(source, reader);
  let row = 0;
  try {
    for await (const batch of reader as AsyncIterable<RecordBatch>) {
      const n = batch.numRows;
      const lo = Math.max(start - row, 0);
      const hi = Math.min(end - row, n);
      row += n;
      if (hi > lo) yield lo === 0 && hi === n ? batch : batch.slice(lo, hi);
      if (row >= end) break;
    }
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError('readArrow', 'source', `the Arrow IPC data is damaged after row ${row}: ${(e as Error).message}`);
  } finally {
    await reader.return?.();
  }
}

/** The bytes of a stream that holds an Arrow file (`ARROW1` first), else the stream as it was. */
async function wholeIfFile(source: AsyncIterable<Uint8Array>): Promise<Uint8Array | AsyncIterable<Uint8Array>> {
  const it = source[Symbol.asyncIterator]();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let ended = false;
  while (size < 6) {
    const r = await it.next();
    if (r.done) {
      ended = true;
      break;
    }
    chunks.push(r.value);
    size += r.value.length;
  }
  const head = Uint8Array.from(chunks.flatMap((c) => Array.from(c.subarray(0, 6))).slice(0, 6));
  const isFile = String.fromCharCode(...head) === 'ARROW1';
  if (isFile && !ended) {
    for (;;) {
      const r = await it.next();
      if (r.done) break;
      chunks.push(r.value);
      size += r.value.length;
    }
  }
  if (isFile || ended) {
    const all = new Uint8Array(size);
    let off = 0;
    for (const c of chunks) {
      all.set(c, off);
      off += c.length;
    }
    return all;
  }
  return (async function* rest(): AsyncGenerator<Uint8Array> {
    yield* chunks;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield r.value;
    }
  })();
}

/** A block of an Arrow file's footer, as apache-arrow decodes it. */
interface FileBlockLike {
  offset: number;
  metaDataLength: number;
  bodyLength: number;
}
interface FooterLike {
  numRecordBatches: number;
  numDictionaries: number;
  getRecordBatch(i: number): FileBlockLike | null;
  getDictionaryBatch(i: number): FileBlockLike | null;
}

/**
 * Refuses an Arrow file whose footer points outside the file or at a message of another type:
 * apache-arrow 21's file reader reads such a block again and again without end (its loop only
 * moves on after a record batch; found by the property tests). Reads each block's message
 * metadata only, not its body. The footer is apache-arrow's own (`_impl._footer`); where a later
 * version moves it, the check is skipped.
 */
function checkFileBlocks(bytes: Uint8Array, reader: unknown): void {
  const footer = (reader as { _impl?: { _footer?: FooterLike } })._impl?._footer;
  if (footer === undefined) return;
  const damaged = (detail: string): never => {
    throw new DataError('readArrow', 'source', `the Arrow file is damaged: ${detail}`);
  };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const check = (block: FileBlockLike | null, what: string, want: MessageHeader): void => {
    if (block === null) return damaged(`${what} has no block in the footer`);
    const { offset, metaDataLength, bodyLength } = block;
    if (!(offset >= 0 && metaDataLength >= 8 && bodyLength >= 0 && offset + metaDataLength + bodyLength <= bytes.length)) {
      damaged(`${what} lies outside the file (offset ${offset}, ${metaDataLength} + ${bodyLength} bytes, the file has ${bytes.length})`);
    }
    let p = offset;
    if (view.getUint32(p, true) === 0xffffffff) p += 4;
    const length = view.getInt32(p, true);
    p += 4;
    if (!(length > 0 && p + length <= offset + metaDataLength)) damaged(`${what}'s message has a bad length (${length})`);
    let type: MessageHeader;
    try {
      type = Message.decode(bytes.subarray(p, p + length)).headerType;
    } catch (e) {
      return damaged(`${what}'s message cannot be read (${(e as Error).message})`);
    }
    if (type !== want) damaged(`${what} is not a ${MessageHeader[want]} message (type ${String(type)})`);
  };
  const blocks = footer.numRecordBatches + footer.numDictionaries;
  if (!(Number.isInteger(blocks) && blocks * 24 <= bytes.length)) damaged(`its footer lists ${blocks} blocks in ${bytes.length} bytes`);
  for (let i = 0; i < footer.numDictionaries; i++) check(footer.getDictionaryBatch(i), `dictionary batch ${i}`, MessageHeader.DictionaryBatch);
  for (let i = 0; i < footer.numRecordBatches; i++) check(footer.getRecordBatch(i), `record batch ${i}`, MessageHeader.RecordBatch);
}

/**
 * Reads Arrow IPC bytes or a stream into a table.
 * @example
 * const { table: users } = sampleTable({ rows: 100, seed: 1 });
 * const { data } = await writeTable(users, null, { format: 'arrow' });
 * const { table } = await readArrow(data);
 * await Promise.resolve(table.numRows); // 100
 */
export async function readArrow(source: Uint8Array | AsyncIterable<Uint8Array>, options: ArrowOptions = {}): Promise<{ table: Table; report: ReadReport }> {
  const report = emptyReport('arrow');
  const batches: RecordBatch[] = [];
  const counted = source instanceof Uint8Array ? source : countBytes(source, report);
  if (source instanceof Uint8Array) report.bytesRead = source.length;
  for await (const b of arrowBatches(counted, options)) batches.push(b);
  let table: Table;
  if (batches.length) table = new Table(batches);
  else {
    // an empty range still has the schema: read it from the first message
    table = new Table();
    try {
      const reader = source instanceof Uint8Array ? RecordBatchReader.from(source) : undefined;
      if (reader) {
        reader.open();
        table = new Table(reader.schema);
      }
    } catch {
      // the schema of a consumed stream is not available again
    }
  }
  const { end } = rowRange('readArrow', options);
  report.rows = table.numRows;
  report.columns = table.numCols;
  report.truncated = end !== Infinity;
  return { table, report };
}

async function* countBytes(source: AsyncIterable<Uint8Array>, report: ReadReport): AsyncGenerator<Uint8Array> {
  for await (const c of source) {
    report.bytesRead += c.length;
    yield c;
  }
}
