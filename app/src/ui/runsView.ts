// SPDX-License-Identifier: MIT
/**
 * The runs kept across reloads (runStore.ts): the list of saved runs, newest first, each to name
 * (the name is kept with it), to open (its results, segment profiles and the file's data profile
 * drawn again, its model downloaded), to delete, or to tick for a side-by-side comparison of two. A store that cannot save (quota
 * full, no IndexedDB) says so here and the rest of the app goes on.
 */
import type { Loaded, RunRequest, RunResult } from '../protocol.js';
import { MAX_RUN_NAME, RunStore, RunStoreError, runTitle, type RunRecord, type RunSummary } from '../runStore.js';
import { renderSideBySide, when } from './compareView.js';
import { fileStem, h, num, saveFile } from './dom.js';
import { renderProfile } from './profileView.js';
import { renderResult } from './resultsView.js';

/** Where an opened run is drawn: the page's results section. */
export interface RunsTargets {
  section: HTMLElement;
  results: HTMLElement;
  tabs: HTMLElement;
}

export interface RunsView {
  /** Saves a finished run of file `loaded` with its model JSON (null: none); a failure is shown, never thrown. */
  save(request: RunRequest, result: RunResult, loaded: Loaded, model: string | null): Promise<void>;
  /** The highest page run id among the saved runs (0 when none), so that new runs do not reuse one. */
  lastRunId(): number;
  /** Resolves once the first list has been read. */
  ready: Promise<void>;
}

/** The model of a saved run as a download, named as the worker names it. */
function downloadModel(r: RunRecord): void {
  if (r.model === null) return;
  saveFile(`${r.fileName.replace(/\.[^.]*$/, '') || fileStem(r.result.label)}.model.json`, r.model, 'application/json');
}

/**
 * Draws the saved runs into `box` and keeps the list current. Opening a run draws it into the
 * results section (`targets`), with a line saying which saved run it is.
 */
export function mountRuns(box: HTMLElement, targets: RunsTargets): RunsView {
  const status = h('p', { class: 'note', id: 'runs-status', role: 'status' });
  const list = h('div', { class: 'table-scroll' });
  const compareButton = h('button', { type: 'button', id: 'compare-runs', disabled: true }, 'Compare the two ticked runs');
  const compareBox = h('div', { id: 'runs-compare', class: 'table-scroll' });
  box.replaceChildren(status, list, h('div', { class: 'buttons' }, compareButton), compareBox);
  const section = box.closest('section') ?? box;
  let store: RunStore | null = null;
  let summaries: RunSummary[] = [];
  const ticked = new Set<number>();

  const say = (message: string, problem?: string): void => {
    status.textContent = message;
    if (problem === undefined) delete status.dataset.problem;
    else status.dataset.problem = problem;
  };
  const fail = (err: unknown): void => {
    const e = err instanceof RunStoreError ? err : new RunStoreError('failed', err instanceof Error ? err.message : String(err));
    say(e.message, e.problem);
  };

  const draw = (): void => {
    section.hidden = summaries.length === 0 && status.dataset.problem === undefined;
    for (const id of ticked) if (!summaries.some((s) => s.id === id)) ticked.delete(id);
    compareButton.disabled = ticked.size !== 2;
    compareButton.hidden = summaries.length < 2;
    if (summaries.length === 0) {
      list.replaceChildren();
      return;
    }
    const rows = summaries.map((s) => {
      const title = runTitle(s);
      const tick = h('input', { type: 'checkbox', 'aria-label': `compare run ${title} of ${when(s.savedAt)}`, checked: ticked.has(s.id) });
      // The run's name, edited in place: kept on Enter or on leaving the field; blank gives back `#id label`.
      const name = h('input', { type: 'text', class: 'run-name', value: title, maxlength: MAX_RUN_NAME, 'aria-label': `name of the run saved ${when(s.savedAt)}`, title: 'Type a name for this run; Enter keeps it' });
      name.addEventListener('change', () => void rename(s, name.value));
      name.addEventListener('keydown', (e) => {
        if (e.key === 'Enter') name.blur();
        else if (e.key === 'Escape') name.value = title;
      });
      tick.addEventListener('change', () => {
        if (tick.checked) ticked.add(s.id);
        else ticked.delete(s.id);
        compareButton.disabled = ticked.size !== 2;
      });
      const open = h('button', { type: 'button', class: 'open-run' }, 'Open');
      open.addEventListener('click', () => void openRun(s.id));
      const del = h('button', { type: 'button', class: 'delete-run' }, 'Delete');
      del.addEventListener('click', () => void remove(s.id));
      return h(
        'tr',
        { 'data-stored-id': s.id, 'data-run-id': s.runId },
        h('td', {}, tick),
        h('td', {}, h('span', { class: 'buttons' }, open, del)),
        h('td', {}, when(s.savedAt)),
        h('td', { title: s.fileName }, s.fileName),
        h('td', {}, name),
        h('td', { class: 'num' }, num(s.rows)),
        h('td', { class: 'num' }, `${s.segments}${s.noise > 0 ? ` + noise` : ''}`),
        h('td', { class: 'num' }, s.silhouette === null ? '–' : s.silhouette.toFixed(3)),
        h('td', {}, s.backend),
      );
    });
    list.replaceChildren(
      h(
        'table',
        { class: 'runs', id: 'runs-table', 'data-testid': 'saved-runs' },
        h('thead', {}, h('tr', {}, ...['compare', '', 'saved', 'file', 'name', 'rows', 'segments', 'silhouette', 'backend'].map((t) => h('th', {}, t)))),
        h('tbody', {}, ...rows),
      ),
    );
  };

  const refresh = async (): Promise<void> => {
    if (store === null) return;
    try {
      summaries = await store.list();
    } catch (err) {
      fail(err);
    }
    draw();
  };

  const openRun = async (id: number): Promise<void> => {
    if (store === null) return;
    let r: RunRecord | null;
    try {
      r = await store.get(id);
    } catch (err) {
      fail(err);
      return;
    }
    if (r === null) {
      say('That run is no longer saved.');
      await refresh();
      return;
    }
    const record = r;
    targets.section.hidden = false;
    targets.tabs.querySelectorAll('.tab.active').forEach((tab) => tab.classList.remove('active'));
    renderResult(targets.results, record.result, {
      exports: { csv: false, model: record.model !== null, report: false },
      rename: () => Promise.reject(new RunStoreError('failed', 'The names of a saved run stay as they were saved: read the file and run it again to rename its segments.')),
      download: async () => downloadModel(record),
    });
    const root = targets.results.querySelector('.result');
    if (root instanceof HTMLElement) root.dataset.storedId = String(record.id);
    const profileBox = h('div', { id: 'saved-profile' });
    targets.results.prepend(h('p', { class: 'saved-run', 'data-testid': 'saved-run', 'data-stored-id': record.id }, `${record.name === undefined ? 'Saved run' : `“${record.name}”, saved run`} of ${record.fileName}, ${when(record.savedAt)}: the rows are not kept, so its rows and report cannot be downloaded again; its model can.`));
    targets.results.append(h('h3', {}, `The data profile of ${record.fileName}`), profileBox);
    renderProfile(profileBox, { profile: record.dataProfile, schema: record.request.schema, report: record.readReport });
    targets.results.dataset.testid = 'results';
    targets.section.scrollIntoView?.({ block: 'start' });
  };

  const rename = async (s: RunSummary, name: string): Promise<void> => {
    if (store === null) return;
    // The default title typed back is no name.
    const given = name.trim() === runTitle({ runId: s.runId, label: s.label }) ? '' : name;
    let message: string;
    try {
      message = (await store.rename(s.id, given)) ? `Run renamed: ${runTitle({ ...s, name: given.trim() === '' ? undefined : given.trim() })}.` : 'That run is no longer saved.';
    } catch (err) {
      fail(err);
      await refresh();
      return;
    }
    // The list shows the new name before the status says it (a screen reader hears it once it is there).
    await refresh();
    say(message);
  };

  const remove = async (id: number): Promise<void> => {
    if (store === null) return;
    try {
      await store.delete(id);
      const shown = targets.results.querySelector(`.result[data-stored-id="${id}"]`);
      if (shown !== null) {
        targets.results.replaceChildren();
        delete targets.results.dataset.testid;
      }
      say('Run deleted.');
    } catch (err) {
      fail(err);
    }
    await refresh();
  };

  compareButton.addEventListener('click', () => {
    if (store === null || ticked.size !== 2) return;
    const [a, b] = [...ticked];
    void Promise.all([store.get(a), store.get(b)]).then(([ra, rb]) => {
      if (ra === null || rb === null) return refresh();
      // The older run first, whatever order they were ticked in.
      if (ra.savedAt > rb.savedAt || (ra.savedAt === rb.savedAt && ra.id > rb.id)) renderSideBySide(compareBox, rb, ra);
      else renderSideBySide(compareBox, ra, rb);
    }, fail);
  });

  const ready = RunStore.open().then(
    async (s) => {
      store = s;
      await refresh();
    },
    (err: unknown) => {
      fail(err);
      draw();
    },
  );

  return {
    ready,
    lastRunId: () => summaries.reduce((m, s) => Math.max(m, s.runId), 0),
    async save(request, result, loaded, model) {
      await ready;
      if (store === null) return;
      try {
        const { rowLines: _perRow, ...readReport } = loaded.report;
        await store.add({ savedAt: Date.now(), fileName: loaded.name, request, result, dataProfile: loaded.profile, readReport, model });
        say(`Run #${result.runId} saved in this browser.`);
      } catch (err) {
        fail(err);
      }
      await refresh();
    },
  };
}
