// SPDX-License-Identifier: MIT
/**
 * `npm run bench:tables`: reruns the pipelines of test/fixtures/data/TABLES.md (tables A to D)
 * with this engine and prints, per table and figure, the published figure, scikit-learn's on the
 * same pipeline and ours; flags the published figures scikit-learn itself does not reproduce.
 * scikit-learn runs live (bench/tables_sklearn.py with /usr/bin/python3) where it is installed,
 * else its figures are read from the committed fixture bench/tables_sklearn.json that the same
 * script writes with --write-fixture. Writes bench/results/tables-<date>.{json,md}.
 *
 * scikit-learn runs with one OpenMP/BLAS thread: only its figures matter here, not its speed, and
 * on a shared 2-core machine its threads would wait for each other. Agglomerative and spectral
 * clustering of table D are entries of D_ALGORITHMS (bench/tablesPipelines.ts) without a `run`
 * until those estimators are in the library: their rows are left out and the output says so.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend, type BackendName } from '../src/backend/backend.js';
import { runChild } from './child.js';
import { parseFlags, UsageError } from './flags.js';
import {
  D_ALGORITHMS,
  FEATURES,
  KMEANS_K,
  elbow,
  kneeOf,
  runKMeans,
  type AlgorithmEntry,
  type AlgorithmKey,
  type Features,
  type OursFigures,
  type TableId,
} from './tablesPipelines.js';
import { BEST_INERTIA, TABLES } from './tablesPublished.js';
import { git, runMain, stamp, writeResults } from './common.js';
import {
  checkPublished,
  compareMatrix,
  referenceMismatches,
  renderMarkdown,
  type EntryResult,
  type SklearnFigures,
  type SklearnRun,
  type TableResult,
  type TablesResults,
} from './tablesReport.js';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(BENCH_DIR);
const FIXTURE = join(BENCH_DIR, 'tables_sklearn.json');
const ELBOW_K = [2, 3, 4, 5, 6, 7, 8, 9];

const HELP = `npm run bench:tables -- [options]

  --sklearn auto|live|fixture  scikit-learn's figures: live (bench/tables_sklearn.py), from the committed
                               fixture bench/tables_sklearn.json, or auto (live where scikit-learn is
                               installed, else the fixture). Default auto.
  --python /usr/bin/python3    the interpreter with scikit-learn
  --backend wasm               ours on this tfjs backend: wasm, cpu, webgpu
  --seed 42                    our k-means seed (scikit-learn uses random_state 42)
  --tables A,B,C,D             which tables
  --out bench/results          where results go
`;

interface Config {
  sklearn: 'auto' | 'live' | 'fixture';
  python: string;
  backend: BackendName;
  seed: number;
  tables: TableId[];
  outDir: string;
}

function readConfig(argv: string[]): Config {
  const f = parseFlags(argv);
  if (f.has('help')) {
    process.stdout.write(HELP);
    process.exit(0);
  }
  const sklearn = f.str('sklearn') ?? 'auto';
  if (sklearn !== 'auto' && sklearn !== 'live' && sklearn !== 'fixture') throw new UsageError(`--sklearn '${sklearn}' must be auto, live or fixture`);
  const backend = f.str('backend') ?? 'wasm';
  if (!['wasm', 'cpu', 'webgpu'].includes(backend)) throw new UsageError(`--backend '${backend}' must be wasm, cpu or webgpu`);
  const tables = f.list('tables', ['A', 'B', 'C', 'D']);
  for (const t of tables) if (!['A', 'B', 'C', 'D'].includes(t)) throw new UsageError(`--tables: '${t}' is not one of A, B, C, D`);
  return {
    sklearn,
    python: f.str('python') ?? '/usr/bin/python3',
    backend: backend as BackendName,
    seed: f.int('seed', 42),
    tables: tables as TableId[],
    outDir: f.str('out') ?? join(BENCH_DIR, 'results'),
  };
}

const log = (s: string): void => void process.stderr.write(`${s}\n`);

/** scikit-learn's figures, live or from the fixture, and why that source. */
async function sklearnRun(cfg: Config): Promise<{ run: SklearnRun; source: 'live' | 'fixture'; why: string }> {
  let why = '--sklearn fixture';
  // Probe first: runChild does not catch a failed spawn (no such interpreter).
  const probe = cfg.sklearn === 'fixture' ? null : spawnSync(cfg.python, ['-c', 'import sklearn, pandas'], { encoding: 'utf8' });
  if (probe !== null && (probe.error !== undefined || probe.status !== 0)) {
    why = `${cfg.python} cannot import scikit-learn and pandas (${probe.error?.message ?? probe.stderr.trim().split('\n').slice(-1)[0]})`;
    if (cfg.sklearn === 'live') throw new Error(`tables: scikit-learn live run impossible: ${why}`);
    log(`tables: ${why}; reading the fixture`);
  } else if (probe !== null) {
    log(`tables: scikit-learn live (${cfg.python} bench/tables_sklearn.py)`);
    const o = await runChild(cfg.python, [join(BENCH_DIR, 'tables_sklearn.py')], {
      env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
      cwd: ROOT,
      timeoutMs: 20 * 60 * 1000,
      label: 'sklearn',
    });
    if (o.result !== null) return { run: o.result as unknown as SklearnRun, source: 'live', why: `run by ${cfg.python}` };
    why = `${cfg.python} could not run it (${o.timedOut ? 'timed out' : `exit ${o.exitCode ?? o.signal}`}: ${o.stderrTail.trim().split('\n').slice(-1)[0] ?? ''})`;
    if (cfg.sklearn === 'live') throw new Error(`tables: scikit-learn live run failed: ${why}`);
    log(`tables: ${why}; reading the fixture`);
  }
  if (!existsSync(FIXTURE)) throw new Error(`tables: no scikit-learn figures: ${why}, and ${relative(ROOT, FIXTURE)} is missing (write it with bench/tables_sklearn.py --write-fixture)`);
  return { run: JSON.parse(readFileSync(FIXTURE, 'utf8')) as SklearnRun, source: 'fixture', why: `${relative(ROOT, FIXTURE)}; ${why}` };
}

/** scikit-learn's figures of one algorithm of a table: its main run and, for k-means, n_init = 1. */
function sklearnOf(run: SklearnRun, id: TableId, key: AlgorithmKey): EntryResult['sklearn'] {
  const t = run.tables[id];
  const raw = key === 'kmeans' && t.kmeans !== undefined ? t.kmeans : t.algorithms?.[key];
  if (raw === undefined) return { main: null, nInit1: null };
  if ('nInit10' in raw) return { main: raw.nInit10, nInit1: raw.nInit1 };
  return { main: raw as SklearnFigures, nInit1: null };
}

async function runTable(id: TableId, cfg: Config, sk: SklearnRun): Promise<TableResult> {
  const info = TABLES[id];
  log(`tables ${id}: features`);
  const features = await FEATURES[id]();
  const skTable = sk.tables[id];
  let elbowResult: TableResult['elbow'] = null;
  if (id === 'A' && skTable.elbow !== undefined) {
    log(`tables ${id}: elbow k = ${ELBOW_K[0]}..${ELBOW_K[ELBOW_K.length - 1]}`);
    const ours = await elbow(features, ELBOW_K, cfg.seed, true);
    const oursLloydOnly = await elbow(features, ELBOW_K, cfg.seed, false);
    const sklearn = { k: skTable.elbow.k, inertia: skTable.elbow.inertia, knee: kneeOf(skTable.elbow.k, skTable.elbow.inertia) };
    elbowResult = { ours, oursLloydOnly, sklearn };
  }
  const entries: AlgorithmEntry[] =
    id === 'D'
      ? D_ALGORITHMS
      : [
          {
            key: 'kmeans',
            name: 'K-Means',
            params: `k = ${KMEANS_K[id]}, nInit = 10`,
            run: async (f, seed): Promise<OursFigures> => ({
              main: await runKMeans(f, { k: KMEANS_K[id], nInit: 10, refine: true, seed }),
              lloydOnly: await runKMeans(f, { k: KMEANS_K[id], nInit: 10, refine: false, seed }),
            }),
          },
        ];
  const results: EntryResult[] = [];
  for (const e of entries) {
    // An algorithm not in this build still has its published figures checked against scikit-learn's.
    if (e.run !== null) log(`tables ${id}: ${e.name}`);
    const ours = e.run === null ? null : await e.run(features, cfg.seed);
    const sklearn = sklearnOf(sk, id, e.key);
    const published = info.published[e.key] ?? null;
    const runs = [sklearn.main, sklearn.nInit1].filter((r): r is SklearnFigures => r !== null);
    const checks = published === null ? [] : checkPublished(e.key, published, runs, elbowResult?.sklearn.knee ?? null);
    results.push({ key: e.key, name: e.name, params: e.params, published, sklearn, ours, checks });
  }
  const kmeansEntry = results.find((e) => e.key === 'kmeans');
  const best = id === 'D' ? undefined : BEST_INERTIA[id];
  const oursInertia = kmeansEntry?.ours?.main.inertia;
  return {
    id,
    title: info.title,
    origin: info.origin,
    file: features.file,
    rows: features.matrix.rows,
    cols: features.matrix.cols,
    featureNames: features.featureNames,
    pipeline: features.pipeline,
    notes: features.notes,
    remark: info.remark ?? null,
    matrixCheck: compareMatrix(features, skTable.matrix),
    elbow: elbowResult,
    entries: results,
    referenceMismatches: referenceMismatches(info, (key, variant) => {
      const s = sklearnOf(sk, id, key);
      return variant === 'nInit1' ? s.nInit1 : s.main;
    }),
    bar: best !== undefined && oursInertia !== undefined ? { best, ours: oursInertia, met: oursInertia <= best * (1 + 1e-6) } : null,
  };
}

async function main(): Promise<void> {
  const cfg = readConfig(process.argv.slice(2));
  const started = new Date();
  const loadAverageStart = os.loadavg();
  const backend = await initBackend(cfg.backend, { strict: true, onWarning: log });
  log(`tables: ours on ${backend.name} (${backend.reason})`);
  const sk = await sklearnRun(cfg);
  const tables: TableResult[] = [];
  for (const id of cfg.tables) tables.push(await runTable(id, cfg, sk.run));
  const results: TablesResults = {
    schema: 1,
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    command: ['npm run bench:tables', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' '),
    backend: { name: backend.name, reason: backend.reason },
    seed: cfg.seed,
    machine: { nodeVersion: process.version, platform: `${os.platform()} ${os.release()} ${os.arch()}`, cores: os.cpus().length, loadAverageStart, loadAverageEnd: os.loadavg() },
    source: {
      commit: git(['rev-parse', 'HEAD']),
      uncommittedSrcFiles: (git(['status', '--porcelain', '--', 'src']) ?? '').split('\n').filter((l) => l.trim() !== ''),
    },
    sklearn: { source: sk.source, why: sk.why, versions: sk.run.versions, randomState: sk.run.randomState },
    tables,
  };
  const md = renderMarkdown(results);
  mkdirSync(cfg.outDir, { recursive: true });
  const name = `tables-${stamp(started)}`;
  writeResults(cfg.outDir, name, results, md);
  process.stdout.write(md);
  log(`tables: wrote ${relative(ROOT, join(cfg.outDir, name))}.{json,md}`);
}

runMain('bench:tables', HELP, main);
