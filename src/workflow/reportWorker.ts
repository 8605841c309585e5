// SPDX-License-Identifier: MIT
/**
 * The worker thread of reportThread.ts: loads Vega and Vega-Lite as soon as it starts (while the
 * main thread reads and segments), then renders each report input it is sent and posts back the
 * HTML, the warnings, or the error.
 */
import { parentPort } from 'node:worker_threads';
import { ChartCache } from '../report/renderChart.js';
import { renderReport } from '../report/renderReport.js';
import type { ReportInput } from '../report/types.js';
import { warmUpInput } from '../report/warmUpInput.js';

/**
 * A request from reportThread.ts. A draft (a report's figures without its metrics) is drawn and
 * its charts kept, without a reply; the next report that is not a draft reuses them (the same
 * spec, the same SVG) and then lets them go.
 */
export interface ReportRequest {
  id: number;
  input: ReportInput;
  draft?: boolean;
}

/** The answer to a request: the HTML and the renderer's warnings, or the error it threw. */
export type ReportReply = { id: number; html: string; warnings: string[] } | { id: number; error: { name: string; message: string } };

const port = parentPort;
if (port === null) throw new Error('reportWorker.ts runs only as a worker thread (see reportThread.ts)');
// One report drawn and dropped first, so that the user's is drawn by compiled code (warmUpInput.ts);
// requests wait for it (a failure of the warm-up is left for the real report to meet).
const warm = renderReport(warmUpInput(), { onWarning: () => {} }).then(
  () => {},
  () => {},
);
// The charts of the last draft, for the report that follows it.
let charts = new ChartCache();
port.on('message', async (request: ReportRequest) => {
  await warm;
  if (request.draft === true) {
    // its warnings and errors are the report's, which meets them again from the charts kept
    renderReport(request.input, { onWarning: () => {}, charts }).catch(() => {});
    return;
  }
  const drawn = charts;
  charts = new ChartCache();
  const warnings: string[] = [];
  renderReport(request.input, { onWarning: (m) => warnings.push(m), charts: drawn }).then(
    (html) => port.postMessage({ id: request.id, html, warnings } satisfies ReportReply),
    (err: unknown) => {
      const e = err instanceof Error ? err : new Error(String(err));
      port.postMessage({ id: request.id, error: { name: e.name, message: e.message } } satisfies ReportReply);
    },
  );
});
port.postMessage('ready');
