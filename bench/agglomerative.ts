// SPDX-License-Identifier: MIT
/**
 * Agglomerative clustering, ours against scikit-learn 1.2.1's AgglomerativeClustering, on the
 * same float32 data (the bench's Gaussian blobs, bench/data.ts), one process per measurement so
 * that each peak RSS is its own.
 *
 *   npx tsx bench/agglomerative.ts                                  # n = 10,000, d = 16, ward
 *   npx tsx bench/agglomerative.ts --n 5000 --linkages ward,single,average,complete
 *   npx tsx bench/agglomerative.ts --n 20000 --linkages ward --out bench/results/agglomerative-n2e4.json
 *
 * Both sides fit the whole tree once (no warm-up: one fit is seconds) with n_clusters = k and
 * compute_distances=True; the table gives the fit time, the process's peak RSS, whether the two
 * partitions at k are the same (up to renumbering), and the largest relative difference between
 * the two lists of merge heights. Flags: --n, --d, --k, --seed, --std, --center-box (the data),
 * --linkages, --backend (ours: cpu or wasm; only `distanceMatrix: 'device'` uses it), --device
 * (complete and average with the device distance matrix), --threads (scikit-learn's BLAS/OpenMP
 * threads), --python, --max-minutes, --no-sklearn, --out FILE (JSON).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { agglomerative, type Linkage } from '../src/algorithms/agglomerative.js';
import { initBackend, type BackendName } from '../src/backend/backend.js';
import { runChild, type ChildOutcome } from './child.js';
import { ensureDataset, type BlobSpec } from './data.js';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = join(BENCH_DIR, '..');
const RESULT_PREFIX = 'BENCH_RESULT ';

function flag(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
}

/** Worker: one fit of ours, labels and heights written next to the data. */
async function worker(args: string[]): Promise<void> {
  const n = Number(flag(args, 'n', '0'));
  const d = Number(flag(args, 'd', '0'));
  const k = Number(flag(args, 'k', '8'));
  const linkage = flag(args, 'linkage', 'ward') as Linkage;
  const backend = flag(args, 'backend', 'wasm') as BackendName;
  const device = args.includes('--device');
  const prefix = flag(args, 'out-prefix', '');
  await initBackend(backend, { strict: true, onWarning: () => {} });
  const buf = readFileSync(flag(args, 'x', ''));
  const data = new Float32Array(buf.buffer, buf.byteOffset, n * d);
  const start = performance.now();
  const r = await agglomerative({ data, rows: n, cols: d }, { k, linkage, distanceMatrix: device ? 'device' : 'host' });
  const fitMs = performance.now() - start;
  writeFileSync(`${prefix}.labels.i32`, new Uint8Array(r.labels.buffer));
  writeFileSync(`${prefix}.heights.f64`, new Uint8Array(r.distances.buffer));
  const result = { side: 'ours', linkage, backend: r.backend, device, n, d, k, fitMs, peakRssBytes: process.resourceUsage().maxRSS * 1024 };
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

function samePartition(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  const ab = new Map<number, number>();
  const ba = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    if ((ab.get(a[i]) ?? b[i]) !== b[i] || (ba.get(b[i]) ?? a[i]) !== a[i]) return false;
    ab.set(a[i], b[i]);
    ba.set(b[i], a[i]);
  }
  return true;
}

function readI32(path: string): Int32Array {
  const b = readFileSync(path);
  return new Int32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

function readF64(path: string): Float64Array {
  const b = readFileSync(path);
  return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

/** Largest |a − b| / max(|b|, 1e-12) over the merge heights, each list sorted. */
function maxRelDiff(a: Float64Array, b: Float64Array): number {
  const x = Float64Array.from(a).sort();
  const y = Float64Array.from(b).sort();
  let worst = 0;
  for (let i = 0; i < Math.min(x.length, y.length); i++) worst = Math.max(worst, Math.abs(x[i] - y[i]) / Math.max(Math.abs(y[i]), 1e-12));
  return worst;
}

function seconds(o: ChildOutcome): string {
  const ms = o.result?.fitMs;
  return typeof ms === 'number' ? (ms / 1000).toFixed(2) : o.timedOut ? 'timeout' : 'failed';
}

function mib(o: ChildOutcome): string {
  const b = (o.result?.peakRssBytes as number | undefined) ?? o.polledPeakRssBytes;
  return b === null || b === undefined ? '?' : String(Math.round(b / 2 ** 20));
}

async function main(args: string[]): Promise<void> {
  const spec: BlobSpec = {
    n: Number(flag(args, 'n', '10000')),
    d: Number(flag(args, 'd', '16')),
    k: Number(flag(args, 'k', '8')),
    seed: Number(flag(args, 'seed', '3')),
    centerBox: Number(flag(args, 'center-box', '10')),
    std: Number(flag(args, 'std', '4')),
  };
  const linkages = flag(args, 'linkages', 'ward').split(',') as Linkage[];
  const backend = flag(args, 'backend', 'wasm');
  const threads = flag(args, 'threads', '2');
  const python = flag(args, 'python', '/usr/bin/python3');
  const timeoutMs = Number(flag(args, 'max-minutes', '30')) * 60_000;
  const device = args.includes('--device');
  const ds = ensureDataset(spec);
  const env = { ...process.env, OMP_NUM_THREADS: threads, OPENBLAS_NUM_THREADS: threads, MKL_NUM_THREADS: threads };
  const rows: Array<Record<string, unknown>> = [];
  console.log(`| linkage | n | d | ours (s) | scikit-learn (s) | ours / sklearn | ours peak RSS (MiB) | sklearn peak RSS (MiB) | same partition at k=${spec.k} | max rel. height diff |`);
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const linkage of linkages) {
    const base = join(dirname(ds.xPath), `${ds.name}.agglo-${linkage}`);
    const common = ['--x', ds.xPath, '--n', String(spec.n), '--d', String(spec.d), '--k', String(spec.k), '--linkage', linkage];
    const ours = await runChild(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(import.meta.url), 'worker', ...common, '--backend', backend, '--out-prefix', `${base}.ours`, ...(device ? ['--device'] : [])],
      { env, cwd: REPO_ROOT, timeoutMs, label: `ours ${linkage}` },
    );
    const theirs = args.includes('--no-sklearn')
      ? null
      : await runChild(python, [join(BENCH_DIR, 'agglomerative_sklearn.py'), ...common, '--out-prefix', `${base}.sklearn`], {
          env,
          cwd: REPO_ROOT,
          timeoutMs,
          label: `sklearn ${linkage}`,
        });
    let same: boolean | null = null;
    let rel: number | null = null;
    if (ours.result !== null && theirs?.result) {
      same = samePartition(readI32(`${base}.ours.labels.i32`), readI32(`${base}.sklearn.labels.i32`));
      rel = maxRelDiff(readF64(`${base}.ours.heights.f64`), readF64(`${base}.sklearn.heights.f64`));
    }
    const ratio =
      typeof ours.result?.fitMs === 'number' && typeof theirs?.result?.fitMs === 'number'
        ? ((ours.result.fitMs as number) / (theirs.result.fitMs as number)).toFixed(2)
        : '-';
    console.log(
      `| ${linkage}${device && linkage !== 'ward' && linkage !== 'single' ? ' (device)' : ''} | ${spec.n} | ${spec.d} | ${seconds(ours)} | ${theirs ? seconds(theirs) : 'not run'} | ${ratio} | ${mib(ours)} | ${theirs ? mib(theirs) : '-'} | ${same ?? '-'} | ${rel === null ? '-' : rel.toExponential(1)} |`,
    );
    rows.push({ linkage, spec, ours: ours.result, sklearn: theirs?.result ?? null, samePartition: same, maxRelHeightDiff: rel, oursPolledPeakRss: ours.polledPeakRssBytes, sklearnPolledPeakRss: theirs?.polledPeakRssBytes ?? null });
  }
  const out = flag(args, 'out', '');
  if (out !== '') writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), threads, backend, rows }, null, 1)}\n`);
}

const argv = process.argv.slice(2);
if (argv[0] === 'worker') await worker(argv.slice(1));
else await main(argv);
