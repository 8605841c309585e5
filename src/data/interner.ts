// SPDX-License-Identifier: MIT
/** Distinct labels of a text column as ids, from their UTF-8 bytes: one decode per distinct label. */
import * as arrow from 'apache-arrow';

/**
 * Whether each cell of one Arrow data chunk holds a value (its validity bit, where there is a
 * bitmap): the chunk's null count and bitmap are read once, not per cell (Arrow's nullCount
 * getter checks the type each time: 50 ms of a 10^5-row job's main thread went to per-cell reads).
 */
export function validityOf(data: arrow.Data): (i: number) => boolean {
  const bitmap = data.nullBitmap as Uint8Array | undefined;
  if (data.nullCount === 0 || bitmap === undefined || bitmap.length === 0) return () => true;
  const off = data.offset;
  return (i) => ((bitmap[(off + i) >> 3] >> ((off + i) & 7)) & 1) === 1;
}

/**
 * Gives each distinct label an id, from UTF-8 bytes (hashed, compared byte by byte, decoded once
 * per distinct label) or from a string. The byte table is open addressing over typed arrays; it is
 * called once per cell, so it keeps its state in typed arrays rather than arrays of numbers.
 */
export class Interner {
  readonly labels: string[] = [];
  private readonly byString = new Map<string, number>();
  private slots = new Int32Array(1024).fill(-1);
  /** Per id: hash, and the label's bytes as [start, end) in `pool` (start -1: not seen as bytes). */
  private hashes = new Int32Array(64);
  private starts = new Int32Array(64);
  private ends = new Int32Array(64);
  private pool = new Uint8Array(4096);
  private poolEnd = 0;
  private readonly decoder = new TextDecoder();

  string(s: string): number {
    let id = this.byString.get(s);
    if (id === undefined) {
      id = this.labels.length;
      this.labels.push(s);
      this.byString.set(s, id);
      if (id === this.starts.length) this.grow();
      this.starts[id] = -1;
      this.ends[id] = -1;
      this.hashes[id] = 0;
    }
    return id;
  }

  bytes(src: Uint8Array, from: number, to: number): number {
    let h = 0x811c9dc5 | 0;
    for (let p = from; p < to; p++) h = Math.imul(h ^ src[p], 16777619);
    const slots = this.slots;
    const mask = slots.length - 1;
    let slot = h & mask;
    for (;;) {
      const id = slots[slot];
      if (id < 0) break;
      if (this.hashes[id] === h && this.equal(id, src, from, to)) return id;
      slot = (slot + 1) & mask;
    }
    const label = this.decoder.decode(src.subarray(from, to));
    let id = this.byString.get(label);
    if (id === undefined) {
      id = this.string(label);
    } else if (this.starts[id] >= 0) {
      return id;
    }
    // Remember the bytes of this label for the next lookups.
    const len = to - from;
    if (this.poolEnd + len > this.pool.length) {
      const bigger = new Uint8Array(Math.max(this.pool.length * 2, this.poolEnd + len));
      bigger.set(this.pool.subarray(0, this.poolEnd));
      this.pool = bigger;
    }
    this.pool.set(src.subarray(from, to), this.poolEnd);
    this.starts[id] = this.poolEnd;
    this.ends[id] = this.poolEnd + len;
    this.poolEnd += len;
    this.hashes[id] = h;
    slots[slot] = id;
    if (this.labels.length * 2 > slots.length) this.rehash();
    return id;
  }

  private equal(id: number, src: Uint8Array, from: number, to: number): boolean {
    const a = this.starts[id];
    const len = this.ends[id] - a;
    if (len !== to - from) return false;
    const pool = this.pool;
    for (let k = 0; k < len; k++) if (pool[a + k] !== src[from + k]) return false;
    return true;
  }

  private grow(): void {
    const more = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(a.length * 2);
      b.set(a);
      return b;
    };
    this.hashes = more(this.hashes);
    this.starts = more(this.starts);
    this.ends = more(this.ends);
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = slots.length - 1;
    for (let id = 0; id < this.labels.length; id++) {
      if (this.starts[id] < 0) continue;
      let slot = this.hashes[id] & mask;
      while (slots[slot] >= 0) slot = (slot + 1) & mask;
      slots[slot] = id;
    }
    this.slots = slots;
  }
}

/** A cell as label text: a date as its ISO string, anything else as String(v); null where missing. */
function cellText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  return v instanceof Date ? v.toISOString() : String(v);
}

/**
 * Interns the cells of one Arrow data chunk into `ids[start ..]` (-1 where null): UTF-8 cells
 * by their bytes, a dictionary's entries once each, any other type by its text (a date as its
 * ISO string). The one reader of label ids from a chunk, for the pipeline, the number reader,
 * the kinds and the profiles. O(cells + bytes).
 */
export function internChunk(data: arrow.Data, interner: Interner, ids: Int32Array, start = 0): void {
  const n = data.length;
  if (arrow.DataType.isUtf8(data.type)) {
    const offsets = data.valueOffsets as Int32Array;
    const bytes = data.values as Uint8Array;
    const valid = validityOf(data);
    for (let i = 0; i < n; i++) ids[start + i] = valid(i) ? interner.bytes(bytes, offsets[i], offsets[i + 1]) : -1;
    return;
  }
  if (arrow.DataType.isDictionary(data.type) && data.dictionary !== undefined) {
    const dict = data.dictionary;
    const dictIds = new Int32Array(dict.length);
    for (let k = 0; k < dict.length; k++) {
      const text = cellText(dict.get(k));
      dictIds[k] = text === null ? -1 : interner.string(text);
    }
    const keys = data.values as ArrayLike<number | bigint>;
    const valid = validityOf(data);
    for (let i = 0; i < n; i++) ids[start + i] = valid(i) ? dictIds[Number(keys[i])] : -1;
    return;
  }
  const chunk = new arrow.Vector([data]);
  for (let i = 0; i < n; i++) {
    const text = cellText(chunk.get(i));
    ids[start + i] = text === null ? -1 : interner.string(text);
  }
}
