// SPDX-License-Identifier: MIT
/**
 * The member table: the rows of the selected segment (all rows when none is selected), searched,
 * sorted by a column, and saved as CSV. The rows stay in the worker (members.ts); the page asks
 * for the window in view and draws only those rows, each of a fixed height, over a spacer as tall
 * as all of them: a million rows scroll as a few dozen elements.
 */
import type { WorkerClient } from '../client.js';
import type { ExportedFile, MemberRows, MembersInfo, MembersQuery } from '../protocol.js';
import { selection } from '../selection.js';
import { h, num, saveFile } from './dom.js';

/** What the member table asks of the worker, for one run. */
export interface MembersSource {
  query(query: Omit<MembersQuery, 'runId'>): Promise<MembersInfo>;
  rows(start: number, count: number): Promise<MemberRows>;
  csv(): Promise<ExportedFile>;
}

/** The member table's requests for run `runId`, through the page's worker. */
export function workerMembers(client: WorkerClient, runId: number): MembersSource {
  return {
    query: (query) => client.request<MembersInfo>({ type: 'members', query: { ...query, runId } }),
    rows: (start, count) => client.request<MemberRows>({ type: 'memberRows', runId, start, count }),
    csv: () => client.request<ExportedFile>({ type: 'membersCsv', runId }),
  };
}

/** Height of a row, in CSS pixels (the stylesheet's `.members-row` has the same). */
const ROW_HEIGHT = 26;
/** Rows drawn above and below those in view, and asked for around them. */
const OVERSCAN = 10;
/** The tallest spacer drawn: browsers cap an element's height near 3.3·10^7 px; beyond, scrolling maps proportionally. */
const MAX_SPACER = 1.5e7;
/** Milliseconds without a scroll step after which the rows drawn are put in document order. */
const SETTLE_DELAY = 200;
/** Rows between the places the window of drawn rows is anchored at. */
const WINDOW_ROWS = 1000;
/** Milliseconds of quiet typing before a search runs. */
const SEARCH_DELAY = 250;

/**
 * The member table of a run. It lists the selected segment's rows and follows the page's
 * selection; `data-testid` hooks: members-count (with `data-count` and `data-total`),
 * members-search, members-scroll, members-export.
 */
export function membersView(source: MembersSource): HTMLElement {
  const count = h('p', { class: 'note', role: 'status', 'data-testid': 'members-count' }, 'Listing the rows…');
  const search = h('input', { type: 'search', placeholder: 'Search these rows', 'aria-label': 'search the rows listed', 'data-testid': 'members-search' });
  const exportButton = h('button', { type: 'button', 'data-testid': 'members-export' }, 'Download these rows (CSV)');
  const head = h('div', { class: 'members-row members-head', role: 'row' });
  // The rows drawn lie in a window, moved as one (a composited transform) while they are positioned within it.
  const rowsWindow = h('div', { class: 'members-window', role: 'rowgroup' });
  const spacer = h('div', { class: 'members-body' }, rowsWindow);
  const grid = h('div', { class: 'members-grid', role: 'table', 'aria-label': 'rows of the segment', 'aria-rowcount': 0 }, head, spacer);
  const scroller = h('div', { class: 'members-scroll', tabindex: 0, 'data-testid': 'members-scroll' }, grid);
  const box = h('div', { class: 'members', 'data-testid': 'members' }, h('div', { class: 'buttons' }, search, exportButton), count, scroller);

  let info: MembersInfo | null = null;
  let sort: MembersQuery['sort'] = null;
  /** Bumped by each query: answers to an older one are dropped. */
  let generation = 0;
  let cache: MemberRows | null = null;
  let fetching = false;
  let frame = 0;
  let settling = 0;
  const pool: HTMLElement[] = [];

  const columnsTemplate = (columns: number): string => `5em minmax(9em, 1.4fr) repeat(${columns}, minmax(7em, 1fr))`;

  const drawHead = (columns: string[]): void => {
    const cells = [h('div', { role: 'columnheader' }, 'row'), h('div', { role: 'columnheader' }, 'segment')];
    columns.forEach((name, j) => {
      const state = sort?.column === j ? (sort.descending ? 'descending' : 'ascending') : 'none';
      const button = h('button', { type: 'button', class: 'sort', 'data-column': j, title: `Sort by ${name}` }, name, state === 'none' ? '' : state === 'ascending' ? ' ▲' : ' ▼');
      button.addEventListener('click', () => {
        // Ascending, descending, then back to row order.
        sort = sort?.column !== j ? { column: j, descending: false } : sort.descending ? null : { column: j, descending: true };
        void runQuery();
      });
      cells.push(h('div', { role: 'columnheader', 'aria-sort': state }, button));
    });
    head.replaceChildren(...cells);
    head.style.gridTemplateColumns = columnsTemplate(columns.length);
    grid.style.minWidth = `${14 + 8 * columns.length}em`;
  };

  /** Where the view's top is, in rows, and the pixel offset to draw row `first` at. */
  const position = (): { first: number; visible: number; offset: (p: number) => number } => {
    const rows = info?.count ?? 0;
    const full = rows * ROW_HEIGHT;
    const height = Math.min(full, MAX_SPACER);
    const view = Math.max(ROW_HEIGHT, scroller.clientHeight - head.offsetHeight);
    const scrolled = Math.max(0, scroller.scrollTop);
    const top = height === full ? scrolled : (scrolled / Math.max(1, height - view)) * Math.max(0, full - view);
    return { first: Math.floor(top / ROW_HEIGHT), visible: Math.ceil(view / ROW_HEIGHT) + 1, offset: (p) => scrolled + p * ROW_HEIGHT - top };
  };

  const draw = (): void => {
    frame = 0;
    if (info === null) return;
    const { first, visible, offset } = position();
    const from = Math.max(0, first - OVERSCAN);
    const to = Math.min(info.count, first + visible + OVERSCAN);
    if (cache === null || from < cache.start || Math.min(to, info.count) > cache.start + cache.rowNumbers.length) void fetch(from, to);
    while (pool.length < to - from) {
      // The columns are the loaded table's, the same for every query of this view.
      const row = h('div', { class: 'members-row', role: 'row' });
      row.style.gridTemplateColumns = columnsTemplate(info.columns.length);
      row.hidden = true;
      pool.push(row);
      rowsWindow.append(row);
    }
    // Rows are placed from `base` on, inside the window; the window alone moves with each scroll
    // step (every step, where the rows map proportionally to the spacer).
    const base = from - (from % WINDOW_ROWS);
    const shift = `translateY(${offset(base)}px)`;
    if (rowsWindow.style.transform !== shift) rowsWindow.style.transform = shift;
    // Position p is drawn by row p mod the pool's size: a row still in view keeps its cells, so a
    // scroll step rebuilds only the rows that came into view (each rebuild restyles and repaints).
    const used = new Set<HTMLElement>();
    for (let p = from; p < to; p++) {
      const row = pool[p % pool.length];
      used.add(row);
      row.hidden = false;
      const top = `${(p - base) * ROW_HEIGHT}px`;
      if (row.style.top !== top) row.style.top = top;
      const k = cache === null ? -1 : p - cache.start;
      if (cache === null || k < 0 || k >= cache.rowNumbers.length) {
        if (row.dataset.index === String(p) && row.dataset.row === undefined) continue;
        row.dataset.index = String(p);
        row.setAttribute('aria-rowindex', String(p + 2));
        delete row.dataset.row;
        row.replaceChildren(h('div', { role: 'cell', class: 'num' }, '…'));
        continue;
      }
      if (row.dataset.index === String(p) && row.dataset.row === String(cache.rowNumbers[k])) continue;
      row.dataset.index = String(p);
      row.setAttribute('aria-rowindex', String(p + 2));
      row.dataset.row = String(cache.rowNumbers[k]);
      row.dataset.segment = String(cache.segments[k]);
      row.replaceChildren(
        h('div', { role: 'cell', class: 'num' }, String(cache.rowNumbers[k])),
        h('div', { role: 'cell' }, selection.labelOf(cache.segments[k])),
        ...cache.cells[k].map((text) => h('div', { role: 'cell', title: text.length > 12 ? text : undefined }, text)),
      );
    }
    for (const row of pool) if (!used.has(row)) row.hidden = true;
    clearTimeout(settling);
    settling = window.setTimeout(inOrder, SETTLE_DELAY);
  };

  /**
   * Puts the rows in the document in the order they are shown, once scrolling has stopped: a
   * screen reader reads them in document order, which recycling (row p mod the pool) leaves mixed.
   */
  const inOrder = (): void => {
    const shown = pool.filter((row) => !row.hidden).sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index));
    const now = Array.from(rowsWindow.children).filter((row) => !(row as HTMLElement).hidden);
    if (shown.some((row, i) => now[i] !== row)) rowsWindow.append(...shown, ...pool.filter((row) => row.hidden));
  };

  const schedule = (): void => {
    if (frame === 0) frame = requestAnimationFrame(draw);
  };

  /** Asks for rows [from, to) and more around them; one request at a time, the view redrawn after each. */
  const fetch = async (from: number, to: number): Promise<void> => {
    if (fetching) return;
    fetching = true;
    const asked = generation;
    const span = to - from;
    try {
      const start = Math.max(0, from - span);
      const rows = await source.rows(start, to + span - start);
      if (asked === generation) cache = rows;
    } catch (err) {
      if (asked === generation) count.textContent = `The rows could not be read: ${err instanceof Error ? err.message : String(err)}`;
      return;
    } finally {
      fetching = false;
    }
    // Drawn again, for these rows, or to ask for those of a query made meanwhile.
    schedule();
  };

  const runQuery = async (): Promise<void> => {
    const asked = ++generation;
    const selected = selection.selected;
    box.dataset.state = 'loading';
    try {
      const got = await source.query({ segment: selected?.id ?? null, search: search.value, sort });
      if (asked !== generation) return;
      info = got;
      cache = null;
      // Every row drawn again: the same position may hold another row now.
      for (const row of pool) delete row.dataset.index;
      drawHead(got.columns);
      spacer.style.height = `${Math.min(got.count * ROW_HEIGHT, MAX_SPACER)}px`;
      grid.setAttribute('aria-rowcount', String(got.count + 1));
      scroller.scrollTop = 0;
      const q = search.value.trim();
      const where = selected === null ? `all ${num(got.total)} rows` : `the ${num(got.total)} rows in ${selected.label}`;
      count.textContent = q === '' ? (selected === null ? `${num(got.count)} rows` : `${num(got.count)} rows in ${selected.label}`) : `${num(got.count)} of ${where} hold “${q}”`;
      count.dataset.count = String(got.count);
      count.dataset.total = String(got.total);
      count.dataset.segment = selected === null ? '' : String(selected.id);
      exportButton.disabled = got.count === 0;
      box.dataset.state = 'ready';
      draw();
    } catch (err) {
      if (asked !== generation) return;
      box.dataset.state = 'error';
      count.textContent = `The rows could not be listed: ${err instanceof Error ? err.message : String(err)}`;
    }
  };

  let typing = 0;
  search.addEventListener('input', () => {
    clearTimeout(typing);
    typing = window.setTimeout(() => void runQuery(), SEARCH_DELAY);
  });
  search.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      clearTimeout(typing);
      void runQuery();
    }
  });
  scroller.addEventListener('scroll', schedule, { passive: true });
  exportButton.addEventListener('click', () => {
    exportButton.disabled = true;
    source
      .csv()
      .then(
        (file) => saveFile(file.fileName, file.bytes as BlobPart, file.mime),
        (err: unknown) => (count.textContent = `The rows could not be saved: ${err instanceof Error ? err.message : String(err)}`),
      )
      .finally(() => (exportButton.disabled = false));
  });
  selection.subscribe(box, () => void runQuery());
  void runQuery();
  return box;
}
