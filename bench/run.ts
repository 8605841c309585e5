// SPDX-License-Identifier: MIT
/**
 * `npm run bench`: k-means and the exact silhouette, ours against scikit-learn 1.2.1, on the same
 * machine and the same generated data. Every measurement runs in its own child process (so its
 * peak RSS is its own), one at a time. Writes bench/results/kmeans-silhouette-<date>.{json,md}
 * and bench/results/latest.{json,md}. See bench/README.md.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runChild, type ChildOutcome } from './child.js';
import { ensureDataset, type BlobSpec, type Dataset } from './data.js';
import { parseFlags, UsageError } from './flags.js';
import { annotateEstimates, contended, deriveKMeans, marginalPerIter, perIter, renderMarkdown, sizeLabel, targets, type BenchResults, type KMeansRow, type Measurement, type SilhouetteRow } from './report.js';
import { git, runMain, stamp, writeAtomic, writeResults } from './common.js';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(BENCH_DIR);

const HELP = `npm run bench -- [options]

  --sizes 1e4,1e5,1e6          k-means sizes n (empty to skip k-means)
  --silhouette-sizes 1e4,5e4,2e5  silhouette sizes n (empty to skip)
  --sklearn-silhouette-max 5e4 above this n scikit-learn's silhouette is not run (O(n²)); estimated instead
  --backends wasm              ours on these tfjs backends: wasm, cpu, webgpu (webgpu on a software
                               adapter is reported as not measurable, never timed)
  --threads N                  OMP/OPENBLAS/MKL_NUM_THREADS for scikit-learn (default: cores)
  --max-iter 20  --tol 0       k-means iterations and tolerance, the same on both sides
  --repeats 3                  timed k-means fit pairs per side; the medians are reported
  --d 16 --k 8 --seed 3 --std 4 --center-box 10   the data
  --max-minutes 30             time limit per task; a task over it is killed and recorded as timed out
  --no-sklearn                 ours only
  --defaults                   instead: the default fits, new KMeans({ k, seed }) (also with refine: false)
                               against scikit-learn's KMeans(n_clusters=k) (n_init=10), --repeats seeds
                               each, at --sizes (default 1e5,1e6); wall time and inertia; writes
                               kmeans-defaults-<date>[-tag].{json,md}
  --no-lloyd-bounds            ours scans every row in every Lloyd iteration (no Hamerly bounds on wasm)
  --python /usr/bin/python3    the interpreter with scikit-learn
  --out bench/results          where results go
  --source-label TEXT          says which code was measured, e.g. when src/ is not a git checkout
  --quick                      a smoke run: n = 10^4 only; does not replace latest.*
  --tag NAME                   appended to the file names; a tagged run does not replace latest.*
`;

interface Config {
  sizes: number[];
  silhouetteSizes: number[];
  sklearnSilhouetteMax: number;
  backends: string[];
  threads: number;
  d: number;
  k: number;
  maxIter: number;
  tol: number;
  repeats: number;
  seed: number;
  std: number;
  centerBox: number;
  maxMinutes: number;
  quick: boolean;
  tag: string | null;
  sklearn: boolean;
  lloydBounds: boolean;
  defaults: boolean;
  python: string;
  outDir: string;
  sourceLabel: string | null;
}

function readConfig(argv: string[]): Config {
  const f = parseFlags(argv);
  if (f.has('help')) {
    process.stdout.write(HELP);
    process.exit(0);
  }
  const quick = f.has('quick');
  const backends = f.list('backends', ['wasm']);
  for (const b of backends) {
    if (!['wasm', 'cpu', 'webgpu'].includes(b)) throw new UsageError(`--backends: '${b}' is not one of wasm, cpu, webgpu`);
  }
  const threads = f.int('threads', os.cpus().length);
  const repeats = f.int('repeats', 3);
  if (repeats < 1) throw new UsageError(`--repeats=${repeats} must be >= 1`);
  if (threads < 1) throw new UsageError(`--threads=${threads} must be >= 1`);
  return {
    sizes: f.ints('sizes', quick ? [1e4] : f.has('defaults') ? [1e5, 1e6] : [1e4, 1e5, 1e6]),
    silhouetteSizes: f.ints('silhouette-sizes', quick ? [1e4] : [1e4, 5e4, 2e5]),
    sklearnSilhouetteMax: f.int('sklearn-silhouette-max', 5e4),
    backends,
    threads,
    d: f.int('d', 16),
    k: f.int('k', 8),
    maxIter: f.int('max-iter', 20),
    tol: f.num('tol', 0),
    repeats,
    seed: f.int('seed', 3),
    std: f.num('std', 4),
    centerBox: f.num('center-box', 10),
    maxMinutes: f.num('max-minutes', 30),
    quick,
    tag: f.str('tag') ?? null,
    sklearn: !f.has('no-sklearn'),
    lloydBounds: !f.has('no-lloyd-bounds'),
    defaults: f.has('defaults'),
    python: f.str('python') ?? '/usr/bin/python3',
    outDir: f.str('out') ?? join(BENCH_DIR, 'results'),
    sourceLabel: f.str('source-label') ?? null,
  };
}

function childEnv(cfg: Config): NodeJS.ProcessEnv {
  const t = String(cfg.threads);
  return { ...process.env, OMP_NUM_THREADS: t, OPENBLAS_NUM_THREADS: t, MKL_NUM_THREADS: t, SEGMENTS_BENCH_LLOYD_BOUNDS: cfg.lloydBounds ? '1' : '0' };
}

async function runOurs(cfg: Config, task: string, backend: string, ds: Dataset | null, extra: string[] = []): Promise<ChildOutcome> {
  const args = ['--import', 'tsx', join(BENCH_DIR, 'worker.ts'), task, '--backend', backend, ...dataArgs(cfg, ds), ...extra];
  return runChild(process.execPath, args, { env: childEnv(cfg), cwd: ROOT, timeoutMs: cfg.maxMinutes * 60_000, label: `ours ${backend}` });
}

async function runSklearn(cfg: Config, task: string, ds: Dataset | null, extra: string[] = []): Promise<ChildOutcome> {
  const args = [join(BENCH_DIR, 'sklearn_worker.py'), task, ...dataArgs(cfg, ds), ...extra];
  return runChild(cfg.python, args, { env: childEnv(cfg), cwd: ROOT, timeoutMs: cfg.maxMinutes * 60_000, label: 'sklearn' });
}

function dataArgs(cfg: Config, ds: Dataset | null): string[] {
  if (ds === null) return [];
  return ['--x', ds.xPath, '--labels', ds.labelsPath, '--init', ds.initPath, '--n', String(ds.spec.n), '--d', String(cfg.d), '--k', String(cfg.k)];
}

/** A worker's outcome as a Measurement; timeouts and crashes are recorded, not thrown. */
function measurement(o: ChildOutcome, cfg: Config): Measurement {
  const r = o.result;
  const num = (key: string): number | undefined => (typeof r?.[key] === 'number' ? (r[key] as number) : undefined);
  const peaks = [num('peakRssBytes'), o.polledPeakRssBytes ?? undefined].filter((x): x is number => x !== undefined);
  const peakRssBytes = peaks.length > 0 ? Math.max(...peaks) : null;
  if (o.timedOut) {
    return {
      status: 'timeout',
      reason: `killed at the ${cfg.maxMinutes} min limit (--max-minutes); peak RSS until then ${(peakRssBytes ?? 0) / 2 ** 20 | 0} MB`,
      peakRssBytes,
      processMs: o.processMs,
      raw: r,
    };
  }
  if (r === null || r.status === 'error') {
    const why = typeof r?.reason === 'string' ? errorSummary(r.reason) : `exit ${o.exitCode ?? o.signal}: ${o.stderrTail.trim().split('\n').slice(-3).join(' ')}`;
    return { status: 'error', reason: why, peakRssBytes, processMs: o.processMs, raw: r };
  }
  if (r.status === 'not-measurable') {
    return { status: 'not-measurable', reason: String(r.reason), processMs: o.processMs, raw: r };
  }
  const threads =
    r.side === 'sklearn' ? (typeof r.openmpEffectiveThreads === 'number' ? (r.openmpEffectiveThreads as number) : null) : (num('threads') ?? null);
  return {
    status: 'ok',
    timeMs: num('timeMs'),
    cpuMs: num('cpuMs'),
    loadAverage1m: os.loadavg()[0],
    nIter: num('nIter'),
    msPerIterAverage: num('msPerIterAverage'),
    msPerIterMarginal: marginalPerIter(r),
    inertia: num('inertia'),
    value: num('value'),
    peakRssBytes,
    threads,
    processMs: o.processMs,
    raw: r,
  };
}

/** The message of an error and the tfjs-wasm kernel it died in, if the stack names one. */
function errorSummary(stack: string): string {
  const lines = stack.split('\n');
  const kernel = lines.map((l) => /Module\._(\w+)/.exec(l)?.[1]).find((x) => x !== undefined);
  return `${lines[0].trim()}${kernel !== undefined ? ` (in the wasm kernel ${kernel})` : ''}`;
}

function notRun(reason: string): Measurement {
  return { status: 'not-run', reason };
}

function divide(a: number | undefined | null, b: number | undefined | null): number | null {
  return a === undefined || a === null || b === undefined || b === null || b === 0 ? null : a / b;
}

/** sha256 over every file under src/ (path and bytes), so a result names the code it measured. */
function srcHash(): string {
  const h = createHash('sha256');
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else h.update(relative(ROOT, p)).update('\0').update(readFileSync(p)).update('\0');
    }
  };
  walk(join(ROOT, 'src'));
  return h.digest('hex');
}

async function main(): Promise<void> {
  const cfg = readConfig(process.argv.slice(2));
  if (cfg.defaults) return runDefaults(cfg);
  const started = new Date();
  const loadStart = os.loadavg();
  if (cfg.tag !== null && !/^[A-Za-z0-9._-]+$/.test(cfg.tag)) throw new UsageError(`--tag '${cfg.tag}': use letters, digits, '.', '_' or '-'`);
  const name = `kmeans-silhouette-${stamp(started)}${cfg.quick ? '-quick' : ''}${cfg.tag !== null ? `-${cfg.tag}` : ''}`;
  const replacesLatest = !cfg.quick && cfg.tag === null;
  mkdirSync(cfg.outDir, { recursive: true });
  const log = (s: string): void => void process.stderr.write(`${s}\n`);

  log(`bench: ${name}; sklearn threads ${cfg.threads}; time limit ${cfg.maxMinutes} min per task`);
  const probe = measurement(await runOurs(cfg, 'probe', 'wasm', null), cfg);
  const pyInfo = cfg.sklearn ? (await runSklearn(cfg, 'info', null)).result : null;
  if (cfg.sklearn && (pyInfo === null || pyInfo.status !== 'ok')) {
    throw new Error(`bench: ${cfg.python} could not load scikit-learn: ${JSON.stringify(pyInfo)}`);
  }
  const wasmMultithread = (probe.raw?.wasmMultithread as boolean | undefined) ?? null;
  const dirtySrc = (git(['status', '--porcelain', '--', 'src']) ?? '').split('\n').filter((l) => l.trim() !== '');

  const results: BenchResults = {
    schema: 1,
    startedAt: started.toISOString(),
    finishedAt: '',
    command: `npm run bench -- ${process.argv
      .slice(2)
      .map((a) => (/^[\w.,=/:+-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`))
      .join(' ')}`.trim(),
    config: {
      sizes: cfg.sizes,
      silhouetteSizes: cfg.silhouetteSizes,
      sklearnSilhouetteMax: cfg.sklearnSilhouetteMax,
      backends: cfg.backends,
      threads: cfg.threads,
      d: cfg.d,
      k: cfg.k,
      maxIter: cfg.maxIter,
      tol: cfg.tol,
      repeats: cfg.repeats,
      seed: cfg.seed,
      std: cfg.std,
      centerBox: cfg.centerBox,
      maxMinutes: cfg.maxMinutes,
      quick: cfg.quick,
      tag: cfg.tag,
      lloydBounds: cfg.lloydBounds,
    },
    machine: {
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      cores: os.cpus().length,
      totalMemoryBytes: os.totalmem(),
      platform: `${os.platform()} ${os.release()} ${os.arch()}`,
      nodeVersion: process.version,
      tfjsVersion: (probe.raw?.tfjsVersion as string | undefined) ?? null,
      wasmSimd: (probe.raw?.wasmSimd as boolean | undefined) ?? null,
      wasmMultithread,
      python: pyInfo,
      loadAverageStart: loadStart,
      loadAverageEnd: [],
    },
    source: { commit: git(['rev-parse', 'HEAD']), uncommittedSrcFiles: dirtySrc, srcSha256: srcHash(), label: cfg.sourceLabel },
    threads: {
      ours: (probe.raw?.threads as number | undefined) ?? null,
      oursNote:
        wasmMultithread === false
          ? "tfjs-wasm in Node runs its kernels on one thread: tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT') is false"
          : 'tfjs-wasm threads as reported by the worker',
      sklearn: cfg.threads,
      sklearnNote: `OMP_NUM_THREADS = OPENBLAS_NUM_THREADS = MKL_NUM_THREADS = ${cfg.threads}`,
    },
    kmeans: [],
    silhouette: [],
    targets: [],
  };
  const partial = join(cfg.outDir, `${name}.partial.json.tmp`);
  const save = (): void => writeFileSync(partial, `${JSON.stringify(results, null, 1)}\n`);

  const spec = (n: number): BlobSpec => ({ n, d: cfg.d, k: cfg.k, seed: cfg.seed, centerBox: cfg.centerBox, std: cfg.std });
  const data = (n: number): Dataset => {
    const t = performance.now();
    const ds = ensureDataset(spec(n));
    const ms = performance.now() - t;
    if (ms > 50) log(`data n=${n}: generated in ${(ms / 1000).toFixed(1)} s`);
    return ds;
  };

  for (const n of cfg.sizes) {
    const ds = data(n);
    const kmArgs = ['--max-iter', String(cfg.maxIter), '--tol', String(cfg.tol), '--repeats', String(cfg.repeats)];
    log(`kmeans n=${n}: sklearn`);
    const sk = cfg.sklearn ? measurement(await runSklearn(cfg, 'kmeans', ds, kmArgs), cfg) : notRun('--no-sklearn');
    for (const backend of cfg.backends) {
      log(`kmeans n=${n}: ours on ${backend}`);
      const ours = measurement(await runOurs(cfg, 'kmeans', backend, ds, kmArgs), cfg);
      const row: KMeansRow = {
        n,
        d: cfg.d,
        k: cfg.k,
        backend,
        ours,
        sklearn: sk,
        ratio: ours.status === 'ok' && sk.status === 'ok' ? divide(sk.timeMs, ours.timeMs) : null,
        ratioPerIter: ours.status === 'ok' && sk.status === 'ok' ? divide(perIter(sk), perIter(ours)) : null,
        inertiaRelDiff:
          ours.inertia !== undefined && sk.inertia !== undefined ? Math.abs(ours.inertia - sk.inertia) / Math.abs(sk.inertia) : null,
      };
      results.kmeans.push(row);
      log(
        `kmeans n=${n} ${backend}: ours ${ours.status} ${ours.timeMs?.toFixed(0) ?? '-'} ms (${perIter(ours)?.toFixed(2) ?? '-'} ms/iter), ` +
          `sklearn ${sk.status} ${sk.timeMs?.toFixed(0) ?? '-'} ms (${perIter(sk)?.toFixed(2) ?? '-'} ms/iter), inertia rel diff ${row.inertiaRelDiff?.toExponential(2) ?? '-'}`,
      );
      save();
    }
  }

  for (const n of [...cfg.silhouetteSizes].sort((a, b) => a - b)) {
    const ds = data(n);
    let sk: Measurement;
    if (!cfg.sklearn) {
      sk = notRun('--no-sklearn');
    } else if (n > cfg.sklearnSilhouetteMax) {
      sk = notRun(
        `scikit-learn's exact silhouette is O(n²) and is not run above n = ${sizeLabel(cfg.sklearnSilhouetteMax)} (--sklearn-silhouette-max)`,
      );
    } else {
      log(`silhouette n=${n}: sklearn`);
      sk = measurement(await runSklearn(cfg, 'silhouette', ds), cfg);
    }
    for (const backend of cfg.backends) {
      log(`silhouette n=${n}: ours on ${backend}`);
      const ours = measurement(await runOurs(cfg, 'silhouette', backend, ds), cfg);
      const row: SilhouetteRow = {
        n,
        d: cfg.d,
        k: cfg.k,
        backend,
        ours,
        sklearn: sk,
        ratio: ours.status === 'ok' && sk.status === 'ok' ? divide(sk.timeMs, ours.timeMs) : null,
        valueAbsDiff: ours.value !== undefined && sk.value !== undefined ? Math.abs(ours.value - sk.value) : null,
      };
      results.silhouette.push(row);
      log(
        `silhouette n=${n} ${backend}: ours ${ours.status} ${ours.timeMs?.toFixed(0) ?? '-'} ms value ${ours.value ?? '-'}, ` +
          `sklearn ${sk.status} ${sk.timeMs?.toFixed(0) ?? '-'} ms value ${sk.value ?? '-'}`,
      );
      save();
    }
  }

  const flagged = [
    ...results.kmeans.flatMap((r) => [contended(r.ours, true) ? `k-means n=${r.n} ours` : null, contended(r.sklearn, true) ? `k-means n=${r.n} sklearn` : null]),
    ...results.silhouette.map((r) => (contended(r.ours, true) ? `silhouette n=${r.n} ours` : null)),
  ].filter((x): x is string => x !== null);
  if (flagged.length > 0) {
    log(
      `bench: WARNING: these tasks waited for a core (cpu/wall well under their threads; other work is running): ${flagged.join(', ')}. ` +
        'Their times are inflated; rerun on an idle machine, or with --threads 1.',
    );
  }
  deriveKMeans(results);
  annotateEstimates(results);
  results.targets = targets(results);
  results.machine.loadAverageEnd = os.loadavg();
  results.finishedAt = new Date().toISOString();
  const json = `${JSON.stringify(results, null, 1)}\n`;
  const md = renderMarkdown(results);
  writeAtomic(join(cfg.outDir, `${name}.json`), json);
  writeAtomic(join(cfg.outDir, `${name}.md`), md);
  if (replacesLatest) {
    writeAtomic(join(cfg.outDir, 'latest.json'), json);
    writeAtomic(join(cfg.outDir, 'latest.md'), md);
  }
  unlinkSync(partial);
  process.stdout.write(md);
  log(`bench: wrote ${relative(ROOT, join(cfg.outDir, name))}.{json,md}${replacesLatest ? ' and latest.{json,md}' : ''}`);
}

runMain('bench', HELP, main);

/**
 * `--defaults`: what a user gets without options. Ours `new KMeans({ k, seed })` (and the same
 * with refine: false, to show what the refinement costs and gains) against scikit-learn's
 * `KMeans(n_clusters=k)`, --repeats seeds each, one child process per side and size.
 */
async function runDefaults(cfg: Config): Promise<void> {
  const started = new Date();
  const loadStart = os.loadavg();
  const name = `kmeans-defaults-${stamp(started)}${cfg.tag !== null ? `-${cfg.tag}` : ''}`;
  mkdirSync(cfg.outDir, { recursive: true });
  const log = (s: string): void => void process.stderr.write(`${s}\n`);
  const repeats = ['--repeats', String(cfg.repeats)];
  const rows: Array<{ n: number; ours: Measurement; oursLloyd: Measurement; sklearn: Measurement }> = [];
  for (const n of cfg.sizes) {
    const ds = ensureDataset({ n, d: cfg.d, k: cfg.k, seed: cfg.seed, centerBox: cfg.centerBox, std: cfg.std });
    log(`defaults n=${n}: ours`);
    const ours = measurement(await runOurs(cfg, 'kmeans-default', 'wasm', ds, repeats), cfg);
    log(`defaults n=${n}: ours, refine off`);
    const oursLloyd = measurement(await runOurs(cfg, 'kmeans-default', 'wasm', ds, [...repeats, '--refine', 'off']), cfg);
    log(`defaults n=${n}: scikit-learn`);
    const sklearn = cfg.sklearn ? measurement(await runSklearn(cfg, 'kmeans-default', ds, repeats), cfg) : notRun('--no-sklearn');
    rows.push({ n, ours, oursLloyd, sklearn });
  }
  const loadEnd = os.loadavg();
  const secs = (m: Measurement): string => (m.status === 'ok' && m.timeMs !== undefined ? (m.timeMs / 1000).toFixed(2) : m.status);
  const inertia = (m: Measurement): number | null => (typeof m.raw?.inertia === 'number' ? (m.raw.inertia as number) : null);
  const samples = (m: Measurement): string =>
    Array.isArray(m.raw?.samples) ? (m.raw.samples as Array<{ ms: number }>).map((x) => (x.ms / 1000).toFixed(2)).join(', ') : '';
  const rel = (a: number | null, b: number | null): string => (a !== null && b !== null ? ((a - b) / b).toExponential(1) : '');
  const ratio = (a: Measurement, b: Measurement): string =>
    a.timeMs !== undefined && b.timeMs !== undefined && a.timeMs > 0 ? `${(b.timeMs / a.timeMs).toFixed(2)}×` : '';
  const md = [
    `# Default k-means fits: ${name}`,
    '',
    `d = ${cfg.d}, k = ${cfg.k}, blobs (seed ${cfg.seed}); medians of ${cfg.repeats} fits (seeds 1..${cfg.repeats}); scikit-learn on ${cfg.threads} threads, ours on as many.`,
    `Load average at start ${loadStart.map((x) => x.toFixed(2)).join(' ')}, at end ${loadEnd.map((x) => x.toFixed(2)).join(' ')}. Commit ${git(['rev-parse', '--short', 'HEAD']) ?? '?'}.`,
    '',
    '| n | ours default (s) | ours, refine off (s) | sklearn KMeans(k) (s) | sklearn / ours | inertia ours − sklearn (rel.) | refine off − sklearn (rel.) | samples ours / refine off / sklearn (s) |',
    '|---|--:|--:|--:|--:|--:|--:|---|',
    ...rows.map(
      (r) =>
        `| ${sizeLabel(r.n)} | ${secs(r.ours)} | ${secs(r.oursLloyd)} | ${secs(r.sklearn)} | ${ratio(r.ours, r.sklearn)} | ${rel(inertia(r.ours), inertia(r.sklearn))} | ${rel(inertia(r.oursLloyd), inertia(r.sklearn))} | ${samples(r.ours)} / ${samples(r.oursLloyd)} / ${samples(r.sklearn)} |`,
    ),
    '',
  ].join('\n');
  const json = { schema: 1, startedAt: started.toISOString(), finishedAt: new Date().toISOString(), config: cfg, loadAverageStart: loadStart, loadAverageEnd: loadEnd, commit: git(['rev-parse', 'HEAD']), rows };
  writeResults(cfg.outDir, name, json, md);
  process.stdout.write(md);
}
