// SPDX-License-Identifier: MIT
/**
 * The files a run can be downloaded as, built in the worker: the rows with their segment as CSV,
 * the model as JSON (what `segments predict` reads) and the HTML report, the last two with the
 * library code `segments fit` writes its model.json and report.html with. An exporter may be
 * null (not in this build): the worker then says so at start and the page hides its button.
 */
import * as arrow from 'apache-arrow';
import { SegmentsError, stringifyModel, writeTable, type ProfileResult, type ReadReport } from '../../src/index.js';
import { segmentationReport } from '../../src/workflow/report.js';
import type { Segmentation } from '../../src/workflow/segment.js';
import type { ExportKind, ExportedFile, RunResult } from './protocol.js';

/** Everything about one run that an exporter may need. */
export interface ExportContext {
  /** What the workflow returned: the table, schema, pipeline, features, labels, model, metrics, k search. */
  seg: Segmentation;
  /** The user's file name. */
  fileName: string;
  /** What reading the file did (rows skipped or nulled). */
  readReport: ReadReport;
  /** The profile, with the names the user gave. */
  profile: ProfileResult;
  run: RunResult;
  /** The user's file name without its extension, for the downloaded file's name. */
  baseName: string;
}

export type Exporter = (ctx: ExportContext) => Promise<ExportedFile>;

/**
 * The model JSON that `segments predict` and `parseModel` read: the workflow's model (as
 * `segments fit` saves it) with the segment names the user gave marked as given by a person.
 */
export const exportModelJson: Exporter | null = async (ctx) => {
  const given = new Map<number, string>();
  for (const s of ctx.profile.noise === null ? ctx.profile.segments : [...ctx.profile.segments, ctx.profile.noise]) {
    if (s.nameSource === 'user') given.set(s.id, s.name);
  }
  const named = given.size === 0 ? ctx.seg.model : ctx.seg.model.rename(given);
  return { fileName: `${ctx.baseName}.model.json`, mime: 'application/json', bytes: new TextEncoder().encode(stringifyModel(named)) };
};

/**
 * The HTML report of the run, as `segments fit` writes report.html: reportFromSegmentation of
 * the workflow's result with the user's names, rendered to one self-contained file by
 * renderReport (Vega's SVG renderer needs no DOM, so it runs here).
 */
export const exportHtmlReport: Exporter | null = async (ctx) => {
  const html = await segmentationReport(ctx.seg, { profiles: ctx.profile, readReport: ctx.readReport, fileName: ctx.fileName });
  return { fileName: `${ctx.baseName}.report.html`, mime: 'text/html', bytes: new TextEncoder().encode(html) };
};

/** The columns the CSV adds; columns of these names already in the file (segmented before) are replaced. */
export const SEGMENT_COLUMN = 'segment';
export const SEGMENT_NAME_COLUMN = 'segment_name';

/** The rows as read, with `segment` (the id, −1 for noise) and `segment_name` added at the end, as CSV. */
export async function exportCsv(ctx: ExportContext): Promise<ExportedFile> {
  const names = new Map<number, string>(ctx.profile.segments.map((s) => [s.id, s.name]));
  if (ctx.profile.noise !== null) names.set(-1, ctx.profile.noise.name);
  const added = new arrow.Table({
    [SEGMENT_COLUMN]: arrow.makeVector(ctx.seg.labels),
    [SEGMENT_NAME_COLUMN]: arrow.vectorFromArray(Array.from(ctx.seg.labels, (l) => names.get(l) ?? ''), new arrow.Utf8()),
  });
  const kept = ctx.seg.table.schema.fields.map((f) => f.name).filter((n) => n !== SEGMENT_COLUMN && n !== SEGMENT_NAME_COLUMN);
  const { data } = await writeTable(ctx.seg.table.select(kept).assign(added), null, { format: 'csv', newline: '\n' });
  if (data === undefined) throw new SegmentsError('app: writeTable returned no bytes for a memory target');
  return { fileName: `${ctx.baseName}.segments.csv`, mime: 'text/csv', bytes: data };
}

/** The exporter of each kind, null where it is not available yet. */
export const EXPORTERS: Record<ExportKind, Exporter | null> = {
  csv: exportCsv,
  model: exportModelJson,
  report: exportHtmlReport,
};
