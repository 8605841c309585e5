// SPDX-License-Identifier: MIT
/** What a reader did to its input (bad rows, notes): shared by readTable and the CSV, Arrow and Parquet readers. */

/** One row that did not parse, by its physical line in the file (1-based, the header is line 1). */
export interface BadRow {
  /** Physical line where the row starts (1-based, counting the header and blank lines). */
  line: number;
  /** Why the row does not parse, e.g. `expected 10 fields, got 2` or `column 'Age': 'Male' is not a number`. */
  reason: string;
  /** The column at fault, when one is. */
  column?: string;
  /** The start of the row as text (at most 200 characters). */
  text: string;
  /** What happened to it: the read failed, the row was left out, or the bad cells were set to null. */
  action: 'failed' | 'skipped' | 'nulled';
}

/** What a reader did to the input, returned beside the table. */
export interface ReadReport {
  format: TableFormat;
  /** Rows in the returned table. */
  rows: number;
  /** Columns in the returned table. */
  columns: number;
  /** Rows that did not parse, in file order (the first `maxReportedRows` of them). */
  badRows: BadRow[];
  /** All rows that did not parse, including those beyond the listing limit. */
  badRowCount: number;
  /** Rows left out of the table (bad rows with `onBadRows: 'skip'`, and rows with a wrong field count). */
  skippedRows: number;
  /** Cells set to null because they did not parse (`onBadRows: 'null'`). */
  nulledCells: number;
  /** Reading stopped early at `maxRows` (or at the row range asked for). */
  truncated: boolean;
  /** Bytes consumed from the source. */
  bytesRead: number;
  /** CSV: the delimiter used, and whether it was sniffed. */
  delimiter?: string;
  delimiterSniffed?: boolean;
  /** CSV: the decimal mark numbers were read with (given, or found in the file: see the notes). */
  decimal?: '.' | ',';
  /** CSV: the text encoding read (given, or UTF-16 by its byte-order mark, else UTF-8). */
  encoding?: 'utf-8' | 'latin1' | 'windows-1252' | 'utf-16le' | 'utf-16be';
  /** CSV: whether a UTF-8 byte-order mark was removed. */
  bom?: boolean;
  /** CSV: the row terminators seen. */
  lineEnding?: 'LF' | 'CRLF' | 'CR' | 'mixed' | 'none';
  /** CSV: blank lines skipped (as pandas does). */
  blankLines?: number;
  /** CSV: physical lines in the file. */
  lines?: number;
  /** CSV: [rows] the physical line (1-based, the header is line 1) where each row of the table starts, for messages about a row. */
  rowLines?: Int32Array;
  /** CSV read with `recordRanges`: where the header and each row of the table lie in the input's bytes. */
  recordRanges?: RecordRanges;
  /** Anything else worth knowing: widened column types, renamed duplicate headers, an empty table. */
  notes: string[];
}

export type TableFormat = 'csv' | 'arrow' | 'parquet';

/**
 * Where a CSV's records lie in its bytes, in offsets of the input as given (the file's bytes:
 * only a UTF-8 or ASCII input has them, a transcoded one has none), each range [start, end)
 * without its line terminator. What lies between two ranges is line terminators, blank lines and
 * rows left out (bad rows skipped, rows with a wrong field count). Kept to copy the rows back
 * verbatim (src/data/writers/csvRecords.ts).
 */
export interface RecordRanges {
  /** The header record (after a UTF-8 byte-order mark); null when the input has no header row. */
  header: { start: number; end: number } | null;
  /** Whether the table's column names differ from the header's texts (repeated or empty names renamed, `columnNames`, no header). */
  namesChanged: boolean;
  /** [rows] offset of each row's first byte. */
  starts: Float64Array;
  /** [rows] offset just past each row's last byte, before its line terminator. */
  ends: Float64Array;
}

/** Creates an empty report; readers fill it in. */
export function emptyReport(format: TableFormat): ReadReport {
  return {
    format,
    rows: 0,
    columns: 0,
    badRows: [],
    badRowCount: 0,
    skippedRows: 0,
    nulledCells: 0,
    truncated: false,
    bytesRead: 0,
    notes: [],
  };
}
