// SPDX-License-Identifier: MIT
/**
 * The runs kept across reloads, in the browser's IndexedDB: each finished run's options, results
 * (metrics, segment sizes and profiles, the charts' input), the file's data profile and the model
 * JSON; never the rows. Two object stores: `summaries` (a few numbers per run, for the list) and
 * `runs` (the whole record, read when a run is opened), written in one transaction.
 */
import { ParameterError, SegmentsError } from '../../src/errors.js';
import type { ReadReport } from '../../src/data/readTable.js';
import type { ColumnProfile, RunRequest, RunResult } from './protocol.js';

/** A saved run. */
export interface RunRecord {
  /** Given by the store, unique in it. */
  id: number;
  /** Milliseconds since 1970 when the run was saved. */
  savedAt: number;
  fileName: string;
  /** The options of the run as the page sent them (algorithm, settings, k, backend, seed, schema). */
  request: RunRequest;
  result: RunResult;
  /** The file's data profile when the run was made, and its reading (without the line of every row). */
  dataProfile: ColumnProfile[];
  readReport: Omit<ReadReport, 'rowLines'>;
  /** The model as `segments predict` reads it; null when this build cannot make it. */
  model: string | null;
  /** The name the user gave the run; absent until renamed (its title is then `#runId label`). */
  name?: string;
}

/** What the list of runs shows, read without the records. */
export interface RunSummary {
  id: number;
  savedAt: number;
  fileName: string;
  /** The page's id of the run, e.g. 3 for `#3`. */
  runId: number;
  label: string;
  rows: number;
  segments: number;
  noise: number;
  silhouette: number | null;
  backend: string;
  /** As in {@link RunRecord}. */
  name?: string;
}

/** The longest name a run may be given, in characters. */
export const MAX_RUN_NAME = 120;

/** What the page calls a saved run: the name given to it, or its run id and label (`#3 k-means, k = 5`). */
export function runTitle(r: { name?: string; runId: number; label: string }): string {
  return r.name ?? `#${r.runId} ${r.label}`;
}

/** Why the store failed: out of space, IndexedDB not offered (private windows, some embeds), or another failure. */
export type RunStoreProblem = 'quota' | 'unavailable' | 'failed';

/** A failed read or write of the store, in a user's words, with its cause. */
export class RunStoreError extends SegmentsError {
  constructor(
    readonly problem: RunStoreProblem,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const DB_VERSION = 1;

function storeError(err: unknown, doing: string): RunStoreError {
  if (err instanceof RunStoreError) return err;
  const name = err instanceof DOMException ? err.name : '';
  if (name === 'QuotaExceededError') return new RunStoreError('quota', `The browser has no more room to keep runs (its storage quota is full): ${doing} failed. Delete older runs to make room.`, { cause: err });
  const detail = err instanceof Error && err.message !== '' ? `: ${err.message}` : '';
  return new RunStoreError('failed', `The saved runs could not be read or written (${doing})${detail}.`, { cause: err });
}

function summaryOf(id: number, r: Omit<RunRecord, 'id'>): RunSummary {
  return {
    id,
    savedAt: r.savedAt,
    fileName: r.fileName,
    runId: r.result.runId,
    label: r.result.label,
    rows: r.result.rows,
    segments: r.result.sizes.filter((s) => s > 0).length,
    noise: r.result.noise,
    silhouette: r.result.metrics.silhouette,
    backend: r.result.backend.name,
    ...(r.name === undefined ? {} : { name: r.name }),
  };
}

/** A request's result as a promise. */
function done<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** A transaction's end: resolves when it commits, rejects with its error when it aborts. */
function committed(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new DOMException('the transaction was aborted', 'AbortError'));
  });
}

/**
 * The saved runs of this page's origin. Open with {@link RunStore.open}; every method rejects with
 * a {@link RunStoreError}.
 * @example
 * const store = await RunStore.open();
 * const id = await store.add(record);
 * (await store.list())[0].id === id; // true: newest first
 */
export class RunStore {
  private constructor(private readonly db: IDBDatabase) {}

  /** Opens (and on first use creates) the database `name`. */
  static async open(name = 'segments-runs'): Promise<RunStore> {
    if (typeof indexedDB === 'undefined') throw new RunStoreError('unavailable', 'This browser does not keep data for pages (no IndexedDB), so runs are not saved.');
    try {
      const req = indexedDB.open(name, DB_VERSION);
      req.onupgradeneeded = () => {
        const db = req.result;
        if (!db.objectStoreNames.contains('runs')) db.createObjectStore('runs', { keyPath: 'id', autoIncrement: true });
        if (!db.objectStoreNames.contains('summaries')) db.createObjectStore('summaries', { keyPath: 'id' });
      };
      return new RunStore(await done(req));
    } catch (err) {
      const e = storeError(err, 'opening the saved runs');
      throw e.problem === 'failed' ? new RunStoreError('unavailable', e.message, { cause: err }) : e;
    }
  }

  /** Saves a run; resolves with its id once written. */
  async add(record: Omit<RunRecord, 'id'>): Promise<number> {
    try {
      const tx = this.db.transaction(['runs', 'summaries'], 'readwrite');
      const end = committed(tx);
      const key = done(tx.objectStore('runs').add(record));
      void key.then((id) => tx.objectStore('summaries').put(summaryOf(Number(id), record)), () => undefined);
      await end;
      return Number(await key);
    } catch (err) {
      throw storeError(err, 'saving the run');
    }
  }

  /** The saved runs, newest first. */
  async list(): Promise<RunSummary[]> {
    try {
      const all = await done(this.db.transaction('summaries').objectStore('summaries').getAll());
      return (all as RunSummary[]).sort((a, b) => b.savedAt - a.savedAt || b.id - a.id);
    } catch (err) {
      throw storeError(err, 'listing the saved runs');
    }
  }

  /** A saved run, or null when there is none of that id. */
  async get(id: number): Promise<RunRecord | null> {
    try {
      return ((await done(this.db.transaction('runs').objectStore('runs').get(id))) as RunRecord | undefined) ?? null;
    } catch (err) {
      throw storeError(err, 'reading the run');
    }
  }

  /**
   * Names a saved run `name` (trimmed; blank: back to its run id and label), in the record and its
   * summary in one transaction. Resolves with false when there is no run of that id.
   */
  async rename(id: number, name: string): Promise<boolean> {
    const given = name.trim();
    if (given.length > MAX_RUN_NAME) throw new ParameterError('app', 'name', `a run's name has at most ${MAX_RUN_NAME} characters; this one has ${given.length}`);
    try {
      const tx = this.db.transaction(['runs', 'summaries'], 'readwrite');
      const end = committed(tx);
      const runs = tx.objectStore('runs');
      const found = done(runs.get(id)).then((got) => {
        const record = got as RunRecord | undefined;
        if (record === undefined) return false;
        if (given === '') delete record.name;
        else record.name = given;
        runs.put(record);
        tx.objectStore('summaries').put(summaryOf(id, record));
        return true;
      });
      await end;
      return await found;
    } catch (err) {
      throw storeError(err, 'renaming the run');
    }
  }

  /** Deletes a saved run (nothing happens when there is none of that id). */
  async delete(id: number): Promise<void> {
    try {
      const tx = this.db.transaction(['runs', 'summaries'], 'readwrite');
      const end = committed(tx);
      tx.objectStore('runs').delete(id);
      tx.objectStore('summaries').delete(id);
      await end;
    } catch (err) {
      throw storeError(err, 'deleting the run');
    }
  }

  close(): void {
    this.db.close();
  }
}
