// SPDX-License-Identifier: MIT
/**
 * A CSV file's rows copied verbatim, with columns appended: each row's record bytes as they are
 * in the file (the ranges the CSV reader noted with `recordRanges`), then the delimiter and the
 * appended cells. The original columns of the output are the user's bytes, whatever their
 * number format, quoting, missing-value markers or decimal commas; only the line terminators
 * become '\n' (quoted line breaks inside a field are kept as they are).
 */
import { open } from 'node:fs/promises';
import { DataError, ParameterError } from '../../errors.js';
import type { RecordRanges } from '../readReport.js';
import { quoter } from './csv.js';
import { openSink, type WriteResult, type WriteTarget } from './sink.js';

/** Columns to append to every row: a few distinct rows of cells, chosen by a key per row. */
export interface AppendedColumns {
  /** The names added at the end of the header. */
  names: readonly string[];
  /** [rows] which entry of `cells` each row gets. */
  keys: ArrayLike<number>;
  /** The cells of each key, one text per name (quoted as RFC 4180 needs when written). */
  cells: ReadonlyMap<number, readonly string[]>;
}

/** Bytes read from the input, and written out, at a time. */
const CHUNK = 1 << 20;

/**
 * Writes the header and the rows of the CSV file `path` that `ranges` locate, each followed by the
 * `delimiter` and its appended cells, then '\n'. The input is read sequentially in 1 MiB chunks
 * (never whole), the output written in chunks of about 1 MiB. The appended texts are quoted when
 * they hold the delimiter, a quote, CR or LF, and an empty one is `""`, as {@link writeCsv} does.
 * O(bytes of the rows).
 * @param ranges the reader's `report.recordRanges` for this file (UTF-8 offsets of the file itself).
 * @param delimiter the input's delimiter (the reader's `report.delimiter`).
 * @throws ParameterError when the ranges have no header, are not in file order, or do not match
 *   the keys; DataError when the file is shorter than the ranges (it changed since it was read).
 * @example
 * const { report } = await readTable('Mall_Customers.csv', { recordRanges: true });
 * const appended = { names: ['segment'], keys: new Int32Array(report.rows), cells: new Map([[0, ['0']]]) };
 * const { data } = await writeCsvRecords('Mall_Customers.csv', report.recordRanges!, appended, null, { delimiter: report.delimiter! });
 * new TextDecoder().decode(data).split('\n')[1]; // '0001,Male,19,15,39,0': the file's own record, its leading zeros kept
 */
export async function writeCsvRecords(path: string, ranges: RecordRanges, appended: AppendedColumns, target: WriteTarget, options: { delimiter: string }): Promise<WriteResult> {
  const FN = 'writeCsvRecords';
  const { starts, ends, header } = ranges;
  const n = starts.length;
  if (header === null) throw new ParameterError(FN, 'ranges', 'the ranges have no header record: the input was read without a header row');
  if (ends.length !== n || appended.keys.length !== n) {
    throw new ParameterError(FN, 'appended', `${appended.keys.length} keys for ${n} rows (${ends.length} ends)`);
  }
  const delimiter = options.delimiter;
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r' || delimiter.charCodeAt(0) > 127) {
    throw new ParameterError(FN, 'delimiter', `delimiter=${JSON.stringify(delimiter)} must be one ASCII character other than a quote or a line break`);
  }
  const quote = quoter(delimiter);
  const line = (texts: readonly string[]): Buffer => Buffer.from(`${texts.map((t) => delimiter + quote(t)).join('')}\n`, 'utf8');
  const suffixes = new Map<number, Buffer>();
  for (const [key, texts] of appended.cells) {
    if (texts.length !== appended.names.length) throw new ParameterError(FN, 'appended', `${texts.length} cells for key ${key}, ${appended.names.length} names`);
    suffixes.set(key, line(texts));
  }

  const input = await open(path, 'r');
  const sink = await openSink(target, FN);
  try {
    // The input's chunk in memory holds the file's bytes [chunkStart, chunkEnd).
    const chunk = Buffer.allocUnsafe(CHUNK);
    let chunkStart = 0;
    let chunkEnd = 0;
    let out = Buffer.allocUnsafe(CHUNK);
    let at = 0;
    const flush = async (): Promise<void> => {
      if (at === 0) return;
      await sink.write(out.subarray(0, at));
      out = Buffer.allocUnsafe(CHUNK);
      at = 0;
    };
    const room = async (size: number): Promise<void> => {
      if (at + size <= out.length) return;
      await flush();
      if (size > out.length) out = Buffer.allocUnsafe(size);
    };
    let done = 0;
    /** Copies the file's bytes [s, e) to the output, reading on as needed. */
    const copy = async (s: number, e: number, row: string): Promise<void> => {
      if (s < done || e < s) throw new ParameterError(FN, 'ranges', `${row}: the range [${s}, ${e}) is not after the one before (ending at ${done}): the ranges are not in file order`);
      while (s < e) {
        if (s < chunkStart || s >= chunkEnd) {
          const { bytesRead } = await input.read(chunk, 0, CHUNK, s);
          if (bytesRead === 0) throw new DataError(FN, 'source', `${path} ends at byte ${s}, before the end of ${row} at byte ${e}: the file changed since it was read`);
          chunkStart = s;
          chunkEnd = s + bytesRead;
        }
        const stop = Math.min(e, chunkEnd);
        await room(stop - s);
        chunk.copy(out, at, s - chunkStart, stop - chunkStart);
        at += stop - s;
        s = stop;
      }
      done = e;
    };
    const put = async (bytes: Buffer): Promise<void> => {
      await room(bytes.length);
      bytes.copy(out, at);
      at += bytes.length;
    };
    await copy(header.start, header.end, 'the header');
    await put(line(appended.names));
    const keys = appended.keys;
    for (let i = 0; i < n; i++) {
      // Rows held whole by the chunk in memory, with room in the output, are copied without an await.
      for (; i < n; i++) {
        const s = starts[i];
        const e = ends[i];
        const suffix = suffixes.get(keys[i]);
        if (suffix === undefined || s < done || e < s || s < chunkStart || e > chunkEnd || at + (e - s) + suffix.length > out.length) break;
        chunk.copy(out, at, s - chunkStart, e - chunkStart);
        at += e - s;
        at += suffix.copy(out, at);
        done = e;
      }
      if (i === n) break;
      // The others read on, write out, or fail with the reason.
      const suffix = suffixes.get(keys[i]);
      if (suffix === undefined) throw new ParameterError(FN, 'appended', `row ${i + 1} has key ${keys[i]}, which has no cells`);
      await copy(starts[i], ends[i], `row ${i + 1}`);
      await put(suffix);
    }
    await flush();
  } catch (err) {
    await sink.abort();
    throw err;
  } finally {
    await input.close();
  }
  return sink.close(n, 1);
}
