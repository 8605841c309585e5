// SPDX-License-Identifier: MIT
/**
 * `npm run bench:db`: k-means where the data lives. The generated users of bench:job (the same
 * CSV, cached) are loaded once into a DuckDB file; then, each in its own process, one after the
 * other: ours fitting k inside DuckDB (`segments fit 'duckdb:FILE?table=users' --k K
 * --memory-limit L`: the rows stay in the database, each Lloyd iteration one GROUP BY), once per
 * DuckDB memory limit; ours fitting k inside PostgreSQL (a server started by the bench as the
 * tests start one, test/helpers/postgres.ts, the CSV loaded by COPY; `segments fit
 * 'postgresql://…?table=users' --k K`); ours fitting the same k in memory from the CSV
 * (`segments fit FILE --k K`, the whole job: files and report included); and the pandas +
 * scikit-learn notebook at that k (bench/job_notebook.py --k-min K --k-max K). Wall time, CPU,
 * peak RSS of our process (for PostgreSQL the server's memory is not in it), and from the
 * in-database fits their seconds per Lloyd iteration. Results go to bench/results/db-<stamp>.{json,md}.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { join, relative } from 'node:path';
import { runChild, type ChildOutcome } from './child.js';
import { git, ROOT, runMain, stamp, uptime, writeResults } from './common.js';
import { parseFlags, UsageError } from './flags.js';
import { buildInstall } from './install.js';
import { CACHE_DIR, ensureJobData, jobStem, type JobSpec } from './jobData.js';
import { loadCsvIntoPostgres } from '../test/helpers/databases.js';
import { findPostgres, startPostgres } from '../test/helpers/postgres.js';

const HELP = `npm run bench:db -- [--sizes 1000000] [--k 5] [--limits 512MB,default] [--postgres-max 1000000] [--no-memory] [--no-notebook] [--python /usr/bin/python3]

  --sizes N[,N]        generated users per run (default 1000000)
  --k K                segments, the same for every side (default 5)
  --limits L[,L]       DuckDB's memory_limit for the in-DuckDB fit, one side each (default 512MB,default:
                       ours, then DuckDB's own default of 80% of RAM)
  --postgres-max N     fit inside PostgreSQL (a server the bench starts) for sizes up to N (default 1000000; 0: never)
  --no-memory          leave out our in-memory fit
  --no-notebook        leave out the pandas + scikit-learn side
`;
const INSTALL = join(CACHE_DIR, 'db-install');

interface Side {
  /** What ran, in words. */
  label?: string;
  status: 'ok' | 'error' | 'timeout';
  reason?: string;
  wallMs: number;
  cpuMs: number | null;
  peakRssBytes: number | null;
}

function side(p: ChildOutcome): Side {
  const base = { wallMs: p.processMs, cpuMs: p.cpuMs, peakRssBytes: p.polledPeakRssBytes };
  if (p.timedOut) return { ...base, status: 'timeout', reason: 'killed at the time limit' };
  if (p.exitCode !== 0) return { ...base, status: 'error', reason: `exit ${p.exitCode ?? p.signal}: ${p.stderrTail.trim().split('\n').slice(-3).join(' ').slice(0, 300)}` };
  return { ...base, status: 'ok' };
}

/** Loads the CSV into a DuckDB file once (cached beside it), under a temporary name renamed when done. */
async function ensureDuckDb(csv: string, stem: string): Promise<string> {
  const file = join(CACHE_DIR, `${stem}.duckdb`);
  if (existsSync(file)) return file;
  const tmp = `${file}.tmp`;
  rmSync(tmp, { force: true });
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(tmp);
  const c = await db.connect();
  await c.run(`CREATE TABLE users AS SELECT * FROM read_csv('${csv.replaceAll("'", "''")}', header = true)`);
  c.closeSync();
  db.closeSync();
  renameSync(tmp, file);
  return file;
}

const run = (command: string, args: string[], label: string): Promise<ChildOutcome> => runChild(command, args, { env: process.env, cwd: ROOT, timeoutMs: 20 * 60_000, label, pollMs: 100 });

/** Seconds per Lloyd iteration (the median), their count and the fit's steps' seconds, from a fit inside a database's fit.json. */
function iterationsOf(dir: string): Iterations {
  const j = JSON.parse(readFileSync(join(dir, 'fit.json'), 'utf8')) as { iterations: { count: number; converged: boolean; secondsEach: number[] }; timings: Record<string, number> };
  const each = [...j.iterations.secondsEach].sort((a, b) => a - b);
  return { count: j.iterations.count, converged: j.iterations.converged, medianSeconds: each[Math.floor(each.length / 2)], stepSeconds: j.timings };
}

interface Iterations {
  count: number;
  medianSeconds: number;
  converged: boolean;
  /** Seconds of each step of the fit: pipeline, features, seeding, lloyd, metrics, profiles, report. */
  stepSeconds: Record<string, number>;
}

type DbSide = Side & { iterations: Iterations | null };

/** The steps a fit inside a database times (src/db/fit.ts, DbFit.timings), in their order. */
const STEPS = ['pipeline', 'features', 'seeding', 'lloyd', 'metrics', 'profiles', 'report'] as const;

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const bare = ['--no-notebook', '--no-memory'];
  const f = parseFlags(argv.filter((a) => !bare.includes(a)));
  if (f.has('help')) {
    process.stdout.write(HELP);
    return;
  }
  const sizes = f.ints('sizes', [1e6]);
  const k = f.int('k', 5);
  if (!(k >= 2)) throw new UsageError(`--k=${k} must be at least 2`);
  // DuckDB's own default memory_limit is 80% of RAM (https://duckdb.org/docs/stable/configuration/overview).
  const duckDefault = `${Math.floor((0.8 * os.totalmem()) / 2 ** 20)}MiB`;
  const limits = f.list('limits', ['512MB', 'default']).map((l) => (l === 'default' ? duckDefault : l));
  const postgresMax = f.int('postgres-max', 1e6);
  const python = f.str('python') ?? '/usr/bin/python3';
  const notebook = !argv.includes('--no-notebook');
  const memory = !argv.includes('--no-memory');
  const log = (m: string): void => void process.stderr.write(`${m}\n`);
  const startedAt = new Date();
  // The commit built, read before the build (the tree may move on while the bench runs).
  const commit = git(['rev-parse', 'HEAD']);
  const dirty = git(['status', '--porcelain', '--untracked-files=no', 'src']) !== '';
  const build = buildInstall(INSTALL, log);
  const bin = join(INSTALL, 'bin', 'segments.js');
  const rows: Array<Record<string, unknown>> = [];
  for (const n of sizes) {
    const spec: JobSpec = { rows: n, seed: 42, missing: 0.05 };
    const { files } = await ensureJobData(spec);
    log(`${n} rows: loading ${relative(ROOT, files.csv)} into DuckDB (once, cached)`);
    const dbFile = await ensureDuckDb(files.csv, jobStem(spec));
    const out = join(CACHE_DIR, 'db-out');
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    const before = uptime();
    const inDb: DbSide[] = [];
    for (const [i, limit] of limits.entries()) {
      log(`${n} rows: in DuckDB, memory_limit ${limit} (${uptime()})`);
      const dir = join(out, `db${i}`);
      const fit = side(await run(process.execPath, [bin, 'fit', `duckdb:${dbFile}?table=users`, '--k', String(k), '--memory-limit', limit, '--out', dir, '--quiet'], 'in DuckDB'));
      inDb.push({ ...fit, label: `in DuckDB, memory_limit ${limit === duckDefault ? `${limit} (DuckDB's default, 80% of RAM)` : limit}`, iterations: fit.status === 'ok' ? iterationsOf(dir) : null });
    }
    let pg: (DbSide & { loadSeconds: number }) | null = null;
    const bins = findPostgres();
    if (n <= postgresMax && 'bin' in bins) {
      log(`${n} rows: starting PostgreSQL and loading the CSV (COPY)`);
      const server = await startPostgres(bins.bin);
      try {
        const t = performance.now();
        await loadCsvIntoPostgres(server.client, files.csv, 'users', { copy: true });
        await server.client.query('VACUUM ANALYZE users');
        const loadSeconds = (performance.now() - t) / 1000;
        log(`${n} rows: in PostgreSQL (${uptime()})`);
        const dir = join(out, 'pg');
        const fit = side(await run(process.execPath, [bin, 'fit', `postgresql://postgres@127.0.0.1:${server.port}/postgres?table=users`, '--k', String(k), '--out', dir, '--quiet'], 'in PostgreSQL'));
        pg = { ...fit, label: 'in PostgreSQL 15 (server started by the bench; its memory not counted)', iterations: fit.status === 'ok' ? iterationsOf(dir) : null, loadSeconds };
      } finally {
        await server.stop();
      }
    } else if (n <= postgresMax) log(`${n} rows: no PostgreSQL side: ${(bins as { missing: string }).missing}`);
    let inMemory: Side | null = null;
    if (memory) {
      log(`${n} rows: in memory`);
      inMemory = side(await run(process.execPath, [bin, 'fit', files.csv, '--k', String(k), '--out', join(out, 'memory'), '--quiet'], 'in memory'));
    }
    let nb: Side | null = null;
    if (notebook) {
      log(`${n} rows: notebook`);
      nb = side(await run(python, [join(ROOT, 'bench', 'job_notebook.py'), '--csv', files.csv, '--out', join(out, 'notebook'), '--k-min', String(k), '--k-max', String(k)], 'notebook'));
    }
    rows.push({ rows: n, csvBytes: statSync(files.csv).size, dbBytes: statSync(dbFile).size, inDatabase: inDb, inPostgres: pg, inMemory, notebook: nb, uptimeBefore: before, uptimeAfter: uptime() });
  }
  const results = {
    schema: 1,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    command: `npm run bench:db -- ${argv.join(' ')}`.trim(),
    config: { sizes, k, limits, postgresMax, memory, notebook, python },
    machine: { cpuModel: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, nodeVersion: process.versions.node },
    source: { commit: dirty ? `${commit} with uncommitted changes in src/` : commit, build },
    sizes: rows,
  };
  const s = (ms: number | undefined): string => (ms === undefined ? '–' : (ms / 1000).toFixed(1));
  const mb = (b: number | null | undefined): string => (b == null ? '–' : `${Math.round(b / 2 ** 20)}`);
  const cell = (x: Side | null): string => (x === null ? '| – | – | – |' : x.status !== 'ok' ? `| ${x.status}: ${x.reason ?? ''} | | |` : `| ${s(x.wallMs)} | ${x.cpuMs === null ? '–' : s(x.cpuMs)} | ${mb(x.peakRssBytes)} |`);
  const md = [
    '# k-means where the data lives: inside DuckDB and PostgreSQL, in memory, and the notebook, at the same k',
    '',
    `${results.startedAt}, ${results.machine.cpuModel}, ${results.machine.cores} cores, Node ${results.machine.nodeVersion}. Source: ${results.source.commit ?? 'no git'}; build: ${build}. k = ${k} on every side.`,
    '',
    'In DuckDB: `segments fit duckdb:FILE?table=users --k K --memory-limit L` (statistics, Lloyd iterations, metrics and the profiles of every row by SQL; kinds, seeds and silhouette on a 10,000-row sample; writes model.json, profiles.json, report.html, fit.json); in PostgreSQL the same with `postgresql://…?table=users`. In memory: `segments fit FILE.csv --k K` (every file and the report). Notebook: bench/job_notebook.py with k fixed (read_csv, preprocessing, KMeans(k, n_init=4), silhouette on 4,000 rows, groupby, to_csv).',
    '',
    '| rows | side | wall (s) | CPU (s) | peak RSS (MB) |',
    '|--:|---|--:|--:|--:|',
    ...rows.flatMap((r) => {
      const its = (d: DbSide): string => (d.iterations === null ? '' : ` (${d.iterations.count} Lloyd iterations${d.iterations.converged ? '' : ', not converged'}, median ${d.iterations.medianSeconds.toFixed(2)} s each)`);
      const pg = r.inPostgres as (DbSide & { loadSeconds: number }) | null;
      return [
        ...(r.inDatabase as DbSide[]).map((d, i) => `| ${i === 0 ? (r.rows as number).toLocaleString('en-US') : ''} | ${d.label ?? ''}${its(d)} ${cell(d)}`),
        ...(pg === null ? [] : [`| | ${pg.label ?? ''}${its(pg)}; COPY of the CSV ${pg.loadSeconds.toFixed(1)} s before, not counted ${cell(pg)}`]),
        ...(r.inMemory === null ? [] : [`| | in memory ${cell(r.inMemory as Side)}`]),
        ...(r.notebook === null ? [] : [`| | notebook ${cell(r.notebook as Side)}`]),
      ];
    }),
    '',
    'Steps of each fit inside a database (seconds, from its fit.json): pipeline statistics, stored features (with the profiled cells beside them), seeding or the choice of k on the sample, Lloyd, metrics, profiles (every row labelled from the stored features and profiled by SQL), report.',
    '',
    `| rows | side | ${STEPS.join(' | ')} |`,
    `|--:|---|${STEPS.map(() => '--:').join('|')}|`,
    ...rows.flatMap((r) => {
      const sides = [...(r.inDatabase as DbSide[]), ...(r.inPostgres === null ? [] : [r.inPostgres as DbSide])].filter((d) => d.iterations !== null);
      return sides.map((d, i) => `| ${i === 0 ? (r.rows as number).toLocaleString('en-US') : ''} | ${d.label ?? ''} | ${STEPS.map((k) => (d.iterations?.stepSeconds[k] ?? NaN).toFixed(1)).join(' | ')} |`);
    }),
    '',
    ...rows.map((r) => `Load (\`uptime\`) before and after ${(r.rows as number).toLocaleString('en-US')} rows: \`${r.uptimeBefore as string}\`, \`${r.uptimeAfter as string}\`.`),
    '',
  ].join('\n');
  const name = `db-${stamp(startedAt)}`;
  writeResults(join(ROOT, 'bench', 'results'), name, results, md);
  process.stdout.write(md);
  log(`bench:db: wrote bench/results/${name}.{json,md}`);
}

runMain('bench:db', HELP, main);
