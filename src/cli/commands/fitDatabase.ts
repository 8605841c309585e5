// SPDX-License-Identifier: MIT
/**
 * `segments fit 'duckdb:users.db?table=users'` or `segments fit
 * 'postgresql://user@host:5432/db?table=users'`: k-means inside the database (src/db/fit.ts), the rows
 * staying in the database; writes model.json (the same format as a fit from a file: `segments
 * predict` and `segments sql` take it), profiles.json (the segments profiled and named from
 * every row, by SQL), report.html (each chart from every row by SQL, or from the sample where
 * SQL aggregates do not give it, and saying which) and fit.json (the metrics, each saying what it was computed on, and the timings) into
 * the output folder, and prints how to label the rows in the
 * database with `segments sql`. `--pull` loads the rows into memory and runs the whole
 * workflow instead (fit.ts), for tables that fit.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ColumnKind } from '../../data/schema.js';
import { fitInDatabase, type DbFitMetrics } from '../../db/fit.js';
import { describeAddress } from '../../db/open.js';
import { hidePassword } from '../../db/postgres.js';
import { stringifyModel } from '../../model/file.js';
import type { ReportInput } from '../../report/types.js';
import { applyOverrides } from '../../workflow/overrides.js';
import { UsageError } from '../args.js';
import type { Context } from '../context.js';
import { noteWarning, startBackend, textTable } from './common.js';
import { FIT_SPEC } from './fit.js';

/** The `fit` flags that apply to a fit inside the database. */
const DB_FLAGS = new Set(['k', 'k-min', 'k-max', 'search-rows', 'seed', 'exclude', 'kind', 'out', 'backend', 'pull', 'algorithm', 'memory-limit']);

/** What `segments fit duckdb:… --json` (or postgresql://…) prints. */
export interface DbFitSummary {
  input: { address: string; rows: number; sampleRows: number };
  k: number;
  kReason: string;
  metrics: DbFitMetrics;
  iterations: { count: number; converged: boolean; secondsEach: number[] };
  segments: Array<{ id: number; name: string; size: number }>;
  timings: Record<string, number>;
  files: Record<string, string>;
}

/** Runs `segments fit <database address>` without --pull. */
export async function fitDatabaseCommand(ctx: Context): Promise<DbFitSummary> {
  const input = ctx.args.positionals[0];
  // The address as printed and written to fit.json: without a password.
  const address = hidePassword(input);
  for (const flag of Object.keys(FIT_SPEC.flags)) {
    if (ctx.args.has(flag) && !DB_FLAGS.has(flag)) throw new UsageError(`--${flag} does not apply to a fit inside the database; add --pull to load the rows into memory and use it`, 'fit');
  }
  const algorithm = ctx.args.string('algorithm');
  if (algorithm !== undefined && algorithm !== 'kmeans') throw new UsageError(`--algorithm ${algorithm}: inside the database only kmeans runs; add --pull to load the rows into memory`, 'fit');
  const kFlag = ctx.args.string('k');
  const k = kFlag === undefined || kFlag === 'auto' ? 'auto' : Number(kFlag);
  if (k !== 'auto' && !(Number.isInteger(k) && k >= 1)) throw new UsageError(`--k: '${kFlag}' is not a positive integer or 'auto'`, 'fit');
  const kinds: Record<string, ColumnKind> = {};
  for (const item of ctx.args.list('kind')) {
    const eq = item.lastIndexOf('=');
    if (eq <= 0) throw new UsageError(`--kind: '${item}' is not column=kind`, 'fit');
    kinds[item.slice(0, eq).trim()] = item.slice(eq + 1).trim() as ColumnKind;
  }
  const exclude = ctx.args.list('exclude');
  const outDir = ctx.args.string('out') ?? 'segments-out';
  const where = describeAddress(input);
  await startBackend(ctx);
  ctx.progress.update(`fitting inside ${address}`);
  const memoryLimit = ctx.args.string('memory-limit');
  if (memoryLimit !== undefined && where.dialect !== 'duckdb') throw new UsageError('--memory-limit applies to a DuckDB table (DuckDB runs in this process; a PostgreSQL server has its own settings)', 'fit');
  const fit = await fitInDatabase(input, {
    ...(memoryLimit === undefined ? {} : { duckdb: { memoryLimit } }),
    k,
    ...(ctx.args.number('k-min') === undefined ? {} : { kMin: ctx.args.number('k-min') }),
    ...(ctx.args.number('k-max') === undefined ? {} : { kMax: ctx.args.number('k-max') }),
    ...(ctx.args.number('search-rows') === undefined ? {} : { sampleRows: ctx.args.number('search-rows') }),
    ...(ctx.args.number('seed') === undefined ? {} : { seed: ctx.args.number('seed') }),
    report: true,
    editSchema: (schema, sample) => applyOverrides(schema, sample, kinds, exclude),
    onWarning: (m) => noteWarning(ctx, m),
    onIteration: (i, s) => ctx.progress.update(`Lloyd iteration ${i} inside the database (${s.toFixed(2)} s)`),
  });
  await mkdir(outDir, { recursive: true });
  const files = { model: join(outDir, 'model.json'), profiles: join(outDir, 'profiles.json'), report: join(outDir, 'report.html'), fit: join(outDir, 'fit.json') };
  const l = fit.lloyd;
  const summary: DbFitSummary = {
    input: { address, rows: fit.rows, sampleRows: fit.sampleRows },
    k: l.centroids.rows,
    kReason: fit.kReason,
    metrics: fit.metrics,
    iterations: { count: l.nIter, converged: l.converged, secondsEach: l.iterationSeconds },
    segments: fit.model.segments.map((s) => ({ id: s.id, name: s.name, size: s.size })),
    timings: fit.timings,
    files,
  };
  await writeFile(files.model, stringifyModel(fit.model));
  ctx.progress.update('building report.html');
  // Vega loads here, not with the CLI: `segments fit FILE` draws its report on a worker thread.
  const { renderReport } = await import('../../report/renderReport.js');
  await writeFile(files.report, await renderReport(fit.report as ReportInput, { onWarning: (m) => noteWarning(ctx, m) }), 'utf8');
  await writeFile(files.fit, `${JSON.stringify(summary, null, 2)}\n`);
  await writeFile(files.profiles, `${JSON.stringify({ computedOn: `every one of the ${fit.rows} rows, by SQL inside the database`, ...fit.profiles }, null, 2)}\n`);
  ctx.progress.clear();
  if (ctx.json) {
    ctx.io.out(JSON.stringify(summary, null, 2));
    return summary;
  }
  const m = fit.metrics;
  const fmt = (v: number | null): string => (v === null ? '—' : v.toPrecision(4));
  ctx.io.out(`${address}: ${fit.rows} rows, fitted inside ${where.dialect === 'duckdb' ? 'DuckDB' : 'PostgreSQL'} (the rows stayed there); kinds, seeds${k === 'auto' ? ', the k search' : ''} from a sample of ${fit.sampleRows} rows`);
  ctx.io.out(`k: ${fit.kReason}`);
  ctx.io.out(`Lloyd: ${l.nIter} iterations (${l.converged ? 'converged' : 'not converged'}), ${(l.iterationSeconds.reduce((a, b) => a + b, 0) / Math.max(1, l.iterationSeconds.length)).toFixed(3)} s each`);
  ctx.io.out(`metrics: inertia ${fmt(m.inertia)}, Calinski-Harabasz ${fmt(m.calinskiHarabasz)}, Davies-Bouldin ${fmt(m.daviesBouldin)} (every row, by SQL); silhouette ${fmt(m.silhouetteOnSample)} (on the sample)`);
  ctx.io.out('');
  for (const line of textTable(
    ['segment', 'name', 'rows', 'share'],
    summary.segments.map((s) => [String(s.id), s.name, String(s.size), `${((100 * s.size) / fit.rows).toFixed(1)} %`]),
  ))
    ctx.io.out(line);
  ctx.io.out('');
  ctx.io.out(`names and profiles from every row, by SQL`);
  ctx.io.out(`wrote ${files.model}, ${files.profiles}, ${files.report} and ${files.fit}`);
  ctx.io.out(`label the rows inside the database: segments sql ${files.model} --dialect ${where.dialect} --table ${where.table}`);
  return summary;
}
