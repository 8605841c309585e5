import { it } from 'vitest';
import { KMeans } from '../../src/algorithms/kmeans.js';
import { initBackend } from '../../src/backend/backend.js';
import { DATASETS, fixtureMatrix, loadFixture } from '../helpers/fixtures.js';
it('dbg', async () => {
  await initBackend('wasm');
  const t0 = performance.now();
  for (const name of DATASETS) for (const k of [2,3,4,5,6,8]) {
    const f = loadFixture(name); const x = fixtureMatrix(f);
    const ref = f.kmeans!.find((q) => q.k === k)!;
    let fails = 0; let worst = 0;
    for (let s = 0; s < 10; s++) { const r = await new KMeans({ k, nInit: 10, seed: s, onWarning: () => {} }).fit(x); const rel = r.inertia / ref.inertia - 1; worst = Math.max(worst, rel); if (rel > 1e-3) fails++; }
    if (fails) console.log(name, k, 'fails', fails, 'worst', worst.toExponential(2));
  }
  console.log('total s', (performance.now() - t0) / 1000);
});
