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
  Pipeline,
  Random,
  SegmentsError,
  inertia,
  inferKinds,
  initBackend,
  profileSegments,
  readTable,
  renameSegments,
  wasmThreadStats,
  type MatrixF32,
  type PipelineOutput,
  type ProfileResult,
  type ReadReport,
  type Schema,
} from '../../src/index.js';
import { segmentationMetrics } from '../../src/report/segmentationMetrics.js';
import type { ReportMetric } from '../../src/report/types.js';
import { runLabel } from './algorithmSettings.js';
import { EXPORTERS, type ExportContext } from './exports.js';
import { FITTERS, type Fitted } from './fitAlgorithm.js';
import type { BadRowsChoice, ErrorInfo, ExportKind, ExportedFile, Loaded, RunRequest, RunResult } from './protocol.js';

/** Rows of the preview. */
const PREVIEW_ROWS = 12;
/** Points of the PCA scatter plots at most (a sample of the rows above). */
const SCATTER_POINTS = 4000;
/** Silhouette is exact up to this many rows, sampled above (it costs O(n²)). */
const SILHOUETTE_SAMPLE = 5000;

/** Reports progress: the share of the whole run done, in [0, 1], and what is being done. */
export type Progress = (stage: string, fraction: number) => void;

interface Data {
  name: string;
  table: arrow.Table;
  report: ReadReport;
}

interface Run {
  schema: Schema;
  pipeline: Pipeline;
  /** The pipeline's transform of the table: the features the algorithm saw. */
  output: PipelineOutput;
  labels: Int32Array;
  fitted: Fitted;
  /** Silhouette, Calinski-Harabasz and Davies-Bouldin as the report shows them. */
  metrics: ReportMetric[];
  profile: ProfileResult;
  result: RunResult;
}

/** An error as the page shows it: the library's message, and the bad lines of a CSV file. */
export function errorInfo(err: unknown): ErrorInfo {
  if (err instanceof CsvError) return { name: err.name, message: err.message, line: err.line, badRows: err.badRows.slice(0, 20), column: err.column };
  if (err instanceof DataError) return { name: err.name, message: err.message, column: err.column };
  if (err instanceof Error) return { name: err.name, message: err.message };
  return { name: 'Error', message: String(err) };
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' && 'toArray' in value) return JSON.stringify((value as { toArray(): unknown[] }).toArray());
  return String(value);
}

/** Rows `rows` of `m`, as a matrix of their own. */
function subsetRows(m: MatrixF32, rows: ArrayLike<number>): MatrixF32 {
  const d = m.cols;
  const data = new Float32Array(rows.length * d);
  for (let i = 0; i < rows.length; i++) data.set(m.data.subarray(rows[i] * d, rows[i] * d + d), i * d);
  return { data, rows: rows.length, cols: d };
}

export class Session {
  private data: Data | null = null;
  private readonly runs = new Map<number, Run>();

  /** Reads a file (CSV, Arrow or Parquet) and infers its column kinds; forgets earlier runs. */
  async load(file: Blob, name: string, onBadRows: BadRowsChoice): Promise<Loaded> {
    this.data = null;
    this.runs.clear();
    const { table, report } = await readTable(file, { name, onBadRows });
    if (table.numRows === 0) throw new DataError('readTable', 'source', `${name} has no rows`);
    const schema = inferKinds(table);
    this.data = { name, table, report };
    const columns = table.schema.fields.map((f) => f.name);
    const vectors = columns.map((c) => table.getChild(c));
    const rows: string[][] = [];
    for (let i = 0; i < Math.min(PREVIEW_ROWS, table.numRows); i++) rows.push(vectors.map((v) => cellText(v?.get(i))));
    return { name, report, schema, preview: { columns, rows } };
  }

  /** Segments the loaded table as `req` says. */
  async run(req: RunRequest, progress: Progress): Promise<RunResult> {
    const data = this.data;
    if (data === null) throw new SegmentsError('app: load a file before running');
    const t0 = performance.now();
    const warnings: string[] = [];
    const notes: string[] = [];
    const warn = (m: string): void => void notes.push(m);

    progress(`starting ${req.backend === 'auto' ? 'a backend' : req.backend}`, 0);
    const info = await initBackend(req.backend, { onWarning: (m) => void warnings.push(m) });
    const threads = info.name === 'wasm' ? wasmThreadStats() : null;

    progress('features', 0.05);
    const pipeline = Pipeline.fit(data.table, req.schema, { onWarning: warn });
    const output = pipeline.transform(data.table);
    const { matrix: x, featureNames } = output;

    const t1 = performance.now();
    const fitted = await FITTERS[req.algorithm](x, req.settings, {
      seed: req.seed,
      chooseK: req.chooseK,
      warn,
      progress: (f, stage) => progress(stage, 0.1 + 0.65 * f),
    });
    const fitMs = performance.now() - t1;
    const labels = fitted.labels;

    progress('silhouette and inertia', 0.75);
    const { sizes, noise } = countLabels(labels);
    const kept = noise === 0 ? null : Int32Array.from(labels.keys()).filter((i) => labels[i] >= 0);
    const xm = kept === null ? x : subsetRows(x, kept);
    const lm = kept === null ? labels : Int32Array.from(kept, (i) => labels[i]);
    if (kept !== null) notes.push(`${noise} noise rows are left out of the silhouette and inertia`);
    // The same metrics as the CLI's report (noise left out there too).
    const quality = await segmentationMetrics(x, labels, { silhouetteSample: SILHOUETTE_SAMPLE, seed: req.seed });
    const inert = xm.rows > 0 ? await inertia(xm, lm) : 0;

    progress('PCA projection', 0.85);
    const projection = await project(x, labels, req.seed);

    progress('segment profiles', 0.92);
    const profile = profileSegments(data.table, req.schema, labels);

    const runId = req.runId;
    const chosenK = fitted.chooseK === null ? null : fitted.chooseK.recommended;
    const result: RunResult = {
      runId,
      label: runLabel(req.algorithm, req.settings, chosenK),
      algorithm: req.algorithm,
      settings: req.settings,
      seed: req.seed,
      backend: { name: info.name, reason: info.reason, warnings: [...info.warnings, ...warnings] },
      threads,
      rows: x.rows,
      features: featureNames,
      sizes,
      noise,
      metrics: { silhouette: quality.silhouette?.score ?? null, silhouetteSample: quality.silhouette?.sampledRows ?? null, inertia: inert },
      nIter: fitted.nIter,
      converged: fitted.converged,
      notes: [...fitted.notes, ...notes],
      chooseK: fitted.chooseK,
      projection,
      profile,
      fitMs,
      totalMs: performance.now() - t0,
    };
    this.runs.set(runId, { schema: req.schema, pipeline, output, labels, fitted, metrics: quality.metrics, profile, result });
    progress('done', 1);
    return result;
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
      table: data.table,
      fileName: data.name,
      readReport: data.report,
      schema: run.schema,
      pipeline: run.pipeline,
      output: run.output,
      labels: run.labels,
      fitted: run.fitted,
      metrics: run.metrics,
      profile: run.profile,
      run: run.result,
      baseName: data.name.replace(/\.[^.]*$/, ''),
    };
    return exporter(ctx);
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

/** PCA of all rows (up to 3 components), applied to a seeded sample of them for the scatter plots. */
async function project(x: MatrixF32, labels: Int32Array, seed: number): Promise<RunResult['projection']> {
  const dims = Math.min(3, x.cols, x.rows);
  if (x.rows < 2) return { dims: 0, coords: new Float32Array(0), labels: new Int32Array(0), explained: [], sampled: x.rows };
  const model = await new PCA({ nComponents: dims }).fit(x);
  const rows = x.rows > SCATTER_POINTS ? new Random(seed).sample(x.rows, SCATTER_POINTS) : Int32Array.from({ length: x.rows }, (_, i) => i);
  const z = await model.transform(subsetRows(x, rows));
  return { dims, coords: z.data, labels: Int32Array.from(rows, (r) => labels[r]), explained: Array.from(model.explainedVarianceRatio), sampled: rows.length };
}
