// SPDX-License-Identifier: MIT
/**
 * Segmenting new rows with a saved model: the table's columns are matched by name to the ones
 * the model's pipeline uses, then batch by batch of rows the pipeline makes the features and the
 * algorithm's predict rule (src/model/assign.ts) assigns the segments. Only one batch's features
 * (and one row block × centers tile on the device) are held at a time; the outputs are O(n).
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as arrow from 'apache-arrow';
import { func, integer, object, oneOf, optional, validateOptions, type ConstraintTable } from '../constraints.js';
import type { BadCell, TransformReport } from '../data/pipeline.js';
import { DataError, ParameterError } from '../errors.js';
import { assignRows } from './assign.js';
import type { ModelView } from './parts.js';

/**
 * What predict does with a row it cannot read (a numeric cell holding text that is not a number,
 * or an infinite number such as `inf` or `1e999`): 'fail' (the default) throws a DataError naming
 * the first such cell; 'skip' and 'null' give the row no segment (UNASSIGNED, a null name, a NaN
 * distance) and list it in `badRows`, 'skip' meaning that it is left out of the rows written
 * (`withSegments`), 'null' that it is kept with an empty segment. Missing cells (null, blank) are
 * not refused: they are filled as when fitting (the training median, the most frequent value) and
 * counted in `report.imputed`; categories not seen when fitting are counted in `report.unseen`.
 */
export type PredictBadRows = 'fail' | 'skip' | 'null';

/** A row predict refused, by its first cell that cannot be read. */
export interface PredictBadRow {
  /** Zero-based row of the table. */
  row: number;
  /** The file's physical line of the row, when `rowLines` was given. */
  line?: number;
  column: string;
  /** The cell as text. */
  value: string;
  /** `column 'income': 'lots' is not a number`. */
  reason: string;
  action: 'skipped' | 'nulled';
}

/** The segment predict gives a row it cannot read (with onBadRows 'skip' or 'null'). */
export const UNASSIGNED = -2;

/** Options of `predict`. */
export interface PredictOptions {
  /** Rows transformed and assigned at a time. Default 65,536. */
  batchRows?: number;
  /** Rows that cannot be read: see {@link PredictBadRows}. Default 'fail'. */
  onBadRows?: PredictBadRows;
  /** [rows] the file line of each row (readTable's `report.rowLines`), so that messages name lines. */
  rowLines?: ArrayLike<number>;
  /** Called after each batch with the rows done and the rows in all. */
  onProgress?: (done: number, total: number) => void;
  /** Receives warnings (a backend fallback). Default console.warn. */
  onWarning?: (message: string) => void;
}

/** The segments of a table's rows. */
export interface ModelPrediction {
  /** [n] the segment id of each row; -1 for DBSCAN's noise; UNASSIGNED (-2) for a row refused. */
  segments: Int32Array;
  /** [n] the name of each row's segment; null for a row refused. */
  names: Array<string | null>;
  /**
   * [n] Euclidean distance (float64, not squared), in the model's feature space, from the row to
   * its segment's center (k-means, mean shift) or to its nearest core point (DBSCAN; also for
   * noise rows): the distance of every estimator's `Prediction` (src/algorithms/result.ts).
   */
  distances: Float64Array;
  /** What the pipeline did, over all rows: cells imputed, categories not seen when fitting, columns ignored. */
  report: TransformReport;
  /** Columns of the table that the model's schema does not know; they were ignored. */
  extraColumns: string[];
  /** The tfjs backend that assigned the rows (none for an empty table). */
  backend: string;
  /** The rows refused (onBadRows 'skip' or 'null'), in row order, each by its first bad cell. */
  badRows: PredictBadRow[];
}

const FN = 'predict';
const DEFAULT_BATCH_ROWS = 65_536;

/** What each option may be; rowLines' length (one line per row) is checked against the table. */
const CONSTRAINTS: ConstraintTable<PredictOptions> = {
  batchRows: optional(integer({ min: 1 })),
  onBadRows: optional(oneOf('fail', 'skip', 'null')),
  rowLines: optional(object('an array of line numbers')),
  onProgress: optional(func()),
  onWarning: optional(func()),
};

/**
 * Segments the rows of `table` with `model`. Columns are matched by name; the columns the
 * pipeline uses must all be there, others are ignored (those the schema does not know are
 * listed in `extraColumns`). O(n·(d + k·d)) for n rows, d features and k centers (or core points).
 * @throws DataError naming every column the model uses that the table lacks; ParameterError for
 *   a bad batchRows.
 */
export async function predictTable(model: ModelView, table: arrow.Table, options: PredictOptions = {}): Promise<ModelPrediction> {
  validateOptions(FN, options, CONSTRAINTS);
  const batchRows = options.batchRows ?? DEFAULT_BATCH_ROWS;
  const onBadRows = options.onBadRows ?? 'fail';
  const rowLines = options.rowLines;
  if (rowLines !== undefined && rowLines.length !== table.numRows) {
    throw new ParameterError(FN, 'rowLines', `rowLines has ${rowLines.length} lines for a table of ${table.numRows} rows`);
  }
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
  const badRows: PredictBadRow[] = [];
  const action = onBadRows === 'skip' ? 'skipped' : 'nulled';
  for (let start = 0; start < n || (n === 0 && report === null); start += batchRows) {
    const end = Math.min(n, start + batchRows);
    const batch = start === 0 && end === n ? table : table.slice(start, end);
    const out = model.pipeline.transform(batch);
    report = report === null ? out.report : mergeReports(report, out.report);
    const refused = firstBadCells(out.badCells, start, rowLines);
    if (refused.length > 0 && onBadRows === 'fail') throw refusal(refused, end < n ? end : null);
    if (out.matrix.rows > 0) {
      const assigned = await assignRows(model.state, out.matrix, options.onWarning);
      segments.set(assigned.segments, start);
      distances.set(assigned.distances, start);
      backend = tf.getBackend();
    }
    for (const bad of refused) {
      segments[bad.row] = UNASSIGNED;
      distances[bad.row] = NaN;
      badRows.push({ ...bad, action });
    }
    options.onProgress?.(end, n);
  }
  const nameOf = new Map<number, string | null>(model.segments.map((s) => [s.id, s.name]));
  nameOf.set(UNASSIGNED, null);
  const names = Array.from(segments, (s) => nameOf.get(s) as string | null);
  return { segments, names, distances, report: report as TransformReport, extraColumns, backend, badRows };
}

/** The first bad cell of each row, in row order, with rows counted from `start` and their lines. */
function firstBadCells(cells: readonly BadCell[], start: number, rowLines: ArrayLike<number> | undefined): Array<Omit<PredictBadRow, 'action'>> {
  const byRow = new Map<number, BadCell>();
  for (const c of cells) if (!byRow.has(c.row)) byRow.set(c.row, c);
  return [...byRow.values()]
    .sort((a, b) => a.row - b.row)
    .map((c) => {
      const row = start + c.row;
      const bad: Omit<PredictBadRow, 'action'> = { row, column: c.column, value: c.value, reason: `column '${c.column}': '${c.value}' ${c.reason}` };
      if (rowLines !== undefined) bad.line = rowLines[row];
      return bad;
    });
}

/** The error of onBadRows 'fail': the first rows by line (or row), and how many. */
function refusal(rows: ReadonlyArray<Omit<PredictBadRow, 'action'>>, readRows: number | null): DataError {
  const where = (r: Omit<PredictBadRow, 'action'>): string => (r.line !== undefined ? `line ${r.line}` : `row ${r.row + 1}`);
  const shown = rows.slice(0, 3).map((r) => `${where(r)}: ${r.reason}`).join('; ');
  const count = `${rows.length} row(s)${readRows === null ? '' : ` of the first ${readRows}`}`;
  const first = rows[0];
  return new DataError(FN, 'table', `${count} cannot be read, so no segment can be given to them (${shown}${rows.length > 3 ? '; ...' : ''})`, first.row, first.column);
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
