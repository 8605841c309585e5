// SPDX-License-Identifier: MIT
/** The Arrow IPC writer (file or stream format). */
import * as arrow from 'apache-arrow';
import { DataError, ParameterError } from '../../errors.js';
import { batchesOf, openSink, type TableSource, type WriteResult, type WriteTarget } from './sink.js';

/** Collects what an Arrow writer emits, so that it can be handed to the sink batch by batch. */
class CollectingQueue extends arrow.AsyncByteQueue {
  private parts: Uint8Array[] = [];
  private size = 0;

  override write(value: Uint8Array | ArrayBufferView | ArrayBuffer): void {
    const bytes = value instanceof Uint8Array ? value : new Uint8Array(ArrayBuffer.isView(value) ? value.buffer : value, ArrayBuffer.isView(value) ? value.byteOffset : 0, value.byteLength);
    if (bytes.byteLength === 0) return;
    this.parts.push(bytes);
    this.size += bytes.byteLength;
  }

  /** Everything written since the last call, copied into one block. */
  take(): Uint8Array {
    const out = new Uint8Array(this.size);
    let p = 0;
    for (const part of this.parts) {
      out.set(part, p);
      p += part.byteLength;
    }
    this.parts = [];
    this.size = 0;
    return out;
  }
}

/**
 * Arrow IPC: the file format (`stream: false`, default; random access, footer at the end) or the
 * stream format. Dictionaries shared by consecutive batches are written once.
 */
export async function writeArrow(source: TableSource, target?: WriteTarget, options: { stream?: boolean } = {}): Promise<WriteResult> {
  const sink = await openSink(target, 'writeArrow');
  const writer = options.stream ? new arrow.RecordBatchStreamWriter() : new arrow.RecordBatchFileWriter();
  const queue = new CollectingQueue();
  let rows = 0;
  let batches = 0;
  try {
    writer.reset(queue, source instanceof arrow.Table ? source.schema : null);
    let schemaSeen = source instanceof arrow.Table;
    const dictionaries = new Map<number, unknown>();
    for await (const batch of batchesOf(source)) {
      if (!options.stream) checkSameDictionaries(batch, dictionaries);
      writer.write(batch);
      schemaSeen = true;
      batches++;
      rows += batch.numRows;
      const bytes = queue.take();
      if (bytes.byteLength > 0) await sink.write(bytes);
    }
    if (!schemaSeen) throw new DataError('writeArrow', 'source', 'there is nothing to write: no record batch and no schema');
    writer.close();
    const tail = queue.take();
    if (tail.byteLength > 0) await sink.write(tail);
  } catch (err) {
    await sink.abort();
    throw err;
  }
  return sink.close(rows, batches);
}

/**
 * The Arrow file format cannot replace a dictionary: each dictionary-encoded column must keep the
 * dictionary of its first batch (as the sample generator's columns do).
 */
function checkSameDictionaries(batch: arrow.RecordBatch, seen: Map<number, unknown>): void {
  batch.schema.fields.forEach((f, j) => {
    if (!arrow.DataType.isDictionary(f.type)) return;
    const first = (batch.getChildAt(j) as arrow.Vector).data[0]?.dictionary?.data[0];
    const id = f.type.id;
    if (!seen.has(id)) seen.set(id, first);
    else if (seen.get(id) !== first) {
      throw new ParameterError('writeArrow', 'source', `column "${f.name}" changes its dictionary between batches, which the Arrow file format cannot hold: write the stream format, or share one dictionary across batches`);
    }
  });
}
