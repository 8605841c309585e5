// SPDX-License-Identifier: MIT
/**
 * Reading one Arrow column into typed arrays for profiling: numbers as float64 with NaN where
 * missing, and labels as interned ids (-1 where missing) with one string per distinct value.
 * Text cells are looked up by their bytes and decoded once per distinct value, not once per
 * cell, so that a column of 10^6 rows reads in tens of milliseconds.
 */
import * as arrow from 'apache-arrow';

/** Whether row `i` of a chunk is valid (non-null). The null bitmap is not sliced with the chunk. */
function isValid(data: arrow.Data, i: number): boolean {
  if (data.nullCount === 0) return true;
  const bitmap = data.nullBitmap as Uint8Array | undefined;
  if (bitmap === undefined || bitmap.length === 0) return true;
  const b = data.offset + i;
  return ((bitmap[b >> 3] >> (b & 7)) & 1) === 1;
}

/** Distinct labels of a column and each row's label id. */
export interface LabelColumn {
  /** Per row: index into `values`, or -1 where the cell is null or empty text. */
  ids: Int32Array;
  /** The distinct labels in order of first appearance. */
  values: string[];
}

class Interner {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();

  id(s: string): number {
    let id = this.index.get(s);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(s);
      this.index.set(s, id);
    }
    return id;
  }
}

const decoder = new TextDecoder();

/**
 * Label ids of UTF-8 cells looked up by their bytes (FNV-1a hash, open addressing), so a cell
 * is decoded to a string only the first time its bytes are seen. Blank cells get id −1.
 */
class ByteInterner {
  private slots = new Int32Array(256).fill(-1);
  private readonly hash: number[] = [];
  private readonly from: number[] = [];
  private readonly len: number[] = [];
  private readonly label: number[] = [];
  private pool = new Uint8Array(1024);
  private used = 0;

  constructor(private readonly strings: Interner) {}

  id(bytes: Uint8Array, from: number, to: number): number {
    let h = 0x811c9dc5;
    for (let p = from; p < to; p++) h = Math.imul(h ^ bytes[p], 0x01000193);
    // FNV's low bits are poorly mixed and the table indexes by them: finish with murmur3's fmix32.
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h = (h ^ (h >>> 16)) >>> 0;
    const mask = this.slots.length - 1;
    let slot = h & mask;
    for (let e = this.slots[slot]; e >= 0; e = this.slots[slot]) {
      if (this.hash[e] === h && this.same(e, bytes, from, to)) return this.label[e];
      slot = (slot + 1) & mask;
    }
    const text = decoder.decode(bytes.subarray(from, to));
    const entry = this.hash.length;
    this.hash.push(h);
    this.from.push(this.keep(bytes, from, to));
    this.len.push(to - from);
    this.label.push(text.trim() === '' ? -1 : this.strings.id(text));
    this.slots[slot] = entry;
    if (2 * this.hash.length > this.slots.length) this.grow();
    return this.label[entry];
  }

  private same(e: number, bytes: Uint8Array, from: number, to: number): boolean {
    if (this.len[e] !== to - from) return false;
    const at = this.from[e];
    for (let k = 0; k < to - from; k++) if (this.pool[at + k] !== bytes[from + k]) return false;
    return true;
  }

  private keep(bytes: Uint8Array, from: number, to: number): number {
    if (this.used + to - from > this.pool.length) {
      const bigger = new Uint8Array(Math.max(2 * this.pool.length, this.used + to - from));
      bigger.set(this.pool.subarray(0, this.used));
      this.pool = bigger;
    }
    this.pool.set(bytes.subarray(from, to), this.used);
    this.used += to - from;
    return this.used - (to - from);
  }

  private grow(): void {
    this.slots = new Int32Array(2 * this.slots.length).fill(-1);
    const mask = this.slots.length - 1;
    for (let e = 0; e < this.hash.length; e++) {
      let slot = this.hash[e] & mask;
      while (this.slots[slot] >= 0) slot = (slot + 1) & mask;
      this.slots[slot] = e;
    }
  }
}

/** A cell value as a label; null, undefined and blank text are missing (null). */
function labelOf(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  const s = String(v);
  return s.trim() === '' ? null : s;
}

/**
 * The labels of a column, whatever its Arrow type: text, dictionary, numbers (as their decimal
 * text), booleans (`true`/`false`). Blank text counts as missing. O(n).
 */
export function readLabels(vector: arrow.Vector): LabelColumn {
  const interner = new Interner();
  const cells = new ByteInterner(interner);
  const ids = new Int32Array(vector.length);
  let start = 0;
  for (const data of vector.data as arrow.Data[]) {
    const n = data.length;
    const type = data.type;
    if (arrow.DataType.isUtf8(type)) {
      const offsets = data.valueOffsets as Int32Array;
      const bytes = data.values as Uint8Array;
      for (let i = 0; i < n; i++) ids[start + i] = isValid(data, i) ? cells.id(bytes, offsets[i], offsets[i + 1]) : -1;
    } else if (arrow.DataType.isDictionary(type)) {
      const dict = data.dictionary as arrow.Vector;
      const dictIds = new Int32Array(dict.length);
      for (let k = 0; k < dict.length; k++) {
        const s = labelOf(dict.get(k));
        dictIds[k] = s === null ? -1 : interner.id(s);
      }
      const keys = data.values as ArrayLike<number | bigint>;
      for (let i = 0; i < n; i++) ids[start + i] = isValid(data, i) ? dictIds[Number(keys[i])] : -1;
    } else {
      const chunk = new arrow.Vector([data]);
      for (let i = 0; i < n; i++) {
        const s = labelOf(chunk.get(i));
        ids[start + i] = s === null ? -1 : interner.id(s);
      }
    }
    start += n;
  }
  return { ids, values: interner.values };
}

/**
 * A column as float64, NaN where the cell is null, NaN, blank or text that is not a number.
 * Text columns are parsed once per distinct label. O(n).
 */
export function readNumbers(vector: arrow.Vector): Float64Array {
  const out = new Float64Array(vector.length);
  let start = 0;
  for (const data of vector.data as arrow.Data[]) {
    const n = data.length;
    const type = data.type;
    if (arrow.DataType.isFloat(type) && type.precision !== arrow.Precision.HALF) {
      const v = data.values as Float32Array | Float64Array;
      for (let i = 0; i < n; i++) out[start + i] = v[i];
    } else if (arrow.DataType.isInt(type)) {
      const v = data.values as ArrayLike<number | bigint>;
      for (let i = 0; i < n; i++) out[start + i] = Number(v[i]);
    } else if (arrow.DataType.isBool(type)) {
      const v = data.values as Uint8Array;
      for (let i = 0; i < n; i++) {
        const b = data.offset + i;
        out[start + i] = (v[b >> 3] >> (b & 7)) & 1;
      }
    } else {
      const labels = readLabels(new arrow.Vector([data]));
      const parsed = labels.values.map((s) => Number(s.trim()));
      for (let i = 0; i < n; i++) out[start + i] = labels.ids[i] < 0 ? NaN : parsed[labels.ids[i]];
      start += n;
      continue;
    }
    if (data.nullCount > 0) for (let i = 0; i < n; i++) if (!isValid(data, i)) out[start + i] = NaN;
    start += n;
  }
  // Infinities are not measurements a profile can average: treat them as missing too.
  for (let i = 0; i < out.length; i++) if (!Number.isFinite(out[i])) out[i] = NaN;
  return out;
}
