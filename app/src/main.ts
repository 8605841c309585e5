// SPDX-License-Identifier: MIT
/**
 * The page: picks the file, shows its columns, sends runs to the worker and draws their
 * results. Nothing heavy runs here; the file goes to the worker as a File (no upload anywhere).
 */
import { WorkerClient, WorkerError, type WorkerFacts } from './client.js';
import type { BadRowsChoice, ExportKind, HelpReply, HelpRequest, ExportedFile, Loaded, ProfileResult, RunResult } from './protocol.js';
import { byId, h, num, saveFile } from './ui/dom.js';
import { renderColumns, type ColumnsView } from './ui/columnsView.js';
import { renderCompare } from './ui/compareView.js';
import { FILE_LOADED, densityHelpFields } from './ui/densityHelpView.js';
import { clearError, showError } from './ui/errorView.js';
import { workerMembers } from './ui/membersView.js';
import { renderResult } from './ui/resultsView.js';
import { renderRunForm } from './ui/runForm.js';
import { renderProfile } from './ui/profileView.js';
import { mountRuns } from './ui/runsView.js';
import './registerOffline.js';

const errorBox = byId('error');
const fileStatus = byId('file-status');
const progress = byId<HTMLProgressElement>('progress');
const progressText = byId('progress-text');
const runButton = byId<HTMLButtonElement>('run');
const cancelButton = byId<HTMLButtonElement>('cancel');
const backendStatus = byId('backend-status');
const threadsStatus = byId('threads-status');

const client = new WorkerClient((message) => showError(errorBox, { name: 'WorkerError', message }, 'The worker stopped'));
const runForm = renderRunForm(
  byId('run-form'),
  densityHelpFields(<W extends HelpRequest['what']>(help: Omit<HelpRequest, 'schema'> & { what: W }) =>
    columns === null ? Promise.reject(new Error('load a file first')) : client.request<HelpReply<W>>({ type: 'help', help: { ...help, schema: columns.schema() } }),
  ),
);
let facts: WorkerFacts = { exports: { csv: true, model: false, report: false }, crossOriginIsolated: false };
let file: File | null = null;
/** The name of the file the worker holds (the last one read), null before any. */
let loadedName: string | null = null;
let columns: ColumnsView | null = null;
/** The file the worker holds, as read (for saving runs with its profile). */
let loadedFile: Loaded | null = null;
const results: RunResult[] = [];
let nextRunId = 1;

function showThreads(f: WorkerFacts): void {
  threadsStatus.textContent = f.crossOriginIsolated
    ? `available: the page is cross-origin isolated (up to ${navigator.hardwareConcurrency} threads)`
    : 'one thread: the page is not cross-origin isolated (serve it with COOP/COEP headers, as `segments serve` does)';
  threadsStatus.dataset.isolated = String(f.crossOriginIsolated);
}

async function whenReady(): Promise<void> {
  facts = await client.ready;
  showThreads(facts);
}

function badRows(): BadRowsChoice {
  return byId<HTMLSelectElement>('bad-rows').value as BadRowsChoice;
}

function reportError(err: unknown, context: string): void {
  const info = err instanceof WorkerError ? err.info : { name: 'Error', message: err instanceof Error ? err.message : String(err) };
  showError(errorBox, info, context);
}

async function loadFile(f: File): Promise<void> {
  // A file that cannot be read changes nothing: the page goes back to the file before it, whose
  // runs the worker keeps (`file` stays the one that failed, for another try with other bad-rows).
  const before = { status: fileStatus.textContent, rows: fileStatus.dataset.rows, columns: byId('columns-section').hidden, run: byId('run-section').hidden };
  file = f;
  clearError(errorBox);
  byId('columns-section').hidden = true;
  byId('run-section').hidden = true;
  fileStatus.textContent = `Reading ${f.name} (${num(f.size)} bytes)…`;
  try {
    const loaded = await client.request<Loaded>({ type: 'load', file: f, name: f.name, onBadRows: badRows() });
    const r = loaded.report;
    const dropped = r.skippedRows > 0 ? `; ${num(r.skippedRows)} rows left out` : '';
    const nulled = r.nulledCells > 0 ? `; ${num(r.nulledCells)} bad cells set empty` : '';
    fileStatus.textContent = `${f.name}: ${num(r.rows)} rows × ${r.columns} columns (${r.format}${r.delimiter !== undefined ? `, delimiter ${JSON.stringify(r.delimiter)}` : ''})${dropped}${nulled}`;
    fileStatus.dataset.rows = String(r.rows);
    loadedName = f.name;
    loadedFile = loaded;
    columns = renderColumns(byId('columns'), loaded, renderProfile(byId('profile'), loaded));
    byId('columns-section').hidden = false;
    byId('run-section').hidden = false;
    results.length = 0;
    byId('results-section').hidden = true;
    delete byId('results').dataset.testid;
    // The help shown beside the settings (mean shift's estimated bandwidth) is for this file now.
    document.dispatchEvent(new Event(FILE_LOADED));
  } catch (err) {
    fileStatus.textContent = before.status;
    if (before.rows === undefined) delete fileStatus.dataset.rows;
    else fileStatus.dataset.rows = before.rows;
    byId('columns-section').hidden = before.columns;
    byId('run-section').hidden = before.run;
    reportError(err, `Could not read ${f.name}${loadedName === null ? '' : `; ${loadedName} and its results are still here`}`);
  }
}

async function download(runId: number, what: ExportKind): Promise<void> {
  try {
    const out = await client.request<ExportedFile>({ type: 'export', runId, what });
    saveFile(out.fileName, out.bytes as BlobPart, out.mime);
  } catch (err) {
    reportError(err, 'Could not make the download');
  }
}

function show(runId: number): void {
  const r = results.find((x) => x.runId === runId);
  if (r === undefined) return;
  const tabs = byId('runs-tabs');
  tabs.replaceChildren(
    ...results.map((x) => {
      const b = h('button', { type: 'button', class: x.runId === runId ? 'tab active' : 'tab', 'data-run-id': x.runId }, `#${x.runId} ${x.label}`);
      b.addEventListener('click', () => show(x.runId));
      return b;
    }),
  );
  renderResult(byId('results'), r, {
    exports: facts.exports,
    rename: (names) => client.request<ProfileResult>({ type: 'rename', runId, names }),
    download: (what) => download(runId, what),
    members: workerMembers(client, runId),
  });
  byId('compare-box').hidden = results.length < 2;
  if (results.length >= 2) renderCompare(byId('compare'), results, show);
}

function setRunning(running: boolean): void {
  runButton.disabled = running;
  cancelButton.disabled = !running;
  document.body.dataset.running = String(running);
}

async function run(): Promise<void> {
  if (columns === null) return;
  clearError(errorBox);
  const req = runForm.request(columns.schema(), nextRunId);
  if (typeof req === 'string') {
    showError(errorBox, { name: 'ParameterError', message: req }, 'Check the settings');
    return;
  }
  nextRunId++;
  setRunning(true);
  await reloading;
  const t0 = performance.now();
  progress.value = 0;
  const onProgress = (stage: string, fraction: number, secondsLeft: number | null): void => {
    progress.value = fraction;
    const left = secondsLeft === null ? '' : secondsLeft < 1 ? ', under a second left' : `, about ${secondsLeft < 90 ? `${Math.round(secondsLeft)} s` : `${Math.round(secondsLeft / 60)} min`} left`;
    progressText.textContent = `${stage} (${((performance.now() - t0) / 1000).toFixed(1)} s${left})`;
  };
  try {
    const r = await client.request<RunResult>({ type: 'run', run: req }, onProgress);
    results.push(r);
    if (loadedFile !== null) void saveRun(req, r, loadedFile);
    if (r.report.dataset.columns !== undefined) columns?.showFilled(r.report.dataset.columns);
    backendStatus.textContent = `${r.backend.name}: ${r.backend.reason}`;
    backendStatus.dataset.backend = r.backend.name;
    if (r.threads !== null) {
      threadsStatus.textContent = `${r.threads.threads} thread${r.threads.threads === 1 ? '' : 's'}: ${r.threads.reason}`;
      threadsStatus.dataset.threads = String(r.threads.threads);
    }
    progressText.textContent = `done in ${(r.totalMs / 1000).toFixed(1)} s`;
    byId('results-section').hidden = false;
    byId('results').dataset.testid = 'results';
    show(r.runId);
  } catch (err) {
    if (err instanceof WorkerError && err.info.message === 'cancelled') progressText.textContent = 'cancelled';
    else {
      progressText.textContent = 'failed';
      reportError(err, 'The run failed');
    }
  } finally {
    setRunning(false);
  }
}

/** Keeps a finished run in the browser, with its model when this build makes one. */
async function saveRun(req: Exclude<ReturnType<typeof runForm.request>, string>, r: RunResult, loaded: Loaded): Promise<void> {
  const model = facts.exports.model ? await client.request<ExportedFile>({ type: 'export', runId: r.runId, what: 'model' }).then((f) => new TextDecoder().decode(f.bytes), () => null) : null;
  await savedRuns.save(req, r, loaded, model);
}

/** The fresh worker's reading of the file after a cancel; runs wait for it. */
let reloading: Promise<void> = Promise.resolve();

function cancel(): void {
  client.restart();
  progress.value = 0;
  void whenReady();
  // The fresh worker has no table: read the file again, keeping the user's column edits. Posted
  // at once, so it reaches the worker before any run the user starts next.
  const f = file;
  if (f !== null) {
    reloading = client.request<Loaded>({ type: 'load', file: f, name: f.name, onBadRows: badRows() }).then(
      () => undefined,
      (err: unknown) => reportError(err, `Could not read ${f.name} again`),
    );
  }
}

const input = byId<HTMLInputElement>('file-input');
input.addEventListener('change', () => {
  const f = input.files?.[0];
  // Cleared, so that picking the same file again (after fixing it) reads it again.
  input.value = '';
  if (f !== undefined) void loadFile(f);
});
byId('bad-rows').addEventListener('change', () => {
  if (file !== null) void loadFile(file);
});
const zone = byId('drop-zone');
zone.addEventListener('dragover', (e) => {
  e.preventDefault();
  zone.classList.add('over');
});
zone.addEventListener('dragleave', () => zone.classList.remove('over'));
zone.addEventListener('drop', (e) => {
  e.preventDefault();
  zone.classList.remove('over');
  const f = e.dataTransfer?.files[0];
  if (f !== undefined) void loadFile(f);
});
const savedRuns = mountRuns(byId('runs'), { section: byId('results-section'), results: byId('results'), tabs: byId('runs-tabs') });
// Run ids go on from the saved runs', so that a new run is never taken for a saved one.
void savedRuns.ready.then(() => (nextRunId = Math.max(nextRunId, savedRuns.lastRunId() + 1)));
runButton.addEventListener('click', () => void run());
cancelButton.addEventListener('click', cancel);
void whenReady();
