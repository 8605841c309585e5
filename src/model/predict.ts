// SPDX-License-Identifier: MIT
/**
 * Segmenting new rows with a saved model: the table's columns are matched by name to the ones
 * the model's pipeline uses, then batch by batch of rows the pipeline makes the features and the
 * algorithm's predict rule (src/model/assign.ts) assigns the segments. Only one batch's features
 * (and one row block × centers tile on the device) are held at a time; the outputs are O(n).
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as arrow from 'apache-arrow';
import type { TransformReport } from '../data/pipeline.js';
import { DataError, ParameterError } from '../errors.js';
import { assignRows } from './assign.js';
import type { SegmentationModel } from './model.js';

/** Options of `predict`. */
export interface PredictOptions {
  /** Rows transformed and assigned at a time. Default 65,536. */
  batchRows?: number;
  /** Called after each batch with the rows done and the rows in all. */
  onProgress?: (done: number, total: number) => void;
  /** Receives warnings (a backend fallback). Default console.warn. */
  onWarning?: (message: string) => void;
}

/** The segments of a table's rows. */
export interface ModelPrediction {
  /** [n] the segment id of each row; -1 for DBSCAN's noise. */
  segments: Int32Array;
  /** [n] the name of each row's segment. */
  names: string[];
  /**
   * [n] Euclidean distance, in the model's feature space, from the row to its segment's center
   * (k-means, mean shift) or to its nearest core point (DBSCAN; also for noise rows).
   */
  distances: Float64Array;
  /** What the pipeline did, over all rows: cells imputed, categories not seen when fitting, columns ignored. */
  report: TransformReport;
  /** Columns of the table that the model's schema does not know; they were ignored. */
  extraColumns: string[];
  /** The tfjs backend that assigned the rows (none for an empty table). */
  backend: string;
}

const FN = 'predict';
const DEFAULT_BATCH_ROWS = 65_536;

/**
 * Segments the rows of `table` with `model`. Columns are matched by name; the columns the
 * pipeline uses must all be there, others are ignored (those the schema does not know are
 * listed in `extraColumns`). O(n·(d + k·d)) for n rows, d features and k centers (or core points).
 * @throws DataError naming every column the model uses that the table lacks; ParameterError for
 *   a bad batchRows.
 */
export async function predictTable(model: SegmentationModel, table: arrow.Table, options: PredictOptions = {}): Promise<ModelPrediction> {
  const batchRows = options.batchRows ?? DEFAULT_BATCH_ROWS;
  if (!Number.isInteger(batchRows) || batchRows < 1) throw new ParameterError(FN, 'batchRows', `batchRows=${batchRows} must be an integer >= 1`);
  const present = new Set(table.schema.fields.map((f) => f.name));
  const absent = model.pipeline.columns.filter((c) => !present.has(c));
  if (absent.length > 0) {
    throw new DataError(FN, 'table', `the table lacks column(s) the model uses: ${absent.map((c) => JSON.stringify(c)).join(', ')}`, undefined, absent[0]);
  }
  const known = new Set(model.schema.columns.map((c) => c.name));
  const extraColumns = table.schema.fields.map((f) => f.name).filter((n) => !known.has(n));

  const n = table.numRows;
  const segments = new Int32Array(n);
  const distances = new Float64Array(n);
  let report: TransformReport | null = null;
  let backend = '';
  for (let start = 0; start < n || (n === 0 && report === null); start += batchRows) {
    const end = Math.min(n, start + batchRows);
    const batch = start === 0 && end === n ? table : table.slice(start, end);
    const out = model.pipeline.transform(batch);
    report = report === null ? out.report : mergeReports(report, out.report);
    if (out.matrix.rows > 0) {
      const assigned = await assignRows(model.state, out.matrix, options.onWarning);
      segments.set(assigned.segments, start);
      distances.set(assigned.distances, start);
      backend = tf.getBackend();
    }
    options.onProgress?.(end, n);
  }
  const nameOf = new Map(model.segments.map((s) => [s.id, s.name]));
  const names = Array.from(segments, (s) => nameOf.get(s) as string);
  return { segments, names, distances, report: report as TransformReport, extraColumns, backend };
}

/** The report of two consecutive batches as one. */
function mergeReports(a: TransformReport, b: TransformReport): TransformReport {
  const add = (x: Record<string, number>, y: Record<string, number>): Record<string, number> => {
    const out = { ...x };
    for (const [k, v] of Object.entries(y)) out[k] = (out[k] ?? 0) + v;
    return out;
  };
  const unseen: TransformReport['unseen'] = {};
  for (const [column, u] of [...Object.entries(a.unseen), ...Object.entries(b.unseen)]) {
    const into = (unseen[column] ??= { count: 0, values: [] });
    into.count += u.count;
    for (const v of u.values) if (into.values.length < 10 && !into.values.includes(v)) into.values.push(v);
  }
  return { ...a, rows: a.rows + b.rows, imputed: add(a.imputed, b.imputed), invalid: add(a.invalid, b.invalid), unseen };
}
