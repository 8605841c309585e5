// SPDX-License-Identifier: MIT
/** The CSV reader's options, its storage types and its error. */
import { DataError } from '../../errors.js';
import type { TextEncodingName } from '../encoding.js';
import type { BadRow } from '../readReport.js';

/** How a CSV column is stored: float64, int32 (widened to float64 when needed), bool or UTF-8 text. */
export type CsvColumnType = 'float64' | 'int32' | 'bool' | 'string';

/** pandas' default missing-value markers (those of four characters or fewer), and the empty field. */
export const DEFAULT_NULL_VALUES: readonly string[] = ['', 'NA', 'N/A', 'n/a', '#N/A', '#NA', '<NA>', 'NULL', 'null', 'NaN', 'nan', '-NaN', '-nan', 'None'];

export interface CsvOptions {
  /** One ASCII character; sniffed from the first lines among `,` tab `;` `|` when not given. */
  delimiter?: string;
  /** The quote character, default `"`. Inside quotes a doubled quote stands for one. */
  quote?: string;
  /** Whether the first non-blank row names the columns (default true). */
  header?: boolean;
  /** Column names to use instead of the header's (or when there is no header). */
  columnNames?: string[];
  /** Storage type per column name, overriding the inference. */
  columnTypes?: Record<string, CsvColumnType>;
  /** Field texts read as missing (default {@link DEFAULT_NULL_VALUES}). */
  nullValues?: readonly string[];
  /**
   * The decimal mark of numbers, `.` or `,`. Default: `.`, except in a file whose delimiter is not
   * `,` where the first batch shows decimal commas that have no other reading (`0,438`, `4,5`,
   * `2.245,71`) and more such cells than cells only a decimal point reads (`4.5`); the report's
   * `decimal` and a note then say so.
   */
  decimal?: '.' | ',';
  /**
   * The text encoding: 'utf-8', 'latin1' (ISO-8859-1), 'windows-1252', 'utf-16le' or 'utf-16be'.
   * Default: UTF-16 where the input starts with its byte-order mark, else UTF-8 (invalid UTF-8
   * fails, naming the line and this option).
   */
  encoding?: TextEncodingName | string;
  /**
   * What to do with rows that do not parse (wrong number of fields, a text in a numeric or
   * boolean column): `'fail'` (default) throws a {@link CsvError} quoting the first bad lines;
   * `'skip'` leaves them out; `'null'` keeps rows whose cells do not parse, with those cells set
   * to null. Rows with a wrong number of fields are left out in both 'skip' and 'null'. All are
   * listed in the report with their line numbers.
   */
  onBadRows?: 'fail' | 'skip' | 'null';
  /** Stop after this many rows (sampling a large file). */
  maxRows?: number;
  /** Longest field in bytes (default 16 MiB); a longer one fails with a clear error. */
  maxFieldBytes?: number;
  /** Longest record in bytes, quoted newlines included (default 64 MiB). */
  maxLineBytes?: number;
  /** Most columns (default 16384). */
  maxColumns?: number;
  /** Rows per record batch (default 65536; fewer for wide files). The first batch decides the column types. */
  batchRows?: number;
  /**
   * A column is numeric when at least this share of its non-missing values in the first batch
   * are numbers (default 0.9); its other values then make their rows bad.
   */
  numericShare?: number;
  /** Bad rows listed in the report (default 1000); all are counted. */
  maxReportedRows?: number;
  /**
   * Note where each row's record lies in the input's bytes (`report.recordRanges`: 16 bytes per
   * row), so that the rows can be written back verbatim. Only a UTF-8 (or ASCII) input gets them:
   * the offsets of a transcoded one would not be the file's. Default false.
   */
  recordRanges?: boolean;
}

/** A CSV input that cannot be read: bad rows (with `onBadRows: 'fail'`), binary data, limits exceeded. */
export class CsvError extends DataError {
  constructor(
    detail: string,
    /** Physical line (1-based) of the first problem. */
    readonly line: number,
    /** The bad rows that caused the error, when it is about rows. */
    readonly badRows: BadRow[] = [],
    row?: number,
    column?: string,
  ) {
    super('readCsv', 'source', detail, row, column);
  }
}
