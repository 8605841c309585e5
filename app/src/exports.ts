// SPDX-License-Identifier: MIT
/**
 * The files a run can be downloaded as, built in the worker: the rows with their segment as CSV,
 * the model as JSON (what `segments predict` reads) and the HTML report, the last two with the
 * library code `segments fit` writes its model.json and report.html with. An exporter may be
 * null (not in this build): the worker then says so at start and the page hides its button.
 */
import * as arrow from 'apache-arrow';
import {
  SegmentsError,
  reportFromSegmentation,
  renderReport,
  stringifyModel,
  writeTable,
  type Pipeline,
  type PipelineOutput,
  type ProfileResult,
  type ReadReport,
  type Schema,
} from '../../src/index.js';
import { modelFromResult } from '../../src/model/fromResult.js';
import type { ReportMetric } from '../../src/report/types.js';
import { algorithmSpec } from './algorithmSettings.js';
import type { Fitted } from './fitAlgorithm.js';
import type { ExportKind, ExportedFile, RunResult } from './protocol.js';

/** Everything about one run that an exporter may need. */
export interface ExportContext {
  /** The table as read from the user's file. */
  table: arrow.Table;
  /** The user's file name. */
  fileName: string;
  /** What reading the file did (rows skipped or nulled). */
  readReport: ReadReport;
  /** The schema the run used (the user's edits applied). */
  schema: Schema;
  /** The fitted preprocessing of the run. */
  pipeline: Pipeline;
  /** The pipeline's transform of the table: the features [rows, features] the algorithm saw. */
  output: PipelineOutput;
  /** [rows] segment of each row, −1 for noise. */
  labels: Int32Array;
  /** The algorithm's result, seed, parameters and k search. */
  fitted: Pick<Fitted, 'fit' | 'seed' | 'parameters' | 'search'>;
  /** Silhouette, Calinski-Harabasz and Davies-Bouldin of the run, as the report shows them. */
  metrics: readonly ReportMetric[];
  /** The profile, with the names the user gave. */
  profile: ProfileResult;
  run: RunResult;
  /** The user's file name without its extension, for the downloaded file's name. */
  baseName: string;
}

export type Exporter = (ctx: ExportContext) => Promise<ExportedFile>;

/**
 * The model JSON that `segments predict` and `parseModel` read: the pipeline, the algorithm's
 * state (src/model/fromResult.ts, as `segments fit` builds it) and the segment names as the user
 * left them (renamed ones marked as given by a person).
 */
export const exportModelJson: Exporter | null = async (ctx) => {
  const generated = new Map<number, string>();
  const given = new Map<number, string>();
  for (const s of ctx.profile.noise === null ? ctx.profile.segments : [...ctx.profile.segments, ctx.profile.noise]) {
    (s.nameSource === 'user' ? given : generated).set(s.id, s.name);
  }
  const { model } = modelFromResult({ fit: ctx.fitted.fit, pipeline: ctx.pipeline, schema: ctx.schema, seed: ctx.fitted.seed, names: generated });
  const named = given.size === 0 ? model : model.rename(given);
  return { fileName: `${ctx.baseName}.model.json`, mime: 'application/json', bytes: new TextEncoder().encode(stringifyModel(named)) };
};

/**
 * The HTML report of the run, as `segments fit` writes report.html: reportFromSegmentation of
 * the table, features, labels, profiles (with the user's names), metrics and k search, rendered
 * to one self-contained file by renderReport (Vega's SVG renderer needs no DOM, so it runs here).
 */
export const exportHtmlReport: Exporter | null = async (ctx) => {
  const { run, fitted } = ctx;
  const input = await reportFromSegmentation(
    {
      fileName: ctx.fileName,
      table: ctx.table,
      readReport: ctx.readReport,
      schema: ctx.schema,
      output: ctx.output,
      labels: ctx.labels,
      profiles: ctx.profile,
      algorithm: { name: algorithmSpec(run.algorithm).label, parameters: fitted.parameters },
      backend: { name: run.backend.name, reason: run.backend.reason },
      metrics: ctx.metrics,
      ...(fitted.search === null ? {} : { chooseK: fitted.search }),
    },
    { seed: run.seed },
  );
  const html = await renderReport(input, { onWarning: () => {} });
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
