// SPDX-License-Identifier: MIT
/**
 * The files a run can be downloaded as, built in the worker. The CSV of the rows with their
 * segment works now. The model JSON and the HTML report are wired to `exportModelJson` and
 * `exportHtmlReport` below, which stay null until src/model and src/report are finished: while
 * one is null the worker says so at start and the page hides its button (no fake download).
 */
import * as arrow from 'apache-arrow';
import { SegmentsError, writeTable, type Pipeline, type ProfileResult, type Schema } from '../../src/index.js';
import type { ExportKind, ExportedFile, RunResult } from './protocol.js';

/** Everything about one run that an exporter may need. */
export interface ExportContext {
  /** The table as read from the user's file. */
  table: arrow.Table;
  /** The schema the run used (the user's edits applied). */
  schema: Schema;
  /** The fitted preprocessing of the run. */
  pipeline: Pipeline;
  /** [rows] segment of each row, −1 for noise. */
  labels: Int32Array;
  /** The profile, with the names the user gave. */
  profile: ProfileResult;
  run: RunResult;
  /** The user's file name without its extension, for the downloaded file's name. */
  baseName: string;
}

export type Exporter = (ctx: ExportContext) => Promise<ExportedFile>;

/**
 * The model JSON, in the format the CLI reads. For the lead to connect to src/model (save the
 * pipeline, the algorithm's centers or core rows and the segment names of `ctx`), returning
 * `{ fileName: `${ctx.baseName}.model.json`, mime: 'application/json', bytes }`.
 */
export const exportModelJson: Exporter | null = null;

/**
 * The HTML report of the run. For the lead to connect to src/report (render `ctx.profile`,
 * `ctx.run` and the table), returning `{ fileName: `${ctx.baseName}.report.html`, mime: 'text/html', bytes }`.
 */
export const exportHtmlReport: Exporter | null = null;

/** The columns the CSV adds; columns of these names already in the file (segmented before) are replaced. */
export const SEGMENT_COLUMN = 'segment';
export const SEGMENT_NAME_COLUMN = 'segment_name';

/** The rows as read, with `segment` (the id, −1 for noise) and `segment_name` added at the end, as CSV. */
export async function exportCsv(ctx: ExportContext): Promise<ExportedFile> {
  const names = new Map<number, string>(ctx.profile.segments.map((s) => [s.id, s.name]));
  if (ctx.profile.noise !== null) names.set(-1, ctx.profile.noise.name);
  const added = new arrow.Table({
    [SEGMENT_COLUMN]: arrow.makeVector(ctx.labels),
    [SEGMENT_NAME_COLUMN]: arrow.vectorFromArray(Array.from(ctx.labels, (l) => names.get(l) ?? ''), new arrow.Utf8()),
  });
  const kept = ctx.table.schema.fields.map((f) => f.name).filter((n) => n !== SEGMENT_COLUMN && n !== SEGMENT_NAME_COLUMN);
  const { data } = await writeTable(ctx.table.select(kept).assign(added), null, { format: 'csv', newline: '\n' });
  if (data === undefined) throw new SegmentsError('app: writeTable returned no bytes for a memory target');
  return { fileName: `${ctx.baseName}.segments.csv`, mime: 'text/csv', bytes: data };
}

/** The exporter of each kind, null where it is not available yet. */
export const EXPORTERS: Record<ExportKind, Exporter | null> = {
  csv: exportCsv,
  model: exportModelJson,
  report: exportHtmlReport,
};
