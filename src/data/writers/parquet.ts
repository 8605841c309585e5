// SPDX-License-Identifier: MIT
/** The Parquet writer (hyparquet-writer, loaded on first use). */
import * as arrow from 'apache-arrow';
import type { ParquetWriter, SchemaElement, ColumnSource } from 'hyparquet-writer';
import { DataError, ParameterError } from '../../errors.js';
import { batchesOf, openSink, type TableSource, type WriteResult, type WriteTarget } from './sink.js';

export interface ParquetWriteOptions {
  /** Compression. Default 'SNAPPY' (built into hyparquet-writer). */
  codec?: 'SNAPPY' | 'UNCOMPRESSED';
  /** Min/max statistics per column chunk. Default true. */
  statistics?: boolean;
}

/**
 * hyparquet-writer, loaded on first use (writing a CSV does not load it), with a ByteWriter that
 * hands its bytes to the sink after each row group.
 */
async function loadParquetWriter(): Promise<{ ParquetWriter: typeof ParquetWriter; sinkByteWriter: (emit: (chunk: Uint8Array) => Promise<void>) => InstanceType<typeof import('hyparquet-writer').ByteWriter> }> {
  const { ByteWriter, ParquetWriter } = await import('hyparquet-writer');
  class SinkByteWriter extends ByteWriter {
    constructor(private readonly emit: (chunk: Uint8Array) => Promise<void>) {
      super(1 << 20);
    }

    flush(): Promise<void> {
      const chunk = this.getBytes().slice();
      this.index = 0;
      return this.emit(chunk);
    }

    override finish(): Promise<void> {
      return this.flush();
    }
  }
  return { ParquetWriter, sinkByteWriter: (emit) => new SinkByteWriter(emit) };
}

interface ParquetColumnPlan {
  element: SchemaElement;
  convert: (vector: arrow.Vector) => ColumnSource['data'];
}

/**
 * Parquet through hyparquet-writer: one row group per record batch, the schema from the Arrow
 * schema (float64 → DOUBLE, float32 → FLOAT, ints → INT32/INT64, bool → BOOLEAN, text and
 * dictionary text → UTF8 BYTE_ARRAY, dates and timestamps → TIMESTAMP_MILLIS), nullable fields
 * OPTIONAL.
 */
export async function writeParquet(source: TableSource, target?: WriteTarget, options: ParquetWriteOptions = {}): Promise<WriteResult> {
  const { ParquetWriter, sinkByteWriter } = await loadParquetWriter();
  const sink = await openSink(target, 'writeParquet');
  let rows = 0;
  let batches = 0;
  let writer: ParquetWriter | null = null;
  let plans: ParquetColumnPlan[] = [];
  let names: string[] = [];
  const start = (schema: arrow.Schema): ParquetWriter => {
    plans = schema.fields.map((f) => parquetPlan(f));
    names = schema.fields.map((f) => f.name);
    const parquetSchema: SchemaElement[] = [{ name: 'root', num_children: plans.length }, ...plans.map((p) => p.element)];
    return new ParquetWriter({
      writer: sinkByteWriter(async (chunk) => {
        if (chunk.byteLength > 0) await sink.write(chunk);
      }),
      schema: parquetSchema,
      codec: options.codec ?? 'SNAPPY',
      statistics: options.statistics ?? true,
      createdBy: 'segments',
    });
  };
  try {
    if (source instanceof arrow.Table) writer = start(source.schema);
    for await (const batch of batchesOf(source)) {
      writer ??= start(batch.schema);
      batches++;
      if (batch.numRows === 0) continue;
      const columnData = plans.map((p, j) => ({ name: names[j], data: p.convert(batch.getChildAt(j) as arrow.Vector) }));
      await writer.write({ columnData, rowGroupSize: batch.numRows });
      rows += batch.numRows;
    }
    if (writer === null) throw new DataError('writeParquet', 'source', 'there is nothing to write: no record batch and no schema');
    await writer.finish();
  } catch (err) {
    await sink.abort();
    throw err;
  }
  return sink.close(rows, batches);
}

function parquetPlan(field: arrow.Field): ParquetColumnPlan {
  const type = field.type;
  const repetition_type = field.nullable ? 'OPTIONAL' : 'REQUIRED';
  const element = (e: Omit<SchemaElement, 'name' | 'repetition_type'>): SchemaElement => ({ name: field.name, repetition_type, ...e });
  const withNulls = <T>(vector: arrow.Vector, dense: () => ColumnSource['data'], cell: (v: unknown) => T): ColumnSource['data'] => {
    if (vector.nullCount === 0) return dense();
    return Array.from({ length: vector.length }, (_, i) => {
      const v: unknown = vector.get(i);
      return v === null || v === undefined ? null : cell(v);
    }) as ColumnSource['data'];
  };
  if (arrow.DataType.isFloat(type) && type.precision !== arrow.Precision.HALF) {
    const single = type.precision === arrow.Precision.SINGLE;
    return {
      element: element({ type: single ? 'FLOAT' : 'DOUBLE' }),
      convert: (v) => withNulls(v, () => (single ? Float32Array : Float64Array).from(v.toArray() as ArrayLike<number>), (x) => x as number),
    };
  }
  if (arrow.DataType.isInt(type)) {
    if (type.bitWidth === 64 || (type.bitWidth === 32 && !type.isSigned)) {
      return { element: element({ type: 'INT64' }), convert: (v) => withNulls(v, () => BigInt64Array.from(v.toArray() as ArrayLike<number | bigint>, (x) => BigInt(x)), (x) => BigInt(x as number | bigint)) };
    }
    return { element: element({ type: 'INT32' }), convert: (v) => withNulls(v, () => Int32Array.from(v.toArray() as ArrayLike<number>), (x) => x as number) };
  }
  if (arrow.DataType.isBool(type)) {
    return { element: element({ type: 'BOOLEAN' }), convert: (v) => Array.from({ length: v.length }, (_, i) => v.get(i) as boolean | null) };
  }
  const isText = (t: arrow.DataType): boolean => arrow.DataType.isUtf8(t) || arrow.DataType.isLargeUtf8(t);
  if (isText(type) || (arrow.DataType.isDictionary(type) && isText(type.dictionary))) {
    return { element: element({ type: 'BYTE_ARRAY', converted_type: 'UTF8' }), convert: (v) => Array.from({ length: v.length }, (_, i) => v.get(i) as string | null) };
  }
  if (arrow.DataType.isTimestamp(type) || arrow.DataType.isDate(type)) {
    return {
      element: element({ type: 'INT64', converted_type: 'TIMESTAMP_MILLIS' }),
      convert: (v) =>
        Array.from({ length: v.length }, (_, i) => {
          const x: unknown = v.get(i);
          return x === null || x === undefined ? null : x instanceof Date ? x : new Date(Number(x));
        }),
    };
  }
  throw new ParameterError('writeParquet', 'source', `column "${field.name}" has Arrow type ${String(type)}, which the Parquet writer does not handle`);
}
