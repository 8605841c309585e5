// SPDX-License-Identifier: MIT
/**
 * Checks of a Parquet row group before hyparquet decodes it. hyparquet 1.31 trusts what a file
 * says: a damaged run length in a run-length/bit-packed stream makes it loop billions of times
 * (found by the mutation property in test/data/readTable.test.ts), a delta-encoded block of zero
 * values loops without end, a damaged page size makes it allocate that many bytes. So, for each
 * column chunk of a row group about to be read, this walks its pages as hyparquet will, without
 * decoding values:
 *
 * - the chunk lies inside the file, before the footer; each page header (thrift, read by
 *   hyparquet's own parser) and page lie inside the chunk;
 * - a page's sizes agree (a Snappy page's own length, at most what Snappy can expand to);
 * - repetition and definition levels: every run of the run-length/bit-packed stream inside its
 *   bytes, no run longer than the values left, the runs covering the page's values;
 * - values: dictionary indices inside the dictionary, plain values inside the page, delta
 *   encodings with blocks that hold values;
 * - the pages' values add up to the chunk's num_values and the row group's num_rows.
 *
 * Each refusal is a DataError naming the row group, the column and the byte offset in the file.
 */
import { parquetHeader } from 'hyparquet/src/column.js';
import { decompressPage } from 'hyparquet/src/datapage.js';
import { getMaxDefinitionLevel, getMaxRepetitionLevel, getSchemaPath } from 'hyparquet/src/schema.js';
import type { FileMetaData } from 'hyparquet';
import { DataError } from '../errors.js';
import type { AsyncBuffer } from './asyncBuffer.js';

class Damage extends Error {}

function damage(detail: string): never {
  throw new Damage(detail);
}

/** Reads bytes of a page with bounds checks (a Damage past the end). */
class Bytes {
  offset = 0;
  constructor(
    readonly bytes: Uint8Array,
    readonly what: string,
  ) {}
  get left(): number {
    return this.bytes.length - this.offset;
  }
  u8(): number {
    if (this.offset >= this.bytes.length) damage(`${this.what} ends early (byte ${this.offset} of ${this.bytes.length})`);
    return this.bytes[this.offset++];
  }
  u32(): number {
    if (this.offset + 4 > this.bytes.length) damage(`${this.what} ends early (byte ${this.offset} of ${this.bytes.length})`);
    const v = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.offset, 4).getUint32(0, true);
    this.offset += 4;
    return v;
  }
  varint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.u8();
      result += (b & 0x7f) * 2 ** shift;
      if (!(b & 0x80)) return result;
      shift += 7;
      if (shift > 63) damage(`${this.what} has a variable-length integer longer than 10 bytes (byte ${this.offset})`);
    }
  }
  skip(n: number, what: string): void {
    if (!(n >= 0 && this.offset + n <= this.bytes.length)) damage(`${what} (${n} bytes at byte ${this.offset}) runs past the end of ${this.what} (${this.bytes.length} bytes)`);
    this.offset += n;
  }
}

/**
 * Walks a run-length/bit-packed hybrid stream of `count` values of `width` bits, as hyparquet's
 * readRleBitPackedHybrid reads it (an empty run moves on by its header: allowed, as duckdb writes
 * them); calls `each(value, times)` for each run's values when given.
 */
function walkRle(r: Bytes, width: number, count: number, what: string, each?: (value: number, times: number) => void): void {
  if (!(width >= 0 && width <= 32)) damage(`${what} have a bit width of ${width}`);
  let seen = 0;
  const bytesPerValue = (width + 7) >> 3;
  while (seen < count) {
    const at = r.offset;
    const header = r.varint();
    if (header & 1) {
      const groups = Math.floor(header / 2);
      const values = groups * 8;
      const size = groups * width;
      if (values > count - seen + 7) damage(`${what} have a bit-packed run of ${values} values at byte ${at}, where ${count - seen} are left`);
      const start = r.offset;
      r.skip(size, `${what}'s bit-packed run`);
      if (each) {
        const n = Math.min(values, count - seen);
        const bytes = r.bytes;
        const mask = width >= 32 ? 0xffffffff : (1 << width) - 1;
        for (let i = 0; i < n; i++) {
          const bit = i * width;
          const p = start + (bit >> 3);
          const shift = bit & 7;
          let v: number;
          if (width + shift <= 32) {
            // four bytes from p (past the end of the bytes reads as 0), shifted down
            const word = (bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16) | (bytes[p + 3] << 24)) >>> 0;
            v = (word >>> shift) & mask;
            if (width === 32) v >>>= 0;
          } else {
            v = 0;
            for (let b = 0; b < width; b++) v += ((bytes[start + ((bit + b) >> 3)] >> ((bit + b) & 7)) & 1) * 2 ** b;
          }
          each(v, 1);
        }
      }
      seen += values;
    } else {
      const times = Math.floor(header / 2);
      if (times > count - seen) damage(`${what} have a run of ${times} values at byte ${at}, where ${count - seen} are left`);
      let v = 0;
      for (let i = 0; i < bytesPerValue; i++) v += r.u8() * 2 ** (8 * i);
      each?.(v, times);
      seen += times;
    }
  }
}

/** Walks a DELTA_BINARY_PACKED stream as hyparquet reads it: blocks that hold values, inside the bytes. */
function walkDelta(r: Bytes, what: string): number {
  const blockSize = r.varint();
  const miniblocks = r.varint();
  const total = r.varint();
  r.varint(); // the first value
  if (!(blockSize > 0 && blockSize % 128 === 0 && miniblocks > 0 && blockSize % miniblocks === 0 && (blockSize / miniblocks) % 32 === 0)) {
    damage(`${what} have delta blocks of ${blockSize} values in ${miniblocks} miniblocks`);
  }
  const perMiniblock = blockSize / miniblocks;
  let left = total - 1;
  while (left > 0) {
    r.varint(); // the block's smallest delta
    const widths: number[] = [];
    for (let i = 0; i < miniblocks; i++) widths.push(r.u8());
    for (let i = 0; i < miniblocks && left > 0; i++) {
      if (widths[i] > 64) damage(`${what} have a delta bit width of ${widths[i]}`);
      r.skip((perMiniblock * widths[i]) / 8, `${what}'s miniblock`);
      left -= perMiniblock;
    }
  }
  return total;
}

/**
 * Walks a Snappy stream (after its length, from `pos`) as hyparquet's snappyUncompress reads it:
 * each literal inside the input, each copy after the start of the output, `length` bytes in all.
 * (hyparquet reads a 4-byte literal length as a signed int: a negative one sends it back through
 * the input for seconds.)
 */
function checkSnappy(input: Uint8Array, pos: number, length: number): void {
  let out = 0;
  while (pos < input.length) {
    const at = pos;
    const c = input[pos++];
    if ((c & 3) === 0) {
      let len = (c >>> 2) + 1;
      if (len > 60) {
        const size = len - 60;
        if (pos + size > input.length) damage(`its Snappy literal at byte ${at} has a cut length`);
        len = 0;
        for (let k = 0; k < size; k++) len += input[pos + k] * 2 ** (8 * k);
        len += 1;
        pos += size;
      }
      if (pos + len > input.length) damage(`its Snappy literal of ${len} bytes at byte ${at} runs past the page's ${input.length}`);
      pos += len;
      out += len;
    } else {
      const kind = c & 3;
      const size = kind === 1 ? 1 : kind === 2 ? 2 : 4;
      if (pos + size > input.length) damage(`its Snappy copy at byte ${at} is cut`);
      const len = kind === 1 ? ((c >>> 2) & 7) + 4 : (c >>> 2) + 1;
      let offset = kind === 1 ? input[pos] + ((c >>> 5) << 8) : 0;
      if (kind !== 1) for (let k = 0; k < size; k++) offset += input[pos + k] * 2 ** (8 * k);
      pos += size;
      if (offset === 0 || offset > out) damage(`its Snappy copy at byte ${at} reaches ${offset} bytes back, before the start`);
      out += len;
    }
    if (out > length) damage(`its Snappy stream gives more than the ${length} bytes its header says`);
  }
  if (out !== length) damage(`its Snappy stream gives ${out} of the ${length} bytes its header says`);
}

/** Bytes per value of a fixed-width Parquet type (BOOLEAN: 0, checked in bits). */
function plainWidth(type: string, typeLength: number | undefined): number | undefined {
  switch (type) {
    case 'INT32':
    case 'FLOAT':
      return 4;
    case 'INT64':
    case 'DOUBLE':
      return 8;
    case 'INT96':
      return 12;
    case 'FIXED_LEN_BYTE_ARRAY':
      return typeLength ?? 0;
    default:
      return undefined;
  }
}

/** Checks `n` PLAIN values of `type` in r (from its offset to its end). */
function checkPlain(r: Bytes, type: string, typeLength: number | undefined, n: number, what: string): void {
  if (type === 'BOOLEAN') return r.skip(Math.ceil(n / 8), `${n} booleans of ${what}`);
  if (type === 'BYTE_ARRAY') {
    for (let i = 0; i < n; i++) r.skip(r.u32(), `value ${i} of ${what}`);
    return;
  }
  const w = plainWidth(type, typeLength);
  if (w === undefined || !(w > 0)) damage(`${what} has a type of no width (${type}, length ${typeLength})`);
  r.skip(n * w, `${n} values of ${what}`);
}

interface ColumnPlan {
  name: string;
  path: string[];
}

/**
 * Checks the column chunks of row group `g` that will be read (all of `columns`), as above.
 * @throws DataError naming the row group, the column and the byte offset.
 */
export async function checkRowGroup(file: AsyncBuffer, metadata: FileMetaData, g: number, columns: ColumnPlan[]): Promise<void> {
  const group = metadata.row_groups[g];
  const rows = Number(group.num_rows);
  const fail = (detail: string, column?: string): never => {
    throw new DataError('readParquet', 'source', `the Parquet file is damaged: row group ${g}${column === undefined ? '' : `, column '${column}'`}: ${detail}`, undefined, column);
  };
  if (!(Number.isSafeInteger(rows) && rows >= 0)) fail(`it has ${String(group.num_rows)} rows`);
  const footerStart = file.byteLength - 8 - metadata.metadata_length;
  for (const chunk of group.columns) {
    const meta = chunk.meta_data;
    if (meta === undefined) continue;
    const path = meta.path_in_schema;
    const col = columns.find((c) => c.path.length === path.length && c.path.every((p, i) => p === path[i]));
    if (col === undefined) continue;
    const name = path.join('.');
    const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
    const size = Number(meta.total_compressed_size);
    if (!(Number.isSafeInteger(start) && Number.isSafeInteger(size) && start >= 4 && size > 0 && start + size <= footerStart)) {
      fail(`its chunk (byte ${start}, ${size} bytes) lies outside the data of the file (bytes 4–${footerStart})`, name);
    }
    const numValues = Number(meta.num_values);
    if (!(Number.isSafeInteger(numValues) && numValues >= 0)) fail(`it has ${String(meta.num_values)} values`, name);
    const schemaPath = getSchemaPath(metadata.schema, path);
    const maxRep = getMaxRepetitionLevel(schemaPath);
    const maxDef = getMaxDefinitionLevel(schemaPath);
    if (maxRep === 0 && numValues !== rows) fail(`it has ${numValues} values in a row group of ${rows} rows`, name);
    const element = schemaPath[schemaPath.length - 1].element;
    if (meta.type !== element.type) fail(`its chunk holds ${meta.type} values where the schema says ${element.type}`, name);
    const bytes = new Uint8Array(await file.slice(start, start + size));
    let at = 0;
    try {
      checkChunk(bytes, meta.codec, String(meta.type), element.type_length, maxRep, maxDef, numValues, (o) => (at = o));
    } catch (e) {
      if (!(e instanceof Error)) throw e;
      fail(`${e instanceof Damage ? '' : 'a page cannot be read: '}${e.message} (page at byte ${start + at})`, name);
    }
  }
}

/** Walks the pages of one column chunk; `page(offset)` is told where each page header starts. */
function checkChunk(
  bytes: Uint8Array,
  codec: string,
  type: string,
  typeLength: number | undefined,
  maxRep: number,
  maxDef: number,
  numValues: number,
  page: (offset: number) => void,
): void {
  const reader = { view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset: 0 };
  let dictionary: number | undefined;
  let seen = 0;
  const levelWidth = (max: number): number => 32 - Math.clz32(max);
  while (seen < numValues) {
    page(reader.offset);
    if (reader.offset >= bytes.length) damage(`its pages hold ${seen} of its ${numValues} values`);
    const header = parquetHeader(reader);
    const compressed = Number(header.compressed_page_size);
    const uncompressed = Number(header.uncompressed_page_size);
    if (!(Number.isSafeInteger(compressed) && compressed >= 0 && reader.offset + compressed <= bytes.length)) {
      damage(`a page of ${compressed} bytes runs past the chunk's end (byte ${reader.offset} of ${bytes.length})`);
    }
    if (!(Number.isSafeInteger(uncompressed) && uncompressed >= 0)) damage(`a page says it holds ${uncompressed} bytes`);
    const raw = bytes.subarray(reader.offset, reader.offset + compressed);
    reader.offset += compressed;
    const inflate = (data: Uint8Array, length: number): Uint8Array => {
      if (codec === 'SNAPPY') {
        // Snappy's stream starts with its uncompressed length; it expands at most ~21 times
        const r = new Bytes(data, 'the compressed page');
        const own = data.length === 0 ? 0 : r.varint();
        if (own !== length) damage(`a Snappy page says ${own} bytes where its header says ${length}`);
        if (length > data.length * 24 + 64) damage(`a page of ${data.length} bytes says it expands to ${length}`);
        checkSnappy(data, r.offset, length);
      } else if (codec === 'UNCOMPRESSED' && data.length !== length) damage(`an uncompressed page of ${data.length} bytes says it holds ${length}`);
      return decompressPage(data, length, codec as never, undefined);
    };
    if (header.type === 'DICTIONARY_PAGE') {
      const n = Number(header.dictionary_page_header?.num_values);
      if (!(Number.isSafeInteger(n) && n >= 0)) damage(`its dictionary page says it has ${n} values`);
      checkPlain(new Bytes(inflate(raw, uncompressed), 'its dictionary page'), type, typeLength, n, 'its dictionary page');
      dictionary = n;
      continue;
    }
    let values: Bytes;
    let n: number;
    let nulls = 0;
    let encoding: string;
    if (header.type === 'DATA_PAGE') {
      const h = header.data_page_header;
      if (h === undefined) damage('a data page has no data page header');
      n = Number(h.num_values);
      if (!(Number.isSafeInteger(n) && n >= 0 && n <= numValues - seen)) damage(`a data page says it has ${n} values, where ${numValues - seen} are left`);
      const r = new Bytes(inflate(raw, uncompressed), 'a data page');
      if (maxRep > 0) {
        const length = r.u32();
        const levels = new Bytes(r.bytes.subarray(r.offset, r.offset + length), 'its repetition levels');
        r.skip(length, 'its repetition levels');
        walkRle(levels, levelWidth(maxRep), n, 'its repetition levels');
      }
      if (maxDef > 0) {
        const length = r.u32();
        const levels = new Bytes(r.bytes.subarray(r.offset, r.offset + length), 'its definition levels');
        r.skip(length, 'its definition levels');
        walkRle(levels, levelWidth(maxDef), n, 'its definition levels', (v, times) => {
          if (v > maxDef) damage(`its definition levels hold ${v}, past the largest, ${maxDef}`);
          if (v !== maxDef) nulls += times;
        });
      }
      values = new Bytes(r.bytes.subarray(r.offset), 'the values of a data page');
      encoding = h.encoding;
    } else if (header.type === 'DATA_PAGE_V2') {
      const h = header.data_page_header_v2;
      if (h === undefined) damage('a data page has no data page header');
      n = Number(h.num_values);
      if (!(Number.isSafeInteger(n) && n >= 0 && n <= numValues - seen)) damage(`a data page says it has ${n} values, where ${numValues - seen} are left`);
      const repLength = Number(h.repetition_levels_byte_length);
      const defLength = Number(h.definition_levels_byte_length);
      if (!(repLength >= 0 && defLength >= 0 && repLength + defLength <= raw.length && repLength + defLength <= uncompressed)) {
        damage(`a data page's levels (${repLength} + ${defLength} bytes) do not fit in its ${raw.length}`);
      }
      if (maxRep > 0) walkRle(new Bytes(raw.subarray(0, repLength), 'its repetition levels'), levelWidth(maxRep), n, 'its repetition levels');
      if (maxDef > 0) {
        walkRle(new Bytes(raw.subarray(repLength, repLength + defLength), 'its definition levels'), levelWidth(maxDef), n, 'its definition levels', (v, times) => {
          if (v > maxDef) damage(`its definition levels hold ${v}, past the largest, ${maxDef}`);
          if (v !== maxDef) nulls += times;
        });
      }
      const declared = Number(h.num_nulls);
      if (declared !== nulls && maxDef > 0) damage(`a data page says it has ${declared} nulls where its levels have ${nulls}`);
      if (maxDef === 0 && declared !== 0) damage(`a data page of a required column says it has ${declared} nulls`);
      const rest = raw.subarray(repLength + defLength);
      const data = h.is_compressed === false ? rest : inflate(rest, uncompressed - repLength - defLength);
      values = new Bytes(data, 'the values of a data page');
      encoding = h.encoding;
    } else damage(`a page is of type ${String(header.type)}`);
    const count = n - nulls;
    const what = 'its values';
    switch (encoding) {
      case 'PLAIN':
        checkPlain(values, type, typeLength, count, what);
        break;
      case 'PLAIN_DICTIONARY':
      case 'RLE_DICTIONARY':
      case 'RLE': {
        if (type === 'BOOLEAN') {
          // hyparquet reads a 4-byte length first, in both page versions
          const length = values.u32();
          walkRle(new Bytes(values.bytes.subarray(values.offset, values.offset + length), what), 1, count, what);
          break;
        }
        if (encoding === 'RLE') damage(`its values are RLE-encoded ${type}s`);
        const width = values.u8();
        if (width === 0 || count === 0) break;
        if (dictionary === undefined) damage('its values use a dictionary the chunk does not have');
        const size = dictionary;
        walkRle(values, width, count, 'its dictionary indices', (v) => {
          if (v >= size) damage(`a dictionary index ${v} is past its ${size} entries`);
        });
        break;
      }
      case 'DELTA_BINARY_PACKED':
        walkDelta(values, what);
        break;
      case 'DELTA_LENGTH_BYTE_ARRAY':
        walkDelta(values, `${what}' lengths`);
        break;
      case 'DELTA_BYTE_ARRAY':
        walkDelta(values, `${what}' prefix lengths`);
        walkDelta(values, `${what}' suffix lengths`);
        break;
      case 'BYTE_STREAM_SPLIT': {
        const w = plainWidth(type, typeLength);
        if (w === undefined || !(w > 0)) damage(`its values are BYTE_STREAM_SPLIT ${type}s`);
        values.skip(count * w, what);
        break;
      }
      default:
        damage(`its values have the encoding ${String(encoding)}`);
    }
    seen += n;
  }
}
