// SPDX-License-Identifier: MIT
/**
 * Mean shift (bin seeding) and DBSCAN, ours against scikit-learn 1.2.1 on the same float32 rows.
 *
 *   npx tsx bench/meanShiftDbscan.ts [--ms-n 20000] [--db-n 100000] [--d 8] [--k 8] [--std 1]
 *       [--eps 1.5] [--min-samples 10] [--backend wasm] [--threads 1] [--python /usr/bin/python3]
 *       [--kernels portable,fast] [--wasm-threads N] [--no-sklearn] [--out bench/results/x.md]
 *
 * On the wasm backend ours runs once per entry of --kernels: `portable` with the portable
 * meanShiftStep, radiusCounts and radiusPairs (tfjs ops; the "before"), `fast` with our WebAssembly
 * SIMD kernels registered by initBackend (the "after"), on --wasm-threads threads (default
 * --threads, so both sides get the same cores). Each line gives wall and process CPU time.
 *
 * The targets (issue 5): mean shift at n = 20,000, d = 8 at least 5 times faster than
 * scikit-learn's; DBSCAN at n = 100,000, d = 8 no slower. The rows are bench/data.ts's Gaussian
 * blobs (centers in [-10, 10]^d). Both sides get the same bandwidth (ours, estimated on 2,000
 * sampled rows, outside the timing) and the same eps and minSamples. scikit-learn runs in its own
 * process with OMP/OPENBLAS threads set to --threads; each side is timed once, after our backend
 * has started. The labels are compared (up to relabelling for mean shift, exactly for DBSCAN) so
 * a fast wrong answer shows.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DBSCAN } from '../src/algorithms/dbscan.js';
import { estimateBandwidth } from '../src/algorithms/estimateBandwidth.js';
import { MeanShift } from '../src/algorithms/meanShift.js';
import { initBackend, type BackendName } from '../src/backend/backend.js';
import { meanShiftStep } from '../src/kernels/meanShiftStep/index.js';
import { radiusCounts } from '../src/kernels/radiusCounts/index.js';
import { radiusPairs } from '../src/kernels/radiusPairs/index.js';
import { meanShiftStepWasm } from '../src/kernels/meanShiftStep/wasm.js';
import { radiusCountsWasm } from '../src/kernels/radiusCounts/wasm.js';
import { radiusPairsWasm } from '../src/kernels/radiusPairs/wasm.js';
import { setWasmThreads } from '../src/kernels/wasm/threads.js';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { ensureDataset, readDataset } from './data.js';
import { parseFlags } from './flags.js';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));

const f = parseFlags(process.argv.slice(2));
const msN = f.int('ms-n', 20_000);
const dbN = f.int('db-n', 100_000);
const d = f.int('d', 8);
const k = f.int('k', 8);
const std = f.num('std', 1);
const eps = f.num('eps', 1.5);
const minSamples = f.int('min-samples', 10);
const backend = (f.str('backend') ?? 'wasm') as BackendName;
const threads = f.int('threads', 1);
const python = f.str('python') ?? '/usr/bin/python3';
const kernelModes = f.list('kernels', ['portable', 'fast']) as Array<'portable' | 'fast'>;
const wasmThreads = f.int('wasm-threads', threads);
const withSklearn = !f.has('no-sklearn');
const outPath = f.str('out');
const lines: string[] = [];
function say(line: string): void {
  console.log(line);
  lines.push(line);
}
const load = (): string => loadavg().map((v) => v.toFixed(2)).join(', ');

/** Milliseconds spent inside the fast kernels since the last reset (wall time of the calls), and the pairs they examined. */
let kernelMs = 0;
let kernelPairs = 0;
function clocked<A extends unknown[], R>(fn: (...args: A) => R, pairs: (...args: A) => number): (...args: A) => R {
  return (...args: A): R => {
    const t0 = performance.now();
    try {
      return fn(...args);
    } finally {
      kernelMs += performance.now() - t0;
      kernelPairs += pairs(...args);
    }
  };
}
const rowsOf = (t: { shape: number[] }): number => t.shape[0];

/** Registers our wasm kernels (`fast`, timed) or removes them so the portable ones run (`portable`). */
function useKernels(mode: 'portable' | 'fast'): void {
  kernelMs = 0;
  kernelPairs = 0;
  if (mode === 'fast') {
    radiusCounts.register('wasm', clocked(radiusCountsWasm, (r, cols) => rowsOf(r) * cols.reduce((s, c) => s + rowsOf(c), 0)));
    radiusPairs.register('wasm', clocked(radiusPairsWasm, (r, c) => rowsOf(r) * rowsOf(c)));
    meanShiftStep.register('wasm', clocked(meanShiftStepWasm, (seeds, blocks) => rowsOf(seeds) * blocks.reduce((s, b) => s + rowsOf(b.x), 0)));
  } else {
    radiusCounts.unregister('wasm');
    radiusPairs.unregister('wasm');
    meanShiftStep.unregister('wasm');
  }
}

/** What the fast kernels did: seconds inside them, pairs examined, wall ns per pair. */
const kernelNote = (mode: string): string =>
  mode === 'fast' ? `, ${(kernelMs / 1000).toFixed(2)} s in the kernels for ${kernelPairs.toExponential(2)} pairs, ${((kernelMs * 1e6) / kernelPairs).toFixed(2)} ns/pair` : '';

/** Runs `fit` and returns its result with wall and CPU seconds. */
async function timed<T>(fit: () => Promise<T>): Promise<{ r: T; s: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await fit();
  const s = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { r, s, cpu: (c.user + c.system) / 1e6 };
}
const work = mkdtempSync(join(tmpdir(), 'segments-msdb-'));

function sklearn(task: string, args: string[]): { seconds: number; labels: Int32Array; info: Record<string, unknown> } {
  const out = join(work, `${task}.labels.i32`);
  const env = { ...process.env, OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) };
  const r = spawnSync(python, [join(BENCH_DIR, 'meanshift_dbscan_sklearn.py'), task, ...args, '--labels-out', out], { env, encoding: 'utf8' });
  const line = r.stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
  if (line === undefined) throw new Error(`bench: scikit-learn ${task} failed: ${r.stderr}`);
  const info = JSON.parse(line.slice('BENCH_RESULT '.length)) as Record<string, unknown>;
  const buf = readFileSync(out);
  return { seconds: info.seconds as number, labels: new Int32Array(buf.buffer, buf.byteOffset, buf.length / 4), info };
}

/** Rows whose label pair breaks a one-to-one map between the two labelings (0 = same partition). */
function partitionMismatches(a: Int32Array, b: Int32Array): number {
  const ab = new Map<number, number>();
  const ba = new Map<number, number>();
  let bad = 0;
  for (let i = 0; i < a.length; i++) {
    const x = ab.get(a[i]);
    const y = ba.get(b[i]);
    if (x === undefined && y === undefined) {
      ab.set(a[i], b[i]);
      ba.set(b[i], a[i]);
    } else if (x !== b[i] || y !== a[i]) bad++;
  }
  return bad;
}

const info = await initBackend(backend, { strict: true, onWarning: () => {} });
const modes = info.name === 'wasm' ? kernelModes : (['portable'] as const);
if (info.name === 'wasm') await setWasmThreads(wasmThreads);
say(`backend ${info.name} (${info.reason}); our wasm threads ${wasmThreads}; scikit-learn threads ${threads}; load average ${load()}`);
const quiet = { onWarning: () => {} };

{
  const ds = ensureDataset({ n: msN, d, k, seed: 1, centerBox: 10, std });
  const { x } = readDataset(ds, msN, d, k);
  const m = { data: x, rows: msN, cols: d };
  const bandwidth = await estimateBandwidth(m, { nSamples: Math.min(2000, msN), seed: 0 });
  const sk = withSklearn ? sklearn('meanshift', ['--x', ds.xPath, '--n', String(msN), '--d', String(d), '--bandwidth', String(bandwidth)]) : null;
  for (const mode of modes) {
    useKernels(mode);
    const { r: ours, s: oursS, cpu } = await timed(() => new MeanShift({ bandwidth, binSeeding: true, ...quiet }).fit(m));
    say(
      `mean shift n=${msN} d=${d} bandwidth=${bandwidth.toFixed(4)} seeds=${ours.nSeeds} [${mode} kernels]: ours ${oursS.toFixed(2)} s ` +
        `(cpu ${cpu.toFixed(2)} s${kernelNote(mode)}; ${ours.centroids.rows} clusters, nIter ${ours.nIter})` +
        (sk === null
          ? ''
          : `, scikit-learn ${sk.seconds.toFixed(2)} s (${String(sk.info.n_clusters)} clusters, n_iter ${String(sk.info.n_iter)}); ` +
            `speed-up ${(sk.seconds / oursS).toFixed(2)}x; rows breaking the partition match: ${partitionMismatches(ours.labels, sk.labels)}`) +
        `; load ${load()}`,
    );
  }
}

{
  const ds = ensureDataset({ n: dbN, d, k, seed: 2, centerBox: 10, std });
  const { x } = readDataset(ds, dbN, d, k);
  const m = { data: x, rows: dbN, cols: d };
  const sk = withSklearn
    ? sklearn('dbscan', ['--x', ds.xPath, '--n', String(dbN), '--d', String(d), '--eps', String(eps), '--min-samples', String(minSamples)])
    : null;
  for (const mode of modes) {
    useKernels(mode);
    const { r: ours, s: oursS, cpu } = await timed(() => new DBSCAN({ eps, minSamples, ...quiet }).fit(m));
    let differ = 0;
    if (sk !== null) for (let i = 0; i < dbN; i++) if (ours.labels[i] !== sk.labels[i]) differ++;
    const noise = ours.labels.filter((l) => l === -1).length;
    say(
      `DBSCAN n=${dbN} d=${d} eps=${eps} minSamples=${minSamples} [${mode} kernels]: ours ${oursS.toFixed(2)} s (cpu ${cpu.toFixed(2)} s${kernelNote(mode)}; ` +
        `${ours.k} clusters, ${ours.coreSampleIndices.length} core, ${noise} noise)` +
        (sk === null
          ? ''
          : `, scikit-learn ${sk.seconds.toFixed(2)} s (${String(sk.info.n_clusters)} clusters, ${String(sk.info.n_core)} core); ` +
            `ratio sklearn/ours ${(sk.seconds / oursS).toFixed(2)}; labels differing: ${differ}`) +
        `; load ${load()}`,
    );
  }
}
useKernels('fast');
if (outPath !== undefined) writeFileSync(outPath, ['```', `npx tsx bench/meanShiftDbscan.ts ${process.argv.slice(2).join(' ')}`, ...lines, '```', ''].join('\n'));
process.exit(0);
