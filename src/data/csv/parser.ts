// SPDX-License-Identifier: MIT
/**
 * The incremental CSV parser: bytes in, Arrow record batches out (see src/data/csv.ts for the
 * dialect and the rules).
 */
import { Bool, Field, Float64, Int32, RecordBatch, Schema, Struct, Utf8, makeData, type Data, type DataType } from 'apache-arrow';
import { ParameterError } from '../../errors.js';
import { encodingOf, type TextEncodingName } from '../encoding.js';
import { decimalEvidence, isFormattedNumber } from '../numberFormat.js';
import { emptyReport, type BadRow, type ReadReport } from '../readTable.js';
import { CR, LF, MiB } from './bytes.js';
import { NOT_A_NUMBER, isInt32, mayBeNumber, numberValue, parseBoolBytes, scanNumber } from './numbers.js';
import { CsvError, DEFAULT_NULL_VALUES, type CsvColumnType, type CsvOptions } from './options.js';
import { sniffDelimiter } from './sniff.js';
import { Utf8Check } from './utf8.js';

// Byte classes of the scanner: 0 ordinary, then these.
const C_DELIM = 1;
const C_QUOTE = 2;
const C_LF = 3;
const C_CR = 4;

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
