// SPDX-License-Identifier: MIT
/** The CSV writer (RFC 4180). */
import * as arrow from 'apache-arrow';
import { DataError, ParameterError } from '../../errors.js';
import { batchesOf, openSink, type TableSource, type WriteResult, type WriteTarget } from './sink.js';
import { validityOf } from '../interner.js';

export interface CsvWriteOptions {
  /** Field delimiter, one character. Default ','. */
  delimiter?: string;
  /** Line ending. Default '\r\n' (RFC 4180). */
  newline?: '\r\n' | '\n';
  /** Write the header line. Default true. */
  header?: boolean;
}

/**
 * CSV per RFC 4180: fields holding the delimiter, a quote, CR or LF are quoted, quotes doubled.
 * A null cell is an empty field; an empty string is `""` so that the two stay apart. Numbers are
 * written in their shortest round-trip form (float32 columns as float32), NaN as an empty field,
 * booleans as true/false, dates as ISO 8601.
 */
export async function writeCsv(source: TableSource, target?: WriteTarget, options: CsvWriteOptions = {}): Promise<WriteResult> {
  const delimiter = options.delimiter ?? ',';
  const newline = options.newline ?? '\r\n';
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r' || delimiter.charCodeAt(0) > 127) {
    throw new ParameterError('writeCsv', 'delimiter', `delimiter=${JSON.stringify(delimiter)} must be one ASCII character other than a quote or a line break`);
  }
  const sink = await openSink(target, 'writeCsv');
  const encoder = new TextEncoder();
  const quote = quoter(delimiter);
  const delimiterByte = delimiter.charCodeAt(0);
  const newlineBytes = encoder.encode(newline);
  let rows = 0;
  let batches = 0;
  let headerDone = options.header === false;
  const writeHeader = async (schema: arrow.Schema): Promise<void> => {
    if (headerDone) return;
    headerDone = true;
    await sink.write(encoder.encode(schema.fields.map((f) => quote(f.name)).join(delimiter) + newline));
  };
  try {
    const schema = source instanceof arrow.Table ? source.schema : null;
    if (schema !== null) await writeHeader(schema);
    for await (const batch of batchesOf(source)) {
      await writeHeader(batch.schema);
      batches++;
      const n = batch.numRows;
      if (n === 0) continue;
      const out = new ByteBuffer(n * 16 * batch.numCols + 1024);
      const cells = batch.schema.fields.map((_, j) => cellWriter(batch.getChildAt(j) as arrow.Vector, quote, delimiterByte));
      const d = cells.length;
      for (let i = 0; i < n; i++) {
        cells[0](i, out);
        for (let j = 1; j < d; j++) {
          out.byte(delimiterByte);
          cells[j](i, out);
        }
        out.bytes(newlineBytes, 0, newlineBytes.length);
      }
      await sink.write(out.take());
      rows += n;
    }
    if (!headerDone) throw new DataError('writeCsv', 'source', 'there is nothing to write: no record batch and no schema');
  } catch (err) {
    await sink.abort();
    throw err;
  }
  return sink.close(rows, batches);
}

/** A cell's text as an RFC 4180 field for `delimiter`: quoted when it holds the delimiter, a quote, CR or LF, and `""` when empty. */
export function quoter(delimiter: string): (s: string) => string {
  return (s: string): string => {
    if (s.length === 0) return '""';
    if (s.includes('"')) return `"${s.replaceAll('"', '""')}"`;
    if (s.includes(delimiter) || s.includes('\n') || s.includes('\r')) return `"${s}"`;
    return s;
  };
}

/** A growable byte buffer for one batch of CSV. */
class ByteBuffer {
  buf: Uint8Array;
  end = 0;
  private readonly encoder = new TextEncoder();

  constructor(size: number) {
    this.buf = new Uint8Array(size);
  }

  reserve(extra: number): void {
    if (this.end + extra <= this.buf.length) return;
    const bigger = new Uint8Array(Math.max(this.buf.length * 2, this.end + extra));
    bigger.set(this.buf.subarray(0, this.end));
    this.buf = bigger;
  }

  byte(b: number): void {
    this.reserve(1);
    this.buf[this.end++] = b;
  }

  bytes(src: Uint8Array, from: number, to: number): void {
    this.reserve(to - from);
    for (let p = from; p < to; p++) this.buf[this.end++] = src[p];
  }

  /** A string of code units < 128 (numbers), byte by byte; anything else through TextEncoder. */
  text(s: string): void {
    this.reserve(s.length * 3);
    for (let k = 0; k < s.length; k++) {
      const c = s.charCodeAt(k);
      if (c >= 128) {
        this.end += this.encoder.encodeInto(s.slice(k), this.buf.subarray(this.end)).written;
        return;
      }
      this.buf[this.end++] = c;
    }
  }

  /** A non-negative or negative integer below 2^53, digit by digit. */
  int(v: number): void {
    if (v < 0) {
      this.byte(45);
      v = -v;
    }
    if (v >= 1e15) {
      this.text(String(v));
      return;
    }
    this.reserve(16);
    if (v < 2147483648) {
      // int32 arithmetic: three times faster than Math.floor on doubles
      let digits = 1;
      for (let t = v; t >= 10; t = (t / 10) | 0) digits++;
      let p = this.end + digits;
      this.end = p;
      do {
        const q = (v / 10) | 0;
        this.buf[--p] = 48 + v - q * 10;
        v = q;
      } while (v > 0);
      return;
    }
    let digits = 1;
    for (let t = v; t >= 10; t = Math.floor(t / 10)) digits++;
    let p = this.end + digits;
    this.end = p;
    do {
      this.buf[--p] = 48 + (v % 10);
      v = Math.floor(v / 10);
    } while (v > 0);
  }

  /**
   * A float64 that has at most 6 decimals and is below 10^9 in size, digit by digit; false (and
   * nothing written) for any other value. The digits are those of String(v): with at most 15
   * significant digits a decimal that reads back as v is the only one of its length, and the
   * fewest decimals p for which round(v·10^p)/10^p is v are the shortest.
   */
  decimal(v: number): boolean {
    const a = v < 0 ? -v : v;
    if (!(a < 1e9) || a === 0) return false;
    let scale = 10;
    let p = 1;
    for (; p <= 6; p++, scale *= 10) if (Math.round(a * scale) / scale === a) break;
    if (p > 6) return false;
    const m = Math.round(a * scale);
    if (v < 0) this.byte(45);
    this.int(Math.floor(m / scale));
    this.reserve(p + 1);
    this.buf[this.end++] = 46;
    let f = m % scale;
    let at = this.end + p;
    this.end = at;
    for (let k = 0; k < p; k++) {
      const q = Math.floor(f / 10);
      this.buf[--at] = 48 + f - q * 10;
      f = q;
    }
    return true;
  }

  take(): Uint8Array {
    return this.buf.slice(0, this.end);
  }
}

type CellWriter = (row: number, out: ByteBuffer) => void;

/**
 * A function that writes the CSV text of row i of one column. Works on the typed arrays of each
 * chunk: integers digit by digit, dictionary labels and UTF-8 text as bytes, floats through
 * their shortest round-trip string.
 */
function cellWriter(vector: arrow.Vector, quote: (s: string) => string, delimiterByte: number): CellWriter {
  const chunks = vector.data as arrow.Data[];
  if (chunks.length !== 1) {
    const writers = chunks.map((c) => cellWriter(new arrow.Vector([c]), quote, delimiterByte));
    const starts = chunks.map((_, k) => chunks.slice(0, k).reduce((s, c) => s + c.length, 0));
    return (i, out) => {
      let k = starts.length - 1;
      while (starts[k] > i) k--;
      writers[k](i - starts[k], out);
    };
  }
  const data = chunks[0];
  const type = data.type;
  const valid = validityOf(data);
  if (arrow.DataType.isFloat(type) && type.precision !== arrow.Precision.HALF) {
    const v = data.values as Float32Array | Float64Array;
    const f32 = type.precision === arrow.Precision.SINGLE;
    return (i, out) => {
      if (!valid(i)) return;
      const x = v[i];
      if (Number.isInteger(x) && Math.abs(x) < 1e15) out.int(x);
      else if (f32 || !out.decimal(x)) out.text(formatFloat(x, f32));
    };
  }
  if (arrow.DataType.isInt(type)) {
    const v = data.values as ArrayLike<number | bigint>;
    if (type.bitWidth === 64) return (i, out) => void (valid(i) && out.text(String(v[i])));
    return (i, out) => void (valid(i) && out.int(v[i] as number));
  }
  if (arrow.DataType.isDictionary(type)) {
    const encoder = new TextEncoder();
    const labels = formatColumn(data.dictionary as arrow.Vector, quote).map((s) => encoder.encode(s));
    const keys = data.values as ArrayLike<number | bigint>;
    return (i, out) => {
      if (!valid(i)) return;
      const b = labels[Number(keys[i])];
      out.bytes(b, 0, b.length);
    };
  }
  if (arrow.DataType.isUtf8(type)) {
    const offsets = data.valueOffsets as Int32Array;
    const bytes = data.values as Uint8Array;
    return (i, out) => {
      if (!valid(i)) return;
      const a = offsets[i];
      const b = offsets[i + 1];
      if (a === b) {
        out.byte(34);
        out.byte(34);
        return;
      }
      let needs = false;
      for (let p = a; p < b; p++) {
        const c = bytes[p];
        if (c === delimiterByte || c === 34 || c === 10 || c === 13) {
          needs = true;
          break;
        }
      }
      if (!needs) {
        out.bytes(bytes, a, b);
        return;
      }
      out.reserve(2 * (b - a) + 2);
      out.buf[out.end++] = 34;
      for (let p = a; p < b; p++) {
        const c = bytes[p];
        if (c === 34) out.buf[out.end++] = 34;
        out.buf[out.end++] = c;
      }
      out.buf[out.end++] = 34;
    };
  }
  const texts = formatColumn(vector, quote);
  return (i, out) => out.text(texts[i]);
}

/** The CSV text of each cell of one column (for dictionaries and the less common types). */
function formatColumn(vector: arrow.Vector, quote: (s: string) => string): string[] {
  const n = vector.length;
  const out = new Array<string>(n);
  let start = 0;
  for (const data of vector.data as arrow.Data[]) {
    const m = data.length;
    const type = data.type;
    const valid = validityOf(data);
    if (arrow.DataType.isFloat(type) && type.precision !== arrow.Precision.HALF) {
      const v = data.values as Float32Array | Float64Array;
      const f32 = type.precision === arrow.Precision.SINGLE;
      for (let i = 0; i < m; i++) out[start + i] = valid(i) ? formatFloat(v[i], f32) : '';
    } else if (arrow.DataType.isInt(type)) {
      const v = data.values as ArrayLike<number | bigint>;
      for (let i = 0; i < m; i++) out[start + i] = valid(i) ? String(v[i]) : '';
    } else if (arrow.DataType.isDictionary(type)) {
      const texts = formatColumn(data.dictionary as arrow.Vector, quote);
      const keys = data.values as ArrayLike<number | bigint>;
      for (let i = 0; i < m; i++) out[start + i] = valid(i) ? texts[Number(keys[i])] : '';
    } else if (arrow.DataType.isUtf8(type) || arrow.DataType.isLargeUtf8(type)) {
      const chunk = new arrow.Vector([data]);
      for (let i = 0; i < m; i++) {
        const s = chunk.get(i) as string | null;
        out[start + i] = s === null ? '' : quote(s);
      }
    } else {
      const chunk = new arrow.Vector([data]);
      for (let i = 0; i < m; i++) {
        const v: unknown = chunk.get(i);
        out[start + i] = v === null || v === undefined ? '' : quote(formatOther(v, type));
      }
    }
    start += m;
  }
  return out;
}


function formatFloat(v: number, float32: boolean): string {
  if (Number.isNaN(v)) return '';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (!float32) return String(v);
  // The shortest decimal that reads back as the same float32.
  for (let p = 1; p < 9; p++) {
    const s = v.toPrecision(p);
    if (Math.fround(Number(s)) === v) return String(Number(s));
  }
  return String(Number(v.toPrecision(9)));
}

function formatOther(v: unknown, type: arrow.DataType): string {
  if (v instanceof Date) return v.toISOString();
  if (arrow.DataType.isTimestamp(type) || arrow.DataType.isDate(type)) return new Date(Number(v)).toISOString();
  if (typeof v === 'object' && v !== null && 'toJSON' in v) return JSON.stringify(v);
  return String(v);
}
