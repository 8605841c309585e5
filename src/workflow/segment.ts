// SPDX-License-Identifier: MIT
/**
 * `segment(input, options)`: the whole segmentation job, the one workflow the CLI (`segments fit`)
 * and the browser app present. Read → column kinds → pipeline → choice of k (or the given k) →
 * fit → metrics → profiles and names → model, with progress (an estimate of the time left), an
 * AbortSignal, and the time of each step. Nothing is computed twice: the saved model is checked
 * against the fit on the feature matrix already made (all rows, one assignment pass) and, through
 * its own pipeline and a JSON round trip, on `modelCheckRows` sampled rows of the table.
 * Imports nothing that only runs in Node (a path input is read by readTable's Node branch).
 */
import * as arrow from 'apache-arrow';
import type { ChooseKResult } from '../algorithms/chooseK.js';
import { initBackend, type BackendInfo } from '../backend/backend.js';
import { dictionaryEncode } from '../data/dictionaryEncode.js';
import { inferKinds } from '../data/inferKinds.js';
import { Pipeline, type PipelineOutput } from '../data/pipeline.js';
import { readNotes, readTable, type ReadReport, type TableSource } from '../data/readTable.js';
import { sampleTable } from '../data/sampleGenerator.js';
import { takeRows } from '../data/takeRows.js';
import type { Schema } from '../data/schema.js';
import { CancelledError, DataError, throwIfCancelled, withDetail } from '../errors.js';
import { assignRows } from '../model/assign.js';
import { parseModel, stringifyModel } from '../model/file.js';
import { modelFromResult, type AlgorithmFit } from '../model/fromResult.js';
import type { SegmentationModel } from '../model/model.js';
import { UNASSIGNED } from '../model/predict.js';
import { NOISE } from '../model/state.js';
import { profileSegments, type ProfileResult } from '../profile/profile.js';
import { Random } from '../random.js';
import { segmentationMetrics, type SegmentationMetrics } from '../report/segmentationMetrics.js';
import type { WorkflowAlgorithm } from './defaults.js';
import { fitAlgorithm } from './fitAlgorithm.js';
import { handleInfinite } from './infinite.js';
import { resolveOptions, type ResolvedOptions, type SegmentOptions } from './options.js';
import { applyOverrides } from './overrides.js';
import { checkStructure, type StructureCheck } from './structure.js';
import { hidePassword, isPostgresAddress } from '../db/postgres.js';
import { ProgressTracker, type SegmentStep, type StepTiming } from './progress.js';

/** What to segment: a file (a path in Node, a Blob or File, bytes), a table already read, or generated users. */
export type SegmentInput = TableSource | arrow.Table | { sample: { rows: number } };

/** Everything the CLI and the app show about one segmentation. */
export interface Segmentation {
  /** The input: its name, rows and columns as read, and whether it was the generated sample. */
  input: { name: string; rows: number; columns: number; sample: boolean };
  /** The options with every default filled in (onProgress, onWarning and signal left out). */
  options: Omit<ResolvedOptions, 'onProgress' | 'onWarning' | 'signal' | 'schema'>;
  table: arrow.Table;
  /** What reading did (bad rows skipped or nulled, notes); null for a table given or generated. */
  readReport: ReadReport | null;
  /** What reading found worth telling (the separator found, repeated column names renamed): `readNotes(readReport)`. */
  readNotes: string[];
  /**
   * The column kinds, with the user's changes, and the one account of which columns were used:
   * a column the pipeline dropped (constant, no values) has `use: false` and the pipeline's reason.
   */
  schema: Schema;
  pipeline: Pipeline;
  /** The features [rows, features] the algorithm saw, their names and the pipeline's report. */
  output: PipelineOutput;
  algorithm: {
    id: WorkflowAlgorithm;
    /** In a user's words: 'k-means', 'agglomerative (ward)'. */
    label: string;
    parameters: Record<string, string | number | boolean | null>;
    /** The seed the fit depended on; null for a deterministic fit. */
    seed: number | null;
    nIter: number;
    converged: boolean;
  };
  /** The algorithm's result, from which the model was built. */
  fit: AlgorithmFit;
  /** [rows] segment of each row; −1 for noise. */
  labels: Int32Array;
  /** [rows] Euclidean distance of each row to its segment's center (or nearest core row) in feature space. */
  distances: Float64Array;
  /** The k search when k was chosen: the scores of each k, the choice and why, the rows it ran on. */
  search: ChooseKResult | null;
  metrics: SegmentationMetrics;
  /**
   * How far the segments can be trusted: the separation verdict (silhouette), the stability
   * (adjusted Rand index against a second fit), rows per segment, and structured warnings with
   * their figures; `tentative` when the names should read as tentative.
   */
  structure: StructureCheck;
  profiles: ProfileResult;
  /** Segment names by id (−1: noise). */
  names: Map<number, string>;
  model: SegmentationModel;
  /** A sentence on training rows the model's predict may place elsewhere than the fit did; null when none can move. */
  predictNote: string | null;
  /**
   * The saved model against the fit: `disagreements` of all rows (the model's rule on the feature
   * matrix), and `sampledDisagreements` of `sampledRows` rows read back through model.json's own
   * pipeline (the whole predict path, without transforming every row twice).
   */
  modelCheck: { rows: number; disagreements: number; sampledRows: number; sampledDisagreements: number };
  backend: BackendInfo;
  /** Things worth knowing, in a user's words (the sample the search ran on, rows left out of metrics, warnings). */
  notes: string[];
  warnings: string[];
  /** Each step's time, in order, and the whole job's. */
  timings: StepTiming[];
  seconds: number;
}

/** What `options.onSegments` is told: the segmentation before its model step (no model, no model check, no distances, no timings yet). */
export type SegmentsFound = Omit<Segmentation, 'model' | 'predictNote' | 'modelCheck' | 'distances' | 'timings' | 'seconds'>;

/** What `options.onProfiles` is told: the segments with their profiles and names, before their metrics. */
export type SegmentsProfiled = Omit<SegmentsFound, 'metrics' | 'structure'>;

/** What `segment()` tells its caller along the way, besides progress and warnings (SegmentOptions). */
export interface SegmentHooks {
  /**
   * Told once the segments are profiled and named, before their metrics and structure check
   * (awaited): a caller can start what needs only these (`segments fit` has the report's charts
   * drawn here, while the metrics are computed). A throw stops the run as a failed step would.
   */
  onProfiles?: (profiled: SegmentsProfiled) => void | Promise<void>;
  /**
   * Told once the segments, their metrics and profiles are known, before the model is built and
   * checked (awaited): a caller can start what needs only these (`segments fit` hands the report
   * to its drawing thread here, so that the charts are drawn while the model is checked and the
   * rows are written). A throw stops the run as a failed step would.
   */
  onSegments?: (found: SegmentsFound) => void | Promise<void>;
}

const FN = 'segment';

function isTable(input: SegmentInput): input is arrow.Table {
  return input instanceof arrow.Table || (typeof input === 'object' && input !== null && 'numRows' in input && 'getChild' in input && typeof (input as unknown as arrow.Table).getChild === 'function');
}

function isSample(input: SegmentInput): input is { sample: { rows: number } } {
  return typeof input === 'object' && input !== null && 'sample' in input && typeof (input as { sample?: unknown }).sample === 'object';
}

function inputName(input: SegmentInput, o: ResolvedOptions): string {
  if (o.name !== undefined) return o.name;
  if (typeof input === 'string') return isPostgresAddress(input) ? hidePassword(input) : input;
  if (typeof Blob !== 'undefined' && input instanceof Blob && 'name' in input && typeof input.name === 'string') return input.name;
  if (isSample(input)) return `generated sample (${input.sample.rows} users, seed ${o.seed})`;
  return 'table';
}

/** The pipeline fitted on `table`; an error about one row of the file names the row's line. */
function fitPipeline(table: arrow.Table, schema: Schema, lines: ArrayLike<number> | undefined, warn: (m: string) => void): { pipeline: Pipeline; output: PipelineOutput } {
  try {
    return Pipeline.fitTransform(table, schema, { onWarning: warn });
  } catch (err) {
    if (err instanceof DataError && err.fn === 'Pipeline.fit' && typeof err.row === 'number' && lines !== undefined) {
      throw withDetail(err, `line ${lines[err.row]}, ${err.message.slice(err.fn.length + 2)}`);
    }
    throw err;
  }
}

/**
 * Segments the rows of `input` as `options` say (defaults: src/workflow/defaults.ts).
 * Work: reading and the pipeline O(n·columns); the fit as its algorithm (k-means: O(nInit·nIter·n·k·d),
 * the k search on `searchRows` sampled rows); the silhouette O(s²·d) on s ≤ silhouetteRows rows.
 * @throws ParameterError for an unknown option, one that does not apply to the algorithm, or a
 *   value out of range (before any work); DataError for unreadable input; CancelledError when
 *   `options.signal` is aborted (nothing partial is returned).
 * @example
 * const r = await segment({ sample: { rows: 2000 } }, { k: 4, backend: 'wasm', onProgress: (p) => console.log(p.message) });
 * r.labels.length; // 2000
 * r.profiles.segments.length; // 4
 * r.profiles.segments.map((s) => s.name); // e.g. four names, one per segment
 */
export async function segment(input: SegmentInput, options: SegmentOptions & SegmentHooks = {}): Promise<Segmentation> {
  const { onProfiles, onSegments, ...workflowOptions } = options;
  const o = resolveOptions(workflowOptions);
  throwIfCancelled(o.signal, FN);
  const t0 = performance.now();
  const notes: string[] = [];
  const warnings: string[] = [];
  const warn = (m: string): void => {
    warnings.push(m);
    o.onWarning?.(m);
  };
  const steps: SegmentStep[] = ['read', 'kinds', 'features', 'backend', ...(o.algorithm === 'kmeans' && o.k === 'auto' ? (['search'] as const) : []), 'fit', 'profiles', 'metrics', 'model'];
  const progress = new ProgressTracker(steps, o.onProgress, o.signal);
  let backendReady: Promise<BackendInfo> | null = null;
  try {
    // The backend starts (compiling wasm, starting its threads, probing GPUs) while the file is
    // read and transformed, which need no backend; the 'backend' step is what is left to wait.
    backendReady = initBackend(o.backend, { onWarning: warn });
    backendReady.catch(() => {}); // awaited after the features; a failure is thrown there

    // 1. The rows.
    const name = inputName(input, o);
    let table: arrow.Table;
    let readReport: ReadReport | null = null;
    progress.start('read', `reading ${name}`);
    if (isSample(input)) {
      table = sampleTable({ rows: input.sample.rows, seed: o.seed }).table;
    } else if (isTable(input)) {
      table = o.maxRows !== null && input.numRows > o.maxRows ? input.slice(0, o.maxRows) : input;
    } else if (typeof input === 'string' && (input.startsWith('duckdb:') || isPostgresAddress(input))) {
      // A table in DuckDB or PostgreSQL, its rows pulled into memory (src/db/fit.ts fits inside the database instead).
      const db = await import('../db/open.js');
      const { pullRows } = await import('../db/source.js');
      const source = await db.openSource(input);
      try {
        table = await pullRows(source, o.maxRows === null ? {} : { limit: o.maxRows });
      } finally {
        await source.close();
      }
    } else {
      const read = await readTable(input, {
        onBadRows: o.onBadRows,
        ...(o.maxRows === null ? {} : { maxRows: o.maxRows }),
        ...(o.decimal === null ? {} : { decimal: o.decimal }),
        ...(o.encoding === null ? {} : { encoding: o.encoding }),
        ...(o.format === undefined ? {} : { format: o.format }),
        ...(o.name === undefined ? {} : { name: o.name }),
        ...(o.recordRanges === true ? { recordRanges: true } : {}),
      });
      // Text columns of few labels as dictionaries: every later step reads their labels once.
      table = dictionaryEncode(read.table);
      readReport = read.report;
    }
    if (table.numRows === 0) throw new DataError(FN, 'input', `${name} has no rows to segment`);

    // 2. Column kinds, with the user's changes.
    progress.start('kinds', 'inferring column kinds');
    let schema: Schema;
    if (o.schema !== undefined) {
      schema = structuredClone(o.schema);
    } else {
      // the decimal mark the user gave, or the one the CSV reader found in the file
      const decimal = o.decimal ?? (readReport?.decimal === ',' ? ',' : undefined);
      schema = inferKinds(table, { maxCategories: o.maxCategories, ...(decimal === undefined ? {} : { decimal }) });
      applyOverrides(schema, table, o.kinds ?? {}, o.exclude ?? []);
    }

    // 3. Features, from finite values only.
    progress.start('features', 'fitting the pipeline');
    let rowLines = readReport?.rowLines;
    const infinite = handleInfinite(table, schema, o.onBadRows, rowLines);
    if (infinite.note !== null) {
      if (o.onBadRows === 'skip') {
        const drop = new Set(infinite.rows);
        rowLines = rowLines?.filter((_, i) => !drop.has(i));
      }
      table = infinite.table;
      // the rows (or their cells) are no longer the file's records
      if (readReport !== null) delete readReport.recordRanges;
      notes.push(infinite.note);
      if (table.numRows === 0) throw new DataError(FN, 'input', `${name} has no rows left to segment: ${infinite.note}`);
    }
    const { pipeline, output } = fitPipeline(table, schema, rowLines, warn);
    const x = output.matrix;
    // One account of the columns used: those the pipeline dropped are not used, with its reason.
    for (const d of pipeline.dropped) {
      const info = schema.columns.find((c) => c.name === d.column);
      if (info !== undefined) Object.assign(info, { use: false, reason: `left out: ${d.reason}` });
    }
    if (output.badCells.length > 0) {
      const byColumn = new Map<string, number>();
      for (const c of output.badCells) byColumn.set(c.column, (byColumn.get(c.column) ?? 0) + 1);
      const first = output.badCells.reduce((a, b) => (b.row < a.row ? b : a));
      const where = rowLines !== undefined ? `line ${rowLines[first.row]}` : `row ${first.row + 1}`;
      warn(
        `${[...byColumn].map(([c, k]) => `${k} cell(s) of '${c}'`).join(', ')} could not be read as numbers and were filled with the column's median (first: ${where}, '${first.value}' ${first.reason})`,
      );
    }
    progress.start('backend', `starting the ${o.backend} backend`);
    const backend = await backendReady;

    // 4. The algorithm (and the choice of k).
    const fitted = await fitAlgorithm(x, o, progress, warn);
    const labels = fitted.labels;
    notes.push(...fitted.notes);

    // 5. Profiles and names (before the metrics: what needs only the segments, such as the
    // report's charts, can start while the metrics are computed).
    progress.start('profiles', 'profiling the segments');
    const profiles = profileSegments(table, schema, labels);
    const names = new Map<number, string>();
    for (const s of profiles.segments) names.set(s.id, s.name);
    if (profiles.noise !== null) names.set(NOISE, profiles.noise.name);
    const { onProgress: _p, onWarning: _w, signal: _s, schema: _schema, ...shown } = o;
    const profiled: SegmentsProfiled = {
      input: { name, rows: table.numRows, columns: table.numCols, sample: isSample(input) },
      options: shown,
      table,
      readReport,
      readNotes: readReport === null ? [] : readNotes(readReport),
      schema,
      pipeline,
      output,
      algorithm: { id: o.algorithm, label: fitted.label, parameters: fitted.parameters, seed: fitted.seed, nIter: fitted.nIter, converged: fitted.converged },
      fit: fitted.fit,
      labels,
      search: fitted.search,
      profiles,
      names,
      backend,
      notes,
      warnings,
    };
    if (onProfiles !== undefined) {
      await onProfiles(profiled);
      throwIfCancelled(o.signal, FN);
    }

    // 6. Metrics.
    progress.start('metrics', 'silhouette, Calinski-Harabasz, Davies-Bouldin');
    const metrics = await segmentationMetrics(x, labels, { silhouetteSample: o.silhouetteRows, seed: o.seed, onProgress: (stage) => progress.update(0.3, stage) });
    if (metrics.noiseRows > 0) notes.push(`${metrics.noiseRows} noise rows are left out of the metrics`);
    const sampledRows = metrics.silhouette?.sampledRows ?? null;
    if (sampledRows !== null) notes.push(`silhouette on ${sampledRows} sampled rows`);
    progress.update(0.7, 'checking the separation and the stability of the segments');
    const structure = await checkStructure(x, labels, metrics.silhouette?.score ?? null, o);
    const found: SegmentsFound = { ...profiled, metrics, structure };
    if (onSegments !== undefined) {
      await onSegments(found);
      throwIfCancelled(o.signal, FN);
    }

    // 7. The model, checked against the fit.
    progress.start('model', 'building and checking the model');
    const { model, predictNote } = modelFromResult({ fit: fitted.fit, pipeline, schema, seed: fitted.seed, names });
    const assigned = await assignRows(model.state, x, warn, labels); // the fit's labels: a hint, not an answer
    let disagreements = 0;
    for (let i = 0; i < labels.length; i++) if (assigned.segments[i] !== labels[i]) disagreements++;
    progress.update(0.5, `reading ${Math.min(o.modelCheckRows, table.numRows)} sampled rows back through the saved model`);
    // All rows when there are no more than modelCheckRows (the table itself, not a copy).
    const checkRows = o.modelCheckRows >= table.numRows ? null : new Random(o.seed).sample(table.numRows, o.modelCheckRows).sort();
    const checked = checkRows === null ? table.numRows : checkRows.length;
    let sampledDisagreements = 0;
    if (checked > 0) {
      const saved = parseModel(stringifyModel(model));
      // Rows with cells the fit imputed (said above) are rows predict refuses: they are not compared.
      const check = await saved.predict(checkRows === null ? table : takeRows(table, checkRows), { onWarning: warn, onBadRows: 'null' });
      for (let i = 0; i < checked; i++) {
        const s = check.segments[i];
        if (s !== UNASSIGNED && s !== assigned.segments[checkRows === null ? i : checkRows[i]]) sampledDisagreements++;
      }
    }
    if (sampledDisagreements > 0) {
      warn(`the saved model read back ${sampledDisagreements} of ${checked} sampled rows into another segment than the fitted pipeline gives: please report this`);
    }
    progress.update(1, 'done');
    const timings = progress.finish();

    return {
      ...found,
      distances: assigned.distances,
      model,
      predictNote,
      modelCheck: { rows: labels.length, disagreements, sampledRows: checked, sampledDisagreements },
      timings,
      seconds: (performance.now() - t0) / 1000,
    };
  } catch (err) {
    // A run that fails before the backend step leaves no start-up behind it: the backend would
    // otherwise still be switching tfjs's global backend after segment() has thrown, under a next
    // call that runs on another one.
    await backendReady?.catch(() => {});
    // An abort inside a library call may surface as its own error: report it as the cancel it is.
    if (o.signal?.aborted === true && !(err instanceof CancelledError)) throw new CancelledError(FN, { cause: err });
    throw err;
  }
}
