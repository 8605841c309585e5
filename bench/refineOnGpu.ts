// SPDX-License-Identifier: MIT
/**
 * What k-means' refinement (Hartigan and the swap search, kmeansRefine.ts) adds to a fit on small
 * data: the median time of a seeded fit with `refine: false` and with the default refinement,
 * after one warm-up fit of each (the first fit on a backend compiles its programs), on the mall
 * fixture (200 × 3). On a GPU backend the refinement's passes run on the host at this size
 * (KMeansOptions.placement, hostPasses.ts); before that, each was a device dispatch and a read back.
 *
 *   npx tsx bench/refineOnGpu.ts [--backend webgpu] [--reps 3] [--k 5,8] [--n-init 4]
 */
import { loadavg } from 'node:os';
import { KMeans } from '../src/algorithms/kmeans.js';
import { initBackend, type BackendName } from '../src/backend/backend.js';
import { fixtureMatrix, loadFixture } from '../test/helpers/fixtures.js';

function textArg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const median = (a: number[]): number => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)];

async function main(): Promise<void> {
  const backend = textArg('backend', 'webgpu') as BackendName;
  const reps = Number(textArg('reps', '3'));
  const ks = textArg('k', '5,8').split(',').map(Number);
  const nInitArg = textArg('n-init', '');
  const info = await initBackend(backend, { strict: true, onWarning: () => {} });
  const x = fixtureMatrix(loadFixture('mall'));
  console.log(`backend ${info.name} (${info.reason}); mall ${x.rows} × ${x.cols}; load before ${loadavg()[0].toFixed(2)}`);
  console.log('| k | nInit | refine off (ms) | refine on (ms) | on / off | inertia off | inertia on |');
  console.log('|---|---|---|---|---|---|---|');
  for (const k of ks) {
    const options = { k, seed: 1, onWarning: () => {}, ...(nInitArg === '' ? {} : { nInit: Number(nInitArg) }) };
    for (const refine of [false, true]) await new KMeans({ ...options, refine }).fit(x);
    const times = { off: [] as number[], on: [] as number[] };
    const inertia = { off: 0, on: 0 };
    for (let rep = 0; rep < reps; rep++) {
      for (const refine of [false, true]) {
        const t0 = performance.now();
        const r = await new KMeans({ ...options, refine }).fit(x);
        times[refine ? 'on' : 'off'].push(performance.now() - t0);
        inertia[refine ? 'on' : 'off'] = r.inertia;
      }
    }
    const off = median(times.off);
    const on = median(times.on);
    console.log(`| ${k} | ${nInitArg || 'default'} | ${off.toFixed(0)} | ${on.toFixed(0)} | ${(on / off).toFixed(2)} | ${inertia.off.toPrecision(10)} | ${inertia.on.toPrecision(10)} |`);
  }
  console.log(`load after ${loadavg()[0].toFixed(2)}`);
}

await main();
