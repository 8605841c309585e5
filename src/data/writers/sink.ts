// SPDX-License-Identifier: MIT
/** Where the writers' bytes go (a path, a stream, a sink, memory) and what they take (a table or batches). */
import * as arrow from 'apache-arrow';
import { ParameterError } from '../../errors.js';

/** What the writers take: a Table, one RecordBatch, or a (possibly async) sequence of batches. */
export type TableSource = arrow.Table | arrow.RecordBatch | Iterable<arrow.RecordBatch> | AsyncIterable<arrow.RecordBatch>;

/** A minimal byte sink: `write` may return a promise, which is awaited before the next write. */
export interface ByteSink {
  write(chunk: Uint8Array): void | Promise<void>;
  close?(): void | Promise<void>;
}

/** Node's Writable, as far as the writers use it. */
export interface NodeWritableLike {
  write(chunk: Uint8Array): boolean;
  end(cb?: () => void): unknown;
  once(event: string, cb: (...args: unknown[]) => void): unknown;
}

/**
 * Where bytes go: a file path (Node only), a WHATWG WritableStream, a Node Writable, a ByteSink,
 * or null / undefined for memory (the bytes are returned in `WriteResult.data`).
 */
export type WriteTarget = string | WritableStream<Uint8Array> | NodeWritableLike | ByteSink | null | undefined;

export interface WriteResult {
  /** Bytes written. */
  bytes: number;
  /** Data rows written. */
  rows: number;
  /** Record batches consumed. */
  batches: number;
  /** The bytes, when the target was memory. */
  data?: Uint8Array;
}

export async function* batchesOf(source: TableSource): AsyncGenerator<arrow.RecordBatch> {
  if (source instanceof arrow.Table) {
    yield* source.batches;
  } else if (source instanceof arrow.RecordBatch) {
    yield source;
  } else if (Symbol.asyncIterator in source) {
    yield* source;
  } else if (Symbol.iterator in source) {
    yield* source;
  } else {
    throw new ParameterError('writeTable', 'source', 'source must be an Arrow Table, a RecordBatch, or an iterable of RecordBatches');
  }
}

export interface OpenSink {
  write(chunk: Uint8Array): Promise<void>;
  close(rows: number, batches: number): Promise<WriteResult>;
  abort(): Promise<void>;
}

function isWritableStream(x: unknown): x is WritableStream<Uint8Array> {
  return typeof x === 'object' && x !== null && typeof (x as WritableStream).getWriter === 'function';
}

function isNodeWritable(x: unknown): x is NodeWritableLike {
  return typeof x === 'object' && x !== null && typeof (x as NodeWritableLike).write === 'function' && typeof (x as NodeWritableLike).once === 'function' && typeof (x as NodeWritableLike).end === 'function';
}

export async function openSink(target: WriteTarget, fn: string): Promise<OpenSink> {
  let bytes = 0;
  if (target === null || target === undefined) {
    const parts: Uint8Array[] = [];
    return {
      write: async (chunk) => {
        parts.push(chunk);
        bytes += chunk.byteLength;
      },
      close: async (rows, batches) => {
        const data = new Uint8Array(bytes);
        let p = 0;
        for (const part of parts) {
          data.set(part, p);
          p += part.byteLength;
        }
        return { bytes, rows, batches, data };
      },
      abort: async () => {},
    };
  }
  if (typeof target === 'string') {
    let fs: typeof import('node:fs/promises');
    try {
      fs = await import('node:fs/promises');
    } catch (err) {
      throw new ParameterError(fn, 'target', `a file path needs Node's fs; in the browser pass a WritableStream (${String(err)})`);
    }
    const handle = await fs.open(target, 'w');
    return {
      write: async (chunk) => {
        let done = 0;
        while (done < chunk.byteLength) {
          const { bytesWritten } = await handle.write(chunk, done, chunk.byteLength - done);
          done += bytesWritten;
        }
        bytes += chunk.byteLength;
      },
      close: async (rows, batches) => {
        await handle.close();
        return { bytes, rows, batches };
      },
      abort: async () => {
        await handle.close();
      },
    };
  }
  if (isWritableStream(target)) {
    const w = target.getWriter();
    return {
      write: async (chunk) => {
        await w.ready;
        await w.write(chunk);
        bytes += chunk.byteLength;
      },
      close: async (rows, batches) => {
        await w.close();
        return { bytes, rows, batches };
      },
      abort: async () => {
        await w.abort().catch(() => {});
      },
    };
  }
  if (isNodeWritable(target)) {
    return {
      write: async (chunk) => {
        bytes += chunk.byteLength;
        if (!target.write(chunk)) await new Promise<void>((resolve) => target.once('drain', () => resolve()));
      },
      close: async (rows, batches) => {
        await new Promise<void>((resolve) => target.end(() => resolve()));
        return { bytes, rows, batches };
      },
      abort: async () => {},
    };
  }
  if (typeof target === 'object' && typeof (target as ByteSink).write === 'function') {
    const s = target as ByteSink;
    return {
      write: async (chunk) => {
        await s.write(chunk);
        bytes += chunk.byteLength;
      },
      close: async (rows, batches) => {
        await s.close?.();
        return { bytes, rows, batches };
      },
      abort: async () => {},
    };
  }
  throw new ParameterError(fn, 'target', 'target must be a file path, a WritableStream, a Node Writable, an object with write(chunk), or null for memory');
}
