// SPDX-License-Identifier: MIT
/**
 * Benchmark: the exact silhouetteScore on the tfjs 'wasm' backend, three ways on the same planted
 * data: `sums`, our symmetric WebAssembly SIMD kernel silhouetteSums (asm/silhouetteSums.ts; each
 * pair's distance computed once, n²/2 distances), which the metric uses by default on wasm;
 * `tile`, the row-block path through our fused silhouetteTile (asm/silhouetteTile.ts; every
 * distance twice, n²); and `portable`, silhouetteTile made of tfjs ops. Each line is one whole
 * metric call, upload and read-back included. The fused kernels run once per thread count in
 * --threads (the calling thread included; default 1 and the number of cores); each kernel's
 * scores must be identical on every thread count, which the bench checks.
 *
 * cpu/wall is the process's CPU time over wall time: about how many cores the run kept busy
 * (well under the thread count: other work held the cores). ns/pair is CPU time per distance
 * the kernel computes (n²/2 for sums, n² for tile): what a loaded machine inflates least. The
 * line "vs scikit-learn" divides the newest scikit-learn silhouette time at the same n, d, k
 * found in bench/results/kmeans-silhouette-*.json (or --sklearn seconds) by ours.
 *
 *   npx tsx bench/silhouetteTileWasm.ts [--n 20000,50000] [--d 16] [--k 8] [--kernels sums,tile]
 *       [--portable 0] [--threads 1,2] [--sklearn 24.1] [--tile-groups 256] [--out bench/results/x.md]
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { initBackend } from '../src/backend/backend.js';
import { silhouetteSums } from '../src/kernels/silhouetteSums/index.js';
import { silhouetteTile } from '../src/kernels/silhouetteTile/index.js';
import { clearWasmData } from '../src/kernels/wasm/kernelModule.js';
import { SILHOUETTE_SUMS_DEFAULTS } from '../src/kernels/silhouetteSums/options.js';
import { silhouetteSumsWasm } from '../src/kernels/silhouetteSums/wasm.js';
import { silhouetteTileWasm } from '../src/kernels/silhouetteTile/wasm.js';
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
const kernels = arg('kernels', 'sums,tile').split(',') as Array<'sums' | 'tile'>;
const withPortable = arg('portable', '0') !== '0';
const cores = availableParallelism();
const threadCounts = arg('threads', cores > 1 ? `1,${cores}` : '1').split(',').map(Number);
const sklearnGiven = process.argv.includes('--sklearn') ? Number(arg('sklearn', '0')) : null;
const outPath = process.argv.includes('--out') ? arg('out', '') : null;
const tiling = { ...SILHOUETTE_SUMS_DEFAULTS.tiling, groups: Number(arg('tile-groups', String(SILHOUETTE_SUMS_DEFAULTS.tiling.groups))) };
/** silhouetteSumsWasm with the tiling asked for, as the metric's kernel on wasm. */
const sumsWasm: typeof silhouetteSumsWasm = (blocks, k) => silhouetteSumsWasm(blocks, k, { tiling });

await initBackend('wasm', { strict: true, onWarning: () => {} }); // registers the fused kernels

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

/** The newest scikit-learn exact silhouette time (s) at this n, d, k in bench/results, and its file. */
function sklearnSeconds(n: number): { s: number; from: string } | null {
  if (sklearnGiven !== null) return { s: sklearnGiven, from: '--sklearn' };
  const dir = new URL('./results/', import.meta.url);
  const files = readdirSync(dir).filter((f) => f.startsWith('kmeans-silhouette-') && f.endsWith('.json')).sort();
  let best: { s: number; from: string; at: string } | null = null;
  for (const f of files) {
    const j = JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as {
      startedAt?: string;
      silhouette?: Array<{ n: number; d: number; k: number; sklearn?: { status: string; timeMs: number } }>;
    };
    for (const row of j.silhouette ?? []) {
      if (row.n === n && row.d === d && row.k === k && row.sklearn?.status === 'ok') {
        const at = j.startedAt ?? f;
        if (best === null || at > best.at) best = { s: row.sklearn.timeMs / 1000, from: f, at };
      }
    }
  }
  return best;
}

const lines: string[] = [];
function say(line: string): void {
  console.log(line);
  lines.push(line);
}

interface Timing {
  s: number;
  cpuS: number;
  score: number;
}

async function timed(run: () => Promise<number>): Promise<Timing> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const score = await run();
  const s = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { s, cpuS: (cpu.user + cpu.system) / 1e6, score };
}

const load = (): string => loadavg().map((v) => v.toFixed(2)).join(', ');
say(`exact silhouetteScore on wasm: d=${d} k=${k}; ${cores} logical cores; sums tiles of at most ${tiling.groups} groups; load average at start ${load()}`);
for (const n of sizes) {
  const { x, labels } = planted(n);
  const sk = sklearnSeconds(n);
  for (const kernel of kernels) {
    silhouetteTile.register('wasm', silhouetteTileWasm);
    if (kernel === 'sums') silhouetteSums.register('wasm', sumsWasm);
    else silhouetteSums.unregister('wasm');
    const pairs = kernel === 'sums' ? (n * n) / 2 : n * n;
    let first: Timing | null = null;
    for (const threads of threadCounts) {
      const stats = await setWasmThreads(threads);
      const t = await timed(() => silhouetteScore(x, labels));
      clearWasmData();
      first ??= t;
      const name = `${kernel} (${stats.threads} thread${stats.threads > 1 ? 's' : ''})`;
      const vs = sk === null ? '' : `; vs scikit-learn ${(sk.s / t.s).toFixed(1)}x`;
      say(
        `n=${String(n).padEnd(7)} ${name.padEnd(18)} ${t.s.toFixed(2).padStart(7)} s  cpu ${t.cpuS.toFixed(2).padStart(7)} s  ` +
          `cpu/wall ${(t.cpuS / t.s).toFixed(2)}  ${((t.cpuS * 1e9) / pairs).toFixed(2)} cpu-ns/pair  ` +
          `score ${t.score.toFixed(7)} ${t.score === first.score ? 'identical' : 'DIFFERS from 1 thread'}${vs}; load ${load()}`,
      );
    }
  }
  silhouetteSums.register('wasm', sumsWasm);
  if (sk !== null) say(`n=${String(n).padEnd(7)} scikit-learn silhouette_score ${sk.s.toFixed(2)} s (from ${sk.from})`);
  if (withPortable) {
    silhouetteTile.unregister('wasm');
    silhouetteSums.unregister('wasm');
    const t = await timed(() => silhouetteScore(x, labels));
    say(`n=${String(n).padEnd(7)} portable (tfjs ops)  ${t.s.toFixed(2).padStart(7)} s  score ${t.score.toFixed(7)}`);
    silhouetteTile.register('wasm', silhouetteTileWasm);
    silhouetteSums.register('wasm', sumsWasm);
  }
}
say(`load average at end ${load()}`);
if (outPath !== null) writeFileSync(outPath, ['```', `npx tsx bench/silhouetteTileWasm.ts ${process.argv.slice(2).join(' ')}`, ...lines, '```', ''].join('\n'));
process.exit(0);
