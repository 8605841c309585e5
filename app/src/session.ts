// SPDX-License-Identifier: MIT
/**
 * What the worker holds: the user's table (it never leaves the worker, nor the machine) and the
 * runs made on it, and the work each request asks for, all through the library's public API:
 * readTable → inferKinds → Pipeline → an algorithm → metrics, PCA, profileSegments.
 */
import type * as arrow from 'apache-arrow';
import {
  CsvError,
  DataError,
  PCA,
  Random,
  SegmentsError,
  inertia,
  inferKinds,
  readTable,
  renameSegments,
  selectRows,
  wasmThreadStats,
  type MatrixF32,
  type ProfileResult,
  type ReadReport,
} from '../../src/index.js';
import type { SegmentOptions } from '../../src/workflow/options.js';
import { betweenGroupShare } from '../../src/report/fromSegmentation.js';
import { initBackend } from '../../src/backend/backend.js';
import { bandwidthHelp, kDistanceHelp, type BandwidthHelp, type KDistanceHelp } from '../../src/workflow/densityHelp.js';
import { segmentationReportInput } from '../../src/workflow/reportInput.js';
import { segment, type Segmentation } from '../../src/workflow/segment.js';
import { structureSummary, tentativeNote } from '../../src/workflow/structure.js';
import { runLabel } from './algorithmSettings.js';
import { profileColumns } from './columnProfile.js';
import { EXPORTERS, type ExportContext } from './exports.js';
import { userMessage, userWarning } from '../../src/workflow/userMessage.js';
import { MemberTable } from './members.js';
import type { BadRowsChoice, ErrorInfo, ExportKind, ExportedFile, HelpRequest, Loaded, MemberRows, MembersInfo, MembersQuery, RunRequest, RunResult } from './protocol.js';

/** Rows of the preview. */
const PREVIEW_ROWS = 12;
/** Points of the PCA scatter plots at most (a sample of the rows above). */
const SCATTER_POINTS = 4000;
/** Rows the 3-D scatter's PCA is fitted on at most: fitted on every row, it took 8 s of a run on 10^6 rows. */
const PCA_FIT_ROWS = 20_000;

/** Reports progress: what is being done, the share of the whole run done in [0, 1], and the seconds left (null: unknown). */
export type Progress = (stage: string, fraction: number, secondsLeft: number | null) => void;

interface Data {
  name: string;
  table: arrow.Table;
  report: ReadReport;
}

interface Run {
  /** What the workflow returned. */
  seg: Segmentation;
  /** The profile, with the names the user gave. */
  profile: ProfileResult;
  result: RunResult;
}

/**
 * The workflow's options for a run request: the form's settings are the workflow's own option
 * names (algorithmSettings.ts); a blank optional field (null) is left to the workflow's default.
 */
export function runOptions(req: RunRequest, name: string): SegmentOptions {
  const settings: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(req.settings)) if (value !== null) settings[key] = value;
  if (req.chooseK !== null) {
    settings.k = 'auto';
    settings.kMin = req.chooseK.kMin;
    settings.kMax = req.chooseK.kMax;
  }
  return { ...settings, algorithm: req.algorithm, seed: req.seed, backend: req.backend, schema: req.schema, name } as SegmentOptions;
}

/**
 * An error as the page shows it: the library's message in a user's words (without the function
 * that raised it, as the CLI prints it), and the bad lines of a CSV file.
 */
export function errorInfo(err: unknown): ErrorInfo {
  const message = userMessage(err);
  if (err instanceof CsvError) return { name: err.name, message, line: err.line, badRows: err.badRows.slice(0, 20), column: err.column };
  if (err instanceof DataError) return { name: err.name, message, column: err.column };
  if (err instanceof Error) return { name: err.name, message };
  return { name: 'Error', message };
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' && 'toArray' in value) return JSON.stringify((value as { toArray(): unknown[] }).toArray());
  return String(value);
}

export class Session {
  private data: Data | null = null;
  private readonly runs = new Map<number, Run>();
  /** The loaded table's rows for the member table (members.ts), made on its first query. */
  private memberTable: MemberTable | null = null;

  /**
   * Reads a file (CSV, Arrow or Parquet) and infers its column kinds; forgets earlier runs once it
   * has read. A file that cannot be read changes nothing: the file before it and its runs stay.
   */
  async load(file: Blob, name: string, onBadRows: BadRowsChoice): Promise<Loaded> {
    const { table, report } = await readTable(file, { name, onBadRows });
    if (table.numRows === 0) throw new DataError('readTable', 'source', `${name} has no rows`);
    const schema = inferKinds(table);
    this.data = { name, table, report };
    this.runs.clear();
    this.memberTable = null;
    const columns = table.schema.fields.map((f) => f.name);
    const vectors = columns.map((c) => table.getChild(c));
    const rows: string[][] = [];
    for (let i = 0; i < Math.min(PREVIEW_ROWS, table.numRows); i++) rows.push(vectors.map((v) => cellText(v?.get(i))));
    return { name, report, schema, preview: { columns, rows }, profile: profileColumns(table, schema) };
  }

  /**
   * Segments the loaded table as `req` says, through the library's workflow (`segment()`): the
   * same steps, defaults and results as `segments fit`, and the report's charts as data. Only the
   * PCA projection of the 3-D scatter is the app's own.
   */
  async run(req: RunRequest, progress: Progress): Promise<RunResult> {
    const data = this.data;
    if (data === null) throw new SegmentsError('app: load a file before running');
    const t0 = performance.now();
    const options = runOptions(req, data.name);
    const seg = await segment(data.table, { ...options, onProgress: (p) => progress(p.message, 0.9 * p.fraction, p.secondsLeft) });
    const threads = seg.backend.name === 'wasm' ? wasmThreadStats() : null;
    const labels = seg.labels;
    const fitStep = seg.timings.filter((t) => t.step === 'search' || t.step === 'fit').reduce((sum, t) => sum + t.seconds, 0);

    progress('PCA projection for the plots', 0.92, null);
    const { projection, note: projectionNote } = await project(seg.output.matrix, labels, req.seed, seg.options.reportFeatures, seg.output.featureNames);
    progress('charts', 0.95, null);
    const report = await segmentationReportInput(seg, { readReport: data.report, fileName: data.name });
    const { sizes, noise } = countLabels(labels);
    const search = seg.search;
    const chosenK = search === null ? null : search.recommended.k;
    const result: RunResult = {
      runId: req.runId,
      label: runLabel(req.algorithm, req.settings, chosenK),
      algorithm: req.algorithm,
      settings: req.settings,
      seed: req.seed,
      backend: { name: seg.backend.name, reason: seg.backend.reason, warnings: seg.backend.warnings.map(userWarning) },
      threads,
      rows: labels.length,
      features: seg.output.featureNames,
      sizes,
      noise,
      metrics: {
        silhouette: seg.metrics.silhouette?.score ?? null,
        silhouetteSample: seg.metrics.silhouette?.sampledRows ?? null,
        inertia: seg.algorithm.id === 'kmeans' && seg.fit.algorithm === 'kmeans' ? seg.fit.result.inertia : await withinSumOfSquares(seg.output.matrix, labels),
      },
      nIter: seg.algorithm.nIter,
      converged: seg.algorithm.converged,
      notes: [...seg.notes, ...(projectionNote === null ? [] : [projectionNote]), ...seg.warnings.map((w) => `warning: ${userWarning(w)}`)],
      structure: { ...seg.structure, summary: structureSummary(seg.structure), namesNote: tentativeNote(seg.structure) },
      chooseK:
        search === null
          ? null
          : {
              points: search.scores.map((s) => ({ k: s.k, inertia: s.inertia, silhouette: s.silhouette })),
              elbow: search.elbow.k,
              recommended: search.recommended.k,
              reason: search.recommended.reason,
            },
      projection,
      profile: seg.profiles,
      report,
      timings: seg.timings,
      fitMs: 1000 * fitStep,
      totalMs: performance.now() - t0,
    };
    this.runs.set(req.runId, { seg, profile: seg.profiles, result });
    progress('done', 1, 0);
    return result;
  }

  /** DBSCAN's k-distance curve (suggested eps) or mean shift's estimated bandwidth, as asked, on the loaded table with the form's kinds. */
  async help(req: HelpRequest): Promise<KDistanceHelp | BandwidthHelp> {
    const data = this.data;
    if (data === null) throw new SegmentsError(`app: load a file before asking for help with ${req.what}`);
    await initBackend(req.backend, { onWarning: () => {} });
    const options = { minSamples: req.minSamples, quantile: req.quantile, bandwidthRows: req.bandwidthRows, seed: req.seed };
    return req.what === 'eps' ? kDistanceHelp(data.table, req.schema, options) : bandwidthHelp(data.table, req.schema, options);
  }

  /** The profile of a run with the segments renamed (the library checks the names). */
  rename(runId: number, names: Record<number, string>): ProfileResult {
    const run = this.getRun(runId);
    run.profile = renameSegments(run.profile, names);
    run.result = { ...run.result, profile: run.profile };
    return run.profile;
  }

  /** The file of a run, by kind (see exports.ts). */
  async export(runId: number, what: ExportKind): Promise<ExportedFile> {
    const run = this.getRun(runId);
    const exporter = EXPORTERS[what];
    if (exporter === null) throw new SegmentsError(`app: the ${what} download is not available in this build`);
    const data = this.data as Data;
    const ctx: ExportContext = {
      seg: run.seg,
      fileName: data.name,
      readReport: data.report,
      profile: run.profile,
      run: run.result,
      baseName: data.name.replace(/\.[^.]*$/, ''),
    };
    return exporter(ctx);
  }

  /** Selects the rows of a run that the member table lists (see MemberTable.query). */
  members(query: MembersQuery): MembersInfo {
    const run = this.getRun(query.runId);
    this.memberTable ??= new MemberTable((this.data as Data).table);
    const names = new Map((run.profile.noise === null ? run.profile.segments : [...run.profile.segments, run.profile.noise]).map((s) => [s.id, s.name]));
    return this.memberTable.query(query, run.seg.labels, names);
  }

  /** A window of the rows the last `members` query selected. */
  memberRows(runId: number, start: number, count: number): MemberRows {
    return this.listed(runId).rows(runId, start, count);
  }

  /** The rows the last `members` query selected, as a CSV file. */
  membersCsv(runId: number): ExportedFile {
    const bytes = this.listed(runId).csv(runId);
    return { fileName: `${(this.data as Data).name.replace(/\.[^.]*$/, '')}-rows.csv`, mime: 'text/csv', bytes };
  }

  private listed(runId: number): MemberTable {
    this.getRun(runId);
    if (this.memberTable === null) throw new SegmentsError('app: list the rows of a run before reading them');
    return this.memberTable;
  }

  private getRun(runId: number): Run {
    const run = this.runs.get(runId);
    if (run === undefined) throw new SegmentsError(`app: run ${runId} is not in this session (the file was loaded again, or the run was cancelled since)`);
    return run;
  }
}

/** Rows per segment id 0..max, and the noise rows (−1). */
function countLabels(labels: Int32Array): { sizes: number[]; noise: number } {
  const sizes: number[] = [];
  let noise = 0;
  for (const l of labels) {
    if (l < 0) noise++;
    else {
      while (sizes.length <= l) sizes.push(0);
      sizes[l]++;
    }
  }
  return { sizes, noise };
}

/** Sum of squared distances of the rows in a segment to their segment's mean (noise rows, −1, left out). */
async function withinSumOfSquares(x: MatrixF32, labels: Int32Array): Promise<number> {
  const kept = Int32Array.from(labels.keys()).filter((i) => labels[i] >= 0);
  if (kept.length === 0) return 0;
  if (kept.length === labels.length) return inertia(x, labels);
  return inertia(selectRows(x, kept), Int32Array.from(kept, (i) => labels[i]));
}

/** PCA of all rows (up to 3 components), applied to a seeded sample of them for the scatter plots. */
/**
 * PCA of the features for the scatters, fitted on a seeded sample of at most PCA_FIT_ROWS rows (as
 * the report's 2-D PCA is fitted on a sample) and drawn for SCATTER_POINTS of them. Wider than
 * `maxFeatures` (PCA's eigendecomposition is O(d³): 1,500 features took a minute), it runs on the
 * `maxFeatures` features whose variance lies most between the segments, as the report's scatter
 * does, and `note` says so.
 */
async function project(x: MatrixF32, labels: Int32Array, seed: number, maxFeatures: number, featureNames: readonly string[]): Promise<{ projection: RunResult['projection']; note: string | null }> {
  const dims = Math.min(3, x.cols, x.rows);
  if (x.rows < 2) return { projection: { dims: 0, coords: new Float32Array(0), labels: new Int32Array(0), explained: [], sampled: x.rows }, note: null };
  const rows = x.rows > SCATTER_POINTS ? new Random(seed).sample(x.rows, SCATTER_POINTS) : Int32Array.from({ length: x.rows }, (_, i) => i);
  const shown = selectRows(x, rows);
  const fitted = x.rows > PCA_FIT_ROWS ? selectRows(x, new Random(seed + 1).sample(x.rows, PCA_FIT_ROWS)) : x;
  let columns: (m: MatrixF32) => MatrixF32 = (m) => m;
  let note: string | null = null;
  if (x.cols > maxFeatures) {
    const share = betweenGroupShare(shown, Int32Array.from(rows, (r) => labels[r]));
    const keep = Array.from(share, (v, j) => [v, j] as const)
      .sort((a, b) => b[0] - a[0] || a[1] - b[1])
      .slice(0, maxFeatures)
      .map(([, j]) => j)
      .sort((a, b) => a - b);
    columns = (m) => {
      const data = new Float32Array(m.rows * keep.length);
      for (let i = 0; i < m.rows; i++) for (let c = 0; c < keep.length; c++) data[i * keep.length + c] = m.data[i * m.cols + keep[c]];
      return { data, rows: m.rows, cols: keep.length };
    };
    const kept = new Set(keep);
    const left = featureNames.filter((_, j) => !kept.has(j));
    note = `the scatters show the principal components of the ${keep.length} of ${x.cols} features whose variance lies most between the segments; ${left.length} left out (${left.slice(0, 5).join(', ')}${left.length > 5 ? ', …' : ''})`;
  }
  const model = await new PCA({ nComponents: dims }).fit(columns(fitted));
  const z = await model.transform(columns(shown));
  return { projection: { dims, coords: z.data, labels: Int32Array.from(rows, (r) => labels[r]), explained: Array.from(model.explainedVarianceRatio), sampled: rows.length }, note };
}
