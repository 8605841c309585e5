// SPDX-License-Identifier: MIT
/**
 * Apache Arrow IPC input, file (`ARROW1` … footer) or stream format, from bytes or a stream of
 * byte chunks, through apache-arrow's RecordBatchReader. A stream is read batch by batch, so a
 * large input can be sampled (`maxRows`, `rowStart`, `rowEnd`) without holding all of it.
 */
import { RecordBatchReader, Table, type AsyncRecordBatchStreamReader, type RecordBatch } from 'apache-arrow';
import { DataError, ParameterError } from '../errors.js';
import { checkFileBytes, checkStreamBytes, checkedStream } from './arrowCheck.js';
import { emptyReport, type ReadReport } from './readReport.js';

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
  // apache-arrow trusts the lengths it reads: check them first (arrowCheck.ts)
  type Reader = RecordBatchReader | AsyncRecordBatchStreamReader;
  let reader: Reader;
  const open = async (input: Uint8Array | AsyncIterable<Uint8Array>): Promise<Reader> => {
    try {
      const r = input instanceof Uint8Array ? RecordBatchReader.from(input) : await RecordBatchReader.from(input);
      if (r.isAsync()) await r.open();
      else r.open();
      return r;
    } catch (e) {
      if (e instanceof DataError) throw e;
      throw new DataError('readArrow', 'source', `not Arrow IPC data: ${(e as Error).message}`);
    }
  };
  if (source instanceof Uint8Array) {
    const bytes = source;
    if (bytes.length >= 6 && String.fromCharCode(...bytes.subarray(0, 6)) === 'ARROW1') {
      let opened: RecordBatchReader | undefined;
      checkFileBytes(bytes, () => {
        try {
          const r = RecordBatchReader.from(bytes);
          r.open();
          opened = r;
          return r.schema;
        } catch (e) {
          throw new DataError('readArrow', 'source', `the Arrow file is damaged: its footer cannot be read: ${(e as Error).message}`);
        }
      });
      reader = opened ?? (await open(bytes));
    } else {
      checkStreamBytes(bytes);
      reader = await open(bytes);
    }
  } else reader = await open(checkedStream(source));
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

/**
 * Reads Arrow IPC bytes or a stream into a table.
 * @example
 * const { table: users } = sampleTable({ rows: 100, seed: 1 });
 * const { data } = await writeTable(users, null, { format: 'arrow' });
 * const { table } = await readArrow(data);
 * table.numRows; // 100
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
