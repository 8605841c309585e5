// SPDX-License-Identifier: MIT
/**
 * Mean shift (bin seeding) and DBSCAN, ours against scikit-learn 1.2.1 on the same float32 rows.
 *
 *   npx tsx bench/meanShiftDbscan.ts [--ms-n 20000] [--db-n 100000] [--d 8] [--k 8] [--std 1]
 *       [--eps 1.5] [--min-samples 10] [--backend wasm] [--threads 1] [--python /usr/bin/python3]
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
console.log(`backend ${info.name} (${info.reason}); scikit-learn threads ${threads}`);
const quiet = { onWarning: () => {} };

{
  const ds = ensureDataset({ n: msN, d, k, seed: 1, centerBox: 10, std });
  const { x } = readDataset(ds, msN, d, k);
  const m = { data: x, rows: msN, cols: d };
  const bandwidth = await estimateBandwidth(m, { nSamples: Math.min(2000, msN), seed: 0 });
  const t0 = performance.now();
  const ours = await new MeanShift({ bandwidth, binSeeding: true, ...quiet }).fit(m);
  const oursS = (performance.now() - t0) / 1000;
  const sk = sklearn('meanshift', ['--x', ds.xPath, '--n', String(msN), '--d', String(d), '--bandwidth', String(bandwidth)]);
  console.log(
    `mean shift n=${msN} d=${d} bandwidth=${bandwidth.toFixed(4)} seeds=${ours.nSeeds}: ours ${oursS.toFixed(2)} s ` +
      `(${ours.centroids.rows} clusters, nIter ${ours.nIter}), scikit-learn ${sk.seconds.toFixed(2)} s ` +
      `(${String(sk.info.n_clusters)} clusters, n_iter ${String(sk.info.n_iter)}); speed-up ${(sk.seconds / oursS).toFixed(2)}x; ` +
      `rows breaking the partition match: ${partitionMismatches(ours.labels, sk.labels)}`,
  );
}

{
  const ds = ensureDataset({ n: dbN, d, k, seed: 2, centerBox: 10, std });
  const { x } = readDataset(ds, dbN, d, k);
  const m = { data: x, rows: dbN, cols: d };
  const t0 = performance.now();
  const ours = await new DBSCAN({ eps, minSamples, ...quiet }).fit(m);
  const oursS = (performance.now() - t0) / 1000;
  const sk = sklearn('dbscan', ['--x', ds.xPath, '--n', String(dbN), '--d', String(d), '--eps', String(eps), '--min-samples', String(minSamples)]);
  let differ = 0;
  for (let i = 0; i < dbN; i++) if (ours.labels[i] !== sk.labels[i]) differ++;
  const noise = ours.labels.filter((l) => l === -1).length;
  console.log(
    `DBSCAN n=${dbN} d=${d} eps=${eps} minSamples=${minSamples}: ours ${oursS.toFixed(2)} s (${ours.nClusters} clusters, ` +
      `${ours.coreSampleIndices.length} core, ${noise} noise), scikit-learn ${sk.seconds.toFixed(2)} s ` +
      `(${String(sk.info.n_clusters)} clusters, ${String(sk.info.n_core)} core); ratio sklearn/ours ${(sk.seconds / oursS).toFixed(2)}; ` +
      `labels differing: ${differ}`,
  );
}
