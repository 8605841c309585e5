// SPDX-License-Identifier: MIT
/**
 * The messages between the page and its worker. The page sends requests, each with an id; the
 * worker answers each with exactly one `result` or `error` of that id, and may send `progress`
 * for it before. Everything here is plain data (structured clone), never a class instance.
 */
import type { BackendChoice, BackendName } from '../../src/backend/backend.js';
import type { BadRow, ReadReport } from '../../src/data/readTable.js';
import type { Schema } from '../../src/data/schema.js';
import type { ProfileResult } from '../../src/profile/profile.js';
import type { ReportInput } from '../../src/report/types.js';
import type { WasmThreadStats } from '../../src/kernels/wasm/threads.js';
import type { BandwidthHelp, KDistanceHelp } from '../../src/workflow/densityHelp.js';
import type { StructureCheck } from '../../src/workflow/structure.js';
import type { AlgorithmId, Settings } from './algorithmSettings.js';
import type { ColumnProfile } from './columnProfile.js';

/** What to do with CSV rows that do not parse (the library's `onBadRows`). */
export type BadRowsChoice = 'fail' | 'skip' | 'null';

export type Request =
  | { type: 'load'; id: number; file: Blob; name: string; onBadRows: BadRowsChoice }
  | { type: 'run'; id: number; run: RunRequest }
  | { type: 'rename'; id: number; runId: number; names: Record<number, string> }
  | { type: 'export'; id: number; runId: number; what: ExportKind }
  | { type: 'help'; id: number; help: HelpRequest }
  | { type: 'members'; id: number; query: MembersQuery }
  | { type: 'memberRows'; id: number; runId: number; start: number; count: number }
  | { type: 'membersCsv'; id: number; runId: number };

/** Help with the radius of DBSCAN (eps) and mean shift (bandwidth) on the loaded file, before a run. */
export interface HelpRequest {
  /** DBSCAN's k-distance curve and suggested eps, or mean shift's estimated bandwidth: only that is computed. */
  what: 'eps' | 'bandwidth';
  schema: Schema;
  backend: BackendChoice;
  seed: number;
  minSamples: number;
  quantile: number;
  bandwidthRows: number;
}

/** Which rows of a run the member table lists: a segment's (null: all), holding a text, sorted by a column (null: row order). */
export interface MembersQuery {
  runId: number;
  segment: number | null;
  /** Case-insensitive; blank: no search. */
  search: string;
  /** A column of the table, by position. */
  sort: { column: number; descending: boolean } | null;
}

/** The reply to `members`: rows of the segment (`total`) and of those, holding the search (`count`). */
export interface MembersInfo {
  runId: number;
  segment: number | null;
  total: number;
  count: number;
  columns: string[];
}

/** The reply to `memberRows`: rows from position `start` of the last `members` query, as text. */
export interface MemberRows {
  start: number;
  /** 1-based row of the table. */
  rowNumbers: number[];
  segments: number[];
  /** Per row, its cells in the order of `MembersInfo.columns`. */
  cells: string[][];
}

export interface RunRequest {
  /** Given by the page, unique across worker restarts. */
  runId: number;
  algorithm: AlgorithmId;
  settings: Settings;
  /** Let k-means choose k in [kMin, kMax] (the workflow's k = 'auto'); null to use the settings' k. */
  chooseK: { kMin: number; kMax: number } | null;
  backend: BackendChoice;
  seed: number;
  /** The inferred schema as the user edited it (kinds changed, columns excluded). */
  schema: Schema;
}

/** What can be downloaded from a run. */
export type ExportKind = 'csv' | 'model' | 'report';

export type Reply =
  | { type: 'ready'; exports: Record<ExportKind, boolean>; crossOriginIsolated: boolean }
  | { type: 'progress'; id: number; stage: string; fraction: number; secondsLeft: number | null }
  | { type: 'result'; id: number; value: unknown }
  | { type: 'error'; id: number; error: ErrorInfo };

/** An error as the library reported it, with the bad lines of a file where there are some. */
export interface ErrorInfo {
  name: string;
  message: string;
  /** CSV: the physical line (1-based) of the first problem. */
  line?: number;
  badRows?: BadRow[];
  /** The column at fault, where known. */
  column?: string | number;
}

/** The reply to `load`. */
export interface Loaded {
  name: string;
  report: ReadReport;
  schema: Schema;
  /** The first rows as text, in the table's column order. */
  preview: { columns: string[]; rows: string[][] };
  /** Per column, over every row: blanks, distinct and top values, a small histogram (columnProfile.ts). */
  profile: ColumnProfile[];
}

/** Scores of one k when k was chosen. */
export interface KCurvePoint {
  k: number;
  inertia: number;
  silhouette: number | null;
}

/** The reply to `run`. */
export interface RunResult {
  runId: number;
  /** e.g. `k-means (k = 5)`. */
  label: string;
  algorithm: AlgorithmId;
  settings: Settings;
  seed: number;
  backend: { name: BackendName; reason: string; warnings: string[] };
  /** Where the wasm kernels ran (the wasm backend only). */
  threads: WasmThreadStats | null;
  rows: number;
  features: string[];
  /** Rows per segment, by segment id (0, 1, ...); noise rows (−1) are counted apart. */
  sizes: number[];
  noise: number;
  metrics: {
    /** Mean silhouette over the non-noise rows (exact, or on `silhouetteSample` of them); null with fewer than 2 segments. */
    silhouette: number | null;
    silhouetteSample: number | null;
    /** Sum of squared distances of the non-noise rows to their segment's mean, in feature space. */
    inertia: number;
  };
  nIter: number;
  converged: boolean;
  /** Things worth knowing about the run (not converged, columns dropped, rows left out of the metrics). */
  notes: string[];
  /**
   * How far the segments can be trusted (src/workflow/structure.ts): separation verdict, stability,
   * rows per segment and warnings with their figures; `summary` is one line with the figures and
   * `namesNote` the sentence shown beside tentative names (null when they are not tentative).
   */
  structure: StructureCheck & { summary: string; namesNote: string | null };
  /** When k was chosen: the curves and the choice. */
  chooseK: { points: KCurvePoint[]; elbow: number | null; recommended: number; reason: string } | null;
  /** PCA of the features on a sample of the rows: up to 3 coordinates per point. */
  projection: { dims: number; coords: Float32Array; labels: Int32Array; explained: number[]; sampled: number };
  profile: ProfileResult;
  /**
   * What the report of this run shows, as data (src/workflow/reportInput.ts): the page draws its
   * charts from the same specifications as the report (src/report/charts).
   */
  report: ReportInput;
  /** Seconds of each step of the workflow, in order. */
  timings: Array<{ step: string; seconds: number }>;
  /** Milliseconds of the k search and the fit. */
  fitMs: number;
  totalMs: number;
}

/** The reply to `export`: the bytes of a file to download. */
export interface ExportedFile {
  fileName: string;
  mime: string;
  bytes: Uint8Array;
}

/** The reply to a `help` request for `W` (src/workflow/densityHelp.ts). */
export type HelpReply<W extends HelpRequest['what']> = W extends 'eps' ? KDistanceHelp : BandwidthHelp;

/** A message from the worker. */
export function isReply(data: unknown): data is Reply {
  return typeof data === 'object' && data !== null && typeof (data as { type?: unknown }).type === 'string';
}

export type { StructureCheck };
export type { ColumnProfile, NumberSummary } from './columnProfile.js';
export type { BackendChoice, BackendName, ProfileResult, ReportInput, Schema, WasmThreadStats };
