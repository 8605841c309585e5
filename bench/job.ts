// SPDX-License-Identifier: MIT
/**
 * `npm run bench:job`: the whole segmentation job on a generated users CSV with planted segments,
 * ours against a pandas + scikit-learn notebook. Ours is the CLI a user runs after `npm ci`
 * (`bin/segments.js fit FILE --out DIR --quiet --json`, at its defaults: k chosen), on a fresh
 * build of src/ into bench/.cache/job-install/ (the shared dist/ is left alone); the peer is
 * bench/job_notebook.py. Each side runs in its own process, one after the other, with its wall
 * time (spawn to exit, start-up included) and peak RSS (VmHWM polled from /proc). The adjusted
 * Rand index of each side's segments against the planted segments, kept in a separate file, is
 * computed by scikit-learn's adjusted_rand_score (bench/job_ari.py). Writes
 * bench/results/job-<date>[-tag].{json,md}.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFlags, UsageError } from './flags.js';
import { CACHE_DIR, ensureJobData, jobStem, type JobSpec } from './jobData.js';
import { runChild, type ChildOutcome } from './child.js';
import { git, runMain, stamp, uptime, writeResults } from './common.js';
import { buildInstall } from './install.js';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(BENCH_DIR);
const INSTALL = join(CACHE_DIR, 'job-install');

const HELP = `npm run bench:job -- [options]

  --sizes 1e5,1e6              rows of the generated users CSV, one run each
  --quick                      10^4 rows only
  --seed 42  --missing 0.05    the generator's seed and share of missing cells
  --no-notebook                ours only
  --no-build                   reuse the last build in bench/.cache/job-install/ (default: build src/ afresh)
  --python /usr/bin/python3    the interpreter with pandas and scikit-learn (python3-sklearn, python3-pandas)
  --max-minutes 20             time limit per side and size
  --out bench/results          where results go
  --tag NAME                   appended to the file names
`;

const SWITCHES = ['--no-notebook', '--no-build'];

interface Config {
  sizes: number[];
  seed: number;
  missing: number;
  notebook: boolean;
  build: boolean;
  python: string;
  maxMinutes: number;
  outDir: string;
  tag: string | null;
}

function readConfig(argv: string[]): Config {
  const f = parseFlags(argv.filter((a) => !SWITCHES.includes(a)));
  if (f.has('help')) {
    process.stdout.write(HELP);
    process.exit(0);
  }
  const sizes = f.has('quick') ? [1e4] : f.ints('sizes', [1e5, 1e6]);
  if (sizes.length === 0) throw new UsageError('--sizes needs at least one size');
  const missing = f.num('missing', 0.05);
  if (!(missing >= 0 && missing <= 0.5)) throw new UsageError(`--missing=${missing} must be from 0 to 0.5`);
  const tag = f.str('tag') ?? null;
  if (tag !== null && !/^[A-Za-z0-9._-]+$/.test(tag)) throw new UsageError(`--tag '${tag}': use letters, digits, '.', '_' or '-'`);
  const maxMinutes = f.num('max-minutes', 20);
  if (!(maxMinutes > 0)) throw new UsageError(`--max-minutes=${maxMinutes} must be > 0`);
  return {
    sizes,
    seed: f.int('seed', 42),
    missing,
    notebook: !argv.includes('--no-notebook'),
    build: !argv.includes('--no-build'),
    python: f.str('python') ?? '/usr/bin/python3',
    maxMinutes,
    outDir: f.str('out') ?? join(BENCH_DIR, 'results'),
    tag,
  };
}

/** One process of the bench, as bench/child.ts runs it, /proc polled every 100 ms. */
function runProcess(command: string, args: string[], label: string, timeoutMs: number): Promise<ChildOutcome> {
  return runChild(command, args, { env: process.env, cwd: ROOT, timeoutMs, label, pollMs: 100 });
}

interface Side {
  status: 'ok' | 'error' | 'timeout' | 'not-run';
  reason?: string;
  wallMs?: number;
  cpuMs?: number | null;
  peakRssBytes: number | null;
  /** k chosen by the side. */
  k?: number;
  /** Adjusted Rand index against the planted segments (scikit-learn's adjusted_rand_score). */
  ari?: number;
  /** Segments in the output rows (as counted by the ARI script). */
  segmentsFound?: number;
  /** The side's own report: ours the fit --json summary less its column list; the notebook's BENCH_RESULT. */
  report: Record<string, unknown> | null;
}

function side(p: ChildOutcome, report: Record<string, unknown> | null, k: number | undefined): Side {
  const base = { wallMs: p.processMs, cpuMs: p.cpuMs, peakRssBytes: p.polledPeakRssBytes, report };
  if (p.timedOut) return { ...base, status: 'timeout', reason: 'killed at the --max-minutes limit' };
  if (p.exitCode !== 0 || report === null) {
    return { ...base, status: 'error', reason: `exit ${p.exitCode ?? p.signal}: ${p.stderrTail.trim().split('\n').slice(-3).join(' ').slice(0, 400)}` };
  }
  return { ...base, status: 'ok', k };
}

const notRun = (reason: string): Side => ({ status: 'not-run', reason, peakRssBytes: null, report: null });

interface SizeResult {
  rows: number;
  csv: string;
  csvBytes: number;
  generatedThisRun: boolean;
  uptimeBefore: string;
  uptimeAfter: string;
  ours: Side;
  notebook: Side;
  ariCheck: { status: string; reason?: string } | null;
}

interface Results {
  schema: 1;
  startedAt: string;
  finishedAt: string;
  command: string;
  config: Omit<Config, 'outDir'>;
  machine: Record<string, unknown>;
  source: { commit: string | null; uncommittedSrc: string[]; build: string };
  sizes: SizeResult[];
}

const s = (ms: number | undefined): string => (ms === undefined ? '–' : (ms / 1000).toFixed(1));
const mb = (b: number | null | undefined): string => (b === null || b === undefined ? '–' : `${Math.round(b / 2 ** 20)}`);
const ratio = (a: number | null | undefined, b: number | null | undefined): string => (a == null || b == null || b === 0 ? '–' : `${(a / b).toFixed(2)}×`);
const failed = (x: Side): string => `${x.status}${x.reason ? ` (${x.reason.slice(0, 160)})` : ''}`;

function renderMarkdown(r: Results): string {
  const lines: string[] = [];
  lines.push('# Job: generated users CSV → segments, ours (`segments fit`) against a pandas + scikit-learn notebook', '');
  lines.push(
    `${r.startedAt}, ${r.machine.cpuModel as string}, ${r.machine.cores as number} cores, Node ${r.machine.nodeVersion as string}, ` +
      `Python ${(r.machine.python as string) ?? '–'}. Source: ${r.source.commit ?? 'no git'}${r.source.uncommittedSrc.length ? ` with ${r.source.uncommittedSrc.length} uncommitted file(s) under src/` : ''}; build: ${r.source.build}.`,
    '',
  );
  lines.push(
    `Data: the sample generator, seed ${r.config.seed}, ${r.config.missing * 100} % missing cells in 7 columns, 18 columns; the planted segments (5) in a separate file. ` +
      'Ours: `node bin/segments.js fit FILE --out DIR --quiet --json` at its defaults (k chosen). ' +
      'Notebook (bench/job_notebook.py): read_csv; impute median / most frequent; log1p of the non-negative integer columns; get_dummies of the categories (ranges included); ' +
      'multi-hot of Top Interests; StandardScaler; KMeans(k, n_init=4) for k = 2..8 with silhouette_score(sample_size=4000), the best silhouette kept; groupby means; to_csv. ' +
      'Wall time is the whole process, start-up and writing included; CPU is user + system of all its threads (from /proc, at the last 100 ms poll); peak RSS is VmHWM. ARI: scikit-learn adjusted_rand_score against the planted segments.',
    '',
  );
  lines.push('| rows | | wall (s) | CPU (s) | peak RSS (MB) | k | ARI vs planted |', '|--:|---|--:|--:|--:|--:|--:|');
  for (const z of r.sizes) {
    const row = (name: string, x: Side): string =>
      x.status === 'ok'
        ? `| ${z.rows.toLocaleString('en-US')} | ${name} | ${s(x.wallMs)} | ${s(x.cpuMs ?? undefined)} | ${mb(x.peakRssBytes)} | ${x.k ?? '–'} | ${x.ari === undefined ? '–' : x.ari.toFixed(3)} |`
        : `| ${z.rows.toLocaleString('en-US')} | ${name} | ${failed(x)} | | ${mb(x.peakRssBytes)} | | |`;
    lines.push(row('ours', z.ours), row('notebook', z.notebook));
    lines.push(`| | notebook / ours | ${ratio(z.notebook.wallMs, z.ours.wallMs)} | ${ratio(z.notebook.cpuMs, z.ours.cpuMs)} | ${ratio(z.notebook.peakRssBytes, z.ours.peakRssBytes)} | | |`);
  }
  lines.push('');
  lines.push('Stages (s): ours from `fit --json` timings, the notebook from its own clock.', '');
  for (const z of r.sizes) {
    const t = (z.ours.report?.timings ?? {}) as Record<string, number>;
    const nb = (z.notebook.report?.stages ?? {}) as Record<string, number>;
    const fmt = (o: Record<string, number>): string => Object.entries(o).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ') || '–';
    lines.push(`- ${z.rows.toLocaleString('en-US')} rows: ours ${fmt(t)}; notebook ${fmt(nb)}`);
  }
  lines.push('');
  lines.push('Load (`uptime`) before and after each size:', '');
  for (const z of r.sizes) lines.push(`- ${z.rows.toLocaleString('en-US')} rows: before \`${z.uptimeBefore}\`, after \`${z.uptimeAfter}\``);
  lines.push('');
  const busy = r.sizes.some((z) => Number(/load average: ([\d.]+)/.exec(z.uptimeBefore)?.[1] ?? 0) > (r.machine.cores as number));
  if (busy) lines.push(`⚠ The 1-minute load was above the ${r.machine.cores as number} cores during the run: wall times are inflated and rough; compare sides within one run only.`, '');
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  const cfg = readConfig(process.argv.slice(2));
  const started = new Date();
  const name = `job-${stamp(started)}${cfg.tag !== null ? `-${cfg.tag}` : ''}`;
  const log = (m: string): void => void process.stderr.write(`${m}\n`);
  const timeoutMs = cfg.maxMinutes * 60_000;
  mkdirSync(cfg.outDir, { recursive: true });
  mkdirSync(CACHE_DIR, { recursive: true });
  log(`bench:job: ${name}; ${uptime()}`);

  // The source as built: taken before the build, since others may commit while the bench runs.
  const source = {
    commit: git(['rev-parse', 'HEAD']),
    uncommittedSrc: (git(['status', '--porcelain', '--', 'src']) ?? '').split('\n').filter((l) => l.trim() !== '').map((l) => l.slice(3)),
  };
  const build = cfg.build || !existsSync(join(INSTALL, 'dist', 'cli', 'main.js')) ? buildInstall(INSTALL, log) : `reused ${relative(ROOT, INSTALL)} (--no-build)`;
  let python: string | null = null;
  if (cfg.notebook) {
    try {
      python = execFileSync(cfg.python, ['-c', 'import sys, sklearn, pandas; print(sys.version.split()[0])'], { encoding: 'utf8' }).trim();
    } catch {
      throw new UsageError(`--python ${cfg.python} cannot import sklearn and pandas (apt-get install -y python3-sklearn python3-pandas), or pass --no-notebook`);
    }
  }

  const sizes: SizeResult[] = [];
  for (const rows of cfg.sizes) {
    const spec: JobSpec = { rows, seed: cfg.seed, missing: cfg.missing };
    log(`${rows} rows: data`);
    const { files, generated } = await ensureJobData(spec);
    const outBase = join(CACHE_DIR, `${jobStem(spec)}.out`);
    rmSync(outBase, { recursive: true, force: true });
    const uptimeBefore = uptime();
    log(`${rows} rows: ours (${uptimeBefore})`);
    const oursDir = join(outBase, 'ours');
    const p = await runProcess(process.execPath, [join(INSTALL, 'bin', 'segments.js'), 'fit', files.csv, '--out', oursDir, '--quiet', '--json'], 'ours', timeoutMs);
    let summary: Record<string, unknown> | null = null;
    try {
      summary = JSON.parse(p.stdout) as Record<string, unknown>;
    } catch {
      summary = null;
    }
    const kSearch = summary?.kSearch as { chosen?: number } | null | undefined;
    const params = (summary?.algorithm as { parameters?: { k?: number } } | undefined)?.parameters;
    if (summary !== null) delete summary.columns;
    const ours = side(p, summary, kSearch?.chosen ?? params?.k);

    let notebook = notRun('--no-notebook');
    const nbDir = join(outBase, 'notebook');
    if (cfg.notebook) {
      log(`${rows} rows: notebook (${uptime()})`);
      const q = await runProcess(cfg.python, [join(BENCH_DIR, 'job_notebook.py'), '--csv', files.csv, '--out', nbDir, '--seed', String(cfg.seed)], 'notebook', timeoutMs);
      notebook = side(q, q.result, q.result?.k as number | undefined);
    }
    const uptimeAfter = uptime();

    // The reference ARI, outside both timings.
    let ariCheck: SizeResult['ariCheck'] = null;
    const labelArgs: string[] = [];
    if (ours.status === 'ok') labelArgs.push('--labels', `ours=${join(oursDir, 'segments.csv')}`);
    if (notebook.status === 'ok') labelArgs.push('--labels', `notebook=${join(nbDir, 'segments.csv')}`);
    if (labelArgs.length > 0 && python !== null) {
      log(`${rows} rows: adjusted Rand index`);
      const a = await runProcess(cfg.python, [join(BENCH_DIR, 'job_ari.py'), '--truth', files.truth, ...labelArgs], 'ari', timeoutMs);
      const report = a.result;
      ariCheck = report === null ? { status: 'error', reason: a.stderrTail.slice(-400) } : { status: 'ok' };
      const sides = (report?.sides ?? {}) as Record<string, { status: string; ari?: number; segments?: number; reason?: string }>;
      for (const [key, x] of [['ours', ours], ['notebook', notebook]] as const) {
        const got = sides[key];
        if (got?.status === 'ok') {
          x.ari = got.ari;
          x.segmentsFound = got.segments;
        } else if (got !== undefined) ariCheck = { status: 'error', reason: `${key}: ${got.reason}` };
      }
    } else if (labelArgs.length > 0) ariCheck = { status: 'not-run', reason: 'no Python with scikit-learn (--no-notebook)' };
    rmSync(outBase, { recursive: true, force: true });
    sizes.push({ rows, csv: relative(ROOT, files.csv), csvBytes: statSync(files.csv).size, generatedThisRun: generated, uptimeBefore, uptimeAfter, ours, notebook, ariCheck });
  }

  const results: Results = {
    schema: 1,
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    command: `npm run bench:job -- ${process.argv.slice(2).join(' ')}`.trim(),
    config: { sizes: cfg.sizes, seed: cfg.seed, missing: cfg.missing, notebook: cfg.notebook, build: cfg.build, python: cfg.python, maxMinutes: cfg.maxMinutes, tag: cfg.tag },
    machine: { cpuModel: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, totalMemoryBytes: os.totalmem(), nodeVersion: process.version, python },
    source: { ...source, build },
    sizes,
  };
  const md = renderMarkdown(results);
  writeResults(cfg.outDir, name, results, md);
  process.stdout.write(md);
  log(`bench:job: wrote ${relative(ROOT, join(cfg.outDir, name))}.{json,md}`);
}

runMain('bench:job', HELP, main);
