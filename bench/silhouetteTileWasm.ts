// SPDX-License-Identifier: MIT
/**
 * Benchmark: the exact silhouetteScore on the tfjs 'wasm' backend, with silhouetteTile as the
 * portable kernel (tfjs ops) and as our fused WebAssembly SIMD kernel (asm/silhouetteTile.ts),
 * on the same planted data. Each line is one whole metric call, upload and read-back included.
 * The fused kernel runs once per thread count in --threads (the calling thread included;
 * default 1 and the number of cores); the scores must be identical, which the bench checks.
 * cpu/wall is the process's CPU time over wall time: about how many cores the run kept busy.
 *
 *   npx tsx bench/silhouetteTileWasm.ts [--n 20000,50000] [--d 16] [--k 8] [--portable 1] [--threads 1,2]
 */
import { availableParallelism } from 'node:os';
import { initBackend } from '../src/backend/backend.js';
import { silhouetteTile } from '../src/kernels/silhouetteTile.js';
import { clearWasmData } from '../src/kernels/wasm/kernelModule.js';
import { silhouetteTileWasm } from '../src/kernels/wasm/silhouetteTile.js';
import { setWasmThreads } from '../src/kernels/wasm/threads.js';
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
const cores = availableParallelism();
const threadCounts = arg('threads', cores > 1 ? `1,${cores}` : '1').split(',').map(Number);

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
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const score = await run();
  const s = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuPerWall = (cpu.user + cpu.system) / 1e6 / s;
  // cpu/wall well under the thread count means the run waited for a core: other work was running.
  console.log(`n=${String(n).padEnd(7)} ${name.padEnd(34)} ${s.toFixed(2).padStart(8)} s   score ${score.toFixed(7)}   cpu/wall ${cpuPerWall.toFixed(2)}`);
  return s;
}

console.log(`exact silhouetteScore on wasm: d=${d} k=${k}; ${cores} logical cores`);
for (const n of sizes) {
  const { x, labels } = planted(n);
  silhouetteTile.register('wasm', silhouetteTileWasm);
  let first: { s: number; score: number } | null = null;
  for (const threads of threadCounts) {
    const stats = await setWasmThreads(threads);
    let score = 0;
    const s = await timed(`fused (our wasm SIMD, ${stats.threads} thread${stats.threads > 1 ? 's' : ''})`, n, async () => (score = await silhouetteScore(x, labels)));
    clearWasmData();
    first ??= { s, score };
    console.log(`n=${String(n).padEnd(7)} ${(first.s / s).toFixed(2)}x the first fused run; score ${score === first.score ? 'identical' : 'DIFFERS'}`);
  }
  if (withPortable && first !== null) {
    silhouetteTile.unregister('wasm');
    const portable = await timed('portable (tfjs ops)', n, () => silhouetteScore(x, labels));
    console.log(`n=${String(n).padEnd(7)} speed-up ${(portable / first.s).toFixed(1)}x (fused on ${threadCounts[0]} thread(s) against portable)`);
  }
}
