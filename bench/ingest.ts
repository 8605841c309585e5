// SPDX-License-Identifier: MIT
/**
 * `npm run bench:ingest`: from a generated CSV of 10^6 users to the float32 feature matrix, ours
 * (readTable → inferKinds → Pipeline.fit → transform) against pandas.read_csv plus the equivalent
 * scikit-learn ColumnTransformer (bench/ingest_pandas.py), and the generator's write speed to
 * CSV, Arrow and Parquet with reading Arrow and Parquet back. Every measurement runs in its own
 * child process, one at a time, with its time and peak RSS. Writes
 * bench/results/ingest-<date>[-tag].{json,md}. See bench/README.md.
 */
import { existsSync, mkdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runChild, type ChildOutcome } from './child.js';
import { parseFlags, UsageError } from './flags.js';
import { CACHE_DIR, ingestCsvPath, ingestStem, ingestWritePath, type IngestSpec } from './ingestData.js';
import { git, runMain, stamp, writeResults } from './common.js';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(BENCH_DIR);

const HELP = `npm run bench:ingest -- [options]

  --rows 1e6                   rows of the generated CSV
  --seed 7  --missing 0.05     the generator's seed and share of missing cells
  --no-sklearn                 ours only
  --no-write                   skip the write (CSV, Arrow, Parquet) and read-back measurements
  --python /usr/bin/python3    the interpreter with pandas and scikit-learn
  --threads N                  OMP/OPENBLAS/MKL_NUM_THREADS for Python (default: cores)
  --max-minutes 20             time limit per task
  --out bench/results          where results go
  --tag NAME                   appended to the file names
`;

interface Config {
  spec: IngestSpec;
  sklearn: boolean;
  write: boolean;
  python: string;
  threads: number;
  maxMinutes: number;
  outDir: string;
  tag: string | null;
}

function readConfig(argv: string[]): Config {
  const f = parseFlags(argv.filter((a) => a !== '--no-write'));
  if (f.has('help')) {
    process.stdout.write(HELP);
    process.exit(0);
  }
  const rows = f.int('rows', 1e6);
  const missing = f.num('missing', 0.05);
  if (rows < 1) throw new UsageError(`--rows=${rows} must be >= 1`);
  if (!(missing >= 0 && missing <= 0.5)) throw new UsageError(`--missing=${missing} must be from 0 to 0.5`);
  const tag = f.str('tag') ?? null;
  if (tag !== null && !/^[A-Za-z0-9._-]+$/.test(tag)) throw new UsageError(`--tag '${tag}': use letters, digits, '.', '_' or '-'`);
  return {
    spec: { rows, seed: f.int('seed', 7), missing },
    sklearn: !f.has('no-sklearn'),
    write: !argv.includes('--no-write'),
    python: f.str('python') ?? '/usr/bin/python3',
    threads: f.int('threads', os.cpus().length),
    maxMinutes: f.num('max-minutes', 20),
    outDir: f.str('out') ?? join(BENCH_DIR, 'results'),
    tag,
  };
}

/** One child's outcome, reduced to what the tables need; the worker's full report is kept in `raw`. */
interface Measured {
  status: 'ok' | 'error' | 'timeout' | 'not-run';
  reason?: string;
  timeMs?: number;
  cpuMs?: number;
  peakRssBytes: number | null;
  processMs?: number;
  loadAverage1m: number;
  raw: Record<string, unknown> | null;
}

function measured(o: ChildOutcome): Measured {
  const r = o.result;
  const num = (k: string): number | undefined => (typeof r?.[k] === 'number' ? (r[k] as number) : undefined);
  const peaks = [num('peakRssBytes'), o.polledPeakRssBytes ?? undefined].filter((x): x is number => x !== undefined);
  const base = { peakRssBytes: peaks.length ? Math.max(...peaks) : null, processMs: o.processMs, loadAverage1m: os.loadavg()[0], raw: r };
  if (o.timedOut) return { ...base, status: 'timeout', reason: 'killed at the --max-minutes limit' };
  if (r === null || r.status !== 'ok') {
    const why = typeof r?.reason === 'string' ? r.reason.split('\n').slice(0, 3).join(' ') : `exit ${o.exitCode ?? o.signal}: ${o.stderrTail.trim().split('\n').slice(-3).join(' ')}`;
    return { ...base, status: 'error', reason: why };
  }
  return { ...base, status: 'ok', timeMs: num('timeMs'), cpuMs: num('cpuMs') };
}

const notRun = (reason: string): Measured => ({ status: 'not-run', reason, peakRssBytes: null, loadAverage1m: os.loadavg()[0], raw: null });

const s = (ms: number | undefined): string => (ms === undefined ? '–' : (ms / 1000).toFixed(2));
const mb = (b: number | null | undefined): string => (b === null || b === undefined ? '–' : b < 10 * 2 ** 20 ? (b / 2 ** 20).toFixed(1) : `${Math.round(b / 2 ** 20)}`);
const rate = (r: number | undefined): string => (r === undefined ? '–' : `${Math.round(r).toLocaleString('en-US')}`);
const ratio = (a: number | undefined, b: number | undefined): string => (a === undefined || b === undefined || b === 0 ? '–' : `${(a / b).toFixed(2)}×`);
const cpuWall = (m: Measured): string => (m.cpuMs !== undefined && m.timeMs ? (m.cpuMs / m.timeMs).toFixed(2) : '–');
const cell = (m: Measured, f: (m: Measured) => string): string => (m.status === 'ok' ? f(m) : `${m.status}${m.reason ? ` (${m.reason.slice(0, 120)})` : ''}`);

interface Check {
  shapesMatch: boolean | null;
  oursShape: [number, number] | null;
  sklearnShape: [number, number] | null;
  featureNamesMatch: boolean | null;
  log1pMatch: boolean | null;
  /** Largest |mean of a feature, ours − scikit-learn's| over the features (same names). */
  maxFeatureMeanAbsDiff: number | null;
}

function check(ours: Measured, sk: Measured): Check {
  const shape = (m: Measured): [number, number] | null => (m.status === 'ok' ? [m.raw!.rows as number, m.raw!.cols as number] : null);
  const a = shape(ours);
  const b = shape(sk);
  if (a === null || b === null) return { shapesMatch: null, oursShape: a, sklearnShape: b, featureNamesMatch: null, log1pMatch: null, maxFeatureMeanAbsDiff: null };
  const na = ours.raw!.featureNames as string[];
  const nb = sk.raw!.featureNames as string[];
  const meanOf = new Map(na.map((n, j) => [n, (ours.raw!.featureMeans as number[])[j]]));
  let diff: number | null = 0;
  (sk.raw!.featureMeans as number[]).forEach((m, j) => {
    const o = meanOf.get(nb[j]);
    diff = o === undefined || diff === null ? null : Math.max(diff, Math.abs(o - m));
  });
  return {
    shapesMatch: a[0] === b[0] && a[1] === b[1],
    oursShape: a,
    sklearnShape: b,
    featureNamesMatch: JSON.stringify(na) === JSON.stringify(nb),
    log1pMatch: JSON.stringify(ours.raw!.log1p) === JSON.stringify(sk.raw!.log1p),
    maxFeatureMeanAbsDiff: diff,
  };
}

interface Results {
  schema: 1;
  startedAt: string;
  finishedAt: string;
  command: string;
  config: Omit<Config, 'outDir'>;
  machine: Record<string, unknown>;
  source: { commit: string | null; uncommittedSrcData: string[] };
  data: { csv: string; bytes: number | null; columns: number | null; generatedThisRun: boolean };
  pipelineOptions: string;
  ours: Measured;
  sklearn: Measured;
  check: Check;
  generate: Measured | null;
  write: Record<string, Measured>;
  read: Record<string, Measured>;
}

function renderMarkdown(r: Results): string {
  const o = r.ours;
  const k = r.sklearn;
  const st = (o.raw?.stages ?? {}) as Record<string, { ms: number; cpuMs: number }>;
  const kst = (k.raw?.stages ?? {}) as Record<string, { ms: number; cpuMs: number }>;
  const load = r.machine.loadAverageStart as number[];
  const loadEnd = r.machine.loadAverageEnd as number[];
  const lines: string[] = [];
  lines.push(`# Ingest: ${r.config.spec.rows.toLocaleString('en-US')}-row CSV → float32 feature matrix`, '');
  lines.push(
    `${r.startedAt}, ${r.machine.cpuModel as string}, ${r.machine.cores as number} cores, Node ${r.machine.nodeVersion as string}; ` +
      `load average at the start ${load.map((x) => x.toFixed(2)).join(' / ')}, at the end ${loadEnd.map((x) => x.toFixed(2)).join(' / ')} (1/5/15 min). ` +
      `Source: ${r.source.commit ?? 'no git'}${r.source.uncommittedSrcData.length ? ` with uncommitted ${r.source.uncommittedSrcData.join(', ')}` : ''}.`,
    '',
  );
  if (load[0] > (r.machine.cores as number)) {
    lines.push(
      `⚠ The machine was loaded (1-min load average ${load[0].toFixed(1)} on ${r.machine.cores as number} cores): wall times are inflated and rough. ` +
        'CPU time (user + system of the process) is less affected; cpu/wall well below 1 shows the wait for a core.',
      '',
    );
  }
  lines.push(
    `Data: \`${r.data.csv}\` (${mb(r.data.bytes)} MB, ${r.data.columns ?? '–'} columns, sample generator seed ${r.config.spec.seed}, ${r.config.spec.missing * 100} % missing cells in 7 columns). ` +
      `Ours: ${r.pipelineOptions}. The peer: bench/ingest_pandas.py (pandas.read_csv; ColumnTransformer of SimpleImputer + log1p + StandardScaler, SimpleImputer + OneHotEncoder + an <other> column, a MultiLabelBinarizer multi-hot).`,
    '',
  );
  lines.push('| | ours | pandas + scikit-learn | ratio (theirs / ours) |', '|---|--:|--:|--:|');
  lines.push(`| wall time, CSV → matrix (s) | ${cell(o, (m) => s(m.timeMs))} | ${cell(k, (m) => s(m.timeMs))} | ${ratio(k.timeMs, o.timeMs)} |`);
  lines.push(`| CPU time (s) | ${cell(o, (m) => s(m.cpuMs))} | ${cell(k, (m) => s(m.cpuMs))} | ${ratio(k.cpuMs, o.cpuMs)} |`);
  lines.push(`| cpu/wall | ${cpuWall(o)} | ${cpuWall(k)} | |`);
  lines.push(`| peak RSS (MB) | ${mb(o.peakRssBytes)} | ${mb(k.peakRssBytes)} | |`);
  const shape = (x: [number, number] | null): string => (x === null ? '–' : `${x[0].toLocaleString('en-US')} × ${x[1]}`);
  lines.push(`| matrix | ${shape(r.check.oursShape)} ${(o.raw?.dtype as string) ?? ''} | ${shape(r.check.sklearnShape)} ${(k.raw?.dtype as string) ?? ''} | |`);
  lines.push('');
  lines.push(
    `Check: shapes ${r.check.shapesMatch === null ? 'not compared' : r.check.shapesMatch ? 'match' : '**differ**'}; feature names ${r.check.featureNamesMatch === null ? '–' : r.check.featureNamesMatch ? 'identical' : '**differ**'}; ` +
      `log1p columns ${r.check.log1pMatch === null ? '–' : r.check.log1pMatch ? `the same (${((o.raw?.log1p as string[]) ?? []).join(', ')})` : '**differ**'}; ` +
      `largest difference of a feature's mean ${r.check.maxFeatureMeanAbsDiff === null ? '–' : r.check.maxFeatureMeanAbsDiff.toExponential(1)}.`,
    '',
  );
  lines.push('Stages (wall s / CPU s):', '', '| ours stage | wall (s) | CPU (s) | | pandas + sklearn stage | wall (s) | CPU (s) |', '|---|--:|--:|---|---|--:|--:|');
  const ours = ['readTable', 'inferKinds', 'fit', 'transform'];
  const theirs = ['read_csv', 'fit_transform'];
  for (let i = 0; i < ours.length; i++) {
    const a = st[ours[i]];
    const b = theirs[i] === undefined ? undefined : kst[theirs[i]];
    lines.push(`| ${ours[i]} | ${s(a?.ms)} | ${s(a?.cpuMs)} | | ${theirs[i] ?? ''} | ${b ? s(b.ms) : ''} | ${b ? s(b.cpuMs) : ''} |`);
  }
  lines.push('');
  if (r.generate !== null || Object.keys(r.write).length > 0) {
    lines.push('Writing the generated rows (generator included) and reading them back, ours:', '');
    lines.push('| task | wall (s) | CPU (s) | rows/s (wall) | file (MB) | peak RSS (MB) |', '|---|--:|--:|--:|--:|--:|');
    const row = (name: string, m: Measured): void => {
      lines.push(
        m.status === 'ok'
          ? `| ${name} | ${s(m.timeMs)} | ${s(m.cpuMs)} | ${rate(m.raw?.rowsPerSecond as number)} | ${m.raw?.bytes === undefined ? '–' : mb(m.raw.bytes as number)} | ${mb(m.peakRssBytes)} |`
          : `| ${name} | ${cell(m, () => '')} | | | | |`,
      );
    };
    if (r.generate !== null) row('generate only (no writing)', r.generate);
    for (const [f, m] of Object.entries(r.write)) row(`generate + write ${f}`, m);
    for (const [f, m] of Object.entries(r.read)) row(`readTable ${f}`, m);
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  const cfg = readConfig(process.argv.slice(2));
  const started = new Date();
  const loadStart = os.loadavg();
  const name = `ingest-${stamp(started)}${cfg.tag !== null ? `-${cfg.tag}` : ''}`;
  mkdirSync(cfg.outDir, { recursive: true });
  mkdirSync(CACHE_DIR, { recursive: true });
  const log = (m: string): void => void process.stderr.write(`${m}\n`);
  const t = String(cfg.threads);
  const env = { ...process.env, OMP_NUM_THREADS: t, OPENBLAS_NUM_THREADS: t, MKL_NUM_THREADS: t };
  const timeoutMs = cfg.maxMinutes * 60_000;
  const node = (args: string[], label: string): Promise<ChildOutcome> =>
    runChild(process.execPath, ['--import', 'tsx', join(BENCH_DIR, 'ingestWorker.ts'), ...args], { env, cwd: ROOT, timeoutMs, label });
  const { rows, seed, missing } = cfg.spec;
  const genArgs = ['--rows', String(rows), '--seed', String(seed), '--missing', String(missing)];
  log(`bench:ingest: ${name}; load average ${loadStart.map((x) => x.toFixed(2)).join(' ')}`);

  const csv = ingestCsvPath(cfg.spec);
  const generatedThisRun = !existsSync(csv);
  let generate: Measured | null = null;
  const write: Record<string, Measured> = {};
  const read: Record<string, Measured> = {};
  if (cfg.write) {
    log('generate only');
    generate = measured(await node(['generate', ...genArgs], 'generate'));
    for (const format of ['csv', 'arrow', 'parquet'] as const) {
      log(`generate + write ${format}`);
      write[format] = measured(await node(['write', ...genArgs, '--format', format, '--out', ingestWritePath(cfg.spec, format)], `write ${format}`));
    }
    for (const format of ['arrow', 'parquet'] as const) {
      if (write[format].status !== 'ok') continue;
      log(`read ${format}`);
      read[format] = measured(await node(['read', '--path', ingestWritePath(cfg.spec, format), '--format', format], `read ${format}`));
      unlinkSync(ingestWritePath(cfg.spec, format));
    }
    const written = ingestWritePath(cfg.spec, 'csv');
    if (existsSync(written)) {
      // The same generator, seed and rows: the same bytes as the cached CSV.
      if (generatedThisRun && write.csv.status === 'ok') renameSync(written, csv);
      else unlinkSync(written);
    }
  }
  if (!existsSync(csv)) {
    log(`generating ${relative(ROOT, csv)}`);
    const o = measured(await node(['write', ...genArgs, '--format', 'csv', '--out', `${csv}.tmp`], 'generate csv'));
    if (o.status !== 'ok') throw new Error(`bench:ingest: could not generate the CSV: ${o.reason}`);
    renameSync(`${csv}.tmp`, csv);
  }

  log('ours: readTable → inferKinds → Pipeline.fit → transform');
  const ours = measured(await node(['ours', '--path', csv], 'ours'));
  let sklearn: Measured = notRun('--no-sklearn');
  if (cfg.sklearn && ours.status === 'ok') {
    // The peer preprocesses the columns ours used, with the kinds ours inferred (an analyst's hand-written spec).
    const specPath = join(CACHE_DIR, `${ingestStem(cfg.spec)}.spec.json`);
    writeFileSync(specPath, `${JSON.stringify({ columns: ours.raw!.schema }, null, 1)}\n`);
    log('pandas + scikit-learn');
    sklearn = measured(await runChild(cfg.python, [join(BENCH_DIR, 'ingest_pandas.py'), '--path', csv, '--spec', specPath], { env, cwd: ROOT, timeoutMs, label: 'pandas' }));
  } else if (cfg.sklearn) sklearn = notRun('ours failed, so there is no column spec to give the peer');

  const results: Results = {
    schema: 1,
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    command: `npm run bench:ingest -- ${process.argv.slice(2).join(' ')}`.trim(),
    config: { spec: cfg.spec, sklearn: cfg.sklearn, write: cfg.write, python: cfg.python, threads: cfg.threads, maxMinutes: cfg.maxMinutes, tag: cfg.tag },
    machine: {
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      cores: os.cpus().length,
      totalMemoryBytes: os.totalmem(),
      nodeVersion: process.version,
      loadAverageStart: loadStart,
      loadAverageEnd: os.loadavg(),
    },
    source: {
      commit: git(['rev-parse', 'HEAD']),
      uncommittedSrcData: (git(['status', '--porcelain', '--', 'src/data']) ?? '').split('\n').filter((l) => l.trim() !== '').map((l) => l.slice(3)),
    },
    data: {
      csv: relative(ROOT, csv),
      bytes: (ours.raw?.readReport as { bytesRead?: number } | undefined)?.bytesRead ?? null,
      columns: (ours.raw?.readReport as { columns?: number } | undefined)?.columns ?? null,
      generatedThisRun,
    },
    pipelineOptions: "inferKinds defaults (kinds from the first 200,000 rows), Pipeline { rangeEncoding: 'onehot', scaler: 'standard', log1p: 'auto', maxListItems: 20 }",
    ours,
    sklearn,
    check: check(ours, sklearn),
    generate,
    write,
    read,
  };
  const md = renderMarkdown(results);
  writeResults(cfg.outDir, name, results, md);
  process.stdout.write(md);
  if (results.check.shapesMatch === false) log('bench:ingest: WARNING: the two matrices have different shapes');
  log(`bench:ingest: wrote ${relative(ROOT, join(cfg.outDir, name))}.{json,md}`);
}

runMain('bench:ingest', HELP, main);
