// SPDX-License-Identifier: MIT
/**
 * Choosing k: the former full search (k-means with nInit runs on all rows for every k, then the
 * scores) against chooseK's sampled search (nInit runs per k on `--sample` rows, every k seeded
 * from one k-means++ sequence per run, then one fit of the chosen k on all rows), in one process.
 *
 *   npx tsx bench/chooseK.ts [--rows 1e5] [--seed 7] [--backend wasm] [--n-init 4] [--k-min 2]
 *       [--k-max 8] [--sample 20000] [--silhouette 4000] [--repeat 1] [--no-full]
 *       [--sweep 5000,10000,20000,40000 --seeds 1,2,3]
 *
 * The rows are the CLI's: `sampleTable` (the generated users with planted segments) through
 * inferKinds and Pipeline.fitTransform, as `segments fit --sample` does; --n-init, --k-min,
 * --k-max and --silhouette are the CLI's defaults for `--k auto`. The full search is written out
 * here as chooseK did it before the sampled search (commit 2e31325), so the two are timed on the
 * same rows in one run. The table compares the chosen k, and the inertia on all rows of each
 * side's model for its k: the sampled search's final fit (started from the sample's centers)
 * against the full search's fit of the same k (nInit k-means++ runs on all rows).
 * The per-run and per-score times calibrate chooseK's progress model (RUN_PASSES, FINAL_PASSES).
 * --sweep runs chooseK with each sample size (and with all rows) for each of --seeds, and prints
 * the k each chose and its time: how small a sample still picks the k that all rows pick.
 */
import { chooseK, recommendK, type ChooseKProgress } from '../src/algorithms/chooseK.js';
import { KMeans, type KMeansResult } from '../src/algorithms/kmeans.js';
import { kneedle } from '../src/algorithms/kneedle.js';
import { initBackend, type BackendName } from '../src/backend/backend.js';
import { inferKinds } from '../src/data/inferKinds.js';
import { Pipeline } from '../src/data/pipeline.js';
import { sampleTable } from '../src/data/sampleGenerator.js';
import { calinskiHarabasz } from '../src/metrics/calinskiHarabasz.js';
import { daviesBouldin } from '../src/metrics/daviesBouldin.js';
import { silhouette } from '../src/metrics/silhouette.js';
import type { MatrixF32 } from '../src/matrix.js';
import { parseFlags } from './flags.js';

const f = parseFlags(process.argv.slice(2));
const rows = f.int('rows', 100_000);
const seed = f.int('seed', 7);
const backend = (f.str('backend') ?? 'wasm') as BackendName;
const nInit = f.int('n-init', 4);
const kMin = f.int('k-min', 2);
const kMax = f.int('k-max', 8);
const sampleSize = f.int('sample', 20_000);
const silhouetteSampleSize = f.int('silhouette', 4_000);
const repeat = f.int('repeat', 1);
const withFull = !f.has('no-full');
const sweep = f.ints('sweep', []);
const sweepSeeds = f.ints('seeds', [1, 2, 3]);
const quiet = { onWarning: () => {} };
const secs = (t0: number): number => (performance.now() - t0) / 1000;

/** chooseK before the sampled search: every k fitted on all rows with nInit runs. */
async function fullSearch(x: MatrixF32): Promise<{ k: number; models: Map<number, KMeansResult>; seconds: number; perK: number[] }> {
  const t0 = performance.now();
  const scores: Array<{ k: number; inertia: number; silhouette: number | null }> = [];
  const models = new Map<number, KMeansResult>();
  const perK: number[] = [];
  for (let k = kMin; k <= kMax; k++) {
    const tk = performance.now();
    const model = await new KMeans({ k, nInit, seed, ...quiet }).fit(x);
    const s = (await silhouette(x, model.labels, { sampleSize: silhouetteSampleSize, seed })).score;
    await calinskiHarabasz(x, model.labels);
    await daviesBouldin(x, model.labels);
    scores.push({ k, inertia: model.inertia, silhouette: s });
    models.set(k, model);
    perK.push(secs(tk));
  }
  const knee = kneedle(scores.map((s) => s.k), scores.map((s) => s.inertia), { curve: 'convex', direction: 'decreasing' }).knee;
  const k = recommendK(scores, knee, 0.02, `k = ${kMin}..${kMax}`).k;
  return { k, models, seconds: secs(t0), perK };
}

await initBackend(backend, { strict: true, ...quiet });
const tData = performance.now();
const { table } = sampleTable({ rows, seed });
const { output } = Pipeline.fitTransform(table, inferKinds(table), {});
const x = output.matrix;
console.log(`${x.rows} rows × ${x.cols} features (sampleTable seed ${seed} → inferKinds → Pipeline, ${secs(tData).toFixed(1)} s); backend ${backend}`);
console.log(`k = ${kMin}..${kMax}, nInit ${nInit}, search silhouette on ${silhouetteSampleSize} rows, sample ${sampleSize} rows\n`);

for (let rep = 0; rep < repeat; rep++) {
  // The sampled search, with its progress calls timed.
  const calls: Array<ChooseKProgress & { t: number }> = [];
  const t0 = performance.now();
  const r = await chooseK(x, {
    kMin,
    kMax,
    kmeans: { nInit, seed, ...quiet },
    sampleSize,
    silhouetteSampleSize,
    keepModels: 'chosen',
    onProgress: (p) => calls.push({ ...p, t: secs(t0) }),
  });
  const sampledSeconds = secs(t0);
  const searchEnd = calls.filter((c) => c.phase === 'search').at(-1)!.t;
  console.log(`sampled search: k = ${r.recommended.k} (${r.recommended.rule}) in ${sampledSeconds.toFixed(2)} s: search ${searchEnd.toFixed(2)} s on ${r.search.rows} rows, final fit ${(sampledSeconds - searchEnd).toFixed(2)} s on all rows (nIter ${r.model.nIter}, refine ${r.model.refineStopped})`);
  // Progress calibration: the fraction chooseK reported against the share of time actually spent.
  const worst = calls.reduce((w, c) => Math.max(w, Math.abs(c.fraction - c.t / sampledSeconds)), 0);
  console.log(`  progress: ${calls.length} calls; largest |fraction − time share| ${worst.toFixed(3)}`);
  let prev = 0;
  const runTimes: string[] = [];
  for (const c of calls) {
    if (c.phase === 'search') runTimes.push(`${c.score === null ? `k${c.k}r${c.run}` : `score${c.k}`} ${(c.t - prev).toFixed(2)}`);
    prev = c.t;
  }
  console.log(`  steps (s): ${runTimes.join(', ')}`);

  if (withFull) {
    const full = await fullSearch(x);
    const same = full.models.get(r.recommended.k)!;
    console.log(`full search: k = ${full.k} in ${full.seconds.toFixed(2)} s (per k: ${full.perK.map((s) => s.toFixed(1)).join(', ')})`);
    console.log(`  inertia on all rows at k = ${r.recommended.k}: sampled search's final fit ${r.model.inertia.toFixed(1)}, full fit (nInit ${nInit}) ${same.inertia.toFixed(1)}, ratio ${(r.model.inertia / same.inertia).toFixed(5)}`);
    // A fresh default fit of the chosen k on all rows (KMeans's own nInit), the alternative final fit.
    const t1 = performance.now();
    const fresh = await new KMeans({ k: r.recommended.k, seed, ...quiet }).fit(x);
    console.log(`  a fresh default fit of k = ${r.recommended.k} on all rows: ${secs(t1).toFixed(2)} s, inertia ${fresh.inertia.toFixed(1)} (final fit / fresh: ${(r.model.inertia / fresh.inertia).toFixed(5)})`);
    console.log(`  speed-up ${(full.seconds / sampledSeconds).toFixed(2)}x; same k: ${full.k === r.recommended.k}\n`);
  }
}

if (sweep.length > 0) {
  console.log(`sweep: k chosen (seconds) per sample size, seeds ${sweepSeeds.join(', ')}`);
  for (const size of [...sweep, x.rows]) {
    const cells: string[] = [];
    for (const s of sweepSeeds) {
      const t0 = performance.now();
      const r = await chooseK(x, { kMin, kMax, kmeans: { nInit, seed: s, ...quiet }, sampleSize: size, silhouetteSampleSize, keepModels: 'chosen' });
      cells.push(`${r.recommended.k} (${secs(t0).toFixed(1)} s)`);
    }
    console.log(`  ${size === x.rows ? `all ${size}` : size} rows: ${cells.join(', ')}`);
  }
}
