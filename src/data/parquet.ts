// SPDX-License-Identifier: MIT
/**
 * Parquet input through hyparquet (pure JavaScript, Node and browser) into an Apache Arrow table,
 * one record batch per row group. A row range (`rowStart`, `rowEnd`, `maxRows`) reads only the row
 * groups it touches, which is how a large file is sampled.
 */
import {
  Binary,
  Bool,
  DateMillisecond,
  Field,
  Float32,
  Float64,
  Int32,
  Int64,
  RecordBatch,
  Schema,
  Struct,
  Table,
  TimestampMillisecond,
  Utf8,
  makeData,
  vectorFromArray,
  type Data,
  type DataType,
} from 'apache-arrow';
import { parquetMetadataAsync, parquetRead, parquetSchema } from 'hyparquet';
import { DataError } from '../errors.js';
import { rowRange } from './arrow.js';
import type { AsyncBuffer } from './asyncBuffer.js';
import { checkRowGroup } from './parquetCheck.js';
import { emptyReport, type ReadReport } from './readReport.js';

export type { AsyncBuffer } from './asyncBuffer.js';

export interface ParquetOptions {
  /** First row to read (default 0). */
  rowStart?: number;
  /** Row after the last to read (default: all). */
  rowEnd?: number;
  /** Most rows to read (default: all). */
  maxRows?: number;
  /** Columns to read (default: all). */
  columns?: string[];
}

type SchemaTree = ReturnType<typeof parquetSchema>;

/** The Arrow type for a top-level Parquet column; nested columns are carried as JSON text. */
function arrowTypeOf(node: SchemaTree): { type: DataType; json: boolean } {
  const el = node.element;
  if (node.children.length > 0) return { type: new Utf8(), json: true };
  const logical = el.logical_type?.type;
  const converted = el.converted_type;
  switch (el.type) {
    case 'BOOLEAN':
      return { type: new Bool(), json: false };
    case 'INT32':
      if (logical === 'DATE' || converted === 'DATE') return { type: new DateMillisecond(), json: false };
      if (logical === 'DECIMAL' || converted === 'DECIMAL') return { type: new Float64(), json: false };
      if (converted === 'UINT_32' || (el.logical_type?.type === 'INTEGER' && !el.logical_type.isSigned && el.logical_type.bitWidth === 32)) {
        return { type: new Float64(), json: false };
      }
      return { type: new Int32(), json: false };
    case 'INT64':
      if (logical === 'TIMESTAMP' || converted === 'TIMESTAMP_MILLIS' || converted === 'TIMESTAMP_MICROS') return { type: new TimestampMillisecond(), json: false };
      if (logical === 'DECIMAL' || converted === 'DECIMAL') return { type: new Float64(), json: false };
      return { type: new Int64(), json: false };
    case 'INT96':
      return { type: new TimestampMillisecond(), json: false };
    case 'FLOAT':
      return { type: new Float32(), json: false };
    case 'DOUBLE':
      return { type: new Float64(), json: false };
    case 'BYTE_ARRAY':
    case 'FIXED_LEN_BYTE_ARRAY':
      if (logical === 'DECIMAL' || converted === 'DECIMAL') return { type: new Float64(), json: false };
      if (logical === 'STRING' || logical === 'ENUM' || logical === 'UUID' || converted === 'UTF8' || converted === 'ENUM') return { type: new Utf8(), json: false };
      if (logical === 'JSON' || converted === 'JSON') return { type: new Utf8(), json: true };
      return { type: new Binary(), json: false };
    default:
      return { type: new Utf8(), json: true };
  }
}

/** Arrow data for one column's values (a typed array when the column has no nulls, else a JS array). */
function columnData(values: ArrayLike<unknown>, type: DataType, json: boolean): Data {
  if (json) {
    const texts = Array.from(values, (v) => (v == null ? null : typeof v === 'string' ? v : JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? Number(x) : x))));
    return vectorFromArray(texts, new Utf8()).data[0];
  }
  const n = values.length;
  if (values instanceof Int32Array && type instanceof Int32) return makeData({ type, length: n, nullCount: 0, data: values });
  if (values instanceof Float64Array && type instanceof Float64) return makeData({ type, length: n, nullCount: 0, data: values });
  if (values instanceof Float32Array && type instanceof Float32) return makeData({ type, length: n, nullCount: 0, data: values });
  if (values instanceof BigInt64Array && type instanceof Int64) return makeData({ type, length: n, nullCount: 0, data: values });
  let arr = Array.from(values as ArrayLike<unknown>, (v) => (v === undefined ? null : v));
  if (type instanceof Float64 || type instanceof Float32) arr = arr.map((v) => (v == null ? null : Number(v)));
  if (type instanceof Int64) arr = arr.map((v) => (v == null ? null : typeof v === 'bigint' ? v : BigInt(v as number)));
  if (type instanceof DateMillisecond || type instanceof TimestampMillisecond) {
    arr = arr.map((v) => (v == null ? null : v instanceof Date ? v.getTime() : typeof v === 'bigint' ? Number(v) : v));
  }
  return vectorFromArray(arr as never[], type).data[0];
}

/**
 * Record batches of a Parquet file, one per row group touched by the row range.
 * @throws DataError when the bytes are not Parquet or a page does not decode.
 */
export async function* parquetBatches(file: AsyncBuffer, options: ParquetOptions = {}): AsyncGenerator<RecordBatch> {
  const { start, end } = rowRange('readParquet', options);
  let metadata;
  let tree;
  try {
    metadata = await parquetMetadataAsync(file);
    tree = parquetSchema(metadata);
  } catch (e) {
    throw new DataError('readParquet', 'source', `not a Parquet file: ${(e as Error).message}`);
  }
  let nodes = tree.children;
  if (options.columns) {
    const names = nodes.map((c) => c.element.name);
    for (const c of options.columns) {
      if (!names.includes(c)) throw new DataError('readParquet', 'columns', `no column '${c}' (columns: ${names.join(', ')})`);
    }
    nodes = options.columns.map((c) => nodes[names.indexOf(c)]);
  }
  const types = nodes.map(arrowTypeOf);
  const schema = new Schema(nodes.map((c, j) => new Field(c.element.name, types[j].type, true)));
  const leaves = (node: SchemaTree, path: string[]): { name: string; path: string[] }[] =>
    node.children.length === 0 ? [{ name: path[0], path }] : node.children.flatMap((c) => leaves(c, [...path, c.element.name]));
  const plan = nodes.flatMap((c) => leaves(c, [c.element.name]));
  let groupStart = 0;
  for (const [g, group] of metadata.row_groups.entries()) {
    const groupRows = Number(group.num_rows);
    const lo = Math.max(start, groupStart);
    const hi = Math.min(end, groupStart + groupRows);
    groupStart += groupRows;
    if (hi <= lo) continue;
    const parts = new Map<string, { rowStart: number; data: ArrayLike<unknown> }[]>();
    // hyparquet trusts the sizes and run lengths it reads: check them first (parquetCheck.ts)
    await checkRowGroup(file, metadata, g, plan);
    try {
      await parquetRead({
        file,
        metadata,
        rowStart: lo,
        rowEnd: hi,
        columns: nodes.map((c) => c.element.name),
        onChunk: (chunk) => {
          const list = parts.get(chunk.columnName) ?? [];
          list.push({ rowStart: chunk.rowStart, data: chunk.columnData as ArrayLike<unknown> });
          parts.set(chunk.columnName, list);
        },
      });
    } catch (e) {
      throw new DataError('readParquet', 'source', `rows ${lo}–${hi} do not decode: ${(e as Error).message}`);
    }
    const children = nodes.map((node, j) => {
      const name = node.element.name;
      const chunks = (parts.get(name) ?? []).sort((a, b) => a.rowStart - b.rowStart);
      const pieces: ArrayLike<unknown>[] = [];
      for (const c of chunks) {
        const a = Math.max(lo - c.rowStart, 0);
        const b = Math.min(hi - c.rowStart, c.data.length);
        if (b > a) pieces.push(sliceLike(c.data, a, b));
      }
      const values = pieces.length === 1 ? pieces[0] : concatLike(pieces);
      if (values.length !== hi - lo) throw new DataError('readParquet', 'source', `column '${name}' gave ${values.length} values for rows ${lo}–${hi}`);
      try {
        return columnData(values, types[j].type, types[j].json);
      } catch (e) {
        throw new DataError('readParquet', 'source', `column '${name}' gave values that are not ${String(types[j].type)} for rows ${lo}–${hi}: ${(e as Error).message}`, undefined, name);
      }
    });
    yield new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: hi - lo, nullCount: 0, children }));
    if (groupStart >= end) break;
  }
}

function sliceLike(a: ArrayLike<unknown>, s: number, e: number): ArrayLike<unknown> {
  if (s === 0 && e === a.length) return a;
  return (a as unknown[]).slice(s, e);
}

function concatLike(pieces: ArrayLike<unknown>[]): ArrayLike<unknown> {
  const first = pieces[0];
  if (first && ArrayBuffer.isView(first) && pieces.every((p) => p.constructor === first.constructor)) {
    const total = pieces.reduce((s, p) => s + p.length, 0);
    const out = new (first.constructor as { new (n: number): { set(a: ArrayLike<unknown>, o: number): void } & ArrayLike<unknown> })(total);
    let off = 0;
    for (const p of pieces) {
      out.set(p, off);
      off += p.length;
    }
    return out;
  }
  const out: unknown[] = [];
  for (const p of pieces) for (let i = 0; i < p.length; i++) out.push(p[i]);
  return out;
}

/**
 * Reads a Parquet file (any AsyncBuffer: bytes, a Blob, a Node file) into an Arrow table.
 * INT64 columns stay Int64 (BigInt values); timestamps and dates become millisecond timestamps;
 * nested columns are carried as JSON text.
 * @example
 * const { data: bytes } = await writeTable(sampleTable({ rows: 50, seed: 1 }).table, null, { format: 'parquet' });
 * const { table } = await readParquet({ byteLength: bytes.length, slice: (s, e) => bytes.slice(s, e).buffer });
 * table.numRows; // 50
 */
export async function readParquet(file: AsyncBuffer, options: ParquetOptions = {}): Promise<{ table: Table; report: ReadReport }> {
  const report = emptyReport('parquet');
  const batches: RecordBatch[] = [];
  for await (const b of parquetBatches(file, options)) batches.push(b);
  let table: Table;
  if (batches.length) table = new Table(batches);
  else {
    const metadata = await parquetMetadataAsync(file);
    const nodes = parquetSchema(metadata).children.filter((c) => !options.columns || options.columns.includes(c.element.name));
    table = new Table(new Schema(nodes.map((c) => new Field(c.element.name, arrowTypeOf(c).type, true))));
  }
  const { start, end } = rowRange('readParquet', options);
  report.rows = table.numRows;
  report.columns = table.numCols;
  report.bytesRead = file.byteLength;
  report.truncated = start > 0 || end !== Infinity;
  return { table, report };
}
