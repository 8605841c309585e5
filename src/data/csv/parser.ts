// SPDX-License-Identifier: MIT
/**
 * The incremental CSV parser: the tokenizer's records become Arrow record batches, column by
 * column straight from the bytes (numbers without making strings, text copied as UTF-8). Column
 * types are decided from the first batch (see CsvOptions.numericShare) and widened (int32 →
 * float64) when a later value needs it; a text where a column is numeric makes its row bad.
 */
import { Bool, Field, Float64, Int32, RecordBatch, Schema, Struct, Utf8, makeData, type Data, type DataType } from 'apache-arrow';
import { decimalEvidence, isFormattedNumber } from '../numberFormat.js';
import type { ReadReport } from '../readReport.js';
import { NOT_A_NUMBER, isInt32, mayBeNumber, numberValue, parseBoolBytes, scanNumber } from './numbers.js';
import { CsvError, type CsvColumnType } from './options.js';
import { grown } from './bytes.js';
import { CsvTokenizer } from './tokenizer.js';

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
 */
export class CsvParser extends CsvTokenizer {
  /** Record batches ready to be taken. */
  readonly out: RecordBatch[] = [];

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
    if (this.opt.recordRanges) {
      const header = this.headerRange;
      r.recordRanges = {
        header: header === null ? null : { start: header[0], end: header[1] },
        namesChanged: this.namesChanged,
        starts: this.outStarts.slice(0, this.rowsOut),
        ends: this.outEnds.slice(0, this.rowsOut),
      };
    }
    return r;
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
  protected flush(): void {
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
      if (this.outLines.length < this.rowsOut + m) this.outLines = grown(this.outLines, Math.max(this.rowsOut + m, 2 * this.outLines.length), this.rowsOut);
      for (let i = 0; i < m; i++) this.outLines[this.rowsOut + i] = this.bLine[rowsIdx ? rowsIdx[i] : i];
      if (this.opt.recordRanges) this.keepRanges(rowsIdx, m);
      const schema = this.schema();
      this.out.push(new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: m, nullCount: 0, children })));
      this.rowsOut += m;
    }
  }

  /** Appends the record ranges of the batch's rows `idx` (the first `m` rows when undefined) to those of the rows out. */
  private keepRanges(idx: Int32Array | undefined, m: number): void {
    const at = this.rowsOut;
    if (this.outStarts.length < at + m) {
      const cap = Math.max(at + m, 2 * this.outStarts.length, 1024);
      this.outStarts = grown(this.outStarts, cap, at);
      this.outEnds = grown(this.outEnds, cap, at);
    }
    for (let i = 0; i < m; i++) {
      const r = idx ? idx[i] : i;
      this.outStarts[at + i] = this.bStart[r];
      this.outEnds[at + i] = this.bEnd[r];
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
        // unquoted straight into the column (its raw length, counted above, leaves room)
        const n = this.unquoteInto(s, ~e, data, off);
        if (nm.test(data, off, off + n)) nulls++;
        else {
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
