// SPDX-License-Identifier: MIT
/**
 * `segments fit <file>` (or `--sample`): read → infer the column kinds (overridable) → fit the
 * preprocessing pipeline → fit the algorithm (k-means with a given k or a k search, mean shift,
 * DBSCAN, agglomerative) → metrics → profiles and names → write the rows with their segments,
 * model.json, profiles.json, report.html (and bad-rows.csv when rows did not parse) into the
 * output folder. Every step is a library call; this file only wires them and reports.
 */
import * as arrow from 'apache-arrow';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Agglomerative, type Linkage } from '../../algorithms/agglomerative.js';
import { chooseK, type ChooseKResult } from '../../algorithms/chooseK.js';
import { DBSCAN } from '../../algorithms/dbscan.js';
import { KMeans } from '../../algorithms/kmeans.js';
import { MeanShift } from '../../algorithms/meanShift.js';
import type { BackendInfo } from '../../backend/backend.js';
import { inferKinds } from '../../data/inferKinds.js';
import { Pipeline, type PipelineOutput } from '../../data/pipeline.js';
import type { ReadReport } from '../../data/readTable.js';
import { sampleTable } from '../../data/sampleGenerator.js';
import type { Schema } from '../../data/schema.js';
import { DataError, assertUnreachable } from '../../errors.js';
import type { MatrixF32 } from '../../matrix.js';
import { saveModel } from '../../model/file.js';
import { modelFromResult, type AlgorithmFit } from '../../model/fromResult.js';
import { NOISE } from '../../model/state.js';
import { withSegments } from '../../model/withSegments.js';
import { profileSegments, type ProfileResult } from '../../profile/profile.js';
import { reportFromSegmentation } from '../../report/fromSegmentation.js';
import { renderReport } from '../../report/renderReport.js';
import { segmentationMetrics } from '../../report/segmentationMetrics.js';
import type { ReportMetric } from '../../report/types.js';
import { UsageError, type CommandSpec } from '../args.js';
import type { Context } from '../context.js';
import { BAD_ROWS_FLAG, DEFAULT_SEED, OUTPUT_FORMATS, applyOverrides, describeSchema, readInput, startBackend, textTable, writeRows, type OutputFormat } from './common.js';

/** The algorithms `--algorithm` names. */
export const FIT_ALGORITHMS = ['kmeans', 'meanshift', 'dbscan', 'agglomerative'] as const;
export type FitAlgorithm = (typeof FIT_ALGORITHMS)[number];

/** Silhouette is O(n²): above this many rows it is computed on a sample of this size. */
const SILHOUETTE_SAMPLE = 10_000;
/** The k search computes a silhouette per k: on fewer sampled rows, so that it stays quick. */
const SEARCH_SILHOUETTE_SAMPLE = 4_000;

export const FIT_SPEC: CommandSpec = {
  name: 'fit',
  summary: 'Segments the rows of a CSV, Arrow or Parquet file (or the generated sample) and writes the segmented rows, model.json, profiles.json and report.html.',
  positionals: [{ name: 'file', help: 'the table to segment (not with --sample)', optional: true }],
  flags: {
    sample: { type: 'boolean', help: 'segment the generated users (planted segments) instead of a file' },
    rows: { type: 'integer', value: 'N', min: 1, help: 'with --sample: users generated (default 20000); with a file: read the first N rows only' },
    algorithm: { type: 'string', choices: FIT_ALGORITHMS, help: 'clustering algorithm (default kmeans)' },
    k: { type: 'string', value: 'N|auto', help: 'segments for kmeans and agglomerative; auto: k-means for each k and a recommendation (default auto for kmeans, 5 for agglomerative)' },
    'k-min': { type: 'integer', value: 'N', min: 1, help: 'with --k auto: smallest k tried (default 2)' },
    'k-max': { type: 'integer', value: 'N', min: 1, help: 'with --k auto: largest k tried (default 8)' },
    'n-init': { type: 'integer', value: 'N', min: 1, help: 'kmeans: runs from different seeds, the best is kept (default 4)' },
    eps: { type: 'number', value: 'R', min: 0, minInclusive: false, help: 'dbscan: neighbourhood radius in standardised features (default 0.5)' },
    'min-samples': { type: 'integer', value: 'N', min: 1, help: 'dbscan: rows within eps that make a core row (default 5)' },
    bandwidth: { type: 'number', value: 'H', min: 0, minInclusive: false, help: 'meanshift: kernel radius (default: estimated on up to 2000 rows)' },
    linkage: { type: 'string', choices: ['ward', 'complete', 'average', 'single'], help: 'agglomerative: cluster distance (default ward)' },
    exclude: { type: 'list', value: 'COL,...', help: 'columns not to use as features' },
    kind: { type: 'list', value: 'COL=KIND,...', help: 'override inferred kinds (number, count, flag, category, range, list, id, text, ...)' },
    'bad-rows': BAD_ROWS_FLAG,
    out: { type: 'string', value: 'DIR', help: 'output folder (default ./segments-out)' },
    format: { type: 'string', choices: OUTPUT_FORMATS, help: 'format of the segmented rows (default csv)' },
  },
  notes: [
    'writes into the output folder: segments.<format> (the input rows with segment and segment_name),',
    'model.json (for `segments predict`), profiles.json, report.html, and bad-rows.csv when rows did not parse.',
  ],
};

/** What the fit produced, for the summary and the tests. */
export interface FitSummary {
  input: { file: string | null; sample: boolean; rows: number; columns: number; badRows: number; skippedRows: number; nulledCells: number };
  columns: Schema['columns'];
  features: number;
  algorithm: { name: FitAlgorithm; parameters: Record<string, string | number | boolean | null> };
  kSearch: { scores: Array<{ k: number; inertia: number; silhouette: number | null }>; chosen: number; reason: string } | null;
  backend: { name: string; reason: string };
  metrics: ReportMetric[];
  segments: Array<{ id: number; name: string; size: number; share: number; distinctive: string[] }>;
  /** How many training rows `predict` with the saved model puts in another segment than the fit did. */
  predictDisagreements: number;
  files: Record<string, string>;
  seconds: number;
}

/** Parses `--k`: a positive integer, `auto`, or absent. */
function kOption(ctx: Context): number | 'auto' | undefined {
  const raw = ctx.args.string('k');
  if (raw === undefined) return undefined;
  if (raw === 'auto') return 'auto';
  const k = Number(raw);
  if (!Number.isInteger(k) || k < 1) throw new UsageError(`--k: '${raw}' is not a positive integer or 'auto'`, 'fit');
  return k;
}

/** Checks that the flags given apply to the algorithm chosen. */
function checkAlgorithmFlags(ctx: Context, algorithm: FitAlgorithm): void {
  const applies: Record<FitAlgorithm, string[]> = {
    kmeans: ['k', 'k-min', 'k-max', 'n-init'],
    meanshift: ['bandwidth'],
    dbscan: ['eps', 'min-samples'],
    agglomerative: ['k', 'linkage'],
  };
  for (const flag of ['k', 'k-min', 'k-max', 'n-init', 'bandwidth', 'eps', 'min-samples', 'linkage']) {
    if (ctx.args.has(flag) && !applies[algorithm].includes(flag)) {
      throw new UsageError(`--${flag} does not apply to --algorithm ${algorithm} (it takes ${applies[algorithm].map((f) => `--${f}`).join(', ')})`, 'fit');
    }
  }
}

interface Fitted {
  labels: Int32Array;
  /** The algorithm's result, from which the model is built (src/model/fromResult.ts). */
  fit: AlgorithmFit;
  seed: number | null;
  parameters: Record<string, string | number | boolean | null>;
  reportName: string;
  search: ChooseKResult | null;
  backend: string;
}

async function fitAlgorithm(ctx: Context, algorithm: FitAlgorithm, x: MatrixF32, seed: number): Promise<Fitted> {
  const warn = (m: string): void => ctx.note(`warning: ${m}`);
  const n = x.rows;
  switch (algorithm) {
    case 'kmeans': {
      const k = kOption(ctx) ?? 'auto';
      const nInit = ctx.args.number('n-init') ?? 4;
      if (k === 'auto') {
        const kMin = ctx.args.number('k-min') ?? 2;
        const kMax = Math.min(ctx.args.number('k-max') ?? 8, n);
        if (kMin > kMax) throw new UsageError(`--k-min ${kMin} is more than --k-max ${kMax}${kMax === n ? ` (the data has ${n} rows)` : ''}`, 'fit');
        ctx.progress.update(`k-means for k = ${kMin}..${kMax}`);
        const search = await chooseK(x, {
          kMin,
          kMax,
          kmeans: { nInit, seed, onWarning: warn },
          keepModels: 'chosen',
          silhouetteSampleSize: SEARCH_SILHOUETTE_SAMPLE,
          onProgress: (p) => ctx.progress.update(`k-means for k = ${kMin}..${kMax}: k = ${p.k} done (${p.done}/${p.total}), silhouette ${p.score.silhouette?.toFixed(3) ?? 'n/a'}`),
        });
        const model = search.model;
        return {
          labels: model.labels,
          fit: { algorithm: 'kmeans', result: model },
          seed,
          parameters: { k: search.recommended.k, kSearch: `${kMin}..${kMax}`, nInit, seed, searchSilhouette: search.silhouette.exact ? 'exact' : `${search.silhouette.sampleSize} sampled rows` },
          reportName: 'k-means',
          search,
          backend: model.backend,
        };
      }
      if (k > n) throw new UsageError(`--k ${k} is more than the ${n} rows`, 'fit');
      ctx.progress.update(`k-means, k = ${k}, ${nInit} run(s)`);
      const model = await new KMeans({ k, nInit, seed, onWarning: warn }).fit(x);
      return {
        labels: model.labels,
        fit: { algorithm: 'kmeans', result: model },
        seed,
        parameters: { k, nInit, seed },
        reportName: 'k-means',
        search: null,
        backend: model.backend,
      };
    }
    case 'meanshift': {
      const bandwidth = ctx.args.number('bandwidth');
      const nSamples = Math.min(n, 2000);
      ctx.progress.update(`mean shift${bandwidth === undefined ? ` (estimating the bandwidth on ${nSamples} rows)` : `, bandwidth ${bandwidth}`}`);
      // Bin seeding (scikit-learn's option) starts one climb per occupied grid cell, not per row.
      const model = await new MeanShift({ ...(bandwidth === undefined ? { nSamples, seed } : { bandwidth }), binSeeding: true, onWarning: warn }).fit(x);
      return {
        labels: model.labels,
        fit: { algorithm: 'meanshift', result: model },
        seed: bandwidth === undefined ? seed : null,
        parameters: { bandwidth: Number(model.bandwidth.toPrecision(4)), bandwidthEstimated: bandwidth === undefined, binSeeding: true, seeds: model.nSeeds },
        reportName: 'mean shift',
        search: null,
        backend: model.backend,
      };
    }
    case 'dbscan': {
      const eps = ctx.args.number('eps') ?? 0.5;
      const minSamples = ctx.args.number('min-samples') ?? 5;
      ctx.progress.update(`DBSCAN, eps = ${eps}, minSamples = ${minSamples}`);
      const model = await new DBSCAN({ eps, minSamples, onWarning: warn }).fit(x);
      if (model.nClusters === 0) {
        throw new DataError('dbscan', 'eps', `no cluster found with eps=${eps} and minSamples=${minSamples}: every row is noise; try a larger --eps or a smaller --min-samples`);
      }
      return {
        labels: model.labels,
        fit: { algorithm: 'dbscan', result: model },
        seed: null,
        parameters: { eps, minSamples, clusters: model.nClusters },
        reportName: 'DBSCAN',
        search: null,
        backend: model.backend,
      };
    }
    case 'agglomerative': {
      const k = kOption(ctx) ?? 5;
      if (k === 'auto') throw new UsageError("--k auto is only for --algorithm kmeans; give agglomerative a number of segments", 'fit');
      if (k > n) throw new UsageError(`--k ${k} is more than the ${n} rows`, 'fit');
      const linkage = (ctx.args.string('linkage') ?? 'ward') as Linkage;
      ctx.progress.update(`agglomerative (${linkage}), ${k} segments, ${n} rows`);
      const model = await new Agglomerative({ nClusters: k, linkage, onWarning: warn }).fit(x);
      return {
        labels: model.labels,
        // The tree cannot place new rows: the model keeps each segment's mean and assigns the nearest.
        fit: { algorithm: 'agglomerative', result: model, x },
        seed: null,
        parameters: { k, linkage },
        reportName: `agglomerative (${linkage})`,
        search: null,
        backend: model.backend,
      };
    }
    default:
      return assertUnreachable(algorithm);
  }
}

/** The bad rows of a read as a table: line, what was done, column, reason, text. */
function badRowsTable(report: ReadReport): arrow.Table {
  const rows = report.badRows;
  return arrow.tableFromArrays({
    line: Int32Array.from(rows, (r) => r.line),
    action: rows.map((r) => r.action),
    column: rows.map((r) => r.column ?? ''),
    reason: rows.map((r) => r.reason),
    text: rows.map((r) => r.text),
  });
}

/** Runs `segments fit`. */
export async function fitCommand(ctx: Context): Promise<FitSummary> {
  const t0 = performance.now();
  const useSample = ctx.args.bool('sample');
  const file = ctx.args.positionals[0];
  if (useSample && file !== undefined) throw new UsageError(`give a file or --sample, not both (got '${file}' and --sample)`, 'fit');
  if (!useSample && file === undefined) throw new UsageError('missing argument <file> (or --sample)', 'fit');
  if (useSample && ctx.args.has('bad-rows')) throw new UsageError('--bad-rows applies to a file, not to --sample', 'fit');
  const algorithm = (ctx.args.string('algorithm') ?? 'kmeans') as FitAlgorithm;
  checkAlgorithmFlags(ctx, algorithm);
  kOption(ctx);
  const seed = ctx.args.number('seed') ?? DEFAULT_SEED;
  const outDir = ctx.args.string('out') ?? 'segments-out';
  const format: OutputFormat = (ctx.args.string('format') as OutputFormat | undefined) ?? 'csv';

  const backend: BackendInfo = await startBackend(ctx);

  // 1. The rows.
  let table: arrow.Table;
  let readReport: ReadReport | undefined;
  let fileName: string;
  if (useSample) {
    const rows = ctx.args.number('rows') ?? 20_000;
    ctx.progress.update(`generating ${rows} users`);
    table = sampleTable({ rows, seed }).table;
    fileName = `generated sample (${rows} users, seed ${seed})`;
  } else {
    const read = await readInput(ctx, file as string, ctx.args.number('rows'));
    table = read.table;
    readReport = read.report;
    fileName = file as string;
  }
  if (table.numRows === 0) throw new DataError('fit', 'file', `${fileName} has no rows to segment`);

  // 2. Column kinds, with the user's overrides.
  ctx.progress.update('inferring column kinds');
  const schema = inferKinds(table);
  applyOverrides(ctx, schema, table);
  if (!ctx.json) {
    ctx.progress.clear();
    ctx.io.out(`${fileName}: ${table.numRows} rows, ${table.numCols} columns`);
    for (const line of describeSchema(schema)) ctx.io.out(`  ${line}`);
    ctx.io.out('');
  }

  // 3. Features.
  ctx.progress.update('fitting the pipeline');
  const { pipeline, output } = Pipeline.fitTransform(table, schema, { onWarning: (m) => ctx.note(`warning: ${m}`) });
  const x = output.matrix;

  // 4. The algorithm.
  const fitted = await fitAlgorithm(ctx, algorithm, x, seed);
  const labels = fitted.labels;

  // 5. Metrics, profiles, names, the model.
  const { metrics } = await segmentationMetrics(x, labels, { silhouetteSample: SILHOUETTE_SAMPLE, seed, onProgress: (stage) => ctx.progress.update(stage) });
  ctx.progress.update('profiling the segments');
  const profiles: ProfileResult = profileSegments(table, schema, labels);
  const names = new Map<number, string>();
  for (const s of profiles.segments) names.set(s.id, s.name);
  if (profiles.noise !== null) names.set(NOISE, profiles.noise.name);
  const { model, predictNote } = modelFromResult({ fit: fitted.fit, pipeline, schema, seed: fitted.seed, names });
  ctx.progress.update('checking the saved model against the fit');
  const check = await model.predict(table, { onWarning: (m) => ctx.note(`warning: ${m}`) });
  let disagreements = 0;
  for (let i = 0; i < labels.length; i++) if (check.segments[i] !== labels[i]) disagreements++;

  // 6. Files.
  await mkdir(outDir, { recursive: true });
  const files: Record<string, string> = {};
  const rowsPath = join(outDir, `segments.${format}`);
  ctx.progress.update(`writing ${rowsPath}`);
  const nameOf = (id: number): string => names.get(id) ?? model.segmentName(id);
  await writeRows(withSegments(table, { segments: labels, names: Array.from(labels, nameOf), distances: check.distances }), rowsPath, format);
  files.rows = rowsPath;
  files.model = join(outDir, 'model.json');
  ctx.progress.update(`writing ${files.model}`);
  await saveModel(model, files.model);
  files.profiles = join(outDir, 'profiles.json');
  await writeFile(files.profiles, `${JSON.stringify(profiles, null, 2)}\n`, 'utf8');
  if (readReport !== undefined && readReport.badRowCount > 0) {
    files.badRows = join(outDir, 'bad-rows.csv');
    await writeRows(badRowsTable(readReport), files.badRows, 'csv');
  }
  ctx.progress.update('building the report');
  const reportInput = await reportFromSegmentation(
    {
      fileName,
      table,
      ...(readReport === undefined ? {} : { readReport }),
      schema,
      output,
      labels,
      profiles,
      algorithm: { name: fitted.reportName, parameters: fitted.parameters },
      backend: { name: fitted.backend, reason: backend.reason },
      metrics,
      ...(fitted.search === null ? {} : { chooseK: fitted.search }),
    },
    { seed },
  );
  ctx.progress.update('rendering report.html');
  files.report = join(outDir, 'report.html');
  await writeFile(files.report, await renderReport(reportInput, { onWarning: (m) => ctx.note(`warning: ${m}`) }), 'utf8');
  ctx.progress.clear();

  const summary: FitSummary = {
    input: {
      file: useSample ? null : (file as string),
      sample: useSample,
      rows: table.numRows,
      columns: table.numCols,
      badRows: readReport?.badRowCount ?? 0,
      skippedRows: readReport?.skippedRows ?? 0,
      nulledCells: readReport?.nulledCells ?? 0,
    },
    columns: schema.columns,
    features: output.featureNames.length,
    algorithm: { name: algorithm, parameters: fitted.parameters },
    kSearch:
      fitted.search === null
        ? null
        : {
            scores: fitted.search.scores.map((s) => ({ k: s.k, inertia: s.inertia, silhouette: s.silhouette })),
            chosen: fitted.search.recommended.k,
            reason: fitted.search.recommended.reason,
          },
    backend: { name: fitted.backend, reason: backend.reason },
    metrics,
    segments: [...profiles.segments, ...(profiles.noise === null ? [] : [profiles.noise])].map((s) => ({
      id: s.id,
      name: s.name,
      size: s.size,
      share: s.share,
      distinctive: s.distinctive.map((f) => f.phrase),
    })),
    predictDisagreements: disagreements,
    files,
    seconds: (performance.now() - t0) / 1000,
  };
  if (readReport !== undefined && readReport.badRowCount > 0 && files.badRows) {
    const listed = readReport.badRows.length < readReport.badRowCount ? ` (the first ${readReport.badRows.length} listed)` : '';
    ctx.note(`${readReport.badRowCount} bad row(s) of ${fileName} are listed in ${files.badRows}${listed}`);
  }
  if (ctx.json) ctx.io.out(JSON.stringify(summary, null, 2));
  else printSummary(ctx, summary, output, predictNote);
  return summary;
}

function printSummary(ctx: Context, s: FitSummary, output: PipelineOutput, predictNote: string | null): void {
  const out = ctx.io.out;
  const params = Object.entries(s.algorithm.parameters).map(([k, v]) => `${k}=${String(v)}`).join(' ');
  out(`features: ${s.features} from ${output.columns.length} columns${output.report.log1p.length > 0 ? ` (log1p: ${output.report.log1p.join(', ')})` : ''}`);
  out(`backend: ${s.backend.name} (${s.backend.reason})`);
  if (s.kSearch !== null) {
    out('');
    out('k search (k-means for each k):');
    for (const line of textTable(
      ['k', 'inertia', 'silhouette'],
      s.kSearch.scores.map((p) => [String(p.k), p.inertia.toFixed(1), p.silhouette === null ? '-' : p.silhouette.toFixed(3)]),
    )) out(`  ${line}`);
    out(`  chosen: ${s.kSearch.reason}`);
  }
  out('');
  out(`${s.algorithm.name}: ${params}`);
  for (const line of textTable(
    ['id', 'segment', 'rows', 'share', 'what sets it apart'],
    s.segments.map((g) => [String(g.id), g.name, String(g.size), `${(100 * g.share).toFixed(1)} %`, g.distinctive.slice(0, 3).join('; ')]),
  )) out(`  ${line}`);
  out('');
  for (const m of s.metrics) out(`${m.name.padEnd(22)} ${m.value.toFixed(4)}${m.note ? `  (${m.note})` : ''}`);
  if (s.predictDisagreements > 0 || predictNote !== null) {
    out(`predict with model.json puts ${s.predictDisagreements} of ${s.input.rows} training rows in another segment${predictNote !== null ? `: ${predictNote}` : ''}`);
  }
  out('');
  out(`wrote ${Object.values(s.files).join(', ')} in ${s.seconds.toFixed(1)} s`);
}

