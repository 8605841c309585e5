// SPDX-License-Identifier: MIT
/**
 * A streaming CSV reader into Apache Arrow record batches.
 *
 * Bytes arrive in chunks of any size (a Node stream, `File.stream()`, a fetch body); a byte-level
 * state machine splits them into records (RFC 4180 quotes with doubled quotes and embedded
 * newlines, any one-byte delimiter, LF/CRLF/CR, a UTF-8 BOM, blank lines skipped as pandas does),
 * and each batch of records is parsed column by column straight from the bytes into typed arrays:
 * numbers are read without making strings, text is copied as UTF-8 into Arrow's Utf8 layout.
 * Column types are decided from the first batch and widened (int32 → float64) when a later value
 * needs it; a text where a column is numeric makes its row bad, never a silent NaN.
 */
import { Bool, Field, Float64, Int32, RecordBatch, Schema, Struct, Table, Utf8, makeData, type Data, type DataType } from 'apache-arrow';
import { DataError, ParameterError } from '../errors.js';
import { EncodingError, encodingFromBom, encodingOf, toUtf8, type TextEncodingName } from './encoding.js';
import { decimalEvidence, isFormattedNumber } from './numberFormat.js';
import { emptyReport, type BadRow, type ReadReport } from './readReport.js';

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

const LF = 10;
const CR = 13;
const MiB = 1 << 20;
const POW10 = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
// Byte classes of the scanner: 0 ordinary, then these.
const C_DELIM = 1;
const C_QUOTE = 2;
const C_LF = 3;
const C_CR = 4;

/** The value found by {@link scanNumber} (a typed slot, so that no number is boxed on return). */
const numberValue = new Float64Array(1);
const NOT_A_NUMBER = -1;
const DECIMAL = 0;
const INTEGER = 1;

/**
 * Parses a decimal number from bytes `[s, e)` (spaces around it allowed) into `numberValue[0]`;
 * returns NOT_A_NUMBER, DECIMAL (a fraction or exponent was written) or INTEGER. Up to 15
 * significant digits with a power-of-ten scale of at most 22 are computed exactly as
 * `mantissa ×/÷ 10^k` (one correctly rounded operation, so equal to `parseFloat`); longer numbers
 * go through `Number()` after the grammar check. `inf` and `infinity` (any case) are read as pandas
 * reads them.
 */
function scanNumber(b: Uint8Array, s: number, e: number, decimal: number): number {
  while (s < e && (b[s] === 32 || b[s] === 9)) s++;
  while (e > s && (b[e - 1] === 32 || b[e - 1] === 9)) e--;
  if (s === e) return NOT_A_NUMBER;
  let i = s;
  let neg = false;
  if (b[i] === 45) {
    neg = true;
    i++;
  } else if (b[i] === 43) i++;
  let mant = 0;
  let sig = 0;
  let scale = 0;
  let digits = 0;
  let slow = false;
  let kind = INTEGER;
  for (; i < e; i++) {
    const d = b[i] - 48;
    if (d < 0 || d > 9) break;
    digits++;
    if (sig < 15) {
      mant = mant * 10 + d;
      if (mant !== 0) sig++;
    } else slow = true;
  }
  if (i < e && b[i] === decimal) {
    kind = DECIMAL;
    i++;
    for (; i < e; i++) {
      const d = b[i] - 48;
      if (d < 0 || d > 9) break;
      digits++;
      if (sig < 15) {
        mant = mant * 10 + d;
        if (mant !== 0) sig++;
        scale--;
      } else if (d !== 0) slow = true;
    }
  }
  if (digits === 0) {
    const len = e - i;
    if ((len === 3 || len === 8) && (b[i] | 32) === 105 && (b[i + 1] | 32) === 110 && (b[i + 2] | 32) === 102) {
      if (len === 3 || latin1(b, i, e).toLowerCase() === 'infinity') {
        numberValue[0] = neg ? -Infinity : Infinity;
        return DECIMAL;
      }
    }
    return NOT_A_NUMBER;
  }
  if (i < e && (b[i] === 101 || b[i] === 69)) {
    kind = DECIMAL;
    i++;
    let eneg = false;
    if (i < e && (b[i] === 45 || b[i] === 43)) {
      eneg = b[i] === 45;
      i++;
    }
    const start = i;
    let ex = 0;
    for (; i < e; i++) {
      const d = b[i] - 48;
      if (d < 0 || d > 9) break;
      if (ex < 100000) ex = ex * 10 + d;
    }
    if (i === start) return NOT_A_NUMBER;
    scale += eneg ? -ex : ex;
  }
  if (i !== e) return NOT_A_NUMBER;
  if (!slow && scale >= -22 && scale <= 22) {
    const v = scale === 0 ? mant : scale > 0 ? mant * POW10[scale] : mant / POW10[-scale];
    numberValue[0] = neg ? -v : v;
  } else {
    // the text keeps its sign: not negated again (-5e-324 was read as 5e-324, found by fast-check)
    numberValue[0] = Number(numberText(b, s, e, decimal));
  }
  return kind;
}

/**
 * Parses a decimal number from bytes `[s, e)`, or returns NaN when the text is not one
 * (see {@link scanNumber} for the grammar and the exactness argument).
 */
export function parseNumberBytes(b: Uint8Array, s: number, e: number, decimal = 46): number {
  return scanNumber(b, s, e, decimal) === NOT_A_NUMBER ? NaN : numberValue[0];
}

/** Whether a scanned number is an integer that fits int32. */
function isInt32(kind: number): boolean {
  const v = numberValue[0];
  return kind === INTEGER && v >= -2147483648 && v <= 2147483647;
}

function numberText(b: Uint8Array, s: number, e: number, decimal: number): string {
  let t = latin1(b, s, e);
  if (decimal !== 46) t = t.replace(String.fromCharCode(decimal), '.');
  return t;
}

function latin1(b: Uint8Array, s: number, e: number): string {
  let t = '';
  for (let i = s; i < e; i++) t += String.fromCharCode(b[i]);
  return t;
}

/** Whether a field starts (after blanks) as a formatted number can: a digit, sign, point, parenthesis or currency sign. */
function mayBeNumber(b: Uint8Array, s: number, e: number): boolean {
  while (s < e && (b[s] === 32 || b[s] === 9)) s++;
  if (s === e) return false;
  const c = b[s];
  // 0-9 + - ( . $, and the lead bytes of £ ¥ (0xC2) and € (0xE2)
  return (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 40 || c === 46 || c === 36 || c === 0xc2 || c === 0xe2;
}

/** 1 for true/TRUE/True, 0 for false/FALSE/False, -1 otherwise. */
function parseBoolBytes(b: Uint8Array, s: number, e: number): number {
  while (s < e && (b[s] === 32 || b[s] === 9)) s++;
  while (e > s && (b[e - 1] === 32 || b[e - 1] === 9)) e--;
  const n = e - s;
  if (n === 4 && (b[s] | 32) === 116 && (b[s + 1] | 32) === 114 && (b[s + 2] | 32) === 117 && (b[s + 3] | 32) === 101) return 1;
  if (n === 5 && (b[s] | 32) === 102 && (b[s + 1] | 32) === 97 && (b[s + 2] | 32) === 108 && (b[s + 3] | 32) === 115 && (b[s + 4] | 32) === 101) return 0;
  return -1;
}

/** Matches missing-value markers on bytes without making strings. */
class NullMatcher {
  private readonly byLength: Uint8Array[][] = [];
  private readonly first = new Uint8Array(256);
  private readonly maxLen: number;
  readonly emptyIsNull: boolean;
  constructor(values: readonly string[]) {
    const enc = new TextEncoder();
    let maxLen = 0;
    this.emptyIsNull = values.includes('');
    for (const v of values) {
      const bytes = enc.encode(v);
      if (bytes.length === 0) continue;
      (this.byLength[bytes.length] ??= []).push(bytes);
      this.first[bytes[0]] = 1;
      maxLen = Math.max(maxLen, bytes.length);
    }
    this.maxLen = maxLen;
  }
  test(b: Uint8Array, s: number, e: number): boolean {
    const n = e - s;
    if (n === 0) return this.emptyIsNull;
    if (n > this.maxLen || this.first[b[s]] === 0) return false;
    const list = this.byLength[n];
    if (!list) return false;
    outer: for (const t of list) {
      for (let k = 0; k < n; k++) if (t[k] !== b[s + k]) continue outer;
      return true;
    }
    return false;
  }
}

/**
 * Checks, chunk by chunk, that bytes are UTF-8 without NUL bytes (a sequence may be split
 * between chunks). ASCII runs are skipped with one comparison per byte.
 */
export class Utf8Check {
  private need = 0;
  private cp = 0;
  private min = 0;
  /** Why the last check failed. */
  what = '';
  /** Offset in `b` of the first bad byte, or -1. */
  check(b: Uint8Array): number {
    const n = b.length;
    let need = this.need;
    let cp = this.cp;
    let min = this.min;
    let i = 0;
    // aligned 32-bit words: four ASCII bytes without NUL are checked at once
    const off = (4 - (b.byteOffset & 3)) & 3;
    const words = n - off >= 4 ? new Uint32Array(b.buffer, b.byteOffset + off, (n - off) >> 2) : new Uint32Array(0);
    const wn = words.length;
    while (i < n) {
      if (need === 0) {
        // bytes 0x01..0x7f
        while (i < n && ((i - off) & 3) !== 0 && ((b[i] - 1) >>> 0) < 0x7f) i++;
        if (i >= off && ((i - off) & 3) === 0) {
          let wi = (i - off) >> 2;
          while (wi < wn) {
            const w = words[wi];
            if (((w & 0x80808080) | ((w - 0x01010101) & ~w & 0x80808080)) !== 0) break;
            wi++;
          }
          if (wi > (i - off) >> 2) i = off + wi * 4;
        }
        while (i < n && ((b[i] - 1) >>> 0) < 0x7f) i++;
        if (i === n) break;
        const c = b[i];
        if (c === 0) {
          this.what = 'nul';
          return i;
        }
        if (c >= 0xc2 && c <= 0xdf) {
          need = 1;
          cp = c & 0x1f;
          min = 0x80;
        } else if (c >= 0xe0 && c <= 0xef) {
          need = 2;
          cp = c & 0x0f;
          min = 0x800;
        } else if (c >= 0xf0 && c <= 0xf4) {
          need = 3;
          cp = c & 0x07;
          min = 0x10000;
        } else {
          this.what = 'utf8';
          return i;
        }
        i++;
      } else {
        const c = b[i];
        if ((c & 0xc0) !== 0x80) {
          this.what = 'utf8';
          return i;
        }
        cp = (cp << 6) | (c & 0x3f);
        if (--need === 0 && (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))) {
          this.what = 'utf8';
          return i;
        }
        i++;
      }
    }
    this.need = need;
    this.cp = cp;
    this.min = min;
    return -1;
  }
  /** Whether the input ended inside a multi-byte character. */
  get incomplete(): boolean {
    return this.need > 0;
  }
}

interface ColumnState {
  name: string;
  type: CsvColumnType;
  given: boolean;
}

/** Arrow type of a storage type. */
function arrowType(t: CsvColumnType): DataType {
  switch (t) {
    case 'float64':
      return new Float64();
    case 'int32':
      return new Int32();
    case 'bool':
      return new Bool();
    case 'string':
      return new Utf8();
  }
}

/** A validity bitmap from one byte per row (1 valid), or undefined when all rows are valid. */
function bitmap(valid: Uint8Array, n: number, nullCount: number): Uint8Array | undefined {
  if (nullCount === 0) return undefined;
  const bits = new Uint8Array((n + 7) >> 3);
  for (let i = 0; i < n; i++) if (valid[i]) bits[i >> 3] |= 1 << (i & 7);
  return bits;
}

/**
 * The incremental parser. `push` bytes, `finish` at the end; complete record batches collect in
 * `out`. One instance reads one input.
 *
 * Layout: the byte buffer holds the records of the pending batch and the partial record; the
 * scanner writes each field's start and end (end bit-inverted when the field was quoted) straight
 * into the batch arrays `bs`/`be` at row `nRows`, so no per-field or per-row objects are made.
 */
export class CsvParser {
  readonly report: ReadReport = emptyReport('csv');
  /** Record batches ready to be taken. */
  readonly out: RecordBatch[] = [];
  /** True once `maxRows` rows are out: stop pushing. */
  done = false;

  private readonly opt: Required<Omit<CsvOptions, 'delimiter' | 'columnNames' | 'columnTypes' | 'nullValues' | 'decimal' | 'encoding'>> & CsvOptions;
  private readonly nulls: NullMatcher;
  private decimalByte: number;
  /** The encoding asked for, if any (else: by byte-order mark, or UTF-8). */
  readonly encoding: TextEncodingName | undefined;
  private readonly quoteByte: number;
  private delimByte = 44;
  private readonly cls = new Uint8Array(256);
  private readonly utf8 = new Utf8Check();
  private readonly text = new TextDecoder('utf-8');

  // byte buffer: [batchByteStart, len) holds the pending batch and the partial record
  private buf = new Uint8Array(1 << 16);
  private len = 0;
  private pos = 0;
  private rowStart = 0;
  private fieldStart = 0;
  private inQuotes = false;
  private fieldQuoted = false;
  private pendingCR = false;
  private line = 1;
  private rowLine = 1;
  private started = false;
  private eof = false;
  private bytesSeen = 0;
  private sniffNeed = 1 << 16;

  // fields of the current record so far
  private nf = 0;
  /** Fields stored per record: the column count, or maxColumns + 1 while reading the header. */
  private width = 0;

  // header and columns
  private columns: ColumnState[] | undefined;
  private ncols = 0;
  private typesDecided = false;
  private records = 0;

  // the pending batch: field bounds of each record
  private batchCap = 0;
  private nRows = 0;
  private bs = new Int32Array(0);
  private be = new Int32Array(0);
  private bLine = new Float64Array(0);
  private bRec = new Float64Array(0);
  private batchByteStart = 0;
  private rowsOut = 0;
  /** The physical line of each row out, [rowsOut] used. */
  private outLines = new Int32Array(1024);

  // bad rows
  private pendingBad: BadRow[] = [];
  private firstBadRecord: { record: number; column?: string } | undefined;
  private scratch = new Uint8Array(256);
  private lf = 0;
  private crlf = 0;
  private cr = 0;

  constructor(options: CsvOptions = {}) {
    const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as CsvOptions;
    const o = {
      quote: '"',
      header: true,
      onBadRows: 'fail' as const,
      maxRows: Infinity,
      maxFieldBytes: 16 * MiB,
      maxLineBytes: 64 * MiB,
      maxColumns: 16384,
      batchRows: 65536,
      numericShare: 0.9,
      maxReportedRows: 1000,
      ...defined,
    };
    this.opt = o as CsvParser['opt'];
    const byteChar = (name: string, v: string) => {
      if (typeof v !== 'string' || v.length !== 1 || v.charCodeAt(0) > 127 || v === '\n' || v === '\r') {
        throw new ParameterError('readCsv', name, `${name} must be one ASCII character other than a newline, got ${JSON.stringify(v)}`);
      }
      return v.charCodeAt(0);
    };
    this.quoteByte = byteChar('quote', o.quote);
    if (o.delimiter !== undefined) {
      this.delimByte = byteChar('delimiter', o.delimiter);
      if (this.delimByte === this.quoteByte) throw new ParameterError('readCsv', 'delimiter', 'delimiter and quote must differ');
    }
    if (!(o.onBadRows === 'fail' || o.onBadRows === 'skip' || o.onBadRows === 'null')) {
      throw new ParameterError('readCsv', 'onBadRows', `onBadRows must be 'fail', 'skip' or 'null', got ${String(o.onBadRows)}`);
    }
    for (const k of ['maxRows', 'maxFieldBytes', 'maxLineBytes', 'maxColumns', 'batchRows', 'maxReportedRows'] as const) {
      const v = o[k];
      const low = k === 'maxRows' || k === 'maxReportedRows' ? 0 : 1;
      if (!(typeof v === 'number' && (v === Infinity || Number.isInteger(v)) && v >= low)) {
        throw new ParameterError('readCsv', k, `${k} must be an integer ≥ ${low}, got ${String(v)}`);
      }
    }
    if (o.maxFieldBytes > 2 ** 30 || o.maxLineBytes > 2 ** 30) throw new ParameterError('readCsv', 'maxLineBytes', 'maxFieldBytes and maxLineBytes can be at most 1 GiB');
    if (!(o.numericShare > 0 && o.numericShare <= 1)) throw new ParameterError('readCsv', 'numericShare', `numericShare must be in (0, 1], got ${o.numericShare}`);
    if (o.decimal !== undefined && o.decimal !== '.' && o.decimal !== ',') throw new ParameterError('readCsv', 'decimal', `decimal must be '.' or ','`);
    this.decimalByte = o.decimal === ',' ? 44 : 46;
    if (o.decimal === ',' && this.delimByte === 44 && o.delimiter !== undefined) throw new ParameterError('readCsv', 'decimal', "decimal ',' needs a delimiter other than ','");
    this.encoding = o.encoding === undefined ? undefined : encodingOf(o.encoding);
    this.nulls = new NullMatcher(o.nullValues ?? DEFAULT_NULL_VALUES);
    this.done = o.maxRows === 0;
  }

  /** Adds a chunk of bytes. */
  push(chunk: Uint8Array): void {
    if (this.done || chunk.length === 0) return;
    this.checkBytes(chunk);
    this.bytesSeen += chunk.length;
    this.append(chunk);
    if (!this.started && !this.tryStart()) return;
    this.scan();
    this.checkLimits();
  }

  /** Ends the input: the last record, the last batch. */
  finish(): void {
    this.eof = true;
    if (this.done) return;
    if (!this.started) this.tryStart();
    // scanned first, so that the error names the last line, not the line reached so far (often 1)
    if (this.utf8.incomplete) {
      try {
        this.scan();
      } catch {
        // the cut character is the point
      }
      this.fail('the input ends inside a UTF-8 character: not UTF-8 text', this.line);
    }
    this.scan();
    if (this.done) return;
    if (this.inQuotes) this.fail(`a quoted field starting on line ${this.rowLine} is never closed (the input ends inside quotes)`, this.rowLine);
    this.pendingCR = false;
    if (this.fieldStart < this.len || this.nf > 0) {
      this.storeField(this.len);
      this.endRow(this.len);
    }
    if (!this.columns) this.fail('the input is empty: no header row and no data', 1);
    this.flush();
    this.report.lines = this.line - (this.len > 0 && (this.buf[this.len - 1] === LF || this.buf[this.len - 1] === CR) ? 1 : 0);
  }

  /** The Arrow schema of the columns (types as decided so far). */
  schema(): Schema {
    const cols = this.columns ?? [];
    return new Schema(cols.map((c) => new Field(c.name, arrowType(c.type), true)));
  }

  /** Completes the report (row and column counts, line endings); called when reading stops. */
  finalizeReport(): ReadReport {
    const r = this.report;
    r.columns = this.columns?.length ?? 0;
    r.rows = this.rowsOut;
    r.bytesRead = this.bytesSeen;
    r.delimiter = String.fromCharCode(this.delimByte);
    r.decimal = this.decimalByte === 44 ? ',' : '.';
    const kinds = (this.lf > 0 ? 1 : 0) + (this.crlf > 0 ? 1 : 0) + (this.cr > 0 ? 1 : 0);
    r.lineEnding = kinds === 0 ? 'none' : kinds > 1 ? 'mixed' : this.lf > 0 ? 'LF' : this.crlf > 0 ? 'CRLF' : 'CR';
    r.badRows.sort((a, b) => a.line - b.line);
    r.rowLines = this.outLines.slice(0, this.rowsOut);
    return r;
  }

  private fail(detail: string, line: number, bad: BadRow[] = [], row?: number, column?: string): never {
    throw new CsvError(`line ${line}: ${detail}`, line, bad, row, column);
  }

  private checkBytes(chunk: Uint8Array): void {
    if (this.bytesSeen === 0 && chunk.length >= 2 && ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff))) {
      this.fail(`the input starts with a UTF-16 byte-order mark but encoding '${this.encoding ?? 'utf-8'}' was asked for: leave encoding out or pass 'utf-16le'/'utf-16be'`, 1);
    }
    let bad = this.utf8.check(chunk);
    if (bad < 0) return;
    // a sequence cut short: name its lead byte (é in Windows-1252 is 0xe9, followed by ASCII)
    if (this.utf8.what === 'utf8' && chunk[bad] < 0xc0) {
      for (let k = bad - 1; k >= Math.max(0, bad - 3); k--) {
        if (chunk[k] >= 0xc0) {
          bad = k;
          break;
        }
      }
    }
    const what =
      this.utf8.what === 'nul'
        ? `a NUL byte at offset ${this.bytesSeen + bad}: the input is binary, not CSV text`
        : `invalid UTF-8 (byte 0x${chunk[bad].toString(16).padStart(2, '0')} at offset ${this.bytesSeen + bad}): the input is binary or text in another encoding; if it is text, pass its encoding (encoding: 'windows-1252', 'latin1', 'utf-16le' or 'utf-16be'; CLI --encoding)`;
    // parse up to the bad byte so that the error can name its line
    const prefix = chunk.subarray(0, bad);
    this.bytesSeen += prefix.length;
    try {
      this.append(prefix);
      if (this.started || this.tryStart(true)) this.scan();
    } catch {
      // the bytes before are not the point
    }
    this.fail(what, this.line);
  }

  private append(chunk: Uint8Array): void {
    if (this.len + chunk.length > this.buf.length) {
      if (this.nRows > 0 && this.typesDecided) this.flush();
      const keep = this.nRows > 0 ? this.batchByteStart : this.started ? this.rowStart : 0;
      if (keep > 0) this.shift(keep);
      if (this.len + chunk.length > this.buf.length) {
        let cap = this.buf.length * 2;
        while (cap < this.len + chunk.length) cap *= 2;
        const nb = new Uint8Array(cap);
        nb.set(this.buf.subarray(0, this.len));
        this.buf = nb;
      }
    }
    this.buf.set(chunk, this.len);
    this.len += chunk.length;
  }

  /** Drops the first `k` bytes of the buffer, moving every stored position with them. */
  private shift(k: number): void {
    this.buf.copyWithin(0, k, this.len);
    this.len -= k;
    this.pos -= k;
    this.rowStart -= k;
    this.fieldStart -= k;
    this.batchByteStart = Math.max(0, this.batchByteStart - k);
    const m = this.nRows * this.width + Math.min(this.nf, this.width);
    const bs = this.bs;
    const be = this.be;
    for (let i = 0; i < m; i++) {
      bs[i] -= k;
      be[i] = be[i] < 0 ? ~(~be[i] - k) : be[i] - k;
    }
  }

  private checkLimits(): void {
    if (this.len - this.fieldStart > this.opt.maxFieldBytes) {
      this.fail(`a field longer than ${this.opt.maxFieldBytes} bytes (maxFieldBytes)${this.inQuotes ? `; it is quoted: is a quote on line ${this.rowLine} left open?` : ''}`, this.rowLine);
    }
    if (this.len - this.rowStart > this.opt.maxLineBytes) {
      this.fail(`a row longer than ${this.opt.maxLineBytes} bytes (maxLineBytes)`, this.rowLine);
    }
  }

  /** Decides the delimiter and skips the BOM once enough bytes are in (or at the end). */
  private tryStart(force = false): boolean {
    if (!force && !this.eof && this.len < this.sniffNeed) return false;
    let s = 0;
    if (this.len >= 3 && this.buf[0] === 0xef && this.buf[1] === 0xbb && this.buf[2] === 0xbf) s = 3;
    if (this.opt.delimiter === undefined) {
      const end = Math.min(this.len, s + this.sniffNeed);
      const sniff = sniffDelimiter(this.buf, s, end, this.quoteByte, this.eof && end === this.len);
      if (sniff.lines < 2 && !this.eof && !force && this.sniffNeed < MiB) {
        this.sniffNeed = MiB;
        return this.tryStart();
      }
      this.delimByte = sniff.delimiter;
      if (sniff.note) this.report.notes.push(sniff.note);
      this.report.delimiterSniffed = true;
      if (this.decimalByte === this.delimByte) throw new ParameterError('readCsv', 'decimal', "decimal ',' needs a delimiter other than ','; pass delimiter");
    } else this.report.delimiterSniffed = false;
    this.report.bom = s === 3;
    this.cls.fill(0);
    this.cls[this.delimByte] = C_DELIM;
    this.cls[this.quoteByte] = C_QUOTE;
    this.cls[LF] = C_LF;
    this.cls[CR] = C_CR;
    this.pos = this.rowStart = this.fieldStart = this.batchByteStart = s;
    this.width = this.opt.maxColumns + 1;
    this.bs = new Int32Array(this.width);
    this.be = new Int32Array(this.width);
    this.started = true;
    return true;
  }

  /** Stores the current field (outside the hot loop: the last field of the input). */
  private storeField(end: number): void {
    if (end - this.fieldStart > this.opt.maxFieldBytes) this.fail(`a field longer than ${this.opt.maxFieldBytes} bytes (maxFieldBytes)`, this.rowLine);
    if (this.nf < this.width) {
      const k = this.nRows * this.width + this.nf;
      this.bs[k] = this.fieldStart;
      this.be[k] = this.fieldQuoted ? ~end : end;
    }
    this.nf++;
  }

  /** The byte-level state machine over [pos, len). */
  private scan(): void {
    if (this.done) return;
    const buf = this.buf;
    const len = this.len;
    const cls = this.cls;
    const q = this.quoteByte;
    // bytes above `hi` are never special: one comparison skips most of them
    const hi = Math.max(this.delimByte, q, CR);
    const maxField = this.opt.maxFieldBytes;
    let width = this.width;
    let bs = this.bs;
    let be = this.be;
    let base = this.nRows * width;
    let pos = this.pos;
    let fieldStart = this.fieldStart;
    let nf = this.nf;
    let quoted = this.fieldQuoted;
    let inQ = this.inQuotes;
    let line = this.line;
    if (this.pendingCR && pos < len) {
      this.pendingCR = false;
      if (buf[pos] === LF) {
        this.cr--;
        this.crlf++;
        pos++;
        fieldStart = pos;
        this.rowStart = pos;
      }
    }
    while (pos < len) {
      if (inQ) {
        for (; pos < len; pos++) {
          const b = buf[pos];
          if (b === q) break;
          if (b === LF) {
            if (buf[pos - 1] !== CR) line++;
          } else if (b === CR) line++;
        }
        if (pos === len) break;
        inQ = false;
        pos++;
        continue;
      }
      let b = 0;
      while (pos < len && ((b = buf[pos]) > hi || cls[b] === 0)) pos++;
      if (pos === len) break;
      const c = cls[b];
      if (c === C_DELIM) {
        if (pos - fieldStart > maxField) {
          this.fail(`a field longer than ${maxField} bytes (maxFieldBytes)`, this.rowLine);
        }
        if (nf < width) {
          bs[base + nf] = fieldStart;
          be[base + nf] = quoted ? ~pos : pos;
        }
        nf++;
        pos++;
        fieldStart = pos;
        quoted = false;
      } else if (c === C_QUOTE) {
        if (pos === fieldStart || quoted) {
          inQ = true;
          quoted = true;
        }
        pos++;
      } else {
        // LF or CR: the record ends
        if (pos - fieldStart > maxField) this.fail(`a field longer than ${maxField} bytes (maxFieldBytes)`, this.rowLine);
        if (nf < width) {
          bs[base + nf] = fieldStart;
          be[base + nf] = quoted ? ~pos : pos;
        }
        nf++;
        let next = pos + 1;
        if (c === C_CR) {
          if (next < len) {
            if (buf[next] === LF) {
              next++;
              this.crlf++;
            } else this.cr++;
          } else {
            this.cr++;
            this.pendingCR = true;
          }
        } else this.lf++;
        this.nf = nf;
        this.pos = pos;
        this.endRow(pos);
        line++;
        pos = next;
        fieldStart = pos;
        nf = 0;
        quoted = false;
        this.rowStart = pos;
        this.rowLine = line;
        if (this.done) break;
        width = this.width;
        bs = this.bs;
        be = this.be;
        base = this.nRows * width;
      }
    }
    this.pos = pos;
    this.fieldStart = fieldStart;
    this.nf = nf;
    this.fieldQuoted = quoted;
    this.inQuotes = inQ;
    this.line = line;
  }

  /** A record is complete: its `nf` fields are at row `nRows` of the batch arrays. */
  private endRow(end: number): void {
    const nf = this.nf;
    this.nf = 0;
    const base = this.nRows * this.width;
    if (nf === 1 && this.be[base] === this.bs[base]) {
      this.report.blankLines = (this.report.blankLines ?? 0) + 1;
      return;
    }
    if (end - this.rowStart > this.opt.maxLineBytes) this.fail(`a row longer than ${this.opt.maxLineBytes} bytes (maxLineBytes)`, this.rowLine);
    if (!this.columns) {
      this.setHeader(nf);
      if (this.opt.header) return;
    }
    const rec = this.records++;
    if (nf !== this.ncols) {
      // Past maxRows (the rows pending already fill it): not read, so not reported.
      if (this.rowsOut + this.nRows >= this.opt.maxRows) return;
      this.addBad(
        {
          line: this.rowLine,
          reason: `expected ${this.ncols} fields, got ${nf}`,
          text: this.snippet(this.rowStart, end),
          action: this.opt.onBadRows === 'fail' ? 'failed' : 'skipped',
        },
        rec,
      );
      return;
    }
    if (this.nRows === 0) this.batchByteStart = this.rowStart;
    this.bLine[this.nRows] = this.rowLine;
    this.bRec[this.nRows] = rec;
    this.nRows++;
    if (this.nRows >= this.opt.batchRows || end - this.batchByteStart > 32 * MiB) this.flush();
    else if (this.nRows === this.batchCap) this.growBatch();
  }

  private growBatch(): void {
    const cap = Math.min(this.opt.batchRows, Math.max(1024, this.batchCap * 2));
    const w = this.width;
    const n = this.nRows;
    const bs = new Int32Array(cap * w);
    bs.set(this.bs.subarray(0, n * w));
    const be = new Int32Array(cap * w);
    be.set(this.be.subarray(0, n * w));
    const bLine = new Float64Array(cap);
    bLine.set(this.bLine.subarray(0, n));
    const bRec = new Float64Array(cap);
    bRec.set(this.bRec.subarray(0, n));
    this.bs = bs;
    this.be = be;
    this.bLine = bLine;
    this.bRec = bRec;
    this.batchCap = cap;
  }

  private setHeader(nf: number): void {
    if (nf > this.opt.maxColumns) this.fail(`more than maxColumns=${this.opt.maxColumns} columns`, this.rowLine);
    let names: string[];
    if (this.opt.header) {
      names = [];
      for (let j = 0; j < nf; j++) names.push(this.cellString(this.bs[j], this.be[j]));
    } else names = Array.from({ length: nf }, (_, j) => `column_${j + 1}`);
    if (this.opt.columnNames) {
      if (this.opt.columnNames.length !== nf) {
        throw new ParameterError('readCsv', 'columnNames', `${this.opt.columnNames.length} column names given for ${nf} columns`);
      }
      names = [...this.opt.columnNames];
    }
    // like pandas: empty names become `Unnamed: j`, repeated names get `.1`, `.2`
    const seen = new Map<string, number>();
    const renamed: string[] = [];
    names = names.map((n, j) => {
      let name = n === '' ? `Unnamed: ${j}` : n;
      if (seen.has(name)) {
        let k = seen.get(name)!;
        let candidate: string;
        do candidate = `${name}.${++k}`;
        while (seen.has(candidate));
        seen.set(name, k);
        renamed.push(`'${name}' → '${candidate}'`);
        name = candidate;
      }
      seen.set(name, 0);
      return name;
    });
    if (renamed.length) this.report.notes.push(`repeated column names renamed: ${renamed.join(', ')}`);
    const given = this.opt.columnTypes ?? {};
    for (const k of Object.keys(given)) {
      if (!names.includes(k)) throw new ParameterError('readCsv', 'columnTypes', `columnTypes names '${k}', which is not a column (columns: ${names.join(', ')})`);
      if (!['float64', 'int32', 'bool', 'string'].includes(given[k])) throw new ParameterError('readCsv', 'columnTypes', `columnTypes['${k}'] = '${given[k]}' is not float64, int32, bool or string`);
    }
    this.columns = names.map((name) => ({ name, type: given[name] ?? 'string', given: given[name] !== undefined }));
    this.ncols = nf;
    // batch arrays of `ncols` fields per record; one more field is stored only to know a record is too wide
    const maxBatch = Math.max(256, Math.floor((4 << 20) / nf));
    if (this.opt.batchRows > maxBatch) this.opt.batchRows = maxBatch;
    const firstRow = !this.opt.header;
    const keepS = firstRow ? this.bs.slice(0, nf) : undefined;
    const keepE = firstRow ? this.be.slice(0, nf) : undefined;
    this.width = nf;
    this.batchCap = 0;
    this.bs = new Int32Array(0);
    this.be = new Int32Array(0);
    this.growBatch();
    if (keepS && keepE) {
      this.bs.set(keepS);
      this.be.set(keepE);
    }
  }

  private snippet(s: number, e: number): string {
    const t = this.text.decode(this.buf.subarray(s, Math.min(e, s + 800)));
    return t.length > 200 ? `${t.slice(0, 200)}…` : t;
  }

  private addBad(bad: BadRow, record: number, column?: string): void {
    this.report.badRowCount++;
    if (bad.action === 'skipped') this.report.skippedRows++;
    if (this.report.badRows.length < this.opt.maxReportedRows) this.report.badRows.push(bad);
    if (this.opt.onBadRows === 'fail') {
      this.pendingBad.push(bad);
      if (!this.firstBadRecord || record < this.firstBadRecord.record) this.firstBadRecord = { record, column };
    }
  }

  /** Unescapes a quoted field into `scratch`; returns its length. */
  private unquote(s: number, e: number): number {
    if (this.scratch.length < e - s) this.scratch = new Uint8Array(Math.max(e - s, this.scratch.length * 2));
    const b = this.buf;
    const out = this.scratch;
    const q = this.quoteByte;
    let n = 0;
    let inQ = false;
    for (let i = s; i < e; i++) {
      const c = b[i];
      if (c === q) {
        if (inQ && i + 1 < e && b[i + 1] === q) {
          out[n++] = q;
          i++;
        } else inQ = !inQ;
      } else out[n++] = c;
    }
    return n;
  }

  /** The text of a field; `e` is bit-inverted for a quoted field. */
  private cellString(s: number, e: number): string {
    if (e >= 0) return this.text.decode(this.buf.subarray(s, e));
    const n = this.unquote(s, ~e);
    return this.text.decode(this.scratch.subarray(0, n));
  }

  /** The physical line the parser has reached (1-based). */
  get currentLine(): number {
    return this.line;
  }

  /** The text of the field at row `r`, column `j` of the pending batch. */
  private fieldText(r: number, j: number): string {
    const k = r * this.ncols + j;
    return this.cellString(this.bs[k], this.be[k]).trim();
  }

  /**
   * Decimal commas, decided from the first batch when no `decimal` is given and the delimiter is
   * not `,`: the cells holding a comma or a point vote for the mark that alone reads them
   * (`0,438` and `2.245,71` for ',', `4.5` and `1,234.5` for '.'; `1,234` reads both ways).
   */
  private detectDecimal(): void {
    if (this.opt.decimal !== undefined || this.delimByte === 44) return;
    const n = this.nRows;
    const nc = this.ncols;
    let comma = 0;
    let point = 0;
    let example: { text: string; column: string; line: number } | undefined;
    for (let j = 0; j < nc; j++) {
      if (this.columns![j].given) continue;
      for (let r = 0; r < n; r++) {
        const k = r * nc + j;
        const s = this.bs[k];
        const e0 = this.be[k];
        const e = e0 < 0 ? ~e0 : e0;
        let marks = false;
        let digit = false;
        for (let i = s; i < e; i++) {
          const c = this.buf[i];
          if (c === 44 || c === 46) marks = true;
          else if (c >= 48 && c <= 57) digit = true;
        }
        if (!marks || !digit || e - s > 64) continue;
        const text = this.fieldText(r, j);
        const body = text.replace(/^[-+(]?\s*(?:[$€£¥]\s*)?[-+]?/, '').replace(/\s*(?:[$€£¥%]|\))\s*$/, '');
        if (!/^[\d.,]+$/.test(body)) continue;
        const ev = decimalEvidence(body);
        if (ev === ',') {
          comma++;
          example ??= { text, column: this.columns![j].name, line: this.bLine[r] };
        } else if (ev === '.') point++;
      }
    }
    if (comma > 0 && comma > point) {
      this.decimalByte = 44;
      this.report.notes.push(
        `decimal commas found (e.g. '${example!.text}' in column '${example!.column}' on line ${example!.line}${point > 0 ? `; ${comma} such cells against ${point} with a decimal point` : ''}): numbers are read with ',' as the decimal mark (pass decimal '.', CLI --decimal ., to read them otherwise)`,
      );
    }
  }

  /** Storage types from the first batch: see {@link CsvOptions.numericShare}. */
  private decideTypes(): void {
    this.detectDecimal();
    const n = this.nRows;
    const nc = this.ncols;
    for (let j = 0; j < nc; j++) {
      const col = this.columns![j];
      if (col.given) continue;
      let nonNull = 0;
      let numeric = 0;
      let ints = 0;
      let bools = 0;
      let formatted = 0;
      // Cells that are neither numbers nor booleans: past this many the column is text whatever the
      // rest holds (numbers could no longer reach numericShare of the non-null cells), so the scan stops.
      const maxMisses = (1 - this.opt.numericShare) * n;
      for (let r = 0; r < n; r++) {
        if (nonNull - numeric - bools - formatted > maxMisses) break;
        const k = r * nc + j;
        let b = this.buf;
        let s = this.bs[k];
        let e = this.be[k];
        if (e < 0) {
          e = this.unquote(s, ~e);
          s = 0;
          b = this.scratch;
        }
        if (this.nulls.test(b, s, e)) continue;
        nonNull++;
        const kind = scanNumber(b, s, e, this.decimalByte);
        if (kind !== NOT_A_NUMBER) {
          numeric++;
          if (isInt32(kind)) ints++;
        } else if (parseBoolBytes(b, s, e) >= 0) bools++;
        else if (mayBeNumber(b, s, e) && isFormattedNumber(this.text.decode(b.subarray(s, e)))) formatted++;
      }
      if (nonNull === 0) col.type = 'string';
      else if (bools === nonNull) col.type = 'bool';
      // numbers among formatted ones ('1,234', '$5', '12%'): kept as text for kind inference to read with their format
      else if (formatted > 0 && numeric + formatted >= this.opt.numericShare * nonNull) col.type = 'string';
      else if (numeric >= this.opt.numericShare * nonNull) col.type = ints === numeric ? 'int32' : 'float64';
      else col.type = 'string';
    }
    this.typesDecided = true;
  }

  /** Parses the pending batch into a record batch. */
  private flush(): void {
    const n = this.nRows;
    if (n === 0) {
      this.throwPendingBad();
      return;
    }
    if (!this.typesDecided) this.decideTypes();
    const nc = this.ncols;
    const cols = this.columns!;
    const mode = this.opt.onBadRows;
    // first bad column per row (+1), 0 = good
    const badCol = new Int32Array(n);
    const badText: string[] = [];
    // Bad cells per row (nulled ones are counted once the rows kept under maxRows are known), and
    // whether the row's first bad cell is a number too large for float64 or an infinity.
    const badCells = new Int32Array(n);
    const badInfinite = new Uint8Array(n);
    let badCount = 0;
    const numeric: (Float64Array | Int32Array | Uint8Array | undefined)[] = new Array(nc);
    const valids: (Uint8Array | undefined)[] = new Array(nc);
    const nullCounts = new Array<number>(nc).fill(0);
    const markBad = (r: number, j: number, b: Uint8Array, s: number, e: number, infinite = false): void => {
      badCells[r]++;
      if (badCol[r] !== 0) return;
      badCol[r] = j + 1;
      badText[r] = this.text.decode(b.subarray(s, Math.min(e, s + 60)));
      badInfinite[r] = infinite ? 1 : 0;
      badCount++;
    };
    const buf = this.buf;
    const bs = this.bs;
    const be = this.be;
    const nm = this.nulls;
    for (let j = 0; j < nc; j++) {
      const col = cols[j];
      if (col.type === 'string') continue;
      const valid = new Uint8Array(n);
      let nulls = 0;
      if (col.type === 'bool') {
        const vals = new Uint8Array(n);
        for (let r = 0; r < n; r++) {
          const k = r * nc + j;
          let b = buf;
          let s = bs[k];
          let e = be[k];
          if (e < 0) {
            e = this.unquote(s, ~e);
            s = 0;
            b = this.scratch;
          }
          if (nm.test(b, s, e)) {
            nulls++;
            continue;
          }
          const v = parseBoolBytes(b, s, e);
          if (v < 0) {
            markBad(r, j, b, s, e);
            nulls++;
            continue;
          }
          vals[r] = v;
          valid[r] = 1;
        }
        numeric[j] = vals;
      } else {
        const vals = new Float64Array(n);
        let allInt = col.type === 'int32';
        const dec = this.decimalByte;
        for (let r = 0; r < n; r++) {
          const k = r * nc + j;
          let b = buf;
          let s = bs[k];
          let e = be[k];
          if (e < 0) {
            e = this.unquote(s, ~e);
            s = 0;
            b = this.scratch;
          }
          const kind = scanNumber(b, s, e, dec);
          if (kind === NOT_A_NUMBER) {
            nulls++;
            if (!nm.test(b, s, e)) {
              let t = s;
              let u = e;
              while (t < u && (b[t] === 32 || b[t] === 9)) t++;
              while (u > t && (b[u - 1] === 32 || b[u - 1] === 9)) u--;
              if (u > t) markBad(r, j, b, s, e);
            }
            continue;
          }
          if (!Number.isFinite(numberValue[0])) {
            // `inf`, `1e999`: not a value any statistic or distance can use.
            nulls++;
            markBad(r, j, b, s, e, true);
            continue;
          }
          if (allInt && !isInt32(kind)) allInt = false;
          vals[r] = numberValue[0];
          valid[r] = 1;
        }
        if (col.type === 'int32') {
          if (allInt) {
            const ints = new Int32Array(n);
            ints.set(vals);
            numeric[j] = ints;
          } else {
            col.type = 'float64';
            this.report.notes.push(`column '${col.name}' widened from int32 to float64 at line ${this.bLine[this.firstNonInt(j, valid)]}`);
            numeric[j] = vals;
          }
        } else numeric[j] = vals;
      }
      valids[j] = valid;
      nullCounts[j] = nulls;
    }
    // bad rows
    let keep: Int32Array | undefined;
    if (badCount > 0) {
      // Rows past maxRows are not read: their problems are not reported (nor do they fail the read).
      const room = this.opt.maxRows - this.rowsOut;
      let kept = 0;
      for (let r = 0; r < n; r++) {
        if (kept >= room) {
          if (badCol[r] !== 0) {
            badCol[r] = 0;
            badCount--;
          }
          continue;
        }
        if (badCol[r] === 0 || mode !== 'skip') kept++;
        if (badCol[r] === 0) continue;
        if (mode === 'null') this.report.nulledCells += badCells[r];
        const j = badCol[r] - 1;
        const name = cols[j].name;
        const kind = badInfinite[r] ? 'a finite number' : cols[j].type === 'bool' ? 'true/false' : 'a number';
        const k = r * nc;
        const last = be[k + nc - 1];
        this.addBad(
          {
            line: this.bLine[r],
            reason: `column '${name}': '${badText[r]}' is not ${kind}`,
            column: name,
            text: this.snippet(bs[k], last < 0 ? ~last : last),
            action: mode === 'fail' ? 'failed' : mode === 'skip' ? 'skipped' : 'nulled',
          },
          this.bRec[r],
          name,
        );
      }
      if (mode === 'skip') {
        keep = new Int32Array(n - badCount);
        let m = 0;
        for (let r = 0; r < n; r++) if (badCol[r] === 0) keep[m++] = r;
      }
    }
    this.throwPendingBad();
    let rowsIdx = keep;
    let m = keep ? keep.length : n;
    if (this.rowsOut + m >= this.opt.maxRows) {
      if (this.rowsOut + m > this.opt.maxRows || !this.eof) this.report.truncated = true;
      m = this.opt.maxRows - this.rowsOut;
      if (!rowsIdx) rowsIdx = Int32Array.from({ length: m }, (_, i) => i);
      else rowsIdx = rowsIdx.subarray(0, m);
      this.done = true;
    }
    const children: Data[] = [];
    for (let j = 0; j < nc; j++) {
      const col = cols[j];
      if (col.type === 'string') {
        children.push(this.buildStrings(j, rowsIdx, m));
        continue;
      }
      let vals = numeric[j]!;
      let valid = valids[j]!;
      let nulls = nullCounts[j];
      if (rowsIdx) {
        const v2 = new (vals.constructor as { new (n: number): typeof vals })(m);
        const ok2 = new Uint8Array(m);
        nulls = 0;
        for (let i = 0; i < m; i++) {
          const r = rowsIdx[i];
          v2[i] = vals[r];
          ok2[i] = valid[r];
          if (!valid[r]) nulls++;
        }
        vals = v2;
        valid = ok2;
      }
      const nullBitmap = bitmap(valid, m, nulls);
      if (col.type === 'bool') {
        const bits = new Uint8Array((m + 7) >> 3);
        for (let i = 0; i < m; i++) if (vals[i]) bits[i >> 3] |= 1 << (i & 7);
        children.push(makeData({ type: new Bool(), length: m, nullCount: nulls, nullBitmap, data: bits }));
      } else if (col.type === 'int32') {
        children.push(makeData({ type: new Int32(), length: m, nullCount: nulls, nullBitmap, data: vals as Int32Array }));
      } else {
        children.push(makeData({ type: new Float64(), length: m, nullCount: nulls, nullBitmap, data: vals as Float64Array }));
      }
    }
    // a partial record (flushed to make room in the buffer) moves to the first row
    const partial = Math.min(this.nf, this.width);
    if (partial > 0) {
      this.bs.copyWithin(0, n * this.width, n * this.width + partial);
      this.be.copyWithin(0, n * this.width, n * this.width + partial);
    }
    this.nRows = 0;
    this.batchByteStart = this.rowStart;
    if (m > 0) {
      if (this.outLines.length < this.rowsOut + m) {
        const grown = new Int32Array(Math.max(this.rowsOut + m, 2 * this.outLines.length));
        grown.set(this.outLines.subarray(0, this.rowsOut));
        this.outLines = grown;
      }
      for (let i = 0; i < m; i++) this.outLines[this.rowsOut + i] = this.bLine[rowsIdx ? rowsIdx[i] : i];
      const schema = this.schema();
      this.out.push(new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: m, nullCount: 0, children })));
      this.rowsOut += m;
    }
  }

  /** The first row of the batch whose value in column `j` is not an int32 integer. */
  private firstNonInt(j: number, valid: Uint8Array): number {
    const nc = this.ncols;
    for (let r = 0; r < this.nRows; r++) {
      if (!valid[r]) continue;
      const k = r * nc + j;
      let b = this.buf;
      let s = this.bs[k];
      let e = this.be[k];
      if (e < 0) {
        e = this.unquote(s, ~e);
        s = 0;
        b = this.scratch;
      }
      if (!isInt32(scanNumber(b, s, e, this.decimalByte))) return r;
    }
    return 0;
  }

  private throwPendingBad(): void {
    if (this.opt.onBadRows !== 'fail' || this.pendingBad.length === 0) return;
    const bad = this.pendingBad.sort((a, b) => a.line - b.line);
    const total = bad.length;
    const shown = bad.slice(0, 5).map((b) => `line ${b.line}: ${b.reason}`);
    const more = total > 5 ? `; and ${total - 5} more` : '';
    const first = this.firstBadRecord!;
    throw new CsvError(
      `${total === 1 ? 'a row does' : `${total} rows do`} not parse (${shown.join('; ')}${more}). Pass onBadRows: 'skip' to leave bad rows out, 'null' to set their bad cells to null, or columnTypes to read a column as text`,
      bad[0].line,
      bad,
      first.record,
      first.column,
    );
  }

  /** Builds a Utf8 column of the rows `idx` (all rows when undefined), copying UTF-8 bytes. */
  private buildStrings(j: number, idx: Int32Array | undefined, m: number): Data {
    const nc = this.ncols;
    const bs = this.bs;
    const be = this.be;
    const buf = this.buf;
    let total = 0;
    for (let i = 0; i < m; i++) {
      const k = (idx ? idx[i] : i) * nc + j;
      const e = be[k];
      total += (e < 0 ? ~e : e) - bs[k];
    }
    const data = new Uint8Array(total);
    const offsets = new Int32Array(m + 1);
    const valid = new Uint8Array(m);
    const nm = this.nulls;
    let nulls = 0;
    let off = 0;
    for (let i = 0; i < m; i++) {
      const k = (idx ? idx[i] : i) * nc + j;
      const s = bs[k];
      const e = be[k];
      if (e < 0) {
        const n = this.unquote(s, ~e);
        if (nm.test(this.scratch, 0, n)) nulls++;
        else {
          data.set(this.scratch.subarray(0, n), off);
          off += n;
          valid[i] = 1;
        }
      } else if (nm.test(buf, s, e)) nulls++;
      else {
        const n = e - s;
        if (n < 24) for (let t = 0; t < n; t++) data[off + t] = buf[s + t];
        else data.set(buf.subarray(s, e), off);
        off += n;
        valid[i] = 1;
      }
      offsets[i + 1] = off;
    }
    return makeData({ type: new Utf8(), length: m, nullCount: nulls, nullBitmap: bitmap(valid, m, nulls), valueOffsets: offsets, data: data.subarray(0, off) });
  }
}

/**
 * Guesses the delimiter from the lines in `[s, e)`: for each of `,` tab `;` `|`, the count
 * outside quotes on every non-blank line; the candidate whose count is the same non-zero number
 * on the most lines wins (ties: the order above). No candidate at all: one column, `,`.
 */
export function sniffDelimiter(b: Uint8Array, s: number, e: number, quote = 34, toEnd = false): { delimiter: number; lines: number; note?: string } {
  const cands = [44, 9, 59, 124];
  const counts: number[][] = cands.map(() => []);
  const cur = cands.map(() => 0);
  let inQ = false;
  let lineLen = 0;
  let lines = 0;
  for (let i = s; i < e && lines < 100; i++) {
    const c = b[i];
    if (c === quote) {
      inQ = !inQ;
      lineLen++;
      continue;
    }
    if (inQ) continue;
    if (c === LF || c === CR) {
      if (lineLen > 0) {
        for (let k = 0; k < cands.length; k++) counts[k].push(cur[k]);
        lines++;
      }
      cur.fill(0);
      lineLen = 0;
      continue;
    }
    lineLen++;
    const k = cands.indexOf(c);
    if (k >= 0) cur[k]++;
  }
  if (toEnd && lineLen > 0 && !inQ && lines < 100) {
    for (let k = 0; k < cands.length; k++) counts[k].push(cur[k]);
    lines++;
  }
  let best = -1;
  let bestScore = 0;
  for (let k = 0; k < cands.length; k++) {
    const cs = counts[k];
    if (cs.length === 0) continue;
    const freq = new Map<number, number>();
    for (const v of cs) if (v > 0) freq.set(v, (freq.get(v) ?? 0) + 1);
    let modeCount = 0;
    for (const [, f] of freq) modeCount = Math.max(modeCount, f);
    const score = modeCount / cs.length;
    if (score > bestScore + 1e-12) {
      bestScore = score;
      best = k;
    }
  }
  const names = [',', 'tab', ';', '|'];
  if (best < 0) return { delimiter: 44, lines, note: 'no delimiter (, tab ; |) found in the first lines: read as one column' };
  return { delimiter: cands[best], lines, note: best === 0 ? undefined : `delimiter sniffed: ${names[best]}` };
}

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
      if (encoding !== 'utf-8') parser.report.bytesRead = rawBytes;
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
