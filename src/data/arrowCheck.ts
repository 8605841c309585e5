// SPDX-License-Identifier: MIT
/**
 * Checks of Arrow IPC bytes before apache-arrow decodes them. apache-arrow 21 trusts what a file
 * says: a damaged vector length in a message's flatbuffer makes it loop billions of times, a
 * damaged record batch length or field node length makes it allocate gigabytes, a footer block
 * that points at a message of another type makes its file reader read that block without end
 * (all found by the mutation property in test/data/readTable.test.ts). So, before decoding:
 *
 * - every flatbuffer (footer and message metadata) is verified: each table, vector and string it
 *   points at lies inside its bytes (a small verifier for the parts of Arrow's schema that
 *   apache-arrow reads: Footer, Message, Schema, Field, RecordBatch, DictionaryBatch);
 * - each record batch and dictionary batch is checked against the schema: one field node per
 *   column (and child), node lengths and null counts, each buffer inside the message's body and
 *   as long as the node's length needs, offsets that rise and stay inside their data, dictionary
 *   indices inside their dictionary.
 *
 * Each refusal is a DataError naming the message, the column and the byte offset.
 */
import { Message, MessageHeader, Type, type DataType, type Schema } from 'apache-arrow';
import { DataError } from '../errors.js';

/** Thrown inside the checks; `where` is added by the caller. */
class Damage extends Error {}

function damage(detail: string): never {
  throw new Damage(detail);
}

// ---------------------------------------------------------------------------------------------
// A flatbuffer verifier for the Arrow tables apache-arrow reads

class FlatBuffer {
  private readonly view: DataView;
  /** Tables left to visit: bounds the work on buffers whose offsets point back at themselves. */
  private budget: number;

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.budget = Math.max(16, bytes.length >> 2);
  }

  private at(p: number, size: number, what: string): number {
    if (!(Number.isInteger(p) && p >= 0 && p + size <= this.bytes.length)) damage(`its metadata points outside itself (${what} at ${p}, ${this.bytes.length} bytes)`);
    return p;
  }
  u8(p: number): number {
    return this.view.getUint8(this.at(p, 1, 'a byte'));
  }
  u16(p: number): number {
    return this.view.getUint16(this.at(p, 2, 'a short'), true);
  }
  i32(p: number): number {
    return this.view.getInt32(this.at(p, 4, 'an int'), true);
  }
  u32(p: number): number {
    return this.view.getUint32(this.at(p, 4, 'an offset'), true);
  }

  /** The table at `p`, its vtable checked. */
  table(p: number, what: string): Table {
    if (--this.budget < 0) damage(`its metadata has more tables than its size allows (at ${what})`);
    const vt = p - this.i32(p);
    const vtLength = this.u16(vt);
    const tableLength = this.u16(vt + 2);
    if (vtLength < 4 || vtLength % 2 !== 0) damage(`${what} has a bad vtable length (${vtLength})`);
    this.at(vt, vtLength, `${what}'s vtable`);
    this.at(p, Math.max(tableLength, 4), what);
    return new Table(this, p, vt, vtLength, tableLength, what);
  }

  /** The table at the root of the buffer. */
  root(what: string): Table {
    return this.table(this.u32(0), what);
  }
}

class Table {
  constructor(
    private readonly fb: FlatBuffer,
    readonly pos: number,
    private readonly vt: number,
    private readonly vtLength: number,
    private readonly tableLength: number,
    readonly what: string,
  ) {}

  /** Offset of field `i` in the table, or 0 when absent. */
  private field(i: number, size: number): number {
    const at = 4 + 2 * i;
    if (at + 2 > this.vtLength) return 0;
    const o = this.fb.u16(this.vt + at);
    if (o !== 0 && o + size > this.tableLength) damage(`${this.what}'s field ${i} lies outside it`);
    return o;
  }

  u8(i: number): number {
    const o = this.field(i, 1);
    return o === 0 ? 0 : this.fb.u8(this.pos + o);
  }

  /** The table that field `i` points at, or null. */
  table(i: number, what: string): Table | null {
    const o = this.field(i, 4);
    if (o === 0) return null;
    const p = this.pos + o;
    return this.fb.table(p + this.fb.u32(p), what);
  }

  /** Start and length of the vector in field `i` (elements of `size` bytes), checked. */
  vector(i: number, size: number, what: string): { start: number; length: number } {
    const o = this.field(i, 4);
    if (o === 0) return { start: 0, length: 0 };
    const p = this.pos + o;
    const v = p + this.fb.u32(p);
    const length = this.fb.u32(v);
    if (v + 4 + length * size > this.fb.bytes.length) damage(`${what} says it has ${length} entries, more than its ${this.fb.bytes.length} bytes of metadata hold`);
    return { start: v + 4, length };
  }

  /** The tables of the vector of tables in field `i`. */
  tables(i: number, what: string): Table[] {
    const { start, length } = this.vector(i, 4, what);
    const out: Table[] = [];
    for (let k = 0; k < length; k++) {
      const p = start + 4 * k;
      out.push(this.fb.table(p + this.fb.u32(p), `${what} ${k}`));
    }
    return out;
  }

  string(i: number, what: string): void {
    this.vector(i, 1, what);
  }
}

function keyValues(t: Table, i: number): void {
  for (const kv of t.tables(i, 'a custom metadata entry')) {
    kv.string(0, 'a metadata key');
    kv.string(1, 'a metadata value');
  }
}

const UNION = 14;

function field(t: Table, depth: number): void {
  if (depth > 64) damage('its schema nests fields more than 64 deep');
  t.string(0, 'a field name');
  const typeType = t.u8(2);
  const type = t.table(3, 'a field type');
  if (type !== null && typeType === UNION) type.vector(1, 4, 'a union type');
  const dictionary = t.table(4, 'a dictionary encoding');
  dictionary?.table(1, 'a dictionary index type');
  for (const child of t.tables(5, 'a child field')) field(child, depth + 1);
  keyValues(t, 6);
}

function schema(t: Table): void {
  for (const f of t.tables(1, 'field')) field(f, 0);
  keyValues(t, 2);
  t.vector(3, 8, 'the schema features');
}

function recordBatch(t: Table): void {
  t.vector(1, 16, 'its field node list');
  t.vector(2, 16, 'its buffer list');
  t.table(3, 'its compression');
  t.vector(4, 8, 'its variadic buffer counts');
}

/** Verifies a Message flatbuffer (the metadata of one IPC message). */
export function verifyMessage(bytes: Uint8Array): void {
  const fb = new FlatBuffer(bytes);
  const m = fb.root('the message');
  const headerType = m.u8(1);
  const header = m.table(2, 'the message header');
  if (header === null) damage('its message has no header');
  if (headerType === MessageHeader.Schema) schema(header);
  else if (headerType === MessageHeader.RecordBatch) recordBatch(header);
  else if (headerType === MessageHeader.DictionaryBatch) {
    const data = header.table(1, 'the dictionary data');
    if (data !== null) recordBatch(data);
  } else damage(`its message is of type ${headerType}, not a schema, record batch or dictionary batch`);
  keyValues(m, 4);
}

/** Verifies a Footer flatbuffer; gives the blocks it lists (read here, not by apache-arrow). */
export function verifyFooter(bytes: Uint8Array): { dictionaries: Block[]; recordBatches: Block[] } {
  const fb = new FlatBuffer(bytes);
  const f = fb.root('the footer');
  const s = f.table(1, 'the footer schema');
  if (s === null) damage('its footer has no schema');
  schema(s);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const blocks = (i: number, what: string): Block[] => {
    const { start, length } = f.vector(i, 24, what);
    return Array.from({ length }, (_, k) => ({
      offset: Number(view.getBigInt64(start + 24 * k, true)),
      metaDataLength: view.getInt32(start + 24 * k + 8, true),
      bodyLength: Number(view.getBigInt64(start + 24 * k + 16, true)),
    }));
  };
  const out = { dictionaries: blocks(2, 'its footer list of dictionary batches'), recordBatches: blocks(3, 'its footer list of record batches') };
  keyValues(f, 4);
  return out;
}

/** A block of an Arrow file's footer. */
export interface Block {
  offset: number;
  metaDataLength: number;
  bodyLength: number;
}

// ---------------------------------------------------------------------------------------------
// A record batch against its schema

/** Lengths of the dictionaries read so far, by id. */
export type DictionaryLengths = Map<number, number>;

interface BatchMeta {
  length: number;
  nodes: { length: number; nullCount: number }[];
  buffers: { offset: number; length: number }[];
  compression?: unknown;
  variadicBufferCounts?: number[];
}

/** Bytes per value of a fixed-width type, or undefined where the type is not fixed-width. */
function byteWidth(type: DataType): number | undefined {
  const t = type as DataType & { bitWidth?: number; precision?: number; unit?: number; byteWidth?: number };
  switch (type.typeId) {
    case Type.Int:
    case Type.Time:
    case Type.Decimal:
      return (t.bitWidth ?? 0) / 8;
    case Type.Float:
      return [2, 4, 8][t.precision ?? 0];
    case Type.Date:
      return t.unit === 0 ? 4 : 8;
    case Type.Timestamp:
    case Type.Duration:
      return 8;
    case Type.Interval:
      return [4, 8, 16][t.unit ?? 0];
    case Type.FixedSizeBinary:
      return t.byteWidth;
    default:
      return undefined;
  }
}

/**
 * Checks one record batch (or a dictionary batch's data, with `fields` its one value type)
 * against the schema; gives nothing, throws Damage naming the column.
 */
function checkBatch(meta: BatchMeta, columns: { name: string; type: DataType }[], body: Uint8Array, dictionaries: DictionaryLengths, v4: boolean): void {
  const compressed = meta.compression != null;
  const length = meta.length;
  if (!(Number.isSafeInteger(length) && length >= 0)) damage(`its length is ${length}`);
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  let ni = 0;
  let bi = 0;
  let vi = 0;
  const buffer = (column: string, what: string, need: number): { offset: number; length: number } => {
    const b = meta.buffers[bi++];
    if (b === undefined) damage(`column '${column}' has no ${what} buffer (the batch lists ${meta.buffers.length} buffers)`);
    if (!(Number.isSafeInteger(b.offset) && Number.isSafeInteger(b.length) && b.offset >= 0 && b.length >= 0 && b.offset + b.length <= body.length)) {
      damage(`column '${column}''s ${what} buffer lies outside the message body (bytes ${b.offset}–${b.offset + b.length} of ${body.length})`);
    }
    if (!compressed && b.length < need) damage(`column '${column}''s ${what} buffer has ${b.length} bytes where its ${what === 'validity' ? 'null count' : 'length'} needs ${need}`);
    return b;
  };
  /** Checks offsets of `n` values (int32 or int64): rising from >= 0, the last at most `limit`; gives the last. */
  const offsets = (column: string, n: number, wide: boolean, limit: number | null): number => {
    const w = wide ? 8 : 4;
    const b = buffer(column, 'offsets', n === 0 ? 0 : (n + 1) * w);
    if (compressed || n === 0) return 0;
    let prev = 0;
    for (let i = 0; i <= n; i++) {
      const o = wide ? Number(view.getBigInt64(b.offset + i * 8, true)) : view.getInt32(b.offset + i * 4, true);
      if (o < prev || (i === 0 && o < 0)) damage(`column '${column}''s offsets fall (value ${i}: ${o} after ${prev})`);
      prev = o;
    }
    if (limit !== null && prev > limit) damage(`column '${column}''s last offset ${prev} is past its ${limit} values`);
    return prev;
  };
  const walk = (name: string, type: DataType, expected: number, depth: number): void => {
    if (depth > 64) damage(`column '${name}' nests more than 64 deep`);
    const node = meta.nodes[ni++];
    if (node === undefined) damage(`column '${name}' has no field node (the batch lists ${meta.nodes.length})`);
    const n = node.length;
    if (!(Number.isSafeInteger(n) && n >= 0)) damage(`column '${name}' has length ${n}`);
    if (n !== expected) damage(`column '${name}' has ${n} values where ${expected} are expected`);
    if (!(Number.isSafeInteger(node.nullCount) && node.nullCount >= 0 && node.nullCount <= n)) damage(`column '${name}' has ${node.nullCount} nulls in ${n} values`);
    const validity = (): { offset: number; length: number } => buffer(name, 'validity', node.nullCount > 0 ? Math.ceil(n / 8) : 0);
    const children = type.children ?? [];
    switch (type.typeId) {
      case Type.Null:
        return;
      case Type.Bool:
        validity();
        buffer(name, 'data', Math.ceil(n / 8));
        return;
      case Type.Utf8:
      case Type.Binary:
      case Type.LargeUtf8:
      case Type.LargeBinary: {
        validity();
        const wide = type.typeId === Type.LargeUtf8 || type.typeId === Type.LargeBinary;
        const data = meta.buffers[bi + 1]; // after the offsets
        offsets(name, n, wide, data === undefined ? 0 : data.length);
        buffer(name, 'data', 0);
        return;
      }
      case Type.List:
      case Type.LargeList:
      case Type.Map: {
        validity();
        const last = offsets(name, n, type.typeId === Type.LargeList, null);
        const childLength = meta.nodes[ni]?.length;
        if (!compressed && childLength !== undefined && last > childLength) damage(`column '${name}''s last offset ${last} is past its ${childLength} child values`);
        walk(`${name}.${children[0].name}`, children[0].type, childLength ?? 0, depth + 1);
        return;
      }
      case Type.FixedSizeList: {
        validity();
        const size = (type as DataType & { listSize: number }).listSize;
        walk(`${name}.${children[0].name}`, children[0].type, n * size, depth + 1);
        return;
      }
      case Type.Struct:
        validity();
        for (const c of children) walk(`${name}.${c.name}`, c.type, n, depth + 1);
        return;
      case Type.Union: {
        if (v4) validity();
        const dense = (type as DataType & { mode: number }).mode === 1;
        buffer(name, 'type id', n);
        if (dense) {
          buffer(name, 'offsets', 4 * n);
          for (const c of children) {
            const cn = meta.nodes[ni]?.length ?? 0;
            walk(`${name}.${c.name}`, c.type, cn, depth + 1);
          }
        } else for (const c of children) walk(`${name}.${c.name}`, c.type, n, depth + 1);
        return;
      }
      case Type.Dictionary: {
        const dict = type as DataType & { id: number; indices: DataType & { bitWidth: number; isSigned: boolean } };
        const valid = validity();
        const w = dict.indices.bitWidth / 8;
        const b = buffer(name, 'indices', n * w);
        const size = dictionaries.get(dict.id);
        if (size === undefined) damage(`column '${name}' uses dictionary ${dict.id}, which no dictionary batch before it gave`);
        if (compressed) return;
        for (let i = 0; i < n; i++) {
          const p = b.offset + i * w;
          const k = w === 1 ? view.getInt8(p) : w === 2 ? view.getInt16(p, true) : w === 4 ? view.getInt32(p, true) : Number(view.getBigInt64(p, true));
          const idx = dict.indices.isSigned || k >= 0 ? k : k >>> 0;
          // a null's index is not read
          const isNull = node.nullCount > 0 && ((body[valid.offset + (i >> 3)] >> (i & 7)) & 1) === 0;
          if ((idx < 0 || idx >= size) && !isNull) damage(`column '${name}''s value ${i} is index ${idx} of a dictionary of ${size}`);
        }
        return;
      }
      case Type.Utf8View:
      case Type.BinaryView: {
        validity();
        buffer(name, 'views', 16 * n);
        const count = meta.variadicBufferCounts?.[vi++];
        if (!(Number.isSafeInteger(count) && count! >= 0 && count! <= meta.buffers.length)) damage(`column '${name}' has a bad variadic buffer count (${count})`);
        for (let k = 0; k < count!; k++) buffer(name, 'variadic data', 0);
        return;
      }
      default: {
        const w = byteWidth(type);
        if (w === undefined || !(w > 0)) damage(`column '${name}' has a type apache-arrow cannot lay out (${String(type)})`);
        validity();
        buffer(name, 'data', n * w);
      }
    }
  };
  for (const c of columns) walk(c.name, c.type, length, 0);
  if (ni !== meta.nodes.length) damage(`it lists ${meta.nodes.length} field nodes where its schema has ${ni}`);
  if (bi !== meta.buffers.length) damage(`it lists ${meta.buffers.length} buffers where its schema has ${bi}`);
}

/**
 * Checks one message (metadata `metadata`, body `body`) against the schema; updates the
 * dictionary lengths after a dictionary batch. `want` is the type a footer block says it is.
 */
export function checkMessage(
  metadata: Uint8Array,
  body: Uint8Array,
  schema: Schema,
  dictionaries: DictionaryLengths,
  want?: MessageHeader,
): Message {
  verifyMessage(metadata);
  let message: Message;
  try {
    message = Message.decode(metadata);
  } catch (e) {
    return damage(`its message cannot be read (${(e as Error).message})`);
  }
  if (want !== undefined && message.headerType !== want) damage(`it is not a ${MessageHeader[want]} message (type ${String(message.headerType)})`);
  const v4 = message.version < 4; // MetadataVersion.V5 is 4: before it, unions had a validity buffer
  if (message.headerType === MessageHeader.RecordBatch) {
    const meta = message.header() as unknown as BatchMeta;
    checkBatch(meta, schema.fields, body, dictionaries, v4);
  } else if (message.headerType === MessageHeader.DictionaryBatch) {
    const batch = message.header() as unknown as { id: number; isDelta: boolean; data: BatchMeta };
    const type = schema.dictionaries.get(batch.id);
    if (type === undefined) damage(`it is a dictionary batch for id ${batch.id}, which no column of the schema uses`);
    checkBatch(batch.data, [{ name: `dictionary ${batch.id}`, type }], body, dictionaries, v4);
    dictionaries.set(batch.id, (batch.isDelta ? (dictionaries.get(batch.id) ?? 0) : 0) + batch.data.length);
  }
  return message;
}

/**
 * Where a message's metadata and body lie in IPC bytes starting at `at`, checked against `end`;
 * `eos` (the byte after it) at the end-of-stream marker. `base`: bytes of the stream before `bytes`, for the messages.
 */
export function messageAt(bytes: Uint8Array, at: number, end: number, base = 0): { metadata: Uint8Array; bodyStart: number } | { eos: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let p = at;
  const cut = (): never => damage(`it ends inside a message's length (byte ${base + p} of ${base + end})`);
  if (p + 4 > end) cut();
  let length = view.getInt32(p, true);
  p += 4;
  if (length === -1) {
    if (p + 4 > end) cut();
    length = view.getInt32(p, true);
    p += 4;
  }
  if (length === 0) return { eos: p };
  if (length < 0) damage(`a message's metadata length at byte ${base + at} is negative (${length})`);
  if (p + length > end) damage(`a message's metadata length ${length} at byte ${base + at} runs past byte ${base + end}`);
  return { metadata: bytes.subarray(p, p + length), bodyStart: p + length };
}

/** The DataError told for damage found in `what`, at byte `at` (-1: not known). */
export function damaged(e: unknown, kind: 'file' | 'stream', what: string, at: number): unknown {
  if (e instanceof DataError || !(e instanceof Error)) return e;
  // apache-arrow's own decoding of checked metadata can still refuse a value (an int64 past 2^53)
  const detail = e instanceof Damage ? e.message : `it cannot be read (${e.message})`;
  return new DataError('readArrow', 'source', `the Arrow ${kind} is damaged: ${what}${at >= 0 ? ` (at byte ${at})` : ''}: ${detail}`);
}

/**
 * Checks the messages of a whole Arrow IPC stream held in memory: the schema first, then each
 * dictionary and record batch against it, up to the end-of-stream marker or the end.
 * @throws DataError naming the message and byte offset of the first damage found.
 */
export function checkStreamBytes(bytes: Uint8Array): void {
  let at = 0;
  let schema: Schema | undefined;
  const dictionaries: DictionaryLengths = new Map();
  let index = 0;
  while (at < bytes.length) {
    const what = index === 0 ? 'its schema message' : `message ${index}`;
    try {
      const m = messageAt(bytes, at, bytes.length);
      if ('eos' in m) {
        if (m.eos < bytes.length) damage(`${bytes.length - m.eos} bytes follow its end-of-stream marker`);
        return;
      }
      if (schema === undefined) {
        verifyMessage(m.metadata);
        const message = Message.decode(m.metadata);
        if (message.headerType !== MessageHeader.Schema) damage(`it starts with a message of type ${String(message.headerType)}, not a schema`);
        schema = message.header() as Schema;
        if (message.bodyLength !== 0) damage(`its schema message has a body of ${message.bodyLength} bytes`);
        at = m.bodyStart;
      } else {
        // the body length is in the metadata: verify it before reading the body
        verifyMessage(m.metadata);
        const bodyLength = Number(Message.decode(m.metadata).bodyLength);
        if (!(Number.isSafeInteger(bodyLength) && bodyLength >= 0 && m.bodyStart + bodyLength <= bytes.length)) {
          damage(`its body of ${bodyLength} bytes runs past the end of the stream (byte ${m.bodyStart + bodyLength} of ${bytes.length})`);
        }
        checkMessage(m.metadata, bytes.subarray(m.bodyStart, m.bodyStart + bodyLength), schema, dictionaries);
        at = m.bodyStart + bodyLength;
      }
    } catch (e) {
      throw damaged(e, 'stream', what, at);
    }
    index++;
  }
}

/**
 * Checks an Arrow file held in memory (`ARROW1` first): its trailer and footer, then each block
 * the footer lists, against the footer's schema (read by apache-arrow once the footer is verified).
 * @throws DataError naming the block and byte offset of the first damage found.
 */
export function checkFileBytes(bytes: Uint8Array, readSchema: () => Schema): void {
  const n = bytes.length;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let blocks: { dictionaries: Block[]; recordBatches: Block[] };
  const trailer = n - 10;
  try {
    if (n < 18 || String.fromCharCode(...bytes.subarray(n - 6)) !== 'ARROW1') damage('it does not end with ARROW1 (cut short?)');
    const footerLength = view.getInt32(trailer, true);
    if (!(footerLength > 0 && footerLength <= trailer - 8)) damage(`its footer length ${footerLength} does not fit in ${n} bytes`);
    blocks = verifyFooter(bytes.subarray(trailer - footerLength, trailer));
  } catch (e) {
    throw damaged(e, 'file', 'its footer', -1);
  }
  // first each block's place and metadata: apache-arrow's file reader decodes the dictionary
  // batches as it opens, before the schema is ours to check them against
  const located = (block: Block, what: string, want: MessageHeader) => {
    try {
      const { offset, metaDataLength, bodyLength } = block;
      if (!(Number.isSafeInteger(offset) && Number.isSafeInteger(bodyLength) && offset >= 8 && metaDataLength >= 8 && bodyLength >= 0 && offset + metaDataLength + bodyLength <= trailer)) {
        damage(`it lies outside the file (offset ${offset}, ${metaDataLength} + ${bodyLength} bytes, the file has ${n})`);
      }
      const m = messageAt(bytes, offset, offset + metaDataLength);
      if ('eos' in m) damage('its block holds the end-of-stream marker');
      verifyMessage(m.metadata);
      const message = Message.decode(m.metadata);
      if (message.headerType !== want) damage(`it is not a ${MessageHeader[want]} message (type ${String(message.headerType)})`);
      if (Number(message.bodyLength) !== bodyLength) damage(`its message says its body has ${message.bodyLength} bytes, its block ${bodyLength}`);
      return { block, what, want, metadata: m.metadata, body: bytes.subarray(offset + metaDataLength, offset + metaDataLength + bodyLength) };
    } catch (e) {
      throw damaged(e, 'file', what, block.offset);
    }
  };
  const messages = [
    ...blocks.dictionaries.map((b, i) => located(b, `dictionary batch ${i}`, MessageHeader.DictionaryBatch)),
    ...blocks.recordBatches.map((b, i) => located(b, `record batch ${i}`, MessageHeader.RecordBatch)),
  ];
  const schema = readSchema();
  const dictionaries: DictionaryLengths = new Map();
  for (const m of messages) {
    try {
      checkMessage(m.metadata, m.body, schema, dictionaries, m.want);
    } catch (e) {
      throw damaged(e, 'file', m.what, m.block.offset);
    }
  }
}

/**
 * An Arrow IPC stream's chunks, passed on message by message once each message is checked
 * (as checkStreamBytes does), holding one message at a time.
 * @throws DataError naming the message and byte offset of the first damage found.
 */
export async function* checkedStream(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  let buf = new Uint8Array(0);
  let consumed = 0; // bytes of the stream before buf
  const it = source[Symbol.asyncIterator]();
  let ended = false;
  /** Reads until buf holds `n` bytes or the stream ends; true when it does. */
  const fill = async (n: number): Promise<boolean> => {
    // gather the chunks first and join them once (not once per chunk)
    const got: Uint8Array[] = [buf];
    let size = buf.length;
    while (size < n && !ended) {
      const r = await it.next();
      if (r.done) ended = true;
      else {
        got.push(r.value);
        size += r.value.length;
      }
    }
    if (got.length > 1) {
      buf = new Uint8Array(size);
      let at = 0;
      for (const c of got) {
        buf.set(c, at);
        at += c.length;
      }
    }
    return buf.length >= n;
  };
  let schema: Schema | undefined;
  const dictionaries: DictionaryLengths = new Map();
  for (let index = 0; ; index++) {
    const what = index === 0 ? 'its schema message' : `message ${index}`;
    if (!(await fill(1))) return;
    let size: number;
    try {
      await fill(8);
      const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
      const prefix = buf.length >= 4 && view.getInt32(0, true) === -1 ? 8 : 4;
      const metaLength = buf.length >= prefix ? view.getInt32(prefix - 4, true) : -1;
      if (metaLength > 0) await fill(prefix + metaLength);
      const m = messageAt(buf, 0, buf.length, consumed);
      if ('eos' in m) {
        await fill(Infinity);
        if (m.eos < buf.length) damage(`${buf.length - m.eos} bytes follow its end-of-stream marker`);
        yield buf;
        return;
      }
      verifyMessage(m.metadata);
      const message = Message.decode(m.metadata);
      const bodyLength = Number(message.bodyLength);
      if (!(Number.isSafeInteger(bodyLength) && bodyLength >= 0)) damage(`its body length is ${message.bodyLength}`);
      if (schema === undefined) {
        if (message.headerType !== MessageHeader.Schema) damage(`it starts with a message of type ${String(message.headerType)}, not a schema`);
        if (bodyLength !== 0) damage(`its schema message has a body of ${bodyLength} bytes`);
        schema = message.header() as Schema;
      } else {
        if (!(await fill(m.bodyStart + bodyLength))) damage(`its body of ${bodyLength} bytes runs past the end of the stream (byte ${consumed + m.bodyStart + bodyLength} of ${consumed + buf.length})`);
        checkMessage(m.metadata, buf.subarray(m.bodyStart, m.bodyStart + bodyLength), schema, dictionaries);
      }
      size = m.bodyStart + bodyLength;
    } catch (e) {
      throw damaged(e, 'stream', what, consumed);
    }
    yield buf.subarray(0, size); // buf is never written: the view can be kept
    buf = buf.subarray(size);
    consumed += size;
  }
}
