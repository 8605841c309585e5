// SPDX-License-Identifier: MIT
/**
 * The report drawn on a worker thread (Node): `segments fit` starts it first, so that Vega and
 * Vega-Lite load on the second core while the main thread reads the file, and the charts are
 * drawn while the main thread writes the segmented rows, the model and the profiles. The report
 * is the same HTML as `segmentationReport` gives (the same renderer on the same input).
 *
 * The figures are gathered on the main thread (they need the table); only plain data crosses to
 * the worker. Run from the TypeScript sources (the tests), the worker loads them through tsx.
 */
import { Worker } from 'node:worker_threads';
import { SegmentsError } from '../errors.js';
import type { ReportReply, ReportRequest } from './reportWorker.js';
import { segmentationFigures, segmentationReportInput, withSegmentationMetrics, type SegmentationReportOptions } from './reportInput.js';
import type { ReportInput } from '../report/types.js';
import type { SegmentsFound, SegmentsProfiled } from './segment.js';

/** A worker thread that draws reports; close it when done (it would keep the process alive). */
export interface ReportThread {
  /** The report of `seg`, drawn on the thread; warnings go to `options.onWarning`. */
  render(seg: SegmentsFound, options?: SegmentationReportOptions): Promise<string>;
  /**
   * Gathers the figures of `seg`'s report on this thread and hands them to the report thread:
   * resolves once they are handed over, with the HTML to come. A caller with other work (writing
   * the rows) does it after this resolves, so that the drawing starts first and runs meanwhile.
   */
  begin(seg: SegmentsFound, options?: SegmentationReportOptions): Promise<{ html: Promise<string> }>;
  /**
   * Gathers the figures of `seg`'s report before its metrics (what `onProfiles` is told) and
   * has the thread start drawing their charts; the `begin` of the same segmentation (the same
   * labels) then gathers only the metrics, and the thread draws only what the figures lacked.
   * The same report comes out as from `begin` alone. Options must be the same as `begin`'s.
   */
  prepare(seg: SegmentsProfiled, options?: SegmentationReportOptions): Promise<void>;
  /** Stops the thread (a render in flight fails). */
  close(): Promise<void>;
}

/** Draws on the calling thread, loading the renderer on first use. */
function inlineThread(): ReportThread {
  let closed = false;
  const thread: ReportThread = {
    async render(seg, options = {}) {
      if (closed) throw new SegmentsError('report thread: stopped (closed)');
      const { segmentationReport } = await import('./report.js');
      return segmentationReport(seg, options);
    },
    async begin(seg, options = {}) {
      const html = thread.render(seg, options);
      html.catch(() => {}); // the caller awaits it; a failure meanwhile is thrown there
      return { html };
    },
    async prepare() {
      // drawn on this thread, the charts could not be drawn meanwhile: begin() draws them all
    },
    async close() {
      closed = true;
    },
  };
  return thread;
}

/** The worker from the TypeScript sources (the tests): tsx's loader is registered first, then the worker is imported. */
function sourceWorker(): Worker {
  const tsx = import.meta.resolve('tsx/esm/api');
  const script = new URL('./reportWorker.ts', import.meta.url).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(script)}); });`, { eval: true });
}

/** How to start the thread. */
export interface ReportThreadOptions {
  /**
   * Run from the TypeScript sources (the tests), the worker must load the sources through tsx,
   * which takes seconds; so by default the report is then drawn on the calling thread (the same
   * renderer, loaded on first use). `true` starts the worker all the same (its own test does).
   */
  workerFromSources?: boolean;
}

/** Starts the thread; it begins loading the renderer at once. */
export function startReportThread(options: ReportThreadOptions = {}): ReportThread {
  const fromSources = import.meta.url.endsWith('.ts');
  if (fromSources && options.workerFromSources !== true) return inlineThread();
  const worker = fromSources ? sourceWorker() : new Worker(new URL('./reportWorker.js', import.meta.url));
  const pending = new Map<number, { resolve: (reply: ReportReply) => void; reject: (err: Error) => void }>();
  let failure: Error | null = null;
  const fail = (err: Error): void => {
    failure ??= err; // the first: a worker that throws also exits
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  worker.on('message', (reply: ReportReply | 'ready') => {
    if (reply === 'ready') return;
    const p = pending.get(reply.id);
    pending.delete(reply.id);
    p?.resolve(reply);
  });
  worker.on('error', (err) => fail(new SegmentsError(`report thread: ${err.message}`, { cause: err })));
  worker.on('exit', (code) => fail(new SegmentsError(`report thread: stopped (exit code ${code})`)));
  let next = 0;
  // The figures prepare() gathered, for the begin() of the same labels.
  let prepared: { labels: Int32Array; figures: ReportInput } | null = null;
  const thread: ReportThread = {
    async render(seg, options = {}) {
      return (await thread.begin(seg, options)).html;
    },
    async prepare(seg, options = {}) {
      const figures = await segmentationFigures(seg, options);
      if (failure !== null) throw failure;
      prepared = { labels: seg.labels, figures };
      worker.postMessage({ id: next++, input: figures, draft: true } satisfies ReportRequest);
    },
    async begin(seg, options = {}) {
      const figures = prepared !== null && prepared.labels === seg.labels ? prepared.figures : null;
      prepared = null;
      const input = figures === null ? await segmentationReportInput(seg, options) : withSegmentationMetrics(figures, seg);
      if (failure !== null) throw failure;
      const id = next++;
      const replied = new Promise<ReportReply>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, input } satisfies ReportRequest);
      });
      const html = replied.then((reply) => {
        if ('error' in reply) throw new SegmentsError(reply.error.message);
        for (const w of reply.warnings) options.onWarning?.(w);
        return reply.html;
      });
      html.catch(() => {}); // the caller awaits it; a failure meanwhile is thrown there
      return { html };
    },
    async close() {
      await worker.terminate();
    },
  };
  return thread;
}
