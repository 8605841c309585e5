// SPDX-License-Identifier: MIT
/**
 * `segments sample`: k-means on the numeric planted sample (src/data/plantedSample.ts) with sizes,
 * purity against the planted segments, and metrics. A quick check that the engine and a backend
 * work; `segments fit --sample` segments the full generated users table instead.
 */
import { KMeans } from '../../algorithms/kmeans.js';
import { plantedSample } from '../../data/plantedSample.js';
import { calinskiHarabasz } from '../../metrics/calinskiHarabasz.js';
import { daviesBouldin } from '../../metrics/daviesBouldin.js';
import { silhouette } from '../../metrics/silhouette.js';
import type { CommandSpec } from '../args.js';
import type { Context } from '../context.js';
import { DEFAULT_SEED, startBackend } from './common.js';

/** Silhouette is O(n²): above this many rows it is computed on a sample of this size. */
const SILHOUETTE_SAMPLE = 10_000;

export const SAMPLE_SPEC: CommandSpec = {
  name: 'sample',
  summary: 'Segments the numeric planted sample with k-means and prints sizes, purity and metrics.',
  positionals: [],
  flags: {
    rows: { type: 'integer', value: 'N', min: 1, help: 'rows to generate (default 20000)' },
    k: { type: 'integer', value: 'K', help: 'clusters (default 5)' },
  },
};

/** Runs `segments sample`. */
export async function sampleCommand(ctx: Context): Promise<void> {
  const rows = ctx.args.number('rows') ?? 20_000;
  const k = ctx.args.number('k') ?? 5;
  const seed = ctx.args.number('seed') ?? DEFAULT_SEED;
  const info = await startBackend(ctx);
  ctx.progress.update(`generating ${rows} rows`);
  const { x, truth, segmentNames, features } = plantedSample({ rows, seed });
  ctx.progress.update(`k-means, k=${k}`);
  const t0 = performance.now();
  const model = await new KMeans({ k, seed, onWarning: (m) => ctx.note(`warning: ${m}`) }).fit(x);
  const fitMs = performance.now() - t0;
  const sampled = x.rows > SILHOUETTE_SAMPLE;
  const t1 = performance.now();
  ctx.progress.update('metrics: silhouette');
  const sil = await silhouette(x, model.labels, sampled ? { sampleSize: SILHOUETTE_SAMPLE, seed } : {});
  ctx.progress.update('metrics: Calinski-Harabasz, Davies-Bouldin');
  const ch = await calinskiHarabasz(x, model.labels);
  const db = await daviesBouldin(x, model.labels);
  const metricsMs = performance.now() - t1;
  ctx.progress.clear();

  const sizes = new Array<number>(k).fill(0);
  const overlap = Array.from({ length: k }, () => new Array<number>(segmentNames.length).fill(0));
  model.labels.forEach((l, i) => {
    sizes[l]++;
    overlap[l][truth[i]]++;
  });
  const segments = sizes.map((size, c) => {
    const planted = overlap[c].indexOf(Math.max(...overlap[c]));
    return { segment: c, size, share: size / x.rows, mostlyPlanted: segmentNames[planted], purity: overlap[c][planted] / Math.max(1, size) };
  });
  const report = {
    backend: model.backend,
    backendReason: info.reason,
    rows: x.rows,
    features,
    k,
    seed,
    inertia: model.inertia,
    nIter: model.nIter,
    converged: model.converged,
    silhouette: sil.score,
    silhouetteRows: sil.rows.length,
    calinskiHarabasz: ch,
    daviesBouldin: db,
    fitSeconds: fitMs / 1000,
    metricsSeconds: metricsMs / 1000,
    segments,
  };
  const out = ctx.io.out;
  if (ctx.json) {
    out(JSON.stringify(report, null, 2));
    return;
  }
  out(`segments: k-means on the planted sample (${x.rows} users, ${features.length} features: ${features.join(', ')})`);
  out(`backend: ${model.backend} (${info.reason})`);
  out(`k=${k} seed=${seed}: ${model.nIter} iterations, ${model.converged ? 'converged' : 'NOT converged'}, fit ${report.fitSeconds.toFixed(2)} s`);
  out('');
  out('segment   users   share  mostly planted as        purity');
  for (const s of segments) {
    out(
      `${String(s.segment).padStart(7)} ${String(s.size).padStart(7)} ${(100 * s.share).toFixed(1).padStart(6)}%  ${s.mostlyPlanted.padEnd(22)} ${(100 * s.purity).toFixed(1).padStart(5)}%`,
    );
  }
  out('');
  out(`inertia            ${model.inertia.toFixed(2)}`);
  out(`silhouette         ${sil.score.toFixed(4)}${sampled ? ` (on a sample of ${sil.rows.length} rows; exact is O(n²))` : ' (exact)'}`);
  out(`Calinski-Harabasz  ${ch.toFixed(2)}`);
  out(`Davies-Bouldin     ${db.toFixed(4)}`);
  out(`metrics took ${report.metricsSeconds.toFixed(2)} s`);
}
