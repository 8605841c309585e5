// SPDX-License-Identifier: MIT
/**
 * `segments predict <model.json> <file>`: the rows of a file with the segment a saved model gives
 * each (id, name, distance to its center or core row), written to `--out` (CSV, Arrow or Parquet
 * by extension or `--format`) or as CSV to stdout. Columns the model uses but the file lacks stop
 * it with their names; columns the model does not know are reported and ignored.
 */
import * as arrow from 'apache-arrow';
import type { TransformReport } from '../../data/pipeline.js';
import type { ReadReport } from '../../data/readTable.js';
import { writeTable } from '../../data/writers.js';
import { DataError, withDetail } from '../../errors.js';
import { loadModel } from '../../model/file.js';
import type { SegmentationModel } from '../../model/model.js';
import { UNASSIGNED, type ModelPrediction, type PredictBadRows } from '../../model/predict.js';
import { withSegments } from '../../model/withSegments.js';
import type { CommandSpec } from '../args.js';
import type { Context } from '../context.js';
import { BAD_ROWS_FLAG, DECIMAL_FLAG, ENCODING_FLAG, OUTPUT_FORMATS, noteWarning, outputFormat, readInput, startBackend, textTable, userMessage, writeRows } from './common.js';

export const PREDICT_SPEC: CommandSpec = {
  name: 'predict',
  summary: 'Segments the rows of a file with a saved model: each row with its segment id, name and distance.',
  positionals: [
    { name: 'model.json', help: 'a model written by `segments fit`' },
    { name: 'file', help: 'the rows to segment (CSV, Arrow or Parquet)' },
  ],
  flags: {
    out: { type: 'string', value: 'FILE', help: 'write the rows there (default: CSV on stdout; with --json a JSON summary instead)' },
    format: { type: 'string', choices: OUTPUT_FORMATS, help: 'format of --out (default: from its extension, else csv)' },
    'bad-rows': { ...BAD_ROWS_FLAG, help: "rows that do not parse, or hold a value that is not a finite number: stop (default), leave them out (listed in <out>.bad-rows.csv), or keep them with an empty segment" },
    decimal: DECIMAL_FLAG,
    encoding: ENCODING_FLAG,
  },
};

/** What `predict` reports. */
export interface PredictSummary {
  model: string;
  file: string;
  rows: number;
  /** Rows per segment; `share` of the rows that got a segment. */
  segments: Array<{ id: number; name: string; rows: number; share: number }>;
  /** Columns of the file the model does not know (ignored). */
  extraColumns: string[];
  /** Missing (blank) cells filled as at fit (the training median, the most frequent value), per used column where any were. */
  imputed: Record<string, number>;
  /**
   * Rows that could not be read and got no segment (--bad-rows skip or null), by line: those that
   * did not parse (`row` null when they were left out of the table) and those with a value that
   * is not a finite number; each by its first bad cell.
   */
  refused: Array<{ line: number | null; row: number | null; column: string; reason: string; action: 'skipped' | 'nulled' }>;
  /** Categories the model had not seen, per column. */
  unseen: Record<string, { count: number; values: string[] }>;
  badRows: number;
  out: string | null;
  /** Where the refused rows were listed (beside --out), or null. */
  badRowsFile: string | null;
}

/**
 * The decimal mark a model read its numbers with: ',' when a column of its schema was read with
 * decimal commas (its numberFormat says so), so that new files are read the same way.
 */
export function modelDecimal(model: SegmentationModel): { columns: string[] } | undefined {
  const columns = model.schema.columns.filter((c) => c.use && c.numberFormat?.decimal === ',').map((c) => c.name);
  return columns.length > 0 ? { columns } : undefined;
}

/** Loads a model with progress. */
export async function loadModelFile(ctx: Context, path: string): Promise<SegmentationModel> {
  ctx.progress.update(`loading ${path}`);
  return loadModel(path);
}

/**
 * Predicts with progress per batch under --bad-rows (rows with a cell that is not a finite number
 * fail the command, naming the file's line and column, or get no segment), and notes the columns
 * ignored and the values not seen.
 */
export async function predictRows(ctx: Context, model: SegmentationModel, table: arrow.Table, file: string, report: ReadReport): Promise<ModelPrediction> {
  const onBadRows = (ctx.args.string('bad-rows') ?? 'fail') as PredictBadRows;
  let prediction: ModelPrediction;
  try {
    prediction = await model.predict(table, {
      onBadRows,
      ...(report.rowLines === undefined ? {} : { rowLines: report.rowLines }),
      onProgress: (done, total) => ctx.progress.update(`assigning segments: ${done} of ${total} rows`),
      onWarning: (m) => noteWarning(ctx, m),
    });
  } catch (err) {
    if (err instanceof DataError && err.fn === 'predict') {
      const hint = err.row !== undefined ? '; use --bad-rows skip or --bad-rows null to go on without them' : '';
      throw withDetail(err, `${file}: ${userMessage(err)}${hint}`);
    }
    throw err;
  }
  refuseNulledRows(prediction, report, model.pipeline.columns);
  if (prediction.extraColumns.length > 0) ctx.note(`${file}: column(s) the model does not know, ignored: ${prediction.extraColumns.join(', ')}`);
  for (const [column, u] of Object.entries(prediction.report.unseen)) {
    ctx.note(`${file}: ${u.count} value(s) of '${column}' the model had not seen (e.g. ${u.values.slice(0, 3).join(', ')}), counted as other`);
  }
  return prediction;
}

/**
 * Rows the reader kept with a cell of a column the model uses set to null because it did not
 * parse (--bad-rows null) are rows predict cannot read either: the null must not be filled like a
 * blank. They get no segment.
 */
function refuseNulledRows(prediction: ModelPrediction, report: ReadReport, used: readonly string[]): void {
  const lines = report.rowLines;
  const nulled = report.badRows.filter((b) => b.action === 'nulled' && b.column !== undefined && used.includes(b.column));
  if (lines === undefined || nulled.length === 0) return;
  const rowOfLine = new Map<number, number>();
  for (let i = 0; i < lines.length; i++) rowOfLine.set(lines[i], i);
  const refused = new Set(prediction.badRows.map((b) => b.row));
  for (const b of nulled) {
    const row = rowOfLine.get(b.line);
    if (row === undefined || refused.has(row)) continue;
    prediction.segments[row] = UNASSIGNED;
    prediction.names[row] = null;
    prediction.distances[row] = NaN;
    prediction.badRows.push({ row, line: b.line, column: b.column ?? '', value: '', reason: b.reason, action: 'nulled' });
    // The pipeline filled that null like a blank: it is not a blank filled.
    const imputed = prediction.report.imputed;
    if (b.column !== undefined && (imputed[b.column] ?? 0) > 0) imputed[b.column]--;
  }
  prediction.badRows.sort((a, b) => a.row - b.row);
}

/** Blank cells filled per column: the cells imputed less those that held a value that could not be used. */
export function blanksFilled(report: TransformReport): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [column, imputed] of Object.entries(report.imputed)) {
    const blanks = imputed - (report.invalid[column] ?? 0);
    if (blanks > 0) out[column] = blanks;
  }
  return out;
}

/** What predict did that the rows alone do not show, as sentences: rows refused, blank cells filled. */
export function predictFacts(summary: Pick<PredictSummary, 'refused' | 'imputed' | 'badRowsFile'>): string[] {
  const lines: string[] = [];
  const refused = summary.refused;
  if (refused.length > 0) {
    const what = refused[0].action === 'skipped' ? 'left out of the output' : 'kept with an empty segment';
    const where = (r: PredictSummary['refused'][number]): string => (r.line !== null ? `line ${r.line}` : `row ${r.row ?? '?'}`);
    const shown = refused.slice(0, 3).map((r) => `${where(r)}: ${r.reason}`).join('; ');
    lines.push(`${refused.length} row(s) could not be read and got no segment (${what}): ${shown}${refused.length > 3 ? '; ...' : ''}${summary.badRowsFile === null ? '' : `; all listed in ${summary.badRowsFile}`}`);
  }
  const filled = Object.entries(summary.imputed);
  if (filled.length > 0) {
    const total = filled.reduce((a, [, v]) => a + v, 0);
    lines.push(`${total} blank cell(s) filled as at fit, with the training median or most frequent value (${filled.map(([c, v]) => `${c}: ${v}`).join(', ')})`);
  }
  return lines;
}

/** The refused rows as a table: line (CSV), row, what was done, column, reason. */
function refusedTable(refused: PredictSummary['refused']): arrow.Table {
  return arrow.tableFromArrays({
    line: refused.map((r) => r.line),
    row: refused.map((r) => r.row),
    action: refused.map((r) => r.action),
    column: refused.map((r) => r.column),
    reason: refused.map((r) => r.reason),
  });
}

/** The rows refused, by line (row where there are no lines): the reader's skipped ones and predict's. */
export function refusedRows(prediction: ModelPrediction, report: ReadReport): PredictSummary['refused'] {
  const skipped = report.badRows
    .filter((b) => b.action === 'skipped')
    .map((b) => ({ line: b.line, row: null, column: b.column ?? '', reason: b.reason, action: 'skipped' as const }));
  const refused = prediction.badRows.map((b) => ({ line: b.line ?? null, row: b.row + 1, column: b.column, reason: b.reason, action: b.action }));
  return [...skipped, ...refused].sort((a, b) => (a.line ?? a.row ?? 0) - (b.line ?? b.row ?? 0));
}

/** `out.csv` → `out.bad-rows.csv`: where the rows predict refused are listed. */
function badRowsPath(outPath: string): string {
  const slash = Math.max(outPath.lastIndexOf('/'), outPath.lastIndexOf('\\'));
  const dot = outPath.lastIndexOf('.');
  return `${dot > slash + 1 ? outPath.slice(0, dot) : outPath}.bad-rows.csv`;
}

/** Runs `segments predict`. */
export async function predictCommand(ctx: Context): Promise<PredictSummary> {
  const [modelPath, file] = ctx.args.positionals;
  await startBackend(ctx);
  const model = await loadModelFile(ctx, modelPath);
  const { table, report } = await readInput(ctx, file, { forPredict: true, modelDecimal: modelDecimal(model) });
  const prediction = await predictRows(ctx, model, table, file, report);
  const rows = withSegments(table, prediction, { distance: true });
  const outPath = ctx.args.string('out') ?? null;
  const refused = refusedRows(prediction, report);
  const badRowsFile = outPath !== null && refused.length > 0 ? badRowsPath(outPath) : null;
  if (outPath !== null) {
    ctx.progress.update(`writing ${outPath}`);
    await writeRows(rows, outPath, outputFormat(ctx, outPath));
    if (badRowsFile !== null) await writeRows(refusedTable(refused), badRowsFile, 'csv');
  }
  ctx.progress.clear();
  const counts = new Map<number, number>();
  for (const s of prediction.segments) counts.set(s, (counts.get(s) ?? 0) + 1);
  // The rows of the file: those in the table and those the reader left out.
  const n = table.numRows + report.skippedRows;
  const assigned = n - refused.length;
  const summary: PredictSummary = {
    model: modelPath,
    file,
    rows: n,
    segments: model.segments.map((s) => ({ id: s.id, name: s.name, rows: counts.get(s.id) ?? 0, share: assigned > 0 ? (counts.get(s.id) ?? 0) / assigned : 0 })),
    extraColumns: prediction.extraColumns,
    imputed: blanksFilled(prediction.report),
    refused,
    unseen: prediction.report.unseen,
    badRows: report.badRowCount,
    out: outPath,
    badRowsFile,
  };
  if (ctx.json) {
    ctx.io.out(JSON.stringify(summary, null, 2));
  } else if (outPath === null) {
    const { data } = await writeTable(rows, null, { format: 'csv', newline: '\n' });
    ctx.io.writeOut(data as Uint8Array);
    for (const line of predictFacts(summary)) ctx.note(`${file}: ${line}`);
  } else {
    ctx.io.out(`${file}: ${assigned} of ${n} rows segmented with ${modelPath} (${model.algorithm}), written to ${outPath}`);
    for (const line of predictFacts(summary)) ctx.io.out(line);
    for (const line of textTable(['id', 'segment', 'rows', 'share'], summary.segments.map((s) => [String(s.id), s.name, String(s.rows), `${(100 * s.share).toFixed(1)} %`]))) {
      ctx.io.out(`  ${line}`);
    }
  }
  return summary;
}
