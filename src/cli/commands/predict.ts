// SPDX-License-Identifier: MIT
/**
 * `segments predict <model.json> <file>`: the rows of a file with the segment a saved model gives
 * each (id, name, distance to its center or core row), written to `--out` (CSV, Arrow or Parquet
 * by extension or `--format`) or as CSV to stdout. Columns the model uses but the file lacks stop
 * it with their names; columns the model does not know are reported and ignored.
 */
import type * as arrow from 'apache-arrow';
import { writeTable } from '../../data/writers.js';
import { loadModel } from '../../model/file.js';
import type { SegmentationModel } from '../../model/model.js';
import type { ModelPrediction } from '../../model/predict.js';
import { withSegments } from '../../model/withSegments.js';
import type { CommandSpec } from '../args.js';
import type { Context } from '../context.js';
import { BAD_ROWS_FLAG, DECIMAL_FLAG, ENCODING_FLAG, OUTPUT_FORMATS, outputFormat, readInput, startBackend, textTable, writeRows } from './common.js';

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
    'bad-rows': BAD_ROWS_FLAG,
    decimal: DECIMAL_FLAG,
    encoding: ENCODING_FLAG,
  },
};

/** What `predict` reports. */
export interface PredictSummary {
  model: string;
  file: string;
  rows: number;
  segments: Array<{ id: number; name: string; rows: number; share: number }>;
  /** Columns of the file the model does not know (ignored). */
  extraColumns: string[];
  /** Cells imputed per used column, for the columns where any were. */
  imputed: Record<string, number>;
  /** Categories the model had not seen, per column. */
  unseen: Record<string, { count: number; values: string[] }>;
  badRows: number;
  out: string | null;
}

/**
 * The decimal mark a model read its numbers with: ',' when a column of its schema was read with
 * decimal commas (its numberFormat says so), so that new files are read the same way.
 */
export function modelDecimal(model: SegmentationModel): ',' | undefined {
  return model.schema.columns.some((c) => c.numberFormat?.decimal === ',') ? ',' : undefined;
}

/** Loads a model with progress. */
export async function loadModelFile(ctx: Context, path: string): Promise<SegmentationModel> {
  ctx.progress.update(`loading ${path}`);
  return loadModel(path);
}

/** Predicts with progress per batch, and notes the columns ignored and the values not seen. */
export async function predictRows(ctx: Context, model: SegmentationModel, table: arrow.Table, file: string): Promise<ModelPrediction> {
  const prediction = await model.predict(table, {
    onProgress: (done, total) => ctx.progress.update(`assigning segments: ${done} of ${total} rows`),
    onWarning: (m) => ctx.note(`warning: ${m}`),
  });
  if (prediction.extraColumns.length > 0) ctx.note(`${file}: column(s) the model does not know, ignored: ${prediction.extraColumns.join(', ')}`);
  for (const [column, u] of Object.entries(prediction.report.unseen)) {
    ctx.note(`${file}: ${u.count} value(s) of '${column}' the model had not seen (e.g. ${u.values.slice(0, 3).join(', ')}), counted as other`);
  }
  return prediction;
}

/** Runs `segments predict`. */
export async function predictCommand(ctx: Context): Promise<PredictSummary> {
  const [modelPath, file] = ctx.args.positionals;
  await startBackend(ctx);
  const model = await loadModelFile(ctx, modelPath);
  const { table, report } = await readInput(ctx, file, undefined, modelDecimal(model));
  const prediction = await predictRows(ctx, model, table, file);
  const rows = withSegments(table, prediction, { distance: true });
  const outPath = ctx.args.string('out') ?? null;
  if (outPath !== null) {
    ctx.progress.update(`writing ${outPath}`);
    await writeRows(rows, outPath, outputFormat(ctx, outPath));
  }
  ctx.progress.clear();
  const counts = new Map<number, number>();
  for (const s of prediction.segments) counts.set(s, (counts.get(s) ?? 0) + 1);
  const n = table.numRows;
  const summary: PredictSummary = {
    model: modelPath,
    file,
    rows: n,
    segments: model.segments.map((s) => ({ id: s.id, name: s.name, rows: counts.get(s.id) ?? 0, share: n > 0 ? (counts.get(s.id) ?? 0) / n : 0 })),
    extraColumns: prediction.extraColumns,
    imputed: Object.fromEntries(Object.entries(prediction.report.imputed).filter(([, v]) => v > 0)),
    unseen: prediction.report.unseen,
    badRows: report.badRowCount,
    out: outPath,
  };
  if (ctx.json) {
    ctx.io.out(JSON.stringify(summary, null, 2));
  } else if (outPath === null) {
    const { data } = await writeTable(rows, null, { format: 'csv', newline: '\n' });
    ctx.io.writeOut(data as Uint8Array);
  } else {
    ctx.io.out(`${file}: ${n} rows segmented with ${modelPath} (${model.algorithm}), written to ${outPath}`);
    for (const line of textTable(['id', 'segment', 'rows', 'share'], summary.segments.map((s) => [String(s.id), s.name, String(s.rows), `${(100 * s.share).toFixed(1)} %`]))) {
      ctx.io.out(`  ${line}`);
    }
  }
  return summary;
}
