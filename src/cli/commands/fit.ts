// SPDX-License-Identifier: MIT
/**
 * `segments fit <file>` (or `--sample`): the library's workflow (`segment()`, src/workflow/)
 * with the flags as its options, then the files: the rows with their segments, model.json,
 * profiles.json, report.html (and bad-rows.csv when rows did not parse) in the output folder.
 * The output folder is checked and made before any work, and each file is written to a
 * temporary name and renamed, so that a failed or cancelled run (Ctrl-C) leaves nothing partial.
 */
import * as arrow from 'apache-arrow';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReadReport, RecordRanges } from '../../data/readReport.js';
import { writeCsvRecords } from '../../data/writers/csvRecords.js';
import { DEFAULT_DUCKDB_MEMORY_LIMIT } from '../../db/duckdb.js';
import { isDatabaseAddress } from '../../db/open.js';
import type { Schema } from '../../data/schema.js';
import { DataError, ParameterError, throwIfCancelled, withDetail } from '../../errors.js';
import { stringifyModel } from '../../model/file.js';
import { SEGMENT_COLUMNS, withSegments } from '../../model/withSegments.js';
import type { ReportMetric } from '../../report/types.js';
import { WORKFLOW_ALGORITHMS, WORKFLOW_DEFAULTS, type WorkflowAlgorithm } from '../../workflow/defaults.js';
import { resolveOptions, type SegmentOptions } from '../../workflow/options.js';
import type { SegmentProgress } from '../../workflow/progress.js';
import { startReportThread } from '../../workflow/reportThread.js';
import { segment, type Segmentation } from '../../workflow/segment.js';
import { structureSummary, tentativeNote, type StructureCheck } from '../../workflow/structure.js';
import { UsageError, type CommandSpec } from '../args.js';
import type { Context } from '../context.js';
import { BAD_ROWS_FLAG, DECIMAL_FLAG, ENCODING_FLAG, OUTPUT_FORMATS, describeSchema, firstLine, noteRead, noteWarning, readError, textTable, userMessage, writeRows, type OutputFormat } from './common.js';

/** The algorithms `--algorithm` names. */
export const FIT_ALGORITHMS = WORKFLOW_ALGORITHMS;
export type FitAlgorithm = WorkflowAlgorithm;

const D = WORKFLOW_DEFAULTS;

export const FIT_SPEC: CommandSpec = {
  name: 'fit',
  summary: 'Segments the rows of a CSV, Arrow or Parquet file (or the generated sample) and writes the segmented rows, model.json, profiles.json and report.html.',
  positionals: [{ name: 'file', help: "the table to segment (not with --sample): a file, or a database table 'duckdb:users.db?table=users' or 'postgresql://user@host:5432/db?table=users' (k-means inside the database)", optional: true }],
  flags: {
    sample: { type: 'boolean', help: 'segment the generated users (planted segments) instead of a file' },
    rows: { type: 'integer', value: 'N', min: 1, help: 'with --sample: users generated (default 20000); with a file: read the first N rows only' },
    algorithm: { type: 'string', choices: FIT_ALGORITHMS, help: `clustering algorithm (default ${D.algorithm.value})` },
    k: { type: 'string', value: 'N|auto', help: 'segments; auto (k-means only): k-means for each k on a sample of the rows, a recommendation, then the chosen k on all rows (default auto for kmeans, 5 for agglomerative and spectral)' },
    'k-min': { type: 'integer', value: 'N', min: 1, help: `with --k auto: smallest k tried (default ${D.kMin.value})` },
    'k-max': { type: 'integer', value: 'N', min: 1, help: `with --k auto: largest k tried (default ${D.kMax.value})` },
    'search-rows': { type: 'integer', value: 'N', min: 2, help: `with --k auto: rows sampled for the k search (default ${D.searchRows.value}; all rows when fewer)` },
    'n-init': { type: 'integer', value: 'N', min: 1, help: `kmeans, spectral: k-means runs from different seeds, the best is kept (default ${D.nInit.value})` },
    eps: { type: 'number', value: 'R', min: 0, minInclusive: false, help: `dbscan: neighbourhood radius in standardised features (default ${D.eps.value})` },
    'min-samples': { type: 'integer', value: 'N', min: 1, help: `dbscan: rows within eps that make a core row (default ${D.minSamples.value})` },
    bandwidth: { type: 'number', value: 'H', min: 0, minInclusive: false, help: `meanshift: kernel radius (default: estimated on up to ${D.bandwidthRows.value} rows)` },
    linkage: { type: 'string', choices: ['ward', 'complete', 'average', 'single'], help: `agglomerative: cluster distance (default ${D.linkage.value})` },
    affinity: { type: 'string', choices: ['nearest_neighbors', 'rbf'], help: `spectral: the graph (default ${D.affinity.value})` },
    'n-neighbors': { type: 'integer', value: 'N', min: 1, help: `spectral: neighbours per row of the graph (default ${D.nNeighbors.value})` },
    exclude: { type: 'list', value: 'COL,...', help: 'columns not to use as features' },
    kind: { type: 'list', value: 'COL=KIND,...', help: 'override inferred kinds (number, count, flag, category, range, list, id, text, ...)' },
    'bad-rows': BAD_ROWS_FLAG,
    decimal: DECIMAL_FLAG,
    encoding: ENCODING_FLAG,
    out: { type: 'string', value: 'DIR', help: 'output folder (default ./segments-out)' },
    format: { type: 'string', choices: OUTPUT_FORMATS, help: 'format of the segmented rows (default csv)' },
    'memory-limit': { type: 'string', value: 'SIZE', help: `with a duckdb: address, fitted inside DuckDB: the most memory DuckDB holds in this process before it spills to a temporary folder (default ${DEFAULT_DUCKDB_MEMORY_LIMIT})` },
    pull: { type: 'boolean', help: "with a database address: load the table's rows into memory and run the whole workflow, instead of k-means inside the database" },
  },
  notes: [
    'writes into the output folder: segments.<format> (the input rows with segment and segment_name),',
    'model.json (for `segments predict`), profiles.json, report.html, and bad-rows.csv when rows did not parse.',
    'every default is in the table of README.md ("Defaults"), the same for the library, the CLI and the app.',
    "a database table ('duckdb:users.db?table=users', 'duckdb:data.parquet', 'postgresql://user@host:5432/db?table=users') is fitted inside the database: model.json and fit.json",
    'are written, the rows stay there (label them with `segments sql`); kinds, seeds and the k search use --search-rows sampled rows.',
  ],
};

/** What the fit produced, for the summary and the tests. */
export interface FitSummary {
  /** The input as read: `readNotes` is what the reader noted (the separator sniffed, repeated column names renamed). */
  input: { file: string | null; sample: boolean; rows: number; columns: number; badRows: number; skippedRows: number; nulledCells: number; readNotes: string[] };
  columns: Schema['columns'];
  features: number;
  algorithm: { name: FitAlgorithm; parameters: Record<string, string | number | boolean | null> };
  kSearch: { scores: Array<{ k: number; inertia: number; silhouette: number | null }>; chosen: number; reason: string; rows: number; sampled: boolean } | null;
  backend: { name: string; reason: string };
  metrics: ReportMetric[];
  /**
   * How far the segments can be trusted: separation verdict (silhouette against its thresholds
   * and a uniform reference), stability (adjusted Rand index against a second fit), rows per
   * segment, warnings with their figures, and the note shown beside tentative names.
   */
  structure: StructureCheck & { namesNote: string | null };
  segments: Array<{ id: number; name: string; size: number; share: number; distinctive: string[] }>;
  /** How many training rows `predict` with the saved model puts in another segment than the fit did. */
  predictDisagreements: number;
  /** The saved model read back and applied to this many sampled rows of the file, and how many it placed elsewhere. */
  modelCheck: { sampledRows: number; sampledDisagreements: number };
  notes: string[];
  /** Seconds of each step of the workflow (the whole command, files and report included, is `seconds`). */
  timings: Record<string, number>;
  files: Record<string, string>;
  seconds: number;
}

/** The flag of each workflow option the CLI sets. */
const FLAG_OF: Readonly<Record<string, string>> = {
  kMin: 'k-min',
  kMax: 'k-max',
  searchRows: 'search-rows',
  nInit: 'n-init',
  minSamples: 'min-samples',
  nNeighbors: 'n-neighbors',
  onBadRows: 'bad-rows',
  maxRows: 'rows',
  kinds: 'kind',
};

/** Workflow options read from a number flag, and from a string flag, as [option, flag]. */
const NUMBER_FLAGS = [['kMin', 'k-min'], ['kMax', 'k-max'], ['searchRows', 'search-rows'], ['nInit', 'n-init'], ['eps', 'eps'], ['minSamples', 'min-samples'], ['bandwidth', 'bandwidth'], ['nNeighbors', 'n-neighbors'], ['seed', 'seed']] as const;
const STRING_FLAGS = [['linkage', 'linkage'], ['affinity', 'affinity'], ['backend', 'backend']] as const;

/** The workflow's options from the flags given (only those given: the workflow fills the defaults). */
function optionsFromFlags(ctx: Context, useSample: boolean): SegmentOptions {
  const a = ctx.args;
  const o: Record<string, unknown> = {};
  const set = (key: string, value: unknown): void => {
    if (value !== undefined) o[key] = value;
  };
  set('algorithm', a.string('algorithm'));
  const k = a.string('k');
  if (k !== undefined) {
    const n = Number(k);
    if (k !== 'auto' && (!Number.isInteger(n) || n < 1)) throw new UsageError(`--k: '${k}' is not a positive integer or 'auto'`, 'fit');
    o.k = k === 'auto' ? 'auto' : n;
  }
  for (const [option, flagName] of NUMBER_FLAGS) set(option, a.number(flagName));
  for (const [option, flagName] of STRING_FLAGS) set(option, a.string(flagName));
  if (!useSample) {
    set('onBadRows', a.string('bad-rows'));
    set('maxRows', a.number('rows'));
    set('decimal', a.string('decimal'));
    set('encoding', a.string('encoding'));
  }
  const kinds: Record<string, string> = {};
  for (const item of a.list('kind')) {
    const eq = item.lastIndexOf('=');
    if (eq <= 0) throw new UsageError(`--kind: '${item}' is not column=kind`, 'fit');
    kinds[item.slice(0, eq).trim()] = item.slice(eq + 1).trim();
  }
  if (Object.keys(kinds).length > 0) o.kinds = kinds;
  if (a.list('exclude').length > 0) o.exclude = a.list('exclude');
  return o as SegmentOptions;
}

/** A library ParameterError about an option, as the usage error of its flag. */
function asUsageError(err: unknown): unknown {
  if (!(err instanceof ParameterError) || err.fn !== 'segment') return err;
  const isOption = (name: string): boolean => name in WORKFLOW_DEFAULTS || name in FLAG_OF || name === 'exclude';
  const flag = (name: string): string => `--${FLAG_OF[name] ?? name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  const message = err.message
    .replace(/^segment: /, '')
    // 'nInit' → --n-init, anywhere; a leading `nInit=3 ...` → `--n-init 3 ...`.
    .replace(/'([a-zA-Z]+)'/g, (whole, name: string) => (isOption(name) ? flag(name) : whole))
    .replace(/^([a-zA-Z]+)(=|: )/, (whole, name: string, sep: string) => (isOption(name) ? `${flag(name)}${sep === '=' ? ' ' : sep}` : whole));
  return new UsageError(message, 'fit');
}

/** The progress line: share done, time left, what is being done. */
function progressLine(p: SegmentProgress): string {
  const left = p.secondsLeft === null ? '' : p.secondsLeft < 1 ? ', <1 s left' : `, ~${p.secondsLeft < 90 ? `${Math.round(p.secondsLeft)} s` : `${Math.round(p.secondsLeft / 60)} min`} left`;
  return `[${Math.floor(100 * p.fraction)} %${left}] ${p.message}`;
}

/**
 * Makes the output folder (or checks it is one, writable), before any work.
 * @throws UsageError naming --out when it cannot be used.
 */
async function prepareOutDir(outDir: string): Promise<void> {
  try {
    const s = await stat(outDir).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? null : Promise.reject(e)));
    if (s !== null && !s.isDirectory()) throw new UsageError(`--out ${outDir}: exists and is not a folder`, 'fit');
    await mkdir(outDir, { recursive: true });
    const probe = join(outDir, `.segments-write-check-${process.pid}`);
    await writeFile(probe, '');
    await rm(probe);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`--out ${outDir}: cannot write there (${(err as NodeJS.ErrnoException).code ?? firstLine(String(err))})`, 'fit');
  }
}

/** Files of an earlier `segments fit` that this run does not write and would otherwise leave beside the new ones. */
const EARLIER_OUTPUTS = ['bad-rows.csv', ...OUTPUT_FORMATS.map((f) => `segments.${f}`)];

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

/** Writes `write`'s file to a temporary name beside `path`, then renames it to `path`. */
async function atomically(path: string, write: (tmp: string) => Promise<void>, written: string[]): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  written.push(tmp);
  await write(tmp);
}

/** Runs `segments fit`. */
export async function fitCommand(ctx: Context): Promise<FitSummary> {
  const t0 = performance.now();
  const useSample = ctx.args.bool('sample');
  const file = ctx.args.positionals[0];
  if (useSample && file !== undefined) throw new UsageError(`give a file or --sample, not both (got '${file}' and --sample)`, 'fit');
  if (!useSample && file === undefined) throw new UsageError('missing argument <file> (or --sample)', 'fit');
  if (ctx.args.bool('pull') && !isDatabaseAddress(file ?? '')) throw new UsageError("--pull applies to a database table ('duckdb:users.db?table=users', 'postgresql://user@host:5432/db?table=users'), not to a file or --sample", 'fit');
  for (const flag of ['bad-rows', 'decimal', 'encoding']) {
    if (useSample && ctx.args.has(flag)) throw new UsageError(`--${flag} applies to a file, not to --sample`, 'fit');
  }
  const outDir = ctx.args.string('out') ?? 'segments-out';
  const format: OutputFormat = (ctx.args.string('format') as OutputFormat | undefined) ?? 'csv';
  const options = optionsFromFlags(ctx, useSample);
  try {
    resolveOptions(options);
  } catch (err) {
    throw asUsageError(err);
  }
  await prepareOutDir(outDir);
  // The report's charts are drawn on a second thread, which loads its renderer while this one works.
  const reportThread = startReportThread();

  // Ctrl-C cancels the run: the workflow stops at its next step and nothing is written.
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  const temporary: string[] = [];
  try {
    // The file as it was when read: its rows are copied from it verbatim into a CSV output only if it has not changed since.
    const readFile = format === 'csv' && file !== undefined && !isDatabaseAddress(file);
    const fileBefore = readFile ? await stat(file).catch(() => null) : null;
    let r: Segmentation;
    // The report's figures are gathered as soon as the segments are profiled and handed to its
    // thread, which draws their charts while the metrics are computed; the metrics follow, and
    // the thread finishes the report while the model is checked and the rows are written.
    const drawing: { html?: Promise<string> } = {};
    try {
      r = await segment(useSample ? { sample: { rows: ctx.args.number('rows') ?? 20_000 } } : (file as string), {
        ...options,
        ...(readFile ? { recordRanges: true } : {}),
        signal: controller.signal,
        onProgress: (p) => ctx.progress.update(progressLine(p)),
        onWarning: (m) => noteWarning(ctx, m),
        onProfiles: async (profiled) => {
          await reportThread.prepare(profiled, { onWarning: (m) => noteWarning(ctx, m) });
        },
        onSegments: async (found) => {
          drawing.html = (await reportThread.begin(found, { onWarning: (m) => noteWarning(ctx, m) })).html;
        },
      });
    } catch (err) {
      throw cliError(err, file ?? '', options.onBadRows ?? 'fail');
    }
    const readReport = r.readReport;
    if (readReport !== null) noteRead(ctx, r.input.name, readReport, options.onBadRows ?? 'fail');
    if (!ctx.json) {
      ctx.progress.clear();
      ctx.io.out(`${r.input.name}: ${r.input.rows} rows, ${r.input.columns} columns`);
      for (const line of describeSchema(r.schema)) ctx.io.out(`  ${line}`);
      ctx.io.out('');
    }

    // The files: each to a temporary name, renamed once all are written (the report is being drawn
    // meanwhile: segment() told onSegments before it returned).
    const html = drawing.html as Promise<string>;
    const files: Record<string, string> = {};
    const rowsPath = join(outDir, `segments.${format}`);
    ctx.progress.update(`writing ${rowsPath}`);
    const nameOf = (id: number): string => r.names.get(id) ?? r.model.segmentName(id);
    const verbatim = fileBefore === null ? null : await verbatimRows(r, file as string, fileBefore);
    if (verbatim !== null) {
      const cells = new Map<number, string[]>();
      for (const id of new Set(r.labels)) cells.set(id, [String(id), nameOf(id)]);
      const appended = { names: ['segment', 'segment_name'], keys: r.labels, cells };
      await atomically(rowsPath, async (tmp) => void (await writeCsvRecords(file as string, verbatim.ranges, appended, tmp, { delimiter: verbatim.delimiter })), temporary);
    } else {
      await atomically(rowsPath, (tmp) => writeRows(withSegments(r.table, { segments: r.labels, names: Array.from(r.labels, nameOf), distances: r.distances }), tmp, format), temporary);
    }
    files.rows = rowsPath;
    files.model = join(outDir, 'model.json');
    await atomically(files.model, (tmp) => writeFile(tmp, stringifyModel(r.model), 'utf8'), temporary);
    files.profiles = join(outDir, 'profiles.json');
    await atomically(files.profiles, (tmp) => writeFile(tmp, `${JSON.stringify(r.profiles, null, 2)}\n`, 'utf8'), temporary);
    if (readReport !== null && readReport.badRowCount > 0) {
      files.badRows = join(outDir, 'bad-rows.csv');
      await atomically(files.badRows, (tmp) => writeRows(badRowsTable(readReport), tmp, 'csv'), temporary);
    }
    ctx.progress.update('building report.html');
    files.report = join(outDir, 'report.html');
    const drawn = await html;
    await atomically(files.report, (tmp) => writeFile(tmp, drawn, 'utf8'), temporary);
    throwIfCancelled(controller.signal, 'fit');
    // Everything is written: rename into place, and remove what an earlier run left that this one did not write.
    for (const path of Object.values(files)) await rename(`${path}.tmp-${process.pid}`, path);
    temporary.length = 0;
    const ours = new Set(Object.values(files).map((f) => f.slice(outDir.length + 1)));
    const removed: string[] = [];
    for (const name of await readdir(outDir)) {
      if (EARLIER_OUTPUTS.includes(name) && !ours.has(name)) {
        await rm(join(outDir, name));
        removed.push(name);
      }
    }
    if (removed.length > 0) ctx.note(`removed ${removed.join(', ')} left in ${outDir} by an earlier run`);
    ctx.progress.clear();

    const summary = summaryOf(r, file ?? null, useSample, files, (performance.now() - t0) / 1000);
    if (readReport !== null && readReport.badRowCount > 0 && files.badRows) {
      const listed = readReport.badRows.length < readReport.badRowCount ? ` (the first ${readReport.badRows.length} listed)` : '';
      ctx.note(`${readReport.badRowCount} bad row(s) of ${r.input.name} are listed in ${files.badRows}${listed}`);
    }
    if (ctx.json) ctx.io.out(JSON.stringify(summary, null, 2));
    else printSummary(ctx, summary, r);
    return summary;
  } finally {
    process.removeListener('SIGINT', onSigint);
    await reportThread.close();
    for (const tmp of temporary) await rm(tmp, { force: true });
  }
}

/**
 * The rows' records in the input file, when segments.csv can be the file's own records with the
 * two columns appended: the table segment() returned must be exactly the file's records in
 * order (a CSV read as UTF-8, no cell nulled, no rows dropped after reading, the header's own
 * names, no segment column of an earlier run that withSegments would drop, the file unchanged
 * since). Null otherwise: the rows are then written from the table.
 */
async function verbatimRows(r: Segmentation, file: string, before: { size: number; mtimeMs: number }): Promise<{ ranges: RecordRanges; delimiter: string } | null> {
  const report = r.readReport;
  const ranges = report?.recordRanges;
  if (report === null || ranges === undefined || report.format !== 'csv' || report.encoding !== 'utf-8' || report.delimiter === undefined) return null;
  if (report.nulledCells > 0 || ranges.header === null || ranges.namesChanged) return null;
  if (ranges.starts.length !== r.table.numRows || r.labels.length !== r.table.numRows) return null;
  if (r.table.schema.fields.some((f) => SEGMENT_COLUMNS.includes(f.name))) return null;
  const now = await stat(file).catch(() => null);
  if (now === null || now.size !== before.size || now.mtimeMs !== before.mtimeMs) return null;
  return { ranges, delimiter: report.delimiter };
}

/** A reader's error told with the file and the flag that goes on past bad rows; an option's error as its flag's. */
function cliError(err: unknown, path: string, onBadRows: string): unknown {
  // A data problem found after reading (a value too large, no column left) is told with the file.
  if (err instanceof DataError && path !== '' && (err.fn === 'Pipeline.fit' || (err.fn === 'segment' && err.column !== undefined))) {
    const hint = err.argument === 'onBadRows' ? '; use --bad-rows skip or --bad-rows null to go on' : '';
    return withDetail(err, `${path}: ${userMessage(err)}${hint}`);
  }
  return asUsageError(readError(err, path, onBadRows));
}

function summaryOf(r: Segmentation, file: string | null, sample: boolean, files: Record<string, string>, seconds: number): FitSummary {
  const report = r.readReport;
  return {
    input: {
      file,
      sample,
      rows: r.input.rows,
      columns: r.input.columns,
      badRows: report?.badRowCount ?? 0,
      skippedRows: report?.skippedRows ?? 0,
      nulledCells: report?.nulledCells ?? 0,
      readNotes: r.readNotes,
    },
    columns: r.schema.columns,
    features: r.output.featureNames.length,
    algorithm: { name: r.algorithm.id, parameters: r.algorithm.parameters },
    kSearch:
      r.search === null
        ? null
        : {
            scores: r.search.scores.map((s) => ({ k: s.k, inertia: s.inertia, silhouette: s.silhouette })),
            chosen: r.search.recommended.k,
            reason: r.search.recommended.reason,
            rows: r.search.search.rows,
            sampled: r.search.search.sampled,
          },
    backend: { name: r.fit.result.backend, reason: r.backend.reason },
    metrics: r.metrics.metrics,
    structure: { ...r.structure, namesNote: tentativeNote(r.structure) },
    segments: [...r.profiles.segments, ...(r.profiles.noise === null ? [] : [r.profiles.noise])].map((s) => ({
      id: s.id,
      name: s.name,
      size: s.size,
      share: s.share,
      distinctive: s.distinctive.map((f) => f.phrase),
    })),
    predictDisagreements: r.modelCheck.disagreements,
    modelCheck: { sampledRows: r.modelCheck.sampledRows, sampledDisagreements: r.modelCheck.sampledDisagreements },
    notes: r.notes,
    timings: Object.fromEntries(r.timings.map((t) => [t.step, Number(t.seconds.toFixed(3))])),
    files,
    seconds,
  };
}

function printSummary(ctx: Context, s: FitSummary, r: Segmentation): void {
  const out = ctx.io.out;
  const params = Object.entries(s.algorithm.parameters).map(([k, v]) => `${k}=${String(v)}`).join(' ');
  const log1p = r.output.report.log1p;
  out(`features: ${s.features} from ${r.output.columns.length} columns${log1p.length > 0 ? ` (log1p: ${log1p.join(', ')})` : ''}`);
  out(`backend: ${s.backend.name} (${s.backend.reason})`);
  if (s.kSearch !== null) {
    out('');
    out(`k search (k-means for each k on ${s.kSearch.sampled ? `${s.kSearch.rows} sampled rows` : `all ${s.kSearch.rows} rows`}):`);
    for (const line of textTable(
      ['k', 'inertia', 'silhouette'],
      s.kSearch.scores.map((p) => [String(p.k), p.inertia.toFixed(1), p.silhouette === null ? '-' : p.silhouette.toFixed(3)]),
    )) out(`  ${line}`);
    out(`  chosen: ${s.kSearch.reason}`);
  }
  out('');
  out(`${r.algorithm.label}: ${params}`);
  out(`structure: ${structureSummary(s.structure)}`);
  for (const w of s.structure.warnings) out(`warning: ${w.message}`);
  for (const line of textTable(
    ['id', s.structure.tentative ? 'segment (tentative)' : 'segment', 'rows', 'share', 'what sets it apart'],
    s.segments.map((g) => [String(g.id), g.name, String(g.size), `${(100 * g.share).toFixed(1)} %`, g.distinctive.slice(0, 3).join('; ')]),
  )) out(`  ${line}`);
  if (s.structure.namesNote !== null) out(`  (${s.structure.namesNote})`);
  out('');
  for (const m of s.metrics) out(`${m.name.padEnd(22)} ${m.value.toFixed(4)}${m.note ? `  (${m.note})` : ''}`);
  for (const note of s.notes) out(`note: ${note}`);
  if (s.predictDisagreements > 0 || r.predictNote !== null) {
    out(`predict with model.json puts ${s.predictDisagreements} of ${s.input.rows} training rows in another segment${r.predictNote !== null ? `: ${r.predictNote}` : ''}`);
  }
  out('');
  out(`wrote ${Object.values(s.files).join(', ')} in ${s.seconds.toFixed(1)} s`);
}
