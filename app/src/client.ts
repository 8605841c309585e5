// SPDX-License-Identifier: MIT
/**
 * The page's side of the worker: requests as promises, progress as callbacks, and cancelling by
 * terminating the worker and starting a fresh one (whose table is then empty: the caller loads
 * the file again).
 */
import { SegmentsError } from '../../src/errors.js';
import type { ErrorInfo, ExportKind, Reply, Request } from './protocol.js';
import { isReply } from './protocol.js';

/** A failed request, carrying the error as the library reported it. */
export class WorkerError extends SegmentsError {
  constructor(readonly info: ErrorInfo) {
    super(info.message);
  }
}

/** What the worker said when it started. */
export interface WorkerFacts {
  exports: Record<ExportKind, boolean>;
  crossOriginIsolated: boolean;
}

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
  onProgress?: (stage: string, fraction: number, secondsLeft: number | null) => void;
}

type Body<R> = R extends Request ? Omit<R, 'id'> : never;

export class WorkerClient {
  private worker!: Worker;
  private pending = new Map<number, Pending>();
  private nextId = 1;
  /** Resolves with the facts of the current worker once it has started. */
  ready!: Promise<WorkerFacts>;

  constructor(private readonly onCrash: (message: string) => void) {
    this.start();
  }

  private start(): void {
    this.worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'segments' });
    let started: (facts: WorkerFacts) => void;
    this.ready = new Promise((resolve) => (started = resolve));
    this.worker.addEventListener('message', (e: MessageEvent<unknown>) => {
      if (!isReply(e.data)) return;
      this.receive(e.data, started);
    });
    this.worker.addEventListener('error', (e) => {
      const message = `the worker failed: ${e.message || 'it could not start (see the browser console)'}`;
      this.failAll(message);
      this.onCrash(message);
    });
  }

  private receive(reply: Reply, started: (facts: WorkerFacts) => void): void {
    if (reply.type === 'ready') {
      started({ exports: reply.exports, crossOriginIsolated: reply.crossOriginIsolated });
      return;
    }
    const p = this.pending.get(reply.id);
    if (p === undefined) return;
    if (reply.type === 'progress') {
      p.onProgress?.(reply.stage, reply.fraction, reply.secondsLeft);
      return;
    }
    this.pending.delete(reply.id);
    if (reply.type === 'result') p.resolve(reply.value);
    else p.reject(new WorkerError(reply.error));
  }

  private failAll(message: string): void {
    for (const p of this.pending.values()) p.reject(new WorkerError({ name: 'WorkerError', message }));
    this.pending.clear();
  }

  /** Sends a request; resolves with its result (typed by the caller) or rejects with a WorkerError. */
  request<T>(body: Body<Request>, onProgress?: (stage: string, fraction: number, secondsLeft: number | null) => void): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, onProgress });
      this.worker.postMessage({ ...body, id } as Request);
    });
  }

  /** Stops whatever the worker is doing (its requests reject with `cancelled`) and starts a fresh worker. */
  restart(): void {
    this.worker.terminate();
    this.failAll('cancelled');
    this.start();
  }
}
