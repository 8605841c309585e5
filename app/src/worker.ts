// SPDX-License-Identifier: MIT
/**
 * The app's module worker: all the heavy work (reading the file, fitting, metrics, projections,
 * profiles, the downloads) runs here, so that the page stays responsive. It answers each request
 * of protocol.ts with one result or error; the page terminates it to cancel a run.
 */
import { assertUnreachable } from '../../src/errors.js';
import { EXPORTERS } from './exports.js';
import type { ExportKind, Reply, Request } from './protocol.js';
import { Session, errorInfo } from './session.js';
import { configureTfjsWasm } from './wasmPaths.js';

configureTfjsWasm();
const session = new Session();

function send(reply: Reply, transfer: Transferable[] = []): void {
  postMessage(reply, { transfer });
}

async function handle(req: Request): Promise<void> {
  const progress = (stage: string, fraction: number, secondsLeft: number | null): void => send({ type: 'progress', id: req.id, stage, fraction, secondsLeft });
  try {
    switch (req.type) {
      case 'load':
        send({ type: 'result', id: req.id, value: await session.load(req.file, req.name, req.onBadRows) });
        break;
      case 'run': {
        const value = await session.run(req.run, progress);
        send({ type: 'result', id: req.id, value }, [value.projection.coords.buffer, value.projection.labels.buffer]);
        break;
      }
      case 'rename':
        send({ type: 'result', id: req.id, value: session.rename(req.runId, req.names) });
        break;
      case 'export': {
        const file = await session.export(req.runId, req.what);
        send({ type: 'result', id: req.id, value: file }, [file.bytes.buffer]);
        break;
      }
      case 'help': {
        const value = await session.help(req.help);
        send({ type: 'result', id: req.id, value }, 'kDistance' in value ? [value.kDistance.distances.buffer] : []);
        break;
      }
      case 'members':
        send({ type: 'result', id: req.id, value: session.members(req.query) });
        break;
      case 'memberRows':
        send({ type: 'result', id: req.id, value: session.memberRows(req.runId, req.start, req.count) });
        break;
      case 'membersCsv': {
        const file = session.membersCsv(req.runId);
        send({ type: 'result', id: req.id, value: file }, [file.bytes.buffer]);
        break;
      }
      default:
        assertUnreachable(req);
    }
  } catch (err) {
    send({ type: 'error', id: req.id, error: errorInfo(err) });
  }
}

// Requests run one at a time, in order: the page cancels by terminating the worker.
let queue = Promise.resolve();
addEventListener('message', (e: MessageEvent<Request>) => {
  queue = queue.then(() => handle(e.data));
});

const exports = Object.fromEntries(Object.entries(EXPORTERS).map(([k, v]) => [k, v !== null])) as Record<ExportKind, boolean>;
send({ type: 'ready', exports, crossOriginIsolated: globalThis.crossOriginIsolated === true });
