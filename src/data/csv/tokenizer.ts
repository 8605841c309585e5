// SPDX-License-Identifier: MIT
/**
 * The CSV tokenizer: a byte-level state machine that splits chunks of bytes into records and
 * fields (RFC 4180 quotes with doubled quotes and embedded newlines, any one-byte delimiter,
 * LF/CRLF/CR, a UTF-8 BOM, blank lines skipped), checks UTF-8 and the size limits, finds the
 * header, and lists bad rows by their physical line. What the fields become is the subclass's
 * part (parser.ts builds the Arrow columns in `flush`).
 */
import { ParameterError } from '../../errors.js';
import { encodingOf, type TextEncodingName } from '../encoding.js';
import { emptyReport, type BadRow, type ReadReport } from '../readReport.js';
import { CR, LF, MiB, grown } from './bytes.js';
import { CsvError, DEFAULT_NULL_VALUES, type CsvColumnType, type CsvOptions } from './options.js';
import { sniffDelimiter } from './sniff.js';
import { Utf8Check } from './utf8.js';

// Byte classes of the scanner: 0 ordinary, then these.
const C_DELIM = 1;
const C_QUOTE = 2;
const C_LF = 3;
const C_CR = 4;

/** Matches missing-value markers on bytes without making strings. */
export class NullMatcher {
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

export interface ColumnState {
  name: string;
  type: CsvColumnType;
  given: boolean;
}

/**
 * Records and fields of a CSV input, pushed in chunks. Layout: the byte buffer holds the records
 * of the pending batch and the partial record; the scanner writes each field's start and end (end
 * bit-inverted when the field was quoted) straight into the batch arrays `bs`/`be` at row
 * `nRows`, so no per-field or per-row objects are made. When a batch is full (or the input ends),
 * `flush` takes it.
 */
export abstract class CsvTokenizer {
  readonly report: ReadReport = emptyReport('csv');

  /** True once `maxRows` rows are out: stop pushing. */
  done = false;
  protected readonly opt: Required<Omit<CsvOptions, 'delimiter' | 'columnNames' | 'columnTypes' | 'nullValues' | 'decimal' | 'encoding' | 'recordRanges'>> & CsvOptions;
  protected readonly nulls: NullMatcher;
  protected decimalByte: number;

  /** The encoding asked for, if any (else: by byte-order mark, or UTF-8). */
  readonly encoding: TextEncodingName | undefined;
  protected readonly quoteByte: number;
  protected delimByte = 44;
  protected readonly cls = new Uint8Array(256);
  protected readonly utf8 = new Utf8Check();
  protected readonly text = new TextDecoder('utf-8');

  // byte buffer: [batchByteStart, len) holds the pending batch and the partial record
  protected buf = new Uint8Array(1 << 16);
  protected len = 0;
  /** Offset in the input of `buf[0]` (bytes dropped by `shift`). */
  protected bufBase = 0;
  protected pos = 0;
  protected rowStart = 0;
  protected fieldStart = 0;
  protected inQuotes = false;
  protected fieldQuoted = false;
  protected pendingCR = false;
  protected line = 1;
  protected rowLine = 1;
  protected started = false;
  protected eof = false;
  protected bytesSeen = 0;
  protected sniffNeed = 1 << 16;

  // fields of the current record so far
  protected nf = 0;

  /** Fields stored per record: the column count, or maxColumns + 1 while reading the header. */
  protected width = 0;

  // header and columns
  protected columns: ColumnState[] | undefined;
  protected ncols = 0;
  protected typesDecided = false;
  protected records = 0;

  // the pending batch: field bounds of each record
  protected batchCap = 0;
  protected nRows = 0;
  protected bs = new Int32Array(0);
  protected be = new Int32Array(0);
  protected bLine = new Float64Array(0);
  protected bRec = new Float64Array(0);
  /** With `recordRanges`: input offsets where each record of the batch starts and ends (before its line terminator). */
  protected bStart = new Float64Array(0);
  protected bEnd = new Float64Array(0);
  protected batchByteStart = 0;
  protected rowsOut = 0;

  /** The physical line of each row out, [rowsOut] used. */
  protected outLines = new Int32Array(1024);
  /** With `recordRanges`: the record range of each row out, [rowsOut] used; the header's; whether its names were changed. */
  protected outStarts = new Float64Array(0);
  protected outEnds = new Float64Array(0);
  protected headerRange: [number, number] | null = null;
  protected namesChanged = false;

  // bad rows
  protected pendingBad: BadRow[] = [];
  protected firstBadRecord: { record: number; column?: string } | undefined;
  protected scratch = new Uint8Array(256);
  protected lf = 0;
  protected crlf = 0;
  protected cr = 0;

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
      recordRanges: false,
      ...defined,
    };
    this.opt = o as CsvTokenizer['opt'];
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

  protected fail(detail: string, line: number, bad: BadRow[] = [], row?: number, column?: string): never {
    throw new CsvError(`line ${line}: ${detail}`, line, bad, row, column);
  }

  protected checkBytes(chunk: Uint8Array): void {
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

  protected append(chunk: Uint8Array): void {
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
  protected shift(k: number): void {
    this.buf.copyWithin(0, k, this.len);
    this.bufBase += k;
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

  protected checkLimits(): void {
    if (this.len - this.fieldStart > this.opt.maxFieldBytes) {
      this.fail(`a field longer than ${this.opt.maxFieldBytes} bytes (maxFieldBytes)${this.inQuotes ? `; it is quoted: is a quote on line ${this.rowLine} left open?` : ''}`, this.rowLine);
    }
    if (this.len - this.rowStart > this.opt.maxLineBytes) {
      this.fail(`a row longer than ${this.opt.maxLineBytes} bytes (maxLineBytes)`, this.rowLine);
    }
  }

  /** Decides the delimiter and skips the BOM once enough bytes are in (or at the end). */
  protected tryStart(force = false): boolean {
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
  protected storeField(end: number): void {
    if (end - this.fieldStart > this.opt.maxFieldBytes) this.fail(`a field longer than ${this.opt.maxFieldBytes} bytes (maxFieldBytes)`, this.rowLine);
    if (this.nf < this.width) {
      const k = this.nRows * this.width + this.nf;
      this.bs[k] = this.fieldStart;
      this.be[k] = this.fieldQuoted ? ~end : end;
    }
    this.nf++;
  }

  /** The byte-level state machine over [pos, len). */
  protected scan(): void {
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
  protected endRow(end: number): void {
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
      if (this.opt.header) {
        if (this.opt.recordRanges) this.headerRange = [this.bufBase + this.rowStart, this.bufBase + end];
        return;
      }
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
    if (this.opt.recordRanges) {
      this.bStart[this.nRows] = this.bufBase + this.rowStart;
      this.bEnd[this.nRows] = this.bufBase + end;
    }
    this.nRows++;
    if (this.nRows >= this.opt.batchRows || end - this.batchByteStart > 32 * MiB) this.flush();
    else if (this.nRows === this.batchCap) this.growBatch();
  }

  protected growBatch(): void {
    const cap = Math.min(this.opt.batchRows, Math.max(1024, this.batchCap * 2));
    const w = this.width;
    const n = this.nRows;
    this.bs = grown(this.bs, cap * w, n * w);
    this.be = grown(this.be, cap * w, n * w);
    this.bLine = grown(this.bLine, cap, n);
    this.bRec = grown(this.bRec, cap, n);
    if (this.opt.recordRanges) {
      this.bStart = grown(this.bStart, cap, n);
      this.bEnd = grown(this.bEnd, cap, n);
    }
    this.batchCap = cap;
  }

  protected setHeader(nf: number): void {
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
    if (this.opt.recordRanges) this.namesChanged = !this.opt.header || names.some((name, j) => name !== this.cellString(this.bs[j], this.be[j]));
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

  protected snippet(s: number, e: number): string {
    const t = this.text.decode(this.buf.subarray(s, Math.min(e, s + 800)));
    return t.length > 200 ? `${t.slice(0, 200)}…` : t;
  }

  protected addBad(bad: BadRow, record: number, column?: string): void {
    this.report.badRowCount++;
    if (bad.action === 'skipped') this.report.skippedRows++;
    if (this.report.badRows.length < this.opt.maxReportedRows) this.report.badRows.push(bad);
    if (this.opt.onBadRows === 'fail') {
      this.pendingBad.push(bad);
      if (!this.firstBadRecord || record < this.firstBadRecord.record) this.firstBadRecord = { record, column };
    }
  }

  /** Unescapes a quoted field into `scratch`; returns its length. */
  protected unquote(s: number, e: number): number {
    if (this.scratch.length < e - s) this.scratch = new Uint8Array(Math.max(e - s, this.scratch.length * 2));
    return this.unquoteInto(s, e, this.scratch, 0);
  }

  /** Unquotes the quoted field [s, e) into `out` from `at` (room for e − s bytes); returns its length. */
  protected unquoteInto(s: number, e: number, out: Uint8Array, at: number): number {
    const b = this.buf;
    const q = this.quoteByte;
    let n = at;
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
    return n - at;
  }

  /** The text of a field; `e` is bit-inverted for a quoted field. */
  protected cellString(s: number, e: number): string {
    if (e >= 0) return this.text.decode(this.buf.subarray(s, e));
    const n = this.unquote(s, ~e);
    return this.text.decode(this.scratch.subarray(0, n));
  }

  /** The physical line the parser has reached (1-based). */
  get currentLine(): number {
    return this.line;
  }

  /** Takes the pending batch of `nRows` records (the subclass builds its columns). */
  protected abstract flush(): void;
}
