// SPDX-License-Identifier: MIT
/**
 * Spectral clustering, ours against scikit-learn 1.2.1 on the same float32 rows.
 *
 *   npx tsx bench/spectral.ts [--n 20000] [--d 8] [--k 8] [--std 1] [--affinity nearest_neighbors]
 *       [--n-neighbors 10] [--gamma 1] [--backend wasm] [--threads 1] [--python /usr/bin/python3]
 *       [--no-sklearn]
 *
 * The target (issue 5): k-NN spectral clustering at n = 20,000 completes within 2 GB. The rows
 * are bench/data.ts's Gaussian blobs. Ours runs in this process (peak RSS of the whole process,
 * tfjs included, from process.resourceUsage); scikit-learn in its own process with its threads
 * set to --threads (peak RSS from getrusage). Both use nInit = 10 k-means runs; the labels are
 * compared by adjusted Rand index (with each other and with the blobs' true labels).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SpectralClustering, type SpectralAffinity } from '../src/algorithms/spectral.js';
import { initBackend, type BackendName } from '../src/backend/backend.js';
import { ensureDataset, readDataset } from './data.js';
import { parseFlags } from './flags.js';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const f = parseFlags(process.argv.slice(2));
const n = f.int('n', 20_000);
const d = f.int('d', 8);
const k = f.int('k', 8);
const std = f.num('std', 1);
const affinity = (f.str('affinity') ?? 'nearest_neighbors') as SpectralAffinity;
const nNeighbors = f.int('n-neighbors', 10);
const gamma = f.num('gamma', 1);
const backend = (f.str('backend') ?? 'wasm') as BackendName;
const threads = f.int('threads', 1);
const python = f.str('python') ?? '/usr/bin/python3';

/** Adjusted Rand index (Hubert & Arabie 1985). */
function ari(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const table = new Map<string, number>();
  const ra = new Map<number, number>();
  const rb = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    const key = `${a[i]},${b[i]}`;
    table.set(key, (table.get(key) ?? 0) + 1);
    ra.set(a[i], (ra.get(a[i]) ?? 0) + 1);
    rb.set(b[i], (rb.get(b[i]) ?? 0) + 1);
  }
  const c2 = (x: number): number => (x * (x - 1)) / 2;
  const sum = (m: Map<unknown, number>): number => [...m.values()].reduce((s, v) => s + c2(v), 0);
  const index = sum(table);
  const sa = sum(ra);
  const sb = sum(rb);
  const expected = (sa * sb) / c2(a.length);
  const max = (sa + sb) / 2;
  return max === expected ? 1 : (index - expected) / (max - expected);
}

const ds = ensureDataset({ n, d, k, seed: 1, centerBox: 10, std });
const { x, labels: truth } = readDataset(ds, n, d, k);
const info = await initBackend(backend, { strict: true, onWarning: () => {} });
console.log(`spectral (${affinity}${affinity === 'rbf' ? `, gamma ${gamma}` : `, nNeighbors ${nNeighbors}`}), n=${n} d=${d} k=${k}; backend ${info.name}; scikit-learn threads ${threads}`);

const rssBefore = process.resourceUsage().maxRSS / 1024;
const t0 = performance.now();
const ours = await new SpectralClustering({ k, affinity, nNeighbors, gamma, seed: 0, onWarning: (m) => console.log(`  warning: ${m}`) }).fit({ data: x, rows: n, cols: d });
const oursSeconds = (performance.now() - t0) / 1000;
const oursPeak = process.resourceUsage().maxRSS / 1024;
console.log(
  `ours:    ${oursSeconds.toFixed(2)} s, peak RSS ${oursPeak.toFixed(0)} MB (${rssBefore.toFixed(0)} MB before the fit), ` +
    `${ours.nIter} block products, converged ${ours.converged}, storage ${ours.affinityStorage}, graph components ${ours.graphComponents}, ` +
    `ARI vs truth ${ari(ours.labels, truth).toFixed(4)}`,
);
console.log(`         eigenvalues ${Array.from(ours.eigenvalues, (v) => v.toExponential(3)).join(" ")}; residuals ${Array.from(ours.residuals, (v) => v.toExponential(1)).join(" ")}`);

if (!f.has('no-sklearn')) {
  const out = join(mkdtempSync(join(tmpdir(), 'segments-spectral-')), 'labels.i32');
  const env = { ...process.env, OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) };
  const args = [join(BENCH_DIR, 'spectral_sklearn.py'), '--x', ds.xPath, '--n', String(n), '--d', String(d), '--k', String(k), '--affinity', affinity,
    '--n-neighbors', String(nNeighbors), '--gamma', String(gamma), '--labels-out', out];
  const r = spawnSync(python, args, { env, encoding: 'utf8', maxBuffer: 1 << 24 });
  const line = r.stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
  if (line === undefined) {
    console.log(`sklearn: failed (${r.status}): ${r.stderr.trim().split('\n').slice(-2).join(' | ')}`);
  } else {
    const res = JSON.parse(line.slice('BENCH_RESULT '.length)) as { seconds: number; peak_rss_mb: number };
    const buf = readFileSync(out);
    const theirs = new Int32Array(buf.buffer, buf.byteOffset, buf.length / 4);
    console.log(
      `sklearn: ${res.seconds.toFixed(2)} s, peak RSS ${res.peak_rss_mb.toFixed(0)} MB, ARI vs truth ${ari(theirs, truth).toFixed(4)}; ` +
        `ARI ours vs sklearn ${ari(ours.labels, theirs).toFixed(4)}`,
    );
  }
}
