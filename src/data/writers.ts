// SPDX-License-Identifier: MIT
/**
 * Writing tables: a stream of Arrow RecordBatches (or a Table) as CSV (RFC 4180), Arrow IPC
 * (file or stream format) or Parquet, batch by batch, to a Node path, a WritableStream, a Node
 * Writable, any `{ write(chunk) }` sink, or to memory. Only one batch (and its encoded bytes) is
 * held at a time, and the writer waits for the sink before taking the next batch, so a generator
 * of 10^7 rows streams to disk in bounded memory.
 *
 * One module per format in src/data/writers/ (csv.ts, arrow.ts, parquet.ts) and the sources and
 * sinks they share (sink.ts); this module picks one by format and is their public face.
 *
 * References: RFC 4180 (CSV); Apache Arrow IPC format; Apache Parquet format (written by
 * hyparquet-writer).
 */
import { ParameterError, assertUnreachable } from '../errors.js';
import { writeArrow } from './writers/arrow.js';
import { writeCsv, type CsvWriteOptions } from './writers/csv.js';
import { writeParquet, type ParquetWriteOptions } from './writers/parquet.js';
import type { TableSource, WriteResult, WriteTarget } from './writers/sink.js';

export { writeArrow, writeCsv, writeParquet, type CsvWriteOptions, type ParquetWriteOptions };
export type { ByteSink, TableSource, WriteResult, WriteTarget } from './writers/sink.js';

export type WriteFormat = 'csv' | 'arrow' | 'arrow-stream' | 'parquet';

export const WRITE_FORMATS: readonly WriteFormat[] = ['csv', 'arrow', 'arrow-stream', 'parquet'];

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
