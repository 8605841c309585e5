// SPDX-License-Identifier: MIT
/**
 * Benchmark: the exact silhouetteScore on the tfjs 'wasm' backend, with silhouetteTile as the
 * portable kernel (tfjs ops) and as our fused WebAssembly SIMD kernel (asm/silhouetteTile.ts),
 * on the same planted data. Each line is one whole metric call, upload and read-back included.
 *
 *   npx tsx bench/silhouetteTileWasm.ts [--n 20000,50000] [--d 16] [--k 8] [--portable 1]
 */
import { initBackend } from '../src/backend/backend.js';
import { silhouetteTile } from '../src/kernels/silhouetteTile.js';
import { clearWasmData } from '../src/kernels/wasm/kernelModule.js';
import { silhouetteTileWasm } from '../src/kernels/wasm/silhouetteTile.js';
import { silhouetteScore } from '../src/metrics/silhouette.js';
import { Random } from '../src/random.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const sizes = arg('n', '20000,50000').split(',').map(Number);
const d = Number(arg('d', '16'));
const k = Number(arg('k', '8'));
const withPortable = arg('portable', '1') !== '0';

await initBackend('wasm', { strict: true, onWarning: () => {} }); // registers the fused kernel

function planted(n: number): { x: { data: Float32Array; rows: number; cols: number }; labels: Int32Array } {
  const rng = new Random(5);
  const centers = Float32Array.from({ length: k * d }, () => -10 + 20 * rng.next());
  const data = new Float32Array(n * d);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = rng.int(k);
    labels[i] = c;
    for (let f = 0; f < d; f++) data[i * d + f] = centers[c * d + f] + 8 * (rng.next() - 0.5);
  }
  return { x: { data, rows: n, cols: d }, labels };
}

async function timed(name: string, n: number, run: () => Promise<number>): Promise<number> {
  const t0 = performance.now();
  const score = await run();
  const s = (performance.now() - t0) / 1000;
  console.log(`n=${String(n).padEnd(7)} ${name.padEnd(30)} ${s.toFixed(2).padStart(8)} s   score ${score.toFixed(7)}`);
  return s;
}

console.log(`exact silhouetteScore on wasm: d=${d} k=${k}`);
for (const n of sizes) {
  const { x, labels } = planted(n);
  silhouetteTile.register('wasm', silhouetteTileWasm);
  const fused = await timed('fused (our wasm SIMD, 1 thread)', n, () => silhouetteScore(x, labels));
  clearWasmData();
  if (withPortable) {
    silhouetteTile.unregister('wasm');
    const portable = await timed('portable (tfjs ops)', n, () => silhouetteScore(x, labels));
    console.log(`n=${String(n).padEnd(7)} speed-up ${(portable / fused).toFixed(1)}x`);
  }
}
